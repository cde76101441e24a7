"""Stage 4, packages: every download (CSV, Excel CSV, XLSX, JSON, data package zip), the manifest, the downloads
and changelog pages, a DCAT catalogue, an Atom feed of releases, and the regenerated, verified releases.

`write_packages(catalog, docs_dir)` is what the site build calls; `python -m scripts packages --data DIR --out DIR`
runs it standalone. Layout under docs_dir:

    downloads/index.md                         the downloads page (a section per dataset, anchor = dataset name)
    downloads/manifest.json                    path, bytes, sha256 of every file under downloads/ (sorted)
    downloads/<dataset>/<dataset>-<year>.csv   UTF-8, LF, field names as header (for tools)
    downloads/<dataset>/<dataset>-<year>.excel.csv   UTF-8 with BOM, CRLF, bilingual header (for Excel)
    downloads/<dataset>/<dataset>-<year>.xlsx  ids and codes as text, header frozen, bilingual titles
    downloads/<dataset>/<dataset>-<year>.json  {"about": …, "records": [typed records]}
    downloads/<dataset>/<dataset>.{csv,excel.csv,xlsx,json}   all years
    downloads/jiaxing-sanxin-open-data.zip     Frictionless Data Package v2 (datapackage.json, README.md, data/*.csv)
    downloads/jiaxing-sanxin-open-data.xlsx    one workbook, a sheet per dataset
    downloads/releases/<version>/…             every recorded release, regenerated and checked against its SHA-256s
    changelog/index.md, changelog/<version>.json   per release: added, removed, changed (field by field)
    catalog.jsonld                             DCAT (JSON-LD) catalogue for harvesters
    releases.atom                              Atom feed of releases

Everything is deterministic: the same data and release records give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

from . import formats, siteconfig
from .safefs import within
from .delta import compare
from .formats import Workbook, by_year, dumps, sorted_records, write_csv_file, write_json_file
from .load import REPO, load_catalog
from .model import Catalog, Dataset
from .release import RELEASES
from .render import page, render, safe_url

HELP = "生成下载文件与数据包 / write every download, the data package and release files"
DESCRIPTION = """生成全部下载文件（CSV、Excel 用 CSV、XLSX、JSON、数据包 zip）、清单、下载页、更新日志、DCAT 目录与 Atom 订阅，
并按记录重新生成每个已发布版本、核对 SHA-256（不一致即失败）。
Write every download (CSV, Excel CSV, XLSX, JSON, data package zip), the manifest, the downloads and changelog pages,
a DCAT catalogue and an Atom feed; regenerate every recorded release and check its SHA-256s (a mismatch fails)."""

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


class ReleaseMismatch(Exception):
    """A recorded release no longer regenerates byte-identically (or its records are missing)."""


# --- small helpers -------------------------------------------------------------------------------

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


def site_url() -> str:
    """The public site address: mkdocs.yml site_url when set (scripts/siteconfig.py), else https://example.org/."""
    return siteconfig.site_url() or siteconfig.PLACEHOLDER


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def jsonld_script(obj: dict) -> str:
    """A <script type="application/ld+json"> element that data cannot break out of (Jinja's tojson escapes <, >,
    & and ')."""
    return render("jsonld.html", obj=obj)


def _meta(catalog: Catalog) -> dict:
    """Publisher, licence and sources of the catalogue (taken from the first list dataset)."""
    first = (catalog.lists() or list(catalog.datasets.values()))[0].meta
    return {"publisher": first["publisher"], "licence": first["licence"], "sources": first.get("sources", []),
            "example": any(d.meta.get("example") for d in catalog.datasets.values())}


def citation(catalog: Catalog, dataset: Dataset | None, version: str, day: date, url: str) -> str:
    """One citation line: publisher. title / title_en. version (date). licence. address."""
    meta = _meta(catalog)
    title = f"{dataset.meta['title']} / {dataset.meta.get('title_en', dataset.name)}" if dataset else f"{TITLE} / {TITLE_EN}"
    pub = meta["publisher"]
    return (f"{pub['name']}. {title}. 版本 Version {version} ({day.isoformat()}). "
            f"{meta['licence']['name']}. {url}")


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
    meta = _meta(catalog)
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
            about = {"dataset": dataset.name, "title": dataset.meta["title"], "title_en": dataset.meta.get("title_en"),
                     "year": int(year) if year and year.isdigit() else year, "version": version,
                     "date": day.isoformat(), "licence": meta["licence"], "publisher": meta["publisher"],
                     "citation": cite, "example": bool(dataset.meta.get("example")), "rows": len(records),
                     "fields": formats.field_dictionary(dataset)}
            write_json_file(stem.with_name(stem.name + ".json"), dataset, records, about)
            book = Workbook(stem.with_name(stem.name + ".xlsx"), day, dataset.meta["title"], meta["publisher"]["name"],
                            cite)
            book.table_sheet(dataset.name, dataset, records)
            book.about_sheet("说明 About", _about_lines(catalog, dataset, version, day, cite), [dataset])
            book.close()
        if progress:
            progress(f"  {dataset.name}: {len(dataset.records):,} 条 / records, {len(parts)} × 4 files "
                     f"({time.perf_counter() - t0:.1f}s)")
    cite = citation(catalog, None, version, day, home)
    book = Workbook(out / f"{PACKAGE}.xlsx", day, TITLE, meta["publisher"]["name"], cite)
    for dataset in catalog.datasets.values():
        book.table_sheet(dataset.name, dataset, sorted_records(dataset))
    book.about_sheet("说明 About", _about_lines(catalog, None, version, day, cite), list(catalog.datasets.values()))
    book.close()
    write_datapackage(catalog, out / f"{PACKAGE}.zip", version, day, url, out, release)
    if progress:
        progress(f"  {PACKAGE}.zip + .xlsx")


def _about_lines(catalog, dataset, version, day, cite) -> list[tuple[str, str]]:
    meta = _meta(catalog)
    title = f"{dataset.meta['title']} / {dataset.meta.get('title_en', '')}" if dataset else f"{TITLE} / {TITLE_EN}"
    lines = [("名称 / Title", title), ("版本 / Version", version), ("日期 / Date", day.isoformat()),
             ("发布者 / Publisher", f"{meta['publisher']['name']} / {meta['publisher'].get('name_en', '')}"),
             ("许可 / Licence", f"{meta['licence']['name']} {meta['licence'].get('path', '')}"),
             ("引用 / Citation", cite)]
    if meta["example"]:
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
    meta = _meta(catalog)
    names = set(catalog.datasets)
    resources = []
    for dataset in catalog.datasets.values():
        path = f"data/{dataset.name}.csv"
        resource = {
            "name": dataset.name, "type": "table", "path": path, "scheme": "file", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "title": dataset.meta["title"],
            "x-title-en": dataset.meta.get("title_en", ""),
            "description": " ".join(filter(None, [dataset.meta.get("description"), dataset.meta.get("description_en")])),
            "bytes": stats[path][0], "hash": f"sha256:{stats[path][1]}",
            "sources": [{k: v for k, v in s.items() if k in ("title", "path")} for s in dataset.meta.get("sources", [])],
            "licenses": [_licence(dataset.meta["licence"])],
            "schema": package_schema(dataset, names),
        }
        resources.append(resource)
    pub = meta["publisher"]
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": PACKAGE,
        "id": f"{url}downloads/releases/{version}/{PACKAGE}.zip" if release else f"{url}downloads/{PACKAGE}.zip",
        "title": f"{TITLE} / {TITLE_EN}", "version": version, "created": f"{day.isoformat()}T00:00:00Z",
        "description": ("嘉兴市新技术新产品新场景大规模应用示范行动（嘉政办发〔2025〕17号）的开放数据。"
                        "Open data of Jiaxing's new technology, new product, new scene large-scale application programme."
                        + (" 虚构示例数据 / fictional example data." if meta["example"] else "")),
        "homepage": url, "keywords": ["嘉兴", "Jiaxing", "三新", "新产品", "新技术", "应用场景", "open data"],
        "licenses": [_licence(meta["licence"])],
        "sources": [{k: v for k, v in s.items() if k in ("title", "path")} for s in meta["sources"]],
        "contributors": [{"title": pub["name"], "path": pub["path"], "roles": ["publisher"],
                          **({"x-title-en": pub["name_en"]} if pub.get("name_en") else {})}],
        "resources": resources,
    }


def _licence(licence: dict) -> dict:
    return {k: licence[k] for k in ("name", "path", "title") if k in licence}


def package_readme(catalog: Catalog, version: str, day: date, url: str, release: bool = True) -> str:
    """README.md of the zip, from templates/package-readme.md: every value through the `md` filter."""
    meta = _meta(catalog)
    home = f"{url}downloads/releases/{version}/{PACKAGE}.zip" if release else f"{url}downloads/"
    datasets = [{"name": d.name, "title": d.meta["title"], "title_en": d.meta.get("title_en", ""),
                 "rows": len(d.records), "fields": formats.field_dictionary(d),
                 "citation": citation(catalog, d, version, day, home if release else f"{home}#{d.name}")}
                for d in catalog.datasets.values()]
    return render("package-readme.md", title=TITLE, title_en=TITLE_EN, version=version, day=day.isoformat(),
                  example=meta["example"], licence=meta["licence"], citation=citation(catalog, None, version, day, home),
                  datasets=datasets, package=PACKAGE, sources=meta["sources"]).rstrip("\n") + "\n"


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


# --- pages, catalogue, feed ------------------------------------------------------------------------

def _file_row(label: str, fmt: str, rel: str, entry: dict) -> dict:
    return {"label": label, "format": fmt, "rel": rel, "file": rel.rsplit("/", 1)[-1],
            "size": human_size(entry["bytes"]), "sha256": entry["sha256"]}


def downloads_page(catalog: Catalog, version: str, day: date, url: str, manifest: dict, releases: list[dict],
                   unreleased: bool) -> str:
    """downloads/index.md, from templates/downloads.html (one HTML block, autoescaped)."""
    meta = _meta(catalog)
    lic = meta["licence"]
    catalogue = [_file_row("全部 All", "数据包 Data package (zip, Frictionless v2)", f"{PACKAGE}.zip",
                           manifest[f"{PACKAGE}.zip"]),
                 _file_row("全部 All", "Excel 工作簿 (每个数据集一个工作表 / a sheet per dataset)", f"{PACKAGE}.xlsx",
                           manifest[f"{PACKAGE}.xlsx"])]
    lists = catalog.lists()
    ordered = lists + [d for d in catalog.datasets.values() if d not in lists]
    datasets = []
    for index, dataset in enumerate(ordered):  # the lists first, then the reference tables
        rows = [_file_row(year or "全部 All", zh if zh == en else f"{zh} / {en}", stem + suffix, manifest[stem + suffix])
                for year, stem in dataset_files(dataset) for suffix, zh, en, _media in FORMATS]
        datasets.append({"name": dataset.name, "title": dataset.meta["title"],
                         "title_en": dataset.meta.get("title_en", ""), "count": len(dataset.records), "rows": rows,
                         "first_registry": index == len(lists) and dataset.meta.get("group") == "registry",
                         "citation": citation(catalog, dataset, version, day, url + "downloads/#" + dataset.name)})
    shown = []
    for rel in reversed(releases):
        v = rel["version"]
        entry = manifest.get(f"releases/{v}/{PACKAGE}.zip", {"bytes": 0, "sha256": ""})
        shown.append({"version": v, "date": rel["date"], "anchor": _anchor(v), "size": human_size(entry["bytes"]),
                      "sha256": entry["sha256"], "notes": " / ".join(filter(None, [rel.get("notes"), rel.get("notes_en")]))})
    body = render("downloads.html", root="../", example=meta["example"], version=version, day=day.isoformat(),
                  unreleased=unreleased, licence_name=lic["name"], licence_url=safe_url(lic.get("path")),
                  citation=citation(catalog, None, version, day, url + "downloads/"), catalogue=catalogue,
                  datasets=datasets, releases=shown, package=PACKAGE)
    return page("数据下载 / Downloads", body, hide=("toc",))


def _anchor(version: str) -> str:
    return re.sub(r"[^0-9A-Za-z-]", "-", version)


CHANGELOG_LIMIT = 50  # records shown per dataset and kind on the page; the JSON has all
CHANGELOG_ROWS = 60  # field-change rows per dataset on the page (keeps the page under 150 KB); the JSON has all


def delta_json(version: str, previous: str | None, day: str, deltas) -> dict:
    return {"version": version, "previous": previous, "date": day,
            "summary": {d.name: {"added": len(d.added), "removed": len(d.removed), "changed": len(d.changed)}
                        for d in deltas if not d.empty},
            "datasets": [d.to_dict() for d in deltas if not d.empty]}


def _write_delta(path: Path, data: dict) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        formats.write_json_lines(fh, data)


def changelog_section(title: str, anchor: str, data: dict, json_name: str, notes: str = "") -> dict:
    """One release's section of the changelog page (rendered by templates/changelog.html)."""
    datasets = []
    for d in data["datasets"]:
        kinds = []
        for kind, label in (("added", "新增 / added"), ("removed", "删除 / removed")):
            items = d[kind]
            if items:
                kinds.append({"label": label, "count": len(items),
                              "shown": [r.get("id") or next(iter(r.values()), "") for r in items[:CHANGELOG_LIMIT]],
                              "more": max(0, len(items) - CHANGELOG_LIMIT)})
        rows, shown = [], 0
        for rec in d["changed"]:
            if shown >= CHANGELOG_LIMIT or len(rows) >= CHANGELOG_ROWS:
                break
            rows += [{"id": rec["id"], "title": rec.get("title"), "field": ch["field"], "old": ch["old"],
                      "new": ch["new"]} for ch in rec["changes"]]
            shown += 1
        datasets.append({**d, "kinds": kinds, "rows": rows, "hidden": len(d["changed"]) - shown})
    return {"title": title, "anchor": anchor, "notes": notes, "previous": data["previous"], "json": json_name,
            "datasets": datasets}


def changelog_page(sections: list[dict]) -> str:
    """changelog/index.md, newest release first, from templates/changelog.html."""
    return page("更新日志 / Changelog", render("changelog.html", root="../", sections=list(reversed(sections))),
                hide=("toc",))


def catalog_jsonld(catalog: Catalog, version: str, day: date, url: str, manifest: dict) -> dict:
    """A DCAT-AP style catalogue (JSON-LD) listing every dataset and its distributions."""
    meta = _meta(catalog)
    pub = meta["publisher"]
    publisher = {"@type": "foaf:Organization", "foaf:name": [{"@value": pub["name"], "@language": "zh"}]
                 + ([{"@value": pub["name_en"], "@language": "en"}] if pub.get("name_en") else []),
                 "foaf:homepage": {"@id": pub["path"]}}
    datasets = []
    for dataset in catalog.datasets.values():
        dists = []
        for year, stem in dataset_files(dataset):
            for suffix, zh, en, media in FORMATS:
                rel = stem + suffix
                entry = manifest[rel]
                dists.append({"@type": "dcat:Distribution", "@id": f"{url}downloads/{rel}",
                              "dct:title": f"{dataset.name} {year or 'all years'} {en}",
                              "dcat:downloadURL": {"@id": f"{url}downloads/{rel}"}, "dcat:mediaType": media,
                              "dcat:byteSize": {"@value": str(entry["bytes"]), "@type": "xsd:nonNegativeInteger"},
                              "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                                                "spdx:checksumValue": entry["sha256"]},
                              "dct:license": {"@id": dataset.meta["licence"].get("path", "")}})
        datasets.append({
            "@type": "dcat:Dataset", "@id": f"{url}downloads/#{dataset.name}", "dct:identifier": dataset.name,
            "dct:title": [{"@value": dataset.meta["title"], "@language": "zh"},
                          {"@value": dataset.meta.get("title_en", ""), "@language": "en"}],
            "dct:description": [{"@value": dataset.meta.get("description", ""), "@language": "zh"},
                                {"@value": dataset.meta.get("description_en", ""), "@language": "en"}],
            "dct:publisher": publisher, "dct:license": {"@id": dataset.meta["licence"].get("path", "")},
            "owl:versionInfo": version, "dct:modified": {"@value": day.isoformat(), "@type": "xsd:date"},
            "dcat:landingPage": {"@id": f"{url}downloads/#{dataset.name}"},
            "dct:spatial": {"@id": "http://sws.geonames.org/1805953/"},
            "dcat:keyword": ["嘉兴", "Jiaxing", dataset.name], "dcat:distribution": dists,
        })
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/", "xsd": "http://www.w3.org/2001/XMLSchema#",
                     "owl": "http://www.w3.org/2002/07/owl#", "spdx": "http://spdx.org/rdf/terms#"},
        "@type": "dcat:Catalog", "@id": f"{url}catalog.jsonld",
        "dct:title": [{"@value": TITLE, "@language": "zh"}, {"@value": TITLE_EN, "@language": "en"}],
        "dct:publisher": publisher, "dct:license": {"@id": meta["licence"].get("path", "")},
        "foaf:homepage": {"@id": url}, "dct:modified": {"@value": day.isoformat(), "@type": "xsd:date"},
        "dcat:dataset": datasets,
    }


def dataset_jsonld(catalog: Catalog, name: str, manifest: dict | list, url: str | None = None,
                   version: str | None = None, day: date | None = None) -> dict:
    """schema.org Dataset for a dataset page (embed with jsonld_script()). manifest: the dict returned by
    write_packages (or the list in downloads/manifest.json)."""
    url = url or site_url()
    entries = _manifest_map(manifest)
    info = entries.get("__about__", {})
    version = version or info.get("version")
    day = day or (date.fromisoformat(info["date"]) if info.get("date") else None)
    dataset = catalog.datasets[name]
    meta = _meta(catalog)
    dist = []
    for year, stem in dataset_files(dataset):
        for suffix, _zh, en, media in FORMATS:
            rel = stem + suffix
            if rel in entries:
                dist.append({"@type": "DataDownload", "name": f"{dataset.name} {year or 'all years'} {en}",
                             "encodingFormat": media, "contentUrl": f"{url}downloads/{rel}",
                             "contentSize": str(entries[rel]["bytes"]), "sha256": entries[rel]["sha256"]})
    out = {
        "@context": "https://schema.org/", "@type": "Dataset", "@id": f"{url}downloads/#{name}",
        "name": dataset.meta["title"], "alternateName": dataset.meta.get("title_en", ""),
        "description": " ".join(filter(None, [dataset.meta.get("description"), dataset.meta.get("description_en")])),
        "url": f"{url}downloads/#{name}", "identifier": name, "inLanguage": ["zh-CN", "en"],
        "license": dataset.meta["licence"].get("path", dataset.meta["licence"]["name"]),
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": meta["publisher"]["name"], "url": meta["publisher"]["path"]},
        "publisher": {"@type": "Organization", "name": meta["publisher"]["name"], "url": meta["publisher"]["path"]},
        "spatialCoverage": {"@type": "Place", "name": "嘉兴市 Jiaxing, Zhejiang, China"},
        "keywords": ["嘉兴", "Jiaxing", "三新", dataset.meta["title"]],
        "isBasedOn": [s.get("path", s["title"]) for s in dataset.meta.get("sources", [])],
        "distribution": dist,
    }
    if version:
        out["version"] = version
        out["citation"] = citation(catalog, dataset, version, day or DEFAULT_DAY, f"{url}downloads/#{name}")
    if day:
        out["dateModified"] = day.isoformat()
    return out


def _manifest_map(manifest) -> dict:
    if isinstance(manifest, dict) and "files" in manifest:
        files = manifest["files"]
        about = {k: manifest.get(k) for k in ("version", "date")}
    elif isinstance(manifest, dict):
        return manifest
    else:
        files, about = manifest, {}
    entries = {e["path"]: e for e in files}
    entries["__about__"] = about
    return entries


def releases_atom(releases: list[dict], url: str) -> bytes:
    """Atom feed, newest release first; text goes through ElementTree, so data is always escaped."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    ET.SubElement(feed, f"{{{ns}}}title").text = f"{TITLE} — 发布版本 / Releases"
    ET.SubElement(feed, f"{{{ns}}}id").text = f"{url}releases.atom"
    ET.SubElement(feed, f"{{{ns}}}link", {"rel": "self", "href": f"{url}releases.atom"})
    ET.SubElement(feed, f"{{{ns}}}link", {"rel": "alternate", "href": f"{url}changelog/"})
    latest = releases[-1]["date"] if releases else DEFAULT_DAY.isoformat()
    ET.SubElement(feed, f"{{{ns}}}updated").text = f"{latest}T00:00:00Z"
    author = ET.SubElement(feed, f"{{{ns}}}author")
    ET.SubElement(author, f"{{{ns}}}name").text = TITLE
    for rel in reversed(releases):
        v = rel["version"]
        entry = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(entry, f"{{{ns}}}title").text = f"版本 / Release {v}"
        ET.SubElement(entry, f"{{{ns}}}id").text = f"{url}downloads/releases/{v}/"
        ET.SubElement(entry, f"{{{ns}}}link", {"rel": "alternate", "href": f"{url}changelog/#v{_anchor(v)}"})
        ET.SubElement(entry, f"{{{ns}}}link", {"rel": "enclosure", "type": "application/zip",
                                                "href": f"{url}downloads/releases/{v}/{PACKAGE}.zip"})
        ET.SubElement(entry, f"{{{ns}}}updated").text = f"{rel['date']}T00:00:00Z"
        ET.SubElement(entry, f"{{{ns}}}summary").text = " / ".join(filter(None, [rel.get("notes"), rel.get("notes_en")]))
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"


# --- the whole stage --------------------------------------------------------------------------------

def write_packages(catalog: Catalog, docs_dir, releases_dir=None, url: str | None = None, progress=None) -> dict:
    """Write downloads/, changelog/, catalog.jsonld and releases.atom into docs_dir (atomically: everything is
    written to a temporary folder first). Regenerates every recorded release under downloads/releases/<version>/
    and raises ReleaseMismatch naming the file, the recorded and the regenerated SHA-256 when one differs.
    Returns the manifest {"version", "date", "files": [{path, bytes, sha256}]}."""
    from . import release as rel_mod

    docs_dir = Path(docs_dir)
    releases_dir = Path(releases_dir) if releases_dir else RELEASES
    url = url or site_url()
    say = progress or (lambda _msg: None)
    releases = rel_mod.load_index(releases_dir)
    docs_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".packages-", dir=docs_dir))
    try:
        downloads = tmp / "downloads"
        # 1. recorded releases, regenerated and verified; their catalogues feed the changelog
        previous_catalog, previous_version = None, None
        sections: list[list[str]] = []
        (tmp / "changelog").mkdir()
        for record in releases:
            v = record["version"]
            say(f"… 版本 {v} 重新生成并核对 / regenerating and verifying release {v}")
            rel_catalog = rel_mod.release_catalog(releases_dir, v)
            target = within(downloads, "releases", v)
            problems = rel_mod.regenerate(releases_dir, record, rel_catalog, target)
            if problems:
                raise ReleaseMismatch("\n".join(problems))
            shutil.copyfile(rel_mod.release_dir(releases_dir, v) / "manifest.json", within(target, "manifest.json"))
            data = delta_json(v, previous_version, record["date"], compare(previous_catalog, rel_catalog))
            _write_delta(within(tmp, "changelog", f"{v}.json"), data)
            notes = " / ".join(filter(None, [record.get("notes"), record.get("notes_en")]))
            sections.append(changelog_section(f"{v}（{record['date']}）", f"v{_anchor(v)}", data, f"{v}.json", notes))
            previous_catalog, previous_version = rel_catalog, v
        # 2. the current data
        unreleased = True
        if releases:
            version, day = releases[-1]["version"], date.fromisoformat(releases[-1]["date"])
            deltas = compare(previous_catalog, catalog)
            unreleased = any(not d.empty for d in deltas)
            if unreleased:
                data = delta_json("unreleased", previous_version, "", deltas)
                _write_delta(tmp / "changelog" / "unreleased.json", data)
                sections.append(changelog_section("未发布的更改 / Unreleased changes", "unreleased", data,
                                                  "unreleased.json"))
        else:
            version, day = "unreleased", DEFAULT_DAY
        say(f"… 当前数据 / current data: {sum(len(d.records) for d in catalog.datasets.values()):,} records")
        label = version if not unreleased or not releases else f"{version}+unreleased"
        write_version(catalog, downloads, label, day, url, say)
        files = file_manifest(downloads)
        manifest = {"version": version, "unreleased": unreleased, "date": day.isoformat(), "files": files}
        entries = {e["path"]: e for e in files}
        page = downloads_page(catalog, version, day, url, entries, releases, unreleased and bool(releases))
        (downloads / "index.md").write_text(page, encoding="utf-8")
        (downloads / "manifest.json").write_bytes(dumps(manifest))
        (tmp / "changelog" / "index.md").write_text(changelog_page(sections), encoding="utf-8")
        (tmp / "catalog.jsonld").write_bytes(dumps(catalog_jsonld(catalog, version, day, url, entries)))
        (tmp / "releases.atom").write_bytes(releases_atom(releases, url))
        # 3. move into place (replace what an earlier run left)
        for name in ("downloads", "changelog", "catalog.jsonld", "releases.atom"):
            target = docs_dir / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            os.replace(tmp / name, target)
        return manifest
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_report(work: Path) -> list[tuple[str, str]]:
    """For `make bench`: file count and sizes of the downloads the packages stage wrote into work/packages."""
    manifest = Path(work) / "packages" / "downloads" / "manifest.json"
    if not manifest.exists():
        return []
    files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    current = [f for f in files if not f["path"].startswith("releases/")]
    total = sum(f["bytes"] for f in current)
    zips = sum(f["bytes"] for f in current if f["path"] == f"{PACKAGE}.zip")
    book = sum(f["bytes"] for f in current if f["path"] == f"{PACKAGE}.xlsx")
    return [("downloads", f"{len(current)} files, {total / 2**20:.1f} MiB (zip {zips / 2**20:.1f} MiB, "
                          f"workbook {book / 2**20:.1f} MiB)")]


# --- CLI -------------------------------------------------------------------------------------------

def add_arguments(parser) -> None:
    parser.add_argument("--data", default="data", help="数据目录 / data directory (default data/)")
    parser.add_argument("--out", default="build/packages", help="输出目录（docs 目录）/ output (docs) dir (default build/packages)")
    parser.add_argument("--releases", default=str(RELEASES), help="发布记录目录 / release records (default releases/)")
    parser.add_argument("--url", default=None, help="站点地址 / public site address (default mkdocs.yml site_url)")
    parser.add_argument("-q", "--quiet", action="store_true", help="只打印摘要 / print the summary only")
    parser.add_argument("--no-validate", action="store_true",
                        help="跳过校验（仅用于基准测试，数据须已校验）/ skip validation (benchmarks only: data already validated)")


def main(args) -> int:
    from . import release as rel_mod
    from .validate import validate_catalog

    started = time.perf_counter()
    say = (lambda _m: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    say(f"… 读取 / loading {args.data}")
    catalog, problems = load_catalog(Path(args.data))
    if not args.no_validate:
        problems += validate_catalog(catalog)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        for p in errors[:20]:
            print(p.format(), file=sys.stderr)
        print(f"✗ 数据有 {len(errors)} 个错误，未生成下载文件 / {len(errors)} data errors: no downloads written")
        return 1
    try:
        manifest = write_packages(catalog, Path(args.out), Path(args.releases), args.url, say)
    except rel_mod.ReleaseIndexError as exc:
        print(str(exc), file=sys.stderr)
        print("✗ 发布记录有错误，未写入任何文件 / the release records are malformed: nothing written")
        return 1
    except ReleaseMismatch as exc:
        print(str(exc), file=sys.stderr)
        print("✗ 已发布版本与记录不一致，未写入任何文件 / a recorded release no longer matches: nothing written")
        return 1
    files = manifest["files"]
    total = sum(f["bytes"] for f in files)
    print(f"✓ 下载文件 / downloads: {len(files)} files, {human_size(total)} in {Path(args.out) / 'downloads'} "
          f"(version {manifest['version']}{' + unreleased changes' if manifest['unreleased'] and manifest['version'] != 'unreleased' else ''}) "
          f"in {time.perf_counter() - started:.1f}s")
    return 0
