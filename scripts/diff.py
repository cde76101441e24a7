"""Review tool: what a change does to the data, record by record (added, removed, changed fields old → new).

`python -m scripts diff BASE [HEAD]` materialises the data tree and schemas at both git refs (`git archive`) into
temporary folders, loads both with the ordinary loader and renders the record-level delta (scripts/delta.py) as
Markdown for the pull-request job summary, or JSON. `--touched` only prints the names of the datasets the change
touches (plus the datasets that reference them), for the validator's fast path `validate --only`.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from . import safefs, yamlsafe
from .delta import DatasetDelta, compare
from .load import REPO, load_catalog, meta_dicts, table_schema
from .model import Catalog
from .new import is_placeholder

HELP = "数据变更摘要 / record-level summary of what changed between two git refs (for review)"
DESCRIPTION = """比较两个 git 版本（默认 HEAD）之间的数据，按数据集列出新增、删除和修改的记录（字段 原值 → 新值）。
Compare the data at two git refs and list added, removed and changed records per dataset (field: old → new).

示例 / examples:
  python -m scripts diff origin/main                 # 当前提交相对 main 的变更 / this branch against main
  python -m scripts diff origin/main --working-tree  # 含未提交的修改 / include uncommitted edits
  python -m scripts diff HEAD~1 HEAD --format json
  python -m scripts diff origin/main --touched       # 只列出涉及的数据集名 / names of touched datasets"""

WORKTREE = "工作区 / working tree"


def add_arguments(parser) -> None:
    parser.add_argument("base", metavar="BASE", help="比较的起点（git 引用，如 origin/main）/ git ref to compare from")
    parser.add_argument("head", metavar="HEAD", nargs="?", default="HEAD",
                        help="比较的终点（默认 HEAD）/ git ref to compare to (default HEAD)")
    parser.add_argument("--working-tree", action="store_true",
                        help="与磁盘上的文件（含未提交的修改）比较，而不是 HEAD / compare with the files on disk instead of HEAD")
    parser.add_argument("--merge-base", action="store_true",
                        help="从 BASE 与 HEAD 的共同祖先开始比较（只看本分支的改动）/ compare from the merge base of BASE and HEAD")
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown", help="输出格式 / output format")
    parser.add_argument("--data-path", default="data", help="仓库中的数据目录（默认 data）/ data folder inside the repository")
    parser.add_argument("--repo", default=".", help="git 仓库目录（默认当前目录）/ repository folder (default: current)")
    parser.add_argument("--limit", type=int, default=50,
                        help="每个表格最多列出的记录数（默认 50）/ rows per table before '… and N more'")
    parser.add_argument("--touched", action="store_true",
                        help="只输出涉及的数据集名称（每行一个，含引用它们的数据集）/ print only the touched dataset names")
    parser.add_argument("--append", metavar="FILE",
                        help="把结果追加到文件（如 $GITHUB_STEP_SUMMARY）而不是打印 / append the output to FILE")


def main(args) -> int:
    try:
        root = repo_root(Path(args.repo))
        head = None if args.working_tree else args.head
        base = merge_base(root, args.base, head or "HEAD") if args.merge_base else args.base
        if args.touched:
            names = touched_datasets(root, base, head, args.data_path)
            text = "".join(f"{name}\n" for name in names)
            summary = f"✓ 涉及 {len(names)} 个数据集 / {len(names)} datasets touched"
        else:
            deltas, notes = diff_refs(root, base, head, args.data_path)
            labels = (args.base, args.head if head else WORKTREE)
            text = render_json(deltas, labels) if args.format == "json" else render_markdown(deltas, labels, args.limit, notes)
            added, removed, changed = (sum(len(getattr(d, kind)) for d in deltas) for kind in ("added", "removed", "changed"))
            summary = (f"✓ 变更摘要：{len(deltas)} 个数据集，新增 {added}、删除 {removed}、修改 {changed} 条"
                       f" | {len(deltas)} datasets changed: {added} added, {removed} removed, {changed} changed")
    except GitError as exc:
        print(f"✗ git 出错 / git failed: {exc}\n  提示：BASE 必须是存在的 git 引用（如 main、origin/main；CI 中需要 fetch-depth: 0）"
              f" / hint: BASE must be an existing git ref (e.g. main or origin/main; in CI check out with fetch-depth: 0)",
              file=sys.stderr)
        return 2
    if args.append:
        with open(args.append, "a", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    print(summary, file=sys.stderr)
    return 0


# --- git ----------------------------------------------------------------------------------------

class GitError(Exception):
    pass


def git(root: Path, *args: str, binary: bool = False):
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True)
    if proc.returncode:
        raise GitError(f"git {' '.join(args)}: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout if binary else proc.stdout.decode("utf-8")


def repo_root(path: Path) -> Path:
    return Path(git(path, "rev-parse", "--show-toplevel").strip())


def merge_base(root: Path, base: str, head: str) -> str:
    return git(root, "merge-base", base, head).strip()


def exists_at(root: Path, ref: str, path: str) -> bool:
    return bool(git(root, "ls-tree", "--name-only", ref, "--", path).strip())


def materialise(root: Path, ref: str, paths: list[str], dest: Path) -> list[str]:
    """Extract `paths` as they are at `ref` into dest (git archive | tar); returns the paths that existed."""
    present = [p for p in paths if exists_at(root, ref, p)]
    if present:
        archive = git(root, "archive", "--format=tar", ref, "--", *present, binary=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
    return present


def diff_refs(root: Path, base: str, head: str | None, data_path: str = "data") -> tuple[list[DatasetDelta], list[str]]:
    """Deltas between the data at `base` and at `head` (None = the working tree). Also notes for the reader."""
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="diff-") as tmp:
        catalogs = []
        for side, ref in (("base", base), ("head", head)):
            if ref is None:
                tree_root = root
                present = [p for p in (data_path, "schemas") if (root / p).exists()]
            else:
                tree_root = Path(tmp) / side
                tree_root.mkdir()
                present = materialise(root, ref, [data_path, "schemas"], tree_root)
            schemas = tree_root / "schemas" if "schemas" in present else REPO / "schemas"
            if data_path not in present:
                catalogs.append((Catalog(tree_root / data_path, schemas), tree_root))
                continue
            catalog, problems = load_catalog(tree_root / data_path, schemas)
            errors = [p for p in problems if p.severity == "error"]
            if errors:
                label = ref or WORKTREE
                notes.append(f"⚠️ 读取 `{_code(label)}` 的数据时有 {len(errors)} 个问题，部分记录可能未列出"
                             f"（运行 `make validate` 查看）/ {len(errors)} problems while reading `{_code(label)}`; "
                             f"some records may be missing here (run `make validate`)")
            catalogs.append((catalog, tree_root))
        (old, old_root), (new, new_root) = catalogs
        deltas = [d for d in compare(old, new) if not d.empty]
        _attach_locations(deltas, old, old_root, new, new_root)
    return deltas, notes


def _attach_locations(deltas, old: Catalog, old_root: Path, new: Catalog, new_root: Path) -> None:
    """Add `_where` (repository-relative file:line) to each added/removed/changed entry."""
    def index(catalog: Catalog, tree_root: Path, name: str, wanted: set[str]) -> dict[str, str]:
        dataset = catalog.datasets.get(name)
        if dataset is None or not wanted:
            return {}
        key = (dataset.schema.get("primaryKey") or [dataset.field_names[0]])[0]
        root = tree_root.resolve()
        shown: dict[str, str] = {}  # one resolve per file, not per record
        out = {}
        for record in dataset.records:
            rid = str(record.values.get(key))
            if rid not in wanted:
                continue
            if record.path not in shown:
                try:
                    shown[record.path] = Path(record.path).resolve().relative_to(root).as_posix()
                except ValueError:
                    shown[record.path] = record.path
            out[rid] = f"{shown[record.path]}:{record.line_of(key)}"
        return out

    for delta in deltas:
        ref = new.datasets.get(delta.name) or old.datasets.get(delta.name)
        key = (ref.schema.get("primaryKey") or [ref.field_names[0]])[0]
        delta.key_field, delta.title_field = key, ref.meta.get("title_field", key)
        wanted_new = {str(r.get(key)) for r in delta.added} | {str(c["id"]) for c in delta.changed}
        new_at = index(new, new_root, delta.name, wanted_new)
        old_at = index(old, old_root, delta.name, {str(r.get(key)) for r in delta.removed})
        for record in delta.added:
            record["_where"] = new_at.get(str(record.get(key)), "")
        for record in delta.removed:
            record["_where"] = old_at.get(str(record.get(key)), "")
        for change in delta.changed:
            change["_where"] = new_at.get(str(change["id"]), "")


# --- touched datasets (the validator's fast path) -------------------------------------------------

def changed_paths(root: Path, base: str, head: str | None) -> list[str]:
    if head is None:
        paths = git(root, "diff", "--name-only", "-z", base).split("\0")
        paths += git(root, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    else:
        paths = git(root, "diff", "--name-only", "-z", base, head).split("\0")
    return sorted({p for p in paths if p})


def _metas(root: Path, ref: str | None, data_path: str) -> dict[str, dict]:
    """dataset folder (repo-relative) -> dataset.yaml contents, at ref (None = working tree)."""
    out = {}
    if ref is None:
        return meta_dicts(root / data_path, root)
    if not exists_at(root, ref, data_path):
        return out
    for name in git(root, "ls-tree", "-r", "--name-only", ref, "--", data_path).splitlines():
        if name.endswith("/dataset.yaml"):
            value = yamlsafe.load_plain(git(root, "show", f"{ref}:{name}"))[0]
            out[name.rsplit("/", 1)[0]] = value if isinstance(value, dict) else {}
    return out


def datasets_for_paths(paths, metas: dict[str, dict], schemas_dir: Path) -> list[str]:
    """Names of the datasets the paths belong to (data files or their schema), plus the datasets referencing them."""
    direct: set[str] = set()
    for path in paths:
        path = Path(path).as_posix()
        for folder, meta in metas.items():
            name = meta.get("name") if isinstance(meta, dict) else None
            if not name:
                continue
            if path.startswith(folder + "/") or path == f"schemas/{meta.get('schema')}":
                direct.add(name)
    touched = set(direct)
    for meta in metas.values():
        if not isinstance(meta, dict) or not meta.get("name") or not meta.get("schema"):
            continue
        path = safefs.confined(schemas_dir, meta["schema"]) if isinstance(meta["schema"], str) else None
        schema = table_schema(path)[0] if path is not None and path.is_file() else None
        for fk in (schema or {}).get("foreignKeys") or []:
            if fk["reference"]["resource"] in direct:
                touched.add(meta["name"])
    return sorted(touched)


def touched_datasets(root: Path, base: str, head: str | None, data_path: str = "data") -> list[str]:
    metas = {**_metas(root, base, data_path), **_metas(root, head, data_path)}
    schemas_dir = root / "schemas" if (root / "schemas").is_dir() else REPO / "schemas"
    return datasets_for_paths(changed_paths(root, base, head), metas, schemas_dir)


# --- rendering ------------------------------------------------------------------------------------

_MD_SPECIAL = set("\\`*_[]|~")  # enough inside a table cell: no emphasis, code, links or cell breaks
_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def md(value, limit: int = 160) -> str:
    """A value as safe Markdown table-cell text: no live HTML/links, visible control characters, one line."""
    if value is None:
        return "*（空 / empty）*"
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\r\n":
            out.append(" ↵ ")
        elif code in _INVISIBLE or (code < 0x20) or code == 0x7F:
            out.append(f"`U+{code:04X}`")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "&":
            out.append("&amp;")
        elif ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _code(text: str) -> str:
    return str(text).replace("`", "'")


def _has_placeholder(values) -> bool:
    return any(is_placeholder(value) for value in values)


def render_markdown(deltas: list[DatasetDelta], labels: tuple[str, str], limit: int = 50,
                    notes: list[str] = ()) -> str:
    base, head = labels
    lines = [f"## 数据变更摘要 / Data changes: `{_code(base)}` → `{_code(head)}`", ""]
    lines += [f"> {note}" for note in notes]
    if notes:
        lines.append("")
    if not deltas:
        lines += ["没有记录层面的数据变更。/ No record-level data changes.", ""]
        return "\n".join(lines)
    lines += ["| 数据集 / dataset | 新增 / added | 删除 / removed | 修改 / changed |", "| --- | ---: | ---: | ---: |"]
    for d in deltas:
        lines.append(f"| {md(d.title)} (`{d.name}`) | {len(d.added)} | {len(d.removed)} | {len(d.changed)} |")
    lines.append("")
    for d in deltas:
        lines += [f"### {md(d.title)} (`{d.name}`)", ""]
        key, title_field = _id_title_fields(d)
        for heading, records in (("新增 / Added", d.added), ("删除 / Removed", d.removed)):
            if not records:
                continue
            lines += [f"**{heading}（{len(records)}）**", "", "| 编号 / ID | 名称 / title | 位置 / file |", "| --- | --- | --- |"]
            for record in records[:limit]:
                flag = " ⚠️ 含“待填写”占位 / placeholder left" if heading.startswith("新增") and _has_placeholder(
                    v for k, v in record.items() if k != "_where") else ""
                lines.append(f"| {md(record.get(key))} | {md(record.get(title_field))}{flag} | "
                             f"{md(record.get('_where') or '')} |")
            lines += _more(len(records), limit)
            lines.append("")
        if d.changed:
            lines += [f"**修改 / Changed（{len(d.changed)}）**", "",
                      "| 编号 / ID | 字段 / field | 原值 / old | 新值 / new |", "| --- | --- | --- | --- |"]
            rows = [(c, ch) for c in d.changed for ch in c["changes"]]
            for change, field_change in rows[:limit]:
                flag = " ⚠️" if _has_placeholder([field_change["new"]]) else ""
                ident = f"{md(change['id'])} {md(change.get('title'), 40)}"
                lines.append(f"| {ident} | `{_code(field_change['field'])}` | {md(field_change['old'])} | "
                             f"{md(field_change['new'])}{flag} |")
            lines += _more(len(rows), limit, "处字段修改 / more field changes")
            lines.append("")
    return "\n".join(lines)


def _more(total: int, limit: int, what: str = "条 / more") -> list[str]:
    if total <= limit:
        return []
    return ["", f"… 另有 {total - limit:,} {what}（完整列表：`--format json`）/ … and {total - limit:,} more"]


def _id_title_fields(delta: DatasetDelta) -> tuple[str, str]:
    key = getattr(delta, "key_field", "id")
    return key, getattr(delta, "title_field", key)


def render_json(deltas: list[DatasetDelta], labels: tuple[str, str]) -> str:
    payload = {"base": labels[0], "head": labels[1], "datasets": [d.to_dict() for d in deltas]}
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"




# --- benchmark (make bench) ----------------------------------------------------------------------------

def bench_report(scale_dir: Path) -> list[tuple[str, str]]:
    """`make bench` report: time and peak memory of `diff` on the scale fixture committed to a scratch git repo,
    with 1,000 products changed (status 入选 → 公示) in the working tree."""
    import shutil

    from .bench import run_stage

    repo = scale_dir / "diff-repo"
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    shutil.copytree(scale_dir / "data", repo / "data")
    shutil.copytree(REPO / "schemas", repo / "schemas")
    env = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.org", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    for args in (["init", "-q"], ["add", "data", "schemas"], ["commit", "-q", "-m", "bench"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    products = sorted((repo / "data/products").glob("*.csv"))[-1]
    products.write_text(products.read_text(encoding="utf-8").replace(",入选,", ",公示,", 1000), encoding="utf-8")
    seconds, peak, code = run_stage(["diff", "HEAD", "--working-tree", "--repo", str(repo)])
    shutil.rmtree(repo, ignore_errors=True)
    flag = "" if code == 0 else f"  ✗ exit {code}"
    return [("diff", f"{seconds:>8.2f} {peak:>9.0f}   (1,000 changed records, git archive + 2 loads){flag}")]
