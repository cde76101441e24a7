"""Downloads: every format opens correctly, cites cleanly and is byte-identical on rebuild (scripts/packages.py and
the modules it runs: downloads, download_pages, feeds)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import markdown
import openpyxl
import pytest
from bs4 import BeautifulSoup
from conftest import run_cli
from frictionless import Package

from scripts import packages
from scripts.exports import code_names, download_pages, downloads, feeds, formats, xlsx
from scripts.load.loader import load_catalog
from scripts.model.catalog import Record

PKG = downloads.PACKAGE


@pytest.fixture
def catalog(tree):
    catalog, problems = load_catalog(tree)
    assert not [p for p in problems if p.severity == "error"]
    return catalog


@pytest.fixture
def built(catalog, tmp_path):
    docs = tmp_path / "docs"
    manifest = packages.write_packages(catalog, docs, releases_dir=tmp_path / "no-releases", url="https://example.org/")
    return catalog, docs, manifest


def test_every_dataset_and_year_has_every_format_and_the_manifest_is_exact(built):
    catalog, docs, manifest = built
    downloads = docs / "downloads"
    for name, dataset in catalog.datasets.items():
        for year in formats.by_year(dataset):
            for suffix in (".csv", ".excel.csv", ".xlsx", ".json"):
                assert (downloads / name / f"{name}-{year}{suffix}").is_file()
        for suffix in (".csv", ".excel.csv", ".xlsx", ".json"):
            assert (downloads / name / f"{name}{suffix}").is_file()
    assert (downloads / f"{PKG}.zip").is_file() and (downloads / f"{PKG}.xlsx").is_file()
    recorded = json.loads((downloads / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert [e["path"] for e in recorded] == sorted(e["path"] for e in recorded)
    on_disk = sorted(p.relative_to(downloads).as_posix() for p in downloads.rglob("*")
                     if p.is_file() and p.name not in ("manifest.json", "index.md"))
    assert [e["path"] for e in recorded] == on_disk
    for entry in recorded:
        data = (downloads / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["files"] == recorded
    for page in ("changelog/index.md", "catalog.jsonld", "releases.atom"):
        assert (docs / page).is_file()


def test_bom_csv_starts_with_the_bom_and_round_trips_every_chinese_string(built):
    catalog, docs, _ = built
    for name, dataset in catalog.datasets.items():
        data = (docs / "downloads" / name / f"{name}.excel.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert b"\r\n" in data
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        first = dataset.fields[0]
        assert rows[0][0] == f"{first['title']} / {first['x-label-en']}"
        by_id = {r.values[dataset.info.key]: r for r in dataset.records}
        assert len(rows) - 1 == len(by_id)
        checked = 0
        table = code_names.table(catalog, dataset)  # schema fields, each code followed by its names
        assert len(rows[0]) == len(table.fields)
        for row in rows[1:]:
            record = by_id[row[0]]
            for field, cell in zip(table.fields, row):
                want = formats.text_cell(field, table.value(record.values, field["name"]))
                assert cell == want
                checked += any("\u4e00" <= ch <= "\u9fff" for ch in cell)
        assert checked >= len(by_id)  # Chinese text really was compared (a row has one at least)


def test_plain_csv_is_utf8_without_bom_in_schema_order_sorted_by_id(built):
    catalog, docs, _ = built
    dataset = catalog.datasets["products"]
    data = (docs / "downloads" / "products" / "products.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [c for c in rows[0] if c in dataset.field_names] == dataset.field_names  # schema order, names beside
    assert rows[0][rows[0].index("district") + 1:][:2] == ["district_name", "district_name_en"]
    ids = [r[0] for r in rows[1:]]
    assert ids == sorted(ids, key=formats.natural_key) and len(ids) == len(dataset.records)


def test_natural_order_puts_2_before_10():
    assert sorted(["10", "2", "1"], key=formats.natural_key) == ["1", "2", "10"]


def test_xlsx_ids_and_codes_are_text_and_an_18_character_code_survives(built):
    catalog, docs, _ = built
    book = openpyxl.load_workbook(docs / "downloads" / "products" / "products.xlsx")
    sheet = book["products"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[0] == "编号\nID" and header[6] == "统一社会信用代码\nUnified social credit code"
    names = [f["name"] for f in code_names.table(catalog, catalog.datasets["products"]).fields]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(names, row))
        assert cells["id"].data_type == "s"
        assert cells["credit_code"].data_type == "s" and len(cells["credit_code"].value) == 18
        assert cells["district"].data_type == "s" and cells["district"].value.isdigit()
        assert cells["year"].data_type == "n" and isinstance(cells["year"].value, int)
    assert book.properties.created.year == downloads.DEFAULT_DAY.year
    assert "说明 About" in book.sheetnames


def _product(catalog, **values) -> Record:
    base = dict(catalog.datasets["products"].records[0].values)
    base.update(values)
    return Record("test", 2, base)


def test_all_digit_18_character_code_stays_exact_text_in_xlsx(catalog, tmp_path):
    dataset = catalog.datasets["products"]
    record = _product(catalog, credit_code="913304020000000001", district="330402")
    book = xlsx.Workbook(tmp_path / "t.xlsx", downloads.DEFAULT_DAY, "t", "t")
    book.table_sheet("products", dataset, [record])
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["products"]
    cell = sheet.cell(row=2, column=dataset.field_names.index("credit_code") + 1)
    assert cell.data_type == "s" and cell.value == "913304020000000001"


FORMULAS = {"name": '=HYPERLINK("http://x")', "summary": "+1", "company": "-1", "recommended_by": "@SUM(A1)"}


def test_formula_leading_text_cannot_run_as_a_formula_in_any_download(catalog, tmp_path):
    dataset = catalog.datasets["products"]
    record = _product(catalog, **FORMULAS)
    for excel in (False, True):
        text = formats.csv_bytes(dataset, [record], excel=excel).decode("utf-8-sig")
        row = list(csv.reader(io.StringIO(text, newline="")))[1]
        cells = dict(zip(dataset.field_names, row))
        for name, value in FORMULAS.items():
            assert cells[name] == "'" + value
        assert cells["year"] == record.values["year"]  # numbers untouched
    path = tmp_path / "f.xlsx"
    book = xlsx.Workbook(path, downloads.DEFAULT_DAY, "t", "t")
    book.table_sheet("products", dataset, [record])
    book.close()
    with zipfile.ZipFile(path) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    cells = dict(zip(dataset.field_names, openpyxl.load_workbook(path)["products"][2]))
    for name, value in FORMULAS.items():
        assert cells[name].data_type == "s" and cells[name].value == value
    data = json.loads(formats.json_bytes(dataset, [record], {"dataset": "products"}))
    assert {k: data["records"][0][k] for k in FORMULAS} == FORMULAS


def test_json_values_are_typed_by_the_schema(built):
    _catalog, docs, _ = built
    awards = json.loads((docs / "downloads" / "awards" / "awards.json").read_text(encoding="utf-8"))
    first = awards["records"][0]
    assert isinstance(first["year"], int) and isinstance(first["amount_yuan"], int)
    assert isinstance(first["credit_code"], str) and isinstance(first["district"], str)
    assert len(first["approved_on"]) == 10 and first["approved_on"][4] == "-"
    scenes = json.loads((docs / "downloads" / "scenes" / "scenes.json").read_text(encoding="utf-8"))
    assert all(isinstance(r["criteria"], list) for r in scenes["records"])
    districts = json.loads((docs / "downloads" / "districts" / "districts.json").read_text(encoding="utf-8"))
    assert {r["id"]: r["official"] for r in districts["records"]}["330402"] is True
    assert awards["about"]["citation"].endswith("https://example.org/downloads/#awards")
    assert awards["about"]["licence"]["name"] == "CC-BY-4.0"


def test_frictionless_validate_passes_on_the_downloaded_zip(built):
    _catalog, docs, _ = built
    zip_path = docs / "downloads" / f"{PKG}.zip"
    report = Package(str(zip_path)).validate()
    assert report.valid, report.flatten(["type", "note"])[:5]
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        descriptor = json.loads(zf.read("datapackage.json"))
        readme = zf.read("README.md").decode("utf-8")
        assert names == sorted(names)
        assert {i.date_time for i in zf.infolist()} == {(2025, 1, 1, 0, 0, 0)}
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0" and descriptor["sources"] and descriptor["contributors"]
    assert descriptor["version"] == "unreleased"
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert {"fields": ["district"], "reference": {"resource": "districts", "fields": ["id"]}} in \
        resources["products"]["schema"]["foreignKeys"]
    assert resources["scenes"]["schema"]["x-list-foreign-keys"]  # list references kept, outside Frictionless
    assert "CC-BY-4.0" in readme and "引用 / Citation" in readme and "| credit_code | 统一社会信用代码 |" in readme


def test_frictionless_cli_validate_passes_on_the_zip(built):
    _catalog, docs, _ = built
    cli = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(cli), "validate", str(docs / "downloads" / f"{PKG}.zip")], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "VALID" in result.stdout and "INVALID" not in result.stdout


def test_frictionless_catches_a_broken_foreign_key_in_the_zip(built, tmp_path):
    _catalog, docs, _ = built
    src = docs / "downloads" / f"{PKG}.zip"
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "data/products.csv":
                data = data.replace(b",330402,", b",339999,", 1)
            if info.filename == "datapackage.json":
                d = json.loads(data)
                for r in d["resources"]:
                    r.pop("hash", None), r.pop("bytes", None)
                data = json.dumps(d).encode()
            zout.writestr(info, data)
    report = Package(str(broken)).validate()
    assert not report.valid
    assert "foreign-key" in {e[0] for e in report.flatten(["type"])}


def test_building_twice_gives_byte_identical_files(catalog, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    packages.write_packages(catalog, first, releases_dir=tmp_path / "none", url="https://example.org/")
    time.sleep(1.1)  # a clock read anywhere would now show
    packages.write_packages(catalog, second, releases_dir=tmp_path / "none", url="https://example.org/")
    files_a = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) > 40
    different = [str(p) for p in files_a if (first / p).read_bytes() != (second / p).read_bytes()]
    assert different == []


def test_rebuilding_into_the_same_folder_replaces_and_leaves_no_temp(built):
    catalog, docs, _ = built
    (docs / "downloads" / "stale.csv").write_text("old", encoding="utf-8")
    packages.write_packages(catalog, docs, releases_dir=docs / "none", url="https://example.org/")
    assert not (docs / "downloads" / "stale.csv").exists()
    assert sorted(p.name for p in docs.iterdir()) == ["catalog.jsonld", "changelog", "downloads", "releases.atom"]


def test_downloads_page_has_a_section_per_dataset_with_sizes_hashes_and_citation(built):
    catalog, docs, manifest = built
    page = (docs / "downloads" / "index.md").read_text(encoding="utf-8")
    soup = BeautifulSoup(page.split("---", 2)[2], "html.parser")
    for name in catalog.datasets:
        assert soup.find("h2", id=name) is not None
    entry = next(e for e in manifest["files"] if e["path"] == "products/products-2025.xlsx")
    link = soup.find("a", href="products/products-2025.xlsx")
    cells = [td.get_text() for td in link.find_parent("tr").find_all("td")]
    assert cells[2:] == ["products-2025.xlsx", downloads.human_size(entry["bytes"]), entry["sha256"]]
    assert "引用 / Cite: " in page and "https://example.org/downloads/#products" in soup.get_text()
    assert soup.find("a", rel="license")["href"] == "https://creativecommons.org/licenses/by/4.0/"


def test_data_never_becomes_live_markup_in_generated_pages():
    data = {"previous": None, "datasets": [{"dataset": "products", "title": "<b>t</b>", "added": [], "removed": [],
                                            "changed": [{"id": "P-1", "title": "<img src=x onerror=alert(1)>",
                                                         "changes": [{"field": "name", "old": "a", "new": "<script>"}]}]}]}
    page = download_pages.changelog_page([download_pages.changelog_section("v", "v1", data, "v.json", "[x](javascript:alert(1))")])
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page
    html = markdown.markdown(page.split("---", 2)[2], extensions=["attr_list", "tables"])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find_all(["script", "img", "b"]) == [] and not soup.find("a", href=lambda h: "javascript" in h)


def test_jsonld_dcat_and_atom_describe_the_files(built):
    catalog, docs, manifest = built
    ld = feeds.dataset_jsonld(catalog, "products", manifest, url="https://example.org/")
    assert ld["@type"] == "Dataset" and ld["name"] == catalog.datasets["products"].info.title
    urls = {d["contentUrl"]: d for d in ld["distribution"]}
    entry = next(e for e in manifest["files"] if e["path"] == "products/products.csv")
    assert urls["https://example.org/downloads/products/products.csv"]["sha256"] == entry["sha256"]
    assert ld["license"] == "https://creativecommons.org/licenses/by/4.0/" and "citation" in ld
    script = feeds.jsonld_script({"name": "</script><script>alert(1)</script>"})
    assert script.count("</script>") == 1 and "\\u003c/script\\u003e" in script
    dcat = json.loads((docs / "catalog.jsonld").read_text(encoding="utf-8"))
    assert dcat["@type"] == "dcat:Catalog" and len(dcat["dcat:dataset"]) == len(catalog.datasets)
    dist = dcat["dcat:dataset"][0]["dcat:distribution"][0]
    assert dist["spdx:checksum"]["spdx:checksumValue"] in {e["sha256"] for e in manifest["files"]}
    feed = ET.parse(docs / "releases.atom").getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.find("{http://www.w3.org/2005/Atom}entry") is None  # no release recorded in this tree


def test_packages_cli_writes_downloads_and_prints_a_summary(tree, tmp_path):
    result = run_cli("packages", "--data", tree, "--out", tmp_path / "out", "--releases", tmp_path / "none")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("✓ 下载文件 / downloads:") and "files" in result.stdout
    assert (tmp_path / "out" / "downloads" / "manifest.json").is_file()
    assert "--releases" in run_cli("packages", "--help").stdout
