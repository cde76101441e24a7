"""Read an attachment as a department publishes it into a plain table: rows of text cells with source row numbers.

Merged cells are filled (down and across) with the value of their top-left cell, so a company written once over
three rows belongs to each of them and a group row merged across the table reads as one text. Nothing here knows
about fields: that is header.py's job. A file that cannot be read raises ReadError with a message code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path


class ReadError(Exception):
    """The file cannot be read: `code` is a messages.py key, `params` fill its template."""

    def __init__(self, code: str, line: int = 1, **params):
        super().__init__(code)
        self.code, self.line, self.params = code, line, params


@dataclass
class Table:
    rows: list[tuple[int, list[str | None]]]  # (source row number, cells)
    reader: str  # what read it, e.g. "xlsx: 工作表 Sheet1" or "csv: GBK/GB18030"
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) facts the report repeats


# file suffix → (message code for a format to convert first) or reader
CONVERT_FIRST = {".wps": "WPS", ".et": "WPS", ".dps": "WPS", ".doc": "Word", ".ppt": "PowerPoint"}


def read_table(path: Path, sheet: str | None = None) -> Table:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ReadError("import-no-file")
    if suffix in CONVERT_FIRST:
        target = ".xlsx" if suffix in (".et",) else ".docx" if suffix in (".doc", ".wps") else ".xlsx"
        raise ReadError("import-convert", suffix=suffix, app=CONVERT_FIRST[suffix], target=target)
    readers = {".xlsx": read_xlsx, ".xlsm": read_xlsx, ".xls": read_xls, ".csv": read_csv, ".txt": read_csv,
               ".docx": read_docx, ".pdf": read_pdf}
    if suffix not in readers:
        raise ReadError("import-format", suffix=suffix or "（无 / none）")
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return readers[suffix](path, sheet)
    return readers[suffix](path)


def cell_text(value) -> str | None:
    """A spreadsheet value as the text a person sees: integral floats without .0, dates as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def fill_merged(grid: list[list], ranges) -> None:
    """Copy each merged range's top-left value into every cell of the range (ranges: 0-based inclusive boxes)."""
    for top, left, bottom, right in ranges:
        value = grid[top][left] if top < len(grid) and left < len(grid[top]) else None
        for r in range(top, min(bottom, len(grid) - 1) + 1):
            row = grid[r]
            if len(row) <= right:
                row.extend([None] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                row[c] = value


def _pick_sheet(names: list[str], wanted: str | None, preferred: list[str]) -> str:
    if wanted:
        if wanted not in names:
            raise ReadError("import-no-sheet", sheet=wanted, sheets="、".join(names))
        return wanted
    return next((n for n in preferred if n in names), names[0])


def read_xlsx(path: Path, sheet: str | None = None, preferred: list[str] | None = None) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ReadError("import-unreadable", kind="xlsx", detail=str(exc)[:120]) from None
    name = _pick_sheet(book.sheetnames, sheet, preferred or [])
    ws = book[name]
    grid = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    fill_merged(grid, [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges])
    notes = [(f"工作表“{name}”", f"sheet {name!r}")] if len(book.sheetnames) > 1 else []
    return Table([(i + 1, row) for i, row in enumerate(grid)], f"xlsx ({name})", notes)


def read_xls(path: Path, sheet: str | None = None) -> Table:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as exc:  # xlrd raises its own XLRDError and struct/zip errors for damaged files
        raise ReadError("import-unreadable", kind="xls", detail=str(exc)[:120]) from None
    name = _pick_sheet(book.sheet_names(), sheet, [])
    ws = book.sheet_by_name(name)
    grid = []
    for r in range(ws.nrows):
        row = []
        for c in range(ws.ncols):
            cell = ws.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            else:
                row.append(cell_text(cell.value))
        grid.append(row)
    fill_merged(grid, [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells])
    return Table([(i + 1, row) for i, row in enumerate(grid)], f"xls ({name})")


def decode_csv(data: bytes) -> tuple[str, str, str]:
    """(text, zh, en) with the encoding used: UTF-8 (with or without BOM), else GBK/GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8（带 BOM）", "UTF-8 with BOM"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "UTF-8", "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK/GB18030", "GBK/GB18030"
    except UnicodeDecodeError as exc:
        raise ReadError("import-encoding", line=data[: exc.start].count(b"\n") + 1) from None


def read_csv(path: Path) -> Table:
    text, zh, en = decode_csv(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    rows = []
    last = 0
    for cells in reader:
        rows.append((last + 1, [c if c.strip() else None for c in cells]))  # the physical line the row starts on
        last = reader.line_num
    return Table(rows, f"csv ({en})", [(f"编码：{zh}", f"encoding: {en}")])


def read_docx(path: Path) -> Table:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ReadError("import-unreadable", kind="docx", detail=str(exc)[:120]) from None
    if not document.tables:
        raise ReadError("import-no-table", kind="docx")
    rows: list[tuple[int, list[str | None]]] = []
    body = document.element.body
    number = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":  # above the first table: the title lines; between tables: headings such as 二、国内首台（套）
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.strip():
                rows.append((number, [text]))  # a heading is numbered like the table row above it
        elif tag == "tbl":
            table = next(t for t in document.tables if t._tbl is child)
            for row in table.rows:
                number += 1
                rows.append((number, [c.text if c.text.strip() else None for c in row.cells]))
    notes = [("行号为表格中的行序号（标题段落不计）", "row numbers count table rows (title paragraphs excluded)")]
    return Table(rows, "docx", notes)


def read_pdf(path: Path) -> Table:
    import logging

    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(str(path))
    except (PDFSyntaxError, OSError, ValueError) as exc:
        raise ReadError("import-unreadable", kind="pdf", detail=str(exc)[:120]) from None
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the reader's business
    rows: list[tuple[int, list[str | None]]] = []
    number = 0
    with pdf:
        if not any(page.chars for page in pdf.pages):
            raise ReadError("import-no-text-layer", pages=len(pdf.pages))
        for index, page in enumerate(pdf.pages):
            tables = page.find_tables()
            if not tables:
                tables = page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text"})
            if index == 0 and tables:
                above = page.crop((0, 0, page.width, max(tables[0].bbox[1], 1))).extract_text() or ""
                rows += [(0, [line]) for line in above.splitlines() if line.strip()]
            for table in tables:
                for cells in table.extract():
                    number += 1
                    rows.append((number, [c if c and c.strip() else None for c in cells]))
    if number == 0:
        raise ReadError("import-no-table", kind="pdf")
    notes = [("行号为 PDF 表格中的行序号（跨页连续）", "row numbers count PDF table rows across pages")]
    return Table(rows, "pdf", notes)
