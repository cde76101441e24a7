"""Search benchmark: ms to first results and bytes transferred per query, real search.js in headless Chromium.

Serves a built site (the full site from `python -m scripts build`, or — given a data tree — a minimal site with the
real search.js and index) on 127.0.0.1 with a threaded http.server that counts every byte it sends, opens the search
page once per query (cold: the server sends `Cache-Control: no-store`, so nothing is reused between queries), types
the query as one input event and waits until the results are rendered. Time includes the 120 ms typing debounce.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..load.loader import load_catalog
from ..search.site import write_minimal_site

HELP = "搜索性能测量 / measure search latency and bytes per query in headless Chromium"
DESCRIPTION = """在无头 Chromium 中对固定查询测量：输入后到出现首批结果的毫秒数、每次查询传输的字节数，输出中位数与最大值。
Measure, in headless Chromium on localhost, ms from typing to first results and bytes transferred per query;
prints one line per query, then median and max. Give a built site (--site) or a data tree (--data: a minimal
site with the real search.js and index is written to a temporary folder)."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
QUERIES = ["传感器", "嘉兴", "P-2025-0", "示例", "智能", "有限公司", "P-2026-00123", "330402", "数控机床", "精密柔性",
           "禾城", "伺服电机科技", "a", "器", "不存在的词语", "<script>", "南湖区", "sensing"]

_MEASURE_JS = """async (q) => {
  const form = document.querySelector('form.srch-search[data-srch-mode=page]');
  const input = form.querySelector('input[name=q]');
  const done = new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (form.getAttribute('data-srch-done') === '1') { obs.disconnect(); resolve(performance.now()); }
    });
    obs.observe(form, {attributes: true, attributeFilter: ['data-srch-done']});
  });
  input.focus();
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  const t1 = await done;
  return {ms: t1 - t0, shown: form.querySelectorAll('li.srch-result').length,
          status: form.querySelector('.srch-status').textContent};
}"""


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    counter: dict = {}

    def log_message(self, format, *args):  # noqa: A002
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_request(self, code="-", size="-"):
        path = self.translate_path(self.path)
        if str(code) == "200" and os.path.isfile(path):
            self.counter["bytes"] = self.counter.get("bytes", 0) + os.path.getsize(path)
            self.counter["requests"] = self.counter.get("requests", 0) + 1


def serve(directory: Path):
    counter: dict = {}
    handler = type("Handler", (_CountingHandler,), {"counter": counter})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}", counter


def search_page_path(site: Path) -> str:
    page = site / "search" / "index.html"
    if page.is_file() and "data-srch-mode=\"page\"" in page.read_text(encoding="utf-8"):
        return "/search/"
    raise SystemExit(f"{page}: no search page with the search form")


def measure(site: Path, queries: list[str] = QUERIES, progress=None, browser=None) -> list[dict]:
    """One cold measurement per query: [{query, ms, bytes, requests, shown, status}]. Pass a Playwright `browser`
    to reuse one (tests); otherwise Chromium is launched here."""
    path = search_page_path(site)
    server, url, counter = serve(site)
    try:
        if browser is not None:
            return _measure(browser, url + path, counter, queries, progress)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                return _measure(own, url + path, counter, queries, progress)
            finally:
                own.close()
    finally:
        server.shutdown()
        server.server_close()


def _measure(browser, page_url: str, counter: dict, queries: list[str], progress) -> list[dict]:
    rows = []
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        for i, q in enumerate(queries):
            page.goto(page_url)
            page.wait_for_function("window.SanxinSearch !== undefined")
            page.wait_for_load_state("networkidle")
            counter.clear()
            got = page.evaluate(_MEASURE_JS, q)
            page.wait_for_load_state("networkidle")
            rows.append({"query": q, "ms": got["ms"], "bytes": counter.get("bytes", 0),
                         "requests": counter.get("requests", 0), "shown": got["shown"], "status": got["status"]})
            if progress:
                progress(i + 1, len(queries), rows[-1])
    finally:
        context.close()
    return rows


def summarize(rows: list[dict]) -> dict:
    ms = [r["ms"] for r in rows]
    kb = [r["bytes"] / 1024 for r in rows]
    return {"median_ms": statistics.median(ms), "max_ms": max(ms), "median_kb": statistics.median(kb),
            "max_kb": max(kb), "queries": len(rows)}


def bench_report(scale_dir: Path) -> list[tuple[str, str]]:
    """REPORT for `make bench`: measure the full site at {work}/out/site if a build stage made one, else the
    minimal site the `search-index` stage wrote to {work}/search-site (or write one now)."""
    candidates = (scale_dir / "out" / "site", scale_dir / "out", scale_dir / "search-site")
    site = next((c for c in candidates if (c / "search" / "index.html").is_file()), None)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        if site is None:
            site, index = _minimal(scale_dir / "data", Path(tmp) / "site")
            lines.append(("search index", _index_line(index)))
        s = summarize(measure(site))
    lines.append(("search ms", f"median {s['median_ms']:.0f}, max {s['max_ms']:.0f} (typing to first results, "
                  f"{s['queries']} queries, incl. 120 ms debounce; {site.relative_to(scale_dir) if site.is_relative_to(scale_dir) else 'tmp'})"))
    lines.append(("search KB", f"median {s['median_kb']:.0f}, max {s['max_kb']:.0f} (transferred per query, cold)"))
    return lines


def _index_line(index: dict) -> str:
    return (f"{index['docs']:,} docs, {index['keys']:,} keys, {index['shards']} shards "
            f"(max {index['max_shard_bytes'] / 1024:.1f} KB), {index['external_lists']} big lists "
            f"(max {index['max_list_bytes'] / 1024:.1f} KB), {index['chunks']} doc chunks "
            f"(max {index['max_chunk_bytes'] / 1024:.1f} KB), {index['total_bytes'] / 1e6:.1f} MB total, "
            f"written in {index['seconds']:.1f} s")


def _minimal(data: Path, out: Path) -> tuple[Path, dict]:
    catalog, _problems = load_catalog(data)
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    index = write_minimal_site(catalog, out)
    index["seconds"] = time.perf_counter() - started
    return out, index


def add_arguments(parser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--site", type=Path, help="已生成的站点目录 / a built site folder (with search/index.html)")
    group.add_argument("--data", type=Path, help="数据目录：写最小站点后测量 / a data tree: write a minimal site, measure")
    parser.add_argument("--out", type=Path, help="最小站点写到这里（默认临时目录）/ with --data: write the minimal site "
                        "here (default: a temporary folder)")
    parser.add_argument("--index-only", action="store_true",
                        help="只写索引并输出其规模，不测浏览器 / with --data: write the index, print its figures, no browser")
    parser.add_argument("-q", "--query", action="append", help="查询（可重复）/ query (repeatable; default a fixed list)")


def main(args) -> int:
    queries = args.query or QUERIES
    if args.index_only and not args.data:
        raise SystemExit("--index-only needs --data")
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if args.data:
            print(f"… 写入最小站点和索引 / writing a minimal site and index from {args.data}", file=sys.stderr, flush=True)
            site, index = _minimal(args.data, args.out or Path(tmp) / "site")
            print("index: " + _index_line(index), flush=True)
            if args.index_only:
                print(f"✓ 搜索索引 / search index written to {site}")
                return 0

        def progress(i, n, row):
            print(f"[{i}/{n}] {row['query']!r:<18} {row['ms']:7.0f} ms {row['bytes'] / 1024:8.1f} KB "
                  f"{row['requests']:3d} requests  {row['shown']:3d} shown  {row['status']}", flush=True)

        rows = measure(Path(site), queries, progress)
    s = summarize(rows)
    print(f"✓ 搜索基准 / search bench: {s['queries']} queries, first results median {s['median_ms']:.0f} ms "
          f"(max {s['max_ms']:.0f}), transferred median {s['median_kb']:.0f} KB (max {s['max_kb']:.0f})")
    return 0
