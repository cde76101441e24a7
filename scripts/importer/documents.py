"""The document readers: the tables of a .docx and of a text PDF, as rows of text cells, within limits.py's bounds.

docx: word/document.xml is streamed (lxml iterparse, entities never resolved, no network) one top-level table row
at a time, so a 100,000-row or 20,000-table document stops at the bound without building the whole tree, and a
vertical merge takes the text of the cell above from the previous row (python-docx walks up the merge recursively:
a 3,000-row merge ended in RecursionError). Cell text follows python-docx's cell.text (runs and hyperlinks, tabs,
line breaks), read without its per-call XPath (15 s for 20,000 rows).
pdf: the raw file's Flate streams are inflated within a byte budget before pdfminer opens it, and every stream
pdfminer decodes afterwards passes the same budget (the document's `decipher` hook, which it calls for each stream
before decoding); the page count is read lazily and bounded before any layout; the table finder has a time bound.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import time
import zipfile
import zlib
from pathlib import Path

from .limits import (
    MAX_COLUMNS,
    MAX_INFLATED_BYTES,
    MAX_PAGES,
    MAX_PDF_SECONDS,
    MAX_TABLES,
    ReadError,
    Rows,
    Table,
    size_text,
    too_many,
)
from .titles import rejoin_year

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAIN = re.compile(rb'Type="[^"]*/officeDocument"[^>]*?Target="([^"]+)"|Target="([^"]+)"[^>]*?Type="[^"]*/officeDocument"')


def _document_part(archive: zipfile.ZipFile) -> str:
    """The main document part named by _rels/.rels (word/document.xml in every file Word writes)."""
    try:
        rels = archive.read("_rels/.rels")
    except KeyError:
        raise ReadError("import-unreadable", kind="docx", detail="no _rels/.rels") from None
    found = _MAIN.search(rels)
    if not found:
        raise ReadError("import-unreadable", kind="docx", detail="no main document part") from None
    return (found.group(1) or found.group(2)).decode("utf-8", "replace").lstrip("/")


def read_docx(path: Path) -> Table:
    from lxml import etree

    rows = Rows("docx")
    number = tables = 0
    above: dict[int, str | None] = {}  # grid column → text of the previous row's cell (for vertical merges)
    with zipfile.ZipFile(path) as archive:
        name = _document_part(archive)
        try:
            source = archive.open(name)
        except KeyError:
            raise ReadError("import-unreadable", kind="docx", detail=f"no part {name[:60]}") from None
        with source:
            events = etree.iterparse(source, events=("end",), tag=(f"{W}p", f"{W}tr", f"{W}tbl"),
                                     resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
            for _event, element in events:
                parent = element.getparent()
                if parent is None:
                    continue
                if element.tag == f"{W}tr" and parent.tag == f"{W}tbl" and _at_body(parent):
                    number += 1
                    cells, above = _row_cells(element, above, number)
                    rows.add(number, cells)
                elif element.tag == f"{W}tbl" and _at_body(element):
                    tables += 1
                    if tables > MAX_TABLES:
                        raise too_many("docx", "表格数", "tables", MAX_TABLES, number or 1)
                    above = {}
                elif element.tag == f"{W}p" and _at_body(element):
                    # above the first table: the title lines; between tables: headings such as 二、国内首台（套）装备,
                    # which set the tier of the table below (numbered like the table row above them)
                    text = "".join(t.text or "" for t in element.iter(f"{W}t"))
                    if text.strip():
                        rows.add(number, [text])
                else:
                    continue
                element.clear()  # done with it: the tree never holds more than one row
                while element.getprevious() is not None:
                    del parent[0]
    if not tables:
        raise ReadError("import-no-table", kind="docx")
    notes = [("行号为表格中的行序号（段落不计）", "row numbers count table rows (paragraphs excluded)")]
    return Table(rows.rows, "docx", notes)


def _at_body(element) -> bool:
    parent = element.getparent()
    return parent is not None and parent.tag == f"{W}body"


def _row_cells(tr, above: dict[int, str | None], number: int) -> tuple[list[str | None], dict[int, str | None]]:
    """The cells of a table row as python-docx's row.cells gives them (a cell spanning n grid columns n times, a
    vertically merged cell with the text of the cell it continues) and the row's texts by grid column."""
    cells: list[str | None] = []
    here: dict[int, str | None] = {}
    offset = _number(_child(_child(tr, f"{W}trPr"), f"{W}gridBefore"), 0)
    for tc in tr.iterchildren(f"{W}tc"):
        properties = _child(tc, f"{W}tcPr")
        span = _number(_child(properties, f"{W}gridSpan"), 1)
        if offset + span > MAX_COLUMNS or span < 1:
            raise too_many("docx", "列数", "columns", MAX_COLUMNS, number)
        merge = _child(properties, f"{W}vMerge")
        if merge is not None and merge.get(f"{W}val", "continue") == "continue":
            text = above.get(offset)
        else:
            text = "\n".join(_paragraph_text(p) for p in tc.iterchildren(f"{W}p"))
            text = text if text.strip() else None
        here[offset] = text
        cells += [text] * span
        offset += span
    return cells, here


def _child(element, tag: str):
    return None if element is None else next(element.iterchildren(tag), None)


def _number(element, default: int) -> int:
    return default if element is None else int(element.get(f"{W}val", default))


_RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


def _paragraph_text(p) -> str:
    """python-docx's paragraph text: the runs directly in the paragraph and in its hyperlinks; w:t as written, tabs
    as \\t, line breaks (not page or column breaks) as \\n, non-breaking hyphens as -."""
    out = []
    for child in p.iterchildren(f"{W}r", f"{W}hyperlink"):
        for run in ([child] if child.tag == f"{W}r" else child.iterchildren(f"{W}r")):
            for part in run.iterchildren():
                if part.tag == f"{W}t":
                    out.append(part.text or "")
                elif part.tag == f"{W}br":
                    out.append("\n" if part.get(f"{W}type", "textWrapping") == "textWrapping" else "")
                else:
                    out.append(_RUN_TEXT.get(part.tag, ""))
    return "".join(out)


# --- PDF ---------------------------------------------------------------------------------------------------------

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_PIECE = 64 * 1024


def _over_budget() -> ReadError:
    return ReadError("import-pdf-inflate", limit=size_text(MAX_INFLATED_BYTES))


def inflate(data: bytes | memoryview, budget: int, keep: bool = True) -> tuple[bytes, int]:
    """(inflated bytes if `keep`, their count) of one zlib stream, fed and drained in pieces so no more than
    `budget` bytes are ever produced (ReadError past it); a damaged stream ends the count where it breaks."""
    d = zlib.decompressobj()
    out, total, pos = [], 0, 0
    try:
        while not d.eof and (pos < len(data) or d.unconsumed_tail):
            if d.unconsumed_tail:
                piece: bytes | memoryview = d.unconsumed_tail
            else:
                piece, pos = data[pos:pos + _PIECE], pos + _PIECE
            chunk = d.decompress(piece, _PIECE * 16)
            total += len(chunk)
            if total > budget:
                raise _over_budget()
            if keep:
                out.append(chunk)
    except zlib.error:
        pass
    return b"".join(out), total


def check_raw_streams(data: bytes) -> None:
    """Every Flate stream in the file, before pdfminer opens it (it decodes cross-reference and object streams
    while opening, before any hook can be set): their inflated sizes together within the budget."""
    left, view = MAX_INFLATED_BYTES, memoryview(data)
    for found in _STREAM.finditer(data):
        head = data[found.end():found.end() + 2]
        if len(head) == 2 and head[0] & 0x0F == 8 and (head[0] * 256 + head[1]) % 31 == 0:  # a zlib header
            left -= inflate(view[found.end():], left, keep=False)[1]


class Inflation:
    """The document's decipher hook, wrapped: pdfminer passes every stream's bytes and dictionary through it just
    before decoding, so the bytes its filters (Flate, LZW, RunLength) would produce are counted against the budget
    first. Deciphering itself (an encrypted PDF) is the original hook's; strings pass unchanged."""

    def __init__(self, decipher):
        self.decipher, self.left = decipher, MAX_INFLATED_BYTES

    def __call__(self, objid, genno, data, attrs=None):
        if self.decipher is not None:
            data = self.decipher(objid, genno, data) if attrs is None else self.decipher(objid, genno, data, attrs)
        if attrs is not None:
            self.left -= self.decoded_size(data, attrs)
        return data

    def decoded_size(self, data: bytes, attrs: dict) -> int:
        from pdfminer.lzw import LZWDecoder
        from pdfminer.pdftypes import (
            LITERALS_FLATE_DECODE,
            LITERALS_LZW_DECODE,
            LITERALS_RUNLENGTH_DECODE,
            resolve1,
            rldecode,
        )

        filters = resolve1(attrs.get("F") or attrs.get("Filter"))
        filters = filters if isinstance(filters, list) else [filters] if filters else []
        size = len(data)
        for n, name in enumerate(resolve1(f) for f in filters):
            keep = n < len(filters) - 1
            if name in LITERALS_FLATE_DECODE:
                data, size = inflate(data, self.left, keep)
            elif name in LITERALS_LZW_DECODE:
                parts, size = [], 0
                for part in LZWDecoder(io.BytesIO(data)).run():
                    size += len(part)
                    if size > self.left:
                        raise _over_budget()
                    if keep:
                        parts.append(part)
                data = b"".join(parts)
            elif name in LITERALS_RUNLENGTH_DECODE:
                if len(data) * 128 > self.left:
                    raise _over_budget()
                data = rldecode(data)
                size = len(data)
            if size > self.left:
                raise _over_budget()
        return size


def read_pdf(path: Path) -> Table:
    import pdfplumber
    from pdfminer.pdfpage import PDFPage

    check_raw_streams(path.read_bytes())
    pdf = pdfplumber.open(str(path))
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the reader's business
    rows = Rows("pdf")
    number = 0
    with pdf:
        pdf.doc.decipher = Inflation(pdf.doc.decipher)
        if sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), MAX_PAGES + 1)) > MAX_PAGES:
            raise too_many("pdf", "页数", "pages", MAX_PAGES)
        started, text_layer = time.monotonic(), False
        for _index, page in enumerate(pdf.pages):
            if time.monotonic() - started > MAX_PDF_SECONDS:
                raise ReadError("import-too-slow", kind="pdf", limit=MAX_PDF_SECONDS, line=number or 1)
            text_layer = text_layer or bool(page.chars)
            tables = page.find_tables()
            if not tables:
                tables = page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text"})
            top = 0.0
            for table in sorted(tables, key=lambda t: t.bbox[1]):
                # the text above each table: on the first page the title lines, further down the headings between
                # tables (二、国内首台（套）装备) that set the tier of the table below, numbered like the row above them
                if table.bbox[1] - top >= 1:
                    band = page.crop((0, top, page.width, table.bbox[1])).extract_text() or ""
                    for line in rejoin_year([line for line in band.splitlines() if line.strip()]):
                        rows.add(number, [line])
                top = max(top, table.bbox[3])
                for cells in table.extract():
                    number += 1
                    rows.add(number, [c if c and c.strip() else None for c in cells])
            page.close()
        if not text_layer:
            raise ReadError("import-no-text-layer", pages=len(pdf.pages))
    if number == 0:
        raise ReadError("import-no-table", kind="pdf")
    notes = [("行号为 PDF 表格中的行序号（跨页连续）", "row numbers count PDF table rows across pages")]
    return Table(rows.rows, "pdf", notes)
