"""`python -m scripts import-inbox`: import every attachment a clerk uploaded into inbox/ (no terminal needed).

Each attachment comes with a sidecar `<file>.yaml` (附件1.xlsx → 附件1.xlsx.yaml) naming what the file itself does
not say: dataset, year, stage, list_kind, list_title, doc_no, source_url, batch, and optionally sheet and map.
The same import as `python -m scripts import` runs for each; the review reports are written to OUT/<file>.md and
appended to SUMMARY (the pull request's run summary), and every data file the import wrote is copied to OUT/data/
(the converted rows, uploaded as the run's artifact).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
from pathlib import Path

import yaml

from ..load import display_path
from ..paths import DATA, SCHEMAS
from ..model import Problem
from .cli import Request, run
from .defaults import defaults, unknown

HELP = "导入 inbox/ 中的名单附件（配说明文件）/ import every attachment in inbox/ with its sidecar YAML"
DESCRIPTION = """把 inbox/ 中每个名单附件按其说明文件（<文件名>.yaml）导入数据集，与 python -m scripts import 相同；
审核报告写入 --out 并追加到 --summary（拉取请求的运行摘要），转换后的数据文件复制到 --out/data 供下载。
Import every attachment in inbox/ as described by its sidecar <file>.yaml; reports go to --out and --summary,
the data files the import wrote are copied to --out/data (the pull request's downloadable artifact)."""

KEYS = {"dataset": str, "year": int, "stage": str, "list_kind": str, "list_title": str, "doc_no": str,
        "source_url": str, "batch": int, "sheet": str, "map": list, "defaults": dict}
SIDECAR_SUFFIXES = (".yaml", ".yml")
NOT_ATTACHMENTS = {"README.md", ".gitkeep"}


def add_arguments(parser) -> None:
    parser.add_argument("inbox", nargs="?", default="inbox", help="附件目录 / the inbox folder (default inbox/)")
    parser.add_argument("--data", default=str(DATA), help="数据目录 / data directory (default: data/)")
    parser.add_argument("--schemas", default=str(SCHEMAS), help="表结构目录 / schema directory")
    parser.add_argument("--out", default="build/import", help="报告与转换结果目录 / reports and converted files (default build/import)")
    parser.add_argument("--summary", metavar="FILE", help="把报告追加到此文件（如 $GITHUB_STEP_SUMMARY）/ append the reports here")


def attachments(inbox: Path) -> list[Path]:
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.iterdir() if p.is_file() and p.name not in NOT_ATTACHMENTS
                  and not p.name.startswith(".") and p.suffix.lower() not in SIDECAR_SUFFIXES)


def sidecar(path: Path) -> Path | None:
    for candidate in [path.with_name(path.name + s) for s in SIDECAR_SUFFIXES] + \
                     [path.with_suffix(s) for s in SIDECAR_SUFFIXES]:
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> tuple[dict, list[str]]:
    """(settings, problems in words): known keys only, with the right types; dataset is required."""
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return {}, [str(exc).splitlines()[0]]
    if not isinstance(settings, dict):
        return {}, ["内容必须是“键: 值” / it must be a mapping of key: value"]
    problems = []
    for key, value in settings.items():
        kind = KEYS.get(key)
        if kind is None:
            problems.append(f"未知的键 / unknown key {key!r}（可用 / known: {', '.join(KEYS)}）")
        elif value is not None and not isinstance(value, kind):
            problems.append(f"{key}: 应为 / should be {kind.__name__}")
    if not settings.get("dataset"):
        problems.append("缺少 dataset / dataset is missing")
    return settings, problems


def main(args) -> int:
    inbox, out, data = Path(args.inbox), Path(args.out), Path(args.data)
    files = attachments(inbox)
    if not files:
        print(f"{display_path(inbox)}/ 中没有附件 / no attachments in {display_path(inbox)}/")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    sections = []
    for path in files:
        shown = display_path(path)
        side = sidecar(path)
        if side is None:
            text = Problem.make(shown, 1, "-", "import-sidecar", detail=f"缺少说明文件 {path.name}.yaml / no sidecar "
                                f"{path.name}.yaml").format()
            code, report, written, errors = 1, "", [], text + "\n"
        else:
            settings, problems = read_sidecar(side)
            problems = problems or unknown(settings, data, Path(args.schemas))
            if problems:
                errors = "".join(Problem.make(display_path(side), 1, "-", "import-sidecar", detail=p).format() + "\n"
                                 for p in problems)
                code, report, written = 1, "", []
            else:
                # defaults (importer/defaults.py): the columns the list does not print; a printed cell wins
                request = Request(path, settings["dataset"], settings.get("year"),
                                  {**defaults(settings), **{k: settings[k] for k in ("stage", "list_kind",
                                   "list_title", "doc_no", "source_url", "batch") if settings.get(k) is not None}},
                                  [str(m) for m in settings.get("map") or []], settings.get("sheet"),
                                  data=data, schemas=Path(args.schemas), shown=shown)
                captured = io.StringIO()
                with contextlib.redirect_stderr(captured):
                    code, report, written = run(request)
                errors = captured.getvalue()
        failures += code != 0
        if errors:
            sys.stderr.write(errors)
            report = report or f"# 导入失败 / Import failed: `{shown}`\n\n```\n{errors.rstrip()}\n```\n"
        print(report, end="")
        (out / f"{path.name}.md").write_text(report, encoding="utf-8")
        ok = out / f"{path.name}.ok"  # inbox-commit commits only attachments imported without a problem
        ok.unlink(missing_ok=True)
        if code == 0:
            ok.write_text("ok\n", encoding="utf-8")
        for file in written:
            target = out / "data" / Path(file).resolve().relative_to(data.resolve())
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
        sections.append(report)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as fh:
            fh.write("\n".join(sections))
    status = "✓" if not failures else "✗"
    print(f"{status} 导入 {len(files)} 个附件，{failures} 个需要处理；报告与转换结果在 {display_path(out)} | "
          f"imported {len(files)} attachments, {failures} need attention; reports and converted files in {display_path(out)}")
    return 1 if failures else 0
