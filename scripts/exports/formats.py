"""Download formats: typed values and deterministic writers for CSV (UTF-8; UTF-8 with BOM for Excel), XLSX and JSON.

Every writer is byte-deterministic: rows sorted by primary key (natural order, so 2 < 10), columns in schema
field order, fixed document properties, no clock reads.

Formula injection (defence in depth; the validator already rejects such values in data/):
- CSV (both variants): a text cell that starts with = + - @ TAB or CR gets a leading apostrophe (OWASP
  "CSV injection" guidance), so a spreadsheet shows it as text and never evaluates it. Numbers are never
  touched (their cells are bare digits). The apostrophe is visible in tools; the JSON keeps the exact value.
- XLSX: every text cell is an inline string (never a formula): the bytes XlsxWriter's write_string writes, with
  its strings_to_formulas/numbers/urls conversions switched off (RowFormat below, scripts/exports/xlsx.py).
- JSON: values are exact strings; JSON is never evaluated as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from xlsxwriter.utility import _datetime_to_excel_datetime, _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.xmlwriter import XMLwriter

from ..model.catalog import Dataset, Record, typed
from ..model.checks import XLSX_CELL_LIMIT  # the limit validation enforces on data cells
from ..model.textrules import FORMULA_START, neutralise
from ..model.units import field_unit, titles

TEXT_TYPES = {"string", "list", "date"}


@dataclass
class Table:
    """What a download writes for a dataset: its schema fields, plus columns derived from them (the registry
    name beside a code: scripts/exports/code_names.py), plus the money columns the XLSX formats with thousands separators (in
    the field's own unit, named in the header: scripts/model/units.py).
    A bare Dataset is the table of its schema fields only (the layout of releases up to 2025.1)."""

    dataset: Dataset
    fields: list[dict]
    derived: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)  # column -> (code field, names)
    money: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.dataset.name

    @property
    def info(self):
        return self.dataset.info

    def value(self, values: dict, name: str):
        """The raw value of a column in a record's values (a derived name: looked up from its code)."""
        rule = self.derived.get(name)
        if rule is None:
            return values.get(name)
        raw = values.get(rule[0])
        if raw is None or raw == "" or raw == []:
            return None
        if isinstance(raw, list):
            return [rule[1].get(str(v), "") for v in raw]
        return rule[1].get(str(raw)) or None


def as_table(source) -> Table:
    return source if isinstance(source, Table) else Table(source, source.fields)


def natural_key(value) -> tuple:
    """Sort key that orders embedded numbers numerically: '2' < '10', 'P-2025-00002' < 'P-2025-00010'."""
    text = "" if value is None else str(value)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


def sorted_records(dataset: Dataset, records: list[Record] | None = None) -> list[Record]:
    key = dataset.info.key
    return sorted(dataset.records if records is None else records, key=lambda r: natural_key(r.values.get(key)))


def by_year(dataset: Dataset) -> dict[str, list[Record]]:
    """Records grouped by their year (only for datasets with a year role, display.year), years in order."""
    year = dataset.info.year
    if not year:
        return {}
    groups: dict[str, list[Record]] = {}
    for record in dataset.records:
        groups.setdefault(str(record.values.get(year)), []).append(record)
    return {year: groups[year] for year in sorted(groups, key=natural_key)}


def text_cell(field: dict, raw) -> str:
    """The CSV text of a raw value: lists joined by their delimiter, empty for missing."""
    if raw is None:
        return ""
    if isinstance(raw, list):
        return field.get("delimiter", ",").join(raw)
    return str(raw)


def header_label(field: dict) -> str:
    """Bilingual column title: 中文标题 / English label (falls back to the field name), naming the declared unit when
    the title does not (units.titles)."""
    zh, en = titles(field)
    return zh if zh == en else f"{zh} / {en}"


class CsvLines:
    """A row of cells as CSV lines (QUOTE_MINIMAL, by the csv module), formatted once: plain (LF, for tools) and
    Excel (CRLF; the caller adds the BOM)."""

    def __init__(self):
        self.buffer = io.StringIO(newline="")
        self.writers = csv.writer(self.buffer, lineterminator="\n"), csv.writer(self.buffer, lineterminator="\r\n")

    def __call__(self, cells: list[str]) -> tuple[str, str]:
        plain = self._line(0, cells)
        # a CR in a cell is the only thing quoted differently under CRLF: otherwise only the line end differs
        return plain, plain[:-1] + "\r\n" if "\r" not in plain else self._line(1, cells)

    def _line(self, variant: int, cells: list[str]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writers[variant].writerow(cells)
        return self.buffer.getvalue()


def csv_header(dataset: Dataset | Table, excel: bool = False) -> str:
    """The header line: field names (plain: matches the table schema) or bilingual column titles (Excel)."""
    fields = as_table(dataset).fields
    return CsvLines()([header_label(f) for f in fields])[1] if excel else CsvLines()([f["name"] for f in fields])[0]


def write_csv(stream, dataset: Dataset | Table, records: list[Record], excel: bool = False) -> None:
    """CSV in column order onto a text stream (opened with newline="")."""
    row = RowFormat(dataset).row
    stream.write(csv_header(dataset, excel))
    for record in records:
        stream.write(row(record).excel if excel else row(record).csv)


def csv_bytes(dataset: Dataset | Table, records: list[Record], excel: bool = False) -> bytes:
    """The bytes of a CSV download (UTF-8; with the BOM for the Excel variant), for small outputs and tests."""
    out = io.StringIO(newline="")
    write_csv(out, dataset, records, excel)
    data = out.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if excel else data


_NUMERIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _numeric(text: str) -> bool:
    return bool(_NUMERIC.match(text))


def csv_cell(text: str, kind: str) -> str:
    """A CSV cell: formula-leading text gets an apostrophe (numbers stay bare digits: their cells never change)."""
    if not text.startswith(FORMULA_START):  # nothing to neutralise: skip the number test
        return text
    return neutralise(text) if kind in TEXT_TYPES or not _numeric(text) else text


def dumps(obj) -> bytes:
    """Canonical JSON: sorted keys, UTF-8 (no \\u escapes for Chinese), one trailing newline."""
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # = json.dumps(…, ensure_ascii=False, sort_keys=True)


def write_json_lines(stream, obj, level: int = 0, flat_from: int = 4) -> None:
    """Canonical JSON (sorted keys, UTF-8) streamed onto a text stream: indented down to `flat_from` levels, each
    deeper value on one line, so huge deltas stay light on memory, fast (C encoder per item) and diffable."""
    if level >= flat_from or not isinstance(obj, (dict, list)) or not obj:
        stream.write(_JSON.encode(obj))  # one encoder for every line: json.dumps builds one a call
        return
    pad, end = "\n" + " " * (level + 1), "\n" + " " * level
    if isinstance(obj, dict):
        stream.write("{")
        for i, key in enumerate(sorted(obj)):
            stream.write(("," if i else "") + pad + _JSON.encode(key) + ": ")
            write_json_lines(stream, obj[key], level + 1, flat_from)
        stream.write(end + "}")
    else:
        stream.write("[")
        for i, item in enumerate(obj):
            stream.write(("," if i else "") + pad)
            write_json_lines(stream, item, level + 1, flat_from)
        stream.write(end + "]")
    if level == 0:
        stream.write("\n")


def json_head(about: dict) -> str:
    """The start of a dataset JSON file up to its records: {"about": {dataset, title, version, licence, citation,
    fields}, "records": [ … then one typed record a line (RowFormat(table).row(record).json) and json_tail."""
    return json.dumps({"about": about}, ensure_ascii=False, sort_keys=True, indent=1)[:-2] + ',\n "records": ['


def json_tail(rows: int) -> str:
    return "\n ]\n}\n" if rows else "]\n}\n"


def write_json(stream, dataset: Dataset | Table, records: list[Record], about: dict) -> None:
    """Records are written one per line (streamed) so a 120,000-row file stays diffable, fast and light on memory."""
    row = RowFormat(dataset).row
    stream.write(json_head(about))
    for i, record in enumerate(records):
        stream.write(("\n  " if i == 0 else ",\n  ") + row(record).json)
    stream.write(json_tail(len(records)))


def json_bytes(dataset: Dataset | Table, records: list[Record], about: dict) -> bytes:
    out = io.StringIO(newline="")
    write_json(out, dataset, records, about)
    return out.getvalue().encode("utf-8")


def field_dictionary(dataset: Dataset | Table) -> list[dict]:
    """Each column's name, titles, type and description, and its unit where the schema declares one (release
    snapshots declare none: their files keep their bytes)."""
    return [{"name": f["name"], "title": f.get("title", ""), "label_en": f.get("x-label-en", ""),
             "type": f.get("type", "string"), "description": f.get("description", ""),
             **({"unit": field_unit(f)} if field_unit(f) else {})} for f in as_table(dataset).fields]


# --- each record formatted once for every format --------------------------------------------------

CUT_MARK = "…[截断，全文见 CSV / cut: full text in the CSV]"
ROW_NUMBER, DATE_FORMAT, MONEY_FORMAT = "\x00", "\x01", "\x02"  # XLSX row placeholders (never left by the escaping)
MONEY_FRACTION_FORMAT = "\x03"  # a money cell with a fraction (a number field: 12.35 万元), never shown rounded


class Row(NamedTuple):
    csv: str  # the CSV line (LF), formula starts neutralised
    excel: str  # the same for Excel (CRLF)
    json: str  # the typed record on one line (sorted keys)
    xlsx: list[str] | None  # the <row> XML split where its row number goes (a join is cheap); None: no cells
    formats: tuple[tuple[int, str], ...]  # (part, format placeholder in it) in cell order: XlsxWriter numbers so


MEMO = 512  # distinct values a column remembers the cells of (districts, statuses, dates …); more: not worth it


class RowFormat:
    """The records of a table formatted once for every download: a year's files, the all-years files and the
    all-datasets workbook reuse the same Row. The XLSX row is byte for byte what XlsxWriter (constant_memory)
    writes for write_string / write_number / write_boolean / write_datetime calls, without going through them
    (scripts/exports/xlsx.py writes it; tests/test_xlsx_rows.py compares the two on awkward values)."""

    def __init__(self, dataset: Dataset | Table):
        self.table = table = as_table(dataset)
        self.columns = [(f["name"], f["name"] in table.derived, _Column(f, table, col))
                        for col, f in enumerate(table.fields)]
        self.csv_lines = CsvLines()

    def row(self, record: Record) -> Row:
        values, value = record.values, self.table.value
        cells, data, xml, formats = [], {}, [], []
        for name, derived, column in self.columns:
            raw = value(values, name) if derived else values.get(name)
            memo = column.memo
            if memo is not None and (raw is None or raw.__class__ is str):  # text keys only (1 == True)
                cell = memo.get(raw)
                if cell is None:
                    cell = memo[raw] = column.cell(raw)
                    if len(memo) >= MEMO:  # a column of many distinct values stops remembering them
                        column.memo = None
            else:
                cell = column.cell(raw)
            csv_text, data[name], xml_cell, placeholder = cell
            cells.append(csv_text)
            if xml_cell is not None:
                xml.append(xml_cell)
                if placeholder:  # the cell's own part: after the row's number and the number of each cell so far
                    formats.append((len(xml) + 1, placeholder))
        xlsx = f'<row r="{ROW_NUMBER}">{"".join(xml)}</row>'.split(ROW_NUMBER) if xml else None
        return Row(*self.csv_lines(cells), _JSON.encode(data), xlsx, tuple(formats))


class _Column:
    """One column's cells: (CSV text, JSON value, XLSX cell or None, its format placeholder or "")."""

    def __init__(self, f: dict, table: Table, col: int):
        self.field, self.kind = f, f.get("type", "string")
        self.money = f["name"] in table.money
        self.ref = f'<c r="{xl_col_to_name(col)}{ROW_NUMBER}"'
        self.memo: dict | None = {}  # raw text -> cell, for columns of few distinct values (districts, dates …)

    def cell(self, raw) -> tuple[str, object, str | None, str]:
        kind, ref = self.kind, self.ref
        text = text_cell(self.field, raw)
        csv_text = csv_cell(text, kind)
        value = (text or None) if kind == "string" else typed(self.field, raw)  # = typed() for plain text
        if raw is None:
            return csv_text, value, None, ""
        if kind == "integer" or kind == "number":
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15:
                if self.money:
                    style = MONEY_FORMAT if value == int(value) else MONEY_FRACTION_FORMAT
                    return csv_text, value, f'{ref} s="{style}"><v>{value:.16G}</v></c>', style
                return csv_text, value, f"{ref}><v>{value:.16G}</v></c>", ""
        elif kind == "boolean":
            if isinstance(value, bool):
                return csv_text, value, f'{ref} t="b"><v>{int(value)}</v></c>', ""
        elif kind == "date":
            try:
                day = date.fromisoformat(str(raw).strip())
            except ValueError:
                pass
            else:  # XlsxWriter's own conversion with the workbook defaults (no 1904 epoch, time zones kept)
                serial = _datetime_to_excel_datetime(datetime(day.year, day.month, day.day), False, False)
                return csv_text, value, f'{ref} s="{DATE_FORMAT}"><v>{serial:.16G}</v></c>', DATE_FORMAT
        return csv_text, value, ref + inline_string(text), ""


def cut_text(text: str) -> str:
    """A text longer than an Excel cell keeps is cut visibly (never silently)."""
    return text[: XLSX_CELL_LIMIT - len(CUT_MARK)] + CUT_MARK if len(text) > XLSX_CELL_LIMIT else text


def inline_string(text: str) -> str:
    """What XlsxWriter 3.3 (constant_memory) writes after `<c r="A2"` for write_string(text): the text cut to the
    cell limit, control characters as _xHHHH_, leading/trailing space preserved, & < > escaped (also in a text that
    looks like rich-string XML, which XlsxWriter itself would write unescaped)."""
    text = cut_text(text)
    if len(text) > XLSX_CELL_LIMIT // 2 and _utf16_len(text) > XLSX_CELL_LIMIT:
        text = _utf16_truncate(text, XLSX_CELL_LIMIT)
    if "_" in text or not text.isprintable():  # only then can the control-character escape change anything
        text = XMLwriter._escape_control_characters(text)
    # XlsxWriter would write a text that starts with <r> and ends with </r> unescaped, as rich-string XML: data never
    # becomes live markup, so here it is escaped like any other text
    preserve = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""  # = its \s regexes
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' t="inlineStr"><is><t{preserve}>{text}</t></is></c>'
