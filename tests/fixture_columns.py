"""Fixtures from schemas: a test tree's CSV files get the OPTIONAL columns their schema has and their header lacks,
filled with empty cells, so adding an optional column to a schema needs no fixture edit (issue 19).

Invalid fixtures keep their defect: a required column is never added, nor the column an unknown header name is a
typo of (the loader blames the typo); a ragged row stays ragged (it gets the empty cell only where it reaches);
a file the loader cannot decode is left alone; an overlay holding a file named `.exact` is copied as written.
The physical lines stay where they were: each record keeps its cells' raw text (quotes, multi-line cells) and its
line ending (LF, CRLF), a BOM stays, blank lines stay blank; only empty cells are inserted, in schema order.
The result is checked by reading it back with the csv module; if that disagrees, the file is left as it was.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from scripts.load.readers import suggest

BOM = b"\xef\xbb\xbf"


def fill_tree(data: Path, schemas: Path, only: set[Path] | None = None) -> list[Path]:
    """Fill each dataset's CSV files under data (those in only, if given) from its schema in schemas; returns the
    files rewritten."""
    filled = []
    for meta_path in sorted(data.rglob("dataset.yaml")):
        fields = _schema_fields(meta_path, schemas)
        if fields is None:
            continue
        for path in sorted(meta_path.parent.glob("*.csv")):
            if (only is None or path in only) and path.is_file() and not path.is_symlink() and fill_csv(path, fields):
                filled.append(path)
    return filled


def _schema_fields(meta_path: Path, schemas: Path) -> list[dict] | None:
    """The fields of the table schema a dataset.yaml names, or None when it names none that can be read."""
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        name = meta.get("schema") if isinstance(meta, dict) else None
        if not isinstance(name, str):
            return None
        path = (schemas / name).resolve()
        if not path.is_relative_to(schemas.resolve()) or not path.is_file():
            return None
        fields = yaml.safe_load(path.read_text(encoding="utf-8")).get("fields")
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError):
        return None
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        return None
    return fields


def _required(field: dict) -> bool:
    constraints = field.get("constraints") or {}
    return bool(constraints.get("required")) or bool(field.get("x-required-unless-example"))


def fill_csv(path: Path, fields: list[dict]) -> bool:
    """Insert the schema's missing optional columns into one CSV file (see the module text); True if rewritten."""
    raw = path.read_bytes()
    bom = raw.startswith(BOM)
    try:
        text = raw[len(BOM) if bom else 0:].decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))  # as the loader reads it (not strict)
    except (UnicodeDecodeError, csv.Error):
        return False  # the loader reads no header either: nothing is reported missing
    names = [f["name"] for f in fields]
    if not rows or _blank(rows[0]):
        return False
    header = [col.strip() for col in rows[0]]
    typos = {suggest(col, names)[2] for col in header if col not in names}  # the loader blames the typo, not these
    add = [f["name"] for f in fields if f["name"] not in header and f["name"] not in typos and not _required(f)]
    if not add:
        return False
    inserts = _inserts(header, names, add)
    records = list(_records(text))
    if len(records) != len(rows):
        return False

    def widen(items: list[str], number: int) -> list[str]:
        """The header gets the names; a data row an empty cell at each place it reaches (a row too short to reach
        it stays as short as it was: a ragged row stays ragged); a blank line stays blank."""
        items = list(items)
        if number and _blank(rows[number]):
            return items
        for done, (at, name) in enumerate(inserts):
            if at < len(items) or len(items) == len(header) + done:
                items.insert(at, name if number == 0 else "")
        return items

    new_text = "".join(",".join(widen(cells, n)) + ending for n, (cells, ending) in enumerate(records))
    if list(csv.reader(io.StringIO(new_text, newline=""))) != [widen(row, n) for n, row in enumerate(rows)] \
            or [new_text.count(c) for c in "\r\n"] != [text.count(c) for c in "\r\n"]:  # no line moves
        return False
    path.write_bytes((BOM if bom else b"") + new_text.encode("utf-8"))
    return True


def _blank(row: list[str]) -> bool:
    """A row the loader skips (scripts/load/readers.py): nothing, or one blank cell."""
    return not row or (len(row) == 1 and not row[0].strip())


def _inserts(header: list[str], names: list[str], add: list[str]) -> list[tuple[int, str]]:
    """Where each added column goes, in order of insertion: after the nearest column that precedes it in the schema
    (at the start if none does)."""
    shown = list(header)
    inserts = []
    for name in add:
        before = [n for n in names[:names.index(name)] if n in shown]
        at = shown.index(before[-1]) + 1 if before else 0
        shown.insert(at, name)
        inserts.append((at, name))
    return inserts


def _records(text: str):
    """Each CSV record as (the raw text of its cells, quotes kept; its line ending), as the csv module splits it."""
    cells: list[str] = []
    start = i = 0
    quoted = False
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"':
                if text.startswith('""', i):
                    i += 1  # an escaped quote
                else:
                    quoted = False
        elif char == '"' and i == start:
            quoted = True
        elif char == ",":
            cells.append(text[start:i])
            start = i + 1
        elif char in "\r\n":
            end = i + 2 if text.startswith("\r\n", i) else i + 1
            cells.append(text[start:i])
            yield cells, text[i:end]
            cells, start, i = [], end, end
            continue
        i += 1
    if start < len(text) or cells:
        cells.append(text[start:])
        yield cells, ""
