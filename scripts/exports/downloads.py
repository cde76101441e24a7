"""The file set of one version of the catalogue: the per-dataset CSV, Excel CSV, XLSX and JSON files, the
all-datasets workbook and the Frictionless data package zip, with the citation and publisher every file carries.

`write_version(catalog, out, version, day, url)` writes them (the packages stage for the current data, the release
module for every recorded release). Layout under out/:

    <dataset>/<dataset>-<year>.csv   UTF-8, LF, field names as header (for tools)
    <dataset>/<dataset>-<year>.excel.csv   UTF-8 with BOM, CRLF, bilingual header (for Excel)
    <dataset>/<dataset>-<year>.xlsx  ids and codes as text, header frozen, bilingual titles
    <dataset>/<dataset>-<year>.json  {"about": …, "records": [typed records]}
    <dataset>/<dataset>.{csv,excel.csv,xlsx,json}   all years
    jiaxing-sanxin-open-data.zip     Frictionless Data Package v2 (datapackage.json, README.md, data/*.csv)
    jiaxing-sanxin-open-data.xlsx    one workbook, a sheet per dataset

Everything is deterministic: the same data gives byte-identical files. A dataset is written in one pass over its
sorted records, each formatted once (formats.RowFormat) for its year's files, the all-years files and the workbook.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from .. import siteconfig
from ..model.catalog import Catalog, Dataset, Record
from ..model.roles import CatalogMeta
from ..safefs import within
from ..site.render import render
from . import code_names, formats
from .code_names import LAYOUT
from .formats import Row, RowFormat, Table, by_year, csv_header, dumps, json_head, json_tail, sorted_records
from .xlsx import BATCH, Workbook

PACKAGE = "jiaxing-sanxin-open-data"
TITLE = "嘉兴“三新”开放数据"
TITLE_EN = "Jiaxing New Technology, New Product, New Scene Open Data"
DEFAULT_DAY = date(2025, 1, 1)  # documents built before any release carry this fixed date (never the clock)

FORMATS = [  # (suffix, 中文, English, media type)
    (".csv", "CSV（UTF-8，供程序使用）", "CSV (UTF-8, for tools)", "text/csv"),
    (".excel.csv", "CSV（UTF-8 BOM，供 Excel 打开）", "CSV (UTF-8 with BOM, for Excel)", "text/csv"),
    (".xlsx", "Excel 工作簿", "Excel workbook (XLSX)",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (".json", "JSON", "JSON", "application/json"),
]
MEDIA = {s: m for s, _zh, _en, m in FORMATS} | {".zip": "application/zip"}


# --- small helpers -------------------------------------------------------------------------------

def site_url() -> str:
    """The public site address: mkdocs.yml site_url when set (scripts/siteconfig.py), else https://example.org/."""
    return siteconfig.site_url() or siteconfig.PLACEHOLDER


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_manifest(root: Path) -> list[dict]:
    """[{path, bytes, sha256}] of every file under root, sorted by path (posix, relative to root)."""
    files = sorted(p for p in Path(root).rglob("*") if p.is_file())
    return [{"path": p.relative_to(root).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_file(p)}
            for p in files]


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def catalog_meta(catalog: Catalog) -> CatalogMeta:
    """Publisher, licence and sources of the catalogue (taken from the first list dataset)."""
    first = (catalog.lists() or list(catalog.datasets.values()))[0].info
    return CatalogMeta(first.publisher, first.licence, first.sources,
                       any(d.info.example for d in catalog.datasets.values()))


def citation(catalog: Catalog, dataset: Dataset | None, version: str, day: date, url: str) -> str:
    """One citation line: publisher. title / title_en. version (date). licence. address."""
    meta = catalog_meta(catalog)
    title = f"{dataset.info.title} / {dataset.info.title_en}" if dataset else f"{TITLE} / {TITLE_EN}"
    pub = meta.publisher
    return (f"{pub['name']}. {title}. 版本 Version {version} ({day.isoformat()}). "
            f"{meta.licence['name']}. {url}")


def version_anchor(version: str) -> str:
    """A release version as a page anchor (v2025.1 → v2025-1)."""
    return re.sub(r"[^0-9A-Za-z-]", "-", version)


# --- the file set of one version -----------------------------------------------------------------

def dataset_files(dataset: Dataset) -> list[tuple[str | None, str]]:
    """[(year or None, relative path stem)] of a dataset's files, years first then all years."""
    stems = [(year, f"{dataset.name}/{dataset.name}-{year}") for year in by_year(dataset)]
    return stems + [(None, f"{dataset.name}/{dataset.name}")]


def write_version(catalog: Catalog, out: Path, version: str, day: date, url: str, progress=None,
                  release: bool = False, layout: int = LAYOUT) -> None:
    """Write the complete file set of one version of the catalogue into out/ (which must be empty or absent).
    A release cites its permanent zip; the current downloads cite the downloads page. `layout` (code_names):
    2 = names beside codes (new builds), 1 = schema fields only (releases recorded before)."""
    out.mkdir(parents=True, exist_ok=True)
    meta = catalog_meta(catalog)
    home = f"{url}downloads/releases/{version}/{PACKAGE}.zip" if release else f"{url}downloads/"
    tables = {d.name: code_names.table(catalog, d, layout) for d in catalog.datasets.values()}
    cite = citation(catalog, None, version, day, home)
    book = Workbook(out / f"{PACKAGE}.xlsx", day, TITLE, meta.publisher["name"], cite)  # a sheet per dataset
    for dataset in catalog.datasets.values():
        t0 = time.perf_counter()
        parts = _write_dataset(catalog, dataset, tables[dataset.name], within(out, dataset.name), version, day,
                               home if release else f"{home}#{dataset.name}", book)
        if progress:
            progress(f"  {dataset.name}: {len(dataset.records):,} 条 / records, {parts} × 4 files "
                     f"({time.perf_counter() - t0:.1f}s)")
    book.about_sheet("说明 About", _about_lines(catalog, None, version, day, cite), list(tables.values()))
    book.close()
    write_datapackage(catalog, out / f"{PACKAGE}.zip", version, day, url, out, release, tables)
    if progress:
        progress(f"  {PACKAGE}.zip + .xlsx")


def _write_dataset(catalog: Catalog, dataset: Dataset, table: Table, folder: Path, version: str, day: date,
                   home: str, book: Workbook) -> int:
    """A dataset's files (each year's, all years') and its sheet of the all-datasets workbook, in one pass over its
    sorted records: each record is formatted once and written everywhere it belongs. Returns the number of parts."""
    folder.mkdir(parents=True, exist_ok=True)
    ordered = sorted_records(dataset)
    years: dict[str, list[Record]] = {year: [] for year in by_year(dataset)}
    year_f = dataset.info.year or ""  # no year role: no yearly files (years and parts stay empty)
    for record in ordered if years else ():  # a year's share of the sorted records is that year sorted (stable sort)
        years[str(record.values.get(year_f))].append(record)
    cite = citation(catalog, dataset, version, day, home)
    parts = {year: _Files(catalog, table, within(folder, f"{dataset.name}-{year}"), year, records, version, day, cite)
             for year, records in years.items()}
    everything = _Files(catalog, table, within(folder, dataset.name), None, ordered, version, day, cite)
    sheet = book.begin_table(dataset.name, table, ordered)
    row = RowFormat(table).row
    for record in ordered:
        formatted = row(record)
        if parts:
            parts[str(record.values.get(year_f))].add(formatted)
        everything.add(formatted)
        sheet.add(formatted)
    sheet.close()
    for files in [*parts.values(), everything]:
        files.close()
    return len(parts) + 1


class _Files:
    """The CSV, Excel CSV, JSON and XLSX file of one part of a dataset (a year, or all years), fed row by row."""

    def __init__(self, catalog: Catalog, table: Table, stem: Path, year: str | None, records: list[Record],
                 version: str, day: date, cite: str):
        meta, dataset = catalog_meta(catalog), table.dataset
        self.table, self.rows, self.sep = table, len(records), "\n  "
        self.csv = open(f"{stem}.csv", "w", encoding="utf-8", newline="")
        self.excel = open(f"{stem}.excel.csv", "w", encoding="utf-8-sig", newline="")
        self.json = open(f"{stem}.json", "w", encoding="utf-8", newline="")
        self.csv.write(csv_header(table))
        self.excel.write(csv_header(table, excel=True))
        self.pending: list[Row] = []
        self.json.write(json_head({
            "dataset": dataset.name, "title": dataset.info.title, "title_en": dataset.info.title_en,
            "year": int(year) if year and year.isdigit() else year, "version": version, "date": day.isoformat(),
            "licence": meta.licence, "publisher": meta.publisher, "citation": cite,
            "example": bool(dataset.info.example), "rows": len(records), "fields": formats.field_dictionary(table)}))
        self.book = Workbook(f"{stem}.xlsx", day, dataset.info.title, meta.publisher["name"], cite)
        self.sheet = self.book.begin_table(dataset.name, table, records)
        self.about = _about_lines(catalog, dataset, version, day, cite)

    def add(self, row: Row) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()
        self.sheet.add(row)

    def flush(self) -> None:
        """Write the pending rows: a few big writes instead of one per row and file (each call encodes and buffers)."""
        if self.pending:
            self.csv.write("".join(row.csv for row in self.pending))
            self.excel.write("".join(row.excel for row in self.pending))
            self.json.write(self.sep + ",\n  ".join(row.json for row in self.pending))
            self.sep = ",\n  "
            self.pending.clear()

    def close(self) -> None:
        self.flush()
        self.json.write(json_tail(self.rows))
        for fh in (self.csv, self.excel, self.json):
            fh.close()
        self.sheet.close()
        self.book.about_sheet("说明 About", self.about, [self.table])
        self.book.close()


def _about_lines(catalog, dataset, version, day, cite) -> list[tuple[str, str]]:
    meta = catalog_meta(catalog)
    title = f"{dataset.info.title} / {dataset.info.title_en}" if dataset else f"{TITLE} / {TITLE_EN}"
    lines = [("名称 / Title", title), ("版本 / Version", version), ("日期 / Date", day.isoformat()),
             ("发布者 / Publisher", f"{meta.publisher['name']} / {meta.publisher.get('name_en', '')}"),
             ("许可 / Licence", f"{meta.licence['name']} {meta.licence.get('path', '')}"),
             ("引用 / Citation", cite)]
    if meta.example:
        lines.append(("注意 / Note", "虚构示例数据，仅用于演示 / fictional example data, for demonstration only"))
    return lines


# --- Frictionless data package ---------------------------------------------------------------------

def package_schema(dataset: Dataset | Table, names: set[str]) -> dict:
    """The table schema for the package: the download's columns (schema fields and the names beside codes);
    foreign keys on list fields are left out (Frictionless cannot check them; the site's validator does) and
    listed under x-list-foreign-keys instead."""
    table = formats.as_table(dataset)
    schema = json.loads(json.dumps(table.dataset.schema))
    schema["fields"] = json.loads(json.dumps(table.fields))
    list_fields = {f["name"] for f in table.fields if f.get("type") == "list"}
    keys: list[dict] = []
    list_keys: list[dict] = []
    for fk in schema.pop("foreignKeys", []) or []:
        if fk["reference"].get("resource") not in names and fk["reference"].get("resource") != "":
            continue
        (list_keys if set(fk["fields"]) & list_fields else keys).append(fk)
    if keys:
        schema["foreignKeys"] = keys
    if list_keys:
        schema["x-list-foreign-keys"] = list_keys
    return schema


def datapackage_descriptor(catalog: Catalog, version: str, day: date, url: str, stats: dict,
                           release: bool = True, tables: dict | None = None) -> dict:
    meta = catalog_meta(catalog)
    names = set(catalog.datasets)
    tables = tables or {}
    resources = []
    for dataset in catalog.datasets.values():
        path = f"data/{dataset.name}.csv"
        resource = {
            "name": dataset.name, "type": "table", "path": path, "scheme": "file", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "title": dataset.info.title,
            "x-title-en": dataset.info.title_en,
            "description": " ".join(filter(None, [dataset.info.description, dataset.info.description_en])),
            "bytes": stats[path][0], "hash": f"sha256:{stats[path][1]}",
            "sources": [{k: v for k, v in s.items() if k in ("title", "path")} for s in dataset.info.sources],
            "licenses": [_licence(dataset.info.licence)],
            "schema": package_schema(tables.get(dataset.name, dataset), names),
        }
        resources.append(resource)
    pub = meta.publisher
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": PACKAGE,
        "id": f"{url}downloads/releases/{version}/{PACKAGE}.zip" if release else f"{url}downloads/{PACKAGE}.zip",
        "title": f"{TITLE} / {TITLE_EN}", "version": version, "created": f"{day.isoformat()}T00:00:00Z",
        "description": ("嘉兴市新技术新产品新场景大规模应用示范行动（嘉政办发〔2025〕17号）的开放数据。"
                        "Open data of Jiaxing's new technology, new product, new scene large-scale application programme."
                        + (" 虚构示例数据 / fictional example data." if meta.example else "")),
        "homepage": url, "keywords": ["嘉兴", "Jiaxing", "三新", "新产品", "新技术", "应用场景", "open data"],
        "licenses": [_licence(meta.licence)],
        "sources": [{k: v for k, v in s.items() if k in ("title", "path")} for s in meta.sources],
        "contributors": [{"title": pub["name"], "path": pub["path"], "roles": ["publisher"],
                          **({"x-title-en": pub["name_en"]} if pub.get("name_en") else {})}],
        "resources": resources,
    }


def _licence(licence: Mapping[str, Any]) -> dict:
    return {k: licence[k] for k in ("name", "path", "title") if k in licence}


def package_readme(catalog: Catalog, version: str, day: date, url: str, release: bool = True,
                   tables: dict | None = None) -> str:
    """README.md of the zip, from templates/package-readme.md: every value through the `md` filter."""
    meta = catalog_meta(catalog)
    tables = tables or {}
    home = f"{url}downloads/releases/{version}/{PACKAGE}.zip" if release else f"{url}downloads/"
    datasets = [{"name": d.name, "title": d.info.title, "title_en": d.info.title_en,
                 "rows": len(d.records), "fields": formats.field_dictionary(tables.get(d.name, d)),
                 "citation": citation(catalog, d, version, day, home if release else f"{home}#{d.name}")}
                for d in catalog.datasets.values()]
    return render("package-readme.md", title=TITLE, title_en=TITLE_EN, version=version, day=day.isoformat(),
                  example=meta.example, licence=meta.licence, citation=citation(catalog, None, version, day, home),
                  datasets=datasets, package=PACKAGE, sources=meta.sources).rstrip("\n") + "\n"


def _zip_info(name: str, day: date) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(max(day.year, 1980), day.month, day.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix
    info.external_attr = 0o100644 << 16
    return info


def write_datapackage(catalog: Catalog, path: Path, version: str, day: date, url: str, out: Path,
                      release: bool = False, tables: dict | None = None) -> None:
    """The zip: datapackage.json, README.md and data/<dataset>.csv (the all-years CSV), fixed order and times."""
    members: dict[str, Path | bytes] = {}
    stats = {}
    for dataset in catalog.datasets.values():
        source = out / dataset.name / f"{dataset.name}.csv"
        name = f"data/{dataset.name}.csv"
        members[name] = source
        stats[name] = (source.stat().st_size, sha256_file(source))
    descriptor = datapackage_descriptor(catalog, version, day, url, stats, release, tables)
    members["datapackage.json"] = dumps(descriptor)
    members["README.md"] = package_readme(catalog, version, day, url, release, tables).encode("utf-8")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in sorted(members):
            member = members[name]
            if isinstance(member, bytes):
                zf.writestr(_zip_info(name, day), member, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
                continue
            info = _zip_info(name, day)
            info.file_size = member.stat().st_size  # known size: no zip64 guesswork, same bytes as writestr
            with open(member, "rb") as src, zf.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
