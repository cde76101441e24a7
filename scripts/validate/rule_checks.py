"""Validate the rules named in dataset.yaml `rules:` (date order, the policy's award amounts, caps and premium
subsidies, plus those in scripts/validate/rules.py) and the row-count assertions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

from ..model import stages
from ..model.catalog import Catalog, Dataset, Problem, Record
from . import rules, targets


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _when(value: object) -> date | int | None:
    """A date, or a year (an integer field such as a target's first year and deadline)."""
    return rules.as_date(value) or rules.as_int(value)


def rule_date_order(dataset: Dataset, catalog: Catalog, rule: Mapping[str, Any]) -> list[Problem]:
    start_f, end_f = rule.get("start"), rule.get("end")
    if not isinstance(start_f, str) or not isinstance(end_f, str) or not dataset.field(start_f) or not dataset.field(end_f):
        return []  # reported as a metadata error
    titles = {f["name"]: f.get("title", f["name"]) for f in dataset.fields}
    problems = []
    for record in dataset.records:
        start, end = _when(record.values.get(start_f)), _when(record.values.get(end_f))
        late = (isinstance(start, date) and isinstance(end, date) and end < start) or \
            (isinstance(start, int) and isinstance(end, int) and end < start)  # two dates or two years
        if start and end and late:
            problems.append(Problem.make(record.path, record.line_of(end_f), end_f, "date-order", record.values[end_f],
                                         start=record.values[start_f], end_title=titles[end_f],
                                         start_title=titles[start_f], end=end_f, start_field=start_f))
    return problems


# the registry columns each award rule needs, and how to read them
POLICY_NUMBERS = {"fixed": ("amount_yuan",), "cap": ("cap_yuan",), "premium": ("premium_ratio_max", "company_year_cap_yuan")}


def _ratio(value: object) -> Fraction | None:
    try:
        ratio = Fraction(value) if isinstance(value, str) and value.isascii() and value.strip() == value else None
    except (ValueError, ZeroDivisionError):
        return None
    return ratio if ratio is not None and 0 <= ratio <= 1 else None


def award_types(catalog: Catalog) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Award types whose rule has every number it needs (parsed), and a problem for each number that is missing
    or unreadable (the schema cannot require a column only for some rules)."""
    registry = catalog.role("award-types")
    if registry is None or registry.incomplete:
        return {}, []  # the registry could not be read in full: its own errors are reported
    types, problems = {}, []
    for record in registry.records:
        v = record.values
        needs = POLICY_NUMBERS.get(v["rule"]) if isinstance(v.get("rule"), str) else None
        if not v.get("id") or needs is None:
            continue
        parsed = {name: (_ratio if name == "premium_ratio_max" else rules.as_int)(v.get(name)) for name in needs}
        for name, number in parsed.items():
            if number is None:
                problems.append(Problem.make(record.path, record.line_of(name), name, "award-type-number", v.get(name),
                                             rule=v["rule"]))
        if None not in parsed.values():
            types[v["id"]] = {**v, **parsed}
    return types, problems


def rule_award_policy(dataset: Dataset, catalog: Catalog, rule: Mapping[str, Any]) -> list[Problem]:
    """Measure 16 fixed amounts and caps; measure 18 premium subsidy ≤90% of the premium, ≤10万/company/year."""
    types, problems = award_types(catalog)
    type_f, amount_f, premium_f = rule["type"], rule["amount"], rule["premium"]  # the fields, as dataset.yaml names them
    per_company: dict[tuple[Any, ...], list[tuple[Record, int]]] = defaultdict(list)
    company_field, code_field = dataset.info.company_name, dataset.info.company_code
    live = set(map(id, stages.not_withdrawn(dataset, dataset.records)))
    for record in dataset.records:
        v = record.values
        kind = types.get(v[type_f]) if isinstance(v.get(type_f), str) else None
        amount = rules.as_int(v.get(amount_f))
        premium = rules.as_int(v.get(premium_f))
        if kind is None or amount is None:
            continue
        line = record.line_of(amount_f)
        basis = kind.get("basis", "")
        if kind["rule"] != "premium" and v.get(premium_f) is not None:
            problems.append(Problem.make(record.path, record.line_of(premium_f), premium_f, "premium-only",
                                         v[premium_f]))
        if kind["rule"] == "fixed" and amount != kind["amount_yuan"]:
            problems.append(Problem.make(record.path, line, amount_f, "award-fixed", amount,
                                         award_type=v[type_f], amount=kind["amount_yuan"], basis=basis))
        elif kind["rule"] == "cap" and amount > kind["cap_yuan"]:
            problems.append(Problem.make(record.path, line, amount_f, "award-cap", amount,
                                         award_type=v[type_f], cap=kind["cap_yuan"], basis=basis))
        elif kind["rule"] == "premium":
            if premium is None:
                if v.get(premium_f) is None:
                    problems.append(Problem.make(record.path, record.line_of(premium_f), premium_f, "premium-missing"))
                continue
            ratio = kind["premium_ratio_max"]
            allowed = int(premium * ratio)
            if amount > premium * ratio:
                problems.append(Problem.make(record.path, line, amount_f, "premium-ratio", amount, amount=amount,
                                             premium=premium, ratio=int(ratio * 100), allowed=allowed))
            if id(record) in live:
                name = v.get(company_field) if company_field else None
                who = rules.company_key(catalog, name) if name else v.get(code_field) if code_field else None
                per_company[(who, dataset.info.year_of(v), v[type_f])].append((record, amount))
    for (_code, year, kind_id), rows in per_company.items():
        cap = types[kind_id]["company_year_cap_yuan"]
        total = sum(amount for _record, amount in rows)
        if total > cap:
            record = rows[-1][0]
            problems.append(Problem.make(record.path, record.line_of(amount_f), amount_f, "premium-company-year",
                                         total, year=year, total=total, cap=cap,
                                         rows=", ".join(f"{r.path}:{r.line}" for r, _a in rows)))
    return problems


RULES = {"date_order": rule_date_order, "award_policy": rule_award_policy}
RULES.update(rules.RULES)
RULES.update(targets.RULES)


def check_assertions(dataset: Dataset) -> list[Problem]:
    assertions = dataset.info.assertions  # ill-typed values are a metadata error already
    count = len(dataset.records)
    if "min" in assertions and count < assertions["min"]:
        return [Problem.make(dataset.meta_path, dataset.meta_lines.get("assertions", 1), "assertions.min", "too-few-rows", count=count, min=assertions["min"])]
    if "max" in assertions and count > assertions["max"]:
        return [Problem.make(dataset.meta_path, dataset.meta_lines.get("assertions", 1), "assertions.max", "too-many-rows", severity="warning", count=count,
                             max=assertions["max"])]
    return []
