"""XLSX workbooks for the downloads: deterministic (fixed properties, created = the release/data date), text written
as text (never a formula: XlsxWriter's strings_to_formulas/numbers/urls conversions are off), ids and codes as text,
a frozen bilingual header, money in yuan with thousands separators, and a sheet of citation and field dictionary.

Table rows are the XML of formats.RowFormat, written straight into XlsxWriter's row file: the bytes of
write_string / write_number / write_boolean / write_datetime calls at a fraction of their cost (they are most of
the downloads stage). tests/test_xlsx_rows.py checks the bytes against those calls on awkward values.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime

import xlsxwriter

from ..model.catalog import Dataset, Record
from ..model.units import XLSX_FRACTION, XLSX_WHOLE, titles
from .formats import (
    DATE_FORMAT,
    MONEY_FORMAT,
    MONEY_FRACTION_FORMAT,
    Row,
    RowFormat,
    Table,
    as_table,
    cut_text,
    field_dictionary,
    text_cell,
)

SAMPLE = 200  # rows read for a column's width
BATCH = 256  # rows written to a file at once
_NARROW = re.compile("[\x00-\u2e7f]+")  # characters a column width counts once (the rest: twice)


def _width(field: dict, records: list[Record], table: Table) -> float:
    """Column width from the header and the first SAMPLE values (wide characters count double)."""
    def w(text: str) -> int:  # = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text), counted in C
        return len(text) if text.isascii() else len(text) + len(_NARROW.sub("", text))
    sample = [text_cell(field, table.value(r.values, field["name"])) for r in records[:SAMPLE]]
    widest = max([w(field.get("title") or ""), w(field.get("x-label-en") or field["name"])] + [w(s) for s in sample])
    return float(min(max(widest + 2, 8), 60))


def _write_text(sheet, row: int, col: int, text: str, *fmt) -> None:
    """Write text as text; a text longer than Excel keeps is cut visibly (never silently). XlsxWriter writes a
    string that starts with <r> and ends with </r> unescaped, as live rich-string XML: such a text (a schema's title
    or a dataset's description can be one) goes in as plain rich-string pieces (XlsxWriter wants three or more), which
    XlsxWriter escapes; the cell shows the same text."""
    text = cut_text(text)
    if text.startswith("<r>") and text.endswith("</r>"):
        sheet.write_rich_string(row, col, text[:1], text[1:2], text[2:], *fmt)
    else:
        sheet.write_string(row, col, text, *fmt)


class Workbook:
    """A deterministic XLSX workbook (constant_memory: rows stream to disk, memory stays flat at any size)."""

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
        self._money = None
        self._fraction = None
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

    def money_format(self):
        """'#,##0' for amounts in yuan (the values stay numbers); added on first use, so a workbook without money
        columns keeps the bytes it always had."""
        if self._money is None:
            self._money = self.book.add_format({"num_format": XLSX_WHOLE})
        return self._money

    def fraction_format(self):
        """'#,##0.0#######' for a money cell with a fraction (scripts/model/units.py); added only for a table that has a
        number-typed money column."""
        if self._fraction is None:
            self._fraction = self.book.add_format({"num_format": XLSX_FRACTION})
        return self._fraction

    def table_sheet(self, name: str, dataset: Dataset | Table, records: list[Record]) -> None:
        """A sheet of records (sorted by the caller) in one call."""
        sheet, row = self.begin_table(name, dataset, records), RowFormat(dataset).row
        for record in records:
            sheet.add(row(record))
        sheet.close()

    def begin_table(self, name: str, dataset: Dataset | Table, records: list[Record]) -> "TableSheet":
        """A sheet with the header row, ready for the rows of `records` (used for the widths and the filter)."""
        sheet = self.book.add_worksheet(self.sheet_name(name))
        table = as_table(dataset)
        fields = table.fields
        for col, f in enumerate(fields):
            sheet.set_column(col, col, _width(f, records, table))
            zh, en = titles(f)
            _write_text(sheet, 0, col, zh if zh == en else f"{zh}\n{en}", self.header)
        sheet.set_row(0, 32)
        sheet.freeze_panes(1, 0)
        money = [f for f in fields if f["name"] in table.money]
        whole = self.money_format() if money else None
        fraction = self.fraction_format() if any(f.get("type") == "number" for f in money) else None
        return TableSheet(sheet, {DATE_FORMAT: self.date, MONEY_FORMAT: whole, MONEY_FRACTION_FORMAT: fraction},
                          len(fields), len(records))

    def about_sheet(self, name: str, lines: list[tuple[str, str]], datasets: list[Dataset | Table]) -> None:
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


class TableSheet:
    """The data rows of a table sheet, one formats.Row at a time, written into XlsxWriter's constant_memory row file
    with the worksheet's own bookkeeping (header flush, dimensions, last row) kept as its write_* calls keep it."""

    def __init__(self, sheet, formats: dict, columns: int, rows: int):
        if not sheet.constant_memory or sheet.excel_version != 2007 or \
                sheet.default_row_height != sheet.original_row_height:
            raise ValueError("TableSheet writes plain constant_memory rows only")  # the <row> tag it assumes
        self.sheet, self.formats, self.columns, self.rows = sheet, formats, columns, rows
        self.row = 0  # zero-based row index of the last row added (0 = the header)
        self.last: int | None = None  # the last row that had a cell (XlsxWriter's dimensions count only those)
        self.indices: dict[str, str] = {}  # format placeholder -> its xf index, once numbered
        self.pending: list[str] = []

    def add(self, row: Row) -> None:
        self.row += 1
        if row.xlsx is None or self.row >= self.sheet.xls_rowmax:  # XlsxWriter drops cells past the last row
            return
        if self.last is None:  # the first cell below the header: XlsxWriter flushes the header row then
            self.sheet._write_single_row(self.row)
        parts = row.xlsx
        if row.formats:
            parts = list(parts)
            for part, placeholder in row.formats:  # numbered on first use, in cell order, as XlsxWriter numbers them
                index = self.indices.get(placeholder)
                if index is None:
                    index = self.indices[placeholder] = str(self.formats[placeholder]._get_xf_index())
                parts[part] = parts[part].replace(placeholder, index)
        self.pending.append(str(self.row + 1).join(parts))
        if len(self.pending) >= BATCH:
            self._flush()
        self.last = self.row

    def _flush(self) -> None:
        self.sheet.fh.write("".join(self.pending))  # one write per batch: each write call encodes and buffers
        self.pending.clear()

    def close(self) -> None:
        self._flush()
        if self.last is not None:
            self.sheet.dim_rowmax = self.sheet.previous_row = self.last
        if self.rows:
            self.sheet.autofilter(0, 0, self.rows, self.columns - 1)
