"""A dataset's metadata as one typed, frozen value: what dataset.yaml says, with the fields that play each role.

Code never reads dataset.yaml as a dict: it asks `dataset.info` (a DatasetMeta, built once when the dataset is
loaded). Field roles are declared in `display` (year, status, district, industry, batch, source, company, money,
title) and the programme tables the pages and rules use are declared by the registry's `role` (districts, companies,
targets, measures, award-types …). Nothing here assumes a field or dataset name: a role that is not declared is absent.

Release snapshots predate some keys (a top-level `title_field`); they are read here too, so every stage sees one
shape whatever the age of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .units import DEFAULT as DEFAULT_UNIT
from .units import UNIT_KEY

# registry roles: the programme tables found by their declared role, never by their folder name
REGISTRY_ROLES = ("companies", "districts", "industries", "departments", "targets", "measures", "award-types",
                  "list-kinds", "stage-changes")
# field roles declared in display (one field each)
FIELD_ROLES = ("title", "year", "district", "industry", "batch", "source")


@dataclass(frozen=True)
class Status:
    """The lifecycle field and how its values count: in force (counted), pending (shown beside), withdrawn (never
    counted). No field: every record is in force."""

    field: str | None = None
    in_force: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()

    def rank(self, value: object) -> int:
        """0 in force, 1 pending (or a value not listed), 2 withdrawn."""
        text = str(value)
        return 0 if text in self.in_force else 2 if text in self.withdrawn else 1

    @property
    def order(self) -> tuple[str, ...]:
        """The lifecycle in the order it moves: the pending stages, then the in-force ones, then the withdrawn ones,
        each in the order dataset.yaml lists them (公示 → 拟认定 → 认定 → 撤销)."""
        return self.pending + self.in_force + self.withdrawn

    def moves_back(self, old: object, new: object) -> bool:
        """True when a record at stage `old` would go back to the earlier stage `new` (认定 → 拟认定, 撤销 → 认定).
        Stages the lifecycle does not list never count as a move back (validation reports them)."""
        order = self.order
        before, after = str(old or ""), str(new or "")
        return before in order and after in order and order.index(after) < order.index(before)

    def kind(self, value: object) -> str:
        """The badge colour of a stage (CSS sx-status-on / -wait / -off): in force, pending, withdrawn. No status
        field: every record is in force."""
        return ("on", "wait", "off")[self.rank(value)] if self.field else "on"


@dataclass(frozen=True)
class DatasetMeta:
    name: str
    group: str                      # lists | registry
    title: str
    title_en: str
    description: str
    description_en: str
    schema: str                     # the table schema file, relative to schemas/
    files: str
    format: str                     # csv | yaml
    key: str                        # the primary key field (first of primaryKey, else the first field)
    title_field: str                # display.title, else the key
    id_template: str | None = None
    order: int = 100
    example: bool = False
    role: str | None = None         # registry role (REGISTRY_ROLES)
    publisher: Mapping[str, Any] = field(default_factory=dict)
    licence: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[Mapping[str, Any], ...] = ()
    assertions: Mapping[str, int] = field(default_factory=dict)
    rules: tuple[Mapping[str, Any], ...] = ()
    year: str | None = None
    district: str | None = None
    industry: str | None = None
    batch: str | None = None
    source: str | None = None       # the link to the official notice a record was published in
    company_name: str | None = None
    company_code: str | None = None
    money: tuple[str, ...] = ()         # totalled money fields
    other_money: tuple[str, ...] = ()   # money fields shown in yuan, never totalled
    status: Status = Status()
    list_columns: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()       # list filters (the year role is the list pages themselves)
    search_fields: tuple[str, ...] = ()
    foreign: Mapping[str, str] = field(default_factory=dict)  # field -> referenced dataset
    units: Mapping[str, str] = field(default_factory=dict)    # field -> its declared unit (x-unit, scripts/model/units.py)

    @property
    def is_list(self) -> bool:
        return self.group == "lists"

    @property
    def amounts(self) -> tuple[str, ...]:
        """Every money field: shown in its declared unit."""
        return self.money + tuple(m for m in self.other_money if m not in self.money)

    def unit(self, name: str) -> str:
        """A field's declared unit; 元 when none is declared (what money was taken to be before units were data: a
        money field of today's data without one is refused by the loader)."""
        return self.units.get(name, DEFAULT_UNIT)

    def title_of(self, values: Mapping[str, Any]) -> str:
        """A record's title: its title field, else its key (one rule for pages, search, diffs and drafts)."""
        return values.get(self.title_field) or values.get(self.key) or ""

    def year_of(self, values: Mapping[str, Any]) -> int | None:
        y = values.get(self.year) if self.year else None
        return int(y) if y is not None and str(y).isascii() and str(y).isdigit() else None

    def stage_of(self, values: Mapping[str, Any]) -> Any:
        return values.get(self.status.field) if self.status.field else None

    def refs(self, resource: str) -> list[str]:
        """Fields that point to this dataset."""
        return [f for f, r in self.foreign.items() if r == resource]

    @classmethod
    def build(cls, meta: Mapping[str, Any], schema: Mapping[str, Any]) -> "DatasetMeta":
        """From the dataset.yaml mapping (keys the meta schema rejected already dropped) and the table schema; a role
        naming no field of the schema is dropped (load.meta_references reports it)."""
        fields = [f["name"] for f in schema.get("fields") or []]
        known = set(fields)
        units = {f["name"]: f[UNIT_KEY] for f in schema.get("fields") or [] if isinstance(f.get(UNIT_KEY), str)}

        def one(value: object) -> str | None:
            return value if isinstance(value, str) and value in known else None

        def many(value: object) -> tuple[str, ...]:
            return tuple(v for v in (value if isinstance(value, list) else []) if isinstance(v, str) and v in known)

        def words(value: object) -> tuple[str, ...]:
            return tuple(str(v) for v in (value if isinstance(value, list) else []))

        display: Mapping[str, Any] = d if isinstance(d := meta.get("display"), dict) else {}
        if "title_field" in meta:  # a release snapshot from before roles: read with the conventions of its time
            meta, display = _legacy(meta, display, schema)
            units = {n: DEFAULT_UNIT for n in fields if n.endswith("_yuan")} | units
        company: Mapping[str, Any] = c if isinstance(c := display.get("company"), dict) else {}
        status: Mapping[str, Any] = s if isinstance(s := display.get("status"), dict) else {}
        key = (schema.get("primaryKey") or fields[:1] or ["id"])[0]
        title = one(display.get("title")) or one(meta.get("title_field")) or key  # title_field: release snapshots
        foreign = {}
        for fk in schema.get("foreignKeys") or []:
            names = fk.get("fields")
            for name in [names] if isinstance(names, str) else names or []:
                foreign[name] = fk["reference"]["resource"]
        year = one(display.get("year"))
        status_field = one(status.get("field"))
        return cls(
            name=str(meta.get("name")), group=str(meta.get("group")), title=str(meta.get("title") or meta.get("name")),
            title_en=str(meta.get("title_en") or ""), description=str(meta.get("description") or ""),
            description_en=str(meta.get("description_en") or ""), schema=str(meta.get("schema")),
            files=str(meta.get("files")), format=str(meta.get("format")), key=key, title_field=title,
            id_template=meta.get("id_template") if isinstance(meta.get("id_template"), str) else None,
            order=o if type(o := meta.get("order")) is int else 100,
            example=meta.get("example") is not False, role=meta.get("role") if meta.get("role") in REGISTRY_ROLES else None,
            publisher=_frozen(meta.get("publisher")), licence=_frozen(meta.get("licence")),
            sources=tuple(_frozen(s) for s in meta.get("sources") or [] if isinstance(s, dict)),
            assertions=_frozen({k: v for k, v in (meta.get("assertions") or {}).items() if type(v) is int}
                               if isinstance(meta.get("assertions"), dict) else {}),
            rules=tuple(_frozen(r) for r in meta.get("rules") or [] if isinstance(r, dict)) if isinstance(
                meta.get("rules"), list) else (),
            year=year, district=one(display.get("district")), industry=one(display.get("industry")),
            batch=one(display.get("batch")), source=one(display.get("source")), company_name=one(company.get("name")), company_code=one(company.get("code")),
            money=many(display.get("money")), other_money=many(display.get("other_money")),
            status=Status(status_field, words(status.get("in_force")), words(status.get("pending")),
                          words(status.get("withdrawn"))) if status_field else Status(),
            list_columns=many(display.get("list_columns")) or (key,),
            filters=tuple(f for f in many(display.get("filters")) if f != year),
            search_fields=many(display.get("search_fields")), foreign=foreign, units=units)


def _frozen(value: object) -> dict[str, Any]:
    """A copy of a mapping (a plain dict, so it serialises as JSON and YAML); {} for anything else."""
    return dict(value) if isinstance(value, dict) else {}


@dataclass(frozen=True)
class CatalogMeta:
    """What the catalogue as a whole says of itself (its first list's publisher, licence and sources)."""

    publisher: Mapping[str, Any]
    licence: Mapping[str, Any]
    sources: tuple[Mapping[str, Any], ...]
    example: bool


def _legacy(meta: Mapping[str, Any], display: Mapping[str, Any], schema: Mapping[str, Any]
            ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Roles of a dataset.yaml written before they were declared (release snapshots, top-level `title_field`): the
    field names the code assumed then (year, district, industry or domain, batch, status with 撤销 withdrawn, money
    fields ending in _yuan, the award rule's award_type / amount_yuan / premium_yuan) and registry roles by folder
    name."""
    fields = {f["name"]: f for f in schema.get("fields") or []}
    meta, display = dict(meta), dict(display)
    display.setdefault("title", meta.get("title_field"))
    if meta.get("group") == "registry":
        if meta.get("name") in REGISTRY_ROLES:
            meta.setdefault("role", meta.get("name"))
        if meta.get("name") == "companies":
            display.setdefault("company", {"name": "name", "code": "credit_code"})
    for role, names in (("year", ("year",)), ("district", ("district",)), ("industry", ("industry", "domain")),
                        ("batch", ("batch",)), ("source", ("source_url",))):
        found = next((n for n in names if n in fields), None)
        if found:
            display.setdefault(role, found)
    meta["rules"] = [{"type": "award_type", "amount": "amount_yuan", "premium": "premium_yuan", **r}
                     if isinstance(r, dict) and r.get("rule") == "award_policy" else r for r in meta.get("rules") or []]
    money = list(display.get("money") or [])
    display.setdefault("other_money", [n for n in fields if n.endswith("_yuan") and n not in money])
    if "status" not in display and "status" in fields:
        enum = [str(v) for v in (fields["status"].get("constraints") or {}).get("enum") or []]
        display["status"] = {"field": "status", "in_force": [v for v in enum if v != "撤销"], "pending": [],
                             "withdrawn": ["撤销"]}
    return meta, display
