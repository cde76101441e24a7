"""`python -m scripts inbox-push`: push the commit `inbox-commit` made to the pull request's branch, then start the
checks on it.

The only step of the pull-request workflow that holds a token, and only through the environment: the branch comes
from GITHUB_HEAD_REF (set by the runner, never pasted into a script), the token from GITHUB_TOKEN and reaches git as
an HTTP header through GIT_CONFIG_* variables (never on a command line, never in .git/config); hooks are off.
A push with the workflow's token starts no new `pull_request` run, so the new head commit would carry no checks:
the workflow's `workflow_dispatch` is started on the branch (allowed for that token), which checks the commit the
pull request now holds.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

HELP = "把导入提交推送到拉取请求的分支并启动对它的检查 / push the import commit to the PR branch, start its checks"
DESCRIPTION = """把 inbox-commit 的提交推送到拉取请求的分支（环境变量 GITHUB_HEAD_REF），令牌只从环境变量 GITHUB_TOKEN 读取；
然后通过 workflow_dispatch 在该分支上启动检查（用工作流令牌推送的提交不会触发新的 pull_request 运行）。
Push the inbox-commit commit to the pull request's branch (GITHUB_HEAD_REF); the token is read only from the
environment (GITHUB_TOKEN). Then start the checks on that branch with workflow_dispatch (a push made with the
workflow's token starts no pull_request run)."""


def add_arguments(parser) -> None:
    parser.add_argument("--remote", default="origin", help="远程仓库 / remote (default origin)")
    parser.add_argument("--branch", help="目标分支（默认环境变量 GITHUB_HEAD_REF）/ branch (default $GITHUB_HEAD_REF)")
    parser.add_argument("--dispatch", default="pull-request.yml", metavar="WORKFLOW",
                        help="推送后在分支上启动的工作流（需要 GITHUB_API_URL、GITHUB_REPOSITORY；写 - 不启动）"
                             " / workflow started on the branch after the push (- for none)")


def git_env(token: str | None) -> dict[str, str]:
    """The environment for git: the token as an HTTP header for the server only, hooks off."""
    env = dict(os.environ)
    env.pop("GITHUB_TOKEN", None)
    pairs = [("core.hooksPath", "/dev/null")]
    if token:
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        pairs.append((f"http.{server}/.extraheader", f"AUTHORIZATION: basic {basic}"))
    env["GIT_CONFIG_COUNT"] = str(len(pairs))
    for i, (key, value) in enumerate(pairs):
        env[f"GIT_CONFIG_KEY_{i}"], env[f"GIT_CONFIG_VALUE_{i}"] = key, value
    return env


def dispatch(workflow: str, branch: str, token: str) -> str | None:
    """Start `workflow` on `branch` through the REST API; None when started, else why not."""
    api, repo = os.environ.get("GITHUB_API_URL", "").rstrip("/"), os.environ.get("GITHUB_REPOSITORY", "")
    if not (api and repo):
        return "GITHUB_API_URL / GITHUB_REPOSITORY 未设置 / not set"
    request = urllib.request.Request(
        f"{api}/repos/{repo}/actions/workflows/{workflow}/dispatches", method="POST",
        data=json.dumps({"ref": branch}).encode(),
        headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                 "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return None if response.status in (200, 204) else f"HTTP {response.status}"
    except (urllib.error.URLError, OSError) as exc:
        return str(getattr(exc, "code", "") or exc)


def main(args) -> int:
    branch = args.branch or os.environ.get("GITHUB_HEAD_REF", "")
    token = os.environ.get("GITHUB_TOKEN")
    env = git_env(token)
    ok = subprocess.run(["git", "check-ref-format", "--branch", branch], capture_output=True, env=env) if branch else None
    if not ok or ok.returncode:
        print("✗ 没有可推送的分支（GITHUB_HEAD_REF 为空或不是分支名）/ no branch to push to (GITHUB_HEAD_REF empty or "
              "not a branch name)", file=sys.stderr)
        return 2
    pushed = subprocess.run(["git", "push", "--no-verify", args.remote, f"HEAD:refs/heads/{branch}"],
                            capture_output=True, text=True, env=env, cwd=Path("."))
    if pushed.returncode:
        print(f"✗ 推送失败，数据行没有进入分支 / the push failed, the rows are not on the branch:\n{pushed.stderr.strip()}\n"
              "  提示：分支在导入期间又有新提交时，新的运行会重新导入；否则请重新运行检查 / hint: if the branch moved during "
              "the import, the newer run imports again; otherwise re-run the checks", file=sys.stderr)
        return 1
    print(f"✓ 已推送到分支 / pushed to the branch {branch}")
    if args.dispatch == "-":
        return 0
    why = dispatch(args.dispatch, branch, token or "")
    if why:
        print(f"✗ 数据行已提交，但未能在新提交上启动检查（{why}）/ the rows are committed, but the checks on the new "
              f"commit could not be started ({why})\n  提示：在 Actions 页面对该分支手动运行“{args.dispatch}” / hint: "
              f"run {args.dispatch} on the branch from the Actions page", file=sys.stderr)
        return 1
    print(f"✓ 已在分支上启动检查 / checks started on the branch: {args.dispatch}")
    return 0
