"""Stage 2, validate: the gate. Every problem in one run, one line each, `path:line: field: 中文 | English`.

Schema types, constraints and enums are checked by the real Frictionless validator; the checks Frictionless
cannot know (credit-code checksums, hazards, references across files, the policy's award rules) are here.
"""

from __future__ import annotations

import re
import sys
import time
from collections import defaultdict
from datetime import date
from fractions import Fraction
from pathlib import Path

from frictionless import Resource, Schema

from . import checks, rules, stages, textrules, vocab
from .load import load_catalog, suggest, template_regex
from .paths import DATA, RELEASES, SCHEMAS
from .formats import XLSX_CELL_LIMIT
from .messages import TYPE_WORDS
from .model import Capped, Catalog, Dataset, Problem, Record, cap_problems, count_of
from .release_index import index_problems

_CONSTRAINT = re.compile(r'constraint "(\w+)"')


def validate_catalog(catalog: Catalog, progress=None) -> list[Problem]:
    problems: list[Problem] = []
    for dataset in [*catalog.datasets.values(), *catalog.shadowed]:
        if progress:
            progress(dataset)
        reported = {(i, name) for i, record in enumerate(dataset.records) for name in record.flagged}
        problems += check_cells(dataset, reported)
        problems += check_schema(dataset, reported)
        problems += check_ids(dataset)
        problems += check_references(dataset, catalog, reported)
        for rule in dataset.info.rules:
            if rule.get("rule") in RULES:  # anything else is a metadata error already
                problems += RULES[rule["rule"]](dataset, catalog, rule)
        problems += check_assertions(dataset)
        problems += check_real_data(dataset)
        problems += check_status_declaration(dataset)
    problems += check_companies(catalog)
    return problems


# --- cells --------------------------------------------------------------------------------------

def check_cells(dataset: Dataset, reported: set) -> list[Problem]:
    """Hazards in the raw text: invisible characters, formula starts, non-ASCII codes, units in amounts."""
    problems = []
    specs = [(f["name"], f["type"], set(f.get("x-checks", []))) for f in dataset.fields]
    invisible, formula = textrules.INVISIBLE.search, textrules.FORMULA_START
    marker, zero_code, odd_space = checks.PLACEHOLDER, checks.PLACEHOLDER_CODE.match, textrules.ODD_SPACE.search
    titles = {f["name"]: f.get("title", f["name"]) for f in dataset.fields}
    for index, record in enumerate(dataset.records):
        values = record.values
        for name, ftype, xchecks in specs:
            value = values.get(name)
            if value is None:
                continue
            items = value if isinstance(value, list) else (value,)
            if sum(map(len, items)) + len(items) - 1 > XLSX_CELL_LIMIT:  # what a spreadsheet cell can hold
                reported.add((index, name))
                problems.append(Problem.make(record.path, record.line_of(name), name, "cell-too-long",
                                             f"{items[0][:40]}…", length=sum(map(len, items)) + len(items) - 1,
                                             limit=XLSX_CELL_LIMIT))
                continue
            for item in items:
                bad = None
                if invisible(item):
                    bad = ("invisible-char", {"chars": ", ".join(checks.invisible_chars(item))})
                elif ftype in ("string", "list") and item[:1] in formula:
                    bad = ("formula", {"char": checks.formula_start(item)})
                elif marker in item or (len(item) == 18 and zero_code(item)):
                    bad = ("placeholder", placeholder_hint(item, "credit_code" in xchecks, titles[name]))
                elif ftype in ("string", "list") and (item[:1].isspace() or item[-1:].isspace() or odd_space(item)):
                    bad = ("whitespace", {"suggestion": checks.space_problem(item)})
                elif ftype in ("integer", "number"):
                    if (amount := checks.amount_with_unit(item)) is not None:
                        bad = ("amount-unit", {"suggestion": amount})
                    elif not item.isascii() and checks.ascii_suggestion(item).isascii():
                        bad = ("non-ascii-code", {"chars": "".join(checks.non_ascii(item)),
                                                  "suggestion": checks.ascii_suggestion(item)})
                    elif len(item) >= 16 or not item.isdigit():  # short digit strings are in range
                        if checks.number_out_of_range(item):
                            bad = ("number-range", {"limit": "10^15"})
                elif ("code" in xchecks or ftype == "date") and not item.isascii():
                    bad = ("non-ascii-code", {"chars": "".join(checks.non_ascii(item)),
                                              "suggestion": checks.ascii_suggestion(item)})
                elif "credit_code" in xchecks:
                    found = checks.credit_code_problem(item)
                    bad = found and (found[0], found[1])
                elif "http_url" in xchecks:
                    bad = checks.url_problem(item)
                if bad:
                    reported.add((index, name))
                    problems.append(Problem.make(record.path, record.line_of(name), name, bad[0], item, **bad[1]))
                    break
    return problems


def placeholder_hint(item: str, code: bool, title: str) -> dict:
    if code:
        return {"hint_zh": "这是 new 写入的占位代码：填写营业执照上的代码，不知道就留空",
                "hint_en": "new wrote this placeholder code: write the code from the business licence, or leave it empty"}
    offered = item.split("：", 1)[1] if "：" in item else ""
    if offered and offered != title and not offered.startswith("企业（单位）"):
        return {"hint_zh": f"确认后写实际内容（草稿给出的默认值是“{offered}”，没有人选过它）",
                "hint_en": f'write the real value (the draft offered "{offered}", which nobody chose)'}
    return {"hint_zh": "把“待填写…”替换为实际内容", "hint_en": "replace 待填写… with the real value"}


def check_real_data(dataset: Dataset) -> list[Problem]:
    """example: false means real data: no 示例 rows left, and every record carries its source."""
    if dataset.info.example or not dataset.info.is_list:
        return []
    needed = [f for f in dataset.fields if f.get("x-required-unless-example")]
    problems = []
    for record in dataset.records:
        for name, value in record.values.items():
            if any(isinstance(v, str) and "示例" in v for v in (value if isinstance(value, list) else [value])):
                problems.append(Problem.make(record.path, record.line_of(name), name, "example-in-real-data", value
                                             if not isinstance(value, list) else ";".join(value)))
                break
        for f in needed:
            if record.values.get(f["name"]) is None and f["name"] not in record.flagged:
                problems.append(Problem.make(record.path, record.line_of(f["name"]), f["name"], "source-required",
                                             title=f.get("title", f["name"]), title_en=f.get("x-label-en", f["name"])))
    return problems


def check_status_declaration(dataset: Dataset) -> list[Problem]:
    """display.status must sort every allowed stage value into exactly one of in_force / pending / withdrawn."""
    status = dataset.info.status
    if not status.field:  # none declared, or naming no field (load.meta_references reports that)
        return []
    line = dataset.meta_lines.get("display", 1)
    field = dataset.field(status.field)
    enum = [str(v) for v in (field.get("constraints") or {}).get("enum") or []]
    listed = [*status.in_force, *status.pending, *status.withdrawn]
    missing = [v for v in enum if v not in listed]
    extra = [v for v in listed if v not in enum]
    twice = sorted({v for v in listed if listed.count(v) > 1})
    parts = ([f"missing 缺少 {'、'.join(missing)}"] if missing else []) + ([f"unknown 多出 {'、'.join(extra)}"] if extra else []) \
        + ([f"twice 重复 {'、'.join(twice)}"] if twice else [])
    if not parts:
        return []
    return [Problem.make(dataset.meta_path, line, "display.status", "status-declaration", status_field=field["name"],
                         detail="; ".join(parts))]


# --- Frictionless -------------------------------------------------------------------------------

def frictionless_schema(dataset: Dataset) -> Schema:
    descriptor = {k: v for k, v in dataset.schema.items() if k not in ("primaryKey", "foreignKeys")}
    return Schema.from_descriptor(descriptor)


def check_schema(dataset: Dataset, reported: set) -> list[Problem]:
    """Types, required fields, patterns, enums and ranges, checked by the Frictionless validator."""
    if not dataset.records:
        return []
    names = dataset.field_names
    rows = [names] + [[record.values.get(name) for name in names] for record in dataset.records]
    try:
        schema = frictionless_schema(dataset)
    except Exception as exc:  # noqa: BLE001 - the table schema passed the loader's shape check but not Frictionless
        return [Problem.make(dataset.meta_path, dataset.meta_lines.get("schema", 1), "schema", "schema-invalid",
                             detail=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)]
    report = Resource(data=rows, schema=schema).validate(limit_errors=10**9)
    caps: dict[str, Capped] = {}

    def add(problem: Problem) -> None:
        caps.setdefault(problem.path, Capped(problem.path)).add(problem)

    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            if row is None or row < 2:
                continue
            index = row - 2
            record = dataset.records[index]
            name = getattr(error, "field_name", None)
            if error.type == "blank-row":
                name = names[0]
                add(_constraint_problem(dataset, record, name, None, "required"))
                continue
            if (index, name) in reported or name is None:
                continue
            reported.add((index, name))
            cell = record.values.get(name)
            shown = ";".join(cell) if isinstance(cell, list) else cell
            if error.type == "type-error":
                field = dataset.field(name)
                zh, en, hint_zh, hint_en = TYPE_WORDS.get(field["type"], TYPE_WORDS["string"])
                add(Problem.make(record.path, record.line_of(name), name, "type", shown, type_zh=zh,
                                             type_en=en, type_hint_zh=hint_zh, type_hint_en=hint_en))
            else:
                m = _CONSTRAINT.search(error.note or "")
                add(_constraint_problem(dataset, record, name, shown, m.group(1) if m else "", error.note))
    return [problem for cap in caps.values() for problem in cap.result()]


def _constraint_problem(dataset: Dataset, record: Record, name: str, value, constraint: str, note: str = "") -> Problem:
    field = dataset.field(name)
    line = record.line_of(name)
    constraints = field.get("constraints", {})
    example = field.get("example", "")
    if isinstance(example, list):
        example = ";".join(example)
    if constraint == "required" and record.lines and name not in record.lines:
        return Problem.make(record.path, line, name, "missing-field", None, name=name, title=field.get("title", name),
                            title_en=field.get("x-label-en", name), example=example)
    if constraint == "required":
        return Problem.make(record.path, line, name, "required", None, title=field.get("title", name),
                            title_en=field.get("x-label-en", name), example=example)
    if constraint == "pattern":
        return Problem.make(record.path, line, name, "pattern", value, example=example)
    if constraint == "enum":
        allowed = [str(v) for v in constraints["enum"]]
        zh, en, _ = suggest(str(value), allowed)
        return Problem.make(record.path, line, name, "enum", value, allowed="、".join(allowed), suggest_zh=zh, suggest_en=en)
    if constraint in ("minimum", "maximum", "minLength", "maxLength"):
        return Problem.make(record.path, line, name, constraint, value, limit=constraints[constraint])
    return Problem.make(record.path, line, name, "constraint", value, detail=note)


# --- ids and references -------------------------------------------------------------------------

def check_ids(dataset: Dataset) -> list[Problem]:
    if not dataset.schema.get("primaryKey"):
        return []
    key = dataset.key
    problems = []
    seen: dict[str, Record] = {}
    template, year_f = dataset.info.id_template, dataset.info.year
    id_year = template_regex(template.replace("{seq", "{_seq")) if template and "{year}" in template and year_f else None
    for record in dataset.records:
        value = record.values.get(key)
        if value is None:
            continue
        if value in seen:
            other = seen[value]
            problems.append(Problem.make(record.path, record.line_of(key), key, "duplicate-id", value,
                                         other=f"{other.path}:{other.line_of(key)}"))
        else:
            seen[value] = record
        year = record.values.get(year_f) if year_f else None
        if id_year and year:
            m = id_year.match(value)
            if m and m.group("year") != year:
                example = template.replace("{year}", str(year)).format(seq=1)
                problems.append(Problem.make(record.path, record.line_of(key), key, "id-year", value, year=year, example=example))
    return problems


def reference_index(catalog: Catalog, resource: str, field: str) -> tuple[set[str], dict[str, str]]:
    """Allowed values of a referenced field, and names/aliases -> id for friendly hints."""
    target = catalog.datasets.get(resource)
    if target is None:
        return set(), {}
    ids = {str(r.values.get(field)) for r in target.records if r.values.get(field) is not None}
    names: dict[str, str] = {}
    for r in target.records:
        for alias_field in ("name", "aliases", "name_en"):
            alias = r.values.get(alias_field)
            for a in (alias if isinstance(alias, list) else [alias]):
                if a:
                    names[a] = str(r.values.get(field))
    return ids, names


def reference_hint(catalog: Catalog, resource: str, item: str, title: str) -> tuple[str, str]:
    """A hint for a value not found in `resource`: the id its spelling resolves to, what it is if it is a tier and list
    kind (省内首台（套） is a recognition, not an award type), or the closest entry."""
    rid, _how = vocab.resolve(catalog, resource, item)
    if rid is not None:
        return f"这里要写编号“{rid}”；", f'write the id "{rid}"; '
    kinds = catalog.role_name("list-kinds")
    if resource != kinds:
        tier, kind = vocab.tier_and_kind(catalog, item)
        if kind is not None:
            shown = "".join(x for x in (tier, vocab.label(catalog, kinds, kind)) if x)
            recognitions = next((d.name for d in catalog.lists() if kinds and d.info.refs(kinds)), "")
            return (f"“{item}”是认定名单的档次和类别（{shown}），不是{title}，请记入 {recognitions}；",
                    f'"{item}" is a recognition tier and list kind ({shown}), not a value of {resource}: record it in {recognitions}; ')
    target = catalog.datasets.get(resource)
    key = target.key if target else "id"
    hint_zh, hint_en, _ = suggest(item, [str(r.values[key]) for r in target.records if r.values.get(key)] if target else [])
    if hint_zh:
        return hint_zh, hint_en
    near = vocab.closest(catalog, resource, item)
    if near is None:
        return "", ""
    name = vocab.label(catalog, resource, near)
    shown = f"{name}（编号 {near}）" if name != near else near
    shown_en = f"{name} (id {near})" if name != near else near
    return f"最接近的是“{shown}”；", f'the closest is "{shown_en}"; '


def check_references(dataset: Dataset, catalog: Catalog, reported: set = frozenset()) -> list[Problem]:
    problems = []
    for fk in dataset.schema.get("foreignKeys", []):
        name = fk["fields"][0]
        resource, target_field = fk["reference"]["resource"], fk["reference"]["fields"][0]
        target = catalog.datasets.get(resource)
        if target is None or target.incomplete:
            continue  # the target could not be read in full (its own errors are reported): don't guess
        ids, names = reference_index(catalog, resource, target_field)
        title = target.info.title
        where = target.files[0] if target and target.files else resource
        for index, record in enumerate(dataset.records):
            value = record.values.get(name)
            if value is None or (index, name) in reported:
                continue
            for item in value if isinstance(value, list) else [value]:
                if item in ids:
                    continue
                folded = checks.ascii_suggestion(item)
                if item in names:
                    hint_zh = f"这里要写编号“{names[item]}”而不是名称；"
                    hint_en = f'write the id "{names[item]}" rather than the name; '
                elif folded in ids:
                    hint_zh = f"含有全角字符，应为半角“{folded}”；"
                    hint_en = f'contains full-width characters, write "{folded}"; '
                else:
                    hint_zh, hint_en = reference_hint(catalog, resource, item, title)
                problems.append(Problem.make(record.path, record.line_of(name), name, "unknown-reference", item,
                                             target_zh=f"“{title}”", target=resource, target_path=where,
                                             suggest_zh=hint_zh, suggest_en=hint_en))
    return problems


# --- rules named in dataset.yaml -----------------------------------------------------------------

def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value.isascii() else None
    except ValueError:
        return None


def _list(value) -> list:
    return value if isinstance(value, list) else []


def rule_date_order(dataset: Dataset, catalog: Catalog, rule: dict) -> list[Problem]:
    start_f, end_f = rule.get("start"), rule.get("end")
    if not isinstance(start_f, str) or not isinstance(end_f, str) or not dataset.field(start_f) or not dataset.field(end_f):
        return []  # reported as a metadata error
    titles = {f["name"]: f.get("title", f["name"]) for f in dataset.fields}
    problems = []
    for record in dataset.records:
        start, end = _date(record.values.get(start_f)), _date(record.values.get(end_f))
        if start and end and end < start:
            problems.append(Problem.make(record.path, record.line_of(end_f), end_f, "date-order", record.values[end_f],
                                         start=record.values[start_f], end_title=titles[end_f],
                                         start_title=titles[start_f], end=end_f, start_field=start_f))
    return problems


# the registry columns each award rule needs, and how to read them
POLICY_NUMBERS = {"fixed": ("amount_yuan",), "cap": ("cap_yuan",), "premium": ("premium_ratio_max", "company_year_cap_yuan")}


def _ratio(value) -> Fraction | None:
    try:
        ratio = Fraction(value) if isinstance(value, str) and value.isascii() and value.strip() == value else None
    except (ValueError, ZeroDivisionError):
        return None
    return ratio if ratio is not None and 0 <= ratio <= 1 else None


def award_types(catalog: Catalog) -> tuple[dict[str, dict], list[Problem]]:
    """Award types whose rule has every number it needs (parsed), and a problem for each number that is missing
    or unreadable (the schema cannot require a column only for some rules)."""
    registry = catalog.role("award-types")
    if registry is None or registry.incomplete:
        return {}, []  # the registry could not be read in full: its own errors are reported
    types, problems = {}, []
    for record in registry.records:
        v = record.values
        needs = POLICY_NUMBERS.get(v.get("rule"))
        if not v.get("id") or needs is None:
            continue
        parsed = {name: (_ratio if name == "premium_ratio_max" else _int)(v.get(name)) for name in needs}
        for name, number in parsed.items():
            if number is None:
                problems.append(Problem.make(record.path, record.line_of(name), name, "award-type-number", v.get(name),
                                             rule=v["rule"]))
        if None not in parsed.values():
            types[v["id"]] = {**v, **parsed}
    return types, problems


def rule_award_policy(dataset: Dataset, catalog: Catalog, rule: dict) -> list[Problem]:
    """Measure 16 fixed amounts and caps; measure 18 premium subsidy ≤90% of the premium, ≤10万/company/year."""
    types, problems = award_types(catalog)
    per_company: dict[tuple, list[tuple[Record, int]]] = defaultdict(list)
    company_field, code_field = dataset.info.company_name, dataset.info.company_code
    live = set(map(id, stages.not_withdrawn(dataset, dataset.records)))
    for record in dataset.records:
        v = record.values
        kind = types.get(v.get("award_type"))
        amount = _int(v.get("amount_yuan"))
        premium = _int(v.get("premium_yuan"))
        if kind is None or amount is None:
            continue
        line = record.line_of("amount_yuan")
        basis = kind.get("basis", "")
        if kind["rule"] != "premium" and v.get("premium_yuan") is not None:
            problems.append(Problem.make(record.path, record.line_of("premium_yuan"), "premium_yuan", "premium-only",
                                         v["premium_yuan"]))
        if kind["rule"] == "fixed" and amount != kind["amount_yuan"]:
            problems.append(Problem.make(record.path, line, "amount_yuan", "award-fixed", amount,
                                         award_type=v["award_type"], amount=kind["amount_yuan"], basis=basis))
        elif kind["rule"] == "cap" and amount > kind["cap_yuan"]:
            problems.append(Problem.make(record.path, line, "amount_yuan", "award-cap", amount,
                                         award_type=v["award_type"], cap=kind["cap_yuan"], basis=basis))
        elif kind["rule"] == "premium":
            if premium is None:
                if v.get("premium_yuan") is None:
                    problems.append(Problem.make(record.path, record.line_of("premium_yuan"), "premium_yuan", "premium-missing"))
                continue
            ratio = kind["premium_ratio_max"]
            allowed = int(premium * ratio)
            if amount > premium * ratio:
                problems.append(Problem.make(record.path, line, "amount_yuan", "premium-ratio", amount, amount=amount,
                                             premium=premium, ratio=int(ratio * 100), allowed=allowed))
            if id(record) in live:
                name = v.get(company_field) if company_field else None
                who = rules.company_key(catalog, name) if name else v.get(code_field) if code_field else None
                per_company[(who, dataset.info.year_of(v), v["award_type"])].append((record, amount))
    for (code, year, kind_id), rows in per_company.items():
        cap = types[kind_id]["company_year_cap_yuan"]
        total = sum(amount for _record, amount in rows)
        if total > cap:
            record = rows[-1][0]
            problems.append(Problem.make(record.path, record.line_of("amount_yuan"), "amount_yuan", "premium-company-year",
                                         total, year=year, total=total, cap=cap,
                                         rows=", ".join(f"{r.path}:{r.line}" for r, _a in rows)))
    return problems


RULES = {"date_order": rule_date_order, "award_policy": rule_award_policy}
RULES.update(rules.RULES)


def check_assertions(dataset: Dataset) -> list[Problem]:
    assertions = dataset.info.assertions  # ill-typed values are a metadata error already
    count = len(dataset.records)
    if "min" in assertions and count < assertions["min"]:
        return [Problem.make(dataset.meta_path, dataset.meta_lines.get("assertions", 1), "assertions.min", "too-few-rows", count=count, min=assertions["min"])]
    if "max" in assertions and count > assertions["max"]:
        return [Problem.make(dataset.meta_path, dataset.meta_lines.get("assertions", 1), "assertions.max", "too-many-rows", severity="warning", count=count,
                             max=assertions["max"])]
    return []


def check_companies(catalog: Catalog) -> list[Problem]:
    """Company names resolve through the companies registry (a name not there is a review flag naming the closest
    entry); a credit code must agree with the registry's; a code registered in another Jiaxing district, or one code
    under two names, is a review flag."""
    official = {k for k, v in catalog.rows("districts").items() if v.get("official") == "true"}
    registry = catalog.role("companies")
    reg_name, reg_code = (registry.info.company_name, registry.info.company_code) if registry else (None, None)
    codes = {str(r.values.get(reg_name)): r.values.get(reg_code) for r in registry.records} if reg_name and reg_code \
        else {}
    problems = []
    names: dict[str, tuple[str, str]] = {}
    for dataset in catalog.lists():
        name_f, code_f = dataset.info.company_name, dataset.info.company_code
        if not name_f:
            continue
        for record in dataset.records:
            name = record.values.get(name_f)
            code = record.values.get(code_f) if code_f else None
            if registry is not None and name and name_f not in record.flagged and not checks.is_placeholder(name):
                problems += _registry_problems(catalog, record, name_f, code_f, name, code, codes)
            if not code or not name or checks.credit_code_problem(code) or checks.is_placeholder(code):
                continue
            district = record.values.get(dataset.info.district) if dataset.info.district else None
            division = code[2:8]
            if district in official and division.startswith("3304") and division not in (district, "330400") \
                    and district.startswith("3304"):
                problems.append(Problem.make(record.path, record.line_of(code_f), code_f, "credit-code-district", code,
                                             severity="warning", division=division, district=district))
            where = f"{record.path}:{record.line_of(name_f)}"
            if code not in names:
                names[code] = (name, where)
            elif names[code][0] != name and vocab.resolve(catalog, catalog.role_name("companies"), name)[0] != \
                    vocab.resolve(catalog, catalog.role_name("companies"), names[code][0])[0]:
                problems.append(Problem.make(record.path, record.line_of(name_f), name_f, "company-name-mismatch", name,
                                             severity="warning", other_name=names[code][0], other=names[code][1]))
    return problems


def _registry_problems(catalog, record, name_f, code_f, name, code, codes) -> list[Problem]:
    table = catalog.role_name("companies")
    registered, _how = vocab.resolve(catalog, table, name)
    if registered is None:
        near = vocab.closest(catalog, table, name)
        zh, en = (f"最接近的是“{near}”；", f'the closest is "{near}"; ') if near else ("", "")
        return [Problem.make(record.path, record.line_of(name_f), name_f, "company-unregistered", name, severity="warning",
                             suggest_zh=zh, suggest_en=en)]
    known = codes.get(registered)
    if code and known and code != known and code_f not in record.flagged and not checks.is_placeholder(code) \
            and not checks.credit_code_problem(code):
        return [Problem.make(record.path, record.line_of(code_f), code_f, "company-code-mismatch", code, name=registered,
                             registered=known)]
    return []


# --- CLI ----------------------------------------------------------------------------------------

HELP = "校验数据 / validate the data tree (exit 1 on any error)"
DESCRIPTION = """校验数据目录中的全部数据集，一次列出全部问题，每行一个：
  文件:行号: 字段: 中文说明（修改提示） | English message (fix hint)
Validate every dataset and list every problem in one run. Exit 0 when valid, 1 otherwise."""


def add_arguments(parser) -> None:
    parser.add_argument("data_dir", nargs="?", default=str(DATA), help="数据目录 / data directory (default: data/)")
    parser.add_argument("--schemas", default=str(SCHEMAS), help="表结构目录 / schema directory (default: schemas/)")
    parser.add_argument("--only", action="append", metavar="DATASET",
                        help="只报告这些数据集的问题（仍加载全部以检查引用）/ report problems of these datasets only (repeatable)")
    parser.add_argument("--releases", default=str(RELEASES), help="发布记录目录 / release records (default: releases/)")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度 / no progress lines")


def main(args) -> int:
    return run(Path(args.data_dir), Path(args.schemas), set(args.only or []), args.quiet, releases_dir=Path(args.releases))


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def run(data_dir: Path, schemas_dir: Path = SCHEMAS, only: set[str] | None = None, quiet: bool = False,
        out=sys.stdout, err=sys.stderr, releases_dir: Path = RELEASES) -> int:
    started = time.perf_counter()
    catalog, problems = load_catalog(Path(data_dir), Path(schemas_dir))

    def progress(dataset):
        if not quiet:
            print(f"校验 / checking {dataset.name}（{len(dataset.records):,} 条 / records）…", file=err, flush=True)

    problems += validate_catalog(catalog, progress)
    if only:
        keep = {d.meta_path.rsplit("/", 1)[0] for d in catalog.datasets.values() if d.name in only}
        problems = [p for p in problems if any(p.path.startswith(k + "/") or p.path == k for k in keep)]
    problems += index_problems(releases_dir)  # what the build checks, validate checks too
    problems = cap_problems(problems)
    errors = sum(count_of(p) for p in problems if p.severity == "error")
    warnings = sum(count_of(p) for p in problems) - errors
    for problem in problems:
        print(problem.format(), file=out)
    records = sum(len(d.records) for d in catalog.datasets.values())
    seconds = time.perf_counter() - started
    if errors:
        files = len({p.path for p in problems if p.severity == "error"})
        print(f"✗ 校验未通过：{errors} 个错误，涉及 {files} 个文件；{warnings} 个提示（{seconds:.1f} 秒）"
              f" | invalid: {_n(errors, 'error')} in {_n(files, 'file')}, {_n(warnings, 'warning')} ({seconds:.1f} s)", file=out)
        return 1
    print(f"✓ 校验通过：{len(catalog.datasets)} 个数据集，{records:,} 条记录，{warnings} 个提示（{seconds:.1f} 秒）"
          f" | valid: {_n(len(catalog.datasets), 'dataset')}, {_n(records, 'record')}, {_n(warnings, 'warning')} ({seconds:.1f} s)", file=out)
    return 0
