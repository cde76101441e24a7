"""Published releases are immutable in fact (issue 18, item 2): on a real temporary git repository with a release
recorded by the real `release` command, a snapshot edited and re-hashed together with its manifest and the
package hash in releases/index.yaml — which the SHA-256 checks alone accept — is refused by `validate`,
`release --verify` and the pull-request check (`make diff`, `make validate-changed`), and `diff` says so loudly.
Also: malformed fields of releases/index.yaml (`notes:` as a list) are reported, never a TypeError."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, make_tree, run_cli

from scripts import paths
from scripts.exports.downloads import file_manifest, write_version
from scripts.exports.formats import dumps
from scripts.gitref import is_shallow
from scripts.release import record as release
from scripts.validate import release_guard

GIT_ENV = {"PATH": "/usr/bin:/bin", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": "/nonexistent"}
LOCAL = ["--data", "data", "--schemas", "schemas", "--releases", "releases"]
MESSAGE = re.compile(r"^\S+:\d+: \S+: .*[\u4e00-\u9fff].* \| [A-Za-z].*$")  # file:line: field: 中文 | English


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, env=GIT_ENV, check=True, capture_output=True, text=True).stdout


def cut(root: Path, version: str, day: str) -> subprocess.CompletedProcess:
    return run_cli("release", "--version", version, "--date", day, "--notes", f"版本 {version}", "--notes-en",
                   f"Release {version}", *LOCAL, "--url", "https://example.org/", cwd=root)


def make(root: Path, stamp: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", *args, f"PY={sys.executable}", f"STAMP={stamp}"], cwd=root,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})


@pytest.fixture
def published(tmp_path):
    """A repository whose main holds the data, then release 2025.1 cut from that commit by the real command;
    HEAD is a fresh branch `pr` off main (the pull request). Returns (root, make)."""
    root = tmp_path / "repo"
    make_tree(root)
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copyfile(REPO / "Makefile", root / "Makefile")
    shutil.copyfile(REPO / "requirements.txt", root / "requirements.txt")
    (root / "scripts").symlink_to(REPO / "scripts")
    stamp = tmp_path / "installed"
    stamp.touch()
    git(root, "init", "-q", "-b", "main")
    (root / ".git/info/exclude").write_text("scripts\nMakefile\nrequirements.txt\n")
    git(root, "add", "data", "schemas")
    git(root, "commit", "-q", "-m", "data")
    result = cut(root, "2025.1", "2025-06-30")
    assert result.returncode == 0, result.stderr
    record = release.load_index(root / "releases")[0]
    assert record["commit"] == git(root, "rev-parse", "HEAD").strip() and record["uncommitted_changes"] is False
    git(root, "add", "releases")
    git(root, "commit", "-q", "-m", "release 2025.1")
    git(root, "checkout", "-q", "-b", "pr")
    return root, lambda *args: make(root, stamp, *args)


def rehash(root: Path, version: str) -> None:
    """The attacker's step after editing the snapshot: regenerate the files, write a matching manifest.json and
    put the new package hash and size into releases/index.yaml — every SHA-256 agrees again."""
    releases = root / "releases"
    record = next(r for r in release.load_index(releases) if r["version"] == version)
    with tempfile.TemporaryDirectory() as tmp:
        write_version(release.release_catalog(releases, version), Path(tmp), version,
                      date.fromisoformat(record["date"]), record["url"], release=True, layout=record["layout"])
        files = file_manifest(Path(tmp))
    (releases / version / "manifest.json").write_bytes(dumps({"version": version, "date": record["date"],
                                                              "files": files}))
    package = next(f for f in files if f["path"].endswith(".zip"))
    index = releases / "index.yaml"
    text = index.read_text(encoding="utf-8").replace(record["package"]["sha256"], package["sha256"])
    index.write_text(text.replace(f"bytes: {record['package']['bytes']}\n", f"bytes: {package['bytes']}\n"),
                     encoding="utf-8")


def tamper(root: Path) -> Path:
    snapshot = root / "releases/2025.1/source/data/products/2025.csv"
    text = snapshot.read_text(encoding="utf-8")
    assert "示例高精度压力传感器" in text
    snapshot.write_text(text.replace("示例高精度压力传感器", "示例改过的传感器"), encoding="utf-8")
    rehash(root, "2025.1")
    assert release.verify(root / "releases", say=lambda _m: None) == []  # the SHA-256s alone are fooled
    git(root, "commit", "-q", "-am", "quietly rewrite 2025.1")
    return snapshot


def clean(result: subprocess.CompletedProcess) -> str:
    out = result.stdout + result.stderr
    assert "Traceback" not in out and "Error:" not in out.replace("GitError", "")
    return out


def test_attack_rehashed_release_snapshot_is_refused_by_validate_verify_and_the_pull_request_check(published):
    root, make_ = published
    snapshot = tamper(root)
    line = next(i for i, row in enumerate(snapshot.read_text(encoding="utf-8").splitlines(), 1) if "改过的" in row)
    history = (f"releases/2025.1/source/data/products/2025.csv:{line}: -: 版本 2025.1 的快照与记录的提交 ")
    # validate: without a base the snapshot is compared with the recorded commit (git show <commit>:data/…)
    result = run_cli("validate", "data", "--schemas", "schemas", "--releases", "releases", "-q", cwd=root)
    assert result.returncode == 1 and history in clean(result)
    assert "differs from data/products/2025.csv at its recorded commit" in result.stdout
    # validate --base: every file and the index entry of the published release is compared with main
    result = run_cli("validate", "data", "--schemas", "schemas", "--releases", "releases", "-q", "--base", "main",
                     cwd=root)
    out = clean(result)
    assert result.returncode == 1
    assert f"releases/2025.1/source/data/products/2025.csv:{line}: -: 已发布版本 2025.1 的文件被修改（与 main 中的不同）" in out
    assert "releases/2025.1/manifest.json:" in out and "a file of published release 2025.1 was changed" in out
    entry = next(row for row in out.splitlines() if row.startswith("releases/index.yaml:"))
    assert ": package: " in entry and "releases/index.yaml 中已发布版本 2025.1 的记录被修改" in entry
    errors = [row for row in out.splitlines() if row.startswith("releases/")]
    assert len(errors) >= 4 and all(MESSAGE.match(row) for row in errors), errors
    # release --verify, with and without a base
    result = run_cli("release", "--verify", "--releases", "releases", cwd=root)
    assert result.returncode == 1 and history in clean(result)
    result = run_cli("release", "--verify", "--releases", "releases", "--base", "main", cwd=root)
    assert result.returncode == 1 and "releases/2025.1/manifest.json:" in clean(result)
    # the pull-request check: make diff fails after writing a loud summary; so does make validate-changed
    summary = root.parent / "summary.md"
    result = make_("diff", "BASE=main", f"SUMMARY={summary}")
    assert result.returncode != 0 and "✗ 已发布的版本被修改" in clean(result)
    assert all(MESSAGE.match(row) for row in result.stderr.splitlines() if row.startswith("releases/"))
    text = summary.read_text(encoding="utf-8")
    assert "### ⚠️ 发布记录有改动 / Release records changed" in text and "❌" in text
    assert "| 修改 / changed | releases/2025.1/source/data/products/2025.csv |" in text
    assert "| 修改 / changed | releases/2025.1/manifest.json |" in text
    assert "| 记录被修改 / entry changed | releases/index.yaml — 2025.1: package |" in text
    assert "No record-level data changes" in text  # the data itself did not change: only the release did
    result = make_("validate-changed", "BASE=main")
    assert result.returncode != 0 and "已发布版本 2025.1 的文件被修改" in clean(result)


def test_attack_release_repointed_at_a_forged_commit_is_refused_against_the_base(published):
    """The snapshot edited, the edit also committed to data/ and `commit:` pointed at that commit: the history
    check agrees (the commit holds the snapshot), the base check does not."""
    root, make_ = published
    tamper(root)
    shutil.copyfile(root / "releases/2025.1/source/data/products/2025.csv", root / "data/products/2025.csv")
    git(root, "commit", "-q", "-am", "data matching the forged snapshot")
    forged = git(root, "rev-parse", "HEAD").strip()
    index = root / "releases/index.yaml"
    original = release.load_index(root / "releases")[0]["commit"]
    index.write_text(index.read_text(encoding="utf-8").replace(original, forged), encoding="utf-8")
    git(root, "commit", "-q", "-am", "point 2025.1 at it")
    result = run_cli("validate", "data", "--schemas", "schemas", "--releases", "releases", "-q", "--base", "main",
                     cwd=root)
    out = clean(result)
    assert result.returncode == 1
    assert re.search(r"releases/index\.yaml:\d+: commit: releases/index\.yaml 中已发布版本 2025\.1 的记录被修改", out)
    result = make_("diff", "BASE=main")
    assert result.returncode != 0 and "releases/index.yaml — 2025.1: commit" in clean(result)


def test_attack_release_commit_not_in_history_is_an_error(published):
    root, _make = published
    index = root / "releases/index.yaml"
    original = release.load_index(root / "releases")[0]["commit"]
    index.write_text(index.read_text(encoding="utf-8").replace(original, "deadbeef" * 5), encoding="utf-8")
    result = run_cli("validate", "data", "--schemas", "schemas", "--releases", "releases", "-q", cwd=root)
    assert result.returncode == 1
    assert re.search(r"releases/index\.yaml:\d+: commit: 版本 2025\.1 记录的提交 (deadbeef){5} 不在本仓库的历史中", clean(result))


def test_attack_published_release_deleted_is_refused(published):
    root, make_ = published
    git(root, "rm", "-q", "-r", "releases/2025.1")
    index = root / "releases/index.yaml"
    index.write_text(index.read_text(encoding="utf-8").split("releases:\n")[0] + "releases: []\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "forget 2025.1")
    result = run_cli("release", "--verify", "--releases", "releases", "--base", "main", cwd=root)
    out = clean(result)
    assert result.returncode == 1
    assert "releases/2025.1/manifest.json:1: -: 已发布版本 2025.1 的文件被删除（main 中有）" in out
    assert re.search(r"releases/index\.yaml:\d+: version: releases/index\.yaml 中已发布版本 2025\.1 的记录被删除", out)
    summary = make_("diff", "BASE=main")
    assert summary.returncode != 0 and "| 删除 / removed | releases/2025.1/manifest.json |" in summary.stdout


def test_untouched_release_and_a_newly_added_release_pass(published):
    root, make_ = published
    products = root / "data/products/2026.csv"
    products.write_text(products.read_text(encoding="utf-8").replace(",入选,", ",公示,", 1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "a status change")
    result = cut(root, "2025.2", "2025-09-30")
    assert result.returncode == 0, result.stderr
    git(root, "add", "releases")
    git(root, "commit", "-q", "-m", "release 2025.2")
    result = run_cli("validate", "data", "--schemas", "schemas", "--releases", "releases", "-q", "--base", "main",
                     cwd=root)
    assert result.returncode == 0, result.stdout
    assert "提示/warning" not in result.stdout  # both snapshots checked against their commits, nothing skipped
    result = run_cli("release", "--verify", "--releases", "releases", "--base", "main", cwd=root)
    assert result.returncode == 0, result.stderr
    summary = root.parent / "summary.md"
    result = make_("diff", "BASE=main", f"SUMMARY={summary}")
    assert result.returncode == 0, result.stderr
    text = summary.read_text(encoding="utf-8")
    assert "### ⚠️ 发布记录有改动 / Release records changed" in text and "❌" not in text
    assert "- 新增版本 / new release 2025.2：" in text and "- 修改 / changed：releases/index.yaml" in text
    assert make_("validate-changed", "BASE=main").returncode == 0


def test_release_history_unavailable_is_a_warning_not_a_silent_pass(published, tmp_path):
    root, _make = published
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "main", f"file://{root}", str(shallow)],
                   env=GIT_ENV, check=True, capture_output=True)
    assert is_shallow(shallow)
    result = run_cli("validate", "data", "--schemas", str(root / "schemas"), "--releases", "releases", "-q",
                     cwd=shallow)
    out = clean(result)
    assert result.returncode == 0, out
    assert re.search(r"releases/index\.yaml:\d+: commit: 提示/warning: 版本 2025\.1 无法按 git 历史核对：浅克隆中没有提交 "
                     r"[0-9a-f]{40}（完整克隆后再核对（git fetch --unshallow", out)
    copy = tmp_path / "copy"
    shutil.copytree(root / "releases", copy / "releases")
    result = run_cli("release", "--verify", "--releases", "releases", cwd=copy)
    assert result.returncode == 0 and "无法按 git 历史核对：这里不是 git 仓库" in clean(result)


def test_the_shipped_releases_match_their_recorded_commits():
    """2025.1 was cut from commit 0cfd4c1: its snapshot is what that commit holds (in a full clone)."""
    problems = release_guard.history_problems(paths.RELEASES)
    assert [p.format() for p in problems if p.severity == "error"] == []
    if not is_shallow(REPO):
        assert problems == []


# --- malformed fields of releases/index.yaml (issue 18, item 7) -----------------------------------------

@pytest.mark.parametrize("field, bad, shown", [
    ("notes", "notes:\n  - 首个版本\n  - 第二行", "notes"),
    ("notes_en", "notes_en: {en: First}", "notes_en"),
    ("files", "files: '82'", "files"),
    ("package", "package: [a.zip]", "package"),
    ("tools", "tools: python 3.11", "tools"),
    ("source", "source_paths: {data: ../.., schemas: schemas}", "source_paths.data"),  # git paths stay inside
])
def test_release_notes_as_a_list_and_other_wrong_types_are_reported_not_a_typeerror(tree, tmp_path, field, bad,
                                                                                     shown):
    releases = tmp_path / "releases"
    assert run_cli("release", "--version", "2025.1", "--date", "2025-06-30", "--notes", "首个版本", "--data", tree,
                   "--releases", releases, "--url", "https://example.org/").returncode == 0
    index = releases / "index.yaml"
    lines = index.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {field}:"))
    end = next(i for i in range(at + 1, len(lines)) if not lines[i].startswith("    "))
    lines[at:end] = ["  " + row for row in bad.splitlines()]
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", tree, "--releases", releases, "-q")
    problem = next(row for row in clean(result).splitlines() if "index.yaml:" in row)
    assert result.returncode == 1 and MESSAGE.match(problem)
    assert f"index.yaml:{at + 1}: {shown}: 发布记录的这个字段应为" in problem and "写成 " in problem
    built = run_cli("build", "--data", tree, "--releases", releases, "--out", tmp_path / "out", "-q")
    assert built.returncode == 1 and "TypeError" not in clean(built)
    assert f"index.yaml:{at + 1}: {shown}:" in built.stdout and not (tmp_path / "out" / "site").exists()
