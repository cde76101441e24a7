"""Published releases stay as published, checked two ways (the SHA-256s of scripts/release/record.py only prove that a
snapshot, its manifest and the index agree with each other, and all three can be re-hashed together):

- against a base ref (`validate --base`, `release --verify --base`, `diff`): every release that exists at the
  base (the merge base of BASE and HEAD: releases added on BASE later are not "removed" here) is byte-identical
  on disk — every file under releases/<version>/ and its entry in releases/index.yaml. New releases are allowed;
  a changed, added or removed file of a published release, or a changed or removed entry, is an error.
- against history (`validate`, `release --verify`, always): a release records the commit it was cut from, and
  its snapshot (releases/<v>/source/data, source/schemas) must be byte for byte what that commit holds
  (`git show <commit>:data/…`; the snapshot copies data/ without dot-files and __pycache__, and the schemas the
  data uses). When the commit cannot be looked at — no git repository, or a shallow clone that lacks it — each
  release gets a warning saying so (never a silent pass); in a full clone a missing commit is an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import yamlsafe
from ..gitref import GitError, git, has_commit, is_shallow, merge_base, read_at, repo_root, tree_files, worktree_files
from ..load.loader import display_path
from ..load.release_index import INDEX, load_index, release_dir
from ..model.catalog import Problem


@dataclass
class ReleaseChanges:
    """Every file under releases/ that differs between two trees, and the refused ones as problems."""

    files: list[dict[str, Any]] = field(default_factory=list)  # {"status": added|changed|removed, "path", "refused"}
    new_versions: dict[str, int] = field(default_factory=dict)  # release added -> number of its files
    problems: list[Problem] = field(default_factory=list)


def compare_releases(root: Path, base: str, head: str | None, rel: str = "releases", label: str = "") -> ReleaseChanges:
    """Releases at `base` against `head` (None = the files on disk), in the git repository `root`; `rel` is the
    releases folder inside it. `label` names the base in messages (default: base)."""
    label = label or base
    old = tree_files(root, base, rel)
    new = tree_files(root, head, rel) if head else worktree_files(root, rel)
    index_path = f"{rel}/{INDEX}"
    old_entries = _entries(read_at(root, base, index_path)) or {}
    new_text = read_at(root, head, index_path)
    new_entries, lines = _entries(new_text), _entry_lines(new_text)
    published = set(old_entries) | {v for v in map(lambda p: _version_of(p, rel), old) if v}
    out = ReleaseChanges()
    added: Counter[str] = Counter()
    for path in sorted(old.keys() | new.keys()):
        if old.get(path) == new.get(path):
            continue
        status = "added" if path not in old else "removed" if path not in new else "changed"
        version = _version_of(path, rel)
        refused = version in published
        out.files.append({"status": status, "path": path, "refused": refused})
        if refused:
            line = _first_difference(read_at(root, base, path), read_at(root, head, path)) if status == "changed" else 1
            out.problems.append(Problem.make(display_path(root / path), line, "-", f"release-file-{status}",
                                             version=version, base=label))
        elif version:
            added[version] += 1
    out.new_versions = dict(sorted(added.items()))
    shown = display_path(root / index_path)
    for version in sorted(v for v in published if v in old_entries):
        entry = None if new_entries is None else new_entries.get(version)
        if entry is None and new_entries is not None:
            out.problems.append(Problem.make(shown, lines.get(("", ""), 1), "version", "release-entry-removed",
                                             version, version=version, base=label))
            continue
        before = old_entries[version]
        keys = ["-"] if entry is None else sorted(k for k in before.keys() | entry.keys() if before.get(k) != entry.get(k))
        for key in keys:
            out.problems.append(Problem.make(shown, lines.get((version, key)) or lines.get((version, ""), 1), key,
                                             "release-entry-changed", version=version, base=label))
    return out


def base_problems(releases_dir: Path, base: str) -> list[Problem]:
    """compare_releases from the merge base of `base` and HEAD to the files on disk, as problems."""
    folder = Path(releases_dir).resolve()
    try:  # a releases/ folder deleted on disk is still compared (everything in it was removed)
        root = repo_root(folder if folder.is_dir() else folder.parent)
        rel = folder.relative_to(root.resolve()).as_posix()
        return compare_releases(root, merge_base(root, base, "HEAD"), None, rel, label=base).problems
    except (GitError, ValueError) as exc:
        return [Problem.make(display_path(Path(releases_dir) / INDEX), 1, "-", "release-base-unavailable",
                             base=base, detail=str(exc).splitlines()[0][:300])]


def history_problems(releases_dir: Path) -> list[Problem]:
    """Each recorded release's snapshot against its recorded commit (see the module text). The index must be
    well-formed (release_index.index_problems) before this runs."""
    releases_dir = Path(releases_dir)
    records = load_index(releases_dir)
    if not records:
        return []
    shown = display_path(releases_dir / INDEX)
    lines = _entry_lines((releases_dir / INDEX).read_bytes())
    try:
        root = repo_root(releases_dir)
        shallow = is_shallow(root)
    except GitError:
        root, shallow = None, False
    problems = []
    for record in records:
        version, commit = record["version"], record.get("commit")
        line = lines.get((version, "commit")) or lines.get((version, ""), 1)
        if root is None:
            problems.append(Problem.make(shown, line, "commit", "release-history-unavailable", severity="warning",
                                         version=version, reason_zh="这里不是 git 仓库",
                                         reason_en="this is not a git repository"))
        elif not commit or record.get("uncommitted_changes"):
            problems.append(Problem.make(shown, line, "commit", "release-unverifiable", severity="warning",
                                         version=version))
        elif not has_commit(root, commit):
            if shallow:
                problems.append(Problem.make(shown, line, "commit", "release-history-unavailable",
                                             severity="warning", version=version,
                                             reason_zh=f"浅克隆中没有提交 {commit}",
                                             reason_en=f"this shallow clone lacks commit {commit}"))
            else:
                problems.append(Problem.make(shown, line, "commit", "release-commit-missing",
                                             version=version, commit=commit))
        else:
            try:
                problems += snapshot_problems(root, release_dir(releases_dir, version) / "source", record)
            except GitError as exc:
                problems.append(Problem.make(shown, line, "commit", "release-history-unavailable", version=version,
                                             reason_zh=str(exc)[:300], reason_en=str(exc)[:300]))
    return problems


def snapshot_problems(root: Path, source: Path, record: Mapping[str, Any]) -> list[Problem]:
    """source/data and source/schemas of one release against `git show <commit>:data/…` (and schemas/…)."""
    commit, version = record["commit"], record["version"]
    paths = record.get("source_paths") or {}
    problems = []
    used = {"dataset.meta.schema.json"}
    for part, repo_path in (("data", paths.get("data") or "data"), ("schemas", paths.get("schemas") or "schemas")):
        at_commit = {p[len(repo_path) + 1:]: blob for p, blob in tree_files(root, commit, repo_path).items()}
        snapshot = {p[len(part) + 1:]: blob for p, blob in worktree_files(source, part).items()}
        if part == "data":
            at_commit = {p: blob for p, blob in at_commit.items() if _snapshotted(p)}
            used |= _schemas_used(source / "data", snapshot)
        else:
            at_commit = {p: blob for p, blob in at_commit.items() if p in used or p in snapshot}
        for name in sorted(at_commit.keys() | snapshot.keys()):
            want, got = at_commit.get(name), snapshot.get(name)
            if want == got:
                continue
            where, origin = source / part / name, f"{repo_path}/{name}"
            code, line = "release-snapshot-differs", 1
            if got is None:
                code = "release-snapshot-missing"
            elif want is None:
                code = "release-snapshot-extra"
            elif not where.is_symlink():
                line = _first_difference(read_at(root, commit, origin), where.read_bytes())
            problems.append(Problem.make(display_path(where), line, "-", code, version=version,
                                         commit=commit[:12], source=origin))
    return problems


# --- helpers --------------------------------------------------------------------------------------

def _version_of(path: str, rel: str) -> str:
    """releases/<version>/… -> version ("" for files directly in releases/)."""
    rest = path[len(rel) + 1:]
    return rest.split("/", 1)[0] if "/" in rest else ""


def skipped(name: str) -> bool:
    """A file or folder name release.py's snapshot does not copy (dot-files and __pycache__)."""
    return name.startswith(".") or name == "__pycache__"


def _snapshotted(relative: str) -> bool:
    return not any(skipped(part) for part in relative.split("/"))


def source_commit(data_dir: Path, schemas_dir: Path) -> dict[str, Any] | None:
    """What a new release records about its origin: the commit of the repository holding data_dir, whether the
    data or schemas differ from it (a file a snapshot would copy that is modified, untracked or ignored), and
    where both folders are in it. None when data_dir is in no git repository."""
    try:
        root = repo_root(Path(data_dir))
        commit = git(root, "rev-parse", "HEAD").strip()
        rel = [Path(d).resolve().relative_to(root.resolve()).as_posix() for d in (data_dir, schemas_dir)]
        status = git(root, "status", "--porcelain", "-z", "--ignored", "--untracked-files=all", "--", *rel)
    except (GitError, ValueError):
        return None
    dirty = any(_snapshotted(entry[3:]) for entry in status.split("\0") if len(entry) > 3)
    return {"commit": commit, "uncommitted_changes": dirty, "source_paths": {"data": rel[0], "schemas": rel[1]}}


def _schemas_used(data: Path, snapshot: Mapping[str, Any]) -> set[str]:
    used = set()
    for name in snapshot:
        if name == "dataset.yaml" or name.endswith("/dataset.yaml"):
            try:
                meta = yamlsafe.load_plain((data / name).read_text(encoding="utf-8"))[0]
            except (OSError, UnicodeDecodeError):
                continue
            if isinstance(meta, dict) and isinstance(meta.get("schema"), str):
                used.add(meta["schema"])
    return used


def _first_difference(old: bytes | None, new: bytes | None) -> int:
    """1-based line number of the first line that differs (1 when either side is missing)."""
    if old is None or new is None:
        return 1
    a, b = old.split(b"\n"), new.split(b"\n")
    return next((i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def _entries(text: bytes | None) -> dict[str, dict[str, Any]] | None:
    """version -> entry of an index.yaml ({} when there is none; None when it cannot be read)."""
    if text is None:
        return {}
    try:
        doc = yaml.safe_load(text.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    entries = doc.get("releases") if isinstance(doc, dict) else None
    out: dict[str, dict[str, Any]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("version"), str):
            out.setdefault(entry["version"], entry)
    return out


def _entry_lines(text: bytes | None) -> dict[tuple[str, str], int]:
    """(version, key) -> line of that key's value, (version, "") -> line of the entry, ("", "") -> `releases:`."""
    try:
        root = yaml.compose(text.decode("utf-8"), Loader=yaml.SafeLoader) if text else None
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    lines: dict[tuple[str, str], int] = {}
    for key, value in root.value if isinstance(root, yaml.MappingNode) else []:
        if getattr(key, "value", None) != "releases" or not isinstance(value, yaml.SequenceNode):
            continue
        lines[("", "")] = key.start_mark.line + 1
        for entry in value.value:
            if not isinstance(entry, yaml.MappingNode):
                continue
            fields = {getattr(k, "value", None): v for k, v in entry.value}
            version = getattr(fields.get("version"), "value", None)
            if isinstance(version, str) and (version, "") not in lines:
                lines[(version, "")] = entry.start_mark.line + 1
                for name, node in fields.items():
                    if isinstance(name, str):
                        lines[(version, name)] = node.start_mark.line + 1
    return lines
