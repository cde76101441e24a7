"""Read an attachment as a department publishes it into a plain table: rows of text cells with source row numbers.

Merged cells are filled (down and across) with the value of their top-left cell, so a company written once over
three rows belongs to each of them and a group row merged across the table reads as one text. Nothing here knows
about fields: that is header.py's job. read_table is the one reader boundary: the bounds of limits.py are checked
before a library parses, and whatever a reader raises (a damaged file, a library bug, RecursionError, MemoryError)
becomes one ReadError with a message code, never a traceback.
"""

from __future__ import annotations

import csv
import io
import warnings
from datetime import date, datetime, time
from pathlib import Path
from typing import Callable

from .documents import read_docx, read_pdf
from .limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    ReadError,
    Rows,
    Table,
    check_file_size,
    check_zip,
    too_many,
)

__all__ = ["ReadError", "Table", "read_table", "cell_text", "fill_merged", "decode_csv"]

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
    readers: dict[str, Callable[..., Table]] = {".xlsx": read_xlsx, ".xlsm": read_xlsx, ".xls": read_xls, ".csv": read_csv, ".txt": read_csv,
               ".docx": read_docx, ".pdf": read_pdf}
    if suffix not in readers:
        raise ReadError("import-format", suffix=suffix or "（无 / none）")
    kind = suffix.lstrip(".")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's warnings about damaged parts: the message says enough
            check_file_size(path)
            if suffix in (".xlsx", ".xlsm", ".docx"):
                check_zip(path, kind)
            if suffix in (".xlsx", ".xlsm", ".xls"):
                return readers[suffix](path, sheet)
            return readers[suffix](path)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError("import-memory", kind=kind) from None
    except Exception as exc:  # noqa: BLE001 - the boundary: any library failure is a message, never a traceback
        raise _inner(exc, kind) or ReadError("import-unreadable", kind=kind,
                                             detail=f"{type(exc).__name__}: {str(exc)[:100]}".rstrip(": ")) from None


def _inner(exc: BaseException, kind: str) -> ReadError | None:
    """A bound or MemoryError raised inside a library call that wrapped it (pdfplumber's PdfminerException holds
    the original in args, openpyxl re-raises with it as the cause)."""
    seen: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(seen) < 10:
        exc = cause
        seen.append(exc)
        for found in [exc, *exc.args]:
            if isinstance(found, ReadError):
                return found
            if isinstance(found, MemoryError):
                return ReadError("import-memory", kind=kind)
        cause = exc.__cause__ or exc.__context__
    return None


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
    """Copy each merged range's top-left value into every cell of the range (ranges: 0-based inclusive boxes).
    Ranges are clipped to the rows read and MAX_COLUMNS; the cells they fill together are bounded by MAX_CELLS."""
    area = 0
    for top, left, bottom, right in ranges:
        left, right = max(left, 0), min(right, MAX_COLUMNS - 1)
        value = grid[top][left] if 0 <= top < len(grid) and left < len(grid[top]) else None
        rows = range(max(top, 0), min(bottom, len(grid) - 1) + 1)
        area += len(rows) * max(right + 1 - left, 0)
        if area > MAX_CELLS:
            raise too_many("merged", "合并单元格", "merged cells", MAX_CELLS, top + 1)
        for r in rows:
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
    """The chosen sheet streamed row by row (openpyxl's read-only parser: memory per row, not per workbook), so the
    row, cell and column bounds stop a two-million-row sheet at row 20,001; merged ranges come from the same pass."""
    import openpyxl
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.utils.exceptions import InvalidFileException
    from openpyxl.worksheet._reader import WorkSheetParser  # the parser behind read-only sheets (openpyxl pinned)

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ReadError("import-unreadable", kind="xlsx", detail=str(exc)[:120]) from None
    try:
        name = _pick_sheet(book.sheetnames, sheet, preferred or [])
        ws = book[name]
        if not hasattr(ws, "_get_source"):  # a chart sheet
            raise ReadError("import-no-table", kind="xlsx")
        found: dict[int, list] = {}
        cells = 0
        first_col = None
        with ws._get_source() as src:
            parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=book.epoch,
                                     date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
            for number, row in parser.parse():
                cells += len(row)
                if number > MAX_ROWS or len(found) >= MAX_ROWS:
                    raise too_many("xlsx", "行数", "rows", MAX_ROWS, number)
                if cells > MAX_CELLS:
                    raise too_many("xlsx", "单元格", "cells", MAX_CELLS, number)
                if row:
                    found[number] = [(c["column"], c["value"]) for c in row]
                    first_col = min(first_col or row[0]["column"], row[0]["column"])
            merged = [range_boundaries(m.ref) for m in (parser.merged_cells.mergeCell if parser.merged_cells else [])]
    finally:
        book.close()
    first_col = first_col or 1
    rows = Rows("xlsx")
    for number in range(1, max(found, default=0) + 1):  # empty rows kept, so row numbers are the sheet's
        line: list = []
        for column, value in found.get(number, []):
            at = column - first_col
            if at >= MAX_COLUMNS and value is None:
                continue
            line.extend([None] * (at + 1 - len(line)))
            line[at] = cell_text(value)
        rows.add(number, line)
    grid = [cells for _n, cells in rows.rows]
    fill_merged(grid, [(r0 - 1, c0 - first_col, r1 - 1, c1 - first_col) for c0, r0, c1, r1 in merged
                       if None not in (c0, r0, c1, r1)])
    notes = [(f"工作表“{name}”", f"sheet {name!r}")] if len(book.sheetnames) > 1 else []
    return Table([(n, row) for (n, _c), row in zip(rows.rows, grid)], f"xlsx ({name})", notes)


def read_xls(path: Path, sheet: str | None = None) -> Table:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises its own XLRDError and struct/zip errors for damaged files
        raise ReadError("import-unreadable", kind="xls", detail=str(exc)[:120]) from None
    name = _pick_sheet(book.sheet_names(), sheet, [])
    ws = book.sheet_by_name(name)
    if ws.nrows > MAX_ROWS:
        raise too_many("xls", "行数", "rows", MAX_ROWS, MAX_ROWS + 1)
    if ws.nrows * ws.ncols > MAX_CELLS:
        raise too_many("xls", "单元格", "cells", MAX_CELLS)
    rows = Rows("xls")
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
        rows.add(r + 1, row)
    grid = [cells for _n, cells in rows.rows]
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
    rows = Rows("csv")
    last = 0
    try:
        for cells in reader:
            rows.add(last + 1, [c if c.strip() else None for c in cells])  # the physical line the row starts on
            last = reader.line_num
    except csv.Error as exc:  # a field over csv's own limit (131,072 characters), a NUL in old Pythons …
        if "field larger than field limit" in str(exc):
            raise ReadError("import-cell-too-long", last + 1, column="?", length=f"> {csv.field_size_limit():,}",
                            limit=f"{MAX_CELL_CHARS:,}") from None
        raise ReadError("import-unreadable", last + 1, kind="csv", detail=str(exc)[:120]) from None
    return Table(rows.rows, f"csv ({en})", [(f"编码：{zh}", f"encoding: {en}")])
