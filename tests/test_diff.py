"""`diff`: record-level review summary between git refs, on real git history in a temporary repository."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, make_tree, run_cli
from markdown_it import MarkdownIt

from scripts.load.loader import load_catalog

GIT_ENV = {"PATH": "/usr/bin:/bin", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": "/nonexistent"}


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    """A git repo (data + schemas) with two commits: base, then a product added, one changed, a scene removed."""
    root = tmp_path / "repo"
    make_tree(root)
    shutil.copytree(REPO / "schemas", root / "schemas")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    run_cli("new", "product", "--year", "2026", "--data", "data", cwd=root)
    products = root / "data/products/2026.csv"
    text = products.read_text(encoding="utf-8")
    products.write_text(text.replace(",入选,", ",公示,", 1).replace("示例", "示例|<b>改</b>\u200b", 1), encoding="utf-8")
    git(root, "rm", "-q", "data/scenes/2026/S-2026-001.yaml")
    git(root, "add", "data")
    git(root, "commit", "-q", "-m", "change")
    return root


def cells(row: str) -> list[str]:
    """Split a Markdown table row on unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def test_markdown_summary_lists_added_removed_and_changed_fields(repo):
    result = run_cli("diff", "HEAD~1", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "✓ 变更摘要：2 个数据集，新增 1、删除 1、修改 1 条 | 2 datasets changed: 1 added, 1 removed, 1 changed\n"
    lines = result.stdout.splitlines()
    assert lines[0] == "## 数据变更摘要 / Data changes: `HEAD~1` → `HEAD`"
    assert "| `新产品新技术(新服务)推广应用目录` (`products`) | 1 | 0 | 1 |" in lines
    assert "| `重大应用场景清单` (`scenes`) | 0 | 1 | 0 |" in lines
    assert "**新增 / Added（1）**" in lines and "**删除 / Removed（1）**" in lines
    added = next(line for line in lines if line.startswith("| `P-2026-00003` |"))
    assert cells(added) == ["`P-2026-00003`", "`待填写：产品/技术名称` ⚠️ 含“待填写”占位 / placeholder left",
                            "`data/products/2026.csv:4`"]
    removed = next(line for line in lines if line.startswith("| `S-2026-001` |"))
    assert cells(removed)[2] == "`data/scenes/2026/S-2026-001.yaml:2`"
    status = next(line for line in lines if "| `status` |" in line)
    assert cells(status)[1:] == ["`status`", "`入选`", "`公示`"]


def test_values_are_escaped_for_markdown_and_invisible_characters_shown(repo):
    lines = run_cli("diff", "HEAD~1", cwd=repo).stdout.splitlines()
    name = next(line for line in lines if "| `name` |" in line)
    row = cells(name)
    assert len(row) == 4  # the | in the value did not break the table
    assert row[3].startswith("`示例\\|<b>改</b>\\u200b")  # one code span: inert, the | read as part of the cell
    html = MarkdownIt("commonmark").enable("table").render("\n".join(lines))
    assert "<b>" not in html and "<code>示例|&lt;b&gt;改&lt;/b&gt;\\u200b" in html


def test_touched_datasets_include_those_referencing_them(repo):
    catalog, _ = load_catalog(repo / "data", repo / "schemas")

    def with_referrers(*names: str) -> str:  # the datasets changed and every dataset whose schema points to one
        found = set(names) | {d.name for d in catalog.datasets.values() if set(names) & set(d.info.foreign.values())}
        return "".join(f"{n}\n" for n in sorted(found))

    result = run_cli("diff", "HEAD~1", "--touched", cwd=repo)
    # a product added and one changed, a scene removed (see the repo fixture)
    assert result.stdout == with_referrers("products", "scenes")
    districts = catalog.role("districts")
    registry = Path(districts.files[0])
    registry.write_text(registry.read_text(encoding="utf-8") + "330499,示例区,Example,example,市辖区,false,330400,,\n",
                        encoding="utf-8")
    result = run_cli("diff", "HEAD", "--touched", "--working-tree", cwd=repo)
    assert result.stdout == with_referrers(districts.name)


def test_no_change_message_and_json_format(repo):
    result = run_cli("diff", "HEAD", "HEAD", cwd=repo)
    assert "没有记录层面的数据变更。/ No record-level data changes." in result.stdout
    payload = json.loads(run_cli("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo).stdout)
    assert payload["base"] == "HEAD~1" and payload["head"] == "HEAD"
    by_name = {d["dataset"]: d for d in payload["datasets"]}
    assert set(by_name) == {"products", "scenes"}
    assert by_name["products"]["added"][0]["id"] == "P-2026-00003"
    assert by_name["products"]["added"][0]["_where"] == "data/products/2026.csv:4"
    changes = {c["field"]: (c["old"], c["new"]) for c in by_name["products"]["changed"][0]["changes"]}
    assert changes["status"] == ("入选", "公示")
    assert by_name["scenes"]["removed"][0]["id"] == "S-2026-001"


def test_long_lists_are_capped(repo):
    run_cli("new", "product", "--year", "2026", "--count", "5", "--data", "data", cwd=repo)
    result = run_cli("diff", "HEAD", "--working-tree", "--limit", "2", cwd=repo)
    lines = result.stdout.splitlines()
    assert "## 数据变更摘要 / Data changes: `HEAD` → `工作区 / working tree`" == lines[0]
    assert sum(1 for line in lines if line.startswith("| `P-2026-")) == 2
    assert "… 另有 3 条 / more（完整列表：`--format json`）/ … and 3 more" in lines


def test_merge_base_and_append_to_job_summary(repo, tmp_path):
    git(repo, "checkout", "-q", "-b", "feature", "HEAD~1")
    run_cli("new", "scene", "--year", "2026", "--data", "data", cwd=repo)
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "new scene")
    summary = tmp_path / "summary.md"
    summary.write_text("# CI\n", encoding="utf-8")
    result = run_cli("diff", "main", "--merge-base", "--append", str(summary), cwd=repo)
    assert result.returncode == 0 and result.stdout == ""
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# CI\n## 数据变更摘要")
    # only the branch's own change, not main's later commit (which removed S-2026-001)
    assert "| `重大应用场景清单` (`scenes`) | 1 | 0 | 0 |" in text
    assert "products" not in text


def test_bad_ref_is_reported_not_a_traceback(repo):
    result = run_cli("diff", "no-such-ref", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.startswith("✗ git 出错 / git failed:")
    assert "Traceback" not in result.stderr


def test_help_mentions_every_option():
    result = run_cli("diff", "--help")
    for option in ("--working-tree", "--merge-base", "--format", "--data-path", "--touched", "--append", "--limit"):
        assert option in result.stdout


def test_missing_base_ref_gives_a_hint(repo):
    result = run_cli("diff", "origin/main", "--merge-base", cwd=repo)
    assert result.returncode == 2
    assert "提示：BASE 必须是存在的 git 引用" in result.stderr and "fetch-depth: 0" in result.stderr
