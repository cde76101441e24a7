"""Find the header row, map its columns to fields, and classify the rows below it.

The mapping lives in the table schema, not here: a column maps to the field whose name, title, English label,
bilingual download header ("编号 / ID", "编号⏎ID") or `x-import-synonyms` entry it matches (compared without
spaces, NFKC, （）=()). `序号` is ignored. `--map 列名=field` overrides, `--map 列名=-` drops a column.
Rows above the header are the title lines. Below it a row whose cells all hold one text is a group row when the
text names a value of an `x-import-group` field ("一、国际首台（套）" → tier 国际), a footnote when it reads like
one ("注：…"), and is skipped with its reason otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from ..exports.code_names import derived_headers
from ..exports.formats import header_label
from ..model.catalog import Catalog, Dataset
from ..model.vocab import normalise, resolve
from .money import header_unit
from .titles import is_title
from .values import ORDINAL, clean_text, enum_value, header_key

IGNORED_HEADERS = {"序号", "序", "no", "no."}
SKIP = "-"
HEADER_SCAN = 30  # rows searched for the header
FOOTNOTE = re.compile(r"^(注|备注|说明|附注|附件|数据来源|来源|以上|合计|共计|总计|填报|制表|审核|联系人|[*※＊])")
TOTALS = re.compile(r"^(合计|小计|总计|共计|总合计|累计)([:：（(]|$)")  # a row that sums the rows above it
_ORDINAL_ONLY = re.compile(r"^[一二三四五六七八九十百0-9（）()、.．\s]+$")


class MappingError(Exception):
    """The header cannot be placed: problems is a list of (line, column, code, value, params)."""

    def __init__(self, problems: list[tuple]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class Mapping:
    header_index: int  # index into table.rows
    header_line: int  # source row number
    columns: list[str | None]  # field name per column; None = ignored
    labels: list[str]  # the header text per column
    ignored: list[str] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    own: bool = False  # the site's own download layout (every field by its own name or label): lossless reading
    unnamed: dict[int, int] = field(default_factory=dict)  # column number (1-based) without header → cells with text
    units: dict[str, str] = field(default_factory=dict)  # field → the money unit its header names (奖励金额（万元）→ 万元)


@dataclass
class Row:
    line: int
    values: dict[str, str]  # field → cleaned text, from the row's own cells
    groups: dict[str, str]  # field → value from the group rows above it


@dataclass
class Skipped:
    line: int
    zh: str
    en: str
    text: str = ""


def field_keys(f: dict) -> list[str]:
    zh = f.get("title") or f["name"]
    en = f.get("x-label-en") or f["name"]
    words = [f["name"], zh, en, header_label(f), f"{zh}\n{en}", f"{zh} {en}"] + list(f.get("x-import-synonyms") or [])
    return [header_key(w) for w in words if w]


def header_lookup(dataset: Dataset) -> dict[str, str]:
    """header key → field name. Names, titles and labels win over synonyms (the first field claiming a key wins)."""
    lookup: dict[str, str] = {}
    for f in dataset.fields:
        for key in field_keys(f)[:6]:
            lookup.setdefault(key, f["name"])
    for f in dataset.fields:
        for key in field_keys(f)[6:]:
            lookup.setdefault(key, f["name"])
    for key, name in list(lookup.items()):  # 财政资助(元) also answers to 财政资助（万元）: the unit is read apart
        base, unit = header_unit(key)
        if unit:
            lookup.setdefault(header_key(base), name)
    return lookup


def parse_overrides(pairs: list[str], dataset: Dataset) -> tuple[dict[str, str], list[tuple]]:
    """`列名=field` pairs → {header key: field or '-'}; problems for malformed pairs or unknown fields."""
    out: dict[str, str] = {}
    problems: list[tuple] = []
    names = dataset.field_names
    for pair in pairs or []:
        column, sep, target = pair.partition("=")
        target = target.strip()
        if not sep or not column.strip() or not target:
            problems.append((0, pair, "import-map-syntax", pair, {}))
        elif target != SKIP and target not in names:
            problems.append((0, column.strip(), "import-map-field", target, {"fields": ", ".join(names)}))
        else:
            out[header_key(column)] = target
    return out, problems


def derived_keys(dataset: Dataset) -> set[str]:
    """Header keys of the name columns the site's downloads add beside codes (scripts/exports/code_names.py)."""
    return {header_key(h) for h in derived_headers(dataset)}


def _place(text: str | None, lookup: dict[str, str], overrides: dict[str, str], derived: AbstractSet[str] = frozenset()) -> str | None:
    """'' = ignored column, a field name, or None = not placeable."""
    key = header_key(text)
    if not key:
        return ""
    if key in overrides:
        return "" if overrides[key] == SKIP else overrides[key]
    if key in IGNORED_HEADERS:
        return ""
    if key in lookup:
        return lookup[key]
    base, unit = header_unit(text)  # 奖励金额（万元）: the unit is read from the header, the rest names the field
    if unit and header_key(base) in lookup:
        return lookup[header_key(base)]
    if key in derived:  # district_name beside district in a download of this site: the code is the data
        return ""
    for part in re.split(r"/|\n", str(text)):  # "中文 / English" where only one half is known
        if header_key(part) in lookup:
            return lookup[header_key(part)]
    return None


def find_header(rows: list[tuple[int, list]], dataset: Dataset, overrides: dict[str, str]) -> Mapping:
    lookup = header_lookup(dataset)
    derived = derived_keys(dataset)
    for index, (_line, cells) in enumerate(rows[:HEADER_SCAN]):
        placed = [_place(c, lookup, overrides, derived) for c in cells]
        fields = [p for p in placed if p]
        if len(fields) >= 2 and len(set(fields)) >= 2:
            return _mapping(rows, index, placed, dataset)
    expected = "、".join(_expected(dataset))
    raise MappingError([(rows[0][0] if rows else 1, "-", "import-no-header", None,
                         {"expected": expected, "scanned": HEADER_SCAN})])


def _expected(dataset: Dataset) -> list[str]:
    out = []
    for f in dataset.fields:
        synonyms = f.get("x-import-synonyms") or []
        shown = [f.get("title") or f["name"]] + [s for s in synonyms if s != f.get("title")][:3]
        out.append(f"{f['name']}（{'/'.join(shown)}）")
    return out


def _mapping(rows, index: int, placed: list, dataset: Dataset) -> Mapping:
    line, cells = rows[index]
    labels = [clean_text(c) or "" for c in cells]
    problems: list[tuple] = []
    seen: dict[str, str] = {}
    columns: list[str | None] = []
    for label, target in zip(labels, placed):
        if target is None:  # the fields that can be named are listed once, with the first such column
            first = not any(code == "import-unmapped" for _l, _c, code, _v, _p in problems)
            problems.append((line, label, "import-unmapped", label, {"expected": "、".join(_expected(dataset))})
                            if first else (line, label, "import-unmapped-more", label, {}))
            columns.append(None)
        elif target and target in seen:
            problems.append((line, label, "import-duplicate-column", label, {"field": target, "other": seen[target]}))
            columns.append(None)
        else:
            if target:
                seen[target] = label
            columns.append(target or None)
    if problems:
        raise MappingError(problems)
    titles = []
    for _line, before in rows[:index]:
        texts = list(dict.fromkeys(t for t in (clean_text(c) for c in before) if t))
        if texts:
            titles.append(" ".join(texts))
    ignored = [label for label, col in zip(labels, columns) if col is None and label]
    own_keys = {k for f in dataset.fields for k in field_keys(f)[:6]} | derived_keys(dataset)
    own = set(columns) >= set(dataset.field_names) and all(header_key(c) in own_keys for c in labels)
    units = {col: unit for label, col in zip(labels, columns) if col and (unit := header_unit(label)[1])}
    return Mapping(index, line, columns, labels, ignored, titles, own, units=units)


# --- rows ------------------------------------------------------------------------------------------

def group_fields(dataset: Dataset) -> list[dict]:
    return [f for f in dataset.fields if f.get("x-import-group")]


def _references(dataset: Dataset) -> dict[str, str]:
    return {fk["fields"][0]: fk["reference"]["resource"] for fk in dataset.schema.get("foreignKeys", [])}


def group_value(text: str, f: dict, dataset: Dataset, catalog: Catalog) -> str | None:
    """The value of field f that a group row's text names, or None."""
    enum = [str(v) for v in (f.get("constraints") or {}).get("enum", [])]
    if enum:
        return enum_value(text, enum)
    table = _references(dataset).get(f["name"])
    if table:
        body = ORDINAL.sub("", text)
        found, _how = resolve(catalog, table, body)
        return found or contained_entry(catalog, table, body)
    return None


def contained_entry(catalog: Catalog, table: str, text: str) -> str | None:
    """The registry entry whose name or alias is the longest one contained in text ("国内首版次软件" → 首版次软件)."""
    target = catalog.datasets.get(table)
    if target is None:
        return None
    key = target.key
    norm = normalise(text)
    best, best_len = None, 0
    for record in target.records:
        rid = record.values.get(key)
        aliases = record.values.get("aliases") or []
        names = [rid, record.values.get("name")] + (aliases if isinstance(aliases, list) else str(aliases).split(";"))
        for name in names:
            n = normalise(name) if name else ""
            if len(n) >= 2 and n in norm and len(n) > best_len:
                best, best_len = str(rid), len(n)
    return best


def classify(rows, mapping: Mapping, dataset: Dataset, catalog: Catalog) -> tuple[list[Row], list[Skipped], list]:
    """Data rows (with the group values in force), skipped rows with their reason, and the group rows seen
    as (line, text, {field: value}, guessed)."""
    groupable = group_fields(dataset)
    mapped = {c for c in mapping.columns if c}
    header_keys = [header_key(c) for c in mapping.labels]
    data: list[Row] = []
    skipped: list[Skipped] = []
    groups_seen: list = []
    current: dict[str, str] = {}
    titles = 0
    for line, cells in rows[:mapping.header_index]:  # a short group row may sit above the header, under the title
        text = " ".join(dict.fromkeys(t for t in (clean_text(c) for c in cells) if t))
        if not text:
            continue
        titles += 1
        if titles > 1 and len(text) <= 20 and not is_title(text):  # the list's title is no group row
            found = {f["name"]: v for f in groupable if (v := group_value(text, f, dataset, catalog))}
            if found:
                current.update(found)
                groups_seen.append((line, text, found, False))
                if text in mapping.title_lines:
                    mapping.title_lines.remove(text)
    for line, cells in rows[mapping.header_index + 1:]:
        texts = [clean_text(c, mapping.own) for c in cells]
        present = [t for t in texts if t]
        if not present:
            continue  # blank rows: nothing to report
        if [header_key(t) for t in texts[:len(header_keys)]] == header_keys:
            skipped.append(Skipped(line, "重复的表头（分页处或下一个表格）", "repeated header (a page break or the next table)"))
            continue
        if TOTALS.match(present[0].replace(" ", "")):
            skipped.append(Skipped(line, "合计行（不是一条记录）", "a totals row (not a record)", " ".join(present)))
            continue
        distinct = list(dict.fromkeys(present))
        if len(distinct) == 2 and _ORDINAL_ONLY.match(distinct[0]):
            distinct = [distinct[0].strip() + "、" + distinct[1]] if not distinct[1].startswith(distinct[0]) else distinct[1:]
        values = {col: text for col, text in zip(mapping.columns, texts) if col and text}
        for index, cell in enumerate(texts):
            if cell and (index >= len(mapping.labels) or not mapping.labels[index]):
                mapping.unnamed[index + 1] = mapping.unnamed.get(index + 1, 0) + 1
        if len(distinct) == 1 and (len(present) > 1 or len(values) <= 1):
            text = distinct[0]
            found = {f["name"]: v for f in groupable if (v := group_value(text, f, dataset, catalog))}
            guessed = False
            if not found and not FOOTNOTE.match(text) and len(text) <= 40:
                free = [f for f in groupable if f["name"] not in mapped and not (f.get("constraints") or {}).get("enum")
                        and f["name"] not in _references(dataset)]
                if free:
                    found, guessed = {free[0]["name"]: ORDINAL.sub("", text).strip()}, True
            if found:
                current.update(found)
                groups_seen.append((line, text, found, guessed))
                continue
            if FOOTNOTE.match(text) or len(text) > 40:
                skipped.append(Skipped(line, "脚注或说明文字", "footnote or note", text))
            else:
                skipped.append(Skipped(line, "只有一段文字，既不是分组行也不是数据行", "a single text that is neither a group row nor a data row", text))
            continue
        if not values:
            skipped.append(Skipped(line, "只有被忽略的列（如序号）有内容", "only ignored columns (such as 序号) hold text", " ".join(present)))
            continue
        data.append(Row(line, values, dict(current)))
    return data, skipped, groups_seen
