"""The downloads page (downloads/index.md) and the changelog (changelog/index.md, changelog/<version>.json), both
rendered from the project's templates (templates/downloads.html, templates/changelog.html)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..model.catalog import Catalog
from ..site.render import page, render, safe_url
from . import formats
from .downloads import FORMATS, PACKAGE, catalog_meta, citation, dataset_files, human_size, version_anchor


def _file_row(label: str, fmt: str, rel: str, entry: dict) -> dict:
    return {"label": label, "format": fmt, "rel": rel, "file": rel.rsplit("/", 1)[-1],
            "size": human_size(entry["bytes"]), "sha256": entry["sha256"]}


def downloads_page(catalog: Catalog, version: str, day: date, url: str, manifest: dict, releases: list[dict],
                   unreleased: bool) -> str:
    """downloads/index.md, from templates/downloads.html (one HTML block, autoescaped)."""
    meta = catalog_meta(catalog)
    lic = meta.licence
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
        datasets.append({"name": dataset.name, "title": dataset.info.title,
                         "title_en": dataset.info.title_en, "count": len(dataset.records), "rows": rows,
                         "first_registry": index == len(lists) and dataset.info.group == "registry",
                         "citation": citation(catalog, dataset, version, day, url + "downloads/#" + dataset.name)})
    shown = []
    for rel in reversed(releases):
        v = rel["version"]
        entry = manifest.get(f"releases/{v}/{PACKAGE}.zip", {"bytes": 0, "sha256": ""})
        shown.append({"version": v, "date": rel["date"], "anchor": version_anchor(v), "size": human_size(entry["bytes"]),
                      "sha256": entry["sha256"], "notes": " / ".join(filter(None, [rel.get("notes"), rel.get("notes_en")]))})
    body = render("downloads.html", root="../", example=meta.example, version=version, day=day.isoformat(),
                  unreleased=unreleased, licence_name=lic["name"], licence_url=safe_url(lic.get("path")),
                  citation=citation(catalog, None, version, day, url + "downloads/"), catalogue=catalogue,
                  datasets=datasets, releases=shown, package=PACKAGE)
    return page("数据下载 / Downloads", body, hide=("toc",))


CHANGELOG_LIMIT = 50  # records shown per dataset and kind on the page; the JSON has all
CHANGELOG_ROWS = 60  # field-change rows per dataset on the page (keeps the page under 150 KB); the JSON has all


def delta_json(version: str, previous: str | None, day: str, deltas) -> dict:
    return {"version": version, "previous": previous, "date": day,
            "summary": {d.name: {"added": len(d.added), "removed": len(d.removed), "changed": len(d.changed)}
                        for d in deltas if not d.empty},
            "datasets": [d.to_dict() for d in deltas if not d.empty]}


def write_delta(path: Path, data: dict) -> None:
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
        rows: list[dict] = []
        shown = 0
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
