"""A fixed, seeded corpus of mutations of the tiny valid data tree, and a runner that feeds each one to the loader
and validator (and, when the mutated tree validates clean, to the pages and downloads stages).

Run by tests/test_fuzz.py in a child process with a memory limit; also runnable by hand:
    python tests/fuzz_corpus.py [--count N] [--seed S]
It prints one JSON object: mutations tried, how many validated clean, seconds, peak memory, failures.
Every failure names its mutation (file, operator, detail), so it can be reproduced alone with --only.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from conftest import make_tree  # noqa: E402

SEED = 20250917
COUNT = 240            # mutations in the CI corpus (about 45 s of CPU time)
SECONDS_PER_FILE = 20  # a mutation that takes longer than this is a hang
MEMORY_LIMIT = 3 * 2**30  # writable memory of the runner; a blow-up becomes MemoryError (a failure), not a dead machine

DEEP = ["[" * 40 + "]" * 40, "[" * 5000 + "]" * 5000, "{a: " * 3000 + "1" + "}" * 3000]
TAGS = ["!foo x", "!!binary aGVsbG8=", "!!python/object/apply:os.system ['true']", "!!set {a, b}", "!!float 1",
        "!!timestamp 2025-01-01", "! x"]
ODD_KEYS = ["? [a, b]\n: x", "? {a: 1}\n: x", "null: x", "1: x", '"x\\n::error::forged": 1', "\u202eabc: 1",
            "<<: {id: 1}", "id: !!str 1"]
ODD_VALUES = ["", "~", "null", "[]", "{}", "[a, [b]]", "{a: 1}", "yes", "NO", "0o17", "012", "1:30", "1e309",
              "-1e309", "nan", ".inf", "9" * 400, "2025-13-45", "'=1+1'", "\"\\u0000\"", "\"\\x1b[31m\"",
              "\"javascript:alert(1)\"", "\"<script>alert(1)</script>\"", "|\n  multi\n  line", ">-\n  folded",
              "\"" + "长" * 40_000 + "\""]
ODD_CELLS = ["", " ", "=1+1", "@x", "\t1", "NaN", "nan", "inf", "-0", "1e309", "9" * 400, "0x10", "１２３",
             "2025-02-30", "\x00", "\ufeff", "\u200b", "\u202e", "\x1b[2J", "a\nb", "\"", "\"\"\"", ",", ";;;;",
             "javascript:alert(1)", "<img src=x onerror=alert(1)>", "长" * 40_000, "x" * 200_000, "P-2025-00001",
             "91330402MA29GJ9Y6Y", "330402", "true", "撤销"]


def _csv_line_cells(line: str) -> list[str]:
    import csv
    import io
    return next(csv.reader(io.StringIO(line)), [])


def _csv_line(cells: list[str]) -> str:
    import csv
    import io
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    return buf.getvalue()


def mutate(rng: random.Random, rel: str, data: bytes) -> tuple[str, bytes]:
    """One mutation of one file: (description, new bytes)."""
    text = data.decode("utf-8-sig")
    lines = text.split("\n")
    is_csv = rel.endswith(".csv")
    op = rng.choice(["truncate", "flip", "flip", "bom", "nul", "empty", "utf16", "endings", "swap-lines",
                     "duplicate-line", "drop-line", "huge", "cell" if is_csv else "value", "cell" if is_csv else "value",
                     "cell" if is_csv else "value", "dup-header" if is_csv else "dup-key",
                     "ragged" if is_csv else "deep", "quote" if is_csv else "tag", "drop-column" if is_csv else "odd-key"])
    if op == "truncate":
        at = rng.randrange(len(data) + 1)
        return f"truncate@{at}", data[:at]
    if op == "flip":
        out = bytearray(data)
        spots = [rng.randrange(len(out)) for _ in range(rng.randint(1, 3))] if out else []
        for at in spots:
            out[at] ^= 1 << rng.randrange(8)
        return f"flip@{spots}", bytes(out)
    if op == "bom":
        at = rng.choice([0, rng.randrange(len(data) + 1)])
        return f"bom@{at}", data[:at] + b"\xef\xbb\xbf" + data[at:]
    if op == "nul":
        at = rng.randrange(len(data) + 1)
        return f"nul@{at}", data[:at] + b"\x00" + data[at:]
    if op == "empty":
        return "empty", rng.choice([b"", b"\n", b"   \n\n", b"\xef\xbb\xbf"])
    if op == "utf16":
        return "utf16", text.encode("utf-16")
    if op == "endings":
        ending = rng.choice(["\r\n", "\r", "\n\n"])
        return f"endings {ending!r}", ending.join(lines).encode()
    if op in ("swap-lines", "duplicate-line", "drop-line") and len(lines) > 2:
        i, j = rng.randrange(1, len(lines)), rng.randrange(1, len(lines))
        if op == "swap-lines":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "duplicate-line":
            lines.insert(j, lines[i])
        else:
            del lines[i]
        return f"{op} {i},{j}", "\n".join(lines).encode()
    if op == "huge":
        at = rng.randrange(len(text) + 1)
        return f"huge@{at}", (text[:at] + "长" * rng.choice([40_000, 140_000]) + text[at:]).encode()
    if op == "cell" and len(lines) > 1:
        i = rng.randrange(1, len(lines))
        cells = _csv_line_cells(lines[i])
        if cells:
            k = rng.randrange(len(cells))
            cells[k] = rng.choice(ODD_CELLS)
            lines[i] = _csv_line(cells)
            return f"cell {i}:{k}", "\n".join(lines).encode()
    if op in ("value", "deep", "tag"):
        keyed = [i for i, line in enumerate(lines) if ":" in line and not line.startswith((" ", "#", "-"))]
        if keyed:
            i = rng.choice(keyed)
            key = lines[i].split(":", 1)[0]
            new = {"value": ODD_VALUES, "deep": DEEP, "tag": TAGS}[op]
            value = rng.choice(new)
            lines[i] = f"{key}: {value}"
            return f"{op} {key}={value[:20]!r}", "\n".join(lines).encode()
    if op == "odd-key":
        at = rng.randrange(len(lines) + 1)
        return f"odd-key@{at}", "\n".join(lines[:at] + [rng.choice(ODD_KEYS)] + lines[at:]).encode()
    if op == "dup-key":
        keyed = [line for line in lines if ":" in line and not line.startswith((" ", "#", "-"))]
        if keyed:
            return "dup-key", (text.rstrip("\n") + "\n" + rng.choice(keyed) + "\n").encode()
    if op == "dup-header":
        cells = _csv_line_cells(lines[0])
        if cells:
            cells.append(rng.choice(cells))
            lines[0] = _csv_line(cells)
            return "dup-header", "\n".join(lines).encode()
    if op == "drop-column":
        cells = _csv_line_cells(lines[0])
        if cells:
            k = rng.randrange(len(cells))
            rows = [_csv_line_cells(line) for line in lines]
            return f"drop-column {k}", "\n".join(_csv_line([c for j, c in enumerate(r) if j != k]) for r in rows).encode()
    if op == "ragged" and len(lines) > 1:
        i = rng.randrange(1, len(lines))
        return f"ragged {i}", "\n".join(lines[:i] + [lines[i] + ",x" * rng.randint(1, 3)] + lines[i + 1:]).encode()
    if op == "quote":
        at = rng.randrange(len(text) + 1)
        return f"quote@{at}", (text[:at] + '"' + text[at:]).encode()
    at = rng.randrange(len(data) + 1)
    return f"truncate@{at}", data[:at]


def corpus(base: Path, count: int, seed: int) -> list[tuple[str, str, bytes]]:
    """(file relative to data/, description, bytes): the same list for the same seed, file set and count."""
    rng = random.Random(seed)
    files = sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file())
    originals = {rel: (base / rel).read_bytes() for rel in files}
    out = []
    for n in range(count):
        rel = files[n % len(files)] if n < len(files) else rng.choice(files)
        what, new = mutate(rng, rel, originals[rel])
        out.append((rel, what, new))
    return out


class Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise Hang(f"over {SECONDS_PER_FILE} s")


def later_stages(catalog, work: Path) -> None:
    """What build does after validation, without MkDocs: every page, the search index and the downloads."""
    from scripts import packages
    from scripts.search import index as search
    from scripts.site import pages
    settings = pages.Settings(example=any(d.info.example for d in catalog.datasets.values()))
    for _rel, _text in pages.iter_pages(catalog, settings):
        pass
    docs = work / "docs"
    search.write_search_index(catalog, docs)
    empty = work / "no-releases"
    empty.mkdir(exist_ok=True)
    packages.write_packages(catalog, docs, releases_dir=empty, url="https://example.org/")
    shutil.rmtree(docs, ignore_errors=True)


def run(count: int = COUNT, seed: int = SEED, only: int | None = None) -> dict:
    from scripts.load.loader import load_catalog
    from scripts.validate.validator import validate_catalog

    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        data = make_tree(work)
        cases = corpus(data, count, seed)
        signal.signal(signal.SIGALRM, _alarm)
        failures, clean, slowest = [], 0, (0.0, "")
        started = time.perf_counter()
        for n, (rel, what, new) in enumerate(cases):
            if only is not None and n != only:
                continue
            target = data / rel
            original = target.read_bytes()
            target.write_bytes(new)
            t0 = time.perf_counter()
            stage = "validate"
            signal.alarm(SECONDS_PER_FILE)
            try:
                catalog, problems = load_catalog(data)
                problems += validate_catalog(catalog)
                for problem in problems:
                    problem.format()
                if not any(p.severity == "error" for p in problems):
                    clean += 1
                    stage = "pages+downloads"
                    later_stages(catalog, work)
            except BaseException as exc:  # noqa: BLE001 - any exception at all is the finding
                if isinstance(exc, KeyboardInterrupt):
                    raise
                tb = traceback.format_exc(limit=-3)
                failures.append({"n": n, "file": rel, "mutation": what, "stage": stage, "error": f"{type(exc).__name__}: {exc}"[:300],
                                 "where": tb[-600:]})
            finally:
                signal.alarm(0)
                target.write_bytes(original)
            took = time.perf_counter() - t0
            if took > slowest[0]:
                slowest = (took, f"{rel} {what}")
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss * 1024
    return {"mutations": len(cases) if only is None else 1, "clean": clean, "seconds": round(seconds, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "slowest_seconds": round(slowest[0], 2), "slowest": slowest[1], "peak_rss_mb": round(peak / 2**20),
            "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--only", type=int, help="run only mutation number N")
    args = parser.parse_args()
    # RLIMIT_DATA (writable private memory: the heap), not RLIMIT_AS: the chart renderer's V8 reserves gigabytes
    # of address space it never touches (its pointer cages), which RLIMIT_AS would refuse at start-up
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_LIMIT, MEMORY_LIMIT))
    if Path("/dev/shm").is_dir():  # the downloads stage writes many small temporary files (xlsxwriter)
        tempfile.tempdir = "/dev/shm"
    result = run(args.count, args.seed, args.only)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
