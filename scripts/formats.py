"""Download formats: typed values and deterministic writers for CSV (UTF-8; UTF-8 with BOM for Excel), XLSX and JSON.

Every writer is byte-deterministic: rows sorted by primary key (natural order, so 2 < 10), columns in schema
field order, fixed document properties, no clock reads.

Formula injection (defence in depth; the validator already rejects such values in data/):
- CSV (both variants): a text cell that starts with = + - @ TAB or CR gets a leading apostrophe (OWASP
  "CSV injection" guidance), so a spreadsheet shows it as text and never evaluates it. Numbers are never
  touched (their cells are bare digits). The apostrophe is visible in tools; the JSON keeps the exact value.
- XLSX: every text cell is written with write_string (an inline/shared string, never a formula), with
  XlsxWriter's strings_to_formulas/numbers/urls conversions switched off.
- JSON: values are exact strings; JSON is never evaluated as a formula.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from datetime import date, datetime

import xlsxwriter

from .model import Dataset, Record, typed
from .textrules import FORMULA_START

TEXT_TYPES = {"string", "list", "date"}


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


def neutralise(text: str) -> str:
    """OWASP CSV-injection defence: prefix formula-leading text with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def header_label(field: dict) -> str:
    """Bilingual column title: 中文标题 / English label (falls back to the field name)."""
    zh = field.get("title") or field["name"]
    en = field.get("x-label-en") or field["name"]
    return zh if zh == en else f"{zh} / {en}"


def write_csv(stream, dataset: Dataset, records: list[Record], excel: bool = False) -> None:
    """CSV in schema field order onto a text stream (opened with newline=""). Plain: LF, field names as header
    (matches the table schema). Excel variant: CRLF, bilingual column titles (the caller adds the BOM)."""
    fields = dataset.fields
    writer = csv.writer(stream, lineterminator="\r\n" if excel else "\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([header_label(f) for f in fields] if excel else [f["name"] for f in fields])
    plan = [(f["name"], f, f.get("type", "string") in TEXT_TYPES) for f in fields]
    for record in records:
        values = record.values
        row = []
        for name, f, is_text in plan:
            cell = text_cell(f, values.get(name))
            row.append(neutralise(cell) if is_text or not _numeric(cell) else cell)
        writer.writerow(row)


def write_csv_file(path, dataset: Dataset, records: list[Record], excel: bool = False) -> None:
    """UTF-8 CSV file (UTF-8 with BOM for the Excel variant), streamed: memory stays flat at any size."""
    with open(path, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as fh:
        write_csv(fh, dataset, records, excel)


def csv_bytes(dataset: Dataset, records: list[Record], excel: bool = False) -> bytes:
    """The bytes write_csv_file writes (for small outputs and tests)."""
    out = io.StringIO(newline="")
    write_csv(out, dataset, records, excel)
    data = out.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if excel else data


_NUMERIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _numeric(text: str) -> bool:
    return bool(_NUMERIC.match(text))


def dumps(obj) -> bytes:
    """Canonical JSON: sorted keys, UTF-8 (no \\u escapes for Chinese), one trailing newline."""
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def write_json_lines(stream, obj, level: int = 0, flat_from: int = 4) -> None:
    """Canonical JSON (sorted keys, UTF-8) streamed onto a text stream: indented down to `flat_from` levels, each
    deeper value on one line, so huge deltas stay light on memory, fast (C encoder per item) and diffable."""
    if level >= flat_from or not isinstance(obj, (dict, list)) or not obj:
        stream.write(json.dumps(obj, ensure_ascii=False, sort_keys=True))
        return
    pad, end = "\n" + " " * (level + 1), "\n" + " " * level
    if isinstance(obj, dict):
        stream.write("{")
        for i, key in enumerate(sorted(obj)):
            stream.write(("," if i else "") + pad + json.dumps(key, ensure_ascii=False) + ": ")
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


def write_json(stream, dataset: Dataset, records: list[Record], about: dict) -> None:
    """{"about": {dataset, title, version, licence, citation, fields}, "records": [typed records]}; records are
    written one per line (streamed) so a 120,000-row file stays diffable, fast and light on memory."""
    head = json.dumps({"about": about}, ensure_ascii=False, sort_keys=True, indent=1)
    fields = dataset.fields
    stream.write(head[:-2] + ',\n "records": [')
    for i, record in enumerate(records):
        row = {f["name"]: typed(f, record.values.get(f["name"])) for f in fields}
        stream.write(("\n  " if i == 0 else ",\n  ") + json.dumps(row, ensure_ascii=False, sort_keys=True))
    stream.write("\n ]\n}\n" if records else "]\n}\n")


def write_json_file(path, dataset: Dataset, records: list[Record], about: dict) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        write_json(fh, dataset, records, about)


def json_bytes(dataset: Dataset, records: list[Record], about: dict) -> bytes:
    out = io.StringIO(newline="")
    write_json(out, dataset, records, about)
    return out.getvalue().encode("utf-8")


def field_dictionary(dataset: Dataset) -> list[dict]:
    return [{"name": f["name"], "title": f.get("title", ""), "label_en": f.get("x-label-en", ""),
             "type": f.get("type", "string"), "description": f.get("description", "")} for f in dataset.fields]


# --- XLSX ----------------------------------------------------------------------------------------

def _width(field: dict, records: list[Record]) -> float:
    """Column width from the header and the first 200 values (wide characters count double)."""
    def w(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    sample = [text_cell(field, r.values.get(field["name"])) for r in records[:200]]
    widest = max([w(field.get("title") or ""), w(field.get("x-label-en") or field["name"])] + [w(s) for s in sample])
    return float(min(max(widest + 2, 8), 60))


XLSX_CELL_LIMIT = 32767  # characters Excel keeps in a cell; validation rejects longer data cells (issue 9)
CUT_MARK = "…[截断，全文见 CSV / cut: full text in the CSV]"


def _write_text(sheet, row: int, col: int, text: str, *fmt) -> None:
    """Write text as text; a text longer than Excel keeps is cut visibly (never silently)."""
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - len(CUT_MARK)] + CUT_MARK
    sheet.write_string(row, col, text, *fmt)


class Workbook:
    """A deterministic XLSX workbook: fixed properties (created = the release/data date), text written as text."""

    def __init__(self, path, created: date, title: str, author: str, comments: str = ""):
        self.book = xlsxwriter.Workbook(str(path), {
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
            "constant_memory": True, "default_date_format": "yyyy-mm-dd",
        })
        moment = datetime(created.year, created.month, created.day)
        self.book.set_properties({"title": title, "author": author, "company": author, "comments": comments,
                                  "created": moment})
        self.book.set_calc_mode("manual")
        self.header = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEEEEE",
                                            "bottom": 1})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.sheet_names: set[str] = set()

    def sheet_name(self, name: str) -> str:
        """A sheet name Excel accepts (31 characters, unique ignoring case): a clash gets a numbered suffix, in
        the order sheets are added, so the same catalogue always gives the same names."""
        candidate, n = name[:31], 1
        while candidate.casefold() in self.sheet_names:
            n += 1
            candidate = f"{name[:31 - len(str(n)) - 1]}~{n}"
        self.sheet_names.add(candidate.casefold())
        return candidate

    def table_sheet(self, name: str, dataset: Dataset, records: list[Record]) -> None:
        sheet = self.book.add_worksheet(self.sheet_name(name))
        fields = dataset.fields
        for col, f in enumerate(fields):
            sheet.set_column(col, col, _width(f, records))
            zh = f.get("title") or f["name"]
            en = f.get("x-label-en") or f["name"]
            sheet.write_string(0, col, zh if zh == en else f"{zh}\n{en}", self.header)
        sheet.set_row(0, 32)
        sheet.freeze_panes(1, 0)
        kinds = [(f["name"], f.get("type", "string"), f) for f in fields]
        write_string, write_number, write_boolean = functools.partial(_write_text, sheet), sheet.write_number, sheet.write_boolean
        for row, record in enumerate(records, start=1):
            values = record.values
            for col, (name, kind, f) in enumerate(kinds):
                raw = values.get(name)
                if raw is None:
                    continue
                if kind in ("integer", "number"):
                    value = typed(f, raw)
                    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15:
                        write_number(row, col, value)
                        continue
                elif kind == "boolean":
                    value = typed(f, raw)
                    if isinstance(value, bool):
                        write_boolean(row, col, value)
                        continue
                elif kind == "date":
                    try:
                        day = date.fromisoformat(str(raw).strip())
                        sheet.write_datetime(row, col, datetime(day.year, day.month, day.day), self.date)
                        continue
                    except ValueError:
                        pass
                write_string(row, col, text_cell(f, raw))
        if records:
            sheet.autofilter(0, 0, len(records), len(fields) - 1)

    def about_sheet(self, name: str, lines: list[tuple[str, str]], datasets: list[Dataset]) -> None:
        """A sheet with the citation, licence and the field dictionary of every dataset in the workbook."""
        sheet = self.book.add_worksheet(self.sheet_name(name))
        write_string = functools.partial(_write_text, sheet)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 28)
        sheet.set_column(2, 3, 22)
        sheet.set_column(4, 4, 80)
        row = 0
        for key, value in lines:
            write_string(row, 0, key, self.header)
            write_string(row, 1, value)
            row += 1
        for dataset in datasets:
            row += 1
            write_string(row, 0, f"{dataset.info.title} / {dataset.info.title_en}", self.header)
            write_string(row, 1, dataset.name)
            row += 1
            for col, head in enumerate(["字段 / Field", "中文标题 / Chinese title", "英文标题 / English label",
                                        "类型 / Type", "说明 / Description"]):
                write_string(row, col, head, self.header)
            row += 1
            for item in field_dictionary(dataset):
                for col, key in enumerate(["name", "title", "label_en", "type", "description"]):
                    write_string(row, col, str(item[key]))
                row += 1

    def close(self) -> None:
        self.book.close()
