"""What a target counts, as its row in the targets registry declares it: the list it counts (`dataset`, optionally
restricted by `where_field`/`where_values`), the years (`first_year` to `deadline`; `period` per_year counts each
year apart), the stages counted as achieved (`stages`) and those shown beside as pending (`pending_stages`), and the
place (`scope`: `all`, or the slug of a districts-registry row — `jiaxing` — whose records count only when located
in that district or one under it). A record is located by its company's district in the companies registry, else by
its own district field; a record of unknown place is outside every scope but `all`.

`count()` splits a list's records into counted, pending and not counted (other years, other places); `rule_words()`
says the rule in plain Chinese and English; `rule_counts_from` is the dataset.yaml rule that checks the declarations
(the list exists, the stages are in its lifecycle, the filter field is one of its fields, the scope is a district).
Release snapshots predate these columns: a row without them counts the list's in-force and pending stages (its
display.status), every year up to the deadline and every place, as the code of that time did.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..load.readers import suggest
from ..model import vocab
from ..model.catalog import Catalog, Dataset, Problem, Record

ALL = "all"  # scope: every place


@dataclass(frozen=True)
class Declaration:
    dataset: str | None
    first: int | None               # first year counted (None: a release snapshot, no lower bound)
    last: int | None                # the deadline, the last year counted
    per_year: bool
    stages: tuple[str, ...]         # counted as achieved
    pending: tuple[str, ...]        # shown beside, never added
    scope: str                      # ALL or a districts-registry slug
    where_field: str | None = None
    where_values: tuple[str, ...] = ()


def _int(value: object) -> int | None:
    text = str(value) if value is not None else ""
    return int(text) if text.isascii() and text.isdigit() else None


def _words(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else str(value).split(";") if value else []
    return tuple(str(v) for v in items if str(v))


def declaration(row: Mapping[str, Any], ds: Dataset | None) -> Declaration:
    """A target row as a Declaration; columns a release snapshot lacks read as the code of its time counted."""
    status = ds.info.status if ds is not None else None
    return Declaration(
        dataset=row.get("dataset") or None, first=_int(row.get("first_year")), last=_int(row.get("deadline")),
        per_year=row.get("period") == "per_year",
        stages=_words(row.get("stages")) if "stages" in row else (status.in_force if status else ()),
        pending=_words(row.get("pending_stages")) if "pending_stages" in row else (status.pending if status else ()),
        scope=str(row.get("scope") or ALL), where_field=row.get("where_field") or None,
        where_values=_words(row.get("where_values")))


# ---------------------------------------------------------------- places

def scope_district(catalog: Catalog, scope: str) -> tuple[str, dict[str, Any]] | None:
    """(id, row) of the districts-registry row whose slug is `scope` (None for ALL or an unknown slug)."""
    if scope == ALL:
        return None
    return next(((k, v) for k, v in catalog.rows("districts").items() if v.get("slug") == scope), None)


def districts_within(catalog: Catalog, root: str) -> set[str]:
    """The district `root` and every district whose parent chain reaches it (functional zones included)."""
    parents = {k: str(v.get("parent") or "") for k, v in catalog.rows("districts").items()}
    inside = set()
    for start in parents:
        node, seen = start, set()
        while node and node not in seen:  # a cycle in the registry never loops
            if node == root:
                inside.add(start)
                break
            seen.add(node)
            node = parents.get(node, "")
    return inside


class Places:
    """Where records are: the company's district (companies registry, the name resolved with aliases and normalised
    spellings), else the record's own district field; None when unknown. Each record is located once for all targets."""

    def __init__(self, catalog: Catalog):
        self.catalog, self.table = catalog, catalog.role_name("companies")
        self.companies = {k: str(v["district"]) for k, v in catalog.rows("companies").items() if v.get("district")}
        self.memo: dict[int, str | None] = {}

    def of(self, ds: Dataset, record: Record) -> str | None:
        key = id(record)
        if key not in self.memo:
            name = record.values.get(ds.info.company_name) if ds.info.company_name else None
            rid = vocab.resolve(self.catalog, self.table, name)[0] if name else None
            own = record.values.get(ds.info.district) if ds.info.district else None
            self.memo[key] = self.companies[rid] if rid in self.companies else str(own) if own else None
        return self.memo[key]


# ---------------------------------------------------------------- counting

@dataclass
class Count:
    counted: list[Record] = field(default_factory=list)
    pending: list[Record] = field(default_factory=list)
    other_years: int = 0    # at a counted stage, outside the period
    other_places: int = 0   # at a counted stage, in the period, outside the scope or of unknown place

    @property
    def excluded(self) -> int:
        return self.other_years + self.other_places


def count(catalog: Catalog, ds: Dataset, decl: Declaration, places: Places | None = None) -> Count:
    status_field = ds.info.status.field
    inside = None
    found = scope_district(catalog, decl.scope)
    if decl.scope != ALL:
        inside = districts_within(catalog, found[0]) if found else set()
    places = places or Places(catalog)
    out = Count()
    for r in ds.records:
        v = r.values
        if decl.where_field and not _matches(v.get(decl.where_field), decl.where_values):
            continue
        stage = v.get(status_field) if status_field else None
        achieved = not status_field or stage in decl.stages
        if not achieved and stage not in decl.pending:
            continue
        year = ds.info.year_of(v)
        if ds.info.year and (year is None or (decl.first is not None and year < decl.first)
                             or (decl.last is not None and year > decl.last)):
            out.other_years += achieved
            continue
        if inside is not None and places.of(ds, r) not in inside:
            out.other_places += achieved
            continue
        (out.counted if achieved else out.pending).append(r)
    return out


def _matches(value: object, wanted: tuple[str, ...]) -> bool:
    """A filter value (or, for a list field, any of its items) is one of the wanted values."""
    return any(str(item) in wanted for item in (value if isinstance(value, list) else [value]) if item is not None)


def rule_words(catalog: Catalog, ds: Dataset, decl: Declaration, counted: Count) -> dict[str, Any]:
    """The counting rule and what it left out, in plain Chinese and English, for the page beside the number."""
    if not ds.info.year:
        years_zh, years_en = "不分年份", "all years"
    else:
        span = f"{decl.first}—{decl.last}" if decl.first is not None else f"至 {decl.last}"
        span_en = f"{decl.first}–{decl.last}" if decl.first is not None else f"up to {decl.last}"
        years_zh = f"{span} 年{'每年' if decl.per_year else ''}"
        years_en = f"each year of {span_en}" if decl.per_year else span_en
    stages = "、".join(decl.stages) if ds.info.status.field else "全部记录"
    stages_en = "/".join(decl.stages) if ds.info.status.field else "every record"
    found = scope_district(catalog, decl.scope)
    who, who_en = ("企业", "companies located") if ds.info.company_name else ("地点", "located")
    if decl.scope == ALL or found is None:
        place_zh, place_en, away_zh, away_en = "不限地点", "any place", "", ""
    else:
        name, name_en = found[1].get("name") or found[0], found[1].get("name_en") or found[0]
        place_zh, place_en = f"{who}在{name}", f"{who_en} in {name_en}"
        away_zh, away_en = f"{name}以外或地点不明", f"outside {name_en} or of unknown place"
    parts = [(counted.other_years, "其他年份", "of other years"), (counted.other_places, away_zh, away_en)]
    parts = [(n, zh, en) for n, zh, en in parts if n]
    return {"zh": f"计：{years_zh}；{stages}；{place_zh}", "en": f"counted: {years_en}; {stages_en}; {place_en}",
            "excluded": counted.excluded,
            "excluded_zh": "、".join(f"{zh} {n:,} 条" for n, zh, _en in parts),
            "excluded_en": ", ".join(f"{n:,} {en}" for n, _zh, en in parts)}


# ---------------------------------------------------------------- the dataset.yaml rule

def rule_counts_from(dataset: Dataset, catalog: Catalog, rule: Mapping[str, Any]) -> list[Problem]:
    """Each row's `dataset` field names a list of this tree; its `stages` fields hold values of that list's lifecycle
    (display.status), one stage in one field only, and a counted stage is required when the list has one; `where`
    names a field of that list and `values` values of that field; `scope` is `all` or a districts-registry slug."""
    named = [rule["dataset"], *rule["stages"], *(rule.get(k) for k in ("where", "values", "scope") if k in rule)]
    if not all(isinstance(n, str) and dataset.field(n) for n in named):
        return []  # reported as a metadata error
    problems = []
    lists = {d.name: d for d in catalog.lists()}
    slugs = [ALL] + sorted(str(v.get("slug")) for v in catalog.rows("districts").values() if v.get("slug"))
    for record in dataset.records:
        v = record.values
        scope_f = rule.get("scope")
        if scope_f and v.get(scope_f) and v[scope_f] not in slugs:
            zh, en, _ = suggest(str(v[scope_f]), slugs)
            problems.append(Problem.make(record.path, record.line_of(scope_f), scope_f, "target-scope", v[scope_f],
                                         allowed=", ".join(slugs), suggest_zh=zh, suggest_en=en))
        name = v.get(rule["dataset"])
        target = lists.get(str(name)) if name else None
        if target is not None:
            problems += _stage_problems(catalog, record, target, rule["stages"])
            problems += _filter_problems(catalog, record, target, rule.get("where"), rule.get("values"))
        elif name and not unreadable(catalog, str(name)):  # a list there but unreadable: its own errors are reported
            zh, en, _ = suggest(str(name), sorted(lists))
            problems.append(Problem.make(record.path, record.line_of(rule["dataset"]), rule["dataset"],
                                         "target-dataset", name, allowed=", ".join(sorted(lists)), suggest_zh=zh,
                                         suggest_en=en))
    return problems


def _stage_problems(catalog: Catalog, record: Record, target: Dataset, fields: list[str]) -> list[Problem]:
    """Stages (first field: counted; the others: shown beside) of the list's lifecycle, each in one field."""
    status = target.info.status
    if not status.field:
        return []  # no lifecycle: every record counts
    declared = (*status.in_force, *status.pending, *status.withdrawn)  # and what the stage field allows
    vocabulary = "、".join(dict.fromkeys((*declared, *(vocabulary_of(catalog, target, status.field) or []))))
    allowed = vocabulary.split("、")
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for index, name in enumerate(fields):
        values, line = _words(record.values.get(name)), record.line_of(name)
        if index == 0 and not values:
            problems.append(Problem.make(record.path, line, name, "target-stages-missing", dataset=target.name,
                                         allowed=vocabulary))
        for stage in values:
            if stage not in allowed:
                problems.append(Problem.make(record.path, line, name, "target-stage", stage, dataset=target.name,
                                             allowed=vocabulary))
            elif stage in seen:
                problems.append(Problem.make(record.path, line, name, "target-stage-twice", stage, other=seen[stage]))
            seen.setdefault(stage, name)
    return problems


def _filter_problems(catalog: Catalog, record: Record, target: Dataset, where_f: str | None,
                     values_f: str | None) -> list[Problem]:
    """The filter field is a field of the list; its values are values that field may hold."""
    where = record.values.get(where_f) if where_f else None
    if not where:
        return []
    if not target.field(str(where)):
        return [Problem.make(record.path, record.line_of(where_f), where_f, "target-field", where, dataset=target.name,
                             allowed=", ".join(target.field_names))]
    allowed = vocabulary_of(catalog, target, str(where)) if values_f else None
    return [Problem.make(record.path, record.line_of(values_f), values_f, "target-value", item, where=where,
                         dataset=target.name, allowed="、".join(allowed))
            for item in _words(record.values.get(values_f or "")) if allowed is not None and item not in allowed]


def unreadable(catalog: Catalog, name: str) -> bool:
    """A folder of that name holds a dataset.yaml the catalogue could not load."""
    return bool(re.fullmatch(r"[a-z0-9_-]+", name)) and (catalog.root / name / "dataset.yaml").is_file()


def vocabulary_of(catalog: Catalog, ds: Dataset, name: str) -> list[str] | None:
    """The values a field may hold: the ids of the table it refers to, else its enum; None when free text."""
    resource = ds.info.foreign.get(name)
    table = catalog.datasets.get(resource) if resource else None
    if table is not None:
        return [str(r.values.get(table.info.key)) for r in table.records if r.values.get(table.info.key) is not None]
    enum = ((ds.field(name) or {}).get("constraints") or {}).get("enum")
    return [str(e) for e in enum] if enum else None


RULES = {"counts_from": rule_counts_from}
