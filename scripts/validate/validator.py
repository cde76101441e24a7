"""Stage 2, validate: the gate. Every problem in one run, one line each, `path:line: field: 中文 | English`.

Schema types, constraints and enums are checked by the real Frictionless validator; the checks Frictionless
cannot know (credit-code checksums, hazards, references across files, the policy's award rules) run beside it:
per record in validate_cells, across records in validate_refs, the dataset.yaml rules in validate_rules. This
module runs them in order and is the `validate` command.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..load.loader import load_catalog
from ..load.release_index import index_problems
from ..model.catalog import Catalog, Dataset, Problem, cap_problems, count_of, listed
from ..paths import DATA, RELEASES, SCHEMAS
from .cells import check_cells, check_names, check_real_data, check_schema, check_status_declaration
from .refs import check_companies, check_ids, check_references
from .registry import check_company_registry
from .release_guard import base_problems, history_problems
from .rule_checks import RULES, check_assertions


def validate_catalog(catalog: Catalog, progress: Callable[[Dataset], None] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for dataset in [*catalog.datasets.values(), *catalog.shadowed]:
        if progress:
            progress(dataset)
        reported = {(i, name) for i, record in enumerate(dataset.records) for name in record.flagged}
        problems += check_cells(dataset, reported)
        problems += check_names(dataset, reported)
        problems += check_schema(dataset, reported)
        problems += check_ids(dataset)
        problems += check_references(dataset, catalog, reported)
        for rule in dataset.info.rules:
            if rule.get("rule") in RULES:  # anything else is a metadata error already
                problems += RULES[rule["rule"]](dataset, catalog, rule)
        problems += check_assertions(dataset)
        problems += check_real_data(dataset)
        problems += check_status_declaration(dataset)
    problems += check_company_registry(catalog)
    problems += check_companies(catalog)
    return problems


def release_problems(releases_dir: Path, base: str | None = None) -> list[Problem]:
    """The release records: well-formed (what the build checks first), each snapshot what its recorded commit
    holds, and — with a base ref — every published release unchanged (scripts/validate/release_guard.py)."""
    problems = index_problems(releases_dir)
    if not problems:
        problems += history_problems(releases_dir)
    return problems + (base_problems(releases_dir, base) if base else [])


# --- CLI ----------------------------------------------------------------------------------------

HELP = "校验数据 / validate the data tree (exit 1 on any error)"
DESCRIPTION = """校验数据目录中的全部数据集，一次列出全部问题，每行一个：
  文件:行号: 字段: 中文说明（修改提示） | English message (fix hint)
Validate every dataset and list every problem in one run. Exit 0 when valid, 1 otherwise."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data_dir", nargs="?", default=str(DATA), help="数据目录 / data directory (default: data/)")
    parser.add_argument("--schemas", default=str(SCHEMAS), help="表结构目录 / schema directory (default: schemas/)")
    parser.add_argument("--only", action="append", metavar="DATASET",
                        help="只报告这些数据集的问题（仍加载全部以检查引用）/ report problems of these datasets only (repeatable)")
    parser.add_argument("--releases", default=str(RELEASES), help="发布记录目录 / release records (default: releases/)")
    parser.add_argument("--base", metavar="REF",
                        help="已发布版本须与 REF（与 HEAD 的共同祖先）中的逐字节相同 / published releases must be "
                             "byte-identical to those at REF (its merge base with HEAD), e.g. origin/main")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度 / no progress lines")


def main(args: argparse.Namespace) -> int:
    return run(Path(args.data_dir), Path(args.schemas), set(args.only or []), args.quiet, releases_dir=Path(args.releases),
               base=args.base)


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def run(data_dir: Path, schemas_dir: Path = SCHEMAS, only: set[str] | None = None, quiet: bool = False,
        out: TextIO = sys.stdout, err: TextIO = sys.stderr, releases_dir: Path = RELEASES, base: str | None = None) -> int:
    started = time.perf_counter()
    catalog, problems = load_catalog(Path(data_dir), Path(schemas_dir))

    def progress(dataset: Dataset) -> None:
        if not quiet:
            print(f"校验 / checking {dataset.name}（{len(dataset.records):,} 条 / records）…", file=err, flush=True)

    problems += validate_catalog(catalog, progress)
    if only:
        keep = {d.meta_path.rsplit("/", 1)[0] for d in catalog.datasets.values() if d.name in only}
        problems = [p for p in problems if any(p.path.startswith(k + "/") or p.path == k for k in keep)]
    problems += release_problems(releases_dir, base)
    problems = cap_problems(problems)
    errors = sum(count_of(p) for p in problems if p.severity == "error")
    warnings = sum(count_of(p) for p in problems) - errors
    for line in listed(problems):
        print(line, file=out)
    records = sum(len(d.records) for d in catalog.datasets.values())
    seconds = time.perf_counter() - started
    if errors:
        files = len({p.path for p in problems if p.severity == "error"})
        print(f"✗ 校验未通过：{errors} 个错误，涉及 {files} 个文件；{warnings} 个提示（{seconds:.1f} 秒）"
              f" | invalid: {_n(errors, 'error')} in {_n(files, 'file')}, {_n(warnings, 'warning')} ({seconds:.1f} s)", file=out)
        return 1
    print(f"✓ 校验通过：{len(catalog.datasets)} 个数据集，{records:,} 条记录，{warnings} 个提示（{seconds:.1f} 秒）"
          f" | valid: {_n(len(catalog.datasets), 'dataset')}, {_n(records, 'record')}, {_n(warnings, 'warning')} ({seconds:.1f} s)", file=out)
    return 0
