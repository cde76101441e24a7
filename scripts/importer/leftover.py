"""`python -m scripts inbox-check`: an attachment or sidecar left in inbox/ is an error, never imported again silently.

On main an attachment in inbox/ means a pull request was merged without its rows (or its rows were imported and
the attachment kept, to be imported by every later pull request). In a pull request it means the rows the checks
showed are not in the pull request: the case of a fork, whose read-only token cannot commit them back. Either way
the check fails and says, step by step, how to finish: the converted files are named one by one.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from ..load.loader import display_path
from ..model.catalog import Problem
from ..site.render import md
from .inbox import NOT_ATTACHMENTS

HELP = "检查 inbox/ 中没有遗留的附件或说明文件 / check that no attachment or sidecar is left in inbox/"
DESCRIPTION = """inbox/ 中除 README.md 和 .gitkeep 外的任何文件都是错误：它的数据行不在这个版本里，而且会被以后的
每个拉取请求重新导入。在主分支和拉取请求中（导入步骤之后）运行；--summary 写入完成导入的具体步骤。
Any file in inbox/ other than README.md and .gitkeep is an error: its rows are not in this version and every later
pull request would import it again. Runs on main and in pull requests after the import step; --summary gets the
exact steps to finish."""

HINT_ZH = ("从本仓库的分支提交拉取请求时，检查会自动导入并把数据行提交到分支；否则按运行摘要中的步骤把转换后的文件"
           "上传到 data/，再删除这个文件")
HINT_EN = ("from a branch of this repository the checks import and commit the rows themselves; otherwise upload the "
           "converted files into data/ as the run summary says, then delete this file")


def add_arguments(parser) -> None:
    parser.add_argument("inbox", nargs="?", default="inbox", help="附件目录 / the inbox folder (default inbox/)")
    parser.add_argument("--out", default="build/import", help="import-inbox 的输出目录 / import-inbox's --out (default build/import)")
    parser.add_argument("--summary", metavar="FILE", help="把步骤追加到此文件（如 $GITHUB_STEP_SUMMARY）/ append the steps here")


def leftovers(inbox: Path) -> list[Path]:
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.rglob("*") if (p.is_file() or p.is_symlink())
                  and not (p.parent == inbox and p.name in NOT_ATTACHMENTS))


def steps(files: list[Path], out: Path) -> str:
    """The run-summary section: what is wrong, then the steps of the web UI to finish, each file named."""
    copies = out / "data"
    converted = sorted(c.relative_to(copies).as_posix() for c in copies.rglob("*") if c.is_file()) if copies.is_dir() else []
    number = re.fullmatch(r"refs/pull/(\d+)/merge", os.environ.get("GITHUB_REF", ""))
    artifact = f"import-pr-{number.group(1)}" if number else "import-pr-<编号 / number>"
    names = "、".join(f"`{md(display_path(p))}`" for p in files)
    none = "   - （本次导入没有写入文件 / the import wrote no file）\n"
    uploads = "".join(f"   - `{md(c)}` → `{md(Path('data', c).parent.as_posix())}/`\n" for c in converted)
    return (f"## ✗ inbox/ 中还有文件 / Files left in inbox/\n\n{names}\n\n"
            "这些文件的数据行不在本分支里，合并后数据会丢失，附件还会被以后的每个拉取请求重新导入。"
            "The rows of these files are not on this branch: merged, the data would be lost and the attachment imported "
            "again by every later pull request.\n\n"
            "**最简单 / simplest:** 有本仓库写权限时，在本仓库（而不是复刻）中新建分支上传附件和说明文件，检查会自动导入并提交。"
            " With write access, upload the attachment and sidecar on a branch of this repository (not a fork): the "
            "checks import and commit the rows themselves.\n\n"
            "**在复刻中完成 / finishing in a fork:**\n\n"
            f"1. 在本次运行页面的 Artifacts 中下载 `{artifact}` 并解压 / download and unzip the artifact `{artifact}` "
            "from this run's page;\n"
            "2. 在您的分支上打开下列文件夹，Add file → Upload files，上传其中 `data/` 下的文件（覆盖同名文件）"
            " / on your branch, open each folder below and upload the files under `data/` (replacing those of the same "
            f"name):\n{uploads or none}"
            f"3. 删除 {names}（打开文件 → 删除 / open the file → Delete file）/ delete them;\n"
            "4. 提交到同一个拉取请求；检查变绿后请求审核 / commit to the same pull request; ask for review once the "
            "checks are green.\n")


def main(args) -> int:
    inbox = Path(args.inbox)
    files = leftovers(inbox)
    if not files:
        print(f"✓ {display_path(inbox)}/ 中没有遗留的附件 / no attachment left in {display_path(inbox)}/")
        return 0
    for path in files:
        print(Problem.make(display_path(path), 1, "-", "inbox-leftover", hint_zh=HINT_ZH, hint_en=HINT_EN).format())
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as fh:
            fh.write(steps(files, Path(args.out)))
    print(f"✗ {display_path(inbox)}/ 中还有 {len(files)} 个文件 / {len(files)} files left in {display_path(inbox)}/",
          file=sys.stderr)
    return 1
