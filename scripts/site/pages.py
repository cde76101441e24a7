"""Stage 3, pages: pure functions from a validated catalogue to the generated site sources.

`generate(catalog, settings)` returns {relative path: text} — Markdown pages (front matter + one HTML block
rendered by Jinja2 with autoescape) and compact JSON data files for the list pages. Data never reaches Markdown
as Markdown: every value is HTML-escaped inside an HTML block (Python-Markdown leaves those blocks alone), page
titles are ids or fixed words (never data), and only http/https URLs become links.

The generic pages of every list (lists, records, companies, districts, dictionary) are in dataset_pages.py, the
programme's pages (home, policy, statistics) in programme_pages.py, what both read in site_model.py.
"""

from __future__ import annotations

from ..model.catalog import Catalog
from .charts import chart_csv
from .context import ALL, Settings, index_site, list_datasets, render
from .dataset_pages import company_pages, dataset_pages, dictionary, district_pages
from .programme_pages import home_page, policy_page, statistics_page, target_progress
from .render import page, plain_title
from .value_html import Renderer

__all__ = ["Settings", "generate", "iter_pages", "nav", "not_in_nav"]


def generate(catalog: Catalog, settings: Settings | None = None) -> dict[str, str]:
    """All generated site sources: {path relative to docs_dir: text}."""
    return dict(sorted(iter_pages(catalog, settings)))


def iter_pages(catalog: Catalog, settings: Settings | None = None):
    """(path relative to docs_dir, text) for every generated file, one at a time (10x has ~180,000 pages)."""
    settings = settings or Settings()
    site = index_site(catalog, settings)
    renderer = Renderer(site)
    datasets = site.lists
    targets = target_progress(catalog)

    yield "index.md", home_page(site, targets)

    for ds in datasets:
        yield from dataset_pages(site, renderer, ds)

    yield from company_pages(site, renderer)
    yield from district_pages(site, renderer)
    yield "statistics.md", statistics_page(site, renderer)
    yield "policy.md", policy_page(site, targets)
    infos = list(site.infos.values())
    yield "about.md", page("关于 / About", render("about.html", "about.md", site, datasets=infos,
                                                 example=any(d["example"] for d in infos)))
    yield "dictionary.md", page("数据字典 / Data dictionary", render("dictionary.html", "dictionary.md", site,
                                                                    tables=dictionary(catalog)))
    for slug in sorted(site.charts):  # the data of every chart drawn above, as CSV beside it
        yield site.charts[slug].csv_path, chart_csv(site.charts[slug])


def nav(catalog: Catalog) -> list:
    """The top tabs (theme feature navigation.tabs): 数据集 (the home page, one entry per dataset, the dictionary,
    about), 统计, 企业, 地区, 政策, 下载 (with the changelog), 搜索. Records, years and single companies or districts
    are reached by links only (not_in_nav)."""
    datasets: list = ["index.md"]
    for ds in list_datasets(catalog):
        datasets.append({plain_title(ds.info.title): f"{ds.name}/index.md"})
    datasets += [{"数据字典 / Dictionary": "dictionary.md"}, {"关于 / About": "about.md"}]
    return [{"数据集 / Datasets": datasets}, {"统计 / Statistics": "statistics.md"},
            {"企业 / Companies": "companies/index.md"}, {"地区 / Districts": "districts/index.md"},
            {"政策 / Policy": "policy.md"},
            {"下载 / Downloads": ["downloads/index.md", {"更新日志 / Changelog": "changelog/index.md"}]},
            {"搜索 / Search": "search.md"}]


def not_in_nav(catalog: Catalog) -> str:
    """gitignore-style patterns for the pages reached by links only (records, years, companies, districts)."""
    lines = ["/companies/*", "!/companies/index.md", "/districts/*", "!/districts/index.md", "/licence.md",
             "/contribute.md", "/downloads/*/"]
    for ds in list_datasets(catalog):
        lines.append(f"/{ds.name}/*-*.md")
        lines.append(f"/{ds.name}/[0-9]*.md")
        lines.append(f"/{ds.name}/{ALL}.md")
    return "\n".join(lines) + "\n"
