"""Benchmark: wall time and peak memory of each stage on the scale fixtures (1x = the 2027 shape, 10x).

Performance is measured here, never asserted in a timed test. Each stage runs as its own process so its peak
memory (max RSS) is its own. Stages and size reports are plain lists that later stages extend.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from ..importer.bench import bench_report as import_bench_report
from ..measure import measure
from ..packages import bench_report
from ..release.diff import bench_report as diff_bench_report
from ..site.precompress import bench_report as gzip_bench_report
from .fixture import generate
from .list_bench import bench_report as list_bench_report
from .search_bench import bench_report as search_bench_report
from .site_weight import bench_report as site_bench_report

HELP = "性能基准 / print benchmark figures for the scale fixtures"
DESCRIPTION = """在 1×（2027 年规模：12,000 条产品）与 10×（120,000 条）合成数据上测量各阶段耗时与峰值内存。
Measure wall time and peak memory of each stage at 1x (12,000 products) and 10x (120,000)."""

# (label, argv after `python -m scripts`); {data} is the fixture's data dir, {work} the scale's work dir
STAGES: list[tuple[str, list[str]]] = [
    ("validate", ["validate", "{data}", "-q"]),
    ("packages", ["packages", "--data", "{data}", "--out", "{work}/packages", "--no-validate", "-q"]),
    ("new", ["new", "product", "--year", "2027", "--data", "{data}", "--dry-run"]),
    ("search-index", ["search-bench", "--data", "{data}", "--index-only", "--out", "{work}/search-site"]),
    ("build", ["build", "--data", "{data}", "--out", "{work}/out", "-q"]),  # full site: validate+pages+search+packages
    # the yardstick: naive MkDocs Material + lunr on 12,000 record pages (scripts/tools/mkdocs_peer.py), first scale only
    ("mkdocs-peer", ["mkdocs-peer", "--data", "{data}", "--out", "{work}/peer"]),
]
# output folders set aside before a stage is timed (renamed into TRASH, removed when the benchmark ends): deleting
# the previous site's ~45,000 files (430,000 at 10x) is not building one, and on a journal-less ext4 (this machine's
# disk) every file created in the minutes after a mass delete is slower: the kernel's inode allocator skips the
# recently deleted inodes one by one (perf: ext4 `recently_deleted` took 60 % of a build's CPU after one)
FRESH = {"build": "{work}/out", "mkdocs-peer": "{work}/peer", "search-index": "{work}/search-site",
         "packages": "{work}/packages"}
TRASH = ".trash"
ONCE = {"mkdocs-peer"}  # stages whose work does not grow with the scale: run at the first scale only
GOAL_RATIO = 0.5  # issue 11: the full build in at most half the peer's time, measured in the same run
# functions (work_dir) -> list of (label, value) lines printed after the stages of a scale
REPORTS: list = []
REPORTS.append(bench_report)  # downloads: file count and sizes
REPORTS.append(diff_bench_report)  # diff: record-level review summary on a scratch git repo
REPORTS.append(search_bench_report)  # search: ms to first results and KB per query in Chromium
REPORTS.append(site_bench_report)  # site: pages, largest HTML page, home page weight, total MB
REPORTS.append(import_bench_report)  # import: a 300-row official .xlsx in one command, then a second list
REPORTS.append(gzip_bench_report)  # .gz copies for gzip_static: count, sizes, time
REPORTS.append(list_bench_report)  # list pages: weight of the largest year and of all years, filter/sort ms


def add_arguments(parser) -> None:
    parser.add_argument("--scales", default="1,10", help="规模倍数，逗号分隔 / comma-separated scale factors (default 1,10)")
    parser.add_argument("--work", default="build/bench", help="工作目录 / working directory (default build/bench)")
    parser.add_argument("--only", action="append", metavar="STAGE", help="只运行这些阶段 / run only these stages")
    parser.add_argument("--no-reports", dest="reports", action="store_false",
                        help="不运行阶段后的报告（搜索、导入、站点大小）/ skip the reports after the stages (search, import, sizes)")


def set_aside(path: Path, trash: Path) -> None:
    """Move `path` (if there) into `trash` with one rename; the benchmark removes the trash after its last stage."""
    if path.exists():
        trash.mkdir(parents=True, exist_ok=True)
        n = 0
        while (trash / f"{n}-{path.name}").exists():
            n += 1
        path.rename(trash / f"{n}-{path.name}")


def main(args) -> int:
    scales = [float(s) for s in args.scales.split(",")]
    work = Path(args.work).resolve()
    failures = 0
    results: list[tuple[float, str, float, float]] = []
    failed: set[str] = set()
    print(f"{'scale':>6} {'products':>9} {'stage':<12} {'seconds':>8} {'peak MiB':>9} {'CPU s':>7}")
    for scale in scales:
        scale_dir = work / f"x{scale:g}"
        products = int(12000 * scale)
        print(f"… 生成 {scale:g}× 数据 / generating {scale:g}x fixture", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        generate(scale_dir, products)
        print(f"{scale:>5g}× {products:>9,} {'fixture':<12} {time.perf_counter() - t0:>8.2f} {'-':>9}", flush=True)
        for label, argv in STAGES:
            if (args.only and label not in args.only) or (label in ONCE and scale != scales[0]):
                continue
            argv = [a.format(data=scale_dir / "data", work=scale_dir) for a in argv]
            if label in FRESH:
                set_aside(Path(FRESH[label].format(work=scale_dir)), work / TRASH)
            seconds, cpu, peak, code = measure(argv)
            failures += code != 0
            if code != 0:
                failed.add(label)  # no ratio from a stage that did not finish
            results.append((scale, label, seconds, peak))
            flag = "" if code == 0 else f"  ✗ exit {code}"
            print(f"{scale:>5g}× {products:>9,} {label:<12} {seconds:>8.2f} {peak:>9.0f} {cpu:>7.1f}{flag}", flush=True)
        times = {lb: s for sc, lb, s, _p in results if sc == scale and lb not in failed}
        if "build" in times and "mkdocs-peer" in times:
            ratio = times["build"] / times["mkdocs-peer"]
            mark = "✓" if ratio <= GOAL_RATIO else "✗"
            print(f"{scale:>5g}× {products:>9,} {'peer ratio':<12} build {times['build']:.1f} s / naive MkDocs "
                  f"{times['mkdocs-peer']:.1f} s = {ratio:.2f} {mark} (goal ≤ {GOAL_RATIO})", flush=True)
        print(f"{scale:>5g}× {products:>9,} {'load':<12} {' '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min:"
              f" other work on the machine inflates the wall times, not the CPU times)", flush=True)
        for report in REPORTS if args.reports else []:
            for label, value in report(scale_dir):
                print(f"{scale:>5g}× {products:>9,} {label:<12} {value}", flush=True)
    if len(scales) > 1:
        base = scales[0]
        for scale, label, seconds, _peak in results:
            if scale != base and label not in ONCE:
                ref = next(s for sc, lb, s, _p in results if sc == base and lb == label)
                print(f"growth {label}: {seconds / ref:.1f}× time for {scale / base:g}× data")
    if (work / TRASH).exists():
        print("… 删除旧输出 / removing the outputs set aside", file=sys.stderr, flush=True)
        shutil.rmtree(work / TRASH, ignore_errors=True)
    status = "✓" if not failures else "✗"
    print(f"{status} 基准完成 / benchmark done: {len(results)} runs, {failures} failed")
    return 1 if failures else 0
