"""The CLI reference (docs/cli.md) is generated from every command's --help (scripts/tools/cli_docs.py) and may not drift."""

from __future__ import annotations

import os

from conftest import REPO, run_cli

from scripts.__main__ import COMMANDS
from scripts.tools import cli_docs


def test_cli_reference_is_the_generated_help():
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    wanted = cli_docs.replaced(doc, cli_docs.generate())
    assert doc == wanted, ("docs/cli.md 与各命令的 --help 不一致：运行 `make docs-cli` 并提交 docs/cli.md | "
                           "docs/cli.md differs from the commands' --help: run `make docs-cli` "
                           "(python -m scripts docs-cli) and commit docs/cli.md")


def test_readme_links_the_cli_reference_and_holds_no_copy():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "](docs/cli.md)" in readme and cli_docs.START not in readme
    assert len(readme.encode("utf-8")) <= 10_000, "README.md is read in five minutes: the reference goes to docs/"


def test_section_holds_every_command_help_and_nothing_else():
    section = cli_docs.generate()
    assert section.startswith(cli_docs.START) and section.endswith(cli_docs.END)
    assert "usage: python -m scripts [-h] COMMAND ..." in section
    for name in COMMANDS:
        assert f"usage: python -m scripts {name} [-h]" in section, name
        assert f'<details id="cli-{name}">' in section, name
    assert str(REPO) not in section  # defaults are printed as repository-relative words, never this machine's paths


def test_generated_text_ignores_the_terminal_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    narrow = cli_docs.generate()
    monkeypatch.setenv("COLUMNS", "250")
    assert cli_docs.generate() == narrow
    assert os.environ["COLUMNS"] == "250"  # restored after generating


def test_check_fails_on_drift_and_docs_cli_repairs_it(tmp_path):
    readme = tmp_path / "cli.md"
    original = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    readme.write_text(original.replace("usage: python -m scripts validate", "usage: python -m scripts validat"),
                      encoding="utf-8")
    check = run_cli("docs-cli", "--check", "--file", readme)
    assert check.returncode == 1 and "make docs-cli" in check.stderr, check.stderr
    fix = run_cli("docs-cli", "--file", readme)
    assert fix.returncode == 0, fix.stderr
    assert readme.read_text(encoding="utf-8") == original
    assert run_cli("docs-cli", "--check", "--file", readme).returncode == 0


def test_missing_markers_are_a_clear_error(tmp_path):
    readme = tmp_path / "cli.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    result = run_cli("docs-cli", "--check", "--file", readme)
    assert result.returncode == 1 and "markers not found" in result.stderr and "Traceback" not in result.stderr
