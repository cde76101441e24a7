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

Everything is deterministic: the same data gives byte-identical files.
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

from . import formats, siteconfig
from .formats import Workbook, by_year, dumps, sorted_records, write_csv_file, write_json_file
from .model import Catalog, Dataset
from .render import render
from .roles import CatalogMeta
from .safefs import within

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


def human_size(n: int) -> str:
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
                  release: bool = False) -> None:
    """Write the complete file set of one version of the catalogue into out/ (which must be empty or absent).
    A release cites its permanent zip; the current downloads cite the downloads page."""
    out.mkdir(parents=True, exist_ok=True)
    meta = catalog_meta(catalog)
    home = f"{url}downloads/releases/{version}/{PACKAGE}.zip" if release else f"{url}downloads/"
    for dataset in catalog.datasets.values():
        t0 = time.perf_counter()
        folder = within(out, dataset.name)
        folder.mkdir(parents=True, exist_ok=True)
        groups = by_year(dataset)
        parts = [(year, sorted_records(dataset, recs)) for year, recs in groups.items()]
        parts.append((None, sorted_records(dataset)))
        for year, records in parts:
            stem = within(folder, f"{dataset.name}-{year}" if year else dataset.name)
            cite = citation(catalog, dataset, version, day, home if release else f"{home}#{dataset.name}")
            write_csv_file(stem.with_name(stem.name + ".csv"), dataset, records)
            write_csv_file(stem.with_name(stem.name + ".excel.csv"), dataset, records, excel=True)
            about = {"dataset": dataset.name, "title": dataset.info.title, "title_en": dataset.info.title_en,
                     "year": int(year) if year and year.isdigit() else year, "version": version,
                     "date": day.isoformat(), "licence": meta.licence, "publisher": meta.publisher,
                     "citation": cite, "example": bool(dataset.info.example), "rows": len(records),
                     "fields": formats.field_dictionary(dataset)}
            write_json_file(stem.with_name(stem.name + ".json"), dataset, records, about)
            book = Workbook(stem.with_name(stem.name + ".xlsx"), day, dataset.info.title, meta.publisher["name"],
                            cite)
            book.table_sheet(dataset.name, dataset, records)
            book.about_sheet("说明 About", _about_lines(catalog, dataset, version, day, cite), [dataset])
            book.close()
        if progress:
            progress(f"  {dataset.name}: {len(dataset.records):,} 条 / records, {len(parts)} × 4 files "
                     f"({time.perf_counter() - t0:.1f}s)")
    cite = citation(catalog, None, version, day, home)
    book = Workbook(out / f"{PACKAGE}.xlsx", day, TITLE, meta.publisher["name"], cite)
    for dataset in catalog.datasets.values():
        book.table_sheet(dataset.name, dataset, sorted_records(dataset))
    book.about_sheet("说明 About", _about_lines(catalog, None, version, day, cite), list(catalog.datasets.values()))
    book.close()
    write_datapackage(catalog, out / f"{PACKAGE}.zip", version, day, url, out, release)
    if progress:
        progress(f"  {PACKAGE}.zip + .xlsx")


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

def package_schema(dataset: Dataset, names: set[str]) -> dict:
    """The table schema for the package: foreign keys on list fields are left out (Frictionless cannot check
    them; the site's validator does) and listed under x-list-foreign-keys instead."""
    schema = json.loads(json.dumps(dataset.schema))
    list_fields = {f["name"] for f in dataset.fields if f.get("type") == "list"}
    keys, list_keys = [], []
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
                           release: bool = True) -> dict:
    meta = catalog_meta(catalog)
    names = set(catalog.datasets)
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
            "schema": package_schema(dataset, names),
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


def _licence(licence: dict) -> dict:
    return {k: licence[k] for k in ("name", "path", "title") if k in licence}


def package_readme(catalog: Catalog, version: str, day: date, url: str, release: bool = True) -> str:
    """README.md of the zip, from templates/package-readme.md: every value through the `md` filter."""
    meta = catalog_meta(catalog)
    home = f"{url}downloads/releases/{version}/{PACKAGE}.zip" if release else f"{url}downloads/"
    datasets = [{"name": d.name, "title": d.info.title, "title_en": d.info.title_en,
                 "rows": len(d.records), "fields": formats.field_dictionary(d),
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
                      release: bool = False) -> None:
    """The zip: datapackage.json, README.md and data/<dataset>.csv (the all-years CSV), fixed order and times."""
    members: dict[str, Path | bytes] = {}
    stats = {}
    for dataset in catalog.datasets.values():
        source = out / dataset.name / f"{dataset.name}.csv"
        name = f"data/{dataset.name}.csv"
        members[name] = source
        stats[name] = (source.stat().st_size, sha256_file(source))
    descriptor = datapackage_descriptor(catalog, version, day, url, stats, release)
    members["datapackage.json"] = dumps(descriptor)
    members["README.md"] = package_readme(catalog, version, day, url, release).encode("utf-8")
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
