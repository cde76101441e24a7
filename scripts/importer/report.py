"""The review report of one import, as Markdown: Chinese first, English after, on every line.

What a reviewer needs and nothing else: what was read and how, rows imported / updated / skipped (with the source
row number and why), companies not in the registry (ready to paste into companies.csv), what was interpreted or
guessed, and what the real validator still says about the written files.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath

from ..model.catalog import Problem
from ..site.render import code_block
from ..site.render import code_span as c
from .convert import Notes
from .header import Mapping, Skipped
from .merge import Outcome


@dataclass
class Facts:
    source: str
    reader: str
    dataset: str
    title: str
    year: str
    mapping: Mapping
    constants: dict
    read_notes: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # (line, text, {field: value}, guessed)
    written: list[str] = field(default_factory=list)
    dry_run: bool = False
    companies_path: str = "data/registry/companies/companies.csv"
    companies_columns: list[str] = field(default_factory=list)


def _lines_text(lines: list[int], limit: int = 8) -> str:
    shown = "、".join(map(str, lines[:limit]))
    return shown + ("…" if len(lines) > limit else "")


def companies_csv(notes: Notes, columns: list[str], source: str) -> str:
    """The missing companies as rows of companies.csv (codes empty until someone looks them up).

    The note names the attachment by its file name only: a folder on the clerk's machine is no public data."""
    source = PurePath(source).name
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for name, info in notes.missing_companies.items():
        row = {"name": name, "credit_code": info.get("code") or "", "district": info.get("district") or "",
               "city": info.get("city") or "", "province": info.get("province") or "", "note": f"{source} 第 {_lines_text(info['lines'])} 行"}
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def render(facts: Facts, notes: Notes, outcome: Outcome, skipped: list[Skipped], problems: list[Problem],
           other_problems: int, companies_added: bool = False, written: bool = True) -> str:
    m = facts.mapping
    errors = [p for p in problems if p.severity == "error"]
    flags = [p for p in problems if p.severity != "error"]
    out = [f"# 导入报告 / Import report: {c(facts.source)}", ""]
    out.append(f"- 数据集 / dataset: {c(facts.title)}（{c(facts.dataset)}），年度 / year {c(facts.year)}")
    out.append(f"- 读取方式 / read as: {c(facts.reader)}" +
               "".join(f"；{c(zh)} / {c(en)}" for zh, en in facts.read_notes))
    placed = "，".join(f"{c(label)}→{c(col) if col else '（忽略 / ignored）'}" for label, col in zip(m.labels, m.columns))
    out.append(f"- 表头 / header: 第 {m.header_line} 行 / row {m.header_line}: {placed}")
    if m.title_lines:
        out.append(f"- 标题行 / title rows: {' / '.join(map(c, m.title_lines))}")
    if facts.constants:
        shown = "，".join(f"{c(k)} = {c(v)}" for k, v in facts.constants.items())
        out.append(f"- 整表取值 / list-level values: {shown}")
    for column, count in sorted(m.unnamed.items()):
        out.append(f"- ⚠ 第 {column} 列没有表头，其中 {count} 个单元格有内容，已忽略（如需导入，在附件的表头补上列名）/ column "
                   f"{column} has no header and {count} cells with text: ignored (name it in the header to import it)")
    if facts.groups:
        shown = "；".join(f"第 {line} 行 {c(text)} → " + "，".join(f"{c(k)} = {c(v)}" for k, v in found.items())
                         for line, text, found, _g in facts.groups)
        out.append(f"- 分组行 / group rows: {shown}")
    out += ["", "## 结果 / Result", "",
            "| 新增 / new | 更新 / updated | 未变 / unchanged | 跳过 / skipped | 仍需处理 / to fix |",
            "|---:|---:|---:|---:|---:|",
            f"| {len(outcome.new)} | {len(outcome.updated)} | {len(outcome.unchanged)} | {len(skipped)} | "
            f"{len({(p.path, p.line, p.field) for p in errors})} |", ""]
    verb = ("将写入（试运行，未写任何文件） / would write (dry run, nothing written)" if facts.dry_run else "已写入 / written"
            if written else "没有写入（先处理下面的错误，数据目录未改动） / not written (fix the errors below first; data/ unchanged)")
    if facts.written:
        out.append(f"{verb}: " + "、".join(map(c, facts.written)))
    else:
        out.append("没有需要写入的改动 / nothing to write")
    if outcome.new:
        last = f" … {c(outcome.new[-1][1])}" if len(outcome.new) > 1 else ""
        out.append(f"- 新增编号 / new ids: {c(outcome.new[0][1])}{last}")
    for line, rid, changes in outcome.updated:
        shown = "，".join(f"{c(name)}: {c(old)} → {c(new)}" for name, old, new in changes)
        out.append(f"- 更新 / updated {c(rid)}（第 {line} 行 / row {line}）: {shown}")
    if outcome.stage_changes:
        moves = sum(1 for _rid, old, _new, _v in outcome.stage_changes if old)
        out.append(f"- 阶段变更记录 / stage changes recorded: {len(outcome.stage_changes)}（其中阶段改变 {moves} 条 / "
                   f"{moves} of them moves）")
    if outcome.missing:
        out += ["", f"## 在较早的名单上、却不在这份名单上 / On the earlier list but missing from this one "
                    f"({len(outcome.missing)})", "",
                "这些记录仍停在较早的阶段，本次没有改动。请核对：是否被撤销、在以后的批次中，或名单印错。",
                "These records stay at their earlier stage; nothing was changed. Check whether they were withdrawn, "
                "are in a later batch, or the list has a typo.", ""]
        out += [f"- {c(rid)}（{c(stage)}）{c(title)}" for rid, stage, title in outcome.missing]
    if skipped:
        out += ["", f"## 跳过的行 / Skipped rows ({len(skipped)})", ""]
        for s in sorted(skipped, key=lambda s: s.line):
            text = f"：{c(s.text)}" if s.text else ""
            out.append(f"- 第 {s.line} 行 / row {s.line}: {s.zh} | {s.en}{text}")
    if notes.missing_companies:
        count = len(notes.missing_companies)
        out += ["", f"## 企业库中没有的企业 / Companies not in the registry ({count})", ""]
        if companies_added:
            out += [f"已追加到 {c(facts.companies_path)}（名称按名单原样，代码和地区空着的请在知道时补上）；下次导入同一企业就不必再查。",
                    f"Appended to {c(facts.companies_path)} (names as printed; add the credit code and district where "
                    "empty once known); the next list naming these companies needs no lookup."]
        else:
            out += [f"把下面几行粘贴到 {c(facts.companies_path)} 末尾，知道时补上统一社会信用代码和地区；下次导入同一企业就不必再查。",
                    f"Paste these rows at the end of {c(facts.companies_path)}, add the credit code and district when "
                    "known; the next list naming these companies needs no lookup."]
        out += ["", code_block(companies_csv(notes, facts.companies_columns, facts.source).rstrip("\n"), "csv")]
    resolved = sum(notes.resolved_companies.values())
    if resolved or notes.filled:
        filled = "，".join(f"{k} {v}" for k, v in notes.filled.items()) or "0"  # schema field names
        out += ["", f"企业库识别 / found in the companies registry: {resolved} 行 / rows"
                f"（{'，'.join(f'{k} {v}' for k, v in notes.resolved_companies.items())}）；"  # exact, alias …
                f"从企业库补全（附件没有的列、必填的空格）/ filled from the registry (columns the attachment lacks, required "
                f"empty cells): {filled}"]
    if notes.converted:
        out += ["", "## 金额换算 / Amounts converted", ""]
        for (name, unit, target), (count, raw, converted) in sorted(notes.converted.items()):
            out.append(f"- {c(name)}: {unit} → {target}（{count} 行 / rows），如 / e.g. {c(raw)} {unit} → {converted}")
    if notes.interpreted or notes.guessed:
        out += ["", "## 解读与推测的值 / Values interpreted or guessed", ""]
        for (name, printed, written), count in sorted(notes.interpreted.items()):
            out.append(f"- {c(name)}: {c(printed)} → {c(written)}（{count} 行 / rows）")
        for at, name, value, zh, en in notes.guessed:
            where = f"第 {at} 行 / row {at} " if at else ""
            out.append(f"- 推测 / guessed {where}{c(name)} = {c(value)}：{zh} | {en}；请核对 / please check")
    out += ["", "## 校验 / Validation", ""]
    if not errors:
        out.append("✓ 导入结果通过校验，0 个错误 / the result validates: 0 errors")
    else:
        cells = len({(p.path, p.line, p.field) for p in errors})
        out.append(f"✗ 还有 {cells} 个单元格需要人工处理（{len(errors)} 个问题）/ {cells} cells still need a person "
                   f"({len(errors)} problems):")
        out += ["", code_block("\n".join(p.format() for p in errors))]
    if flags:
        out += ["", f"提示（不算错误）/ flags (not errors): {len(flags)}", "", code_block("\n".join(p.format() for p in flags))]
    if other_problems:
        out.append(f"\n（数据目录中其他文件原有 {other_problems} 个问题，与本次导入无关 / {other_problems} problems "
                   "elsewhere in the data tree predate this import）")
    return "\n".join(out) + "\n"
