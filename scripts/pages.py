"""Stage 3, pages: pure functions from a validated catalogue to the generated site sources.

`generate(catalog, settings)` returns {relative path: text} — Markdown pages (front matter + one HTML block
rendered by Jinja2 with autoescape) and compact JSON data files for the list pages. Data never reaches Markdown
as Markdown: every value is HTML-escaped inside an HTML block (Python-Markdown leaves those blocks alone), page
titles are ids or fixed words (never data), and only http/https URLs become links.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from . import companies as company_index
from . import stages
from .paths import REPO
from .model import Catalog, Dataset, Record, typed
from .render import page, plain_title, root_of, safe_url, text, yuan
from .render import render as render_template

PAGE_SIZE = 50            # rows per list page (static first page and JS paging)
COMPANY_PAGE_SIZE = 300   # records per company page (5,000 records: 17 pages, each far below 150 KB)
WITHDRAWN = "撤销"
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
SAFE_FILE = re.compile(r"^[A-Za-z0-9_.-]+$")
LINE_PAGE_FORMATS = ("csv",)  # dataset.yaml `format`s stored one record a line: links and pages name the line


@dataclass
class Settings:
    repo_url: str = ""
    edit_uri: str = ""
    site_url: str = ""      # the public address (siteconfig.site_url), "" when not set
    example: bool = False
    releases: list = field(default_factory=list)  # recorded data releases (scripts/release.py), oldest first


@dataclass
class Site:
    catalog: Catalog
    settings: Settings
    by_id: dict[str, dict[str, Record]] = field(default_factory=dict)
    companies: dict[str, dict] = field(default_factory=dict)  # slug (credit code, or c-<hash> without one) -> entry
    company_of: dict[int, str] = field(default_factory=dict)  # id(record) -> company slug
    refs: dict[tuple[str, str], list[tuple[str, Record]]] = field(default_factory=dict)


# ---------------------------------------------------------------- helpers

def render(template: str, path: str, site: Site, **context) -> str:
    return render_template(template, root=root_of(path), settings=site.settings, **context)


def status_of(record: Record) -> str | None:
    return record.values.get("status")


def in_force(ds: Dataset, records) -> list[Record]:
    """Records counted by targets and totals (display.status in_force: 认定/入选/发布 …)."""
    return stages.in_force(ds, records)


def pending(ds: Dataset, records) -> list[Record]:
    """Records still at 公示/拟认定/征集: shown beside the counts, never added to them."""
    return stages.pending(ds, records)


def year_of(record: Record):
    y = record.values.get("year")
    return int(y) if y is not None and str(y).isdigit() else None


def title_of(dataset: Dataset, record: Record) -> str:
    name = dataset.meta.get("title_field") or "id"
    return record.values.get(name) or record.values.get("name") or record.values.get("title") or record.values.get("id", "")


def registry_rows(catalog: Catalog, name: str) -> dict[str, dict]:
    ds = catalog.datasets.get(name)
    if ds is None:
        return {}
    return {str(r.values.get("id")): r.values for r in ds.records}


def _per_dataset(cache: dict, dataset: Dataset, compute):
    """compute(dataset), cached per dataset object (keyed by id, checked by identity)."""
    hit = cache.get(id(dataset))
    if hit is not None and hit[0] is dataset:
        return hit[1]
    value = compute(dataset)
    cache[id(dataset)] = (dataset, value)
    return value


_FOREIGN: dict[int, tuple[Dataset, dict[str, str]]] = {}


def foreign(dataset: Dataset) -> dict[str, str]:
    """field name -> referenced resource name (cached per dataset object)."""
    return _per_dataset(_FOREIGN, dataset, _foreign)


def _foreign(dataset: Dataset) -> dict[str, str]:
    out = {}
    for fk in dataset.schema.get("foreignKeys") or []:
        fields = fk.get("fields")
        fields = [fields] if isinstance(fields, str) else fields
        for f in fields or []:
            out[f] = fk["reference"]["resource"]
    return out


def repo_path(catalog: Catalog, record_path: str) -> str:
    """Path of a data file inside the repository (for edit links)."""
    return _repo_path(str(Path(catalog.root).resolve()), record_path, str(Path.cwd()))


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


def edit_link(site: Site, dataset: Dataset, record: Record) -> str | None:
    repo = (site.settings.repo_url or "").rstrip("/")
    if not safe_url(repo):
        return None
    uri = (site.settings.edit_uri or "").strip("/")
    path = quote(repo_path(site.catalog, record.path))
    url = f"{repo}/{uri}/{path}" if uri else f"{repo}/{path}"
    if dataset.meta.get("format") in LINE_PAGE_FORMATS:
        url += f"#L{record.line}"
    return url


def report_link(site: Site, dataset: Dataset, rid: str) -> str | None:
    """The code host's new-issue form, prefilled with the record's id and address (纠错 / report an error)."""
    repo = (site.settings.repo_url or "").rstrip("/")
    if not safe_url(repo):
        return None
    address = (site.settings.site_url or "/") + record_url(dataset.name, rid)
    title = f"[纠错] {dataset.meta.get('title', dataset.name)} {rid}"
    body = (f"记录 / Record: {rid}\n页面 / Page: {address}\n\n"
            "哪里有误？正确的内容是什么？请附官方来源链接。\n"
            "What is wrong, what is correct, and the official source (URL):\n")
    return f"{repo}/issues/new?" + urlencode({"title": title, "body": body})


def list_datasets(catalog: Catalog) -> list[Dataset]:
    return [d for d in catalog.lists() if SAFE_NAME.match(d.name)]


def years(dataset: Dataset) -> list[int]:
    return sorted({y for y in map(year_of, dataset.records) if y is not None})


def record_url(dataset_name: str, record_id: str) -> str:
    return f"{dataset_name}/{record_id}/"


# ---------------------------------------------------------------- value rendering

class Renderer:
    """Turns raw values into escaped HTML with names and links resolved through the registry."""

    def __init__(self, site: Site):
        self.site = site
        c = site.catalog
        self.registry = {d.name: registry_rows(c, d.name) for d in c.registry()}
        self.districts = self.registry.get("districts", {})
        self.lists = {d.name for d in list_datasets(c)}

    def label(self, resource: str, value: str) -> str:
        row = self.registry.get(resource, {}).get(str(value))
        if not row:
            return str(value)
        name = row.get("name")
        return str(name) if name and name != value else str(value)

    def district_slug(self, value) -> str | None:
        row = self.districts.get(str(value))
        slug = row.get("slug") if row else None
        return slug if slug and SAFE_NAME.match(slug) else None

    def one(self, dataset: Dataset, fld: dict, raw, root: str) -> Markup:
        name = fld["name"]
        resource = foreign(dataset).get(name)
        if resource in self.lists and raw in self.site.by_id.get(resource, {}):
            return Markup('<a href="{}">{}</a>').format(root + record_url(resource, raw), raw)
        if resource == "districts":
            slug = self.district_slug(raw)
            label = self.label(resource, raw)
            if slug:
                return Markup('<a href="{}districts/{}/">{}</a>').format(root, slug, label)
            return escape(label)
        if resource:
            label = self.label(resource, raw)
            return escape(label) if label == str(raw) else Markup("{} <small>{}</small>").format(label, raw)
        company = (dataset.meta.get("display") or {}).get("company") or {}
        if name == company.get("code") and raw in self.site.companies:
            return Markup('<a href="{}companies/{}/">{}</a>').format(root, raw, raw)
        if name in ((dataset.meta.get("display") or {}).get("money") or []) or name.endswith("_yuan"):
            return escape(yuan(typed(fld, raw)))
        if safe_url(raw):
            return Markup('<a href="{}" rel="nofollow noopener">{}</a>').format(raw, raw)
        return text(raw)

    def value(self, dataset: Dataset, fld: dict, raw, root: str) -> Markup:
        if raw is None or raw == []:
            return Markup('<span class="sx-empty">—</span>')
        if isinstance(raw, list):
            return Markup("、").join(self.one(dataset, fld, item, root) for item in raw)
        return self.one(dataset, fld, raw, root)


# ---------------------------------------------------------------- indexes

def index_site(catalog: Catalog, settings: Settings) -> Site:
    site = Site(catalog, settings)
    for ds in catalog.datasets.values():
        site.by_id[ds.name] = {str(r.values.get("id")): r for r in ds.records if r.values.get("id") is not None}
    refs: dict[tuple[str, str], list[tuple[str, Record]]] = defaultdict(list)
    for ds in list_datasets(catalog):
        for name, resource in foreign(ds).items():
            if resource not in site.by_id or catalog.datasets[resource].meta.get("group") != "lists":
                continue
            for r in ds.records:
                raw = r.values.get(name)
                for v in raw if isinstance(raw, list) else [raw]:
                    if v is not None:
                        refs[(resource, str(v))].append((ds.name, r))
    site.refs = refs
    site.companies, site.company_of = company_index.index(catalog)
    return site


def money_fields(ds: Dataset) -> list[str]:
    return list((ds.meta.get("display") or {}).get("money") or [])


def money_total(ds: Dataset, records, name: str) -> int:
    total = 0
    for r in records:
        v = r.values.get(name)
        if v is not None and str(v).isdigit():
            total += int(v)
    return total


def money_by_stage(ds: Dataset, records, name: str) -> list[dict]:
    """Money of the records in force, per in-force stage (认定 / 已拨付 …): a total always says what it sums."""
    out = []
    field = stages.spec(ds)["field"]
    for stage in stages.spec(ds)["in_force"]:
        recs = [r for r in records if r.values.get(field) == stage] if field else list(records)
        if recs:
            out.append({"stage": stage, "total": money_total(ds, recs, name), "count": len(recs)})
    return out


def money_summary(ds: Dataset, records) -> list[dict]:
    """[{label, total, stages}] for each money field: the in-force total and what it is made of."""
    live = in_force(ds, records)
    return [{"label": field_label(ds.field(m)), "total": money_total(ds, live, m), "stages": money_by_stage(ds, live, m)}
            for m in money_fields(ds)]


def award_dataset(catalog: Catalog) -> Dataset | None:
    """The list whose rows are awards: the one that points to the award-types registry (none: no award totals)."""
    return next((d for d in list_datasets(catalog) if "award-types" in foreign(d).values()), None)


def company_awards_total(site: Site, entry: dict) -> int:
    ds = award_dataset(site.catalog)
    if ds is None:
        return 0
    live = in_force(ds, entry["records"].get(ds.name, []))
    return sum(money_total(ds, live, m) for m in money_fields(ds))


# ---------------------------------------------------------------- targets

def target_progress(catalog: Catalog) -> list[dict]:
    out = []
    for row in (catalog.datasets["targets"].records if "targets" in catalog.datasets else []):
        v = row.values
        goal = float(v["value"]) if v.get("value") else None
        deadline = int(v["deadline"]) if v.get("deadline") else None
        item = {"id": v.get("id"), "title": v.get("title"), "title_en": v.get("title_en"), "value": goal,
                "unit": v.get("unit") or "", "period": v.get("period"), "comparison": v.get("comparison"),
                "deadline": deadline, "measure": v.get("measure"), "rule": v.get("count_rule"),
                "dataset": v.get("dataset"), "tracked": False, "years": [], "count": 0, "percent": 0, "pending": 0}
        ds = catalog.datasets.get(v.get("dataset") or "")
        if ds is not None and goal:
            where_field = v.get("where_field")
            wanted = v.get("where_values")
            if isinstance(wanted, str):
                wanted = wanted.split(";")
            chosen = [r for r in ds.records if not where_field or str(r.values.get(where_field)) in (wanted or [])]
            recs = in_force(ds, chosen)
            waiting = pending(ds, chosen)
            item["pending"] = len(waiting)
            item["stage_words"] = {"in_force": "、".join(stages.spec(ds)["in_force"]),
                                   "pending": "、".join(stages.spec(ds)["pending"])}
            per_year = Counter(year_of(r) for r in recs)
            span = sorted(y for y in per_year if y is not None)
            first = min(span + [2025])
            last = max(span + [deadline or first])
            item["tracked"] = True
            item["years"] = [{"year": y, "count": per_year.get(y, 0)} for y in range(first, last + 1)]
            if v.get("period") == "per_year":
                latest = max(span) if span else first
                item["count"] = per_year.get(latest, 0)
                item["latest_year"] = latest
            else:
                item["count"] = len(recs)
            item["percent"] = min(100.0, 100.0 * item["count"] / goal)
            # per-year targets: bars against the yearly goal (dashed line); cumulative ones: bars against each other
            peak = max(([goal] if v.get("period") == "per_year" else [1]) + [y["count"] for y in item["years"]])
            for y in item["years"]:
                y["height"] = round(60 * y["count"] / peak, 1) if peak else 0
            item["goal_height"] = round(60 * goal / peak, 1) if v.get("period") == "per_year" and peak else None
        out.append(item)
    return out


# ---------------------------------------------------------------- pages

_INFO: dict[int, tuple[Dataset, dict]] = {}


def dataset_info(ds: Dataset) -> dict:
    """Title, counts and years of a dataset (cached per dataset object: record pages ask for it often)."""
    return _per_dataset(_INFO, ds, _dataset_info)


def _dataset_info(ds: Dataset) -> dict:
    display = ds.meta.get("display") or {}
    return {"name": ds.name, "title": ds.meta.get("title", ds.name), "title_en": ds.meta.get("title_en", ""),
            "icon": display.get("icon", ""), "description": ds.meta.get("description", ""),
            "description_en": ds.meta.get("description_en", ""), "example": bool(ds.meta.get("example")),
            "count": len(ds.records), "active": len(in_force(ds, ds.records)), "pending": len(pending(ds, ds.records)),
            "in_force_words": "、".join(stages.spec(ds)["in_force"]), "pending_words": "、".join(stages.spec(ds)["pending"]),
            "years": years(ds)}


def field_label(fld: dict) -> dict:
    return {"name": fld["name"], "title": fld.get("title", fld["name"]), "en": fld.get("x-label-en", "")}


def list_roles(ds: Dataset) -> dict:
    """Which shown field plays which part in a list (phone cards, totals, group-by): title, company, status."""
    display = ds.meta.get("display") or {}
    title = ds.meta.get("title_field")
    company = (display.get("company") or {}).get("name")
    return {"title": title if title and ds.field(title) else None,
            "company": company if company and ds.field(company) else None, "status": stages.spec(ds)["field"]}


def column_class(roles: dict, money: list, link: str, name: str) -> str:
    """The cell class of a list column (list.js gives the same one): phone cards show link, title, company, status
    and money, and hide the others."""
    if name == link:
        return "sx-c-link sx-c-id" if name == "id" else "sx-c-link"
    for role in ("title", "company", "status"):
        if roles.get(role) == name:
            return f"sx-c-{role}"
    return "sx-c-money" if name in money else "sx-c-other"


def list_json(site: Site, ds: Dataset, records: list[Record], renderer: Renderer, year) -> tuple[dict, dict]:
    """(view, full) for a list page. The view holds only the fields shown, filtered, searched, summed or grouped
    (plus each row's position in the full file); the full file, fetched only for a download, holds every field of
    every row and the names of every code (the download's `*_name` columns)."""
    display = ds.meta.get("display") or {}
    fields = ds.fields
    filters = [f for f in display.get("filters") or [] if f != "year" and ds.field(f)]
    columns = [c for c in display.get("list_columns") or ["id"] if ds.field(c)]
    search = [f for f in display.get("search_fields") or [] if ds.field(f)]
    roles = list_roles(ds)
    spec = stages.spec(ds)
    money = [m for m in money_fields(ds) if ds.field(m)]
    group = [f for f in display.get("filters") or [] if ds.field(f)] + (
        [roles["company"]] if roles["company"] and roles["company"] not in filters else [])
    wanted = {"id", *columns, *filters, *search, *money, *group, *(r for r in roles.values() if r)}
    view = [f for f in fields if f["name"] in wanted]
    fk = foreign(ds)

    def labels_of(names) -> dict[str, dict[str, str]]:
        out = {}
        for name in sorted(names):
            resource = fk.get(name)
            if resource in renderer.registry:
                out[name] = {k: renderer.label(resource, k) for k in sorted(renderer.registry[resource])}
        return out

    full_name = f"{ds.name}-{year}.full.json"
    return {
        "dataset": ds.name,
        "year": year,
        "fields": [f["name"] for f in view],
        "titles": {f["name"]: [f.get("title", f["name"]), f.get("x-label-en", "")] for f in fields},
        "types": {f["name"]: f.get("type", "string") for f in fields},
        "delimiters": {f["name"]: f.get("delimiter", ",") for f in view if f.get("type") == "list"},
        "columns": columns,
        "filters": filters,
        "group": group,
        "search": search,
        "labels": labels_of(set(columns) | set(filters) | set(group)),
        "link": {"field": "id", "prefix": ds.name + "/"},
        "money": money,
        "roles": roles,
        "status": spec if spec["field"] in wanted else None,
        "full": full_name,
        "rows": [[_json_cell(f, r.values.get(f["name"])) for f in view] + [i] for i, r in enumerate(records)],
    }, {
        "fields": [f["name"] for f in fields],
        "labels": labels_of({f["name"] for f in fields}),
        "delimiters": {f["name"]: f.get("delimiter", ",") for f in fields if f.get("type") == "list"},
        "rows": [[_json_cell(f, r.values.get(f["name"])) for f in fields] for r in records],
    }


def list_first_rows(renderer: Renderer, ds: Dataset, records: list[Record], columns: list[dict], root: str) -> list:
    """The first page of a list as HTML cells (what list.js draws, for a reader without JavaScript)."""
    spec = stages.spec(ds)
    out = []
    for r in records[:PAGE_SIZE]:
        stage = r.values.get(spec["field"]) if spec["field"] else None
        cells = []
        for c in columns:
            raw = r.values.get(c["name"])
            if c["name"] == "id":
                cells.append(Markup('<a href="{}">{}</a>').format(root + record_url(ds.name, raw), raw))
            elif c["name"] == spec["field"] and raw:
                kind = "off" if raw in spec["withdrawn"] else "wait" if raw in spec["pending"] else "on"
                cells.append(Markup('<span class="sx-status sx-status-{}">{}</span>').format(kind, raw))
            else:
                cells.append(renderer.value(ds, ds.field(c["name"]), raw, root))
        out.append({"id": r.values.get("id"), "cells": cells,
                    "cls": "sx-row-withdrawn" if stage in spec["withdrawn"] else
                           "sx-row-pending" if stage in spec["pending"] else ""})
    return out


def _json_cell(fld: dict, raw):
    if raw is None:
        return ""
    if isinstance(raw, list):
        return fld.get("delimiter", ",").join(raw)
    return raw


def dump_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def generate(catalog: Catalog, settings: Settings | None = None) -> dict[str, str]:
    """All generated site sources: {path relative to docs_dir: text}."""
    return dict(sorted(iter_pages(catalog, settings)))


def iter_pages(catalog: Catalog, settings: Settings | None = None):
    """(path relative to docs_dir, text) for every generated file, one at a time (10x has ~180,000 pages)."""
    settings = settings or Settings()
    site = index_site(catalog, settings)
    renderer = Renderer(site)
    datasets = list_datasets(catalog)
    targets = target_progress(catalog)

    # home
    latest = []
    for ds in datasets:
        batches = Counter()
        for r in ds.records:
            batches[(year_of(r) or 0, int(r.values["batch"]) if str(r.values.get("batch") or "").isdigit() else 0)] += 1
        if batches:
            (y, b) = max(batches)
            latest.append({"ds": dataset_info(ds), "year": y, "batch": b, "count": batches[(y, b)]})
    yield "index.md", page("首页 / Home", render("home.html", "index.md", site, datasets=[dataset_info(d) for d in datasets],
                                                   targets=targets, latest=latest, releases=latest_releases(settings)),
                         hide=("navigation", "toc"))

    for ds in datasets:
        info = dataset_info(ds)
        display = ds.meta.get("display") or {}
        columns = [field_label(ds.field(c)) for c in display.get("list_columns") or ["id"] if ds.field(c)]
        by_year = defaultdict(list)
        for r in ds.records:
            by_year[year_of(r)].append(r)
        year_counts = [{"year": y, "count": len(by_year[y]), "active": len(in_force(ds, by_year[y])),
                        "pending": len(pending(ds, by_year[y]))} for y in info["years"]]
        path = f"{ds.name}/index.md"
        yield path, page(f"{info['title']}", render("dataset.html", path, site, ds=info, meta=ds.meta, years=year_counts,
                                                    fields=[field_label(f) for f in ds.fields]))
        roles, money = list_roles(ds), money_fields(ds)
        for c in columns:
            c["cls"] = column_class(roles, money, "id", c["name"])
        for y in info["years"]:
            records = sorted(by_year[y], key=lambda r: str(r.values.get("id")))
            path = f"{ds.name}/{y}.md"
            yield path, page(f"{info['title']} {y}", render(
                "list.html", path, site, ds=info, year=y, years=year_counts, columns=columns,
                first=list_first_rows(renderer, ds, records, columns, root_of(path)), total=len(records),
                page_size=PAGE_SIZE, src=[f"listdata/{ds.name}-{y}.json"], file=f"{ds.name}-{y}"), hide=("toc",))
            view, full = list_json(site, ds, records, renderer, y)
            yield f"listdata/{ds.name}-{y}.json", dump_json(view)
            yield f"listdata/{view['full']}", dump_json(full)
        if info["years"]:  # every year in one list, each year's data file fetched by the page
            path = f"{ds.name}/all.md"
            records = sorted((r for y in info["years"] for r in by_year[y]), key=lambda r: str(r.values.get("id")))
            yield path, page(f"{info['title']} 全部年度", render(
                "list.html", path, site, ds=info, year=None, all_years=True, years=year_counts, columns=columns,
                first=list_first_rows(renderer, ds, records, columns, root_of(path)), total=len(records),
                page_size=PAGE_SIZE, src=[f"listdata/{ds.name}-{y}.json" for y in info["years"]],
                file=f"{ds.name}-all"), hide=("toc",))
        for r in ds.records:
            rid = str(r.values.get("id"))
            if not SAFE_NAME.match(rid):
                continue
            path = f"{ds.name}/{rid}.md"
            yield path, page(rid, record_page(site, renderer, ds, r, path))

    yield from company_pages(site, renderer)
    yield from district_pages(site, renderer)
    yield "statistics.md", page("统计 / Statistics", statistics_page(site, renderer))
    yield "policy.md", page("政策 / Policy", render("policy.html", "policy.md", site, measures=measures(site, targets),
                                                     datasets={d.name: dataset_info(d) for d in datasets}))
    infos = [dataset_info(d) for d in datasets]
    yield "about.md", page("关于 / About", render("about.html", "about.md", site, datasets=infos,
                                                 example=any(d["example"] for d in infos)))
    yield "dictionary.md", page("数据字典 / Data dictionary", render("dictionary.html", "dictionary.md", site,
                                                                    tables=dictionary(catalog)))


def latest_releases(settings: Settings, n: int = 3) -> list[dict]:
    out = []
    for rel in reversed(settings.releases or []):
        version = str(rel.get("version") or "")
        if not re.match(r"^[0-9A-Za-z._-]+$", version):
            continue
        package = (rel.get("package") or {}).get("path")
        out.append({"version": version, "date": str(rel.get("date") or ""), "notes": rel.get("notes") or "",
                    "notes_en": rel.get("notes_en") or "", "changes": rel.get("changes") or {},
                    "package": package if isinstance(package, str) and SAFE_FILE.match(package) else None})
    return out[:n]


def record_page(site: Site, renderer: Renderer, ds: Dataset, r: Record, path: str) -> str:
    root = root_of(path)
    rows = [{"label": field_label(f), "value": renderer.value(ds, f, r.values.get(f["name"]), root)} for f in ds.fields]
    related = []
    rid = str(r.values.get("id"))
    for other_name, rec in site.refs.get((ds.name, rid), []):
        other = site.catalog.datasets[other_name]
        related.append({"dataset": dataset_info(other), "id": rec.values.get("id"), "title": title_of(other, rec),
                        "status": stages.stage_of(other, rec)})
    for name, resource in foreign(ds).items():
        if resource in renderer.lists:
            raw = r.values.get(name)
            for v in raw if isinstance(raw, list) else [raw]:
                target = site.by_id.get(resource, {}).get(str(v)) if v is not None else None
                if target is not None:
                    other = site.catalog.datasets[resource]
                    related.append({"dataset": dataset_info(other), "id": v, "title": title_of(other, target),
                                    "status": stages.stage_of(other, target)})
    related.sort(key=lambda x: (x["dataset"]["name"], str(x["id"])))
    return render("record.html", path, site, ds=dataset_info(ds), meta=ds.meta, rid=rid, title=title_of(ds, r),
                  rows=rows, related=related, edit=edit_link(site, ds, r), report=report_link(site, ds, rid),
                  source_file=repo_path(site.catalog, r.path), line=r.line,
                  csv=ds.meta.get("format") in LINE_PAGE_FORMATS, year=year_of(r),
                  source_url=safe_url(r.values.get("source_url")),
                  sources=[{"title": s.get("title", ""), "url": safe_url(s.get("path"))} for s in ds.meta.get("sources") or []],
                  company=site.company_of.get(id(r)))


def company_pages(site: Site, renderer: Renderer):
    rows = []
    names = {d.name: dataset_info(d) for d in list_datasets(site.catalog)}
    order = list(names)
    for slug, entry in site.companies.items():
        groups = []
        for name in order:
            records = sorted(entry["records"].get(name, []), key=lambda r: str(r.values.get("id")))
            if not records:
                continue
            ds = site.catalog.datasets[name]
            groups.append({"ds": names[name], "count": len(records), "active": len(in_force(ds, records)),
                           "pending": len(pending(ds, records)), "money": money_summary(ds, records),
                           "records": [{"id": r.values.get("id"), "title": title_of(ds, r), "year": year_of(r),
                                        "status": stages.stage_of(ds, r)} for r in records]})
        award_total = company_awards_total(site, entry)
        awards = award_dataset(site.catalog)
        award_records = entry["records"].get(awards.name, []) if awards else []
        district = entry["district"]
        code = entry["code"]
        total = sum(len(g["records"]) for g in groups)
        pages = max(1, -(-total // COMPANY_PAGE_SIZE))
        for number in range(1, pages + 1):  # the first page at companies/<slug>/, the rest at companies/<slug>/<n>/
            path = f"companies/{slug}.md" if number == 1 else f"companies/{slug}/{number}.md"
            yield path, page(f"企业 / Company {slug}" + (f" ({number})" if number > 1 else ""), render(
                "company.html", path, site, code=code, slug=slug, name=entry["name"], registered=entry["registered"],
                other_names=sorted(n for n in entry["names"] if n != entry["name"]),
                groups=_page_of(groups, (number - 1) * COMPANY_PAGE_SIZE, COMPANY_PAGE_SIZE),
                award_total=award_total, award_count=len(in_force(awards, award_records)) if awards else 0,
                award_stages=money_summary(awards, award_records)[0]["stages"] if awards and money_fields(awards) else [],
                place="".join(x for x in (entry["province"], entry["city"]) if x) if not district else "",
                district=_district_html(renderer, district, root_of(path)), number=number, pages=pages, total=total))
        counts = {name: len(entry["records"].get(name, [])) for name in order}
        rows.append([slug, entry["name"], code or "", district or ""] + [str(counts[n]) for n in order] + [str(award_total)])
    fields = ["page", "name", "credit_code", "district"] + [f"{n}_count" for n in order] + ["award_total_yuan"]
    titles = {"page": ["页面", "Page"], "credit_code": ["统一社会信用代码", "Unified social credit code"],
              "name": ["企业名称", "Company"], "district": ["所在地区", "District"],
              "award_total_yuan": ["奖励合计（元，认定和已拨付）", "Awards total (yuan, confirmed and paid)"]}
    for n in order:
        titles[f"{n}_count"] = [f"{names[n]['title']}（条）", f"{names[n]['title_en']} (records)"]
    data = {"dataset": "companies", "year": None, "fields": fields, "titles": titles,
            "types": {f: ("integer" if f.endswith(("_count", "_yuan")) else "string") for f in fields},
            "columns": fields[1:], "filters": ["district"], "search": ["credit_code", "name"],
            "labels": {"district": {k: renderer.label("districts", k) for k in sorted(renderer.districts)}},
            "link": {"field": "name", "key": "page", "prefix": "companies/"}, "money": ["award_total_yuan"],
            "roles": {"title": "name", "company": None, "status": None}, "status": None, "group": ["district"],
            "delimiters": {}, "full": None, "rows": [row + [i] for i, row in enumerate(rows)]}
    yield "listdata/companies.json", dump_json(data)
    path = "companies/index.md"
    roles = data["roles"]
    columns = [{"name": f, "title": titles[f][0], "en": titles[f][1],
                "cls": column_class(roles, data["money"], "name", f)} for f in fields[1:]]
    first = [{"id": row[0], "cls": "", "cells": [Markup('<a href="{}companies/{}/">{}</a>').format(root_of(path), row[0], row[1]),
                                      escape(row[2]) if row[2] else Markup('<span class="sx-empty">—</span>'),
                                      _district_html(renderer, row[3], root_of(path))]
              + [escape(c) for c in row[4:]]} for row in rows[:PAGE_SIZE]]
    yield path, page("企业 / Companies", render("list.html", path, site, ds={
        "name": "companies", "title": "企业", "title_en": "Companies", "icon": "", "count": len(rows),
        "description": "各数据集中出现的企业和单位，名称经企业名录识别（全称、曾用名、简称），有无统一社会信用代码都有页面。",
        "description_en": "Every company or organisation in the datasets, names resolved through the companies registry "
                          "(full, former and short names); companies with and without a credit code."},
        year=None, years=[], columns=columns, first=first, total=len(rows), page_size=PAGE_SIZE,
        src=["listdata/companies.json"], file="companies"), hide=("toc",))


def _page_of(groups: list[dict], start: int, size: int) -> list[dict]:
    """The groups cut to records start … start+size-1 of all groups together (a group keeps its total count)."""
    out, position = [], 0
    for g in groups:
        first, last = max(start, position), min(start + size, position + len(g["records"]))
        if first < last:
            out.append({**g, "records": g["records"][first - position:last - position]})
        position += len(g["records"])
    return out


def _district_html(renderer: Renderer, district, root: str) -> Markup:
    if not district:
        return Markup('<span class="sx-empty">—</span>')
    slug = renderer.district_slug(district)
    label = renderer.label("districts", district)
    if slug:
        return Markup('<a href="{}districts/{}/">{}</a>').format(root, slug, label)
    return escape(label)


def district_pages(site: Site, renderer: Renderer):
    datasets = list_datasets(site.catalog)
    summary = []
    for did, row in renderer.districts.items():
        slug = renderer.district_slug(did)
        if not slug:
            continue
        path = f"districts/{slug}.md"
        root = root_of(path)
        groups = []
        for ds in datasets:
            if not ds.field("district"):
                continue
            recs = [r for r in ds.records if r.values.get("district") == did]
            per_year = Counter(year_of(r) for r in recs)
            groups.append({"ds": dataset_info(ds), "count": len(recs), "active": len(in_force(ds, recs)),
                           "pending": len(pending(ds, recs)),
                           "years": [{"year": y, "count": per_year.get(y, 0)} for y in years(ds)],
                           "money": money_summary(ds, recs)})
        companies = [e for e in site.companies.values() if e["district"] == did]
        top = sorted(companies, key=lambda e: (-sum(len(v) for v in e["records"].values()), e["slug"]))[:20]
        yield path, page(f"地区 / District {slug}", render(
            "district.html", path, site, row=row, did=did, slug=slug, groups=groups, company_count=len(companies),
            top=[{"code": e["slug"], "name": e["name"], "count": sum(len(v) for v in e["records"].values()),
                  "award_total": company_awards_total(site, e)} for e in top]))
        summary.append({"slug": slug, "row": row, "did": did,
                        "counts": {g["ds"]["name"]: g["active"] for g in groups}, "companies": len(companies)})
    yield "districts/index.md", page("地区 / Districts", render("districts.html", "districts/index.md", site,
                                                               districts=summary,
                                                               datasets=[dataset_info(d) for d in datasets if d.field("district")]))


def _group_counts(records, key) -> Counter:
    c = Counter()
    for r in records:
        v = r.values.get(key)
        for item in v if isinstance(v, list) else [v]:
            if item is not None:
                c[str(item)] += 1
    return c


def statistics_page(site: Site, renderer: Renderer) -> str:
    catalog = site.catalog
    datasets = list_datasets(catalog)
    all_years = sorted({y for d in datasets for y in years(d)})
    by_year = [{"ds": dataset_info(d),
                "counts": [len(in_force(d, [r for r in d.records if year_of(r) == y])) for y in all_years],
                "pending": len(pending(d, d.records)),
                "withdrawn": len(d.records) - len(in_force(d, d.records)) - len(pending(d, d.records))} for d in datasets]
    dims = []
    for dim, resource, title, title_en in (("district", "districts", "按地区", "By district"),
                                          ("industry", "industries", "按产业领域", "By industry")):
        using = [d for d in datasets if d.field(dim) or (dim == "industry" and d.field("domain"))]
        counts = {d.name: _group_counts(in_force(d, d.records), dim if d.field(dim) else "domain") for d in using}
        keys = list(renderer.registry.get(resource, {}))
        peak = max([c for d in using for c in counts[d.name].values()] + [1])
        rows = []
        for k in keys:
            cells = [counts[d.name].get(k, 0) for d in using]
            if not any(cells):
                continue
            slug = renderer.district_slug(k) if dim == "district" else None
            rows.append({"key": k, "label": renderer.label(resource, k), "slug": slug, "cells": cells,
                         "bar": round(100 * max(cells) / peak, 1)})
        dims.append({"title": title, "title_en": title_en, "datasets": [dataset_info(d) for d in using], "rows": rows})
    award_types = []
    awards = award_dataset(catalog)
    type_field = next((f for f, res in foreign(awards).items() if res == "award-types"), None) if awards else None
    if awards is not None and type_field:
        money = money_fields(awards)
        grouped = defaultdict(list)
        for r in in_force(awards, awards.records):
            grouped[r.values.get(type_field)].append(r)
        peak = max([money_total(awards, v, money[0]) for v in grouped.values()] + [1]) if money else 1
        for k in renderer.registry.get("award-types", {}):
            recs = grouped.get(k, [])
            if not recs:
                continue
            total = money_total(awards, recs, money[0]) if money else 0
            award_types.append({"label": k, "count": len(recs), "total": total, "bar": round(100 * total / peak, 1)})
    money_rows = []
    for d in datasets:
        for m in money_fields(d):
            live = in_force(d, d.records)
            money_rows.append({"ds": dataset_info(d), "label": field_label(d.field(m)),
                               "years": [money_total(d, [r for r in live if year_of(r) == y], m) for y in all_years],
                               "total": money_total(d, live, m), "stages": money_by_stage(d, live, m)})
    return render("statistics.html", "statistics.md", site, years=all_years, by_year=by_year, dims=dims,
                  award_types=award_types, money=money_rows, companies=len(site.companies))


def measures(site: Site, targets: list[dict]) -> list[dict]:
    catalog = site.catalog
    depts = registry_rows(catalog, "departments")
    out = []
    ds = catalog.datasets.get("measures")
    for r in (ds.records if ds else []):
        v = r.values
        mid = str(v.get("id"))
        linked = v.get("datasets") or []
        out.append({"id": mid, "chapter": v.get("chapter"), "chapter_title": v.get("chapter_title"),
                    "title": v.get("title"), "title_en": v.get("title_en"), "summary": v.get("summary"),
                    "lead": depts.get(str(v.get("lead_department")), {}).get("name") or v.get("lead_department"),
                    "departments": [depts.get(d, {}).get("name") or d for d in v.get("departments") or []],
                    "datasets": [measure_counts(catalog, catalog.datasets[d], mid) for d in linked
                                 if d in catalog.datasets and SAFE_NAME.match(d)],
                    "targets": [t for t in targets if str(t.get("measure") or "") == mid]})
    out.sort(key=lambda m: int(m["id"]) if m["id"].isdigit() else 0)
    return out


def measure_counts(catalog: Catalog, ds: Dataset, mid: str) -> dict:
    """What a dataset holds for one measure: when a field points to a registry with a `measure` column (award types,
    scene types, list kinds), the records in force of that measure's rows, counted per row; when none of the rows
    belongs to the measure, no count (the dataset's whole size would say nothing about the measure)."""
    info = {"name": ds.name, "title": ds.meta.get("title", ds.name), "count": None, "parts": []}
    for name, resource in foreign(ds).items():
        target = catalog.datasets.get(resource)
        if target is None or target.meta.get("group") != "registry" or not target.field("measure"):
            continue
        rows = [str(r.values.get("id")) for r in target.records if str(r.values.get("measure")) == mid]
        if not rows:
            return info
        counts = Counter(str(r.values.get(name)) for r in in_force(ds, ds.records))
        info["parts"] = [{"label": row, "count": counts.get(row, 0)} for row in rows]
        info["count"] = sum(p["count"] for p in info["parts"])
        return info
    info["count"] = len(in_force(ds, ds.records))
    return info


def constraint_text(fld: dict) -> list[str]:
    out = []
    for key, value in (fld.get("constraints") or {}).items():
        if key == "required":
            out.append("必填 / required" if value else "选填 / optional")
        elif key == "enum":
            out.append("取值 / one of: " + "、".join(map(str, value)))
        else:
            out.append(f"{key}: {value}")
    if "delimiter" in fld:
        out.append(f"分隔符 / delimiter: {fld['delimiter']}")
    return out


def dictionary(catalog: Catalog) -> list[dict]:
    tables = []
    for ds in list_datasets(catalog) + catalog.registry():
        fk = foreign(ds)
        tables.append({"name": ds.name, "title": ds.meta.get("title", ds.name), "title_en": ds.meta.get("title_en", ""),
                       "group": ds.meta.get("group"), "schema": ds.meta.get("schema"),
                       "description": ds.schema.get("description", ""),
                       "fields": [{"name": f["name"], "title": f.get("title", ""), "en": f.get("x-label-en", ""),
                                   "type": f.get("type", "string"), "constraints": constraint_text(f),
                                   "description": f.get("description", ""),
                                   "example": f.get("example", ""), "ref": fk.get(f["name"])} for f in ds.fields]})
    return tables


def nav(catalog: Catalog) -> list:
    """The top tabs (theme feature navigation.tabs): 数据集 (the home page, one entry per dataset, the dictionary,
    about), 统计, 企业, 地区, 政策, 下载 (with the changelog), 搜索. Records, years and single companies or districts
    are reached by links only (not_in_nav)."""
    datasets: list = ["index.md"]
    for ds in list_datasets(catalog):
        datasets.append({plain_title(ds.meta.get("title", ds.name)): f"{ds.name}/index.md"})
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
        lines.append(f"/{ds.name}/all.md")
    return "\n".join(lines) + "\n"
