"""Metadata for harvesters and readers: the DCAT catalogue (catalog.jsonld), the schema.org Dataset JSON-LD embedded
on each list page, and the Atom feed of releases (releases.atom). All built from the manifest of the downloads."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

from ..model.catalog import Catalog
from ..site.render import render
from .downloads import (
    DEFAULT_DAY,
    FORMATS,
    PACKAGE,
    TITLE,
    TITLE_EN,
    catalog_meta,
    citation,
    dataset_files,
    site_url,
    version_anchor,
)


def jsonld_script(obj: dict) -> str:
    """A <script type="application/ld+json"> element that data cannot break out of (Jinja's tojson escapes <, >,
    & and ')."""
    return render("jsonld.html", obj=obj)


def catalog_jsonld(catalog: Catalog, version: str, day: date, url: str, manifest: dict) -> dict:
    """A DCAT-AP style catalogue (JSON-LD) listing every dataset and its distributions."""
    meta = catalog_meta(catalog)
    pub = meta.publisher
    publisher = {"@type": "foaf:Organization", "foaf:name": [{"@value": pub["name"], "@language": "zh"}]
                 + ([{"@value": pub["name_en"], "@language": "en"}] if pub.get("name_en") else []),
                 "foaf:homepage": {"@id": pub["path"]}}
    datasets = []
    for dataset in catalog.datasets.values():
        dists = []
        for year, stem in dataset_files(dataset):
            for suffix, _zh, en, media in FORMATS:
                rel = stem + suffix
                entry = manifest[rel]
                dists.append({"@type": "dcat:Distribution", "@id": f"{url}downloads/{rel}",
                              "dct:title": f"{dataset.name} {year or 'all years'} {en}",
                              "dcat:downloadURL": {"@id": f"{url}downloads/{rel}"}, "dcat:mediaType": media,
                              "dcat:byteSize": {"@value": str(entry["bytes"]), "@type": "xsd:nonNegativeInteger"},
                              "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                                                "spdx:checksumValue": entry["sha256"]},
                              "dct:license": {"@id": dataset.info.licence.get("path", "")}})
        datasets.append({
            "@type": "dcat:Dataset", "@id": f"{url}downloads/#{dataset.name}", "dct:identifier": dataset.name,
            "dct:title": [{"@value": dataset.info.title, "@language": "zh"},
                          {"@value": dataset.info.title_en, "@language": "en"}],
            "dct:description": [{"@value": dataset.info.description, "@language": "zh"},
                                {"@value": dataset.info.description_en, "@language": "en"}],
            "dct:publisher": publisher, "dct:license": {"@id": dataset.info.licence.get("path", "")},
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
        "dct:publisher": publisher, "dct:license": {"@id": meta.licence.get("path", "")},
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
    meta = catalog_meta(catalog)
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
        "name": dataset.info.title, "alternateName": dataset.info.title_en,
        "description": " ".join(filter(None, [dataset.info.description, dataset.info.description_en])),
        "url": f"{url}downloads/#{name}", "identifier": name, "inLanguage": ["zh-CN", "en"],
        "license": dataset.info.licence.get("path", dataset.info.licence["name"]),
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": meta.publisher["name"], "url": meta.publisher["path"]},
        "publisher": {"@type": "Organization", "name": meta.publisher["name"], "url": meta.publisher["path"]},
        "spatialCoverage": {"@type": "Place", "name": "嘉兴市 Jiaxing, Zhejiang, China"},
        "keywords": ["嘉兴", "Jiaxing", "三新", dataset.info.title],
        "isBasedOn": [s.get("path", s["title"]) for s in dataset.info.sources],
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
        ET.SubElement(entry, f"{{{ns}}}link", {"rel": "alternate", "href": f"{url}changelog/#v{version_anchor(v)}"})
        ET.SubElement(entry, f"{{{ns}}}link", {"rel": "enclosure", "type": "application/zip",
                                                "href": f"{url}downloads/releases/{v}/{PACKAGE}.zip"})
        ET.SubElement(entry, f"{{{ns}}}updated").text = f"{rel['date']}T00:00:00Z"
        ET.SubElement(entry, f"{{{ns}}}summary").text = " / ".join(filter(None, [rel.get("notes"), rel.get("notes_en")]))
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"
