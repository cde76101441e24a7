"""The generic pages every list gets from its dataset.yaml and schema, whatever its name and fields: the dataset
overview, its list pages (one per year, or one of all records) with their JSON, a page per record, the company pages,
the district pages and the data dictionary.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from markupsafe import Markup, escape

from ..model.catalog import Catalog, Dataset, Record
from ..model.units import DEFAULT as YUAN
from ..model.units import money_text
from . import charts
from .context import (
    ALL,
    COMPANY_PAGE_SIZE,
    DISTRICT_COLUMN,
    LINE_PAGE_FORMATS,
    PAGE_SIZE,
    SAFE_NAME,
    Site,
    company_awards_total,
    dump_json,
    edit_link,
    field_label,
    group_chart,
    in_force,
    list_datasets,
    money_summary,
    pending,
    render,
    repo_path,
    report_link,
    rid_of,
    title_of,
    year_of,
)
from .list_data import column_class, list_first_rows, list_json, list_roles, unit_entry
from .render import macro, page, root_of, safe_url
from .value_html import Renderer, district_html, stage_badge


def dataset_pages(site: Site, renderer: Renderer, ds: Dataset):
    """The dataset's overview, its list pages (one per year, or one of all records) with their data, its records."""
    info = site.info(ds)
    columns = [field_label(ds.field_spec(c)) for c in ds.info.list_columns]
    by_part = defaultdict(list)
    for r in ds.records:
        by_part[year_of(ds, r) if ds.info.year else ALL].append(r)
    parts = [{"year": y, "count": len(by_part[y]), "active": len(in_force(ds, by_part[y])),
              "pending": len(pending(ds, by_part[y])), "stem": ds.name if y == ALL else f"{ds.name}-{y}"}
             for y in site.list_pages(ds)]
    path = f"{ds.name}/index.md"
    chart = None
    if ds.info.year:  # in force and pending by year, on one scale
        chart = charts.dataset_year_chart(ds.name, info["title"], info["title_en"], parts, charts.as_of([ds]))
        site.charts[chart.slug] = chart
    yield path, page(f"{info['title']}", render("dataset.html", path, site, ds=info, meta=ds.info, years=parts,
                                                fields=[field_label(f) for f in ds.fields], chart=chart))
    key = ds.info.key
    roles = list_roles(ds)
    for c in columns:
        c["cls"] = column_class(roles, ds.info.money, key, c["name"])
    for part in parts:
        y = part["year"]
        records = sorted(by_part[y], key=lambda r: str(r.values.get(key)))
        path = f"{ds.name}/{y}.md"
        yield path, page(f"{info['title']} {y}" if y != ALL else f"{info['title']} · 全部 / All", render(
            "list.html", path, site, ds=info, year=y if y != ALL else None, years=parts if y != ALL else [],
            columns=columns, first=list_first_rows(renderer, ds, records, columns, root_of(path)), total=len(records),
            page_size=PAGE_SIZE, stem=part["stem"], src=[f"listdata/{ds.name}-{y}.json"], file=f"{ds.name}-{y}"),
            hide=("toc",))
        view, full = list_json(ds, records, renderer, y)
        yield f"listdata/{ds.name}-{y}.json", dump_json(view)
        yield f"listdata/{view['full']}", dump_json(full)
    if ds.info.year and parts:  # every year in one list: the page fetches each year's data file
        path = f"{ds.name}/{ALL}.md"
        records = sorted(ds.records, key=lambda r: str(r.values.get(key)))
        yield path, page(f"{info['title']} · 全部年度 / All years", render(
            "list.html", path, site, ds=info, year=None, all_years=True, years=parts, columns=columns,
            first=list_first_rows(renderer, ds, records, columns, root_of(path)), total=len(records),
            page_size=PAGE_SIZE, stem=ds.name, src=[f"listdata/{ds.name}-{p['year']}.json" for p in parts],
            file=f"{ds.name}-{ALL}"), hide=("toc",))
    yield from record_pages(site, renderer, ds)


def record_pages(site: Site, renderer: Renderer, ds: Dataset):
    """A page per record (up to 120,000 in a list): what every page of the list shares is worked out once."""
    row_start = macro("_macros.html", "field_row_start")
    # each field's cell function and its row up to the value, made once per list
    heads = [(renderer.cell(ds, f), f["name"], row_start(field_label(f))) for f in ds.fields]
    shared = {"ds": site.info(ds), "meta": ds.info, "csv": ds.info.format in LINE_PAGE_FORMATS,
              "sources": [{"title": s.get("title", ""), "url": safe_url(s.get("path"))} for s in ds.info.sources]}
    for r in ds.records:
        rid = rid_of(ds, r)
        if not SAFE_NAME.match(rid) or rid in (ALL, "index"):
            continue
        path = f"{ds.name}/{rid}.md"
        yield path, page(rid, record_page(site, renderer, ds, r, rid, path, heads, shared))


def record_page(site: Site, renderer: Renderer, ds: Dataset, r: Record, rid: str, path: str, heads: list,
                shared: dict) -> str:
    root = root_of(path)
    values = r.values
    rows = [(start, cell(values.get(name), root)) for cell, name, start in heads]
    related: list[dict[str, Any]] = []
    for other_name, rec in site.refs.get((ds.name, rid), []):
        other = site.catalog.datasets[other_name]
        related.append({"dataset": site.info(other), "id": rec.values.get(other.info.key), "title": title_of(other, rec),
                        "status": stage_badge(other, rec.values)})
    for name, resource in ds.info.foreign.items():
        if resource in renderer.lists:
            raw = values.get(name)
            for v in raw if isinstance(raw, list) else [raw]:
                target = site.by_id.get(resource, {}).get(str(v)) if v is not None else None
                if target is not None:
                    other = site.catalog.datasets[resource]
                    related.append({"dataset": site.info(other), "id": v, "title": title_of(other, target),
                                    "status": stage_badge(other, target.values)})
    related.sort(key=lambda x: (x["dataset"]["name"], str(x["id"])))
    return render("record.html", path, site, rid=rid, title=title_of(ds, r), rows=rows, related=related,
                  edit=edit_link(site, ds, r), report=report_link(site, ds, rid),
                  source_file=repo_path(site.catalog, r.path), line=r.line, year=year_of(ds, r),
                  source_url=safe_url(values.get(ds.info.source)) if ds.info.source else None, company=site.company_of.get(id(r)), **shared)


def company_pages(site: Site, renderer: Renderer):
    rows = []
    names = site.infos
    order = list(names)
    for slug, entry in site.companies.items():
        groups: list[dict[str, Any]] = []
        for name in order:
            ds = site.catalog.datasets[name]
            records = sorted(entry["records"].get(name, []), key=lambda r: str(r.values.get(ds.info.key)))
            if not records:
                continue
            groups.append({"ds": names[name], "count": len(records), "active": len(in_force(ds, records)),
                           "pending": len(pending(ds, records)), "money": money_summary(ds, records),
                           "records": [(r.values.get(ds.info.key), title_of(ds, r), stage_badge(ds, r.values))
                                       for r in records]})  # tuples: Jinja reads dict keys through a failed getattr
        award_total = company_awards_total(site, entry)
        awards = site.awards
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
                award_stages=money_summary(awards, award_records)[0]["stages"] if awards and awards.info.money else [],
                place="".join(x for x in (entry["province"], entry["city"]) if x) if not district else "",
                district=district_html(renderer, district, root_of(path)), number=number, pages=pages, total=total))
        counts = {name: len(entry["records"].get(name, [])) for name in order}
        rows.append([slug, entry["name"], code or "", district or ""] + [str(counts[n]) for n in order] + [str(award_total)])
    fields = ["page", "name", "credit_code", "district"] + [f"{n}_count" for n in order] + ["award_total_yuan"]
    titles = {"page": ["页面", "Page"], "credit_code": ["统一社会信用代码", "Unified social credit code"],
              "name": ["企业名称", "Company"], "district": ["所在地区", "District"],
              "award_total_yuan": ["奖励合计（元，认定和已拨付）", "Awards total (yuan, confirmed and paid)"]}
    for n in order:
        titles[f"{n}_count"] = [f"{names[n]['title']}（条）", f"{names[n]['title_en']} (records)"]
    data: dict[str, Any] = {"dataset": "companies", "year": None, "fields": fields, "titles": titles,
            "types": {f: ("integer" if f.endswith(("_count", "_yuan")) else "string") for f in fields},
            "columns": fields[1:], "filters": ["district"], "search": ["credit_code", "name"],
            "labels": {"district": {k: renderer.district_label(k) for k in sorted(renderer.districts)}},
            "link": {"field": "name", "key": "page", "prefix": "companies/"}, "money": ["award_total_yuan"],
            "units": {"award_total_yuan": unit_entry(YUAN)},
            "roles": {"title": "name", "company": None, "status": None}, "status": None, "group": ["district"],
            "delimiters": {}, "year_field": None, "full": None, "rows": [row + [i] for i, row in enumerate(rows)]}
    yield "listdata/companies.json", dump_json(data)
    path = "companies/index.md"
    columns = [{"name": f, "title": titles[f][0], "en": titles[f][1],
                "cls": column_class(data["roles"], data["money"], "name", f, link_is_id=False)} for f in fields[1:]]
    first = [{"id": row[0], "cls": "", "cells": [Markup('<a href="{}companies/{}/">{}</a>').format(root_of(path), row[0], row[1]),
                                      escape(row[2]) if row[2] else Markup('<span class="sx-empty">—</span>'),
                                      district_html(renderer, row[3], root_of(path))]
              + [escape(c) for c in row[4:-1]] + [escape(money_text(row[-1], YUAN))]} for row in rows[:PAGE_SIZE]]
    yield path, page("企业 / Companies", render("list.html", path, site, ds={
        "name": "companies", "title": "企业", "title_en": "Companies", "count": len(rows),
        "description": "各数据集中出现的企业和单位，名称经企业名录识别（全称、曾用名、简称），有无统一社会信用代码都有页面。",
        "description_en": "Every company or organisation in the datasets, names resolved through the companies registry "
                          "(full, former and short names); companies with and without a credit code."},
        year=None, years=[], stem=None, columns=columns, first=first, total=len(rows), page_size=PAGE_SIZE,
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


def district_pages(site: Site, renderer: Renderer):
    datasets = [d for d in site.lists if d.info.district]
    summary = []
    by_district: dict[str, defaultdict[str, list[Record]]] = {ds.name: defaultdict(list) for ds in datasets}  # one pass over the records, not one per district
    for ds in datasets:
        for r in ds.records:
            value = r.values.get(ds.info.district or "")  # the datasets with a district role
            if isinstance(value, str):  # district ids are strings: no other value equals one
                by_district[ds.name][value].append(r)
    companies_in = defaultdict(list)
    for e in site.companies.values():
        companies_in[e["district"]].append(e)
    for did, row in renderer.districts.items():
        slug = renderer.district_slug(did)
        if not slug:
            continue
        path = f"districts/{slug}.md"
        groups: list[dict[str, Any]] = []
        for ds in datasets:
            recs = by_district[ds.name].get(did, [])
            per_part = Counter(year_of(ds, r) if ds.info.year else ALL for r in recs)
            groups.append({"ds": site.info(ds), "count": len(recs), "active": len(in_force(ds, recs)),
                           "pending": len(pending(ds, recs)),
                           "years": [{"year": y, "count": per_part.get(y, 0)} for y in site.list_pages(ds)],
                           "money": money_summary(ds, recs)})
        companies = companies_in.get(did, [])
        top = sorted(companies, key=lambda e: (-sum(len(v) for v in e["records"].values()), e["slug"]))[:20]
        chart = None
        if any(g["active"] for g in groups):  # a district with nothing in force has no bar to compare
            chart = group_chart(site, renderer, "district", "districts", f"district-{slug}",
                                f"{row.get('name')}与其他地区（在用）",
                                f"{row.get('name_en')} among the districts (in force)", DISTRICT_COLUMN, highlight=did)
        yield path, page(f"地区 / District {slug}", render(
            "district.html", path, site, row=row, did=did, slug=slug, groups=groups, company_count=len(companies),
            chart=chart,
            top=[{"code": e["slug"], "name": e["name"], "count": sum(len(v) for v in e["records"].values()),
                  "award_total": company_awards_total(site, e)} for e in top]))
        summary.append({"slug": slug, "row": row, "did": did,
                        "counts": {g["ds"]["name"]: g["active"] for g in groups}, "companies": len(companies)})
    chart = group_chart(site, renderer, "district", "districts", "by-district", "按地区（在用）",
                        "By district (in force)", DISTRICT_COLUMN)
    yield "districts/index.md", page("地区 / Districts", render("districts.html", "districts/index.md", site,
                                                               districts=summary, chart=chart,
                                                               datasets=[site.info(d) for d in datasets]))


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
        fk = ds.info.foreign
        tables.append({"name": ds.name, "title": ds.info.title, "title_en": ds.info.title_en,
                       "group": ds.info.group, "schema": ds.info.schema,
                       "description": ds.schema.get("description", ""),
                       "fields": [{"name": f["name"], "title": f.get("title", ""), "en": f.get("x-label-en", ""),
                                   "type": f.get("type", "string"), "constraints": constraint_text(f),
                                   "description": f.get("description", ""),
                                   "example": f.get("example", ""), "ref": fk.get(f["name"])} for f in ds.fields]})
    return tables
