"""Recorded releases, read and checked: releases/index.yaml (version, date, notes, …) and the folder of each
release. The validator, the build and the release and packages stages read the records through here; writing a
new record and regenerating one live in scripts/release.py.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from .load import display_path
from .model import Problem
from .safefs import within

INDEX = "index.yaml"
VERSION_RE = re.compile(r"^[0-9]{4}\.[0-9]+(\.[0-9]+)?$")


class ReleaseIndexError(ValueError):
    """releases/index.yaml holds a version or date that is not allowed (see index_problems)."""


def index_problems(releases_dir: Path) -> list[Problem]:
    """Every malformed entry of releases/index.yaml as `file:line: field: 中文 | English`: a version must match
    VERSION_RE (it becomes a folder name and a page anchor), a date must be a quoted YYYY-MM-DD."""
    path = Path(releases_dir) / INDEX
    if not path.is_file():
        return []
    shown = display_path(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return [Problem.make(shown, getattr(getattr(exc, "problem_mark", None), "line", 0) + 1, "-", "release-index",
                             detail=type(exc).__name__)]
    if root is None:
        return []
    entries = _child(root, "releases") if isinstance(root, yaml.MappingNode) else None
    if entries is None or isinstance(entries, yaml.ScalarNode) and entries.tag.endswith(":null"):
        return [] if isinstance(root, yaml.MappingNode) else [
            Problem.make(shown, root.start_mark.line + 1, "-", "release-index", detail="releases: […]")]
    if not isinstance(entries, yaml.SequenceNode):
        return [Problem.make(shown, entries.start_mark.line + 1, "releases", "release-index", detail="releases: […]")]
    problems = []
    for entry in entries.value:
        line = entry.start_mark.line + 1
        if not isinstance(entry, yaml.MappingNode):
            problems.append(Problem.make(shown, line, "releases", "release-index", detail="version: …, date: …"))
            continue
        version, day = _child(entry, "version"), _child(entry, "date")
        if not _quoted(version) or not VERSION_RE.match(version.value):
            problems.append(Problem.make(shown, (version or entry).start_mark.line + 1, "version", "release-version",
                                         getattr(version, "value", None) if isinstance(version, yaml.ScalarNode) else None))
        if not _quoted(day) or not _iso_date(day.value):
            problems.append(Problem.make(shown, (day or entry).start_mark.line + 1, "date", "release-date",
                                         getattr(day, "value", None) if isinstance(day, yaml.ScalarNode) else None))
    return problems


def _child(node, key: str):
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _quoted(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str"


def _iso_date(text: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and date.fromisoformat(text) is not None
    except ValueError:
        return False


def load_index(releases_dir: Path) -> list[dict]:
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
