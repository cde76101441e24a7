"""Reading the data tree and writing the site safely: one walker that never follows a link, one confinement
check for every path the loader opens or the build writes, and one quoting function for every path printed.

A pull request can put anything into data/: symbolic links (to /proc/self/environ, to /etc/passwd, to a
folder outside the tree), FIFOs, file names with newlines or terminal escapes. None of that may be read,
followed or printed raw.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

# Names that may sit anywhere in the data tree without belonging to a dataset's `files` template.
ALLOWED_EXTRA = {"README.md", ".gitkeep"}


def is_plain(text: str) -> bool:
    """True when text prints as itself: no control, format (bidi, zero-width), separator or quote characters."""
    for ch in text:
        if ch in "\"“”\\" or (ch != " " and unicodedata.category(ch)[0] in "CZ"):
            return False
    return True


def shown(path) -> str:
    """A path as printed in every message: unchanged when plain, otherwise quoted with escapes, so a newline
    cannot start a forged `::error` annotation and an ANSI escape never reaches the terminal."""
    text = str(path)
    if is_plain(text):
        return text
    out = []
    for ch in text:
        if ch == "\\" or ch == '"':
            out.append("\\" + ch)
        elif ch == " " or (unicodedata.category(ch)[0] not in "CZ" and ch not in "“”"):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return '"' + "".join(out) + '"'


def inside(path: Path, root: Path) -> bool:
    """True when path, with every link resolved, lies within root (resolved too)."""
    try:
        Path(path).resolve().relative_to(Path(root).resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def confined(root: Path, relative: str) -> Path | None:
    """root / relative when `relative` is a plain relative path that stays inside root and crosses no link."""
    if not relative or Path(relative).is_absolute() or "\\" in relative or "\x00" in relative:
        return None
    parts = Path(relative).parts
    if any(part in ("..", "") for part in parts):
        return None
    path = Path(root)
    try:
        for part in parts:
            path = path / part
            if path.is_symlink():
                return None
    except OSError:  # e.g. a name too long for the file system: nothing there to read
        return None
    return path if inside(path, root) else None


class OutsideTree(ValueError):
    """A path built from data (a dataset name, a release version) would leave its folder."""


def within(root, *parts) -> Path:
    """root/parts for writing: confined() or OutsideTree. Every folder the build, the downloads and the releases
    write into goes through it, so a name taken from data never makes the build write outside OUT."""
    relative = "/".join(os.fspath(part) for part in parts)
    path = confined(Path(root), relative) if all(os.fspath(part) for part in parts) else None
    if path is None:
        raise OutsideTree(f"路径超出输出目录 / path not allowed under {shown(root)}: {shown(relative)}")
    return path


def child(folder: Path, name: str) -> Path:
    """folder/name for one plain file name in a folder already checked by within() (no separator, not . or ..,
    no NUL): a cheap check for the build's 180,000 pages, which resolving each would cost seconds."""
    if not name or name in (".", "..") or "/" in name or os.sep in name or "\x00" in name:
        raise OutsideTree(f"不允许的文件名 / file name not allowed: {shown(name)}")
    return folder / name


def walk(root: Path, limit: int | None = None) -> tuple[list[Path], list[Path], list[tuple[Path, str]]]:
    """Every regular file and every folder under root (sorted), never following links; and the entries that
    were refused, as (path, reason) with reason "symlink", "special" (FIFO, socket, device) or "unreadable".
    With `limit`, the walk stops as soon as it has found more than `limit` files (a tree too big to read)."""
    files: list[Path] = []
    folders: list[Path] = []
    refused: list[tuple[Path, str]] = []
    stack = [Path(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            refused.append((folder, "unreadable"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                refused.append((path, "unreadable"))
                continue
            if stat.S_ISLNK(mode):
                refused.append((path, "symlink"))
            elif stat.S_ISDIR(mode):
                stack.append(path)
                folders.append(path)
            elif stat.S_ISREG(mode):
                files.append(path)
                if limit is not None and len(files) > limit:
                    return sorted(files), sorted(folders), sorted(refused)
            else:
                refused.append((path, "special"))
    return sorted(files), sorted(folders), sorted(refused)


def unsafe_entries(root: Path) -> list[tuple[Path, str]]:
    """What a copy of root must never take, as walk()'s refused entries: links, special files, unreadable folders;
    root itself when it is a link. Nothing when root does not exist."""
    root = Path(root)
    if root.is_symlink():
        return [(root, "symlink")]
    return walk(root)[2] if root.is_dir() else []


def copy_tree(src: Path, dst: Path, skip=lambda name: False) -> None:
    """Copy every regular file under src to dst (folders made as needed), never following a link: a link or a
    special file anywhere under src raises OutsideTree before anything is written. A file or folder whose name
    `skip(name)` is true is left out (as shutil.ignore_patterns does)."""
    files, _folders, refused = walk(src)
    if refused or Path(src).is_symlink():
        path, reason = refused[0] if refused else (Path(src), "symlink")
        raise OutsideTree(f"不复制链接或特殊文件 / not copied ({reason}): {shown(path)}")
    for path in files:
        rel = path.relative_to(src)
        if any(skip(part) for part in rel.parts):
            continue
        target = Path(dst) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read_bytes(path))


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, opened without following a final link (O_NOFOLLOW)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(str(path))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)
