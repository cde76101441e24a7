"""Reading git: refs, trees and blobs of the repository, for the review diff (scripts/release/diff.py) and the release
guard (scripts/validate/release_guard.py). Every call is `git` in a subprocess with an argument list (never a shell); a
failure is a GitError carrying git's own message.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path


class GitError(Exception):
    pass


def git(root: Path, *args: str, binary: bool = False):
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True)
    except OSError as exc:  # no git installed, or root is gone
        raise GitError(f"git {' '.join(args)}: {exc}") from None
    if proc.returncode:
        raise GitError(f"git {' '.join(args)}: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout if binary else proc.stdout.decode("utf-8")


def repo_root(path: Path) -> Path:
    return Path(git(path, "rev-parse", "--show-toplevel").strip())


def merge_base(root: Path, base: str, head: str) -> str:
    return git(root, "merge-base", base, head).strip()


def exists_at(root: Path, ref: str, path: str) -> bool:
    return bool(git(root, "ls-tree", "--name-only", ref, "--", path).strip())


def is_shallow(root: Path) -> bool:
    return git(root, "rev-parse", "--is-shallow-repository").strip() == "true"


def has_commit(root: Path, sha: str) -> bool:
    try:
        return git(root, "cat-file", "-t", f"{sha}^{{commit}}").strip() == "commit"
    except GitError:
        return False


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob (what `git hash-object` prints, no filters)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def tree_files(root: Path, ref: str, path: str) -> dict[str, str]:
    """Every file under `path` at `ref`: repository-relative path -> "file <blob id>" or "link <blob id>"
    (submodules left out)."""
    out = {}
    for entry in git(root, "ls-tree", "-r", "-z", "--full-tree", ref, "--", path).split("\0"):
        if not entry:
            continue
        meta, name = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob":
            out[name] = f"{'link' if mode == '120000' else 'file'} {sha}"
    return out


def worktree_files(root: Path, path: str) -> dict[str, str]:
    """Every file under root/path on disk, keyed and identified as tree_files does (links are not followed)."""
    out = {}
    for folder, dirs, names in os.walk(root / path):
        dirs.sort()
        for name in [*names, *(d for d in dirs if os.path.islink(os.path.join(folder, d)))]:
            full = Path(folder) / name
            rel = full.relative_to(root).as_posix()
            if full.is_symlink():
                out[rel] = f"link {blob_id(os.fsencode(os.readlink(full)))}"
            elif full.is_file():
                out[rel] = f"file {blob_id(full.read_bytes())}"
    return out


def read_at(root: Path, ref: str | None, path: str) -> bytes | None:
    """The bytes of a file at `ref` (None = on disk); None when there is no such file."""
    if ref is None:
        full = root / path
        return full.read_bytes() if full.is_file() and not full.is_symlink() else None
    try:
        return git(root, "show", f"{ref}:{path}", binary=True)
    except GitError:
        return None
