"""Versioned releases: record a published version (version, date, notes, commit) with a snapshot of its source
data and the SHA-256 of every file it produces; regenerate and verify recorded releases.

    python -m scripts release --version 2025.2 --notes "2025 年第二批" --notes-en "2025 batch 2" [--date YYYY-MM-DD]
    python -m scripts release --verify          # regenerate every recorded release, compare SHA-256s
    python -m scripts release --verify --base origin/main   # … and refuse any change to a published release

Records live in the repo, are added and never edited:

    releases/index.yaml                   every release: version, date, notes, notes_en, commit, url, files, package
    releases/<version>/manifest.json      path, bytes, sha256 of every file of the release (sorted)
    releases/<version>/source/data/       the data tree at release time (the recorded source)
    releases/<version>/source/schemas/    the table schemas at release time

Reading and checking the records is scripts/load/release_index.py. The build (scripts.packages.write_packages)
regenerates each release from its source snapshot into downloads/releases/<version>/ and fails, naming the file
and both hashes, when any SHA-256 differs. The hashes only prove that snapshot, manifest and index agree with each
other; that a published release is the one that was published (its snapshot is what its recorded commit holds,
and nothing of it changed since the base of a pull request) is scripts/validate/release_guard.py, run by --verify,
`validate` and `diff`. A release is cut from committed data: the record says when it was not.
Status changes and corrections are new versions, never edits of old ones.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
import time
import zlib
from datetime import date, datetime, timezone
from pathlib import Path

import xlsxwriter
import yaml

from ..exports.code_names import LAYOUT
from ..exports.downloads import file_manifest, site_url, write_version
from ..exports.formats import dumps
from ..gitref import GitError, git
from ..load.loader import load_catalog
from ..load.release_index import INDEX, VERSION_RE, index_problems, load_index, release_dir
from ..model.catalog import Catalog
from ..paths import DATA, RELEASES, REPO, SCHEMAS
from ..validate.release_guard import base_problems, history_problems, skipped, source_commit
from ..validate.validator import validate_catalog
from .delta import compare

HELP = "发布新版本或核对已发布版本 / record a release, or verify every recorded release"
DESCRIPTION = """发布一个新版本：校验数据，拒绝覆盖已有版本，保存源数据快照、每个文件的 SHA-256 与说明，并打印摘要。
--verify 按记录重新生成每个已发布版本并逐一核对 SHA-256，并把每个快照与记录的提交（git show）逐字节比较；
加 --base REF 时，REF 中已有的版本（文件与 index.yaml 中的记录）必须逐字节不变。不一致则退出码为 1。
Record a release (validates first, refuses to overwrite a version, stores a source snapshot, the SHA-256 of every
file and the notes, prints a summary). --verify regenerates every recorded release and checks each SHA-256, and
compares each snapshot byte for byte with its recorded commit (git show); with --base REF every release that
exists at REF (its files and its index.yaml entry) must be unchanged. Exit 1 on any difference."""

INDEX_HEADER = """\
# 发布记录 / release records — written by `python -m scripts release`; add, never edit.
# Each release: releases/<version>/manifest.json (sha256 of every file) and releases/<version>/source/ (its data).
"""



class ReleaseMismatch(Exception):
    """A recorded release no longer regenerates byte-identically (or its records are missing)."""


def release_catalog(releases_dir: Path, version: str) -> Catalog:
    source = release_dir(releases_dir, version) / "source"
    if not (source / "data").is_dir():
        raise ReleaseMismatch(f"releases/{version}: 源数据快照缺失 / source snapshot missing: {source / 'data'}")
    catalog, problems = load_catalog(source / "data", source / "schemas")
    return catalog


def regenerate(releases_dir: Path, record: dict, catalog: Catalog, out: Path) -> list[str]:
    """Write the release's files into out/ and compare with its recorded manifest; return the differences."""
    version = record["version"]
    write_version(catalog, out, version, date.fromisoformat(record["date"]), record["url"], release=True,
                  layout=int(record.get("layout") or 1))  # releases recorded before layouts existed: 1
    actual = {e["path"]: e for e in file_manifest(out)}
    manifest_path = release_dir(releases_dir, version) / "manifest.json"
    if not manifest_path.exists():
        return [f"releases/{version}/manifest.json: 记录缺失 / recorded manifest missing"]
    recorded = {e["path"]: e for e in json.loads(manifest_path.read_text(encoding="utf-8"))["files"]}
    problems = []
    for path in sorted(recorded.keys() | actual.keys()):
        want, got = recorded.get(path), actual.get(path)
        where = f"releases/{version}: {path}"
        if got is None:
            assert want is not None  # the path is recorded or regenerated
            problems.append(f"{where}: 重新生成时缺少该文件 / file not regenerated (recorded sha256 {want['sha256']})")
        elif want is None:
            problems.append(f"{where}: 记录中没有该文件 / file not in the recorded manifest (sha256 {got['sha256']})")
        elif want["sha256"] != got["sha256"] or want["bytes"] != got["bytes"]:
            problems.append(f"{where}: SHA-256 不一致 / mismatch: recorded {want['sha256']} ({want['bytes']} B), "
                            f"regenerated {got['sha256']} ({got['bytes']} B)")
    changed = {k: (v, tool_versions().get(k)) for k, v in (record.get("tools") or {}).items()
               if tool_versions().get(k) != v}
    if problems and changed:
        problems.append(f"releases/{version}: 提示 / hint: 生成工具版本已变 / tools changed since the release: "
                        + ", ".join(f"{k} {old} → {new}" for k, (old, new) in sorted(changed.items())))
    return problems


def verify(releases_dir: Path, say=print) -> list[str]:
    """Regenerate every recorded release in a temporary folder; return all differences (empty = all verified)."""
    problems = []
    for record in load_index(releases_dir):
        with tempfile.TemporaryDirectory(prefix="release-verify-") as tmp:
            try:
                found = regenerate(releases_dir, record, release_catalog(releases_dir, record["version"]), Path(tmp))
            except Exception as exc:  # a missing snapshot or unreadable record is a failed verification too
                found = [f"releases/{record['version']}: {exc}"]
        say(("✓" if not found else "✗") + f" {record['version']} ({record['date']})")
        problems += found
    return problems


def tool_versions() -> dict:
    """What the bytes of a release depend on besides its source: recorded so a future mismatch can be explained."""
    return {"python": platform.python_version(), "xlsxwriter": xlsxwriter.__version__, "zlib": zlib.ZLIB_RUNTIME_VERSION}


def _origin(data_dir: Path, schemas_dir: Path) -> dict:
    """commit, uncommitted_changes (and source_paths) of a new record (release_guard.source_commit). Data outside
    any git repository records this code's commit, marked as not the data's: it cannot be checked against history."""
    found = source_commit(data_dir, schemas_dir)
    if found is None:
        try:
            found = {"commit": git(REPO, "rev-parse", "HEAD").strip() or None, "uncommitted_changes": True}
        except GitError:
            found = {"commit": None, "uncommitted_changes": True}
    return found


def _copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, ignore=lambda _d, names: [n for n in names if skipped(n)])


def record_release(version: str, notes: str, notes_en: str = "", day: date | None = None, data_dir: Path = DATA,
                   schemas_dir: Path = SCHEMAS, releases_dir: Path = RELEASES, url: str | None = None,
                   say=print) -> dict:
    """Validate, snapshot, generate, hash and record one release. Raises ValueError when refused."""
    releases_dir = Path(releases_dir)
    if not VERSION_RE.match(version):
        raise ValueError(f"版本号应形如 2025.1 / version must look like 2025.1 (YYYY.N): {version!r}")
    releases = load_index(releases_dir)
    if any(r["version"] == version for r in releases) or (releases_dir / version).exists():
        raise ValueError(f"版本 {version} 已存在，发布后不可修改；请用新版本号 / release {version} exists and is never "
                         f"edited: use a new version")
    day = day or datetime.now(timezone.utc).date()
    if releases and day.isoformat() < releases[-1]["date"]:
        raise ValueError(f"日期 {day} 早于上一版本 {releases[-1]['version']}（{releases[-1]['date']}）/ date before "
                         f"the previous release")
    if not notes.strip():
        raise ValueError("请写发布说明 / --notes is required")
    catalog, problems = load_catalog(Path(data_dir), Path(schemas_dir))
    problems += validate_catalog(catalog)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        for p in errors[:20]:
            say(p.format())
        raise ValueError(f"数据有 {len(errors)} 个错误，不能发布 / {len(errors)} data errors: fix them before releasing")
    url = url or site_url()
    releases_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=releases_dir))
    try:
        _copy_tree(Path(data_dir), staging / "source" / "data")
        used = {"dataset.meta.schema.json"} | {d.info.schema for d in catalog.datasets.values()}
        for name in sorted(used):  # only the schemas the data uses (not editor helpers)
            target = staging / "source" / "schemas" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(schemas_dir) / name, target)
        snapshot, _ = load_catalog(staging / "source" / "data", staging / "source" / "schemas")
        say(f"… 生成版本 {version} 的文件 / writing the files of {version}")
        with tempfile.TemporaryDirectory(prefix="release-files-") as tmp:
            write_version(snapshot, Path(tmp), version, day, url, release=True, layout=LAYOUT)
            files = file_manifest(Path(tmp))
        (staging / "manifest.json").write_bytes(dumps({"version": version, "date": day.isoformat(), "files": files}))
        package = next(f for f in files if f["path"].endswith(".zip"))
        previous = releases[-1]["version"] if releases else None
        deltas = compare(release_catalog(releases_dir, previous) if previous else None, snapshot)
        counts = {k: sum(len(getattr(d, k)) for d in deltas) for k in ("added", "removed", "changed")}
        record = {"version": version, "date": day.isoformat(), "notes": notes.strip(), "notes_en": notes_en.strip(),
                  **_origin(Path(data_dir), Path(schemas_dir)),
                  "previous": previous, "url": url, "source": f"releases/{version}/source",
                  "tools": tool_versions(), "layout": LAYOUT, "files": len(files), "package": {"path": package["path"], "sha256": package["sha256"],
                                                   "bytes": package["bytes"]},
                  "changes": counts}
        os.replace(staging, releases_dir / version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    text = INDEX_HEADER + yaml.safe_dump({"releases": releases + [record]}, allow_unicode=True, sort_keys=False,
                                         width=120)
    tmp_index = releases_dir / f".{INDEX}.tmp"
    tmp_index.write_text(text, encoding="utf-8")
    os.replace(tmp_index, releases_dir / INDEX)
    gitattributes = releases_dir / ".gitattributes"
    if not gitattributes.exists():
        gitattributes.write_text("# snapshots and manifests are kept byte for byte\n* -text\n", encoding="utf-8")
    return record


def add_arguments(parser) -> None:
    parser.add_argument("--version", help="新版本号，如 2025.1 / new version, e.g. 2025.1 (YYYY.N)")
    parser.add_argument("--notes", default="", help="发布说明（中文）/ release notes (Chinese)")
    parser.add_argument("--notes-en", default="", help="发布说明（英文）/ release notes (English)")
    parser.add_argument("--date", help="发布日期 YYYY-MM-DD（默认今天 UTC）/ release date (default today, UTC)")
    parser.add_argument("--data", default=str(DATA), help="数据目录 / data directory (default data/)")
    parser.add_argument("--schemas", default=str(SCHEMAS), help="表结构目录 / schemas directory")
    parser.add_argument("--releases", default=str(RELEASES), help="发布记录目录 / release records (default releases/)")
    parser.add_argument("--url", default=None, help="站点地址 / public site address (default mkdocs.yml site_url)")
    parser.add_argument("--verify", action="store_true",
                        help="核对全部已发布版本：重新生成并核对 SHA-256，快照与记录的提交逐字节比较 / regenerate every "
                             "recorded release and check its SHA-256s; compare each snapshot with its recorded commit")
    parser.add_argument("--base", metavar="REF",
                        help="与 --verify 一起：已发布版本须与 REF（与 HEAD 的共同祖先）中的逐字节相同 / with --verify: "
                             "published releases must be byte-identical to those at REF (its merge base with HEAD)")


def main(args) -> int:
    started = time.perf_counter()
    releases_dir = Path(args.releases)
    broken = index_problems(releases_dir)
    if broken:
        for p in broken:
            print(p.format(), file=sys.stderr)
        print(f"✗ 发布记录有 {len(broken)} 个错误 / {len(broken)} errors in the release records")
        return 1
    if args.verify:
        mismatches = verify(releases_dir)
        guard = history_problems(releases_dir) + (base_problems(releases_dir, args.base) if args.base else [])
        for line in mismatches:
            print(line, file=sys.stderr)
        for p in guard:
            print(p.format(), file=sys.stderr)
        failed = len(mismatches) + sum(p.severity == "error" for p in guard)
        count = len(load_index(releases_dir))
        if failed:
            print(f"✗ {failed} 处不一致 / mismatches in {count} releases")
            return 1
        print(f"✓ {count} 个版本全部一致 / all {count} releases regenerate byte-identically "
              f"({time.perf_counter() - started:.1f}s)")
        return 0
    if not args.version:
        print("✗ 需要 --version 或 --verify / --version or --verify is required", file=sys.stderr)
        return 2
    try:
        day = date.fromisoformat(args.date) if args.date else None
        record = record_release(args.version, args.notes, args.notes_en, day, Path(args.data), Path(args.schemas),
                                releases_dir, args.url, say=lambda m: print(m, file=sys.stderr, flush=True))
    except ValueError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        return 1
    if record["uncommitted_changes"]:
        print("⚠️ 数据或表结构有未提交的修改（或不在 git 仓库中）：这个版本的快照无法按 git 历史核对；请先提交再发布 / "
              "data or schemas differ from the commit (or are not in a git repository): this release cannot be checked "
              "against git history; commit first, then release", file=sys.stderr)
    c = record["changes"]
    print(f"✓ 已发布 / released {record['version']} ({record['date']}): {record['files']} files, "
          f"package {record['package']['path']} sha256 {record['package']['sha256'][:12]}…, "
          f"{c['added']} added, {c['removed']} removed, {c['changed']} changed since "
          f"{record['previous'] or '(first release)'} in {time.perf_counter() - started:.1f}s — "
          f"commit releases/ to publish")
    return 0
