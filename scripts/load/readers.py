"""Stage 1, load: the file readers. A data file's text (UTF-8 only, said plainly otherwise) and its records with
line numbers, from CSV (ragged rows, merged lines, unknown or missing columns reported) or one YAML mapping
(bounded YAML, implicit types refused). Nothing here judges the values."""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import safefs, yamlsafe
from ..model.catalog import Capped, Dataset, Problem, Record

if TYPE_CHECKING:
    import _csv  # the type of csv.reader's object


def read_text(path: Path) -> tuple[str | None, tuple[Any, ...] | None]:
    """Decode a file as UTF-8 (a BOM is tolerated). Never guess another encoding: say so plainly."""
    try:
        data = safefs.read_bytes(path)
    except IsADirectoryError:
        return None, (1, "-", "not-a-file", None, "error", {})
    except OSError:
        return None, (1, "-", "unreadable", None, "error", {})
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        guess_zh = guess_en = ""
        try:
            data.decode("gb18030")
            guess_zh, guess_en = "，看起来是 GBK/GB18030 编码（常见于 Excel 默认另存为的 CSV）", ", it looks like GBK/GB18030 (Excel's default CSV on Chinese Windows)"
        except UnicodeDecodeError:
            pass
        return None, (line, "-", "not-utf8", None, "error", {"guess_zh": guess_zh, "guess_en": guess_en})


def file_problem(shown: str, problem: tuple[Any, ...]) -> Problem:
    line, field, code, value, severity, params = problem
    return Problem.make(shown, line, field, code, value, severity, **params)


def suggest(value: str, choices: Iterable[str], n: int = 1) -> tuple[str, str, str | None]:
    """('是不是“x”？', 'did you mean "x"? ', x) for the closest choice, or ('', '', None)."""
    close = difflib.get_close_matches(value, list(choices), n=n, cutoff=0.6)
    if not close:
        return "", "", None
    return f"是不是“{close[0]}”？", f'did you mean "{close[0]}"? ', close[0]


def _rows(reader: _csv.Reader, found: Capped) -> Iterator[list[str]]:
    """The CSV rows; a row the csv module cannot read (a cell over its size limit) ends the file with a message."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            found.items.append(Problem.make(found.path, reader.line_num or 1, "-", "csv-error", detail=str(exc),
                                            limit=f"{CELL_LIMIT:,}"))
            return


CELL_LIMIT = 131_072  # characters per CSV cell (Python's default; set on every read, other libraries raise it)


def read_csv(text: str, shown: str, dataset: Dataset) -> tuple[list[Record], list[Problem]]:
    csv.field_size_limit(CELL_LIMIT)
    found = Capped(shown)
    records: list[Record] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    rows = _rows(reader, found)
    names = dataset.field_names
    header = next(rows, None)
    if header is None:
        return [], found.result() or [Problem.make(shown, 1, "-", "empty-file")]
    seen: set[str] = set()
    columns: list[str | None] = []
    explained: set[str | None] = set()
    for col in header:
        col = col.strip()
        if col in seen:
            found.add(Problem.make(shown, 1, col, "duplicate-column", col))
            columns.append(None)
        elif col not in names:
            if found.full:  # a hopeless header (a million columns): count, don't look for suggestions
                found.add(Problem.make(shown, 1, "-", "unknown-column"))
            else:
                zh, en, close = suggest(col, names)
                explained.add(close)
                found.add(Problem.make(shown, 1, col or "-", "unknown-column", col, suggest_zh=zh, suggest_en=en,
                                       allowed=", ".join(names)))
            columns.append(None)
        else:
            columns.append(col)
        seen.add(col)
    missing = {name for name in names if name not in seen}
    for name in sorted(missing - explained, key=names.index):
        found.add(Problem.make(shown, 1, name, "missing-column", column=name))
    list_fields = {f["name"]: f.get("delimiter", ",") for f in dataset.fields if f["type"] == "list"}
    last_line = reader.line_num
    width = len(header)
    for row in rows:
        start, end = last_line + 1, reader.line_num
        last_line = end
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            found.add(Problem.make(shown, start, "-", "ragged-row", got=len(row), want=width))
            continue
        values: dict[str, Any] = {}
        broken = False
        for column, cell in zip(columns, row):
            if column is None:
                continue
            if "\n" in cell or "\r" in cell:
                found.add(Problem.make(shown, start, column, "multiline-cell", cell, first=start, last=end))
                broken = True
            if cell == "":
                values[column] = None
            elif column in list_fields:
                values[column] = [item for item in cell.split(list_fields[column])]
            else:
                values[column] = cell
        if not broken:
            records.append(Record(shown, start, values, flagged=set(missing)))
    return records, found.result()


def read_yaml_record(text: str, shown: str, dataset: Dataset) -> tuple[list[Record], list[Problem]]:
    tree, errors = yamlsafe.parse(text)
    found = Capped(shown)
    for e in errors:
        found.add(Problem.make(shown, e.line, e.field, e.code, e.value, **e.params))
    if tree is None:
        return [], found.result()
    if not isinstance(tree, yamlsafe.Node) or tree.kind != "map":
        return [], found.result() + [Problem.make(shown, 1, "-", "yaml-not-mapping")]
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    flagged: set[str] = set()
    names = dataset.field_names
    for key, (key_line, node) in tree.value.items():
        lines[key] = key_line
        field = dataset.field(key)
        if field is None:
            zh, en, close = ("", "", None) if found.full else suggest(key, names)
            found.add(Problem.make(shown, key_line, key, "unknown-field", key, suggest_zh=zh, suggest_en=en,
                                   allowed=", ".join(names)))
            if close:
                flagged.add(close)
            continue
        is_list = field["type"] == "list"
        if isinstance(node, yamlsafe.Scalar):
            if node.is_null:
                values[key] = None
                continue
            if is_list:
                found.add(Problem.make(shown, key_line, key, "yaml-expected-list", node.raw, name=key))
                continue
            bad = yamlsafe.implicit_type_problem(node, key, field["type"])
            if bad:
                found.add(Problem.make(shown, bad.line, key, bad.code, bad.value, **bad.params))
                continue
            values[key] = node.raw if node.plain else node.raw.rstrip("\n")
        elif node.kind == "seq" and is_list:
            items = []
            for item in node.value:
                if not isinstance(item, yamlsafe.Scalar):
                    found.add(Problem.make(shown, item.line, key, "yaml-expected-scalar"))
                    continue
                bad = yamlsafe.implicit_type_problem(item, key, "string")
                if bad:
                    found.add(Problem.make(shown, bad.line, key, bad.code, bad.value, **bad.params))
                    continue
                items.append(item.raw)
            values[key] = items or None
        else:
            found.add(Problem.make(shown, key_line, key, "yaml-expected-scalar"))
    problems = found.result()
    flagged |= {p.field for p in problems}
    return [Record(shown, 1, values, lines, flagged)], problems
