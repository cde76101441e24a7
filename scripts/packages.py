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

Modules: downloads (the file set of one version, the data package), download_pages (downloads and changelog
pages), feeds (DCAT, JSON-LD, Atom), release (recorded releases, regenerated and verified); this one runs the stage.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from .exports.download_pages import changelog_page, changelog_section, delta_json, downloads_page, write_delta
from .exports.downloads import DEFAULT_DAY, PACKAGE, file_manifest, human_size, site_url, version_anchor, write_version
from .exports.feeds import catalog_jsonld, releases_atom
from .exports.formats import dumps
from .load.loader import load_catalog
from .load.release_index import ReleaseIndexError, load_index, release_dir
from .model.catalog import Catalog
from .paths import RELEASES
from .release.delta import compare
from .release.record import ReleaseMismatch, regenerate, release_catalog
from .safefs import read_bytes, within
from .validate.validator import validate_catalog

HELP = "生成下载文件与数据包 / write every download, the data package and release files"
DESCRIPTION = """生成全部下载文件（CSV、Excel 用 CSV、XLSX、JSON、数据包 zip）、清单、下载页、更新日志、DCAT 目录与 Atom 订阅，
并按记录重新生成每个已发布版本、核对 SHA-256（不一致即失败）。
Write every download (CSV, Excel CSV, XLSX, JSON, data package zip), the manifest, the downloads and changelog pages,
a DCAT catalogue and an Atom feed; regenerate every recorded release and check its SHA-256s (a mismatch fails)."""


# --- the whole stage --------------------------------------------------------------------------------

def write_packages(catalog: Catalog, docs_dir, releases_dir=None, url: str | None = None, progress=None) -> dict:
    """Write downloads/, changelog/, catalog.jsonld and releases.atom into docs_dir (atomically: everything is
    written to a temporary folder first). Regenerates every recorded release under downloads/releases/<version>/
    and raises ReleaseMismatch naming the file, the recorded and the regenerated SHA-256 when one differs.
    Returns the manifest {"version", "date", "files": [{path, bytes, sha256}]}."""
    docs_dir = Path(docs_dir)
    releases_dir = Path(releases_dir) if releases_dir else RELEASES
    url = url or site_url()
    say = progress or (lambda _msg: None)
    releases = load_index(releases_dir)
    docs_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".packages-", dir=docs_dir))
    try:
        downloads = tmp / "downloads"
        # 1. recorded releases, regenerated and verified; their catalogues feed the changelog
        previous_catalog, previous_version = None, None
        sections: list[dict] = []
        (tmp / "changelog").mkdir()
        for record in releases:
            v = record["version"]
            say(f"… 版本 {v} 重新生成并核对 / regenerating and verifying release {v}")
            rel_catalog = release_catalog(releases_dir, v)
            target = within(downloads, "releases", v)
            problems = regenerate(releases_dir, record, rel_catalog, target)
            if problems:
                raise ReleaseMismatch("\n".join(problems))
            recorded = read_bytes(release_dir(releases_dir, v) / "manifest.json")  # a link is refused, not followed
            within(target, "manifest.json").write_bytes(recorded)
            data = delta_json(v, previous_version, record["date"], compare(previous_catalog, rel_catalog))
            write_delta(within(tmp, "changelog", f"{v}.json"), data)
            notes = " / ".join(filter(None, [record.get("notes"), record.get("notes_en")]))
            sections.append(changelog_section(f"{v}（{record['date']}）", f"v{version_anchor(v)}", data, f"{v}.json", notes))
            previous_catalog, previous_version = rel_catalog, v
        # 2. the current data
        unreleased = True
        if releases:
            version, day = releases[-1]["version"], date.fromisoformat(releases[-1]["date"])
            deltas = compare(previous_catalog, catalog)
            unreleased = any(not d.empty for d in deltas)
            if unreleased:
                data = delta_json("unreleased", previous_version, "", deltas)
                write_delta(tmp / "changelog" / "unreleased.json", data)
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
    except ReleaseIndexError as exc:
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
