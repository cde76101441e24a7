"""Review tool: what a change does to the data, record by record (added, removed, changed fields old → new).

`python -m scripts diff BASE [HEAD]` materialises the data tree and schemas at both git refs (`git archive`) into
temporary folders, loads both with the ordinary loader and renders the record-level delta (scripts/release/delta.py) as
Markdown for the pull-request job summary, or JSON. `--touched` only prints the names of the datasets the change
touches (plus the datasets that reference them), for the validator's fast path `validate --only`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .. import safefs, yamlsafe
from ..gitref import GitError, exists_at, git, merge_base, repo_root
from ..load.loader import load_catalog, meta_dicts, table_schema
from ..load.release_index import INDEX
from ..measure import run_stage
from ..model.catalog import Catalog
from ..model.checks import is_placeholder
from ..paths import SCHEMAS
from ..site.render import render
from ..validate.release_guard import ReleaseChanges, compare_releases
from .delta import DatasetDelta, compare

HELP = "数据变更摘要 / record-level summary of what changed between two git refs (for review)"
DESCRIPTION = """比较两个 git 版本（默认 HEAD）之间的数据，按数据集列出新增、删除和修改的记录（字段 原值 → 新值）。
Compare the data at two git refs and list added, removed and changed records per dataset (field: old → new).

示例 / examples:
  python -m scripts diff origin/main                 # 当前提交相对 main 的变更 / this branch against main
  python -m scripts diff origin/main --working-tree  # 含未提交的修改 / include uncommitted edits
  python -m scripts diff HEAD~1 HEAD --format json
  python -m scripts diff origin/main --touched       # 只列出涉及的数据集名 / names of touched datasets

releases/ 下的任何改动列在摘要开头的 ⚠️ 一节；已发布的版本（BASE 中已有的）被修改或删除时，逐项报错并以退出码 1 结束。
Any change under releases/ is listed first, in a ⚠️ section; a change to a published release (one BASE already
has: its files or its index.yaml entry) is an error, one line each, and the exit code is 1."""

WORKTREE = "工作区 / working tree"
RELEASES_PATH = "releases"  # the release records inside the repository (scripts/validate/release_guard.py)


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
            releases = compare_releases(root, base, head, RELEASES_PATH, label=args.base)
            text = (render_json(deltas, labels, releases) if args.format == "json"
                    else render_markdown(deltas, labels, args.limit, notes, releases))
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
    refused = [] if args.touched else releases.problems
    for problem in refused:
        print(problem.format(), file=sys.stderr)
    if refused:
        print(f"✗ 已发布的版本被修改：{len(refused)} 处，检查不通过 | published releases changed: {len(refused)} "
              f"refused changes, the check fails", file=sys.stderr)
        return 1
    print(summary, file=sys.stderr)
    return 0


# --- git ----------------------------------------------------------------------------------------

def materialise(root: Path, ref: str, paths: list[str], dest: Path) -> list[str]:
    """Extract `paths` as they are at `ref` into dest (git archive | tar); returns the paths that existed."""
    present = [p for p in paths if exists_at(root, ref, p)]
    if present:
        archive = git(root, "archive", "--format=tar", ref, "--", *present, binary=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
    return present


def diff_refs(root: Path, base: str, head: str | None, data_path: str = "data") -> tuple[list[DatasetDelta], list[dict]]:
    """Deltas between the data at `base` and at `head` (None = the working tree). Also notes for the reader."""
    notes: list[dict] = []
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
            schemas = tree_root / "schemas" if "schemas" in present else SCHEMAS
            if data_path not in present:
                catalogs.append((Catalog(tree_root / data_path, schemas), tree_root))
                continue
            catalog, problems = load_catalog(tree_root / data_path, schemas)
            errors = [p for p in problems if p.severity == "error"]
            if errors:
                label = ref or WORKTREE
                notes.append({"label": label, "count": len(errors)})
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
        key = dataset.info.key
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
        assert ref is not None  # a delta is of a dataset of one side at least
        key = ref.info.key
        delta.key_field, delta.title_field = key, ref.info.title_field
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
    out: dict[str, dict] = {}
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
    schemas_dir = root / "schemas" if (root / "schemas").is_dir() else SCHEMAS
    return datasets_for_paths(changed_paths(root, base, head), metas, schemas_dir)


# --- rendering ------------------------------------------------------------------------------------

def _has_placeholder(values) -> bool:
    return any(is_placeholder(value) for value in values)


def render_markdown(deltas: list[DatasetDelta], labels: tuple[str, str], limit: int = 50,
                    notes: Sequence[dict] = (), releases: ReleaseChanges | None = None) -> str:
    """The summary as Markdown, from templates/diff.md (every value through the shared `md` escaper)."""
    shown = []
    for d in deltas:
        key, title_field = _id_title_fields(d)
        groups = []
        for heading, records in (("新增 / Added", d.added), ("删除 / Removed", d.removed)):
            if records:
                groups.append({"heading": heading, "total": len(records), "more": max(0, len(records) - limit),
                               "rows": [{"id": r.get(key), "title": r.get(title_field), "where": r.get("_where"),
                                         "flag": heading.startswith("新增") and _has_placeholder(
                                             v for k, v in r.items() if k != "_where")} for r in records[:limit]]})
        rows = [(c, ch) for c in d.changed for ch in c["changes"]]
        changes = [{"id": c["id"], "title": c.get("title"), "field": ch["field"], "old": ch["old"], "new": ch["new"],
                    "flag": _has_placeholder([ch["new"]])} for c, ch in rows[:limit]]
        shown.append({"name": d.name, "title": d.title, "added": d.added, "removed": d.removed, "changed": d.changed,
                      "groups": groups, "changes": changes, "more": max(0, len(rows) - limit)})
    return render("diff.md", base=labels[0], head=labels[1], notes=list(notes), deltas=shown,
                  releases=_release_rows(releases or ReleaseChanges(), limit)).rstrip("\n") + "\n"


STATUS = {"added": "新增 / added", "changed": "修改 / changed", "removed": "删除 / removed",
          "release-entry-changed": "记录被修改 / entry changed", "release-entry-removed": "记录被删除 / entry removed"}


def _release_rows(changes: ReleaseChanges, limit: int) -> dict:
    """What the ⚠️ section of the summary lists: refused changes (files of published releases, their entries in
    index.yaml), releases added, and the other files under releases/ that changed."""
    rows = [{"status": STATUS[f["status"]], "path": f["path"], "field": ""} for f in changes.files if f["refused"]]
    rows += [{"status": STATUS[p.code], "path": f"{RELEASES_PATH}/{INDEX}",
              "field": f"{dict(p.params)['version']}: {p.field}"} for p in changes.problems if p.code in STATUS]
    other = [{"status": STATUS[f["status"]], "path": f["path"]} for f in changes.files
             if not f["refused"] and f["path"].count("/") == RELEASES_PATH.count("/") + 1]
    return {"rows": rows[:limit], "more": max(0, len(rows) - limit), "refused": bool(rows),
            "new": [{"version": v, "files": n} for v, n in changes.new_versions.items()], "other": other,
            "any": bool(changes.files or changes.problems)}


def _id_title_fields(delta: DatasetDelta) -> tuple[str, str]:
    key = getattr(delta, "key_field", "id")
    return key, getattr(delta, "title_field", key)


def render_json(deltas: list[DatasetDelta], labels: tuple[str, str], releases: ReleaseChanges | None = None) -> str:
    releases = releases or ReleaseChanges()
    payload = {"base": labels[0], "head": labels[1], "datasets": [d.to_dict() for d in deltas],
               "releases": {"files": releases.files, "new_versions": releases.new_versions,
                            "refused": [p.format() for p in releases.problems]}}
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"




# --- benchmark (make bench) ----------------------------------------------------------------------------

def bench_report(scale_dir: Path) -> list[tuple[str, str]]:
    """`make bench` report: time and peak memory of `diff` on the scale fixture committed to a scratch git repo,
    with 1,000 products changed (status 入选 → 公示) in the working tree."""
    repo = scale_dir / "diff-repo"
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    shutil.copytree(scale_dir / "data", repo / "data")
    shutil.copytree(SCHEMAS, repo / "schemas")
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
