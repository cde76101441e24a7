"""A list type the code has never seen, added as schema + dataset.yaml + data only (tests/fixtures/fifth-dataset):
no year, its district in `located_in`, its stage in `stage` with its own in-force and withdrawn values, its money in
`grant`. It must appear everywhere a list appears — nav, one list page, record pages, search, downloads, data
package, dictionary, company, district and statistics pages — with withdrawn rows never counted as in force.

Nothing here names the new dataset or its fields: they are read from the fixture's dataset.yaml and data file, the
district from the districts registry, and the expectations are computed from the rows.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import openpyxl
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO, apply_overlay, make_tree, run_cli

FIFTH = FIXTURES / "fifth-dataset"


def _meta() -> dict:
    (path,) = (FIFTH / "data").glob("*/dataset.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


META = _meta()
NAME = META["name"]
ROLES = META["display"]
STATUS = ROLES["status"]


def _rows() -> list[dict]:
    folder = FIFTH / "data" / NAME
    return list(csv.DictReader(io.StringIO((folder / META["files"]).read_text(encoding="utf-8"))))


ROWS = _rows()
SCHEMA = yaml.safe_load((FIFTH / "schemas" / META["schema"]).read_text(encoding="utf-8"))
KEY = SCHEMA["primaryKey"][0]
LIVE = [r for r in ROWS if r[STATUS["field"]] in STATUS["in_force"]]
PENDING = [r for r in ROWS if r[STATUS["field"]] in STATUS["pending"]]
GONE = [r for r in ROWS if r[STATUS["field"]] in STATUS["withdrawn"]]
MONEY = ROLES["money"][0]
# the money field declared in 万元 (x-unit), whatever it is called, and the power of ten between it and yuan
(WAN,) = [f["name"] for f in SCHEMA["fields"] if f["name"] in ROLES["money"] and f.get("x-unit") == "万元"]
WAN_FIELD = next(f for f in SCHEMA["fields"] if f["name"] == WAN)


def _districts() -> dict[str, dict]:
    text = (REPO / "data/registry/districts/districts.csv").read_text(encoding="utf-8")
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}


def yuan(n: int) -> str:
    return f"{n:,} 元"


def wan_shown(wan: int) -> str:
    """How an amount of `wan` 万元 reads on every page: in yuan, with its 万元 figure (scripts/model/units.py)."""
    return f"{wan * 10_000:,} 元（{wan:,} 万元）" if wan else "0 元"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("fifth")
    data = make_tree(base, FIFTH / "data")
    schemas = base / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    apply_overlay(schemas, FIFTH / "schemas")
    proc = run_cli("build", "--data", data, "--schemas", schemas, "--out", base / "out", "-q")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return data, schemas, base / "out" / "site"


def soup(site: Path, url_path: str) -> BeautifulSoup:
    return BeautifulSoup((site / url_path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_fixture_is_unconventional():
    """The point of the fixture: none of the names the code used to assume."""
    fields = [f["name"] for f in yaml.safe_load((FIFTH / "schemas" / META["schema"]).read_text(encoding="utf-8"))["fields"]]
    assert not {"year", "status", "district", "batch", "industry", "id", "source_url"} & set(fields)
    assert not [f for f in fields if f.endswith("_yuan")]
    assert "year" not in ROLES and ROLES["district"] in fields and STATUS["field"] in fields
    assert LIVE and PENDING and GONE


def test_validates_and_roles_are_read_from_dataset_yaml(built):
    data, schemas, _site = built
    proc = run_cli("validate", data, "--schemas", schemas, "-q")
    assert proc.returncode == 0 and "0 个提示" in proc.stdout, proc.stdout
    from scripts.load.loader import load_catalog
    catalog, _ = load_catalog(data, schemas)
    info = catalog.datasets[NAME].info
    assert (info.year, info.district, info.status.field, info.money, info.title_field, info.key) == (
        None, ROLES["district"], STATUS["field"], tuple(ROLES["money"]), ROLES["title"], KEY)


def test_nav_dataset_page_and_one_list_page_of_all_records(built):
    _data, _schemas, site = built
    home = soup(site, "")
    assert f"{NAME}/" in [a["href"] for a in home.select("nav.md-nav--primary a.md-nav__link[href]")]
    pages = sorted(p.name for p in (site / NAME).iterdir() if p.is_dir())
    assert pages == sorted([r[KEY] for r in ROWS] + ["all"])  # records and one list page: no year pages
    overview = soup(site, NAME)
    assert f"../{NAME}/all/" in [a["href"] for a in overview.select("table a")]
    listing = soup(site, f"{NAME}/all")
    assert [a.get_text() for a in listing.select("table.sx-list-table tbody tr td:first-child a")] == \
        sorted(r[KEY] for r in ROWS)
    downloads = [a["href"] for a in listing.select(".sx-downloads a")]
    assert f"../../downloads/{NAME}/{NAME}.csv" in downloads and f"../../downloads/{NAME}/{NAME}.xlsx" in downloads
    box = listing.select_one("[data-list-src]")
    data = json.loads((site / f"{NAME}/all" / box["data-list-src"]).resolve().read_text(encoding="utf-8"))
    assert data["year"] is None and len(data["rows"]) == len(ROWS) and MONEY in data["money"]
    assert data["link"]["field"] == KEY


def test_record_pages_link_the_district_and_show_money(built):
    _data, _schemas, site = built
    districts = _districts()
    for row in ROWS:
        page = soup(site, f"{NAME}/{row[KEY]}")
        values = {td["data-field"]: td for td in page.select("table.sx-fields td[data-field]")}
        district = districts[row[ROLES["district"]]]
        assert values[ROLES["district"]].get_text(strip=True) == district["name"]
        assert values[ROLES["district"]].a["href"] == f"../../districts/{district['slug']}/"
        assert values[MONEY].get_text(strip=True).startswith(yuan(int(row[MONEY])))
        assert values[ROLES["company"]["code"]].a["href"] == f"../../companies/{row[ROLES['company']['code']]}/"
        assert page.select_one("h1").get_text(" ", strip=True) == f"{row[KEY]} {row[ROLES['title']]}"
        # the notice link comes from the field declared as `source`, shown only where the record has one
        links = [li.a["href"] for li in page.select("article li") if li.get_text().startswith("公告 / notice")]
        assert links == ([row[ROLES["source"]]] if row[ROLES["source"]] else []), row[KEY]


def test_search_index_finds_every_record_and_ranks_withdrawn_last(built):
    _data, _schemas, site = built
    from scripts.search.query import IndexReader
    reader = IndexReader(site / "assets" / "search")
    meta = json.loads((site / "assets/search/meta.json").read_text(encoding="utf-8"))
    entry = next(d for d in meta["datasets"] if d["name"] == NAME)
    assert entry["withdrawn"] == sorted(STATUS["withdrawn"])
    for row in ROWS:
        hits = reader.search(row[ROLES["title"]])
        assert row[KEY] in [reader._row(n)[2][0] for n in hits if reader._dataset_of(n) == NAME]
    stages = [reader._row(n)[4] for n in reader.search(ROWS[0][ROLES["company"]["name"]]) if reader._dataset_of(n) == NAME]
    withdrawn = [s in STATUS["withdrawn"] for s in stages]
    assert any(withdrawn) and withdrawn == sorted(withdrawn)  # withdrawn records come after the others


def test_downloads_and_data_package(built):
    _data, _schemas, site = built
    folder = site / "downloads" / NAME
    rows = list(csv.DictReader(io.StringIO((folder / f"{NAME}.csv").read_text(encoding="utf-8"))))
    assert [r[KEY] for r in rows] == [r[KEY] for r in ROWS] and rows[0][MONEY] == ROWS[0][MONEY]
    records = json.loads((folder / f"{NAME}.json").read_text(encoding="utf-8"))["records"]
    assert [r[KEY] for r in records] == [r[KEY] for r in ROWS] and records[0][MONEY] == int(ROWS[0][MONEY])
    sheet = openpyxl.load_workbook(folder / f"{NAME}.xlsx")[NAME]
    assert sheet.max_row == len(ROWS) + 1
    (package,) = (site / "downloads").glob("*.zip")
    with zipfile.ZipFile(package) as zf:
        descriptor = json.loads(zf.read("datapackage.json"))
        assert NAME in [r["name"] for r in descriptor["resources"]]
        assert len(zf.read(f"data/{NAME}.csv").decode("utf-8").strip().splitlines()) == len(ROWS) + 1


def test_dictionary_lists_the_dataset_and_its_fields(built):
    _data, _schemas, site = built
    text = soup(site, "dictionary").get_text(" ", strip=True)
    assert META["title"] in text
    for name in (KEY, ROLES["district"], STATUS["field"], MONEY):
        assert name in text


def test_company_page_counts_only_records_in_force(built):
    _data, _schemas, site = built
    code = ROLES["company"]["code"]
    company = ROWS[0][code]
    mine = [r for r in ROWS if r[code] == company]
    page = soup(site, f"companies/{company}")
    linked = {a.get_text() for a in page.select("article a") if a.get("href", "").startswith(f"../../{NAME}/")
              and a["href"] != f"../../{NAME}/"}
    assert linked == {r[KEY] for r in mine}
    total = page.select_one(f'[data-money="{NAME}"]').get_text(strip=True)
    assert total.startswith(yuan(sum(int(r[MONEY]) for r in mine if r in LIVE)))
    # each record's stage badge is coloured by its declared lifecycle, not by a stage word the code knows
    seen = set()
    for company in {r[code] for r in ROWS}:
        page = soup(site, f"companies/{company}")
        kinds = {li.select_one(".sx-status").get_text(): li.select_one(".sx-status")["class"][-1]
                 for li in page.select("article li") if li.a and li.a.get("href", "").startswith(f"../../{NAME}/")}
        assert kinds == {r[STATUS["field"]]: "sx-status-" + ("on" if r in LIVE else "wait" if r in PENDING else "off")
                         for r in ROWS if r[code] == company}
        seen.update(kinds.values())
    assert seen == {"sx-status-on", "sx-status-wait", "sx-status-off"}


def test_district_pages_count_it_under_its_own_district_field(built):
    _data, _schemas, site = built
    districts = _districts()
    for did in {r[ROLES["district"]] for r in ROWS}:
        here = [r for r in ROWS if r[ROLES["district"]] == did]
        page = soup(site, f"districts/{districts[did]['slug']}")
        row = next(tr for tr in page.select("table tr") if META["title"] in tr.get_text())
        cells = [td.get_text(" ", strip=True) for td in row.select("td")]
        assert cells[:3] == [str(len([r for r in here if r in LIVE])), str(len([r for r in here if r in PENDING])),
                             str(len(here))]
        assert row.select_one(f'a[href^="../../{NAME}/all/"]') is not None


def test_statistics_count_in_force_pending_and_withdrawn_apart(built):
    _data, _schemas, site = built
    page = soup(site, "statistics")
    by_year = page.select_one("#by-year").find_next("table")
    row = next(tr for tr in by_year.select("tr") if META["title"] in tr.get_text())
    assert row.select_one("[data-active]").get_text() == str(len(LIVE))
    assert row.select_one("[data-pending]").get_text() == str(len(PENDING))
    assert row.select("td")[-1].get_text() == str(len(GONE))
    assert {td.get_text() for td in row.select("td")[:-3]} == {"—"}  # no year: no per-year counts
    money = next(tr for tr in page.select("tr") if META["title"] in tr.get_text() and tr.select("[data-by-stage]"))
    cells = [td.get_text(" ", strip=True) for td in money.select("td")]
    assert cells[-2].startswith(yuan(sum(int(r[MONEY]) for r in LIVE)))  # withdrawn and pending grants left out


def test_no_broken_link_to_or_from_its_pages(built):
    _data, _schemas, site = built
    broken = []
    for path in sorted(site.rglob("*.html")):
        if path.name == "404.html":
            continue
        base = "http://site.test/" + path.relative_to(site).as_posix()
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in html.find_all("a"):
            url = tag.get("href")
            if not url or url.startswith(("#", "mailto:")) or urlparse(url).scheme:
                continue
            target = unquote(urlparse(urljoin(base, url)).path).lstrip("/")
            file = site / target
            if target.endswith("/") or file.is_dir():
                file = file / "index.html"
            if NAME in target and not file.is_file():
                broken.append(f"{base} → {url}")
    assert broken == []


# --- a money field declared in 万元 (issue 17): its 100 is 1,000,000 元 everywhere, never "100 元" -----------------

def test_the_wan_field_declares_its_unit_and_nothing_depends_on_its_name():
    assert WAN_FIELD["x-unit"] == "万元" and "万元" not in WAN_FIELD["title"] and not WAN.endswith("_yuan")
    assert [f.get("x-unit") for f in SCHEMA["fields"] if f["name"] == MONEY] == ["元"]
    assert any(int(r[WAN]) == 100 for r in LIVE)


def test_record_pages_show_the_wan_field_in_yuan_and_wan(built):
    _data, _schemas, site = built
    for row in ROWS:
        page = soup(site, f"{NAME}/{row[KEY]}")
        cell = page.select_one(f'table.sx-fields td[data-field="{WAN}"]').get_text(strip=True)
        assert cell == wan_shown(int(row[WAN])), row[KEY]
    first = soup(site, f"{NAME}/{next(r[KEY] for r in ROWS if r[WAN] == '100')}")
    text = first.select_one(f'table.sx-fields td[data-field="{WAN}"]').get_text(strip=True)
    assert "100 万元" in text and "1,000,000 元" in text and text != "100 元"


def test_list_json_and_first_page_cells_carry_the_unit(built):
    _data, _schemas, site = built
    listing = soup(site, f"{NAME}/all")
    box = listing.select_one("[data-list-src]")
    data = json.loads((site / f"{NAME}/all" / box["data-list-src"]).resolve().read_text(encoding="utf-8"))
    assert data["units"][WAN] == {"unit": "万元", "base": "元", "shift": 4}
    assert data["units"][MONEY] == {"unit": "元", "base": "元", "shift": 0}
    column = data["fields"].index(WAN)
    assert sorted(r[column] for r in data["rows"]) == sorted(r[WAN] for r in ROWS)  # values stay in 万元
    heads = [th.get_text(" ", strip=True) for th in listing.select("table.sx-list-table thead th")]
    at = next(i for i, h in enumerate(heads) if WAN_FIELD["title"] in h)
    shown = {tr.select("td")[0].get_text(strip=True): tr.select("td")[at].get_text(strip=True)
             for tr in listing.select("table.sx-list-table tbody tr")}
    assert shown == {r[KEY]: wan_shown(int(r[WAN])) for r in ROWS}


def test_district_company_and_statistics_totals_convert_the_wan_field(built):
    _data, _schemas, site = built
    districts = _districts()
    for did in {r[ROLES["district"]] for r in ROWS}:
        live = sum(int(r[WAN]) for r in LIVE if r[ROLES["district"]] == did)
        page = soup(site, f"districts/{districts[did]['slug']}")
        row = next(tr for tr in page.select("table tr") if META["title"] in tr.get_text())
        assert f"{WAN_FIELD['title']} {wan_shown(live)}" in row.get_text(" ", strip=True).replace(" （", "（")
    code = ROLES["company"]["code"]
    company = ROWS[0][code]
    page = soup(site, f"companies/{company}")
    totals = [s.get_text(strip=True) for s in page.select(f'[data-money="{NAME}"]')]
    assert totals[1] == wan_shown(sum(int(r[WAN]) for r in LIVE if r[code] == company))
    stats = soup(site, "statistics")
    row = next(tr for tr in stats.select("tr") if META["title"] in tr.get_text() and WAN_FIELD["title"] in tr.get_text()
               and tr.select("[data-by-stage]"))
    assert row.select("td")[-2].get_text(strip=True) == wan_shown(sum(int(r[WAN]) for r in LIVE))


def test_downloads_keep_the_wan_values_and_name_the_unit(built):
    _data, _schemas, site = built
    folder = site / "downloads" / NAME
    rows = list(csv.DictReader(io.StringIO((folder / f"{NAME}.csv").read_text(encoding="utf-8"))))
    assert [r[WAN] for r in rows] == [r[WAN] for r in ROWS]  # the CSV keeps the field's own unit: 100, not 1000000
    excel = (folder / f"{NAME}.excel.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert f"{WAN_FIELD['title']}（万元） / {WAN_FIELD['x-label-en']} (10,000 yuan)" in excel
    records = json.loads((folder / f"{NAME}.json").read_text(encoding="utf-8"))
    assert [r[WAN] for r in records["records"]] == [int(r[WAN]) for r in ROWS]
    assert {f["name"]: f.get("unit") for f in records["about"]["fields"]}[WAN] == "万元"
    sheet = openpyxl.load_workbook(folder / f"{NAME}.xlsx")[NAME]
    heads = [c.value for c in sheet[1]]
    col = heads.index(f"{WAN_FIELD['title']}（万元）\n{WAN_FIELD['x-label-en']} (10,000 yuan)")
    cells = [row[col] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [int(r[WAN]) for r in ROWS] and {c.number_format for c in cells} == {"#,##0"}
    (package,) = (site / "downloads").glob("*.zip")
    with zipfile.ZipFile(package) as zf:
        descriptor = json.loads(zf.read("datapackage.json"))
    fields = {f["name"]: f for r in descriptor["resources"] if r["name"] == NAME for f in r["schema"]["fields"]}
    assert fields[WAN]["x-unit"] == "万元" and fields[MONEY]["x-unit"] == "元"
