"""The validator's own checks are total: a fixed, seeded corpus of mutations of the tiny valid tree (truncation,
byte flips, huge cells, deep nesting, odd keys and tags, BOMs, NULs, swapped types, duplicated headers, empty
files…) never gives a traceback, finishes each file in bounded time and memory, and whatever validates clean
goes through the pages, search index and downloads stages without failing. See tests/fuzz_corpus.py."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO


def test_fuzz_corpus_never_crashes_hangs_or_passes_what_the_build_rejects():
    proc = subprocess.run([sys.executable, str(REPO / "tests" / "fuzz_corpus.py")], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip(), proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    print(f"fuzz: {result['mutations']} mutations, {result['clean']} clean, {result['seconds']} s, "
          f"peak {result['peak_rss_mb']} MB, slowest {result['slowest_seconds']} s ({result['slowest']})")
    assert result["failures"] == [], json.dumps(result["failures"][:5], ensure_ascii=False, indent=1)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert result["mutations"] >= 200 and result["clean"] > 0  # the corpus really ran, and some of it reached the build


def test_fuzz_corpus_is_deterministic(tmp_path):
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import make_tree
    from fuzz_corpus import corpus
    base = make_tree(tmp_path)
    first, second = corpus(base, 120, 7), corpus(base, 120, 7)
    assert first == second and len({(rel, what) for rel, what, _new in first}) > 100


def test_attachment_fuzz_never_crashes_hangs_or_changes_data_on_failure():
    """Mutated xlsx/docx/xls/PDF/CSV attachments (byte flips, truncation, corrupt/duplicated/dropped zip members,
    DOCTYPEs, deep nesting, huge cells, odd encodings, bad PDF numbers and boxes) through the reader boundary and the
    import: a message or an import, never a traceback or a hang, and a failed import leaves data/ as it was.
    See tests/fuzz_attachments.py."""
    proc = subprocess.run([sys.executable, str(REPO / "tests" / "fuzz_attachments.py")], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip(), proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    print(f"attachment fuzz: {result['cases']} cases, {result['refused']} refused, {result['read']} read, "
          f"{result['imported']} imported, {result['seconds']} s, peak {result['peak_rss_mb']} MB, "
          f"slowest {result['slowest_seconds']} s ({result['slowest']})")
    assert result["failures"] == [], json.dumps(result["failures"][:5], ensure_ascii=False, indent=1)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert result["cases"] >= 200 and min(result["refused"], result["read"], result["imported"]) > 10


def test_attachment_fuzz_is_deterministic(tmp_path):
    sys.path.insert(0, str(REPO / "tests"))
    from fuzz_attachments import bases, corpus
    originals = bases(tmp_path)
    first, second = corpus(originals, 80, 3), corpus(originals, 80, 3)
    assert first == second and len({(kind, what) for kind, what, _new in first}) > 60
