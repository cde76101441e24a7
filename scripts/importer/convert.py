"""Rows of cleaned text → record values of the target dataset: values normalised by the schema, names resolved
through the registries (companies, districts, list kinds …), list-level values (year, stage, list title, 文号,
source) filled in. Everything that was interpreted or guessed is written down in Notes for the review report.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ..model import Catalog, Dataset
from ..vocab import resolve
from .header import Row, Skipped, contained_entry
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


def status_field(dataset: Dataset) -> str | None:
    return dataset.info.status.field


def company_fields(dataset: Dataset) -> tuple[str | None, str | None]:
    return dataset.info.company_name, dataset.info.company_code


def references(dataset: Dataset) -> dict[str, str]:
    return dict(dataset.info.foreign)


_ATTACHMENT = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[:：]?$")
_LISTISH = re.compile(r"名单|清单|目录|名录|公示|项目")


def pick_title(titles: list[str]) -> str:
    """The list's title among the lines above the header: not "附件1", preferably one that says 名单/清单/目录."""
    lines = [t for t in titles if not _ATTACHMENT.match(t)] or titles
    return next((t for t in lines if _LISTISH.search(t)), max(lines, key=len))


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
                 notes: Notes) -> tuple[list[tuple[int, dict]], list[Skipped]]:
    """(source line, record values) per data row; rows that belong to another year are skipped."""
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
            values[name] = normalise_value(raw, f, refs.get(name), catalog, notes, row.line)
        if year and values.get(year_f) not in (None, year):
            skipped.append(Skipped(row.line, f"属于另一个年度，而导入的是 {year} 年度",  # the cell's year as data
                                   f"belongs to another year, the import is for {year}", f"年度 / year {values[year_f]}"))
            continue
        if company and values.get(company):
            resolve_company(values, company, code, dataset, catalog, notes, row.line)
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
    if table and table != catalog.role_name("companies"):
        found, _how = resolve(catalog, table, value)
        if found is None and (inside := contained_entry(catalog, table, value)):
            found = inside
            notes.guessed.append((line, name, f"{value} → {inside}", "名称中包含登记的名称", "contains a registered name"))
        elif found is not None and found != value:
            notes.interpreted[(name, value, found)] += 1
        if found is None and table == catalog.role_name("districts") and _PLACE.search(value) and "嘉兴" not in value:
            notes.interpreted[(name, value, "（空：嘉兴以外 / empty: outside Jiaxing）")] += 1
            return OutsidePlace(value)
        return found if found is not None else value
    return value


class OutsidePlace(str):
    """A printed place outside the district registry: not written to the record, kept for the companies list."""


def resolve_company(values: dict, company: str, code: str | None, dataset: Dataset, catalog: Catalog,
                    notes: Notes, line: int) -> None:
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
        entry = notes.missing_companies.setdefault(printed, {"district": None, "city": None, "code": None, "lines": []})
        entry["lines"].append(line)
        entry["district"] = entry["district"] or (values.get(district) if district else None)
        entry["city"] = entry["city"] or (str(outside) if outside else None)
        entry["code"] = entry["code"] or (values.get(code) if code else None)
        return
    notes.resolved_companies[how] += 1
    if found != printed:
        notes.interpreted[(company, printed, found)] += 1
        values[company] = found
    reg = registry.info
    record = next((r for r in registry.records if r.values.get(reg.company_name) == found), None)
    if record is None:
        return
    for target, source in ((code, reg.company_code), (district, reg.district)):
        # a list records the row as printed; the registry holds the identity. Only a required cell is filled.
        f = dataset.field(target) if target else None
        if f and (f.get("constraints") or {}).get("required") and not values.get(target) and record.values.get(source):
            values[target] = record.values[source]
            notes.filled[target] += 1
