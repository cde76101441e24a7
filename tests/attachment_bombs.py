"""Hostile attachments, generated at test time in a few seconds: the zip members and PDF objects are written directly
(openpyxl or python-docx would need minutes and gigabytes for the big ones), so each file is what an attacker would
upload: small on disk, huge once parsed. Used by tests/test_import_bombs.py and tests/fuzz_attachments.py.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

MB = 2**20
PKG = "http://schemas.openxmlformats.org/package/2006"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _types(overrides: dict[str, str]) -> str:
    parts = "".join(f'<Override PartName="/{p}" ContentType="application/vnd.openxmlformats-officedocument.{t}+xml"/>'
                    for p, t in overrides.items())
    return (f'{HEAD}<Types xmlns="{PKG}/content-types"><Default Extension="rels" ContentType="application/'
            f'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f"{parts}</Types>")


def _rels(*targets: tuple[str, str]) -> str:
    items = "".join(f'<Relationship Id="rId{n}" Type="{DOC}/{kind}" Target="{target}"/>'
                    for n, (kind, target) in enumerate(targets, 1))
    return f'{HEAD}<Relationships xmlns="{PKG}/relationships">{items}</Relationships>'


def write_zip(path: Path, members: dict[str, object], level: int = 6) -> Path:
    """members: name → str, bytes, or an iterable of bytes chunks (streamed, never held whole)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            if isinstance(data, (str, bytes)):
                archive.writestr(name, data)
            else:
                with archive.open(name, "w") as out:
                    for chunk in data:
                        out.write(chunk)
    return path


def xlsx_members(sheet, strings=None) -> dict[str, object]:
    """A minimal real workbook: one sheet "Sheet1" (sheet: the worksheet XML or its chunks), shared strings."""
    strings = strings if strings is not None else f'{HEAD}<sst xmlns="{SHEET_NS}" count="0" uniqueCount="0"/>'
    return {
        "[Content_Types].xml": _types({"xl/workbook.xml": "spreadsheetml.sheet.main",
                                       "xl/worksheets/sheet1.xml": "spreadsheetml.worksheet",
                                       "xl/sharedStrings.xml": "spreadsheetml.sharedStrings"}),
        "_rels/.rels": _rels(("officeDocument", "xl/workbook.xml")),
        "xl/workbook.xml": f'{HEAD}<workbook xmlns="{SHEET_NS}" xmlns:r="{DOC}"><sheets><sheet name="Sheet1" '
                           f'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": _rels(("worksheet", "worksheets/sheet1.xml"),
                                            ("sharedStrings", "sharedStrings.xml")),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": strings,
    }


def sheet_xml(rows: list[list[str]], prolog: str = "") -> str:
    body = "".join(f'<row r="{r}">' + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in cells) + "</row>"
                   for r, cells in enumerate(rows, 1))
    return f'{HEAD}{prolog}<worksheet xmlns="{SHEET_NS}"><sheetData>{body}</sheetData></worksheet>'


HEADER = ["序号", "产品名称", "企业名称", "档次"]


def small_rows(n: int = 3) -> list[list[str]]:
    return [["2023年度首台（套）装备认定名单（示例）"], HEADER] + [
        [str(i), f"示例装备{i:05d}型", "示例装备制造有限公司", "国内首台（套）"] for i in range(1, n + 1)]


def shared_string_bomb_xlsx(path: Path, size: int = 400 * MB) -> Path:
    """~400 KB on disk: one shared string of `size` bytes, used by a cell."""
    def strings():
        yield f'{HEAD}<sst xmlns="{SHEET_NS}" count="1" uniqueCount="1"><si><t>'.encode()
        block = b"A" * (16 * MB)
        for _ in range(size // len(block)):
            yield block
        yield b"</t></si></sst>"
    sheet = (f'{HEAD}<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             f"</sheetData></worksheet>")
    return write_zip(path, xlsx_members(sheet, strings()), level=9)


def million_rows_xlsx(path: Path, rows: int = 2_000_000) -> Path:
    """~100 KB on disk: `rows` rows of one number each (rows without a number count on, as Excel allows)."""
    block = b"<row><c><v>1</v></c></row>" * 100_000
    def sheet():
        yield f'{HEAD}<worksheet xmlns="{SHEET_NS}"><sheetData>'.encode()
        for _ in range(rows // 100_000):
            yield block
        yield b"</sheetData></worksheet>"
    return write_zip(path, xlsx_members(sheet()))


def entity_xlsx(path: Path, kind: str) -> Path:
    """A DOCTYPE in the sheet: an external entity (a local file) or nested entity expansion (billion laughs)."""
    if kind == "external":
        prolog = '<!DOCTYPE worksheet [<!ENTITY leak SYSTEM "file:///etc/passwd">]>'
        cell = "&leak;"
    else:
        defs = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
        prolog = f"<!DOCTYPE worksheet [{defs}]>"
        cell = "&l9;"
    rows = small_rows()
    rows[3][1] = cell
    return write_zip(path, xlsx_members(sheet_xml(rows, prolog)))


def docx_members(body) -> dict[str, object]:
    return {
        "[Content_Types].xml": _types({"word/document.xml": "wordprocessingml.document.main"}),
        "_rels/.rels": _rels(("officeDocument", "word/document.xml")),
        "word/document.xml": body,
    }


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _tc(text: str, merge: str | None = None) -> str:
    pr = f'<w:tcPr><w:vMerge w:val="{merge}"/></w:tcPr>' if merge == "restart" else "<w:tcPr><w:vMerge/></w:tcPr>" if merge else ""
    return f"<w:tc>{pr}{_p(text)}</w:tc>"


def document_xml(parts) -> object:
    yield f'{HEAD}<w:document xmlns:w="{W_NS}"><w:body>'.encode()
    for part in parts:
        yield part.encode()
    yield b"</w:body></w:document>"


def _row(cells: list[str]) -> str:
    return "<w:tr>" + "".join(_tc(c) for c in cells) + "</w:tr>"


def many_tables_docx(path: Path, tables: int = 20_000) -> Path:
    parts = (f"<w:tbl>{_row([str(n), f'{n * 2654435761 % 2**32:08x}'])}</w:tbl>{_p('')}" for n in range(tables))
    return write_zip(path, docx_members(document_xml(parts)))


def many_rows_docx(path: Path, rows: int = 100_000) -> Path:
    def parts():
        yield _p("2024年度首批次新材料认定名单（示例）") + "<w:tbl>" + _row(["序号", "材料名称", "企业名称", "认定档次"])
        for n in range(1, rows + 1):
            yield _row([str(n), f"示例材料{n * 2654435761 % 2**32:08x}", "示例材料有限公司", "省内首批次"])
        yield "</w:tbl>"
    return write_zip(path, docx_members(document_xml(parts())))


def vertical_merge_docx(path: Path, rows: int = 3_000) -> Path:
    """One company written once and merged down over `rows` rows (python-docx recursed once per row)."""
    def parts():
        yield _p("2024年度首批次新材料认定名单（示例）") + "<w:tbl>" + _row(["序号", "材料名称", "企业名称", "认定档次"])
        for n in range(1, rows + 1):
            company = _tc("示例长链材料有限公司", "restart") if n == 1 else _tc("", "continue")
            yield f"<w:tr>{_tc(str(n))}{_tc(f'示例材料{n:05d}')}{company}{_tc('省内首批次')}</w:tr>"
        yield "</w:tbl>"
    return write_zip(path, docx_members(document_xml(parts())))


def pdf_bytes(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF file from object bodies (object n is objects[n - 1]) with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def stream(data: bytes, filters: str = "") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), filters.encode()) + data + b"\nendstream"


TEXT = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n"


def simple_pdf(content: bytes, filters: str = "", pages: int = 1, mediabox: bytes = b"[0 0 595 842]") -> bytes:
    """Catalog, page tree with `pages` pages sharing one content stream, one standard font."""
    first = 5
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               stream(content, filters), b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
                % mediabox] * pages
    return pdf_bytes(objects)


def flate_bomb(size: int = 1024 * MB) -> bytes:
    """A valid zlib stream of TEXT and `size` spaces, ~size/1030 bytes: one 16 MB block compressed after a full
    flush is the same bytes every time, so it is repeated instead of compressed again."""
    block = b" " * (16 * MB)
    c = zlib.compressobj(9)
    head = c.compress(TEXT) + c.flush(zlib.Z_FULL_FLUSH)
    one = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    count = size // len(block)
    adler = zlib.adler32(TEXT)
    for _ in range(count):
        adler = zlib.adler32(block, adler)
    return head + one * count + b"\x03\x00" + struct.pack(">I", adler)  # an empty final block, then the checksum


def flate_bomb_pdf(path: Path) -> Path:
    path.write_bytes(simple_pdf(flate_bomb(), " /Filter /FlateDecode"))
    return path


def double_flate_bomb_pdf(path: Path) -> Path:
    """The bomb compressed again: the raw file inflates to ~1 MB; only the second filter explodes."""
    path.write_bytes(simple_pdf(zlib.compress(flate_bomb(), 9), " /Filter [/FlateDecode /FlateDecode]"))
    return path


def many_pages_pdf(path: Path, pages: int = 5_000) -> Path:
    path.write_bytes(simple_pdf(TEXT, pages=pages))
    return path
