"""Shared test helpers: real-layout data trees built from tiny fixtures, and the CLI run as a real process."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_columns import fill_tree

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXACT = ".exact"  # an overlay holding this file is copied exactly: no column of it is filled


def make_tree(dest: Path, *overlays: Path, schemas: Path = REPO / "schemas") -> Path:
    """dest/data = the shipped registry + the tiny valid fixture, with each overlay's files copied on top. Every
    CSV file lacking optional columns of its schema (in schemas) gets them, empty (tests/fixture_columns.py)."""
    data = dest / "data"
    shutil.copytree(REPO / "data" / "registry", data / "registry")
    shutil.copytree(FIXTURES / "valid", data, dirs_exist_ok=True)
    fill_tree(data, schemas)
    for overlay in overlays:
        apply_overlay(data, overlay, schemas)
    return data


def apply_overlay(data: Path, overlay: Path, schemas: Path = REPO / "schemas") -> None:
    """Copy an overlay fixture's files (not its README) onto a data tree, replacing what is there; the CSV files
    copied get the optional columns their schema has and they lack, unless the overlay holds a file `.exact`."""
    copied = set()
    for path in sorted(overlay.rglob("*")):
        if path.is_file() and path.name not in ("README.md", EXACT):
            target = data / path.relative_to(overlay)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.add(target)
    if not (overlay / EXACT).exists():
        fill_tree(data, schemas, copied)


def csv_row(path: Path, **values: str) -> str:
    """One CSV line for the header of path: the values given, every other column empty (so a test that adds a row
    needs no edit when a schema gains an optional column)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = [col.strip() for col in next(csv.reader(fh))]
    assert set(values) <= set(header), set(values) - set(header)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([values.get(col, "") for col in header])
    return out.getvalue()


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts", *map(str, args)], cwd=cwd or REPO,
                          capture_output=True, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def tree(tmp_path):
    """A valid tiny data tree in tmp_path/data."""
    return make_tree(tmp_path)


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the shipped data tree (registries, example lists): what the import tests start from."""
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target
