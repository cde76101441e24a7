"""The data model shared by every stage: problems, records, datasets and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .messages import MESSAGES


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
    def make(cls, path, line, field, code, value=None, severity="error", **params) -> "Problem":
        return cls(str(path), int(line or 1), field or "-", code, None if value is None else str(value),
                   tuple(sorted(params.items())), severity)

    def texts(self) -> tuple[str, str, str, str]:
        zh, en, hint_zh, hint_en = MESSAGES[self.code]
        p = _Defaults(dict(self.params))
        return (zh.format_map(p), en.format_map(p), hint_zh.format_map(p), hint_en.format_map(p))

    def format(self) -> str:
        zh, en, hint_zh, hint_en = self.texts()
        shown = "" if self.value is None else f" {_show(self.value)}"
        zh_part = f"{zh}{('：' + shown.strip()) if shown else ''}" + (f"（{hint_zh}）" if hint_zh else "")
        en_part = f"{en}{(':' + shown) if shown else ''}" + (f" ({hint_en})" if hint_en else "")
        tag = "" if self.severity == "error" else "提示/warning: "
        return f"{self.path}:{self.line}: {self.field}: {tag}{zh_part} | {en_part}"


class _Defaults(dict):
    def __missing__(self, key):
        return ""


def _show(value: str, limit: int = 80) -> str:
    """Quote a value so invisible and control characters are visible in a terminal."""
    out = []
    for ch in value:
        if ch.isprintable() and ch not in "\u200b\u200c\u200d\u2060\ufeff" and not ("\u202a" <= ch <= "\u202e") \
                and not ("\u2066" <= ch <= "\u2069"):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}")
    text = "".join(out)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


@dataclass
class Record:
    """One record as written by the contributor: raw text values (lists for list fields) with line numbers."""

    path: str
    line: int
    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    flagged: set[str] = field(default_factory=set)  # fields already reported while reading (no second error)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass
class Dataset:
    name: str
    directory: Path
    meta: dict
    schema: dict
    meta_path: str
    meta_lines: dict[str, int] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    incomplete: bool = False  # some rows or files could not be read: references into it are not judged

    @property
    def fields(self) -> list[dict]:
        return self.schema["fields"]

    def field(self, name: str) -> dict | None:
        return next((f for f in self.fields if f["name"] == name), None)

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]


@dataclass
class Catalog:
    """All datasets of a data tree, in a stable order: registry tables first, then lists."""

    root: Path
    schemas_dir: Path
    datasets: dict[str, Dataset] = field(default_factory=dict)
    shadowed: list[Dataset] = field(default_factory=list)  # a second dataset with a taken name: validated, never built

    def lists(self) -> list[Dataset]:
        """The published lists, in dataset.yaml `order` (then name): the order of the site's navigation."""
        found = [d for d in self.datasets.values() if d.meta.get("group") == "lists"]
        return sorted(found, key=lambda d: (d.meta.get("order", 100), d.name))

    def registry(self) -> list[Dataset]:
        return [d for d in self.datasets.values() if d.meta.get("group") == "registry"]
