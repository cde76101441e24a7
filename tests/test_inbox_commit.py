"""The web path, step by step, on real git repositories: a bare `origin`, a clerk's clone that uploads an attachment
and its sidecar on a branch (what the web UI does), and the runner's clone that runs the pull-request workflow's
make targets in the workflow's order (import-inbox → inbox-commit → inbox-push; then diff, inbox-check).

The push goes to the bare origin and the workflow_dispatch to a local HTTP server that records the request, so the
token's path (environment → git header / API header) is exercised without a network.
"""

from __future__ import annotations

import csv
import hashlib
import http.server
import io
import json
import shutil
import subprocess
import sys
import threading

import import_layouts as L
import pytest
from conftest import REPO

URL = "https://example.org/notice/2022-equipment"
GIT_ENV = {"PATH": "/usr/bin:/bin", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}
CLERK = {"GIT_AUTHOR_NAME": "Clerk", "GIT_AUTHOR_EMAIL": "clerk@example.org", "GIT_COMMITTER_NAME": "Clerk",
         "GIT_COMMITTER_EMAIL": "clerk@example.org"}
EQUIPMENT_SIDECAR = ("dataset: recognitions\nyear: 2022\nstage: 认定\nlist_kind: 首台（套）装备\n"
                     f"doc_no: 浙经信装备〔2022〕1号\nsource_url: {URL}\n")
MATERIALS_SIDECAR = ("dataset: recognitions\nyear: 2021\nstage: 拟认定\nlist_kind: 首批次新材料\n"
                     "source_url: https://example.org/notice/2021-materials\n")


def git(cwd, *args, env=None) -> str:
    done = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=cwd, env={**GIT_ENV, **(env or {})}, capture_output=True, text=True)
    assert done.returncode == 0, f"git {args}: {done.stderr}"
    return done.stdout


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


class Dispatches(http.server.BaseHTTPRequestHandler):
    """The REST endpoint of workflow_dispatch, recording each request."""
    seen: list[dict] = []

    def do_POST(self):  # noqa: N802 (the http.server name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Dispatches.seen.append({"path": self.path, "auth": self.headers["Authorization"], "body": json.loads(body)})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def api():
    Dispatches.seen = []
    server = http.server.HTTPServer(("127.0.0.1", 0), Dispatches)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def repos(tmp_path):
    """(origin, clerk clone, runner clone, make): main holds the shipped data, schemas and inbox/README.md."""
    origin, seed, clerk, runner = (tmp_path / n for n in ("origin.git", "seed", "clerk", "runner"))
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    shutil.copytree(REPO / "data", seed / "data")
    shutil.copytree(REPO / "schemas", seed / "schemas")
    shutil.copytree(REPO / "inbox", seed / "inbox")
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "data", "schemas", "inbox")
    git(seed, "commit", "-q", "-m", "main", env=CLERK)
    git(seed, "push", "-q", str(origin), "main")
    for clone in (clerk, runner):
        git(tmp_path, "clone", "-q", str(origin), str(clone))
    # the runner has the project's tools beside the checkout (not part of the branch)
    shutil.copyfile(REPO / "Makefile", runner / "Makefile")
    shutil.copyfile(REPO / "requirements.txt", runner / "requirements.txt")
    (runner / "scripts").symlink_to(REPO / "scripts")
    (runner / ".git/info/exclude").write_text("scripts\nMakefile\nrequirements.txt\nbuild/\n")
    stamp = tmp_path / "installed"
    stamp.touch()

    def make(*args, env=None):
        return subprocess.run(["make", "-s", *args, f"PY={sys.executable}", f"STAMP={stamp}"], cwd=runner,
                              capture_output=True, text=True, env={**GIT_ENV, **(env or {})})
    return origin, clerk, runner, make


def upload(clerk, branch: str, files: dict[str, str | None], new_branch=True) -> str:
    """What 'Add file → Upload files' + 'Commit changes' does: one commit on the branch, pushed. Returns its sha."""
    if new_branch:
        git(clerk, "checkout", "-q", "-b", branch, "origin/main")
    else:
        git(clerk, "pull", "-q", "--ff-only", "origin", branch)
    for name, sidecar in files.items():
        maker = L.materials_xlsx if "附件1" in name else L.equipment_xlsx
        maker(clerk / "inbox" / name)
        (clerk / "inbox" / f"{name}.yaml").write_text(sidecar, encoding="utf-8")
    git(clerk, "add", "inbox")
    git(clerk, "commit", "-q", "-m", "Add files via upload", env=CLERK)
    git(clerk, "push", "-q", "origin", branch)
    return git(clerk, "rev-parse", "HEAD").strip()


def inbox_job(runner, make, head: str, api: str, branch="clerk/2022-list"):
    """The `inbox` job: checkout of the head sha, import, commit (no token), push + dispatch (token via env)."""
    git(runner, "fetch", "-q", "origin")
    git(runner, "checkout", "-q", "--detach", head)
    summary, output = runner / "build/summary.md", runner / "build/output.txt"
    summary.parent.mkdir(exist_ok=True)
    imported = make("import-inbox", f"SUMMARY={summary}")
    if imported.returncode:
        return imported, None, summary, output
    committed = make("inbox-commit", f"SUMMARY={summary}", f"OUTPUT={output}")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    pushed = make("inbox-push", env={"GITHUB_HEAD_REF": branch, "GITHUB_TOKEN": "ghs_test-token",
                                     "GITHUB_API_URL": api, "GITHUB_REPOSITORY": "jx/open-data"})
    return imported, pushed, summary, output


def outputs(path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines())


def test_branch_of_this_repository_gets_the_rows_and_record_and_loses_the_attachment(repos, api):
    origin, clerk, runner, make = repos
    head = upload(clerk, "clerk/2022-list", {"2022首台套名单.xlsx": EQUIPMENT_SIDECAR})
    attachment = (clerk / "inbox/2022首台套名单.xlsx").read_bytes()
    imported, pushed, summary, output = inbox_job(runner, make, head, api)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    tip = git(origin, "rev-parse", "clerk/2022-list").strip()
    assert outputs(output) == {"committed": "true", "head": tip}
    assert git(origin, "rev-parse", f"{tip}^").strip() == head  # one commit on top of the clerk's
    assert git(origin, "log", "-1", "--format=%an", tip).strip() == "github-actions[bot]"
    changes = git(origin, "diff", "--name-status", "--no-renames", head, tip).splitlines()
    record = "imports/" + next(c.split("\t")[1][len("imports/"):] for c in changes if c.startswith("A\timports/"))
    assert sorted(c.split("\t")[0] + " " + c.split("\t")[1] for c in changes if not c.startswith("A\timports/")) == [
        "A data/recognitions/2022.csv", "D inbox/2022首台套名单.xlsx", "D inbox/2022首台套名单.xlsx.yaml",
        "M data/registry/companies/companies.csv", "M data/registry/stage-changes/stage-changes.csv"]
    assert git(origin, "ls-tree", "--name-only", tip, "inbox/").split() == ["inbox/README.md"]
    published = rows(git(origin, "show", f"{tip}:data/recognitions/2022.csv"))
    assert len(published) == L.equipment_count() and {r["source_url"] for r in published} == {URL}
    text = git(origin, "show", f"{tip}:{record}")
    assert f"SHA-256 `{hashlib.sha256(attachment).hexdigest()}`" in text and f"- 来源 / source: {URL}" in text
    assert "# 导入报告 / Import report: `inbox/2022首台套名单.xlsx`" in text
    assert "✓ 导入结果通过校验，0 个错误 / the result validates: 0 errors" in text
    assert "## ✓ 数据行已提交到本分支 / The rows are committed to this branch" in summary.read_text(encoding="utf-8")
    # the token reached neither the repository's config nor a command line; the checks were started on the branch
    assert "ghs_test-token" not in (runner / ".git/config").read_text(encoding="utf-8")
    assert Dispatches.seen == [{"path": "/repos/jx/open-data/actions/workflows/pull-request.yml/dispatches",
                                "auth": "Bearer ghs_test-token", "body": {"ref": "clerk/2022-list"}}]
    # the `check` job on the pushed commit: the diff of committed trees lists the rows, nothing is left in inbox/
    git(runner, "checkout", "-q", "--detach", tip)
    check_summary = runner / "build/check.md"
    diff = make("diff", "BASE=origin/main", f"SUMMARY={check_summary}")
    assert diff.returncode == 0, diff.stderr
    assert f"(`recognitions`) | {L.equipment_count()} | 0 | 0 |" in \
        check_summary.read_text(encoding="utf-8")
    assert make("inbox-check").returncode == 0


def test_a_second_upload_on_the_branch_is_imported_on_top_of_the_bot_commit(repos, api):
    origin, clerk, runner, make = repos
    first = upload(clerk, "clerk/2022-list", {"2022首台套名单.xlsx": EQUIPMENT_SIDECAR})
    assert inbox_job(runner, make, first, api)[1].returncode == 0
    second = upload(clerk, "clerk/2022-list", {"附件1.xlsx": MATERIALS_SIDECAR}, new_branch=False)
    assert git(clerk, "rev-parse", "HEAD^").strip() == git(origin, "rev-parse", f"{second}^").strip()
    assert git(clerk, "log", "-1", "--format=%an", "HEAD^").strip() == "github-actions[bot]"  # on top of the bot
    imported, pushed, _summary, _output = inbox_job(runner, make, second, api)
    assert imported.returncode == 0 and pushed.returncode == 0, imported.stderr + pushed.stderr
    tip = git(origin, "rev-parse", "clerk/2022-list").strip()
    assert git(origin, "rev-parse", f"{tip}^").strip() == second
    assert len(rows(git(origin, "show", f"{tip}:data/recognitions/2021.csv"))) == 22
    assert len(rows(git(origin, "show", f"{tip}:data/recognitions/2022.csv"))) == L.equipment_count()
    assert git(origin, "ls-tree", "--name-only", tip, "inbox/").split() == ["inbox/README.md"]
    assert len(git(origin, "ls-tree", "--name-only", tip, "imports/").split()) == 2
    assert len(Dispatches.seen) == 2


def test_a_failed_import_commits_nothing_and_says_what_to_fix(repos, api):
    origin, clerk, runner, make = repos
    head = upload(clerk, "clerk/wrong", {"2022首台套名单.xlsx": EQUIPMENT_SIDECAR.replace("recognitions", "recognition")
                                         .replace("year: 2022", "yaer: 2022")})
    imported, pushed, summary, _output = inbox_job(runner, make, head, api, branch="clerk/wrong")
    assert imported.returncode != 0 and pushed is None  # the workflow stops at the failed step
    assert "未知的键 / unknown key yaer" in summary.read_text(encoding="utf-8")
    # run anyway, inbox-commit refuses: the attachment was not imported successfully
    refused = make("inbox-commit")
    assert refused.returncode != 0  # make exits 2 when its command fails
    assert ("inbox/2022首台套名单.xlsx:1: -: 这个附件没有成功导入（build/import 中没有它成功的导入记号）（运行 make "
            "import-inbox，按审核报告修正附件或说明文件，成功后才会提交）") in refused.stderr
    assert git(runner, "rev-parse", "HEAD").strip() == head == git(origin, "rev-parse", "clerk/wrong").strip()
    assert (runner / "inbox/2022首台套名单.xlsx").is_file() and not Dispatches.seen


def test_fork_pull_request_fails_with_the_steps_and_pushes_nothing(repos, monkeypatch):
    origin, clerk, runner, make = repos
    head = upload(clerk, "fork-branch", {"2022首台套名单.xlsx": EQUIPMENT_SIDECAR})
    git(runner, "fetch", "-q", "origin")
    git(runner, "checkout", "-q", "--detach", head)
    summary = runner / "build/summary.md"
    summary.parent.mkdir(exist_ok=True)
    # the `check` job as a fork runs it (no `inbox` job): the committed tree first, then the attachment
    assert make("diff", "BASE=origin/main", f"SUMMARY={summary}").returncode == 0
    assert "recognitions" not in summary.read_text(encoding="utf-8")  # no rows the pull request does not hold
    assert make("import-inbox", f"SUMMARY={summary}").returncode == 0
    left = make("inbox-check", f"SUMMARY={summary}", env={"GITHUB_REF": "refs/pull/7/merge"})
    assert left.returncode != 0
    assert ("inbox/2022首台套名单.xlsx:1: -: 附件仍在 inbox/ 中，它的数据行不在这个版本里（从本仓库的分支提交拉取请求时，"
            "检查会自动导入并把数据行提交到分支；否则按运行摘要中的步骤把转换后的文件上传到 data/，再删除这个文件） | an "
            "attachment is still in inbox/: its rows are not in this version (from a branch of this repository the checks "
            "import and commit the rows themselves; otherwise upload the converted files into data/ as the run summary "
            "says, then delete this file)") in left.stdout
    text = summary.read_text(encoding="utf-8")
    assert "download and unzip the artifact `import-pr-7`" in text
    assert "   - `recognitions/2022.csv` → `data/recognitions/`\n" in text
    assert "   - `registry/companies/companies.csv` → `data/registry/companies/`\n" in text
    assert "3. 删除 `inbox/2022首台套名单.xlsx`、`inbox/2022首台套名单.xlsx.yaml`" in text
    assert git(origin, "rev-parse", "fork-branch").strip() == head  # nothing pushed


def test_an_attachment_left_on_main_fails_the_check(repos):
    origin, clerk, runner, make = repos
    assert make("inbox-check").returncode == 0  # README.md alone is fine
    (runner / "inbox/.gitkeep").write_text("", encoding="utf-8")
    L.materials_xlsx(runner / "inbox/附件1.xlsx")
    (runner / "inbox/附件1.xlsx.yaml").write_text(MATERIALS_SIDECAR, encoding="utf-8")
    git(runner, "add", "inbox")
    git(runner, "commit", "-q", "-m", "merged without its rows", env=CLERK)
    left = make("inbox-check")
    assert left.returncode != 0
    lines = [line.split(":", 1)[0] for line in left.stdout.splitlines()]
    assert lines == ["inbox/附件1.xlsx", "inbox/附件1.xlsx.yaml"]
    assert "✗ inbox/ 中还有 2 个文件 / 2 files left in inbox/" in left.stderr


def test_scene_list_takes_the_sidecar_defaults_and_the_record_says_what_is_left(repos, api):
    origin, clerk, runner, make = repos
    git(clerk, "checkout", "-q", "-b", "clerk/scenes", "origin/main")
    (clerk / "inbox/2026场景清单.csv").write_text(
        "2026年度嘉兴市重大应用场景清单（示例）\n序号,场景名称,应用领域,场景业主,地区,场景描述\n"
        "1,示例港口无人集卡调度场景,智慧医疗,示例港务有限公司,嘉兴港区,在港区开放集卡调度场景。\n"
        "2,示例社区康复机器人场景,智慧医疗,示例颐养中心,南湖区,在社区康复中心部署陪护机器人。\n", encoding="utf-8")
    (clerk / "inbox/2026场景清单.csv.yaml").write_text(
        "dataset: scenes\nyear: 2026\nsource_url: https://example.org/notice/scenes-2026\ndefaults:\n"
        "  type: 试点先行样板场景\n  lead_department: 市发展改革委\n  criteria: [有开放意愿, 有落地可能]\n  status: 发布\n",
        encoding="utf-8")
    git(clerk, "add", "inbox")
    git(clerk, "commit", "-q", "-m", "Add files via upload", env=CLERK)
    git(clerk, "push", "-q", "origin", "clerk/scenes")
    imported, pushed, _summary, _output = inbox_job(runner, make, git(clerk, "rev-parse", "HEAD").strip(), api,
                                                    branch="clerk/scenes")
    assert imported.returncode == 0 and pushed.returncode == 0, imported.stdout + imported.stderr
    tip = git(origin, "rev-parse", "clerk/scenes").strip()
    new = [n for n in git(origin, "diff", "--name-only", f"{tip}^", tip).split() if n.startswith("data/scenes/")]
    assert len(new) == 2
    scene = git(origin, "show", f"{tip}:{new[0]}")
    assert "type: 试点先行样板场景" in scene and "lead_department: 市发展改革委" in scene and "- 有落地可能" in scene
    record = git(origin, "show", f"{tip}:" + next(n for n in git(origin, "ls-tree", "-r", "--name-only", tip,
                                                                  "imports/").split()))
    assert f"`{new[0]}` departments: 1，doc_no: 1，investment_yuan: 1，needs: 1，products: 1，published_on: 1" in record
    # a default naming a field the dataset does not have is refused, nothing written
    bad = runner / "inbox"
    git(runner, "checkout", "-q", "--detach", "origin/main")
    (bad / "x.csv").write_text(git(origin, "show", f"{tip}^:inbox/2026场景清单.csv"), encoding="utf-8")
    (bad / "x.csv.yaml").write_text("dataset: scenes\nyear: 2026\ndefaults:\n  lead_dept: 市发展改革委\n", encoding="utf-8")
    refused = make("import-inbox")
    assert refused.returncode != 0  # make exits 2 when its command fails
    assert ("inbox/x.csv.yaml:1: defaults: 说明文件有误：defaults: 数据集 scenes 没有字段 / the dataset scenes has no field "
            "'lead_dept'（可用 / known: id, year, title, type") in refused.stderr
    assert not (runner / "data/scenes/2026/S-2026-005.yaml").exists()


def test_a_list_option_the_dataset_lacks_is_refused_without_a_traceback(tmp_path):
    from conftest import run_cli

    shutil.copytree(REPO / "data", tmp_path / "data")
    source = tmp_path / "scenes.csv"
    source.write_text("序号,场景名称\n1,示例港口无人集卡调度场景\n", encoding="utf-8")
    result = run_cli("import", source, "--dataset", "scenes", "--year", "2026", "--batch", "2",
                     "--data", tmp_path / "data", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "scenes.csv:1: --batch: 数据集 scenes 没有字段 batch，不能使用 --batch" in result.stderr
