"""Recorded releases, read and checked: releases/index.yaml (version, date, notes, …) and the folder of each
release. The validator, the build and the release and packages stages read the records through here; writing a
new record and regenerating one live in scripts/release/record.py.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .. import yamlsafe
from ..model.catalog import Problem
from ..safefs import within
from .loader import display_path
from .readers import file_problem, read_text

INDEX = "index.yaml"
VERSION_RE = re.compile(r"^[0-9]{4}\.[0-9]+(\.[0-9]+)?$")


class ReleaseIndexError(ValueError):
    """releases/index.yaml holds a version or date that is not allowed (see index_problems)."""


STR, INT, BOOL, NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "bool", "null"))
# field -> (allowed YAML types, 中文, English, example): what the build, the pages and `release` read from an entry
FIELDS = {
    "notes": ((STR,), "一行文字", "text", "notes: '2025 年第二批'"),
    "notes_en": ((STR,), "一行文字", "text", "notes_en: '2025 batch 2'"),
    "url": ((STR,), "网址文字", "a URL as text", "url: https://example.org/"),
    "commit": ((STR, NULL), "提交号（40 位十六进制）或 null", "a commit id (40 hex digits) or null",
               "commit: 0cfd4c1427029b9cadfbe1be455291693652767a"),
    "uncommitted_changes": ((BOOL,), "true 或 false", "true or false", "uncommitted_changes: false"),
    "previous": ((STR, NULL), "版本号或 null", "a version or null", "previous: '2025.1'"),
    "source": ((STR,), "文字", "text", "source: releases/2025.2/source"),
    "layout": ((INT,), "整数", "an integer", "layout: 2"),
    "files": ((INT,), "整数", "an integer", "files: 82"),
    "tools": ("map", "键值对", "a mapping", "tools: {python: 3.11.7}"),
    "source_paths": ("map", "键值对", "a mapping", "source_paths: {data: data, schemas: schemas}"),
    "package": ("map", "键值对", "a mapping", "package: {path: …zip, sha256: …, bytes: 34220}"),
    "package.path": ((STR,), "文字", "text", "path: jiaxing-sanxin-open-data.zip"),
    "package.sha256": ((STR,), "64 位十六进制文字", "64 hex digits", "sha256: d89933bb…"),
    "package.bytes": ((INT,), "整数", "an integer", "bytes: 34220"),
    "changes": ("map", "键值对", "a mapping", "changes: {added: 0, removed: 0, changed: 0}"),
    **{f"changes.{k}": ((INT,), "整数", "an integer", f"{k}: 0") for k in ("added", "removed", "changed")},
    "source_paths.data": ((STR,), "仓库中的相对路径", "a relative path in the repository", "data: data"),
    "source_paths.schemas": ((STR,), "仓库中的相对路径", "a relative path in the repository", "schemas: schemas"),
}
REQUIRED = ("notes", "url")
_FOLDER = re.compile(r"^(?!.*(^|/)\.\.?(/|$))[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")  # relative, no . or ..
PATTERNS = {"commit": re.compile(r"^[0-9a-f]{40}$"), "package.sha256": re.compile(r"^[0-9a-f]{64}$"),
            "source_paths.data": _FOLDER, "source_paths.schemas": _FOLDER}


def index_problems(releases_dir: Path) -> list[Problem]:
    """Every malformed entry of releases/index.yaml as `file:line: field: 中文 | English`, read with the bounded
    YAML reader (no anchors, tags or duplicate keys): a version must match VERSION_RE (it becomes a folder name
    and a page anchor) and appear once, a date must be a quoted YYYY-MM-DD, and every other field the type the
    build and the pages read (FIELDS: `notes:` as a list would crash them)."""
    path = Path(releases_dir) / INDEX
    if not path.is_file():
        return []
    shown = display_path(path)
    text, problem = read_text(path)
    if problem:
        return [file_problem(shown, problem)]
    assert text is not None  # read_text gives the text or a problem
    root, errors = yamlsafe.parse(text)
    if root is None and all(e.code == "yaml-not-mapping" for e in errors):
        return []  # an empty index (comments only): no releases yet
    if errors:
        return [Problem.make(shown, e.line, e.field, e.code, e.value, **e.params) for e in errors]
    if root is None or _null(root):
        return []
    entries = root.value.get("releases", (1, None))[1] if _kind(root) == "map" else None
    if _kind(root) != "map":
        return [Problem.make(shown, root.line, "-", "release-index", detail="releases: […]")]
    if entries is None or _null(entries):
        return []
    if _kind(entries) != "seq":
        return [Problem.make(shown, entries.line, "releases", "release-index", detail="releases: […]")]
    problems, seen = [], {}
    for entry in entries.value:
        if _kind(entry) != "map":
            problems.append(Problem.make(shown, entry.line, "releases", "release-index", detail="version: …, date: …"))
            continue
        version, day = _value(entry, "version"), _value(entry, "date")
        if not _is(version, STR) or not VERSION_RE.match(version.raw):
            problems.append(Problem.make(shown, getattr(version, "line", entry.line), "version", "release-version",
                                         getattr(version, "raw", None)))
        elif version.raw in seen:
            problems.append(Problem.make(shown, version.line, "version", "release-duplicate", version.raw,
                                         version=version.raw))
        else:
            seen[version.raw] = version.line
        if not _is(day, STR) or not _iso_date(day.raw):
            problems.append(Problem.make(shown, getattr(day, "line", entry.line), "date", "release-date",
                                         getattr(day, "raw", None)))
        problems += _field_problems(shown, entry)
    return problems


def _field_problems(shown: str, entry: Any) -> list[Problem]:
    problems = []
    for name, (kinds, zh, en, example) in FIELDS.items():
        parent, _, key = name.rpartition(".")
        holder = _value(entry, parent) if parent else entry
        if _kind(holder) != "map" or key not in holder.value and not (not parent and name in REQUIRED):
            continue
        node = _value(holder, key)
        good = (_kind(node) == "map") if kinds == "map" else any(_is(node, k) for k in kinds)
        if good and name in PATTERNS and _is(node, STR):
            good = bool(PATTERNS[name].match(node.raw))
        if not good:
            line = holder.value[key][0] if key in holder.value else holder.line
            problems.append(Problem.make(shown, line, name, "release-field-type",
                                         type_zh=zh, type_en=en, example=example))
    return problems


def _kind(node: object) -> str:
    return node.kind if isinstance(node, yamlsafe.Node) else "scalar" if isinstance(node, yamlsafe.Scalar) else ""


def _value(node: Any, key: str) -> Any:
    return node.value.get(key, (0, None))[1] if _kind(node) == "map" else None


def _is(node: object, tag: str) -> bool:
    return isinstance(node, yamlsafe.Scalar) and node.tag == tag and (tag == STR or node.plain)


def _null(node: object) -> bool:
    return isinstance(node, yamlsafe.Scalar) and node.is_null


def _iso_date(text: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and date.fromisoformat(text) is not None
    except ValueError:
        return False


def load_index(releases_dir: Path) -> list[dict[str, Any]]:
    """Recorded releases, oldest first. Raises ReleaseIndexError (listing every problem) when a version or date is
    malformed, so no caller ever builds a path or a page from one."""
    path = Path(releases_dir) / INDEX
    if not path.exists():
        return []
    problems = index_problems(releases_dir)
    if problems:
        raise ReleaseIndexError("\n".join(p.format() for p in problems))
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return doc.get("releases") or []


def release_dir(releases_dir: Path, version: str) -> Path:
    """releases/<version>, never anywhere else (the version comes from a file a pull request can change)."""
    return within(releases_dir, version)
