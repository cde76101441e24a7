"""Pre-commit helper: validate the datasets that the given files belong to (and the datasets referencing them).

`python -m scripts check-files data/products/2026.csv data/scenes/2026/S-2026-005.yaml` loads the whole data
tree (references need it) and reports only the problems of the datasets those files belong to, exactly like
`validate --only`. Files outside any dataset are ignored; when none belong to a dataset nothing is checked.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..load.loader import meta_dicts
from ..paths import DATA, SCHEMAS
from ..release.diff import datasets_for_paths
from ..validate import validator as validate

HELP = "校验这些文件所属的数据集（用于 pre-commit）/ validate the datasets the given files belong to (pre-commit)"
DESCRIPTION = """只报告给定文件所属数据集（以及引用它们的数据集）的问题，用于 pre-commit 钩子。
Report the problems of the datasets the given files belong to (and of the datasets referencing them)."""


def add_arguments(parser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE", help="要检查的文件 / files being committed")
    parser.add_argument("--data", default=str(DATA), help="数据目录 / data directory (default: data/)")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度 / no progress lines")


def main(args) -> int:
    data = Path(args.data).resolve()
    root = data.parent
    metas = meta_dicts(data, root)
    paths = []
    for name in args.files:
        path = Path(name).resolve()
        try:
            paths.append(path.relative_to(root).as_posix())
        except ValueError:
            paths.append(Path(name).as_posix())
    names = datasets_for_paths(paths, metas, root / "schemas" if (root / "schemas").is_dir() else SCHEMAS)
    if not names:
        print("没有涉及数据集的文件，跳过校验 / no dataset files given, nothing to check", file=sys.stderr)
        return 0
    if not args.quiet:
        print(f"校验数据集 / checking datasets: {', '.join(names)}", file=sys.stderr)
    return validate.run(data, SCHEMAS, set(names), args.quiet)
