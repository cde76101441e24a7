"""Rules named in dataset.yaml `rules:` beyond the basic ones: stages, tiers, dates near the list year, and which
company a referenced record belongs to. Every rule reads its fields from the rule entry and the schemas: no dataset
or field name is written here, except the registry tables the rules are about (list-kinds, award-types, companies).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..model import stages, vocab
from ..model.catalog import Catalog, Dataset, Problem, Record


def as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value.isascii() else None
    except ValueError:
        return None


def as_int(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


def _title(dataset: Dataset, name: str) -> tuple[str, str]:
    field = dataset.field(name) or {}
    return field.get("title", name), field.get("x-label-en", name)


def _where(record: Record, name: str | None) -> str:
    return f"{record.path}:{record.line_of(name)}"


def rule_date_year(dataset: Dataset, catalog: Catalog, rule: Mapping[str, Any]) -> list[Problem]:
    """A date more than `before` years before (or `after` years after) the record's year is a typo or a wrong list."""
    before, after = rule.get("before", 0), rule.get("after", 0)
    problems = []
    for record in dataset.records:
        year = as_int(record.values.get(rule["year"]))
        if year is None:
            continue
        for name in rule["fields"]:
            when = as_date(record.values.get(name))
            if when is None:
                continue
            zh, en = _title(dataset, name)
            if when.year < year - before:
                problems.append(Problem.make(record.path, record.line_of(name), name, "date-before-year", record.values[name],
                                             title=zh, title_en=en, year=year, first=year - before))
            elif when.year > year + after:
                problems.append(Problem.make(record.path, record.line_of(name), name, "date-after-year", record.values[name],
                                             title=zh, title_en=en, year=year, last=year + after))
    return problems


def rule_required_when(dataset: Dataset, catalog: Catalog, rule: Mapping[str, Any]) -> list[Problem]:
    """Fields that become required (and > 0) once the stage moves on: a 公示 award has no amount yet."""
    problems = []
    stage_field, values = rule["field"], set(rule["values"])
    for record in dataset.records:
        stage = record.values.get(stage_field)
        if stage not in values:
            continue
        for name in rule["required"]:
            if record.values.get(name) is None and name not in record.flagged:
                zh, en = _title(dataset, name)
                problems.append(Problem.make(record.path, record.line_of(name), name, "required-at-stage", None, title=zh,
                                             title_en=en, stage=stage, stages="、".join(rule["values"])))
        for name in rule.get("positive") or []:
            if as_int(record.values.get(name)) == 0:
                zh, en = _title(dataset, name)
                problems.append(Problem.make(record.path, record.line_of(name), name, "zero-at-stage", "0", title=zh,
                                             title_en=en, stage=stage))
    return problems


def rule_list_kind_tier(dataset: Dataset, catalog: Catalog, rule: Mapping[str, Any]) -> list[Problem]:
    """The tier must be one the list kind has (registry list-kinds `tiers`); kinds without tiers take none."""
    kinds = catalog.rows("list-kinds")
    problems = []
    for record in dataset.records:
        kind, tier = record.values.get(rule["kind"]), record.values.get(rule["tier"])
        if kind not in kinds or tier is None or rule["tier"] in record.flagged:
            continue
        allowed = tiers_of(kinds[kind])
        if tier not in allowed:
            problems.append(Problem.make(record.path, record.line_of(rule["tier"]), rule["tier"], "tier-not-in-kind", tier,
                                         kind=kinds[kind].get("name") or kind,
                                         allowed="、".join(allowed) if allowed else "（无 / none）"))
    return problems


def tiers_of(kind: Mapping[str, Any]) -> list[str]:
    """The tiers a list kind allows (registry list-kinds `tiers`, written 国际;国内;省内)."""
    value = kind.get("tiers") or ""
    return [t for t in (value if isinstance(value, list) else str(value).split(";")) if t]


def rule_one_tier(dataset: Dataset, catalog: Catalog, rule: Mapping[str, Any]) -> list[Problem]:
    """The same item (same fields, normalised, same year) is listed once: not twice, and never at two tiers."""
    tier_field = next((f["name"] for f in dataset.fields if f["name"] == "tier"), None)
    seen: dict[tuple[object, ...], Record] = {}
    problems = []
    for record in stages.not_withdrawn(dataset, dataset.records):
        parts: list[Any] = [record.values.get(name) for name in rule["fields"]]
        if any(p is None for p in parts):
            continue
        key: tuple[object, ...] = (dataset.info.year_of(record.values), *(company_key(catalog, p) for p in parts))
        other = seen.get(key)
        if other is None:
            seen[key] = record
            continue
        title = dataset.info.title_field
        name = title if title in rule["fields"] else rule["fields"][0]
        tiers = (other.values.get(tier_field), record.values.get(tier_field)) if tier_field else (None, None)
        if tiers[0] != tiers[1]:
            problems.append(Problem.make(record.path, record.line_of(tier_field), tier_field, "two-tiers", tiers[1],
                                         other_tier=tiers[0] or "—", other=_where(other, tier_field)))
        else:
            problems.append(Problem.make(record.path, record.line_of(name), name, "listed-twice", record.values.get(name),
                                         other=_where(other, name)))
    return problems


def company_key(catalog: Catalog, name: str) -> str:
    """A company's registry name when it resolves (aliases and former names included), else the normalised text."""
    rid, _how = vocab.resolve(catalog, catalog.role_name("companies"), name)
    return rid if rid else vocab.normalise(name)


def rule_same_company(dataset: Dataset, catalog: Catalog, rule: Mapping[str, Any]) -> list[Problem]:
    """An award (or recognition) may only point to a record of the same company."""
    ref = rule["ref"]
    target = catalog.datasets.get(dataset.info.foreign.get(ref) or "")
    mine = dataset.info.company_name
    if target is None or mine is None:
        return []
    theirs = target.info.company_name
    if theirs is None:
        return []
    by_id = {str(r.values.get(target.info.key)): r for r in target.records}
    problems = []
    for record in dataset.records:
        rid, name = record.values.get(ref), record.values.get(mine)
        other = by_id.get(str(rid)) if rid else None
        if other is None or name is None or other.values.get(theirs) is None:
            continue
        if company_key(catalog, name) != company_key(catalog, other.values[theirs]):
            problems.append(Problem.make(record.path, record.line_of(ref), ref, "other-company", rid,
                                         company=name, owner=other.values[theirs], target=target.name))
    return problems


def rule_award_recognition(dataset: Dataset, catalog: Catalog, rule: Mapping[str, Any]) -> list[Problem]:
    """One award per recognition; its tier and list kind are the ones the award type pays for (registry award-types)."""
    ref = rule["ref"]
    target = catalog.datasets.get(dataset.info.foreign.get(ref) or "")
    types_table = catalog.role_name("award-types")
    type_field = next(iter(dataset.info.refs(types_table)), None) if types_table else None
    if target is None or type_field is None:
        return []
    types = catalog.rows("award-types")
    recognitions = {str(r.values.get(target.info.key)): r for r in target.records}
    kinds = {k: v.get("name") or k for k, v in catalog.rows("list-kinds").items()}
    problems = []
    first: dict[str, Record] = {}
    for record in stages.not_withdrawn(dataset, dataset.records):
        type_id = record.values.get(type_field)
        rid, kind = record.values.get(ref), types.get(type_id) if isinstance(type_id, str) else None
        if rid is None:
            if kind and kind.get("list_kinds"):
                problems.append(Problem.make(record.path, record.line_of(ref), ref, "award-without-recognition", None,
                                             severity="warning", award_type=record.values.get(type_field)))
            continue
        if rid in first:
            problems.append(Problem.make(record.path, record.line_of(ref), ref, "awarded-twice", rid,
                                         other=_where(first[rid], ref)))
            continue
        first[rid] = record
        rec = recognitions.get(rid)
        if rec is None or kind is None:
            continue
        wanted_tier, wanted_kinds = kind.get("tier"), kind.get("list_kinds") or []
        tier, list_kind = rec.values.get("tier"), rec.values.get("list_kind")
        if wanted_kinds and list_kind not in wanted_kinds:
            problems.append(Problem.make(record.path, record.line_of(type_field), type_field, "award-kind-mismatch",
                                         record.values.get(type_field), rid=rid, kind=kinds.get(list_kind, list_kind) if isinstance(list_kind, str) else list_kind,
                                         wanted="、".join(kinds.get(k, k) for k in wanted_kinds)))
        elif wanted_tier and tier != wanted_tier:
            problems.append(Problem.make(record.path, record.line_of(type_field), type_field, "award-tier-mismatch",
                                         record.values.get(type_field), rid=rid, tier=tier or "—", wanted=wanted_tier))
        if stages.stage_of(target, rec) in target.info.status.withdrawn:
            problems.append(Problem.make(record.path, record.line_of(ref), ref, "award-withdrawn-recognition", rid,
                                         stage=stages.stage_of(target, rec)))
    return problems


RULES = {"date_year": rule_date_year, "required_when": rule_required_when, "list_kind_tier": rule_list_kind_tier,
         "one_tier": rule_one_tier, "same_company": rule_same_company, "award_recognition": rule_award_recognition}
