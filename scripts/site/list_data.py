"""The data behind a list page: the JSON list.js reads (the fields shown, filtered, searched, summed or grouped, the
roles of the fields, the stages that count) with its full file for downloads, and the static first page of rows
with the cell classes list.js gives too (phone cards show link, title, company, stage and money)."""

from __future__ import annotations

from markupsafe import Markup

from ..model.catalog import Dataset, Record
from ..model.units import titles, unit
from .context import PAGE_SIZE, record_url
from .value_html import Renderer


def list_roles(ds: Dataset) -> dict:
    """Which field plays which part in a list (phone cards, totals, group-by): title, company, status."""
    info = ds.info
    title = info.title_field if info.title_field != info.key and ds.field(info.title_field) else None
    company = info.company_name if info.company_name and ds.field(info.company_name) else None
    return {"title": title, "company": company, "status": info.status.field}


def column_class(roles: dict, money, link: str, name: str, link_is_id: bool = True) -> str:
    """The cell class of a list column (list.js cellClass gives the same)."""
    if name == link:
        return "sx-c-link sx-c-id" if link_is_id else "sx-c-link"
    for role in ("title", "company", "status"):
        if roles.get(role) == name:
            return f"sx-c-{role}"
    return "sx-c-money" if name in money else "sx-c-other"


def list_json(ds: Dataset, records: list[Record], renderer: Renderer, part) -> tuple[dict, dict]:
    """(view, full) for a list page. The view holds only the fields shown, filtered, searched, summed or grouped
    (plus each row's position in the full file); the full file, fetched only for a download, holds every field of
    every row and the names of every code (the download's `*_name` columns)."""
    info = ds.info
    fields = ds.fields
    filters, columns, search = list(info.filters), list(info.list_columns), list(info.search_fields)
    roles = list_roles(ds)
    money = [m for m in info.money if ds.field(m)]
    year = info.year if info.year and ds.field(info.year) else None
    group = ([year] if year else []) + filters + (
        [roles["company"]] if roles["company"] and roles["company"] not in filters else [])
    wanted = {info.key, *columns, *filters, *search, *money, *group, *(r for r in roles.values() if r)}
    view = [f for f in fields if f["name"] in wanted]
    shown = [k for k, f in enumerate(fields) if f["name"] in wanted]  # the view's cells: a part of each full row
    rows = _json_rows(fields, records)

    def labels_of(names) -> dict[str, dict[str, str]]:
        out = {}
        for name in sorted(names):
            resource = info.foreign.get(name)
            if resource in renderer.registry:
                out[name] = {k: renderer.label(resource, k) for k in sorted(renderer.registry[resource])}
        return out

    status = info.status
    return {
        "dataset": ds.name,
        "year": None if part == "all" else part,
        "year_field": year,
        "fields": [f["name"] for f in view],
        "titles": {f["name"]: _titles(f) for f in fields},
        "types": {f["name"]: f.get("type", "string") for f in fields},
        "delimiters": {f["name"]: f.get("delimiter", ",") for f in view if f.get("type") == "list"},
        "columns": columns,
        "filters": filters,
        "group": group,
        "search": search,
        "labels": labels_of(set(columns) | set(filters) | set(group)),
        "link": {"field": info.key, "prefix": ds.name + "/"},
        "money": money,
        "units": list_units(info, [f["name"] for f in view if f["name"] in info.amounts]),
        "roles": roles,
        "status": {"field": status.field, "in_force": list(status.in_force), "pending": list(status.pending),
                   "withdrawn": list(status.withdrawn)} if status.field in wanted else None,
        "full": f"{ds.name}-{part}.full.json",
        "rows": [[row[k] for k in shown] + [i] for i, row in enumerate(rows)],
    }, {
        "fields": [f["name"] for f in fields],
        "labels": labels_of({f["name"] for f in fields}),
        "delimiters": {f["name"]: f.get("delimiter", ",") for f in fields if f.get("type") == "list"},
        "rows": rows,
    }


def _titles(f: dict) -> list[str]:
    """[中文, English] of a column as the downloads head it (naming a declared unit the title leaves out)."""
    zh, en = titles(f)
    return [zh, en if f.get("x-label-en") else ""]


def list_units(info, names) -> dict[str, dict]:
    """For list.js: each money field's declared unit, its base and the power of ten between them (a 万元 field's 100
    is shown as 1,000,000 元 by the one money rule, scripts/model/units.py; sums are kept in the base unit)."""
    return {name: unit_entry(info.unit(name)) for name in names}


def unit_entry(name: str) -> dict:
    """How list.js reads one money column: {unit, base, shift} of the unit `name` (元, 万元 …)."""
    u = unit(name)
    return {"unit": u.name, "base": u.base, "shift": u.shift}


def _json_rows(fields: list[dict], records: list[Record]) -> list[list]:
    """Every field of every record as the list JSON holds it: "" for none, a list joined by its delimiter."""
    spec = [(f["name"], f.get("delimiter", ",")) for f in fields]  # looked up once, not once per cell (1,920,000 at 10x)
    out = []
    for r in records:
        get, row = r.values.get, []
        for name, sep in spec:
            v = get(name)
            row.append("" if v is None else sep.join(v) if isinstance(v, list) else v)
        out.append(row)
    return out


def list_first_rows(renderer: Renderer, ds: Dataset, records: list[Record], columns: list[dict], root: str) -> list:
    """The first page of a list as HTML cells (what list.js draws, for a reader without JavaScript)."""
    status = ds.info.status
    key = ds.info.key
    out = []
    for r in records[:PAGE_SIZE]:
        rank = status.rank(r.values.get(status.field)) if status.field else 0  # 0 in force, 1 pending, 2 withdrawn
        cells = []
        for c in columns:
            raw = r.values.get(c["name"])
            if c["name"] == key:
                cells.append(Markup('<a href="{}">{}</a>').format(root + record_url(ds.name, raw), raw))
            elif c["name"] == status.field and raw:
                cells.append(Markup('<span class="sx-status sx-status-{}">{}</span>').format(status.kind(raw), raw))
            else:
                cells.append(renderer.value(ds, ds.field_spec(c["name"]), raw, root))
        out.append({"id": r.values.get(key), "cells": cells,
                    "cls": ("", "sx-row-pending", "sx-row-withdrawn")[rank]})
    return out
