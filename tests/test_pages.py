"""Golden checks of the built site (real build of a tiny real-layout tree, pages parsed with BeautifulSoup).

The tree is the tiny valid fixture plus tests/fixtures/xss-overlay: valid data whose names look like markup.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlparse, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO, make_tree, run_cli

XSS = FIXTURES / "xss-overlay"
CONFIG = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("pages")
    data = make_tree(base, XSS)
    proc = run_cli("build", "--data", data, "--out", base / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return base / "out" / "site"


def soup(site: Path, url_path: str) -> BeautifulSoup:
    return BeautifulSoup((site / url_path / "index.html").read_text(encoding="utf-8"), "html.parser")


def table_rows(node) -> list[list[str]]:
    """The body rows of the first table under node, as cell texts (header cell of the row included)."""
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in node.select("table tbody tr")]


def schema_fields(name: str) -> list[dict]:
    path = REPO / "schemas" / f"{name}.schema.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["fields"]


def test_record_page_labels_every_field_with_chinese_and_english(site):
    page = soup(site, "products/P-2025-00001")
    rows = {th["data-field"]: th for th in page.select("table.sx-fields th[data-field]")}
    fields = schema_fields("products")
    assert list(rows) == [f["name"] for f in fields]
    for f in fields:
        label = rows[f["name"]].get_text(" ", strip=True)
        assert label == f"{f['title']} {f['x-label-en']}"
    values = {td["data-field"]: td.get_text(" ", strip=True) for td in page.select("table.sx-fields td[data-field]")}
    assert values["name"] == "示例高精度压力传感器"
    assert values["district"] == "南湖区"
    assert values["credit_code"] == "91330402MA29GJ9Y6Y"
    assert page.select_one('td[data-field="credit_code"] a')["href"] == "../../companies/91330402MA29GJ9Y6Y/"


def test_record_page_related_records_both_ways(site):
    product = soup(site, "products/P-2025-00001")
    related = {a.get_text() for a in product.select("ul.sx-related a")}
    assert {"A-2025-0003", "A-2025-0011", "S-2025-001"} <= related
    award = soup(site, "awards/A-2025-0003")
    assert [a["href"] for a in award.select("ul.sx-related a")] == ["../../products/P-2025-00001/",
                                                                     "../../recognitions/R-2025-0013/"]
    recognition = soup(site, "recognitions/R-2025-0013")  # the award points to the recognition it pays for
    assert [a.get_text() for a in recognition.select("ul.sx-related a")] == ["A-2025-0003"]
    scene = soup(site, "scenes/S-2025-001")
    assert "P-2025-00001" in {a.get_text() for a in scene.select("ul.sx-related a")}


def test_edit_link_points_at_the_data_file_line(site):
    edit = soup(site, "products/P-2025-00001").select_one("a.sx-edit")
    repo = CONFIG["repo_url"].rstrip("/")
    assert edit["href"] == f"{repo}/{CONFIG['edit_uri'].strip('/')}/data/products/2025.csv#L2"
    scene_edit = soup(site, "scenes/S-2025-001").select_one("a.sx-edit")
    assert scene_edit["href"].endswith("/data/scenes/2025/S-2025-001.yaml")


def test_list_page_shell_and_its_data_file(site):
    page = soup(site, "products/2025")
    box = page.select_one("[data-list-src]")
    src = urljoin("products/2025/", box["data-list-src"])
    data = json.loads((site / src).read_text(encoding="utf-8"))
    full = json.loads((site / urljoin(src, data["full"])).read_text(encoding="utf-8"))
    assert full["fields"] == [f["name"] for f in schema_fields("products")]
    with (site.parent.parent / "data" / "products" / "2025.csv").open(encoding="utf-8", newline="") as fh:  # as built
        source = list(csv.DictReader(fh))
    ids = [row["id"] for row in source]
    assert [dict(zip(full["fields"], row)) for row in full["rows"]] == source  # every field, as written
    meta = yaml.safe_load((FIXTURES / "valid" / "products" / "dataset.yaml").read_text(encoding="utf-8"))
    display = meta["display"]
    # the list view carries only what is shown, filtered, searched, summed or grouped (the year too: the all-years
    # list filters and groups by it), plus each row's position in the full file
    assert set(data["fields"]) == {"id"} | set(display["list_columns"]) | set(display["filters"]) \
        | set(display["search_fields"]) | set(display.get("money") or []) | {display["company"]["name"]}
    assert data["status"] == {"field": "status", **{k: display["status"][k] for k in ("in_force", "pending", "withdrawn")}}
    assert data["group"] == display["filters"] + ["company"] and data["roles"] == {"title": "name", "company": "company", "status": "status"}
    assert full["labels"]["district"]["330402"] == "南湖区"  # the names beside the codes in the filtered CSV
    assert [row[data["fields"].index("id")] for row in data["rows"]] == ids
    assert [row[-1] for row in data["rows"]] == list(range(len(ids)))
    assert "summary" not in data["fields"]
    assert data["columns"] == display["list_columns"]
    assert data["filters"] == [f for f in meta["display"]["filters"] if f != "year"]
    # the static first page is useful without JavaScript: every row, linked to its record page
    assert [a.get_text() for a in page.select("table.sx-list-table tbody tr td:first-child a")] == ids
    assert page.select_one("noscript")
    # cells carry their part in a phone card (list.js gives the same classes)
    assert [th["class"] for th in page.select("table.sx-list-table thead th")][:3] == [
        ["sx-c-link", "sx-c-id"], ["sx-c-title"], ["sx-c-company"]]
    withdrawn = [r for r in source if r["status"] == "撤销"]
    marked = [tr.td.get_text() for tr in page.select("table.sx-list-table tbody tr.sx-row-withdrawn")]
    assert marked == [r["id"] for r in withdrawn]
    downloads = {a["href"] for a in page.select("p.sx-downloads a")}
    assert "../../downloads/products/products-2025.csv" in downloads
    assert "../../downloads/products/products-2025.excel.csv" in downloads


def test_all_years_list_names_every_years_data_file(site):
    page = soup(site, "products/all")
    box = page.select_one("[data-list-src]")
    years = sorted(p.stem.split("-")[1] for p in (site / "listdata").glob("products-*.json") if ".full" not in p.name)
    assert len(years) > 1
    assert box["data-list-src"].split() == [f"../../listdata/products-{y}.json" for y in years]
    assert box["data-file"] == "products-all"
    ids = []
    for y in years:
        data = json.loads((site / "listdata" / f"products-{y}.json").read_text(encoding="utf-8"))
        ids += [row[data["fields"].index("id")] for row in data["rows"]]
    assert [a.get_text() for a in page.select("table.sx-list-table tbody tr td:first-child a")] == sorted(ids)[:50]
    assert page.select_one("nav.sx-years [aria-current=page]").get_text() == "全部年度 / all years"
    assert any(a["href"] == "../../products/all/" for a in soup(site, "products/2025").select("nav.sx-years a"))


def test_data_dictionary_covers_every_schema_field(site):
    page = soup(site, "dictionary")
    for schema in sorted((REPO / "schemas").rglob("*.schema.yaml")):
        name = schema.name.removesuffix(".schema.yaml")
        for f in yaml.safe_load(schema.read_text(encoding="utf-8"))["fields"]:
            row = page.find("tr", id=f"{name}-{f['name']}")
            assert row is not None, f"{name}.{f['name']} missing from the dictionary"
            cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
            assert cells[:4] == [f["name"], f.get("title", ""), f.get("x-label-en", ""), f["type"]]
            assert " ".join(cells[5].split()) == " ".join(str(f.get("description", "")).split())


def test_company_page_totals(site):
    page = soup(site, "companies/91330411MA2Q1CE507")
    # A-2025-0007 1,500,000 + A-2025-0010 54,000 + A-2025-0016 46,000 (认定 counts; nothing withdrawn)
    assert page.select_one(".sx-award-total")["data-yuan"] == "1600000"
    ids = {a.get_text() for a in page.select("ul.sx-related a")}
    assert {"P-2025-00003", "P-2025-00004", "P-2026-00002", "A-2025-0007", "A-2025-0010", "A-2025-0016"} <= ids


def test_home_shows_target_progress_counted_from_the_data(site):
    page = soup(site, "")
    scenes = page.find("section", attrs={"aria-labelledby": "t-scenes-100"})
    # the tiny tree has S-2025-001, S-2026-001 and the overlay's S-2027-001, none withdrawn
    assert scenes.select_one(".sx-big").get_text() == "3"
    # the chart of a cumulative target: the running total in force by year, pending beside, the target in the legend
    figure = scenes.select_one("figure.sx-figure-chart")
    assert table_rows(figure) == [["2025", "1", "0", "100"], ["2026", "2", "0", "100"], ["2027", "3", "0", "100"]]
    svg_text = [t.get_text() for t in figure.select("svg.sx-chart text")]
    assert "目标 100 个（2027 年）/ target 100" in svg_text and "累计在用 / in force, cumulative" in svg_text
    assert {"1", "2", "3"} <= set(svg_text)  # every bar labelled with its value
    assert page.select_one("form#sx-home-search")["action"] == "search/"


def test_policy_page_lists_the_18_measures(site):
    page = soup(site, "policy")
    assert [s["id"] for s in page.select("section.sx-measure")] == [f"measure-{i}" for i in range(1, 19)]
    first = page.find("section", id="measure-1").get_text(" ", strip=True)
    assert "嘉兴市科学技术局" in first and "嘉兴市财政局" in first


def test_statistics_page_money_totals(site):
    page = soup(site, "statistics")
    award_rows = {tr.th.get_text(strip=True): tr for tr in page.select("#by-award-type ~ div table tbody tr")}
    assert "国内“三首”产品" in award_rows
    assert "1,500,000 元" in award_rows["国内“三首”产品"].get_text()


def test_example_banner_on_every_page(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        if path.name == "404.html" or "downloads" in path.parts and path.name != "index.html":
            continue
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert html.select_one("[data-example-banner]") is not None, path


def test_markup_in_data_renders_as_text(site):
    shown = {
        "products/P-2027-00001": ["示例<script>alert(1)</script>检测仪", "示例<img src=x onerror=alert(2)>科技有限公司"],
        "products/P-2027-00002": ["示例 | 管道 | **粗体** _斜体_ # 标题 技术", "示例[链接](javascript:alert(5))有限公司"],
        "products/2027": ["示例<script>alert(1)</script>检测仪"],
        "companies/91330402MA2XXX0015": ["示例<img src=x onerror=alert(2)>科技有限公司", "示例<script>alert(6)</script>奖励"],
        "scenes/S-2027-001": ["示例<svg onload=alert(7)>场景", "[x](javascript:alert(10))"],
    }
    for url, texts in shown.items():
        page = soup(site, url)
        article = page.select_one("article")
        for text in texts:
            assert text in article.get_text(), (url, text)
        assert not [el for el in article.find_all(["strong", "em", "b"])
                    if any(word in el.get_text() for word in ("粗体", "斜体", "不加粗", "# 标题"))], url
        assert not article.find_all(["script", "img", "iframe"]), url
        assert not [s for s in article.find_all("svg") if "sx-chart" not in (s.get("class") or [])], url


def test_no_live_markup_or_script_urls_anywhere(site):
    for path in sorted(site.rglob("*.html")):
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in html.find_all(True):
            for attr, value in tag.attrs.items():
                assert not attr.startswith("on"), (path, tag.name, attr)
                if attr in ("href", "src", "action"):
                    assert not str(value).strip().lower().startswith(("javascript:", "data:text/html")), (path, value)
        for script in html.find_all("script"):
            assert "alert(" not in script.get_text(), path


def test_no_request_leaves_the_origin(site):
    """Stylesheets, scripts, images and fonts are all local (links to other sites are fine, loads are not)."""
    for path in sorted(site.rglob("*.html")):
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in html.find_all(["script", "img", "link", "iframe", "source", "video", "audio"]):
            url = tag.get("src") or (tag.get("href") if tag.name == "link" else None)
            if url:
                assert not urlparse(url).netloc and not url.startswith("//"), (path, url)
    css = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.css"))
    assert "fonts.googleapis.com" not in css and "fonts.gstatic.com" not in css


def test_no_broken_internal_link(site):
    """Crawl every built HTML page: each internal href/src resolves to a file of the site."""
    broken = []
    for path in sorted(site.rglob("*.html")):
        if path.name == "404.html":  # served at any depth, so MkDocs writes it with absolute URLs
            continue
        base = "http://site.test/" + path.relative_to(site).as_posix()
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in html.find_all(["a", "link", "script", "img"]):
            url = tag.get("href") or tag.get("src")
            if not url or url.startswith(("#", "mailto:", "blob:", "data:")) or urlparse(url).scheme:
                continue
            target = unquote(urlparse(urljoin(base, url)).path).lstrip("/")
            file = site / target
            if target.endswith("/") or file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{base} → {url}")
        for box in html.select("[data-list-src]"):  # one data file per year (the all-years list names several)
            for src in box["data-list-src"].split():
                if not (site / urlparse(urljoin(base, src)).path.lstrip("/")).is_file():
                    broken.append(f"{base} → {src}")
    assert broken == []


def test_small_nav_and_record_pages_not_in_it(site):
    page = soup(site, "")
    nav_links = page.select("nav.md-nav--primary a.md-nav__link[href]")
    hrefs = [a["href"] for a in nav_links]
    assert len(hrefs) <= 16
    assert not [h for h in hrefs if re.search(r"[A-Z]-\d{4}-\d", h)]
    assert "products/" in hrefs and "statistics/" in hrefs and "dictionary/" in hrefs
    tabs = [a.get_text(strip=True).split(" / ")[0] for a in page.select("nav.md-tabs a.md-tabs__link")]
    assert tabs == ["数据集", "统计", "企业", "地区", "政策", "下载", "搜索"]


def test_one_setting_gives_the_public_address_and_the_repository(tmp_path):
    """site_url and repo_url are read from mkdocs.yml by one module (scripts/siteconfig.py); report and edit links and
    JSON-LD follow."""
    from scripts import siteconfig
    from scripts.exports import feeds
    from scripts.load.loader import load_catalog
    from scripts.site.context import Settings, edit_link, index_site, report_link
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_url: https://data.example.cn/sanxin\nrepo_url: https://github.com/jx/data/\n"
                      "edit_uri: edit/main/\n", encoding="utf-8")
    assert siteconfig.site_url(config) == "https://data.example.cn/sanxin/"
    assert siteconfig.repo_url(config) == "https://github.com/jx/data"
    assert siteconfig.site_url(tmp_path / "none.yml") == ""
    raw = siteconfig.read(config)
    catalog, _ = load_catalog(REPO / "data")
    site = index_site(catalog, Settings(repo_url=raw["repo_url"], edit_uri=raw["edit_uri"],
                                        site_url=siteconfig.site_url(config)))
    ds = catalog.datasets["products"]
    record = next(r for r in ds.records if r.values["id"] == "P-2025-00001")
    report = report_link(site, ds, "P-2025-00001")
    assert report.startswith("https://github.com/jx/data/issues/new?")
    query = parse_qs(urlsplit(report).query)
    assert "P-2025-00001" in query["title"][0]
    assert "https://data.example.cn/sanxin/products/P-2025-00001/" in query["body"][0]
    assert edit_link(site, ds, record) == "https://github.com/jx/data/edit/main/data/products/2025.csv#L2"
    dataset = feeds.dataset_jsonld(catalog, "products", [], url=siteconfig.site_url(config))
    assert dataset["url"].startswith("https://data.example.cn/sanxin/")


def test_html_pages_have_no_search_plugin_or_web_fonts(site):
    assert not (site / "search" / "search_index.json").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in home


def test_home_lists_the_latest_data_releases(site):
    index = yaml.safe_load((REPO / "releases" / "index.yaml").read_text(encoding="utf-8"))["releases"]
    page = soup(site, "")
    shown = [li.strong.get_text() for li in page.select("ul.sx-releases li")]
    assert shown == [r["version"] for r in reversed(index)][:3]
    assert page.select_one('a[href="changelog/"]') is not None


def test_dataset_pages_carry_schema_org_dataset_jsonld(site):
    """Harvesters find each dataset with its downloads, sizes and SHA-256 (as in downloads/manifest.json)."""
    import json
    manifest = json.loads((site / "downloads" / "manifest.json").read_text(encoding="utf-8"))
    files = {entry["path"]: entry for entry in (manifest["files"] if isinstance(manifest, dict) else manifest)}
    for name in sorted(p.parent.name for p in (FIXTURES / "valid").glob("*/dataset.yaml")):  # every list
        scripts = soup(site, name).select('script[type="application/ld+json"]')
        assert len(scripts) == 1, name
        ld = json.loads(scripts[0].string)
        assert ld["@type"] == "Dataset" and ld["identifier"] == name
        assert len(ld["distribution"]) >= 4
        for dist in ld["distribution"]:
            rel = dist["contentUrl"].split("/downloads/", 1)[1]
            assert files[rel]["sha256"] == dist["sha256"] and str(files[rel]["bytes"]) == dist["contentSize"]


def test_three_firsts_target_counts_recognitions_of_every_tier_with_pending_beside(site):
    """省级以上 includes 省内: R-2025-0001 (国内) and R-2025-0007 (省内) count; R-2025-0008 (省内) is recognised but its
    company is in 杭州 (companies registry 330100), outside the target's scope jiaxing: said beside, not counted;
    R-2025-0010 is still 拟认定 (its company is in 桐乡, so it is shown beside)."""
    target = soup(site, "").find("section", attrs={"aria-labelledby": "t-three-firsts-products"})
    assert target.select_one(".sx-big").get_text() == "2"
    stage_line = target.select_one(".sx-stage-counts")
    assert stage_line["data-pending"] == "1"
    assert stage_line.get_text(" ", strip=True).startswith("认定 2，公示中 1")
    assert target.select_one(".sx-target-excluded")["data-excluded"] == "1"


def test_share_of_a_target_keeps_a_decimal_when_small():
    from scripts.site.render import pct
    assert pct(100 * 12 / 3000) == "0.4%" and pct(0) == "0%" and pct(100) == "100%" and pct(12.3) == "12%"
    assert pct(2.5) == "2.5%" and pct(0.04) == "<0.1%"


def test_company_without_a_credit_code_has_its_own_page(site):
    data = json.loads((site / "listdata" / "companies.json").read_text(encoding="utf-8"))
    rows = {row[data["fields"].index("name")]: row for row in data["rows"]}
    row = rows["示例重型装备有限公司"]  # registered without a code, outside Jiaxing (杭州市)
    slug = row[data["fields"].index("page")]
    assert slug.startswith("c-") and row[data["fields"].index("credit_code")] == ""
    page = soup(site, f"companies/{slug}")
    assert page.select_one("[data-no-code]") is not None
    assert "杭州市" in page.get_text() and "R-2025-0008" in {a.get_text() for a in page.select("ul.sx-related a")}
    record = soup(site, "recognitions/R-2025-0008")
    assert any(a["href"] == f"../../companies/{slug}/" for a in record.select("a"))


def test_money_totals_say_which_stages_they_sum(site):
    page = soup(site, "statistics")
    row = next(tr for tr in page.select("#money ~ div table tbody tr") if "奖励金额" in tr.th.get_text())
    assert row.select_one("[data-stages]").get_text() == "（认定、已拨付）"
    by_stage = row.select_one("[data-by-stage]").get_text()
    assert by_stage.startswith("认定 ") and "；已拨付 " in by_stage


def test_policy_page_counts_each_measure_by_its_own_award_types(site):
    page = soup(site, "policy")
    m16 = page.find("section", id="measure-16").get_text(" ", strip=True)
    assert "本条 / this measure：" in m16 and "国内“三首”产品 1" in m16 and "新技术新产品保险保费补贴" not in m16
    m18 = page.find("section", id="measure-18").get_text(" ", strip=True)
    assert "新技术新产品保险保费补贴 3" in m18
    m7 = page.find("section", id="measure-7").get_text(" ", strip=True)
    assert "首台套装备 3" in m7  # recognitions of measure 7 by list kind, 省内 included
    m4 = page.find("section", id="measure-4")  # no award type belongs to measure 4: a link, no misleading count
    link = m4.find("a", href="../awards/")
    assert link is not None and (link.next_sibling is None or "（" not in str(link.next_sibling))


def test_statistics_charts_draw_the_tables_and_their_csv(site):
    page = soup(site, "statistics")
    for dim in ("by-district", "by-industry"):
        visible = page.find("h2", id=dim).find_next("table")
        figure = page.find("figure", id=f"chart-{dim}")
        assert figure is not None and figure.find_previous("h2")["id"] == dim
        # the chart draws the numbers of the table above it, which it links to instead of repeating them
        assert figure["data-table"] == visible["id"] and figure.select_one(f'a[href="#{visible["id"]}"]')
        assert figure.find("table") is None
        shown = table_rows(visible)
        head = [th.get_text(" ", strip=True) for th in visible.select("thead th")]
        with (site / "charts" / f"{dim}.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0][0] == ("地区 / District" if dim == "by-district" else "产业领域 / Industry")
        assert [h.replace(" / ", " ") for h in rows[0]] == head  # the table's header is the CSV's, bilingual
        assert rows[1:] == [[c.replace(",", "") for c in r] for r in shown] and shown, dim
    # one x scale per dataset: 南湖区's bars are as long as its counts say, next to every other district's
    svg = page.find("figure", id="chart-by-district").select_one("svg.sx-chart")
    assert svg["role"] == "img" and "按地区" in svg["aria-label"]


def test_every_chart_has_its_date_csv_and_table(site):
    seen = 0
    for path in sorted(site.rglob("index.html")):
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        ids = [el["id"] for el in html.find_all(id=True)]
        assert len(ids) == len(set(ids)), (path, [i for i in ids if ids.count(i) > 1][:3])
        for figure in html.select("figure.sx-figure-chart"):
            seen += 1
            assert re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", figure.select_one("[data-as-of]")["data-as-of"]), path
            link = figure.select_one(".sx-chart-links a")
            assert link.get_text(" ", strip=True).startswith("下载图表数据 CSV"), path
            target = (path.parent / link["href"]).resolve()
            assert target.is_file() and target.suffix == ".csv", (path, link["href"])
            if figure.get("data-table"):  # the page's own table above holds the numbers: linked, not repeated
                assert html.find("table", id=figure["data-table"]).select_one("tbody tr"), path
                assert figure.find("table") is None, path
            else:
                assert figure.select_one("details table tbody tr"), path
            assert figure.select_one("svg.sx-chart")["width"]
    assert seen >= 10


def test_list_bench_weighs_every_list_page_with_its_data_files(site):
    from scripts.tools.list_bench import gz, weights
    rows = {r["url"]: r for r in weights(site)}
    assert {"/products/2025/", "/products/all/"} <= set(rows)
    page = rows["/products/all/"]
    years = sorted(p for p in (site / "listdata").glob("products-*.json") if ".full" not in p.name)
    assert page["files"] == len(years) and page["data_gz"] == sum(gz(p) for p in years)
    assert page["html_gz"] == gz(site / "products" / "all" / "index.html")


def test_companies_list_shows_award_totals_by_the_money_rule(site):
    """Tryout defect 10: the 奖励合计 column of companies/ read “1,600,000 元（160 万元）” as every other amount (the
    first page drawn by the build, and the list JSON gives list.js the column's unit), never a bare 1600000."""
    from scripts.model.units import money_text
    data = json.loads((site / "listdata" / "companies.json").read_text(encoding="utf-8"))
    assert data["units"] == {"award_total_yuan": {"unit": "元", "base": "元", "shift": 0}}
    at = data["fields"].index("award_total_yuan")
    total = {row[data["fields"].index("page")]: row[at] for row in data["rows"]}["91330411MA2Q1CE507"]
    page = soup(site, "companies")
    row = next(tr for tr in page.select("table tbody tr") if tr.select_one('a[href$="companies/91330411MA2Q1CE507/"]'))
    money = row.select_one("td.sx-c-money").get_text(strip=True)
    assert total == "1600000" and money == money_text(total) == "1,600,000 元（160 万元）"
    shown = [td.get_text(strip=True) for td in page.select("table tbody td.sx-c-money")]
    assert shown and all(text.endswith(("元", "万元）")) for text in shown)
