"""`python -m scripts inbox-commit`: after `import-inbox`, one commit on the current branch that holds the converted
rows and a review record, and removes the processed attachments and their sidecars.

So a pull request opened from the web UI ends up holding exactly the rows that will be published: the reviewer
merges what the diff and the preview showed, and nothing is left in inbox/ to be imported again. The record
(imports/<date>-<file>.md) keeps the provenance of the removed attachment (SHA-256, size, source_url, sidecar) and
the import's review report. Nothing is committed unless every attachment has its report, every data file is as
the import wrote it and the whole data tree validates. No network and no token here: pushing is `inbox-push`.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import sys
from pathlib import Path

from ..editing.new import write_atomic
from ..gitref import GitError, git, repo_root
from ..load.loader import display_path, load_catalog
from ..model.catalog import Problem
from ..paths import DATA, SCHEMAS
from ..site.render import md
from ..validate.validator import validate_catalog
from .inbox import attachments, read_sidecar, sidecar

HELP = "把导入的数据行和审核记录提交到当前分支，并删除已处理的附件 / commit the imported rows and record, remove the attachments"
DESCRIPTION = """在 make import-inbox 成功之后运行：把导入写入 data/ 的文件和审核记录（imports/<日期>-<附件名>.md，
含附件的 SHA-256、来源网址和说明文件）提交为当前分支上的一个提交，并在同一提交中删除 inbox/ 中已处理的附件和说明文件。
缺报告、数据文件被改过或整个数据目录校验不通过时，什么也不提交。--output 写入 committed=true|false 和 head=<提交>。
Run after a successful make import-inbox: one commit on the current branch with the data files the import wrote
and a review record (imports/<date>-<file>.md: the attachment's SHA-256, source URL and sidecar, then the report),
removing the processed attachments and sidecars. Nothing is committed when a report is missing, a data file
differs from what the import wrote or the data tree does not validate. --output gets committed=… and head=… (the new commit, empty when none)"""

BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


def add_arguments(parser) -> None:
    parser.add_argument("inbox", nargs="?", default="inbox", help="附件目录 / the inbox folder (default inbox/)")
    parser.add_argument("--data", default=str(DATA), help="数据目录 / data directory (default: data/)")
    parser.add_argument("--schemas", default=str(SCHEMAS), help="表结构目录 / schema directory")
    parser.add_argument("--out", default="build/import", help="import-inbox 的输出目录 / import-inbox's --out (default build/import)")
    parser.add_argument("--records", default="imports", help="审核记录目录 / folder of the committed records (default imports/)")
    parser.add_argument("--date", help="记录日期 YYYY-MM-DD（默认今天，UTC）/ record date (default today, UTC)")
    parser.add_argument("--summary", metavar="FILE", help="把结果追加到此文件（如 $GITHUB_STEP_SUMMARY）/ append the outcome here")
    parser.add_argument("--output", metavar="FILE", help="写入 committed=… 和 head=…（如 $GITHUB_OUTPUT）/ step outputs here")


def main(args) -> int:
    inbox, data, out = Path(args.inbox), Path(args.data), Path(args.out)
    try:
        root = repo_root(Path("."))
        files = attachments(inbox)
        if not files:
            return finish(args, root, False, f"{display_path(inbox)}/ 中没有附件，不需要提交 / no attachments in "
                                                f"{display_path(inbox)}/, nothing to commit")
        problems, written, left = check(files, data, out, Path(args.schemas))
        if problems:
            for p in problems:
                print(p.format(), file=sys.stderr)
            append(args.summary, "## ✗ 没有提交 / Nothing committed\n\n```\n" +
                   "\n".join(p.format() for p in problems) + "\n```\n")
            print(f"✗ 没有提交任何内容 / nothing committed ({len(problems)})", file=sys.stderr)
            return 1
        date = args.date or datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        records = [write_record(root, Path(args.records), date, path, out, written, left) for path in files]
        removed = [p for path in files for p in (path, sidecar(path)) if p is not None]
        paths = [rel(root, p) for p in written + records]
        git(root, "add", "--", *paths)
        tracked = set(git(root, "ls-files", "-z", "--", *[rel(root, p) for p in removed]).split("\0")) - {""}
        if tracked:
            git(root, "rm", "-q", "--cached", "--", *sorted(tracked))
        for path in removed:
            path.unlink()
        message = commit_message(root, files, written, records)
        commit(root, message, paths + sorted(tracked))
        lines = "".join(f"- `{md(p)}`\n" for p in paths) + "".join(f"- ~~`{md(rel(root, p))}`~~\n" for p in removed)
        return finish(args, root, True, f"✓ 已提交 / committed {git(root, 'rev-parse', '--short', 'HEAD').strip()}："
                      f"{len(written)} 个数据文件、{len(records)} 份审核记录，删除 {len(removed)} 个 inbox/ 文件 | "
                      f"{len(written)} data files, {len(records)} records, {len(removed)} inbox/ files removed",
                      "## ✓ 数据行已提交到本分支 / The rows are committed to this branch\n\n" + lines)
    except GitError as exc:
        print(Problem.make(".", 1, "-", "inbox-git", detail=str(exc), hint_zh="在 git 仓库的根目录运行，分支上不要有冲突",
                           hint_en="run it at the root of a git checkout without conflicts").format(), file=sys.stderr)
        return 1


def check(files: list[Path], data: Path, out: Path, schemas: Path) -> tuple[list[Problem], list[Path], dict]:
    """(problems, data files to commit, {file: fields left empty}): each attachment imported, each file as
    written, the whole tree valid."""
    problems = [Problem.make(display_path(p), 1, "-", "inbox-not-imported", out=display_path(out))
                for p in files if not (out / f"{p.name}.ok").is_file() or sidecar(p) is None]
    written = []
    copies = out / "data"
    for copy in sorted(c for c in copies.rglob("*") if c.is_file()) if copies.is_dir() else []:
        target = data / copy.relative_to(copies)
        if not target.is_file() or target.read_bytes() != copy.read_bytes():
            problems.append(Problem.make(display_path(target), 1, "-", "inbox-stale", out=display_path(out)))
        written.append(target)
    catalog, found = load_catalog(data, schemas)
    errors = [p for p in found + validate_catalog(catalog) if p.severity == "error"]
    if errors:
        problems += errors[:20] + [Problem.make(display_path(data), 1, "-", "inbox-invalid", count=len(errors))]
    return problems, written, left_to_fill(catalog, written)


def left_to_fill(catalog, written: list[Path]) -> dict[str, list[tuple[str, int]]]:
    """{written file: [(field, records where it is empty)]}: what a person may still want to add."""
    wanted = {str(Path(os.path.abspath(p))) for p in written}
    out: dict[str, dict[str, int]] = {}
    for dataset in catalog.datasets.values():
        for record in dataset.records:
            path = str(Path(os.path.abspath(record.path)))
            if path in wanted:
                empty = out.setdefault(path, {})
                for name in dataset.field_names:
                    if record.values.get(name) in (None, "", []):
                        empty[name] = empty.get(name, 0) + 1
    return {k: sorted(v.items()) for k, v in out.items() if v}


def rel(root: Path, path: Path) -> str:
    return Path(os.path.abspath(path)).relative_to(root.resolve()).as_posix()


def record_name(folder: Path, date: str, name: str) -> Path:
    """imports/<date>-<attachment name>.md, numbered when that name was imported the same day already."""
    stem = re.sub(r"[\x00-\x1f\x7f/\\]", "_", name)
    path, n = folder / f"{date}-{stem}.md", 2
    while path.exists():
        path, n = folder / f"{date}-{stem}-{n}.md", n + 1
    return path


def fence(text: str) -> str:
    """A code fence longer than any backtick run in `text`, so a sidecar cannot close it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def write_record(root: Path, folder: Path, date: str, path: Path, out: Path, written: list[Path],
                 left: dict[str, list[tuple[str, int]]]) -> Path:
    """The committed review record: provenance of the removed attachment, then the import's report."""
    content = path.read_bytes()
    side = sidecar(path)
    side_text = side.read_text(encoding="utf-8-sig") if side else ""
    url = read_sidecar(side)[0].get("source_url") if side else None
    tick = fence(side_text)
    record = record_name(root / folder, date, path.name)
    text = (f"# 导入记录 / Import record: {md(path.name)}\n\n"
            f"- 附件 / attachment: `{md(rel(root, path))}`，{len(content):,} 字节 / bytes，"
            f"SHA-256 `{hashlib.sha256(content).hexdigest()}`（已从 inbox/ 删除，原件见来源网址 / removed from "
            f"inbox/; the original is at the source URL）\n"
            f"- 来源 / source: {md(url) if url else '（说明文件未写 / not in the sidecar）'}\n"
            f"- 写入 / written: {'、'.join(f'`{md(rel(root, p))}`' for p in written) or '（无改动 / nothing)'}\n"
            f"- 还可补充（为空的字段：记录数）/ left to fill (empty fields: records): "
            f"{'；'.join(f'`{md(rel(root, Path(k)))}` ' + '，'.join(f'{md(n)}: {c}' for n, c in v) for k, v in sorted(left.items())) or '无 / none'}"
            "（可在本拉取请求中直接编辑这些文件补上 / edit those files in this pull request to add them）\n"
            f"- 说明文件 / sidecar `{md(rel(root, side)) if side else '-'}`:\n\n{tick}yaml\n{side_text.rstrip()}\n{tick}\n\n"
            f"---\n\n{(out / f'{path.name}.md').read_text(encoding='utf-8')}")
    write_atomic(record, text)
    return record


def commit_message(root: Path, files: list[Path], written: list[Path], records: list[Path]) -> str:
    names = "、".join(p.name for p in files)
    return (f"导入 inbox/ 附件 {names}，删除已处理的附件 / import {names} from inbox/, remove the attachment\n\n"
            "附件的 SHA-256 和来源网址见审核记录 / the attachments' SHA-256 and source URL are in the records:\n"
            + "".join(f"- {rel(root, p)}\n" for p in records + written))


def commit(root: Path, message: str, paths: list[str]) -> None:
    env_name = os.environ.get("GIT_AUTHOR_NAME") or BOT[0]
    env_mail = os.environ.get("GIT_AUTHOR_EMAIL") or BOT[1]
    git(root, "-c", f"user.name={env_name}", "-c", f"user.email={env_mail}", "-c", "core.hooksPath=/dev/null",
        "commit", "-q", "--no-verify", "-m", message, "--", *paths)


def append(summary: str | None, text: str) -> None:
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(text)


def finish(args, root: Path, committed: bool, line: str, section: str = "") -> int:
    head = git(root, "rev-parse", "HEAD").strip()
    if args.output:
        with open(args.output, "a", encoding="utf-8") as fh:
            # head only when there is a new commit: without one the checks keep the pull request's merge commit
            fh.write(f"committed={'true' if committed else 'false'}\nhead={head if committed else ''}\n")
    append(args.summary, section)
    print(line)
    return 0
