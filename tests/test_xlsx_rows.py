"""The XLSX fast path (scripts/exports/xlsx.py TableSheet, rows from formats.RowFormat) writes byte for byte what XlsxWriter's
own write_string / write_number / write_boolean / write_datetime calls write, on awkward values: control
characters, literal _xHHHH_ escapes, edge spaces, markup, rich-string look-alikes, texts over the cell limit,
characters outside the BMP, huge and odd numbers, invalid booleans and dates, empty cells and empty rows, money and
date formats numbered in first-use order across sheets. Published releases are checked by SHA-256, so a drift
of one byte (a new XlsxWriter, a shortcut that is not exact) must fail here first."""

from __future__ import annotations

import csv
import functools
import io
import zipfile
from datetime import date, datetime

import pytest

from scripts.exports import formats
from scripts.exports.formats import CUT_MARK, XLSX_CELL_LIMIT, Table, as_table, text_cell
from scripts.exports.xlsx import Workbook
from scripts.load.loader import load_catalog
from scripts.model.catalog import Record, typed

DAY = date(2025, 1, 1)

FIELDS = [{"name": "id"}, {"name": "n", "type": "integer"}, {"name": "x", "type": "number"},
          {"name": "ok", "type": "boolean"}, {"name": "on", "type": "date"},
          {"name": "tags", "type": "list", "delimiter": ";"}, {"name": "code"},
          {"name": "code_name", "title": "名称", "x-label-en": "Name"}, {"name": "amount_yuan", "type": "integer"}]

AWKWARD = ["", " lead", "trail ", "\u3000全角", "tab\tin", "line\nbreak", "cr\rin", "ctl\x01\x1f", "_x0041_ literal",
           "_x00zz_", "a_b", "&<>\"'", "<r>", "=SUM(A1)", "\ufffe\uffff", "😀 emoji",
           "长" * (XLSX_CELL_LIMIT + 10), "😀" * 20000, "x" * XLSX_CELL_LIMIT, "中文，（括号）"]
NUMBERS = ["0", "-7", "1e3", "2.50", "999999999999999", "1000000000000000", "nan", "inf", "-0", "abc", " 12", ""]
BOOLEANS = ["true", "False", "yes", "0", "maybe", ""]
DATES = ["2025-03-01", " 2025-03-01 ", "1900-01-01", "1900-03-01", "2025-13-01", "20250301", ""]


def _records() -> list[Record]:
    rows = []
    for i in range(max(len(AWKWARD), len(NUMBERS), len(BOOLEANS), len(DATES))):
        rows.append(Record("t", i + 2, {
            "id": AWKWARD[i % len(AWKWARD)], "n": NUMBERS[i % len(NUMBERS)], "x": NUMBERS[(i + 3) % len(NUMBERS)],
            "ok": BOOLEANS[i % len(BOOLEANS)], "on": DATES[i % len(DATES)],
            "tags": None if i % 4 == 0 else AWKWARD[i % len(AWKWARD)].split("\n"),
            "code": ["330402", "330411", "missing", None][i % 4], "amount_yuan": NUMBERS[(i + 1) % len(NUMBERS)]}))
    rows.insert(3, Record("t", 99, {}))  # every cell empty: XlsxWriter writes no row at all
    return rows


@pytest.fixture
def dataset(tree):
    catalog, _ = load_catalog(tree)
    return catalog.datasets["awards"]


def _table(dataset, money: bool) -> Table:
    names = {"330402": "南湖区", "330411": "秀洲区 & <x>"}
    return Table(dataset, FIELDS, {"code_name": ("code", names)}, frozenset({"amount_yuan"} if money else ()))


def _reference_sheet(book: Workbook, name: str, dataset, records: list[Record]) -> None:
    """The table sheet written cell by cell through XlsxWriter's public calls (the way it was written before)."""
    sheet = book.begin_table(name, dataset, records).sheet  # the same header, widths and frozen row
    table = as_table(dataset)
    write_string = functools.partial(lambda s, r, c, t, *f: s.write_string(r, c, formats.cut_text(t), *f), sheet)
    for row, record in enumerate(records, start=1):
        for col, f in enumerate(table.fields):
            raw = table.value(record.values, f["name"])
            kind = f.get("type", "string")
            if raw is None:
                continue
            if kind in ("integer", "number"):
                value = typed(f, raw)
                if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15:
                    sheet.write_number(row, col, value, *((book.money_format(),) if f["name"] in table.money else ()))
                    continue
            elif kind == "boolean":
                value = typed(f, raw)
                if isinstance(value, bool):
                    sheet.write_boolean(row, col, value)
                    continue
            elif kind == "date":
                try:
                    day = date.fromisoformat(str(raw).strip())
                    sheet.write_datetime(row, col, datetime(day.year, day.month, day.day), book.date)
                    continue
                except ValueError:
                    pass
            write_string(row, col, text_cell(f, raw))
    if records:
        sheet.autofilter(0, 0, len(records), len(table.fields) - 1)


def _book(path, dataset, sheets, fast: bool) -> bytes:
    book = Workbook(path, DAY, "t", "a")
    for name, table, records in sheets:
        if fast:
            book.table_sheet(name, table, records)
        else:
            _reference_sheet(book, name, table, records)
    book.about_sheet("说明 About", [("名称 / Title", "t")], [sheets[0][1]])
    book.close()
    return path.read_bytes()


@pytest.mark.parametrize("order", ["money first", "dates first"])
def test_fast_rows_are_the_bytes_of_xlsxwriters_own_calls(dataset, tmp_path, order):
    records = _records()
    money, plain = _table(dataset, money=True), _table(dataset, money=False)
    dated = [r for r in records if r.values.get("on")]  # a sheet whose first formatted cell is a date
    sheets = [("a", money, records), ("b", plain, dated), ("empty", plain, [])]
    if order == "dates first":
        sheets = [("b", plain, dated), ("a", money, records), ("empty", plain, [])]
    fast = _book(tmp_path / "fast.xlsx", dataset, sheets, fast=True)
    reference = _book(tmp_path / "reference.xlsx", dataset, sheets, fast=False)
    assert fast == reference


def test_the_awkward_values_do_reach_the_sheet(dataset, tmp_path):
    """Guards the test above against comparing two empty sheets: the values are there, escaped and cut."""
    path = tmp_path / "f.xlsx"
    _book(path, dataset, [("a", _table(dataset, money=True), _records())], fast=True)
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "ctl_x0001__x001F_" in xml and "_x005F_x0041_ literal" in xml and "&amp;&lt;&gt;\"'" in xml
    assert '<t xml:space="preserve"> lead</t>' in xml and CUT_MARK in xml and "<f>" not in xml
    assert 't="b"><v>1</v>' in xml and "<v>45717</v>" in xml  # yes → TRUE; 2025-03-01 as an Excel date


def test_a_csv_line_is_what_the_csv_module_writes(dataset):
    """Plain and Excel lines share one formatting; a CR in a cell (quoted only under CRLF) is formatted again."""
    lines = formats.CsvLines()
    for cells in (["a", "b"], ["a,b", 'q"'], ["line\nbreak", ""], ["cr\rin", "x"], [""], ["=1", "\u3000"]):
        for variant, end in ((0, "\n"), (1, "\r\n")):
            out = io.StringIO(newline="")
            csv.writer(out, lineterminator=end).writerow(cells)
            assert lines(cells)[variant] == out.getvalue()


def test_a_text_that_looks_like_rich_string_xml_stays_text():
    # XlsxWriter's write_string passes "<r>…</r>" through as live rich-string XML; the table rows escape it
    cell = formats.inline_string("<r><t>伪造</t></r>")
    assert cell == ' t="inlineStr"><is><t>&lt;r&gt;&lt;t&gt;伪造&lt;/t&gt;&lt;/r&gt;</t></is></c>'


def test_header_and_about_sheet_texts_that_look_like_rich_string_xml_stay_text(tmp_path):
    # a schema's title or a dataset's description is contributor text too: written through write_string it would
    # be live XML in the sheet; it goes in as escaped rich-string pieces and reads back as the same text
    import openpyxl

    fake = "<r><t>伪造</t></r>"
    path = tmp_path / "about.xlsx"
    book = Workbook(path, DAY, "t", "a")
    book.about_sheet("说明 About", [(fake, fake + "</r>"), ("名称 / Title", "plain")], [])
    book.close()
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<t>伪造</t>" not in xml and "&lt;t&gt;伪造&lt;/t&gt;" in xml
    cells = [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]
    assert cells == [[fake, fake + "</r>"], ["名称 / Title", "plain"]]
