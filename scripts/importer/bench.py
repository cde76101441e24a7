"""The import benchmark: a 300-row official-layout attachment imported in one command, then a second list naming
the same companies, which needs no manual lookup once the first import filled the companies registry.

Printed by `make bench` (scripts/tools/bench.py REPORTS) into a copy of the shipped data tree; measured, never asserted.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..paths import DATA, REPO


def official_list_xlsx(path: Path, rows: int = 300, companies: int = 120,
                       title: str = "2023年度浙江省首台（套）装备认定名单（示例）", start: int = 0) -> Path:
    """A long 首台(套) attachment in the official layout (title row, 序号|产品名称|企业名称|类别|档次|地区, tiers as
    group rows): `rows` products over `companies` fictional companies; the import benchmark's input."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append([title])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "产品名称", "企业名称", "类别", "档次", "地区"])
    districts = ["南湖区", "秀洲区", "嘉善县", "海盐县", "海宁市", "平湖市", "桐乡市", "嘉兴港区", "经开区", "杭州市"]
    tiers = [("一、国际首台（套）", "国际"), ("二、国内首台（套）", "国内"), ("三、省内首台（套）", "省内")]
    per = [rows // 10, rows * 3 // 10, rows - rows // 10 - rows * 3 // 10]
    n = 0
    for (group, tier), count in zip(tiers, per):
        ws.append([group])
        ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
        for _ in range(count):
            n += 1
            c = (n * 7) % companies
            ws.append([n, f"示例装备产品{start + n:04d}型", f"示例第{c + 1:03d}装备制造有限公司", "整机装备",
                       f"{tier}首台（套）", districts[c % len(districts)]])
    book.save(path)
    return path


ROWS = 300
_DONE: list[tuple[str, str]] = []  # the figures do not depend on the fixture scale: measured once per bench run


def _import(work: Path, source: Path, year: int) -> tuple[float, str, int]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "scripts", "import", str(source), "--dataset", "recognitions",
                           "--year", str(year), "--stage", "认定", "--source-url", "https://example.org/notice/bench",
                           "--data", str(work / "data")], capture_output=True, text=True, cwd=REPO)
    return time.perf_counter() - started, proc.stdout, proc.returncode


def missing_companies(report: str) -> int:
    found = re.search(r"Companies not in the registry \((\d+)\)", report)
    return int(found.group(1)) if found else 0


def bench_report(scale_dir: Path) -> list[tuple[str, str]]:
    if _DONE:
        return []
    work = Path(scale_dir).parent / "import"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(DATA, work / "data")
    first = official_list_xlsx(work / "list-2023.xlsx", ROWS)
    seconds, report, code = _import(work, first, 2023)
    rows = len(list(csv.reader(io.StringIO((work / "data/recognitions/2023.csv").read_text(encoding="utf-8"))))) - 1
    second = official_list_xlsx(work / "list-2024.xlsx", ROWS, title="2024年度浙江省首台（套）装备认定名单（示例）", start=ROWS)
    seconds2, report2, code2 = _import(work, second, 2024)
    _DONE.extend([
        ("import", f"{ROWS}-row .xlsx → recognitions: {seconds:.2f} s, {rows} rows, exit {code}, "
                   f"{missing_companies(report)} new companies appended to the registry"),
        ("import-2nd", f"second {ROWS}-row list, same companies: {seconds2:.2f} s, exit {code2}, "
                       f"{missing_companies(report2)} companies to look up"),
    ])
    return list(_DONE)
