"""What the import tests share: CSV rows as dicts and a whole tree's bytes (to prove an import that fails writes
nothing). The `data` fixture (a copy of the shipped data tree) is in conftest.py."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def rows_of(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def tree(data: Path) -> dict[Path, bytes]:
    """Every file of a data tree with its bytes."""
    return {p.relative_to(data): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}
