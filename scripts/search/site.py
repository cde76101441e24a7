"""A two-page search site (home + /search/) with the real search.js, CSS and index, for the browser tests and the
search benchmark when the full site build is not needed; and the search form the site's pages carry."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..model.catalog import Catalog
from ..paths import SITE_SRC
from .index import write_search_index

SEARCH_JS = SITE_SRC / "assets" / "javascripts" / "search.js"
SEARCH_CSS = SITE_SRC / "assets" / "stylesheets" / "search.css"
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="{rel}assets/stylesheets/search.css"></head>
<body><header class="srch-header">{box}</header><main>{main}</main>
<script type="module" src="{rel}assets/javascripts/search.js"></script></body></html>
"""


def search_box_html(action: str, mode: str = "header") -> str:
    """The search form (header drop-down or full page) that search.js enhances; plain GET to /search/?q= without
    JavaScript."""
    if mode == "page":
        return ('<form class="srch-search srch-page" role="search" aria-label="搜索全部记录 / Search all records" action="{a}" method="get" data-srch-mode="page">'
                '<label for="srch-page-q">搜索记录、企业、编号或信用代码 / Search records, companies, ids or credit codes'
                '</label><input id="srch-page-q" name="q" type="search" autocomplete="off" spellcheck="false" '
                'placeholder="例如 传感器、嘉兴、P-2025-0" aria-controls="srch-page-results">'
                '<label for="srch-page-type" class="srch-visually-hidden">类型 / Type</label><select id="srch-page-type" name="type">'
                '<option value="">全部 / All</option></select>'
                '<button type="submit">搜索 / Search</button>'
                '<p class="srch-status" role="status" aria-live="polite"></p>'
                '<ol id="srch-page-results" class="srch-results"></ol></form>').format(a=action)
    return ('<form class="srch-search srch-header-box" role="search" aria-label="站点搜索 / Site search" action="{a}" method="get" data-srch-mode="header">'
            '<label for="srch-q" class="srch-visually-hidden">搜索 / Search</label>'
            '<input id="srch-q" name="q" type="search" autocomplete="off" spellcheck="false" '
            'placeholder="搜索 / Search" aria-controls="srch-results">'
            '<p class="srch-status srch-visually-hidden" role="status" aria-live="polite"></p>'
            '<ol id="srch-results" class="srch-results" hidden></ol></form>').format(a=action)


def write_minimal_site(catalog: Catalog, out: Path, **index_options) -> dict:
    """A two-page site (home + /search/) with the real search.js, CSS and index: the browser tests and the
    benchmark use it when the full site build is not available."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = write_search_index(catalog, out, **index_options)
    for src, rel in ((SEARCH_JS, "assets/javascripts/search.js"), (SEARCH_CSS, "assets/stylesheets/search.css")):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out / rel)
    shutil.copytree(SITE_SRC / "assets" / "js", out / "assets" / "js", dirs_exist_ok=True)  # the modules search.js imports
    home = PAGE.format(title="嘉兴“三新”开放数据", rel="", box=search_box_html("search/"),
                       main="<h1>嘉兴“三新”开放数据</h1>")
    (out / "index.html").write_text(home, encoding="utf-8")
    (out / "search").mkdir(exist_ok=True)
    page = PAGE.format(title="搜索 / Search", rel="../", box=search_box_html("./"),
                       main="<h1>搜索 / Search</h1>" + search_box_html("./", "page"))
    (out / "search" / "index.html").write_text(page, encoding="utf-8")
    return summary
