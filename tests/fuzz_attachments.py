"""A fixed, seeded corpus of mutated attachments (xlsx, docx, xls, PDF, CSV in the official list layout) fed to the
importer: each case goes through the reader boundary (read_table) and, when the file still reads, through the
whole import (`scripts.importer.cli.run`) into a tiny data tree.

Run by tests/test_fuzz.py in a child process with a memory limit; also runnable by hand:
    python tests/fuzz_attachments.py [--count N] [--seed S] [--only N]
It prints one JSON object: cases, how many were refused with a message, read, imported, seconds, the slowest case,
peak memory and the failures (a traceback, a hang, a bound that was not hit before memory ran out, a message that
is not `file:line: field: 中文 | English`, or a failed import that changed data/).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import import_layouts as L  # noqa: E402
from conftest import FIXTURES, make_tree  # noqa: E402
from fuzz_corpus import mutate as mutate_text  # noqa: E402

SEED = 20251207
COUNT = 240
SECONDS_PER_CASE = 20
MEMORY_LIMIT = 2 * 2**30
KINDS = ["xlsx", "xlsx", "docx", "docx", "pdf", "csv", "csv", "xls"]
FULL_EVERY = 4  # every 4th case that still reads goes through the whole import (validation included: ~1 s each)
ODD_TEXT = ["长" * 40_000, "x" * 200_000, "\x00", "\ufeff", "\u202e", "=1+1", "<b>x</b>", "&amp;", "]]>", "\x1b[2J",
            "𠀀" * 10, "示例" * 3000]


def bases(work: Path) -> dict[str, bytes]:
    """The valid attachments every mutation starts from."""
    import docx
    import xlwt

    document = docx.Document()
    document.add_paragraph(L.MATERIALS_TITLE)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, L.MATERIALS_HEADER):
        cell.text = text
    for n, (company, material, category) in enumerate(L.materials_rows()[:6], 1):
        for cell, text in zip(table.add_row().cells, [str(n), company, material, category]):
            cell.text = text
    table.cell(1, 1).merge(table.cell(2, 1))
    document.save(work / "base.docx")
    book = xlwt.Workbook()
    ws = book.add_sheet("Sheet1")
    ws.write_merge(0, 0, 0, 3, L.MATERIALS_TITLE)
    for r, row in enumerate([L.MATERIALS_HEADER] + [[str(n), *row] for n, row in enumerate(L.materials_rows()[:6], 1)], 1):
        for c, text in enumerate(row):
            ws.write(r, c, text)
    book.save(str(work / "base.xls"))
    csv_text = "\n".join([L.MATERIALS_TITLE, ",".join(L.MATERIALS_HEADER)] + [
        f"{n},{c},{m},{k}" for n, (c, m, k) in enumerate(L.materials_rows()[:8], 1)]) + "\n"
    return {"xlsx": L.materials_xlsx(work / "base.xlsx").read_bytes(), "docx": (work / "base.docx").read_bytes(),
            "xls": (work / "base.xls").read_bytes(), "pdf": (FIXTURES / "import" / "equipment-2020.pdf").read_bytes(),
            "csv": csv_text.encode("utf-8")}


def _flip(rng: random.Random, data: bytes, start: int = 0, end: int | None = None) -> tuple[str, bytes]:
    out = bytearray(data)
    end = len(out) if end is None else end
    spots = [rng.randrange(start, end) for _ in range(rng.randint(1, 4))] if end > start else []
    for at in spots:
        out[at] ^= 1 << rng.randrange(8)
    return f"flip@{spots}", bytes(out)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        for name, body in members:
            archive.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def mutate_zip(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    members = _members(data)
    xml = sorted(n for n in members if n.endswith((".xml", ".rels")))
    name = rng.choice(xml)
    text = members[name]
    op = rng.choice(["flip", "truncate", "member-flip", "member-truncate", "member-drop", "member-dup", "doctype",
                     "deep", "huge-text", "utf16", "latin1", "attribute", "garbage-member"])
    if op == "flip":
        return _flip(rng, data)
    if op == "truncate":
        at = rng.randrange(len(data))
        return f"truncate@{at}", data[:at]
    if op == "member-flip":
        what, members[name] = _flip(rng, text)
    elif op == "member-truncate":
        members[name] = text[: rng.randrange(len(text) + 1)]
    elif op == "member-drop":
        del members[name]
    elif op == "member-dup":
        return f"{op} {name}", _zip(list(members.items()) + [(name, rng.choice([b"", text[: len(text) // 2], text]))])
    elif op == "doctype":
        decl = rng.choice([b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', b'<!DOCTYPE x [<!ENTITY a "aaaa">]>',
                           b"<!DOCTYPE html>"])
        at = text.find(b"?>") + 2 if b"?>" in text[:200] else 0
        members[name] = text[:at] + decl + text[at:]
    elif op == "deep":
        depth = rng.choice([300, 5000, 100_000])
        at = text.find(b">", text.find(b"<", text.find(b"?>") + 2)) + 1
        members[name] = text[:at] + b"<x>" * depth + b"</x>" * depth + text[at:]
    elif op == "huge-text":
        odd = rng.choice(ODD_TEXT).replace("\x00", "").encode()
        spots = [i for i in range(len(text)) if text.startswith(b"<t>", i) or text.startswith(b"<w:t>", i)] or [0]
        at = text.find(b">", rng.choice(spots)) + 1
        members[name] = text[:at] + odd + text[at:]
    elif op == "utf16":
        members[name] = text.decode("utf-8", "replace").encode(rng.choice(["utf-16", "utf-16-le"]))
    elif op == "latin1":
        members[name] = text.replace(b"UTF-8", b"ISO-8859-1") + "é示".encode("utf-8")
    elif op == "attribute":
        value = rng.choice([b"-1", b"0", b"99999", b"XFD1048576", b"A0", b"", b"1e9", b"\xe7\xa4\xba"])
        key = rng.choice([b'r="', b'w:val="', b'ref="', b'count="', b'sheetId="'])
        at = text.find(key)
        if at >= 0:
            end = text.find(b'"', at + len(key))
            members[name] = text[: at + len(key)] + value + text[end:]
    elif op == "garbage-member":
        members[rng.choice(["xl/worksheets/sheet2.xml", "word/extra.xml", "customXml/item1.xml"])] = bytes(
            rng.randrange(256) for _ in range(rng.randint(0, 300)))
    return f"{op} {name}", _zip(list(members.items()))


def mutate_pdf(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    op = rng.choice(["flip", "flip", "truncate", "stream-flip", "drop-xref", "number", "nesting", "dup-object",
                     "mediabox", "startxref"])
    if op == "flip":
        return _flip(rng, data)
    if op == "truncate":
        at = rng.randrange(len(data))
        return f"truncate@{at}", data[:at]
    if op == "stream-flip":
        start = data.find(b"stream", rng.randrange(len(data) // 2))
        return _flip(rng, data, max(start, 0), min(len(data), max(start, 0) + 2000))
    if op == "drop-xref":
        at = data.rfind(b"xref")
        return op, data[:at] + data[at + 200:] if at >= 0 else data
    if op == "number":
        spots = [i for i in range(len(data) - 1) if data[i:i + 1] == b" " and data[i + 1:i + 2].isdigit()][:5000]
        at = rng.choice(spots) + 1 if spots else 0
        return f"number@{at}", data[:at] + rng.choice([b"-99999999 ", b"99999999999999999999 ", b"1e308 ", b"0 "]) + data[at:]
    if op == "nesting":
        at = data.find(b"<<", rng.randrange(len(data)))
        depth = rng.choice([100, 10_000])
        return f"nesting@{at}", data[:at] + b"[" * depth + b"]" * depth + data[at:]
    if op == "dup-object":
        at = data.find(b" 0 obj", rng.randrange(len(data) // 2))
        return f"dup-object@{at}", data + data[max(at - 3, 0):max(at - 3, 0) + 400]
    if op == "mediabox":
        return op, data.replace(b"/MediaBox", b"/MediaBox [0 0 (x) /y] /Old", 1)
    return op, data.replace(b"startxref", b"startxref\n999999999\n", 1)


def mutate(rng: random.Random, kind: str, data: bytes) -> tuple[str, bytes]:
    if kind in ("xlsx", "docx"):
        return mutate_zip(rng, data)
    if kind == "pdf":
        return mutate_pdf(rng, data)
    if kind == "xls":
        return _flip(rng, data) if rng.random() < 0.7 else ("truncate", data[: rng.randrange(len(data))])
    return mutate_text(rng, "list.csv", data)


def corpus(originals: dict[str, bytes], count: int, seed: int) -> list[tuple[str, str, bytes]]:
    """(kind, description, bytes): the same list for the same seed, bases and count."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        what, new = mutate(rng, kind, originals[kind])
        out.append((kind, what, new))
    return out


class Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise Hang(f"over {SECONDS_PER_CASE} s")


def _snapshot(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def _restore(data: Path, pristine: dict[str, bytes]) -> None:
    for path in [p for p in data.rglob("*") if p.is_file()]:
        rel = path.relative_to(data).as_posix()
        if rel not in pristine:
            path.unlink()
        elif path.read_bytes() != pristine[rel]:
            path.write_bytes(pristine[rel])


def one_case(path: Path, data: Path, pristine: dict[str, bytes], full: bool) -> str:
    """'refused' (a message), 'read' (read; `full` is false or the import stopped after reading) or 'imported';
    raises AssertionError on a finding."""
    from scripts.importer.cli import Request, run
    from scripts.importer.tables import ReadError, read_table
    from scripts.model.catalog import Problem

    try:
        read_table(path)
    except ReadError as exc:
        assert exc.code != "import-memory", "memory ran out before a bound stopped the reader"
        line = Problem.make(path.name, exc.line, "-", exc.code, **exc.params).format()
        assert line.startswith(f"{path.name}:") and " | " in line and "{" not in line, line
        return "refused"
    if not full:
        return "read"
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code, _report, written = run(Request(path, "recognitions", 2021, {"stage": "认定"}, data=data))
    assert "Traceback" not in err.getvalue(), err.getvalue()[-500:]
    if not written:
        assert code != 0 or "nothing to write" in _report or not _report, code
        assert _snapshot(data) == pristine, "a failed import changed data/"
        return "read"
    _restore(data, pristine)
    return "imported"


def run_corpus(count: int = COUNT, seed: int = SEED, only: int | None = None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="fuzz-attachments-"))
    try:
        data = make_tree(work)
        pristine = _snapshot(data)
        cases = corpus(bases(work), count, seed)
        signal.signal(signal.SIGALRM, _alarm)
        failures, outcomes, slowest = [], {"refused": 0, "read": 0, "imported": 0}, (0.0, "")
        started, readable = time.perf_counter(), 0
        for n, (kind, what, new) in enumerate(cases):
            if only is not None and n != only:
                continue
            path = work / f"case-{n}.{kind}"
            path.write_bytes(new)
            t0 = time.perf_counter()
            signal.alarm(SECONDS_PER_CASE)
            try:
                outcome = one_case(path, data, pristine, readable % FULL_EVERY == 0)
                readable += outcome != "refused"
                outcomes[outcome] += 1
            except BaseException as exc:  # noqa: BLE001 - any exception at all is the finding
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures.append({"n": n, "kind": kind, "mutation": what[:200], "error": f"{type(exc).__name__}: {exc}"[:300],
                                 "where": traceback.format_exc(limit=-3)[-600:]})
                _restore(data, pristine)
            finally:
                signal.alarm(0)
                path.unlink()
            took = time.perf_counter() - t0
            if took > slowest[0]:
                slowest = (took, f"#{n} {kind} {what[:80]}")
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cases": len(cases) if only is None else 1, **outcomes, "seconds": round(seconds, 1),
            "slowest_seconds": round(slowest[0], 2), "slowest": slowest[1], "peak_rss_mb": usage.ru_maxrss // 1024,
            "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--only", type=int, help="run only case number N")
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_LIMIT, MEMORY_LIMIT))
    result = run_corpus(args.count, args.seed, args.only)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
