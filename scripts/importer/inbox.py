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
import re
import shutil
import sys
from datetime import date
from pathlib import Path

from .. import safefs, yamlsafe
from ..load.loader import display_path
from ..model.catalog import Problem
from ..paths import DATA, SCHEMAS
from ..site.render import code_span
from .cli import Request, run
from .defaults import defaults, unknown

HELP = "导入 inbox/ 中的名单附件（配说明文件）/ import every attachment in inbox/ with its sidecar YAML"
DESCRIPTION = """把 inbox/ 中每个名单附件按其说明文件（<文件名>.yaml）导入数据集，与 python -m scripts import 相同；
审核报告写入 --out 并追加到 --summary（拉取请求的运行摘要），转换后的数据文件复制到 --out/data 供下载。
Import every attachment in inbox/ as described by its sidecar <file>.yaml; reports go to --out and --summary,
the data files the import wrote are copied to --out/data (the pull request's downloadable artifact)."""

KEYS = {"dataset": str, "year": int, "stage": str, "list_kind": str, "list_title": str, "doc_no": str,
        "source_url": str, "batch": int, "published_on": date, "sublist": str, "unit": str, "sheet": str, "map": list,
        "defaults": dict, "only_jiaxing": bool, "confirm_move_back": bool}
# the sidecar keys that are list-level values of the import (the rest choose how it runs)
LIST_KEYS = ("stage", "list_kind", "list_title", "doc_no", "source_url", "batch", "published_on", "sublist")
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


MAX_SIDECAR = 64 * 1024  # a sidecar is a dozen short lines


def read_sidecar(path: Path) -> tuple[dict, list[Problem]]:
    """(settings, problems at the sidecar's file:line): through the project's bounded YAML reader (no anchors or
    aliases, depth and node caps, duplicate keys, YAML 1.1 typing hazards), known keys only, with the right types;
    dataset is required."""
    where = display_path(path)
    size = path.stat().st_size
    if size > MAX_SIDECAR:
        return {}, [Problem.make(where, 1, "-", "import-sidecar", detail=f"文件过大（{size} 字节，上限 {MAX_SIDECAR}）/ "
                                 f"too large ({size} bytes, at most {MAX_SIDECAR})")]
    try:
        text = safefs.read_bytes(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem.make(where, 1, "-", "import-sidecar", detail=f"无法读取 / cannot be read: {exc}")]
    tree, errors = yamlsafe.parse(text)
    problems = [Problem.make(where, e.line, e.field, e.code, e.value, **e.params) for e in errors]
    if tree is None or not isinstance(tree, yamlsafe.Node) or tree.kind != "map":
        if not errors:
            problems.append(Problem.make(where, 1, "-", "import-sidecar", detail="内容必须是“键: 值” / it must be a "
                                         "mapping of key: value"))
        return {}, problems
    settings = {}
    for key, (line, node) in tree.value.items():
        kind = KEYS.get(key)
        if kind is None:
            problems.append(Problem.make(where, line, "-", "import-sidecar", detail=f"未知的键 / unknown key "
                                         f"{safefs.shown(key)}（可用 / known: {', '.join(KEYS)}）"))
            continue
        value, wrong = _typed(node, kind, key)
        problems += [Problem.make(where, e.line, e.field, e.code, e.value, **e.params) for e in wrong]
        if value is _WRONG:
            problems.append(Problem.make(where, getattr(node, "line", line), key, "import-sidecar",
                                         detail=f"{key}: 应为 / should be {kind.__name__}"))
        elif not wrong:
            settings[key] = value
    if not settings.get("dataset") and not any(p.field == "dataset" for p in problems):
        problems.append(Problem.make(where, 1, "-", "import-sidecar", detail="缺少 dataset / dataset is missing"))
    return settings, problems


_WRONG = object()
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _typed(node, kind: type, key: str) -> tuple[object, list]:
    """(value, YAML typing problems) of one sidecar value; _WRONG when it has the wrong shape or type."""
    if isinstance(node, yamlsafe.Scalar) and node.is_null:
        return None, []
    if kind is list:
        if not isinstance(node, yamlsafe.Node) or node.kind != "seq" or \
                not all(isinstance(item, yamlsafe.Scalar) for item in node.value):
            return _WRONG, []
        wrong = [e for item in node.value if (e := yamlsafe.implicit_type_problem(item, key, "string"))]
        return [item.raw for item in node.value], wrong
    if kind is dict:  # defaults: {field: value or [values]}, plain text only
        if not isinstance(node, yamlsafe.Node) or node.kind != "map":
            return _WRONG, []
        out, wrong = {}, []
        for name, (_l, item) in node.value.items():
            items = item.value if isinstance(item, yamlsafe.Node) and item.kind == "seq" else [item]
            if not all(isinstance(i, yamlsafe.Scalar) for i in items):
                return _WRONG, []
            wrong += [e for i in items if (e := yamlsafe.implicit_type_problem(i, name, "string"))]
            values = [i.raw for i in items if not i.is_null]
            if values:
                out[name] = values if isinstance(item, yamlsafe.Node) else values[0]
        return out, wrong
    if not isinstance(node, yamlsafe.Scalar):
        return _WRONG, []
    if kind is bool:
        value = yamlsafe.to_plain(node) if node.plain else None
        return (value if isinstance(value, bool) and node.raw in ("true", "false") else _WRONG), []
    if kind is date:
        return (node.raw if _DATE.fullmatch(node.raw) else _WRONG), []
    if kind is int:
        if problem := yamlsafe.implicit_type_problem(node, key, "integer"):
            return _WRONG, [problem]
        value = yamlsafe.to_plain(node) if node.plain else None
        return (value if isinstance(value, int) and not isinstance(value, bool) else _WRONG), []
    problem = yamlsafe.implicit_type_problem(node, key, "string")
    return node.raw, [problem] if problem else []


def import_one(path: Path, args, data: Path, out: Path) -> tuple[int, str, str]:
    """(exit code, report, error lines) of one attachment, its written files copied to OUT/data; any failure,
    an unexpected exception included, is this attachment's own."""
    shown = display_path(path)
    side = sidecar(path)
    if side is None:
        return 1, "", Problem.make(shown, 1, "-", "import-sidecar", detail=f"缺少说明文件 {path.name}.yaml / no sidecar "
                                       f"{path.name}.yaml").format() + "\n"
    settings, problems = read_sidecar(side)
    if problems:
        return 1, "", "".join(p.format() + "\n" for p in problems)
    if wrong := unknown(settings, data, Path(args.schemas)):  # defaults naming fields the dataset lacks
        return 1, "", "".join(Problem.make(display_path(side), 1, "defaults", "import-sidecar", detail=w).format() + "\n"
                              for w in wrong)
    # defaults (importer/defaults.py): the columns the list does not print; a printed cell wins
    given = {**defaults(settings), **{k: settings[k] for k in LIST_KEYS if settings.get(k) is not None}}
    request = Request(path, settings["dataset"], settings.get("year"), given,
                      [str(m) for m in settings.get("map") or []], settings.get("sheet"),
                      data=data, schemas=Path(args.schemas), shown=shown,
                      confirm_back=bool(settings.get("confirm_move_back")), only_home=bool(settings.get("only_jiaxing")),
                      unit=settings.get("unit"))
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            code, report, written = run(request)
            for file in written:
                target = safefs.within(out / "data", Path(file).resolve().relative_to(data.resolve()).as_posix())
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
    except Exception as exc:  # noqa: BLE001 — one attachment's failure must not stop the others or the summary
        return 1, "", captured.getvalue() + unexpected(shown, exc)
    return code, report, captured.getvalue()


def unexpected(shown: str, exc: Exception) -> str:
    detail = safefs.shown(f"{type(exc).__name__}: {exc}"[:500])
    return Problem.make(shown, 1, "-", "import-unexpected", detail=detail).format() + "\n"


def failure_report(shown: str, errors: str) -> str:
    """An attachment that could not be imported: its name and every message, each one line in a code span."""
    lines = [line for line in errors.splitlines() if line.strip()]
    return f"# 导入失败 / Import failed: {code_span(shown)}\n\n" + "".join(f"- {code_span(line)}\n" for line in lines)


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
        try:
            code, report, errors = import_one(path, args, data, out)
        except Exception as exc:  # noqa: BLE001 — e.g. an unreadable sidecar: this attachment's failure only
            code, report, errors = 1, "", unexpected(shown, exc)
        failures += code != 0
        if errors:
            sys.stderr.write(errors)
            report = report or failure_report(shown, errors)
        print(report, end="")
        safefs.child(out, f"{path.name}.md").write_text(report, encoding="utf-8")
        ok = out / f"{path.name}.ok"  # inbox-commit commits only attachments imported without a problem
        ok.unlink(missing_ok=True)
        if code == 0:
            ok.write_text("ok\n", encoding="utf-8")
        sections.append(report)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as fh:
            fh.write("\n".join(sections))
    status = "✓" if not failures else "✗"
    print(f"{status} 导入 {len(files)} 个附件，{failures} 个需要处理；报告与转换结果在 {display_path(out)} | "
          f"imported {len(files)} attachments, {failures} need attention; reports and converted files in {display_path(out)}")
    return 1 if failures else 0
