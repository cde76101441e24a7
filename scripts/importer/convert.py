"""Rows of cleaned text → record values of the target dataset: values normalised by the schema, names resolved
through the registries (companies, districts, list kinds …), list-level values (year, stage, list title, 文号,
source) filled in. Everything that was interpreted or guessed is written down in Notes for the review report.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ..model.catalog import Catalog, Dataset
from ..model.vocab import normalise, resolve
from . import money, places
from .header import Row, Skipped, contained_entry
from .titles import pick_title
from .values import BATCH, ascii_code, chinese_number, enum_value, guess_from_title

SUBLISTS = ("非认定奖励类", "认定奖励类", "清单引导标准认定名单", "培育库")  # longest first: 非认定奖励类 contains 认定奖励类
_DATE = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")
_PLACE = re.compile(r"(省|市|县|区|州|盟|旗)$")


@dataclass
class Notes:
    interpreted: Counter = field(default_factory=Counter)  # (field, printed, written) → rows
    guessed: list[tuple[int | None, str, str, str, str]] = field(default_factory=list)  # line, field, value, zh, en
    filled: Counter = field(default_factory=Counter)  # field → rows filled from the companies registry
    missing_companies: dict[str, dict] = field(default_factory=dict)  # name as printed → {district, city, lines}
    resolved_companies: Counter = field(default_factory=Counter)  # how → count
    refused: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, field, printed, the near entry
    near_companies: dict[str, tuple[str, list[int]]] = field(default_factory=dict)  # printed → (registry name, lines)
    near_in_list: list[tuple[int, str, str, int]] = field(default_factory=list)  # line, printed, earlier spelling, its line
    converted: dict[tuple[str, str, str], list] = field(default_factory=dict)  # (field, from, to) → [rows, example]
    money_problems: list[tuple[int, str, str, str, str | None]] = field(default_factory=list)  # line, field, raw, code, unit


def status_field(dataset: Dataset) -> str | None:
    return dataset.info.status.field


def company_fields(dataset: Dataset) -> tuple[str | None, str | None]:
    return dataset.info.company_name, dataset.info.company_code


def references(dataset: Dataset) -> dict[str, str]:
    return dict(dataset.info.foreign)


def list_constants(dataset: Dataset, catalog: Catalog, given: dict[str, str | None], titles: list[str],
                   notes: Notes) -> dict[str, str]:
    """Values that hold for the whole list: given on the command line / in the sidecar, else read from the
    title rows (reported as guesses). Keys are the CLI's words (stage, list_kind, …); returns field → value."""
    out: dict[str, str] = {}
    stage_field = status_field(dataset)
    targets = {"stage": stage_field, "list_kind": "list_kind", "list_title": "list_title", "doc_no": "doc_no",
               "source_url": "source_url", "batch": "batch", "published_on": "published_on"}
    for key, value in given.items():
        name = targets.get(key, key)
        if value is not None and name in dataset.field_names:
            out[name] = str(value)
    title = " ".join(titles)
    stages = [str(v) for v in (dataset.field(stage_field) or {}).get("constraints", {}).get("enum", [])] if stage_field else []
    guesses = guess_from_title(title, stages) if title else {}
    if titles and "list_title" in dataset.field_names:
        guesses["list_title"] = pick_title(titles)
    refs = references(dataset)
    for f in dataset.fields:  # a list-level registry value named in the title: 首台（套）装备, 首批次新材料 …
        if title and f.get("x-import-group") and f["name"] in refs and f["name"] not in out:
            if found := contained_entry(catalog, refs[f["name"]], title):
                guesses[f["name"]] = found
    if title and "sublist" in dataset.field_names and (sub := next((s for s in SUBLISTS if s in title), None)):
        guesses["sublist"] = sub
    why = {"stage": ("标题中写明", "named in the title row"), "sublist": ("标题中写明", "named in the title row"), "doc_no": ("标题中的文号", "document number in the title"),
           "batch": ("标题中的“第…批”", "第…批 in the title"), "list_title": ("表头上方的标题行", "the title row above the header")}
    for key, value in guesses.items():
        name = targets.get(key, key)
        if name and name in dataset.field_names and name not in out:
            out[name] = value
            notes.guessed.append((None, name, value, *why.get(key, ("标题中写明", "named in the title row"))))
    for name, value in list(out.items()):
        if name in refs:
            found, how = resolve(catalog, refs[name], value)
            if found and found != value:
                notes.interpreted[(name, value, found)] += 1
            out[name] = found or value
    return out


def convert_rows(rows: list[Row], dataset: Dataset, catalog: Catalog, constants: dict[str, str],
                 notes: Notes, only_home: bool = False, units: dict[str, str | None] | None = None,
                 columns: set[str] | None = None) -> tuple[list[tuple[int, dict]], list[Skipped]]:
    """(source line, record values) per data row; rows that belong to another year are skipped, and with
    `only_home` the rows located outside the home city (嘉兴市) of a province-wide list. `columns`: the fields the
    attachment has a column for (None: every field), the others are filled from the companies registry."""
    out, skipped = [], []
    company, code = company_fields(dataset)
    refs = references(dataset)
    year_f = dataset.info.year
    year = constants.get(year_f) if year_f else None
    for row in rows:
        values: dict = {}
        for f in dataset.fields:
            name = f["name"]
            raw = row.values.get(name)
            if raw is None:
                raw = row.groups.get(name)
            if raw is None:
                raw = constants.get(name)
            if raw is None:
                continue
            if name in dataset.info.amounts:
                values[name] = money_value(raw, f, (units or {}).get(name), notes, row.line)
                continue
            values[name] = normalise_value(raw, f, refs.get(name), catalog, notes, row.line)
        if year and values.get(year_f) not in (None, year):
            skipped.append(Skipped(row.line, f"属于另一个年度，而导入的是 {year} 年度",  # the cell's year as data
                                   f"belongs to another year, the import is for {year}", f"年度 / year {values[year_f]}"))
            continue
        if only_home and not located_in_home(values, dataset, catalog):
            where = values.get(dataset.info.district or "") or "（未写 / none）"
            skipped.append(Skipped(row.line, f"不在嘉兴市（{where}），按 --only-jiaxing 跳过",
                                   f"not located in Jiaxing ({where}): skipped by --only-jiaxing"))
            continue
        if company and values.get(company):
            resolve_company(values, company, code, dataset, catalog, notes, row.line, columns)
        values = {k: (None if isinstance(v, OutsidePlace) else v) for k, v in values.items()}
        out.append((row.line, values))
    return out, skipped


def normalise_value(raw: str, f: dict, table: str | None, catalog: Catalog, notes: Notes, line: int):
    name, kind = f["name"], f.get("type", "string")
    constraints = f.get("constraints") or {}
    if kind == "list":
        delimiter = f.get("delimiter", ",")
        wide = unicodedata.normalize("NFKC", delimiter)  # ; and its full-width twin ；
        parts = raw if isinstance(raw, list) else re.split(f"[{re.escape(delimiter)}{'；' if wide == ';' else ''}]", raw)
        items = [normalise_value(p.strip(), {**f, "type": "string"}, table, catalog, notes, line) for p in parts if p.strip()]
        return items or None
    value = raw
    if kind in ("integer", "number") or "code" in (f.get("x-checks") or []):
        value = ascii_code(raw) if kind not in ("integer", "number") else ascii_code(raw).lower()
        if kind == "integer" and (m := BATCH.fullmatch(raw.strip())) and chinese_number(m.group(1)):
            value = str(chinese_number(m.group(1)))  # 第三批 → 3
            notes.interpreted[(name, raw, value)] += 1
    elif kind == "date" and (m := _DATE.match(raw)):
        value = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    if constraints.get("enum"):
        allowed = [str(v) for v in constraints["enum"]]
        found = enum_value(value, allowed)
        if found is not None and found != value:
            notes.interpreted[(name, value, found)] += 1
        return found if found is not None else value
    if table and table == catalog.role_name("districts"):
        return district_value(value, name, table, catalog, notes, line)
    if table and table != catalog.role_name("companies"):
        found, _how = resolve(catalog, table, value)
        if found is None and (inside := contained_entry(catalog, table, value)):
            found = inside
            notes.guessed.append((line, name, f"{value} → {inside}", "名称中包含登记的名称", "contains a registered name"))
        elif found is not None and found != value:
            notes.interpreted[(name, value, found)] += 1
        return found if found is not None else value
    return value


def money_value(raw: str, f: dict, unit: str | None, notes: Notes, line: int) -> str | None:
    """An amount in the field's unit (exact), or None with the problem noted (unknown unit, not whole, not a number)."""
    target = money.field_unit(f)
    value, used, problem = money.convert(raw, unit, target)
    if problem:
        notes.money_problems.append((line, f["name"], raw, problem, used))
        return None
    assert value is not None  # convert gives a value or a problem
    if used and used != target:
        entry = notes.converted.setdefault((f["name"], used, target), [0, raw, money.shown(value, target)])
        entry[0] += 1
    return value


def district_value(value: str, name: str, table: str, catalog: Catalog, notes: Notes, line: int):
    """A printed place: its exact entry; a city outside the home city; refused when only near a home-city entry
    (never guessed into 嘉兴: see places.py); kept as printed (outside) when it reads like a place."""
    found, _how = resolve(catalog, table, value)
    if found is not None:
        if found != value:
            notes.interpreted[(name, value, found)] += 1
        return found
    where = places.place(catalog, table, value)
    if where and where.code:
        notes.interpreted[(name, value, f"{where.code}（{where.city}，嘉兴以外 / outside Jiaxing）")] += 1
        return where.code
    if where and where.near:
        notes.refused.append((line, name, value, where.near))
        return None
    if _PLACE.search(value) and "嘉兴" not in value:
        notes.interpreted[(name, value, "（空：嘉兴以外 / empty: outside Jiaxing）")] += 1
        return OutsidePlace(value)
    return value


def located_in_home(values: dict, dataset: Dataset, catalog: Catalog) -> bool:
    """The row's place (its district, else its registered company's) is the home city or under it."""
    table, district = catalog.role_name("districts"), dataset.info.district
    if district and values.get(district) and not isinstance(values[district], OutsidePlace):
        return places.in_home(catalog, table, values[district])
    registry, company = catalog.role("companies"), dataset.info.company_name
    if registry is None or not company or not values.get(company):
        return False
    found, _how = resolve(catalog, registry.name, values[company])
    record = next((r for r in registry.records if r.values.get(registry.info.company_name or "") == found), None)
    return record is not None and places.in_home(catalog, table, record.values.get(registry.info.district or ""))


_COMPANY_WORDS = re.compile(r"^(浙江省?|嘉兴市?)|(股份有限公司|有限责任公司|有限公司|集团|股份|公司)$")


def company_core(name: str) -> str:
    """A company name without its province/city prefix and legal-form suffix: 浙江晶科能源有限公司 → 晶科能源."""
    core, previous = normalise(name), None
    while core != previous:
        previous, core = core, _COMPANY_WORDS.sub("", core)
    return core


def near_company(catalog: Catalog, registry: Dataset, printed: str) -> str | None:
    """The registered company a short or partial name most likely means (same core name, or one core containing the
    other with at least four characters); None when no entry or several entries fit."""
    if len(company_core(printed)) < 2:
        return None
    name_f = registry.info.company_name
    hits = [name for record in registry.records
            if near_names(name := str(record.values.get(name_f or "") or ""), printed)]
    return hits[0] if len(hits) == 1 else None


def near_names(a: str, b: str) -> bool:
    """Two company names that most likely name one company: the same core name, or one core containing the other
    with at least four characters (浙江示例晶能 / 示例晶能科技有限公司)."""
    x, y = company_core(a), company_core(b)
    return bool(x and y) and (x == y or (min(len(x), len(y)) >= 4 and (x in y or y in x)))


class OutsidePlace(str):
    """A printed place outside the district registry: not written to the record, kept for the companies list."""


def resolve_company(values: dict, company: str, code: str | None, dataset: Dataset, catalog: Catalog,
                    notes: Notes, line: int, columns: set[str] | None = None) -> None:
    printed = values[company]
    district = dataset.info.district
    outside = values.get(district) if district and isinstance(values.get(district), OutsidePlace) else None
    if outside is not None:
        values[district] = None
    registry = catalog.role("companies")
    if registry is None:
        return
    found, how = resolve(catalog, registry.name, printed)
    if found is None:
        same = next((name for name in notes.missing_companies if normalise(name) == normalise(printed)), None)
        if same is not None and same != printed:  # （嘉兴） and (嘉兴) in one list: one company, the first spelling
            notes.interpreted[(company, printed, same)] += 1
            values[company] = printed = same
        near = near_company(catalog, registry, printed)
        if near is not None:  # 晶科能源 for 浙江晶科能源有限公司: never a second registry row for the same company
            notes.near_companies.setdefault(printed, (near, []))[1].append(line)
            return
        twin = next((name for name in notes.missing_companies if name != printed and near_names(name, printed)), None)
        if twin is not None:  # 示例晶能科技 and 浙江示例晶能科技有限公司 in one list: one company or two? a person says
            notes.near_in_list.append((line, printed, twin, notes.missing_companies[twin]["lines"][0]))
            return
        entry = notes.missing_companies.setdefault(printed, {"district": None, "city": None, "province": None,
                                                             "code": None, "lines": []})
        entry["lines"].append(line)
        entry["district"] = entry["district"] or (values.get(district) if district else None)
        if not entry["city"]:  # as the shipped rows: 嘉兴市 and 浙江省 for a Jiaxing district, 丽水市 and 浙江省 for 331100
            entry["city"], entry["province"] = ((str(outside), None) if outside else places.city_and_province(
                catalog, catalog.role_name("districts"), entry["district"]))
        entry["code"] = entry["code"] or (values.get(code) if code else None)
        return
    notes.resolved_companies[how] += 1
    if found != printed:
        notes.interpreted[(company, printed, found)] += 1
        values[company] = found
    reg = registry.info
    record = next((r for r in registry.records if r.values.get(reg.company_name or "") == found), None)
    if record is None:
        return
    for target, source in ((code, reg.company_code), (district, reg.district)):
        # a list records the row as printed; the registry holds the identity. A cell is filled when it is required,
        # or when the attachment has no column for it (award lists print no 地区): a column printed empty stays empty
        f = dataset.field(target) if target else None
        wanted = f is not None and ((f.get("constraints") or {}).get("required") or
                                    (columns is not None and target not in columns))
        if wanted and target and source and not values.get(target) and record.values.get(source):
            values[target] = record.values[source]
            notes.filled[target] += 1
