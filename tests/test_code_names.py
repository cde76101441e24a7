"""Downloads people can read: the registry's names beside every code (scripts/exports/code_names.py) in the CSV, Excel
CSV, XLSX, JSON and the data package (declared, Frictionless-valid); XLSX amounts with thousands separators;
releases recorded before (layout 1) keep their bytes."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile

import openpyxl
import pytest
from frictionless import Package

from scripts import packages
from scripts.exports import code_names, downloads, formats, xlsx
from scripts.load.loader import load_catalog


@pytest.fixture
def built(tree, tmp_path):
    catalog, problems = load_catalog(tree)
    assert not [p for p in problems if p.severity == "error"]
    docs = tmp_path / "docs"
    packages.write_packages(catalog, docs, releases_dir=tmp_path / "no-releases", url="https://example.org/")
    return catalog, docs / "downloads"


def registry_names(catalog, name: str, field: str = "name") -> dict[str, str]:
    return {r.values["id"]: r.values[field] for r in catalog.datasets[name].records}


def test_every_code_column_is_followed_by_its_names_in_the_csv(built):
    catalog, out = built
    districts, districts_en = registry_names(catalog, "districts"), registry_names(catalog, "districts", "name_en")
    industries_en = registry_names(catalog, "industries", "name_en")
    with (out / "products" / "products.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    at = header.index("district")
    assert header[at:at + 3] == ["district", "district_name", "district_name_en"]
    # industries use the Chinese name as the id: only the English name is added
    assert header[header.index("industry"):header.index("industry") + 2] == ["industry", "industry_name_en"]
    assert "industry_name" not in header
    assert rows and all(r["district_name"] == districts[r["district"]] and r["district_name_en"] == districts_en[r["district"]]
                        for r in rows if r["district"])
    assert all(r["industry_name_en"] == industries_en[r["industry"]] for r in rows if r["industry"])
    nanhu = [r for r in rows if r["district"] == "330402"]
    assert nanhu and nanhu[0]["district_name"] == "南湖区"


def test_excel_csv_has_bilingual_titles_for_the_name_columns(built):
    _catalog, out = built
    text = (out / "awards" / "awards.excel.csv").read_bytes().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text, newline="")))
    at = header.index("所在地区 / District")
    assert header[at + 1:at + 3] == ["所在地区名称 / District (name)", "所在地区英文名称 / District (English name)"]
    assert header[header.index("奖励类型 / Award type") + 1] == "奖励类型英文名称 / Award type (English name)"


def test_a_list_of_codes_gets_the_list_of_names(built):
    catalog, out = built
    departments = registry_names(catalog, "departments")
    data = json.loads((out / "scenes" / "scenes.json").read_text(encoding="utf-8"))
    scene = next(r for r in data["records"] if r["id"] == "S-2025-001")
    assert scene["departments"] == ["市科技局"] and scene["departments_name"] == [departments["市科技局"]]
    assert scene["lead_department_name"] == departments["市卫生健康委"]
    assert scene["district_name"] == "南湖区"
    fields = [f["name"] for f in data["about"]["fields"]]
    assert fields.index("departments_name") == fields.index("departments") + 1


def test_xlsx_names_beside_codes_and_money_with_thousands_separators(built):
    catalog, out = built
    table = code_names.table(catalog, catalog.datasets["awards"])
    names = [f["name"] for f in table.fields]
    sheet = openpyxl.load_workbook(out / "awards" / "awards.xlsx")["awards"]
    assert sheet.cell(1, names.index("district_name") + 1).value == "所在地区名称\nDistrict (name)"
    seen = 0
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(names, row))
        amount = cells["amount_yuan"]
        if amount.value is None:
            continue
        seen += 1
        assert isinstance(amount.value, int) and amount.number_format == "#,##0"  # a number, shown 1,500,000
        assert cells["premium_yuan"].number_format == "General"  # only display.money columns
        if cells["district"].value:
            assert cells["district_name"].value == registry_names(catalog, "districts")[cells["district"].value]
    assert seen
    whole = openpyxl.load_workbook(out / f"{downloads.PACKAGE}.xlsx")["awards"]
    assert [c.value for c in whole[1]] == [c.value for c in sheet[1]]


def test_the_data_package_declares_the_name_columns_and_validates(built):
    _catalog, out = built
    zip_path = out / f"{downloads.PACKAGE}.zip"
    report = Package(str(zip_path)).validate()
    assert report.valid, report.flatten(["type", "note"])[:5]
    with zipfile.ZipFile(zip_path) as zf:
        descriptor = json.loads(zf.read("datapackage.json"))
        header = zf.read("data/products.csv").decode("utf-8").split("\n", 1)[0].split(",")
        readme = zf.read("README.md").decode("utf-8")
    schema = {r["name"]: r["schema"] for r in descriptor["resources"]}["products"]
    declared = [f["name"] for f in schema["fields"]]
    assert declared == header
    by_name = {f["name"]: f for f in schema["fields"]}
    assert by_name["district_name"]["x-derived-from"] == "district" and by_name["district_name"]["type"] == "string"
    # the foreign key stays on the code; the name is a plain column
    assert all(fk["fields"] != ["district_name"] for fk in schema.get("foreignKeys", []))
    assert "| district_name |" in readme


def test_layout_1_is_the_schema_only_and_adds_no_xlsx_format(tree, tmp_path):
    catalog, _ = load_catalog(tree)
    awards = catalog.datasets["awards"]
    old = code_names.table(catalog, awards, layout=1)
    assert old.fields == awards.fields and not old.derived and not old.money
    assert formats.csv_bytes(old, awards.records) == formats.csv_bytes(awards, awards.records)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path, source in ((first, old), (second, awards)):
        book = xlsx.Workbook(path, downloads.DEFAULT_DAY, "t", "a")
        book.table_sheet("awards", source, awards.records)
        book.close()
    assert first.read_bytes() == second.read_bytes()


def test_a_schema_field_is_never_shadowed_by_a_name_column(tree):
    catalog, _ = load_catalog(tree)
    products = copy.copy(catalog.datasets["products"])
    products.schema = copy.deepcopy(products.schema)  # loaded schemas are shared (cached): never change them
    products.schema["fields"].append({"name": "district_name", "type": "string", "title": "自有字段"})
    table = code_names.table(catalog, products)
    assert [f["name"] for f in table.fields].count("district_name") == 1
    assert "district_name" not in table.derived


def test_a_new_release_records_layout_2_and_regenerates_with_the_names(tree, tmp_path):
    from scripts.release import record as release

    releases = tmp_path / "releases"
    releases.mkdir()
    record = release.record_release("2026.1", "测试", "test", data_dir=tree, releases_dir=releases,
                                    url="https://example.org/", say=lambda _m: None)
    assert record["layout"] == code_names.LAYOUT == 2
    assert release.verify(releases, say=lambda _m: None) == []  # regenerated with the layout it was recorded with
    catalog = release.release_catalog(releases, "2026.1")
    out = tmp_path / "again"
    assert release.regenerate(releases, record, catalog, out) == []
    header = (out / "products" / "products.csv").read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    assert "district_name" in header
    # the same release read as layout 1 (how 2025.1 was recorded) no longer matches: the layout is what decides
    assert release.regenerate(releases, {**record, "layout": None}, catalog, tmp_path / "old")
