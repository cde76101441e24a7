"""Targets count what they measure (issue 17, item 10): each target of the targets registry declares its period, the
stages it counts and shows beside, and its place; the home and policy pages count only those records, say the rule
beside the number and how many they left out. The tree is the tiny valid fixture plus tests/fixtures/targets-overlay
(recognitions of 2021 and 2026, companies in Jiaxing, 温州 and 丽水, as a province-wide list leaves them); every
number on the home page is checked against a recount written here from the files (csv, yaml), not from scripts/.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, make_tree, run_cli

from scripts.load.loader import load_catalog
from scripts.validate import targets

OVERLAY = FIXTURES / "targets-overlay"
OUTSIDE = [("示例温州阀门有限公司", "330300", "温州市"), ("示例丽水特种材料有限公司", "331100", "丽水市")]


def add_companies_outside_jiaxing(data: Path) -> None:
    """The two companies of the overlay that are in other cities, as the importer records them (city, no Jiaxing code)."""
    path = data / "registry" / "companies" / "companies.csv"
    header = next(csv.reader(path.open(encoding="utf-8")))
    with path.open("a", encoding="utf-8", newline="") as f:
        for name, district, city in OUTSIDE:
            row = {"name": name, "district": district, "province": "浙江省", "city": city, "note": "嘉兴市外企业（示例）"}
            csv.writer(f, lineterminator="\n").writerow([row.get(h, "") for h in header])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("targets")
    data = make_tree(base, OVERLAY)
    add_companies_outside_jiaxing(data)
    proc = run_cli("validate", data, "-q")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_cli("build", "--data", data, "--out", base / "out", "-q")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return data, base / "out" / "site"


def page(site: Path, url_path: str) -> BeautifulSoup:
    return BeautifulSoup((site / url_path / "index.html").read_text(encoding="utf-8"), "html.parser")


def target_section(site: Path, tid: str):
    return page(site, "").find("section", attrs={"aria-labelledby": f"t-{tid}"})


def test_three_firsts_counts_only_2025_to_2027_in_jiaxing(built):
    """Counted: R-2025-0001 (秀洲区), R-2025-0007 (南湖区), R-2026-0001 (南湖区), R-2026-0004 (平湖市, by the record's
    own district: its company is not in the registry). Left out: R-2021-0001/0002 (other years), R-2025-0008 (杭州),
    R-2026-0002 (丽水), R-2026-0003 (温州, by the companies registry). Beside: R-2025-0010 and R-2026-0005 (桐乡, 公示/拟认定);
    R-2026-0006 (温州, 公示) is neither counted nor beside."""
    _data, site = built
    section = target_section(site, "three-firsts-products")
    assert section.select_one(".sx-big").get_text() == "4"
    assert section.select_one(".sx-stage-counts")["data-pending"] == "2"
    rule = section.select_one(".sx-target-rule").get_text(" ", strip=True)
    assert rule.startswith("计：2025—2027 年；认定；企业在嘉兴市")
    assert "counted: 2025–2027; 认定; companies located in Jiaxing" in rule
    excluded = section.select_one(".sx-target-excluded")
    assert excluded["data-excluded"] == "5"
    text = excluded.get_text(" ", strip=True)
    assert text.startswith("另有 5 条不计入（其他年份 2 条、嘉兴市以外或地点不明 3 条）")
    assert "5 more not counted (2 of other years, 3 outside Jiaxing or of unknown place)" in text
    # the chart has the period's years only (no 2021), cumulative, pending beside
    rows = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
            for tr in section.select("figure.sx-figure-chart table tbody tr")]
    assert rows == [["2025", "2", "1", "90"], ["2026", "4", "1", "90"]]


def test_policy_page_shows_the_same_rule_beside_the_target(built):
    _data, site = built
    measure = page(site, "policy").find("section", id="measure-7")
    assert measure.select_one(".sx-measure-target strong").get_text() == "4"
    assert measure.select_one(".sx-target-rule").get_text(" ", strip=True).startswith("计：2025—2027 年；认定；企业在嘉兴市")
    assert measure.select_one(".sx-target-excluded")["data-excluded"] == "5"


# ---------------------------------------------------------------- the recount, from the files

def _rows(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".csv":
            rows += list(csv.DictReader(path.open(encoding="utf-8")))
        elif path.suffix == ".yaml" and path.name != "dataset.yaml":
            rows.append({k: "" if v is None else v for k, v in yaml.safe_load(path.read_text(encoding="utf-8")).items()})
    return rows


def recount(data: Path, target: dict) -> tuple[int, int, int]:
    """(counted, pending, left out) of one target row, from the files and the declaration alone."""
    meta = yaml.safe_load((data / target["dataset"] / "dataset.yaml").read_text(encoding="utf-8"))
    display = meta["display"]
    status, company, own = display["status"]["field"], display.get("company", {}).get("name"), display.get("district")
    districts = {r["id"]: r for r in csv.DictReader((data / "registry/districts/districts.csv").open(encoding="utf-8"))}
    companies = {r["name"]: r["district"] for r in csv.DictReader((data / "registry/companies/companies.csv").open(encoding="utf-8"))}
    root = next(k for k, r in districts.items() if r["slug"] == target["scope"]) if target["scope"] != "all" else None

    def inside(district: str) -> bool:
        while district in districts:
            if district == root:
                return True
            district = districts[district]["parent"]
        return False

    first, last = int(target["first_year"]), int(target["deadline"])
    stages, waiting = target["stages"].split(";"), target["pending_stages"].split(";")
    wanted = target["where_values"].split(";") if target["where_field"] else None
    counted, pending, left_out = {}, {}, 0
    for row in _rows(data / target["dataset"]):
        if wanted is not None and row[target["where_field"]] not in wanted:
            continue
        achieved = row[status] in stages
        if not achieved and row[status] not in waiting:
            continue
        place = (companies.get(row[company]) if company else None) or row.get(own) or ""
        if not first <= int(row["year"]) <= last or (root and not inside(str(place))):
            left_out += achieved
            continue
        bucket = counted if achieved else pending
        bucket[int(row["year"])] = bucket.get(int(row["year"]), 0) + 1
    if target["period"] == "per_year":
        year = max(counted) if counted else first
        return counted.get(year, 0), pending.get(year, 0), left_out
    return sum(counted.values()), sum(pending.values()), left_out


def test_every_target_on_the_home_page_matches_a_recount(built):
    data, site = built
    home = page(site, "")
    tracked = 0
    for target in csv.DictReader((data / "registry/targets/targets.csv").open(encoding="utf-8")):
        section = home.find("section", attrs={"aria-labelledby": f"t-{target['id']}"})
        if not target["dataset"]:
            assert section.select_one(".sx-big") is None
            continue
        tracked += 1
        excluded = section.select_one(".sx-target-excluded")
        shown = (int(section.select_one(".sx-big").get_text().replace(",", "")),
                 int(section.select_one(".sx-stage-counts")["data-pending"]),
                 int(excluded["data-excluded"]) if excluded else 0)
        assert shown == recount(data, target), target["id"]
    assert tracked == 9


# ---------------------------------------------------------------- declarations

def test_a_release_snapshot_row_without_the_new_columns_counts_as_it_did(tmp_path):
    """Release 2025.1 stores targets.csv without first_year, stages, pending_stages and scope: read with the list's
    display.status, no lower year bound and every place, as the code of that time counted."""
    catalog, _problems = load_catalog(make_tree(tmp_path, OVERLAY))
    ds = catalog.datasets["recognitions"]
    row = {"dataset": "recognitions", "deadline": "2027", "period": "by_deadline", "where_field": "list_kind",
           "where_values": ["首台套装备", "首批次新材料", "首版次软件"]}
    decl = targets.declaration(row, ds)
    assert (decl.first, decl.last, decl.stages, decl.pending, decl.scope) == (None, 2027, ("认定",), ("公示", "拟认定"), "all")
    found = targets.count(catalog, ds, decl)
    assert (len(found.counted), len(found.pending), found.excluded) == (9, 3, 0)
