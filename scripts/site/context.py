"""What every generated page reads: the settings, the site index (records by id, companies, references between
lists, dataset summaries computed once) and the counting rules (records in force, money totals by stage). Shared by
the generic dataset pages (dataset_pages.py) and the programme pages (programme_pages.py); values become HTML in
value_html.py; nothing here writes a page.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, quote_plus

from ..model import companies as company_index
from ..model import stages, units
from ..model.catalog import Catalog, Dataset, Record
from ..paths import REPO
from . import charts
from .render import render as render_template
from .render import root_of, safe_url

PAGE_SIZE = 50            # rows per list page (static first page and JS paging)
COMPANY_PAGE_SIZE = 300   # records per company page (5,000 records: 17 pages, each far below 150 KB)
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
SAFE_FILE = re.compile(r"^[A-Za-z0-9_.-]+$")
LINE_PAGE_FORMATS = ("csv",)  # data formats whose records have a line of their own (edit links point to it)
ALL = "all"  # the one list page of a list without a year role
DISTRICT_COLUMN = ("地区", "District")


@dataclass
class Settings:
    repo_url: str = ""
    edit_uri: str = ""
    site_url: str = ""      # the public address (siteconfig.site_url), "" when not set
    example: bool = False
    releases: list = field(default_factory=list)  # recorded data releases (scripts/release/record.py), oldest first


@dataclass
class Site:
    catalog: Catalog
    settings: Settings
    by_id: dict[str, dict[str, Record]] = field(default_factory=dict)
    companies: dict[str, dict] = field(default_factory=dict)  # slug (credit code, or c-<hash> without one) -> entry
    company_of: dict[int, str] = field(default_factory=dict)  # id(record) -> company slug
    refs: dict[tuple[str, str], list[tuple[str, Record]]] = field(default_factory=dict)
    charts: dict = field(default_factory=dict)  # slug -> charts.Chart drawn on some page: its CSV is written once
    memo: dict = field(default_factory=dict)  # what several pages ask for, computed once (Site.once)

    def once(self, key: tuple, compute):
        """compute() the first time `key` is asked for, the same value after (counts by district for 24 pages …)."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @cached_property
    def lists(self) -> list[Dataset]:
        return list_datasets(self.catalog)

    @cached_property
    def infos(self) -> dict[str, dict]:
        """Title, counts and years of every list, computed once (record pages ask for them often)."""
        return {ds.name: dataset_info(ds) for ds in self.lists}

    def info(self, ds: Dataset) -> dict:
        return self.infos[ds.name]

    def list_pages(self, ds: Dataset) -> list:
        """The list pages of a dataset: one per year (year role), or the one page ALL of every record (the years
        counted once, in infos: district pages ask for them per district)."""
        return self.info(ds)["years"] if ds.info.year else [ALL]

    @cached_property
    def awards(self) -> Dataset | None:
        """The list of awards (the one pointing to the award types), for the award totals of companies."""
        return award_dataset(self.catalog)


def render(template: str, path: str, site: Site, **context) -> str:
    return render_template(template, root=root_of(path), settings=site.settings, **context)


def in_force(ds: Dataset, records) -> list[Record]:
    """Records counted by targets and totals (display.status in_force: 认定/入选/发布 …)."""
    return stages.in_force(ds, records)


def pending(ds: Dataset, records) -> list[Record]:
    """Records still at 公示/拟认定/征集: shown beside the counts, never added to them."""
    return stages.pending(ds, records)


def year_of(dataset: Dataset, record: Record) -> int | None:
    return dataset.info.year_of(record.values)


def title_of(dataset: Dataset, record: Record) -> str:
    return dataset.info.title_of(record.values)


def rid_of(dataset: Dataset, record: Record) -> str:
    return str(record.values.get(dataset.info.key))


def repo_path(catalog: Catalog, record_path: str) -> str:
    """Path of a data file inside the repository (for edit links)."""
    return _repo_path(_resolved(str(catalog.root)), record_path, os.getcwd())


@lru_cache(maxsize=16)
def _resolved(root: str) -> str:  # once per build, not once per record page
    return str(Path(root).resolve())


@lru_cache(maxsize=4096)
def _repo_path(root: str, record_path: str, cwd: str) -> str:
    p = Path(record_path)
    absolute = p if p.is_absolute() else (Path(cwd) / p)
    absolute = absolute.resolve()
    try:
        return absolute.relative_to(REPO).as_posix()
    except ValueError:
        try:
            return "data/" + absolute.relative_to(Path(root)).as_posix()
        except ValueError:
            return p.name


_quoted = lru_cache(maxsize=4096)(quote)  # a few data files, quoted once, not once per record


def edit_link(site: Site, dataset: Dataset, record: Record) -> str | None:
    repo = (site.settings.repo_url or "").rstrip("/")
    if not safe_url(repo):
        return None
    uri = (site.settings.edit_uri or "").strip("/")
    path = _quoted(repo_path(site.catalog, record.path))
    url = f"{repo}/{uri}/{path}" if uri else f"{repo}/{path}"
    if dataset.info.format in LINE_PAGE_FORMATS:
        url += f"#L{record.line}"
    return url


def report_link(site: Site, dataset: Dataset, rid: str) -> str | None:
    """The code host's new-issue form, prefilled with the record's id and address (纠错 / report an error):
    urlencode({"title": "[纠错] <list title> <id>", "body": _REPORT_BODY with the id and the page's address})."""
    repo = (site.settings.repo_url or "").rstrip("/")
    if not safe_url(repo):
        return None
    title, record, page, rest = _report_parts(repo, site.settings.site_url or "/", dataset.name, dataset.info.title)
    q = quote_plus(rid)
    return f"{title}{q}&body={record}{q}{page}{q}{rest}"


_REPORT_BODY = ("记录 / Record: {rid}\n页面 / Page: {address}\n\n哪里有误？正确的内容是什么？请附官方来源链接。\n"
                "What is wrong, what is correct, and the official source (URL):\n")


@lru_cache(maxsize=64)
def _report_parts(repo: str, site_url: str, name: str, title: str) -> tuple[str, ...]:
    """The report link's parts around the id, quoted once per list: quote_plus maps character by character, so
    quoting the parts and the id apart gives urlencode's result (15,000 record pages, one list title)."""
    record, rest = _REPORT_BODY.split("{rid}")
    page, rest = rest.split("{address}")
    return (f"{repo}/issues/new?title=" + quote_plus(f"[纠错] {title} "), quote_plus(record),
            quote_plus(f"{page}{site_url}{name}/"), quote_plus("/" + rest))


def list_datasets(catalog: Catalog) -> list[Dataset]:
    return [d for d in catalog.lists() if SAFE_NAME.match(d.name)]


def years(dataset: Dataset) -> list[int]:
    return sorted({y for y in (year_of(dataset, r) for r in dataset.records) if y is not None})


def record_url(dataset_name: str, record_id: object) -> str:
    return f"{dataset_name}/{record_id}/"


def index_site(catalog: Catalog, settings: Settings) -> Site:
    site = Site(catalog, settings)
    for ds in catalog.datasets.values():
        key = ds.info.key
        site.by_id[ds.name] = {str(r.values.get(key)): r for r in ds.records if r.values.get(key) is not None}
    refs: dict[tuple[str, str], list[tuple[str, Record]]] = defaultdict(list)
    for ds in site.lists:
        for name, resource in ds.info.foreign.items():
            if resource not in site.by_id or not catalog.datasets[resource].info.is_list:
                continue
            for r in ds.records:
                raw = r.values.get(name)
                for v in raw if isinstance(raw, list) else [raw]:
                    if v is not None:
                        refs[(resource, str(v))].append((ds.name, r))
    site.refs = refs
    site.companies, site.company_of = company_index.index(catalog)
    return site


def money_total(ds: Dataset, records, name: str) -> int | Decimal:
    """The field's amounts over `records`, in the base unit of its declared unit (万元 100 -> 1,000,000 元), exact:
    fields of one dataset are added in one unit (the loader refuses totals across unit families)."""
    return units.total((r.values.get(name) for r in records), ds.info.unit(name))


def money_base(ds: Dataset, name: str) -> str:
    """The unit a total of the field is shown in (the base of its declared unit: 元, or 元/年 for rates)."""
    return units.unit(ds.info.unit(name)).base


def money_by_stage(ds: Dataset, records, name: str) -> list[dict]:
    """Money of the records in force, per in-force stage (认定 / 已拨付 …): a total always says what it sums."""
    out = []
    field = ds.info.status.field
    for stage in ds.info.status.in_force:
        recs = [r for r in records if r.values.get(field) == stage] if field else list(records)
        if recs:
            out.append({"stage": stage, "total": money_total(ds, recs, name), "count": len(recs)})
    return out


def money_summary(ds: Dataset, records) -> list[dict]:
    """[{label, total, stages}] for each money field: the in-force total and what it is made of."""
    live = in_force(ds, records)
    return [{"label": field_label(ds.field_spec(m)), "total": money_total(ds, live, m), "stages": money_by_stage(ds, live, m),
             "unit": money_base(ds, m)} for m in ds.info.money]


def award_dataset(catalog: Catalog) -> Dataset | None:
    """The list whose rows are awards: the one that points to the award-types registry (none: no award totals)."""
    types = catalog.role_name("award-types")
    return next((d for d in list_datasets(catalog) if types and d.info.refs(types)), None)


def company_awards_total(site: Site, entry: dict) -> int | Decimal:
    ds = site.awards
    if ds is None:
        return 0
    live = in_force(ds, entry["records"].get(ds.name, []))
    return sum(money_total(ds, live, m) for m in ds.info.money)


def dataset_info(ds: Dataset) -> dict:
    info = ds.info
    return {"name": ds.name, "title": info.title, "title_en": info.title_en,
            "description": info.description, "description_en": info.description_en, "example": info.example,
            "count": len(ds.records), "active": len(in_force(ds, ds.records)), "pending": len(pending(ds, ds.records)),
            "in_force_words": "、".join(info.status.in_force), "pending_words": "、".join(info.status.pending),
            "years": years(ds)}


def field_label(fld: dict) -> dict:
    return {"name": fld["name"], "title": fld.get("title", fld["name"]), "en": fld.get("x-label-en", "")}


def dump_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------- charts of counts by a category

class Renderer(Protocol):
    """What the charts below need of value_html.Renderer (which imports this module, so it is not imported here)."""
    registry: dict[str, dict[str, dict[str, Any]]]

    def label(self, resource: str, value: str) -> str: ...


def counts_by(site: Site, renderer: Renderer, role: str, registry: str) -> tuple[list[Dataset], list[str], dict]:
    """In-force counts by a category (the /statistics/ rule): the lists whose `role` field refers to the registry,
    the registry keys with any count (registry order) and {dataset name: {key: count}}."""
    return site.once(("counts_by", role, registry), lambda: _counts_by(site, renderer, role, registry))


def _counts_by(site: Site, renderer: Renderer, role: str, registry: str) -> tuple[list[Dataset], list[str], dict]:
    catalog = site.catalog
    table = catalog.role_name(registry)
    using = [d for d in site.lists if getattr(d.info, role) and d.info.foreign.get(getattr(d.info, role)) == table]
    counts = {}
    for d in using:
        c: dict[str, int] = defaultdict(int)
        for r in stages.in_force(d, d.records):
            v = r.values.get(getattr(d.info, role))
            for item in v if isinstance(v, list) else [v]:
                if item is not None:
                    c[str(item)] += 1
        counts[d.name] = c
    keys = [k for k in renderer.registry.get(table, {}) if any(counts[d.name].get(k) for d in using)]
    return using, keys, counts


def group_chart(site: Site, renderer: Renderer, role: str, registry: str, slug: str, title: str, title_en: str,
                column: tuple[str, str], highlight: str | None = None) -> "charts.Chart | None":
    """The chart of counts_by, registered on the site (one CSV per slug); with `highlight`, that key stands out."""
    if slug in site.charts:
        return site.charts[slug]
    using, keys, counts = counts_by(site, renderer, role, registry)
    table = site.catalog.role_name(registry)
    if highlight is not None and highlight not in keys:
        keys = [k for k in renderer.registry.get(table, {}) if k in keys or k == highlight]
    if not using or not keys:
        return None  # nothing in force to draw
    chart = charts.group_chart(slug, title, title_en, column, [(k, renderer.label(table, k)) for k in keys],
                               [(d.info.title, d.info.title_en, counts[d.name]) for d in using],
                               site.once(("as_of", role, registry), lambda: charts.as_of(using)),
                               highlight=highlight)
    site.charts[slug] = chart
    return chart
