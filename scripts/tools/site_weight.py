"""The built site's weight for `make bench`: page count, total size, the largest HTML page and the home page with
the CSS, scripts and icons it loads (raw and gzipped)."""

from __future__ import annotations

import gzip
from pathlib import Path


def site_weight(site: Path) -> dict:
    """Page count, total size, largest HTML page and the home page's weight (HTML + the CSS/JS/icons it loads)."""
    from bs4 import BeautifulSoup

    html = sorted(site.rglob("*.html"))
    largest = max(html, key=lambda p: p.stat().st_size) if html else None
    home = site / "index.html"
    files = [home]
    if home.exists():
        soup = BeautifulSoup(home.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["link", "script", "img"]):
            url = tag.get("src") or (tag.get("href") if tag.name == "link" and
                                     set(tag.get("rel") or []) & {"stylesheet", "icon", "preload"} else None)
            if isinstance(url, str) and url and "://" not in url and not url.startswith("//"):
                path = (site / url.split("#")[0].split("?")[0]).resolve()
                if path.is_file() and path not in files:
                    files.append(path)
    raw = sum(p.stat().st_size for p in files if p.exists())
    gz = sum(len(gzip.compress(p.read_bytes(), mtime=0)) for p in files if p.exists())
    return {"pages": len(html), "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6,
            "largest_kb": largest.stat().st_size / 1024 if largest else 0,
            "largest": largest.relative_to(site).as_posix() if largest else "",
            "home_kb": raw / 1024, "home_gz_kb": gz / 1024, "home_files": len(files)}


def bench_report(work_dir: Path) -> list[tuple[str, str]]:
    """Lines for `make bench` after the build stage: page count, site size, largest page, home page weight."""
    site = Path(work_dir) / "out" / "site"
    if not (site / "index.html").exists():
        return [("site", "not built")]
    w = site_weight(site)
    return [("site pages", f"{w['pages']:,} HTML pages, {w['site_mb']:.1f} MB in total"),
            ("largest page", f"{w['largest_kb']:.1f} KB ({w['largest']}; limit 150 KB)"),
            ("home page", f"{w['home_kb']:.1f} KB in {w['home_files']} files, {w['home_gz_kb']:.1f} KB gzipped (limit 500 KB)")]
