"""The data model shared by every stage: problems, records, datasets and the catalogue."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..messages import MESSAGES
from ..safefs import shown
from .roles import DatasetMeta
from .textrules import INVISIBLE


@dataclass(frozen=True, order=True)
class Problem:
    """One contributor mistake (or review flag), reported as `path:line: field: 中文（提示） | English (hint)`."""

    path: str
    line: int
    field: str
    code: str
    value: str | None = None
    params: tuple[tuple[str, Any], ...] = ()
    severity: str = "error"

    @classmethod
    def make(cls, path: object, line: int | None, field: str | None, code: str, value: object = None,
             severity: str = "error", **params: Any) -> "Problem":
        return cls(str(path), int(line or 1), field or "-", code, None if value is None else str(value),
                   tuple(sorted(params.items())), severity)

    def texts(self) -> tuple[str, str, str, str]:
        zh, en, hint_zh, hint_en = MESSAGES[self.code]
        p = _Defaults({k: _param(v) for k, v in self.params})
        return (zh.format_map(p), en.format_map(p), hint_zh.format_map(p), hint_en.format_map(p))

    def format(self) -> str:
        zh, en, hint_zh, hint_en = self.texts()
        shown = "" if self.value is None else f" {_show(self.value)}"
        zh_part = f"{zh}{('：' + shown.strip()) if shown else ''}" + (f"（{hint_zh}）" if hint_zh else "")
        en_part = f"{en}{(':' + shown) if shown else ''}" + (f" ({hint_en})" if hint_en else "")
        tag = "" if self.severity == "error" else "提示/warning: "
        return f"{self.path}:{self.line}: {_name(self.field)}: {tag}{zh_part} | {en_part}"


PER_FILE = 50  # problems listed per file; the rest are counted ("…另有 N 个问题 / N more problems")


def cap_problems(problems: list[Problem], limit: int = PER_FILE) -> list[Problem]:
    """The first `limit` problems of each file (by line), then one "more-problems" line with the count of the rest
    (earlier caps, made while reading, are added in). Sorted by path, line, field, code."""
    by_path: dict[str, list[Problem]] = defaultdict(list)
    hidden: Counter[str] = Counter()
    hidden_line: dict[str, int] = {}
    for problem in set(problems):
        if problem.code == "more-problems":
            hidden[problem.path] += dict(problem.params)["count"]
            hidden_line[problem.path] = min(problem.line, hidden_line.get(problem.path, problem.line))
        else:
            by_path[problem.path].append(problem)
    out: list[Problem] = []
    for path in sorted(set(by_path) | set(hidden)):
        found = sorted(by_path[path], key=lambda p: (p.line, p.field, p.code, p.value or "", p.params))
        shown, rest = found[:limit], found[limit:]
        out += shown
        count = hidden[path] + len(rest)
        if count:
            line = min(([rest[0].line] if rest else []) + ([hidden_line[path]] if path in hidden_line else []))
            severity = "error" if any(p.severity == "error" for p in rest) or hidden[path] else "warning"
            out.append(Problem.make(path, line, "-", "more-problems", severity=severity, count=count))
    return sorted(out, key=lambda p: (p.path, p.line, p.code == "more-problems", p.field, p.code))


LISTED = 1_000  # problem lines printed in one run; the rest are one line (issue 18: 200,000 files printed 443 MB)


def listed(problems: list[Problem], limit: int = LISTED) -> list[str]:
    """The lines to print for (capped, sorted) problems: the first `limit`, then one "more-problems-total" line at the
    first problem not listed, with how many more and in how many files. The counts in a run's summary stay those
    of every problem."""
    shown, rest = problems[:limit], problems[limit:]
    lines = [p.format() for p in shown]
    if rest:
        lines.append(Problem.make(rest[0].path, rest[0].line, "-", "more-problems-total",
                                  severity="error" if any(p.severity == "error" for p in rest) else "warning",
                                  count=f"{sum(map(count_of, rest)):,}", files=f"{len({p.path for p in rest}):,}",
                                  limit=f"{limit:,}").format())
    return lines


def count_of(problem: Problem) -> int:
    """How many problems a listed line stands for (a "more-problems" line stands for its count)."""
    return dict(problem.params)["count"] if problem.code == "more-problems" else 1


class Capped:
    """Problems of one file as they are found: the first PER_FILE kept, the rest only counted, so a hopeless file
    (a million columns, ragged rows by the million) costs little work and prints little."""

    def __init__(self, path: str, limit: int = PER_FILE):
        self.items: list[Problem] = []
        self.path, self.limit, self.hidden, self.hidden_line = path, limit, 0, 1

    @property
    def full(self) -> bool:
        return len(self.items) >= self.limit

    def add(self, problem: Problem) -> None:
        if self.full:
            if not self.hidden:
                self.hidden_line = problem.line
            self.hidden += 1
        else:
            self.items.append(problem)

    def result(self) -> list[Problem]:
        more = [Problem.make(self.path, self.hidden_line, "-", "more-problems", count=self.hidden)] if self.hidden else []
        return self.items + more


class _Defaults(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _param(value: object, limit: int = 500) -> object:
    """A message parameter (text from data or from a library's message) with control characters made visible."""
    return _show(value, limit)[1:-1] if isinstance(value, str) else value


def _name(field: str) -> str:
    """A field or column name as printed: unchanged when plain, else quoted (a CSV header cell can hold anything)."""
    return field if len(field) <= 80 and shown(field) == field else _show(field)


def _show(value: str, limit: int = 80) -> str:
    """Quote a value so invisible and control characters and combining marks are visible in a terminal."""
    out = []
    for ch in value:
        if ch.isprintable() and not INVISIBLE.match(ch) and (ch.isascii() or unicodedata.category(ch)[0] != "M"):
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            out.append(f"\\U{ord(ch):08x}")
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}")
    text = "".join(out)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


# --- values: raw text → typed value (shared by pages and downloads) ---------------------------------

def typed(field: dict[str, Any], raw: Any) -> Any:
    """Raw text value → JSON value by the schema field type (ids and codes are strings in the schema: stay text)."""
    if raw is None or raw == "" or raw == []:
        return None
    kind = field.get("type", "string")
    if kind == "list":
        return list(raw) if isinstance(raw, list) else str(raw).split(field.get("delimiter", ","))
    if isinstance(raw, list):
        raw = field.get("delimiter", ",").join(raw)
    raw = str(raw)
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            number = float(raw)
            return int(number) if number.is_integer() and "." not in raw and "e" not in raw.lower() else number
        if kind == "boolean":
            lowered = raw.strip().lower()
            if lowered in ("true", "1", "yes"):
                return True
            if lowered in ("false", "0", "no"):
                return False
            return raw
        if kind == "date":
            return date.fromisoformat(raw.strip()).isoformat()
    except ValueError:
        return raw  # invalid data is the validator's business; never lose the value
    return raw


@dataclass
class Record:
    """One record as written by the contributor: raw text values (lists for list fields) with line numbers."""

    path: str
    line: int
    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    flagged: set[str] = field(default_factory=set)  # fields already reported while reading (no second error)

    def line_of(self, name: str | None) -> int:
        """The line of a field's cell (YAML records), else the record's line; None (a role the dataset lacks): the
        record's line."""
        return self.lines.get(name, self.line) if name is not None else self.line


@dataclass
class Dataset:
    name: str
    directory: Path
    meta: dict[str, Any]
    schema: dict[str, Any]
    meta_path: str
    meta_lines: dict[str, int] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    incomplete: bool = False  # some rows or files could not be read: references into it are not judged
    info: DatasetMeta = field(init=False, repr=False)  # the typed metadata every stage reads (never `meta` itself)

    def __post_init__(self) -> None:
        self.info = DatasetMeta.build(self.meta, self.schema)

    @property
    def fields(self) -> list[dict[str, Any]]:
        fields: list[dict[str, Any]] = self.schema["fields"]
        return fields

    def field(self, name: str) -> dict[str, Any] | None:
        return next((f for f in self.fields if f["name"] == name), None)

    def field_spec(self, name: str) -> dict[str, Any]:
        """The schema field of a name the schema has (a role, a checked column); KeyError for any other name."""
        found = self.field(name)
        if found is None:
            raise KeyError(name)
        return found

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def key(self) -> str:
        """The primary-key field: the schema's primaryKey (one field), else the first field (DatasetMeta.key)."""
        return self.info.key


@dataclass
class Catalog:
    """All datasets of a data tree, in a stable order: registry tables first, then lists."""

    root: Path
    schemas_dir: Path
    datasets: dict[str, Dataset] = field(default_factory=dict)
    shadowed: list[Dataset] = field(default_factory=list)  # a second dataset with a taken name: validated, never built

    def lists(self) -> list[Dataset]:
        """The published lists, in dataset.yaml `order` (then name): the order of the site's navigation."""
        found = [d for d in self.datasets.values() if d.info.is_list]
        return sorted(found, key=lambda d: (d.info.order, d.name))

    def registry(self) -> list[Dataset]:
        return [d for d in self.datasets.values() if d.info.group == "registry"]

    def role(self, role: str) -> Dataset | None:
        """The registry table declared (dataset.yaml `role`) as this programme table: districts, companies, targets …"""
        return next((d for d in self.registry() if d.info.role == role), None)

    def role_name(self, role: str) -> str:
        """The name of that table ("" when none is declared: nothing refers to it)."""
        found = self.role(role)
        return found.name if found else ""

    def rows(self, role: str) -> dict[str, dict[str, Any]]:
        """id -> values of the rows of a registry role ({} when none is declared)."""
        found = self.role(role)
        return {str(r.values.get(found.info.key)): r.values for r in found.records} if found else {}
