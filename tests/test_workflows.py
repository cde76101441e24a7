"""CI and contributor plumbing: workflows call only make targets that exist; issue forms and the PR template ask for
the source document; pre-commit hooks and `make validate-changed` / `make diff` work on a real git repository."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import REPO, make_tree

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
GIT_ENV = {"PATH": "/usr/bin:/bin", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": "/nonexistent"}


def make_targets() -> dict[str, str]:
    """target -> its `## help` text ('' when it has none)."""
    targets = {}
    for line in (REPO / "Makefile").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([a-z][a-z-]*):(?!=)(.*)$", line)
        if m:
            targets[m.group(1)] = m.group(2).split("## ", 1)[1] if "## " in m.group(2) else ""
    return targets


def load_workflow(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow):
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def make_calls(workflow) -> list[tuple[str, str]]:
    """(job, target) of every `make` call, in order."""
    calls = []
    for job_name, step in steps(workflow):
        for line in step.get("run", "").splitlines():
            words = shlex.split(line, comments=True)
            if words:
                calls.append((job_name, words[1] if words[0] == "make" and len(words) > 1 else f"NOT MAKE: {line}"))
    return calls


def test_there_are_a_pull_request_and_a_publish_workflow():
    assert [p.name for p in WORKFLOWS] == ["publish.yml", "pull-request.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_runs_only_existing_make_targets_with_help(path):
    workflow = load_workflow(path)
    targets = make_targets()
    calls = make_calls(workflow)
    assert calls
    for job, target in calls:
        assert not target.startswith("NOT MAKE"), f"{path.name} {job}: {target}"
        assert target in targets, f"{path.name} {job}: make {target} is not a Makefile target"
        assert targets[target], f"make {target} has no ## help comment"
    for _job, step in steps(workflow):
        assert ("run" in step) != ("uses" in step)


# issue 18 item 6 and the workflow hardening: a moved tag cannot swap an action's code, the checkout token is not left
# in .git/config for a pull request's scripts (a symlink in site/ once published that file), no privileged trigger
PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")
EXPRESSION_IN_SCRIPT = re.compile(r"\$\{\{\s*(github\.event\.|github\.head_ref|inputs\.|steps\.[^}]*outputs)")
ALLOWED_PERMISSIONS = {"contents": {"read", "write"}, "actions": {"write"}, "pages": {"write"}, "id-token": {"write"}}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_actions_pinned_by_commit_sha_with_version_comment(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(- )?uses:", line)]
    assert lines
    for line in lines:
        assert PINNED.match(line), f"{path.name}: {line.strip()} (pin by 40-hex commit SHA, version as comment)"
    pins = {}
    for wf in WORKFLOWS:  # one action, one pin, across the workflows
        for action, sha, version in (PINNED.match(x).groups() for x in wf.read_text(encoding="utf-8").splitlines()
                                     if PINNED.match(x)):
            assert pins.setdefault(action, (sha, version)) == (sha, version), action


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_checkout_does_not_persist_the_token(path):
    checkouts = [step for _job, step in steps(load_workflow(path)) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, step


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_has_no_privileged_trigger_and_minimal_permissions(path):
    workflow = load_workflow(path)
    triggers = workflow["on"] if isinstance(workflow["on"], (dict, list)) else [workflow["on"]]
    assert "pull_request_target" not in triggers and "workflow_run" not in triggers
    assert workflow["permissions"] == {"contents": "read"}  # the default for every job
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        assert isinstance(granted, dict), f"{name}: permissions: {granted}"  # never read-all / write-all
        for scope, level in granted.items():
            assert level in ALLOWED_PERMISSIONS.get(scope, set()), f"{name}: {scope}: {level}"
        if granted.get("contents") == "write" or granted.get("actions") == "write":
            # only the inbox job of a branch of this repository (a fork's token is read-only anyway), and only its
            # push step sees the token: the steps before it run the pull request's code without one
            assert name == "inbox" and "head.repo.full_name == github.repository" in job["if"], name
            holders = [s for s in job["steps"] if "secrets.GITHUB_TOKEN" in str(s.get("env", {}))]
            assert [s.get("run") for s in holders] == ["make inbox-push"] and holders[0] is job["steps"][-1]
        if granted.get("pages") == "write":  # only the job that deploys, after the build and the tests
            assert set(job["needs"]) == {"build", "test"} and not any("run" in s for s in job["steps"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_scripts_never_paste_attacker_controlled_expressions(path):
    """A branch name or PR title pasted into `run:` is shell code; such values go through `env:` instead."""
    for job, step in steps(load_workflow(path)):
        script = step.get("run", "")
        assert not EXPRESSION_IN_SCRIPT.search(script), f"{job}: {script}"
        assert "${{" not in script, f"{job}: {script}"  # no expression at all: every value via the environment


def test_pull_request_workflow_fast_path_then_everything_diff_and_preview():
    workflow = load_workflow(GITHUB / "workflows/pull-request.yml")
    assert "pull_request" in workflow["on"] and "pull_request_target" not in workflow["on"]
    assert "workflow_dispatch" in workflow["on"]  # started by inbox-push on the commit it pushed
    assert workflow["permissions"] == {"contents": "read"}
    check = workflow["jobs"]["check"]
    order = [target for job, target in make_calls(workflow) if job == "check"]
    # the committed tree first (diff, validation, preview), then what is still in inbox/ (a fork): report, then fail
    assert order == ["install", "diff", "validate-changed", "validate", "build", "import-inbox", "inbox-check"]
    assert check["needs"] == "inbox" and "permissions" not in check
    assert check["steps"][0]["with"]["ref"] == "${{ needs.inbox.outputs.head }}"
    assert 'make import-inbox SUMMARY="$GITHUB_STEP_SUMMARY"' in {step.get("run", "") for step in check["steps"]}
    rows = next(s for s in check["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")
                and s["with"]["path"] == "build/import")
    assert rows["if"] == "${{ !cancelled() }}" and rows["with"]["name"].startswith("import-pr-")  # even when it fails
    runs = {step.get("run", ""): step for step in check["steps"]}
    assert 'make diff BASE="$BASE" SUMMARY="$GITHUB_STEP_SUMMARY"' in runs
    assert check["env"]["BASE"].startswith("origin/${{ github.base_ref")  # via the environment, not the shell
    assert check["steps"][0]["with"]["fetch-depth"] == 0
    upload = next(s for s in check["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")
                  and s["with"]["path"] != "build/import")
    assert upload["with"]["path"] == "build/site"
    test_job = workflow["jobs"]["test"]
    assert test_job["container"].startswith("python:3.11-bookworm")  # Debian chromium, as `.ci/run` uses
    assert [t for job, t in make_calls(workflow) if job == "test"] == ["test"]


def test_pull_request_workflow_commits_back_only_for_its_own_branches_and_only_the_push_holds_the_token():
    workflow = load_workflow(GITHUB / "workflows/pull-request.yml")
    inbox = workflow["jobs"]["inbox"]
    assert inbox["if"] == ("github.event_name == 'pull_request' && "
                           "github.event.pull_request.head.repo.full_name == github.repository")
    assert inbox["permissions"] == {"contents": "write", "actions": "write"}
    assert [t for job, t in make_calls(workflow) if job == "inbox"] == ["install", "import-inbox", "inbox-commit",
                                                                          "inbox-push"]
    checkout = inbox["steps"][0]
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.head.sha }}"
    assert checkout["with"]["persist-credentials"] is False  # the import (the PR's code) never sees a token
    with_token = [s for s in inbox["steps"] if "secrets." in str(s) or "github.token" in str(s)]
    assert [s.get("run") for s in with_token] == ["make inbox-push"]
    push = with_token[0]
    assert push["env"] == {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"} and push["if"] == \
        "steps.commit.outputs.committed == 'true'"
    for _job, step in steps(workflow):  # nothing an attacker controls is pasted into a script
        assert "${{" not in step.get("run", ""), step["run"]


def test_publish_workflow_validates_builds_tests_then_deploys_pages():
    workflow = load_workflow(GITHUB / "workflows/publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert [t for job, t in make_calls(workflow) if job == "build"] == ["install", "validate", "inbox-check", "build"]
    build = workflow["jobs"]["build"]["steps"]
    assert build[-1]["uses"].startswith("actions/upload-pages-artifact@") and build[-1]["with"]["path"] == "build/site"
    deploy = workflow["jobs"]["deploy"]
    assert set(deploy["needs"]) == {"build", "test"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


@pytest.mark.parametrize("form", ["product", "scene", "award"])
def test_issue_forms_require_the_source_document(form):
    data = yaml.safe_load((GITHUB / f"ISSUE_TEMPLATE/{form}.yml").read_text(encoding="utf-8"))
    assert data["name"] and data["description"] and data["body"]
    ids = [item["id"] for item in data["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    assert {item["type"] for item in data["body"]} <= {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    source = next(item for item in data["body"] if item.get("id") == "source_url")
    assert source["type"] == "input" and source["validations"]["required"] is True
    assert "来源文件链接" in source["attributes"]["label"] and "Source document URL" in source["attributes"]["label"]
    change = next(item for item in data["body"] if item.get("id") == "change")
    assert any("更正" in option for option in change["attributes"]["options"])


def test_pull_request_template_asks_for_the_source_and_placeholders():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "## 来源文件 / Source document (必填 / required)" in text
    assert "`make validate`" in text and "待填写" in text and "source_url" in text


def test_pre_commit_hooks_are_local_and_run(tmp_path):
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"validate-data", "editor-schemas"}
    assert all(repo["repo"] == "local" for repo in config["repos"])
    assert all(hook["language"] == "system" for hook in hooks.values())
    assert re.match(hooks["validate-data"]["files"], "data/products/2026.csv")
    assert not re.match(hooks["validate-data"]["files"], "scripts/editing/new.py")
    # the hook as pre-commit runs it: entry + the files being committed, from the repository root
    entry = shlex.split(hooks["validate-data"]["entry"])
    ok = subprocess.run(entry + ["data/scenes/2025/S-2025-001.yaml"], cwd=REPO, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    data = make_tree(tmp_path)
    path = data / "projects/2025.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",330402,", ",南湖区,", 1), encoding="utf-8")
    bad = subprocess.run(entry + ["--data", str(data), str(path)], cwd=REPO, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "projects/2025.csv:2: district: 在“地区”中找不到：“南湖区”" in bad.stdout
    # a file of another dataset does not report the projects problem
    other = subprocess.run(entry + ["--data", str(data), str(data / "scenes/2025/S-2025-001.yaml")], cwd=REPO,
                           capture_output=True, text=True)
    assert other.returncode == 0 and "南湖区" not in other.stdout
    schemas = subprocess.run(shlex.split(hooks["editor-schemas"]["entry"]), cwd=REPO, capture_output=True, text=True)
    assert schemas.returncode == 0, schemas.stderr


@pytest.fixture
def make_repo(tmp_path):
    """A git repo with the real Makefile; main has a pre-existing projects error, the branch edits products."""
    root = tmp_path / "repo"
    data = make_tree(root)
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copyfile(REPO / "Makefile", root / "Makefile")
    shutil.copyfile(REPO / "requirements.txt", root / "requirements.txt")
    (root / "scripts").symlink_to(REPO / "scripts")
    stamp = tmp_path / "installed"
    stamp.touch()
    projects = data / "projects/2025.csv"
    projects.write_text(projects.read_text(encoding="utf-8").replace(",330402,", ",南湖区,", 1), encoding="utf-8")

    def git(*args):
        subprocess.run(["git", *args], cwd=root, env=GIT_ENV, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    (root / ".git/info/exclude").write_text("scripts\nMakefile\nrequirements.txt\n")
    git("add", "data", "schemas")
    git("commit", "-q", "-m", "base")
    git("checkout", "-q", "-b", "feature")
    products = data / "products/2026.csv"
    products.write_text(products.read_text(encoding="utf-8").replace(",入选,", ",公示,", 1), encoding="utf-8")
    git("commit", "-q", "-am", "status change")

    def make(*args):
        return subprocess.run(["make", "-s", *args, f"PY={sys.executable}", f"STAMP={stamp}"], cwd=root,
                              capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    return make


def test_make_validate_changed_reports_only_the_touched_datasets(make_repo):
    fast = make_repo("validate-changed", "BASE=main")
    assert fast.returncode == 0, fast.stdout + fast.stderr
    assert "✓ 校验通过" in fast.stdout and "南湖区" not in fast.stdout
    full = make_repo("validate")
    assert full.returncode != 0
    assert "data/projects/2025.csv:2: district: 在“地区”中找不到：“南湖区”" in full.stdout


def test_make_diff_writes_the_summary(make_repo, tmp_path):
    summary = tmp_path / "summary.md"
    result = make_repo("diff", "BASE=main", f"SUMMARY={summary}")
    assert result.returncode == 0, result.stderr
    text = summary.read_text(encoding="utf-8")
    assert "| `新产品新技术(新服务)推广应用目录` (`products`) | 0 | 0 | 1 |" in text
    assert "| `P-2026-00001` `示例智能阵列压力传感模组` | `status` | `入选` | `公示` |" in text


def test_contributing_mentions_only_commands_and_targets_that_exist():
    from scripts.__main__ import COMMANDS

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    targets = make_targets()
    made = set(re.findall(r"`make ([a-z][a-z-]*)", text))
    assert {"validate", "validate-changed", "diff", "build", "test", "install"} <= made
    assert made <= set(targets), made - set(targets)
    commands = set(re.findall(r"python3? -m scripts ([a-z][a-z-]*)", text))
    assert {"new", "diff", "release", "check-files", "editor-schemas"} <= commands
    assert commands <= set(COMMANDS), commands - set(COMMANDS)
    chinese, english = text.split("## English", 1)
    assert "## 中文" in chinese and "### 看懂错误信息" in chinese and "### 版本如何发布" in chinese
    assert "### Reading an error" in english and "### How releases happen" in english
