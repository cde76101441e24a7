"""Validate, per record: hazards in the raw cell text, real-data and status declarations, and the table schema's
types, required fields, patterns, enums and ranges, checked by the real Frictionless validator."""

from __future__ import annotations

import functools
import re
from typing import Any, Callable

from frictionless import Resource, Schema

from ..load.readers import suggest
from ..messages import TYPE_WORDS
from ..model import checks, names, textrules
from ..model.catalog import Capped, Dataset, Problem, Record
from ..model.checks import XLSX_CELL_LIMIT

_CONSTRAINT = re.compile(r'constraint "(\w+)"')


# A column whose joined text passes these C-speed searches cannot fail any check of check_cells before the credit
# code and address checks (one item per line; an item holding a line break may only make the screen fail, and then
# every item is checked one by one, which decides)
_FORMULA_LINE = re.compile("^[" + re.escape("".join(textrules.FORMULA_START)) + "]", re.M)
_EDGE_SPACE = re.compile(r"^\s|\s$", re.M)
_ZERO_CODE_LINE = re.compile(checks.PLACEHOLDER_CODE.pattern, re.M)
_PLAIN_NUMBERS = re.compile(r"[0-9]{1,15}(?:\n[0-9]{1,15})*")


def screen_column(values: list[Any], ftype: str, xchecks: set[str]) -> bool:
    """True when no value of a column can fail check_cells' cell-length, character, formula, placeholder, space,
    number and code checks (the same rules, tested on the whole column at once)."""
    if any(isinstance(v, list) for v in values):
        if max(sum(map(len, v)) + len(v) - 1 if isinstance(v, list) else len(v) for v in values) > XLSX_CELL_LIMIT:
            return False
        values = [item for v in values for item in (v if isinstance(v, list) else (v,))]
    elif values and max(map(len, values)) > XLSX_CELL_LIMIT:
        return False
    joined = "\n".join(values)
    if textrules.INVISIBLE.search(joined) or checks.PLACEHOLDER in joined or _ZERO_CODE_LINE.search(joined):
        return False
    if ftype in ("integer", "number"):
        return bool(_PLAIN_NUMBERS.fullmatch(joined))
    if ("code" in xchecks or ftype == "date") and not joined.isascii():
        return False
    return ftype not in ("string", "list") or not (_FORMULA_LINE.search(joined) or _EDGE_SPACE.search(joined)
                                                   or textrules.ODD_SPACE.search(joined))


def check_cells(dataset: Dataset, reported: set[tuple[int, str]]) -> list[Problem]:
    """Hazards in the raw text: invisible characters, formula starts, non-ASCII codes, units in amounts."""
    problems: list[Problem] = []
    specs = [(f["name"], f["type"], set(f.get("x-checks", []))) for f in dataset.fields]
    invisible, formula = textrules.INVISIBLE.search, textrules.FORMULA_START
    marker, zero_code, odd_space = checks.PLACEHOLDER, checks.PLACEHOLDER_CODE.match, textrules.ODD_SPACE.search
    titles = {f["name"]: f.get("title", f["name"]) for f in dataset.fields}
    # the columns that passed the screen, each with the one check left for its items (None: nothing left); a check
    # remembers its answers, as a column repeats its companies' codes and addresses many times
    screened: dict[str, Callable[[str], Any] | None] = {}
    for name, ftype, xchecks in specs:
        column = [v for r in dataset.records if (v := r.values.get(name)) is not None]
        if not screen_column(column, ftype, xchecks):
            continue
        screened[name] = None
        if ftype not in ("integer", "number"):  # the number checks come first in the chain below and end it
            if "credit_code" in xchecks:
                screened[name] = functools.cache(checks.credit_code_problem)
            elif "http_url" in xchecks:
                screened[name] = functools.cache(checks.url_problem)
    for index, record in enumerate(dataset.records):
        values = record.values
        for name, ftype, xchecks in specs:
            value = values.get(name)
            if value is None:
                continue
            if name in screened:
                rest = screened[name]
                if rest is None:
                    continue  # the column passed the screen with nothing left to check
                for item in value if isinstance(value, list) else (value,):
                    found = rest(item)
                    if found:
                        _flag(problems, reported, index, record, name, item, found)
                        break
                continue
            items = value if isinstance(value, list) else (value,)
            if sum(map(len, items)) + len(items) - 1 > XLSX_CELL_LIMIT:  # what a spreadsheet cell can hold
                reported.add((index, name))
                problems.append(Problem.make(record.path, record.line_of(name), name, "cell-too-long",
                                             f"{items[0][:40]}…", length=sum(map(len, items)) + len(items) - 1,
                                             limit=XLSX_CELL_LIMIT))
                continue
            for item in items:
                bad: tuple[str, dict[str, Any]] | None = None
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
                    _flag(problems, reported, index, record, name, item, bad)
                    break
    return problems


def _flag(problems: list[Problem], reported: set[tuple[int, str]], index: int, record: Record, name: str, item: str,
          found: tuple[str, dict[str, Any]]) -> None:
    """Report a cell's first problem (found = (message code, params)); the later checks skip that cell."""
    reported.add((index, name))
    problems.append(Problem.make(record.path, record.line_of(name), name, found[0], item, **found[1]))


def name_fields(dataset: Dataset) -> list[str]:
    """The text fields that name an entity: the title, the company name, the search fields and a registry's `name`
    and `aliases` (codes, links and references to other tables excepted: their own checks are stricter)."""
    info = dataset.info
    wanted = {info.title_field, info.company_name, *info.search_fields, "name", "aliases", "name_en"}
    return [f["name"] for f in dataset.fields if f["name"] in wanted and f["type"] in ("string", "list")
            and not f.get("x-checks") and f["name"] not in info.foreign]


def check_names(dataset: Dataset, reported: set[tuple[int, str]]) -> list[Problem]:
    """Names hold no stray combining mark and no radical or compatibility ideograph (scripts/model/names.py)."""
    problems: list[Problem] = []
    for name in name_fields(dataset):
        for index, record in enumerate(dataset.records):
            value = record.values.get(name)
            if value is None or (index, name) in reported:
                continue
            for item in value if isinstance(value, list) else (value,):
                found = names.name_problem(item)
                if found:
                    _flag(problems, reported, index, record, name, item, found)
                    break
    return problems


def placeholder_hint(item: str, code: bool, title: str) -> dict[str, str]:
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
    field = dataset.field_spec(status.field)
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


class _Rows(list[list[Any]]):
    """The rows handed to Frictionless: its report's resource descriptor deep-copies inline data (a quarter of the
    validator's time at 10x); these rows are not changed by anyone, so the "copy" is the list itself."""

    def __deepcopy__(self, memo: object) -> "_Rows":
        return self


def check_schema(dataset: Dataset, reported: set[tuple[int, str]]) -> list[Problem]:
    """Types, required fields, patterns, enums and ranges, checked by the Frictionless validator."""
    if not dataset.records:
        return []
    names = dataset.field_names
    rows = _Rows([names] + [[record.values.get(name) for name in names] for record in dataset.records])
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
                field = dataset.field_spec(name)
                zh, en, hint_zh, hint_en = TYPE_WORDS.get(field["type"], TYPE_WORDS["string"])
                add(Problem.make(record.path, record.line_of(name), name, "type", shown, type_zh=zh,
                                             type_en=en, type_hint_zh=hint_zh, type_hint_en=hint_en))
            else:
                m = _CONSTRAINT.search(error.note or "")
                add(_constraint_problem(dataset, record, name, shown, m.group(1) if m else "", error.note))
    return [problem for cap in caps.values() for problem in cap.result()]


def _constraint_problem(dataset: Dataset, record: Record, name: str, value: object, constraint: str, note: str = "") -> Problem:
    field = dataset.field_spec(name)
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
