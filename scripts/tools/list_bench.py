"""Bench report for the list pages (`make bench`): the weight of the largest year's list page and of the all-years
list (HTML + the data files list.js fetches, gzipped as a web server sends them), and in Chromium with the CPU
slowed 4× (a modest phone): load to first drawn rows, one filtering pass after typing, a sort. Measured, never
asserted."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from .search_bench import CHROMIUM, CHROMIUM_ARGS, serve

SLOWDOWN = 4

_TYPE_JS = """async (text) => {
  const box = document.querySelector('.sx-list'), q = document.getElementById('sx-q');
  const before = box.getAttribute('data-renders');
  const drawn = new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (box.getAttribute('data-renders') !== before) { obs.disconnect(); resolve(performance.now()); }
    });
    obs.observe(box, {attributes: true, attributeFilter: ['data-renders']});
  });
  let last = 0;
  for (const ch of text) { q.value += ch; q.dispatchEvent(new Event('input', {bubbles: true})); last = performance.now(); }
  const at = await drawn;
  return [at - last, Number(box.getAttribute('data-update-ms'))];  // wall time incl. the 200 ms wait; the pass itself
}"""

_SORT_JS = """() => {
  document.querySelector('.sx-list-table th[data-field]:nth-child(2) button').click();  // update() runs synchronously
  return Number(document.querySelector('.sx-list').getAttribute('data-update-ms'));
}"""


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), mtime=0)) if path.is_file() else 0


def list_pages(site: Path) -> list[dict]:
    """Every list page with its HTML and data files: [{url, html, data: [paths]}], data files from data-list-src."""
    out = []
    for html in sorted(site.glob("*/*/index.html")):
        text = html.read_text(encoding="utf-8")
        marker = 'data-list-src="'
        if marker not in text:
            continue
        srcs = text.split(marker, 1)[1].split('"', 1)[0].split()
        files = [(html.parent / s).resolve() for s in srcs]
        out.append({"url": "/" + html.parent.relative_to(site).as_posix() + "/", "html": html, "data": files})
    return out


def weights(site: Path) -> list[dict]:
    rows = []
    for p in list_pages(site):
        data_gz = sum(gz(f) for f in p["data"])
        rows.append({"url": p["url"], "html_gz": gz(p["html"]), "data_gz": data_gz, "rows": sum(
            len(json.loads(f.read_text(encoding="utf-8"))["rows"]) for f in p["data"]), "files": len(p["data"])})
    return rows


def timings(site: Path, url: str) -> dict:
    from playwright.sync_api import sync_playwright
    server, base, _counter = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
            page.goto(base + url, wait_until="commit")
            page.wait_for_selector(".sx-list[data-ready='1']", timeout=120000)
            ready = page.evaluate("performance.now()")
            typed = page.evaluate(_TYPE_JS, "示例")
            sort = page.evaluate(_SORT_JS)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"ready": ready, "filter": typed, "sort": sort}


def bench_report(scale_dir: Path) -> list[tuple[str, str]]:
    site = scale_dir / "out" / "site"
    if not (site / "index.html").is_file():
        return [("list pages", "site not built")]
    rows = weights(site)
    years = [r for r in rows if r["files"] == 1 and not r["url"].startswith("/companies")]
    every = [r for r in rows if r["files"] > 1]
    big = max(years, key=lambda r: r["html_gz"] + r["data_gz"])
    lines = [("list weight", f"{big['url']}: {(big['html_gz'] + big['data_gz']) / 1024:.0f} KB gzipped "
                             f"(HTML {big['html_gz'] / 1024:.0f} + data {big['data_gz'] / 1024:.0f}; {big['rows']:,} rows; "
                             f"limit 200 KB)")]
    if every:
        top = max(every, key=lambda r: r["html_gz"] + r["data_gz"])
        lines.append(("list all", f"{top['url']}: {(top['html_gz'] + top['data_gz']) / 1024:.0f} KB gzipped in "
                                  f"{top['files']} data files ({top['rows']:,} rows)"))
    t = timings(site, big["url"])
    wall, work = t["filter"]
    lines.append(("list ms", f"{big['url']} at {SLOWDOWN}× slower CPU: rows drawn {t['ready']:.0f} ms after navigation; "
                             f"typing to redrawn rows {wall:.0f} ms (200 ms of it the debounce), the filter pass "
                             f"{work:.0f} ms; a pinyin sort {t['sort']:.0f} ms"))
    return lines

