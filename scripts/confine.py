"""One rule for every file the build writes: it stays inside its output folder.

`inside(root, *parts)` joins `parts` onto `root`, resolves the result (following `..` and symlinks) and raises
`OutsideTree` when it would land anywhere but `root` or below. Every place that writes generated files (pages,
downloads, releases, changelog) goes through it, so a name taken from data (a dataset name, a release version)
can never make the build write outside OUT, whatever checks came before.
"""

from __future__ import annotations

import os
from pathlib import Path


class OutsideTree(ValueError):
    """A path built from data would leave its folder."""


def inside(root, *parts) -> Path:
    base = Path(os.path.realpath(root))
    for part in parts:
        text = os.fspath(part)
        if not text or "\x00" in text or os.path.isabs(text):
            raise OutsideTree(f"不允许的路径 / path not allowed under {base}: {text!r}")
    target = Path(os.path.realpath(base.joinpath(*parts)))
    if target != base and base not in target.parents:
        raise OutsideTree(f"路径超出输出目录 / path leaves {base}: {os.path.join(*map(os.fspath, parts))!r}")
    return target


def child(folder: Path, name: str) -> Path:
    """folder/name for one plain file name in a folder already confined by inside() (no separator, not . or ..,
    no NUL): a cheap check for the build's 180,000 pages, which resolving each would cost seconds."""
    if not name or name in (".", "..") or "/" in name or os.sep in name or "\x00" in name:
        raise OutsideTree(f"不允许的文件名 / file name not allowed: {name!r}")
    return folder / name
