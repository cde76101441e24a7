"""The programme's own pages: the home page (target progress, latest batches, releases), the policy page (the 18
measures with what the data holds for each) and the statistics. They find the programme tables by their declared
role (targets, measures, departments, award types, districts, industries), never by name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any, Mapping

from ..model.catalog import Catalog, Dataset, Record
from ..validate import targets
from . import charts
from .context import (
    DISTRICT_COLUMN,
    SAFE_FILE,
    SAFE_NAME,
    Settings,
    Site,
    counts_by,
    field_label,
    group_chart,
    in_force,
    money_base,
    money_by_stage,
    money_total,
    pending,
    render,
    year_of,
    years,
)
from .render import page
from .value_html import Renderer


def target_progress(catalog: Catalog) -> list[dict]:
    """Each target of the targets registry with its progress, counted as its row declares (scripts/validate/targets.py): the
    period, the stages counted and shown beside, the place; the rule in words and what it left out."""
    out = []
    table = catalog.role("targets")
    places = targets.Places(catalog)  # each record located once for every target
    for row in (table.records if table else []):
        v = row.values
        goal = float(v["value"]) if v.get("value") else None
        item: dict[str, Any] = {"id": v.get("id"), "title": v.get("title"), "title_en": v.get("title_en"), "value": goal,
                "unit": v.get("unit") or "", "period": v.get("period"), "comparison": v.get("comparison"),
                "deadline": int(v["deadline"]) if v.get("deadline") else None, "measure": v.get("measure"),
                "rule": v.get("count_rule"), "dataset": v.get("dataset"), "tracked": False, "years": [], "count": 0,
                "percent": 0, "pending": 0}
        ds = catalog.datasets.get(v.get("dataset") or "")
        if ds is not None and ds.info.is_list and goal:
            item.update(_progress(catalog, ds, targets.declaration(v, ds), goal, places))
            if item["years"]:
                item["chart"] = charts.target_chart(item, charts.as_of([ds]))
        out.append(item)
    return out


def _progress(catalog: Catalog, ds: Dataset, decl: targets.Declaration, goal: float, places: targets.Places) -> dict:
    found = targets.count(catalog, ds, decl, places)
    per_year = Counter(year_of(ds, r) for r in found.counted)
    waiting_per_year = Counter(year_of(ds, r) for r in found.pending)
    span = sorted(y for y in per_year if y is not None)
    last = decl.last or max(span + [2025])
    first = decl.first if decl.first is not None else min(span + [last])
    item: dict[str, Any] = {"tracked": True, "pending": len(found.pending), "counted": targets.rule_words(catalog, ds, decl, found),
            "stage_words": {"in_force": "、".join(decl.stages), "pending": "、".join(decl.pending)},
            "years": [{"year": y, "count": per_year.get(y, 0), "pending": waiting_per_year.get(y, 0)}
                      for y in range(first, last + 1)] if ds.info.year else [],
            "newest_year": max(years(ds) or [first])}
    if decl.per_year and ds.info.year:
        item["latest_year"] = max(span) if span else first
        item["count"] = per_year.get(item["latest_year"], 0)
        item["pending"] = waiting_per_year.get(item["latest_year"], 0)  # a yearly target: that year's pending
    else:
        item["count"] = len(found.counted)
    item["percent"] = min(100.0, 100.0 * item["count"] / goal)
    return item


def home_page(site: Site, targets: list[dict]) -> str:
    """The home page: every list's counts, target progress, the latest batch of each list, the latest releases."""
    site.charts.update((t["chart"].slug, t["chart"]) for t in targets if t.get("chart"))
    latest = []
    for ds in site.lists:
        if not ds.info.year:
            continue  # the latest batch is the latest of a year
        batches: Counter[tuple[int, int]] = Counter()
        batch_f = ds.info.batch
        for r in ds.records:
            batch = str(r.values.get(batch_f) or "") if batch_f else ""
            batches[(year_of(ds, r) or 0, int(batch) if batch.isdigit() else 0)] += 1
        if batches:
            (y, b) = max(batches)
            latest.append({"ds": site.info(ds), "year": y, "batch": b, "count": batches[(y, b)]})
    return page("首页 / Home", render("home.html", "index.md", site, datasets=list(site.infos.values()), targets=targets,
                                      latest=latest, releases=latest_releases(site.settings)), hide=("navigation", "toc"))


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


def statistics_page(site: Site, renderer: Renderer) -> str:
    catalog = site.catalog
    datasets = site.lists
    all_years = sorted({y for d in datasets for y in years(d)})
    by_year = []
    for d in datasets:
        live, waiting = in_force(d, d.records), pending(d, d.records)
        per_year: Mapping[int | None, int] = Counter(year_of(d, r) for r in live) if d.info.year else {}  # one pass
        year_counts: list[int | None] = [per_year.get(y, 0) for y in all_years] if d.info.year else [None] * len(all_years)
        by_year.append({"ds": site.info(d), "counts": year_counts,
                        "active": len(live), "pending": len(waiting), "withdrawn": len(d.records) - len(live) - len(waiting)})
    dims = []
    for role, registry, title, title_en, slug, column in (
            ("district", "districts", "按地区", "By district", "by-district", DISTRICT_COLUMN),
            ("industry", "industries", "按产业领域", "By industry", "by-industry", ("产业领域", "Industry"))):
        using, keys, counts = counts_by(site, renderer, role, registry)
        table = catalog.role_name(registry)
        rows = [{"key": k, "label": renderer.label(table, k),
                 "slug": renderer.district_slug(k) if role == "district" else None,
                 "cells": [counts[d.name].get(k, 0) for d in using]} for k in keys]
        chart = group_chart(site, renderer, role, registry, slug, f"{title}（在用）", f"{title_en} (in force)", column)
        dims.append({"id": slug, "title": title, "title_en": title_en, "datasets": [site.info(d) for d in using],
                     "rows": rows, "chart": chart})
    award_types: list[dict[str, Any]] = []
    awards = site.awards
    types = catalog.role_name("award-types")
    type_field = next(iter(awards.info.refs(types)), None) if awards else None
    if awards is not None and type_field:
        money = awards.info.money
        grouped: defaultdict[Any, list[Record]] = defaultdict(list)
        for r in in_force(awards, awards.records):
            grouped[r.values.get(type_field)].append(r)
        for k in renderer.registry.get(types, {}):
            recs = grouped.get(k, [])
            if not recs:
                continue
            total = money_total(awards, recs, money[0]) if money else 0
            award_types.append({"label": k, "count": len(recs), "total": total,
                                "unit": money_base(awards, money[0]) if money else "元"})
    award_chart = None
    if award_types and awards is not None:
        award_chart = site.charts.setdefault("by-award-type", charts.money_chart(
            "by-award-type", "按奖励类型的金额（在用）", "Amount by award type (in force)", award_types,
            charts.as_of([awards]), award_types[0]["unit"]))
    money_rows = []
    for d in datasets:
        for m in d.info.money:
            live = in_force(d, d.records)
            money_rows.append({"ds": site.info(d), "label": field_label(d.field_spec(m)),
                               "years": [money_total(d, [r for r in live if year_of(d, r) == y], m) if d.info.year else None
                                         for y in all_years],
                               "total": money_total(d, live, m), "stages": money_by_stage(d, live, m),
                               "unit": money_base(d, m)})
    return page("统计 / Statistics", render("statistics.html", "statistics.md", site, years=all_years, by_year=by_year,
                                            dims=dims, award_types=award_types, award_chart=award_chart, money=money_rows,
                                            companies=len(site.companies)))


def policy_page(site: Site, targets: list[dict]) -> str:
    return page("政策 / Policy", render("policy.html", "policy.md", site, measures=measures(site, targets),
                                        datasets=site.infos))


def measures(site: Site, targets: list[dict]) -> list[dict]:
    catalog = site.catalog
    depts = catalog.rows("departments")
    out: list[dict[str, Any]] = []
    ds = catalog.role("measures")
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
    info: dict[str, Any] = {"name": ds.name, "title": ds.info.title, "count": None, "parts": []}
    for name, resource in ds.info.foreign.items():
        target = catalog.datasets.get(resource)
        if target is None or target.info.group != "registry" or not target.field("measure"):
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
