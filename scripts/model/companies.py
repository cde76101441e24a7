"""Who a record's company is, for pages and search: one entry per company, with or without a credit code.

A record's company name (dataset.yaml `display.company.name`) resolves through the companies registry (exact, then
normalised, then alias), so former names and short names land on the same page; an unregistered name is its own
company, even when its record carries a registered company's credit code (validate refuses that record: a code never
moves a record onto another company's page). The page address is the credit code when one is known (registry first,
then the records), else a stable hash of the name: companies without a code get a page too.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from typing import Any

from . import vocab
from .catalog import Catalog, Dataset, Record

SAFE_CODE = re.compile(r"^[0-9A-Z]{18}$")


def company_fields(dataset: Dataset) -> tuple[str | None, str | None]:
    """The fields naming a record's company and its credit code (display.company), None when not declared."""
    return dataset.info.company_name, dataset.info.company_code


def name_slug(key: str) -> str:
    return "c-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def index(catalog: Catalog) -> tuple[dict[str, dict[str, Any]], dict[int, str]]:
    """({slug: entry}, {id(record): slug}); entry = {slug, code, name, names, records{dataset: [Record]}, districts,
    registered, province, city}. Sorted by slug."""
    registry = catalog.role("companies")
    reg_name, reg_code = company_fields(registry) if registry else (None, None)
    reg_district = registry.info.district if registry else None
    reg_rows = {str(r.values.get(reg_name)): r.values for r in registry.records} if registry and reg_name else {}
    # a registered code is that company's page address alone; a record elsewhere carrying it (an error) does not take it
    reserved = {str(v[reg_code]): n for n, v in reg_rows.items() if reg_code and v.get(reg_code)}
    keyed: list[tuple[str, Record, str, str | None, str | None]] = []
    record_codes: dict[str, Counter[str]] = defaultdict(Counter)
    table = catalog.role_name("companies")
    resolved: dict[str, str | None] = {}
    for ds in catalog.lists():
        name_f, code_f = company_fields(ds)
        district_f = ds.info.district
        if name_f is None:
            continue
        for record in ds.records:
            name = record.values.get(name_f)
            code = record.values.get(code_f) if code_f else None
            if not isinstance(name, str) or not name.strip():
                continue
            if name not in resolved:  # most companies appear on several records: each name is resolved once
                resolved[name] = vocab.resolve(catalog, table, name)[0]
            key = resolved[name] or vocab.normalise(name)
            keyed.append((ds.name, record, key, name, record.values.get(district_f) if district_f else None))
            if isinstance(code, str) and SAFE_CODE.match(code) and reserved.get(code, key) == key:
                record_codes[key][code] += 1
    entries: dict[str, dict[str, Any]] = {}
    slugs: dict[str, str] = {}
    of: dict[int, str] = {}
    for ds_name, record, key, name, district in keyed:
        slug = slugs.get(key)
        if slug is None:
            row = reg_rows.get(key) or {}
            code = row.get(reg_code) if reg_code and row.get(reg_code) and SAFE_CODE.match(str(row[reg_code])) else None
            if code is None and record_codes.get(key):
                code = min(record_codes[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if code in entries:  # two unregistered names under one code (a review flag): one page each
                code = None
            slug = code or name_slug(key)
            slugs[key] = slug
            entries[slug] = {"slug": slug, "code": code, "key": key, "registered": bool(row), "names": Counter(),
                             "records": defaultdict(list), "districts": Counter(),
                             "district_hint": row.get(reg_district) if reg_district else None,
                             "province": row.get("province"), "city": row.get("city")}
        entry = entries[slug]
        entry["names"][name] += 1
        entry["records"][ds_name].append(record)
        if district:
            entry["districts"][district] += 1
        of[id(record)] = slug
    for entry in entries.values():
        entry["name"] = entry["key"] if entry["registered"] else \
            min(entry["names"].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        counted = min(entry["districts"].items(), key=lambda kv: (-kv[1], kv[0]))[0] if entry["districts"] else None
        entry["district"] = entry["district_hint"] or counted
    return dict(sorted(entries.items())), of
