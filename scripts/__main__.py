"""One CLI for every stage: `python -m scripts <command> --help`.

Each command lives in its own module exposing HELP, DESCRIPTION, add_arguments(parser) and main(args) -> exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# command name -> module (in data-flow order: load → validate → build pages → build packages; then tools)
COMMANDS = {
    "validate": "validate.validator",
    "build": "build",
    "fixture": "tools.fixture",
    "bench": "tools.bench",
    "search-bench": "tools.search_bench",
    "mkdocs-peer": "tools.mkdocs_peer",
    "packages": "packages",
    "release": "release.record",
    "diff": "release.diff",
    "new": "editing.new",
    "import": "importer.cli",
    "import-inbox": "importer.inbox",
    "inbox-commit": "importer.commit_back",
    "inbox-push": "importer.push",
    "inbox-check": "importer.leftover",
    "check-files": "editing.check_files",
    "editor-schemas": "editing.jsonschema_gen",
    "nginx-config": "tools.nginx_config",
    "docs-cli": "tools.cli_docs",
}


def command_module(name: str):
    """The module that implements a command (imported when the parser is built: every command's --help is needed)."""
    return importlib.import_module(f".{COMMANDS[name]}", __package__)


class Parser(argparse.ArgumentParser):
    command_parsers: dict[str, argparse.ArgumentParser]


def build_parser() -> Parser:
    """The CLI; `parser.command_parsers` maps each command to its sub-parser (scripts/tools/cli_docs.py prints their help)."""
    parser = Parser(
        prog="python -m scripts",
        description="嘉兴“三新”开放数据：校验、生成站点与数据包 / Jiaxing open data: validate, build the site and packages.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parser.command_parsers = {}
    for name in COMMANDS:
        module = command_module(name)
        p = parser.command_parsers[name] = sub.add_parser(name, help=module.HELP, description=module.DESCRIPTION,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(p)
        p.set_defaults(handler=module.main)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
