"""The reader boundary for attachments: every bound in one place, checked before (or while) a library parses.

An attachment is hostile input: a 414 KB xlsx can hold a 400 MB string, a 1 MB PDF can inflate to gigabytes, a
docx can hold 20,000 tables. So the file size, the zip (members, unzipped sizes, compression ratio, no DOCTYPE or
entity declarations in any XML part), rows, columns, cells, tables, pages and the bytes a PDF inflates to are all
bounded, and a reader that goes past a bound raises ReadError with a message code; nothing past it is kept.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

MB = 2**20
MAX_FILE_BYTES = 20 * MB  # an attachment on disk
MAX_UNZIPPED_BYTES = 200 * MB  # xlsx/docx: the sum of the members' uncompressed sizes
MAX_MEMBER_BYTES = 64 * MB  # xlsx/docx: one member (sharedStrings.xml, sheet1.xml, document.xml …)
MAX_MEMBERS = 1000  # xlsx/docx: members in the zip
MAX_RATIO = 100  # xlsx/docx: uncompressed/compressed for a member over RATIO_FLOOR (real Office XML stays under 30)
RATIO_FLOOR = 1 * MB
MAX_ROWS = 20_000  # rows per attachment (title and header rows included; docx: table rows)
MAX_COLUMNS = 200  # cells with text per row
MAX_CELLS = 1_000_000  # cells a reader may visit (a spreadsheet's styled empty cells count)
MAX_CELL_CHARS = 32_767  # the longest text Excel keeps in a cell; a longer cell is an error, never written
MAX_TABLES = 200  # docx tables
MAX_PAGES = 500  # PDF pages
MAX_INFLATED_BYTES = 128 * MB  # PDF: the bytes its Flate/LZW streams decode to, all streams together
MAX_PDF_SECONDS = 50  # PDF: the table finder's wall time over all pages

_DECLARATIONS = [word.encode(enc) for word in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")]
_CHUNK = 1 * MB


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


def size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n} B"


def too_many(kind: str, what_zh: str, what_en: str, limit: int, line: int = 1) -> ReadError:
    return ReadError("import-too-many", line, kind=kind, what_zh=what_zh, what_en=what_en, limit=f"{limit:,}")


def check_file_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError("import-too-large", size=size_text(size), limit=size_text(MAX_FILE_BYTES))


def check_cell(text: str | None, line: int, column: int) -> str | None:
    if text is not None and len(text) > MAX_CELL_CHARS:
        raise ReadError("import-cell-too-long", line, column=column + 1, length=f"{len(text):,}",
                        limit=f"{MAX_CELL_CHARS:,}")
    return text


class Rows:
    """Rows as a reader finds them, bounded: row count, cells per row (trailing empty cells dropped), cell length."""

    def __init__(self, kind: str):
        self.kind = kind
        self.rows: list[tuple[int, list[str | None]]] = []

    def add(self, line: int, cells: list[str | None]) -> None:
        if len(self.rows) >= MAX_ROWS:
            raise too_many(self.kind, "行数", "rows", MAX_ROWS, line)
        while cells and cells[-1] is None:
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise too_many(self.kind, "列数", "columns", MAX_COLUMNS, line)
        self.rows.append((line, [check_cell(c, line, i) for i, c in enumerate(cells)]))


def _zip_refusal(kind: str, what_zh: str, what_en: str, limit: str) -> ReadError:
    return ReadError("import-zip-bomb", kind=kind, what_zh=what_zh, what_en=what_en, limit=limit)


def check_zip(path: Path, kind: str) -> None:
    """An Office file (a zip of XML parts) within every bound, before openpyxl or lxml sees it: member count, each
    member's and the total uncompressed size, the compression ratio, and no DOCTYPE/ENTITY in any part (real Office
    files never declare one: refusing them rules out entity expansion and external entities whatever the parser)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError("import-unreadable", kind=kind, detail=str(exc)[:120] or type(exc).__name__) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _zip_refusal(kind, f"共 {len(members):,} 个部件", f"{len(members):,} members", f"{MAX_MEMBERS:,}")
        total = 0
        for info in members:
            name = info.filename[:80]
            if info.file_size > MAX_MEMBER_BYTES:
                raise _zip_refusal(kind, f"{name} 解压后 {size_text(info.file_size)}",
                                   f"{name} unzips to {size_text(info.file_size)}", size_text(MAX_MEMBER_BYTES))
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                raise _zip_refusal(kind, f"{name} 压缩比 {ratio}:1", f"{name} compresses {ratio}:1", f"{MAX_RATIO}:1")
            total += info.file_size
        if total > MAX_UNZIPPED_BYTES:
            raise _zip_refusal(kind, f"解压后共 {size_text(total)}", f"{size_text(total)} unzipped",
                               size_text(MAX_UNZIPPED_BYTES))
        for info in members:
            if not info.is_dir() and _declares(archive, info):
                raise ReadError("import-xml-doctype", kind=kind, member=info.filename[:80])


def _declares(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a member holds <!DOCTYPE or <!ENTITY (UTF-8 or UTF-16), read in chunks (zipfile stops at the
    member's declared size, which check_zip has bounded)."""
    tail = b""
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                window = tail + chunk
                if any(word in window for word in _DECLARATIONS):
                    return True
                tail = window[-20:]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ReadError("import-unreadable", kind=Path(archive.filename or "").suffix.lstrip(".") or "zip",
                        detail=f"{info.filename[:60]}: {str(exc)[:60] or type(exc).__name__}") from None
    return False
