"""The public site in real headless Chromium, used as a person would: list filters, sorting, paging, the filtered
download, record pages, markup-looking data, a 375 px phone, the keyboard, and axe-core.

The shared harness (tests/browser/conftest.py) serves the site built from the shipped example data (`base_url`)
and fails any test whose page requests another origin.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
import yaml
from conftest import make_tree  # tests/conftest.py

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
READY = ".sx-list[data-ready='1']"


def source_rows(dataset: str, year: int, data: Path = REPO / "data") -> list[dict]:
    with (data / dataset / f"{year}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def schema_names(dataset: str) -> list[str]:
    schema = yaml.safe_load((REPO / "schemas" / f"{dataset}.schema.yaml").read_text(encoding="utf-8"))
    return [f["name"] for f in schema["fields"]]


def visible_ids(page) -> list[str]:
    return page.locator("table.sx-list-table tbody tr td:first-child").all_text_contents()


def listed(rows: list[dict]) -> list[dict]:
    """The rows a list shows before its withdrawn switch is turned on (撤销 rows are hidden and not counted)."""
    return [r for r in rows if r.get("status", r.get("stage")) != "撤销"]


def type_filter(page, text: str) -> None:
    """Type into the list's filter box as a person does, and wait for the (debounced) list to follow."""
    page.fill("#sx-q", text)
    page.wait_for_selector(f".sx-list[data-q={json.dumps(text, ensure_ascii=False)}]")  # a selector, not an eval: works under the CSP


@pytest.fixture(scope="module")
def xss_url(make_site, tmp_path_factory) -> str:
    # registry + tiny valid tree + the markup-looking overlay, optional columns filled from the schemas
    data = make_tree(tmp_path_factory.mktemp("xss"), FIXTURES / "xss-overlay")
    return make_site(data)


@pytest.fixture(scope="module")
def paging_url(make_site, tmp_path_factory) -> str:
    sys.path.insert(0, str(REPO))
    try:
        from scripts.tools.fixture import generate
    finally:
        sys.path.remove(str(REPO))
    out = tmp_path_factory.mktemp("paging")
    generate(out, products=240)
    return make_site(out / "data")


def test_filters_show_counts_and_filter_the_rows(page, base_url):
    rows = listed(source_rows("products", 2025))
    page.goto(base_url + "/products/2025/")
    page.wait_for_selector(READY)
    options = page.locator("#sx-f-district option").all_text_contents()
    nanhu = sum(1 for r in rows if r["district"] == "330402")
    assert options[0] == f"全部 / All ({len(rows)})"
    assert f"南湖区（330402） ({nanhu})" in options
    page.select_option("#sx-f-district", "330402")
    expected = [r["id"] for r in rows if r["district"] == "330402"]
    assert visible_ids(page) == expected
    assert page.locator(".sx-list").get_attribute("data-filtered") == str(len(expected))
    # a second filter narrows further, and the counts of the other filter follow
    kinds = {r["kind"] for r in rows if r["district"] == "330402"}
    kind_options = page.locator("#sx-f-kind option").all_text_contents()
    assert kind_options[0] == f"全部 / All ({len(expected)})"
    kind = sorted(kinds)[0]
    page.select_option("#sx-f-kind", kind)
    assert visible_ids(page) == [r["id"] for r in rows if r["district"] == "330402" and r["kind"] == kind]
    assert "district=330402" in page.url and "kind=" in page.url
    page.click("button.sx-reset")
    assert visible_ids(page) == [r["id"] for r in rows]


def test_sorting_by_a_column_header(page, base_url):
    rows = listed(source_rows("products", 2025))
    page.goto(base_url + "/products/2025/")
    page.wait_for_selector(READY)
    header = page.locator("th[data-field='name']")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert header.locator(".sx-sort-ascending").count() == 1  # the direction is shown, not only announced
    names = page.locator("table.sx-list-table tbody tr td:nth-child(2)").all_text_contents()
    # Chinese in pinyin order (拼音), as a Chinese reader expects, not by code point
    pinyin = page.evaluate("n => n.slice().sort(new Intl.Collator('zh-u-co-pinyin', {numeric: true}).compare)",
                           [r["name"] for r in rows])
    assert names == pinyin and pinyin != sorted(pinyin)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert header.locator(".sx-sort-descending").count() == 1
    assert page.locator("table.sx-list-table tbody tr td:nth-child(2)").all_text_contents() == pinyin[::-1]


def test_paging_with_the_keyboard(page, paging_url):
    page.goto(paging_url + "/products/2025/")
    page.wait_for_selector(READY)
    total = int(page.locator(".sx-list").get_attribute("data-filtered"))
    assert total > 50
    first = visible_ids(page)
    assert len(first) == 50
    assert page.locator("button.sx-prev").is_disabled()
    page.focus("button.sx-next")
    page.keyboard.press("Enter")
    second = visible_ids(page)
    assert second and second[0] > first[-1] and not set(first) & set(second)
    assert "第 2 /" in page.locator(".sx-page-no").text_content()


def test_record_page_from_the_list(page, base_url):
    page.goto(base_url + "/products/2025/")
    page.wait_for_selector(READY)
    page.click("table.sx-list-table tbody tr:first-child td:first-child a")
    page.wait_for_url("**/products/P-2025-00001/")
    labels = page.locator("table.sx-fields th").all_text_contents()
    assert len(labels) == len(schema_names("products"))
    assert page.locator("td[data-field='name']").text_content() == source_rows("products", 2025)[0]["name"]
    assert page.locator("a.sx-edit").get_attribute("href").endswith("data/products/2025.csv#L2")
    assert page.locator("[data-example-banner]").is_visible()


def test_markup_in_data_stays_text_in_the_browser(page, xss_url):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(xss_url + "/products/2027/")
    page.wait_for_selector(READY)
    cells = page.locator("table.sx-list-table tbody td").all_text_contents()
    assert "示例<script>alert(1)</script>检测仪" in cells
    assert "示例<img src=x onerror=alert(2)>科技有限公司" in cells
    type_filter(page, "<script>")
    assert visible_ids(page) == ["P-2027-00001"]
    for url in ("/products/P-2027-00001/", "/products/P-2027-00002/", "/companies/91330402MA2XXX0015/",
                "/scenes/S-2027-001/", "/awards/A-2027-0001/"):
        page.goto(xss_url + url)
        article = page.locator("article")
        assert article.locator("img, iframe, script").count() == 0, url
        assert article.locator("a[href^='javascript']").count() == 0, url
    page.goto(xss_url + "/scenes/S-2027-001/")
    assert "示例<svg onload=alert(7)>场景" in page.locator("article h1").text_content()
    page.wait_for_timeout(300)
    assert dialogs == []


def test_phone_width_375(page, base_url):
    page.set_viewport_size({"width": 375, "height": 812})
    for url in ("/", "/products/2025/", "/products/P-2025-00001/", "/statistics/",
                "/companies/91330402MA29GJ9Y6Y/", "/dictionary/"):
        page.goto(base_url + url)
        if "2025/" in url:
            page.wait_for_selector(READY)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (url, width)
    page.goto(base_url + "/products/2025/")
    page.wait_for_selector(READY)
    # the filters wait behind one button, so the first records are near the top of the screen
    toggle = page.locator("button.sx-filter-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#sx-f-district").is_visible()
    assert page.locator("button.sx-download").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#sx-f-district").is_visible()
    page.select_option("#sx-f-district", "330402")
    assert len(visible_ids(page)) == sum(1 for r in listed(source_rows("products", 2025)) if r["district"] == "330402")
    assert "（1）" in toggle.text_content()  # the button says a filter is on


def test_list_controls_are_reachable_with_the_keyboard(page, base_url):
    page.goto(base_url + "/products/2025/")
    page.wait_for_selector(READY)
    reached = set()
    for _ in range(150):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("(e => e.id || e.classList[0] || e.tagName)(document.activeElement)"))
        if "sx-next" in reached:
            break
    assert {"sx-q", "sx-f-district", "sx-f-status", "sx-download", "sx-reset"} <= reached
    page.focus("th[data-field='id'] button")
    page.keyboard.press("Enter")
    assert page.locator("th[data-field='id']").get_attribute("aria-sort") == "ascending"


PAGES = ["/", "/products/", "/products/2025/", "/products/P-2025-00001/", "/scenes/S-2025-001/",
         "/companies/91330402MA29GJ9Y6Y/", "/districts/nanhu/", "/statistics/", "/policy/", "/dictionary/", "/about/"]


@pytest.mark.parametrize("url", PAGES)
def test_axe_reports_no_serious_or_critical_violation(page, base_url, url, serious_axe_violations):
    page.goto(base_url + url)
    if page.locator("[data-list-src]").count():
        page.wait_for_selector(READY)
    assert serious_axe_violations(page) == []


def test_main_pages_request_nothing_from_other_origins(page, base_url, page_requests):
    for url in PAGES:
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
    assert page_requests and all(u.startswith(base_url + "/") for u in page_requests), \
        sorted({u for u in page_requests if not u.startswith(base_url + "/")})


def test_filtered_download_neutralises_cells_like_the_full_downloads(page, base_url):
    """The page's CSV cell rule equals scripts/exports/formats.py (formula-leading text gets an apostrophe; numbers stay)."""
    sys.path.insert(0, str(REPO))
    try:
        from scripts.exports.formats import TEXT_TYPES, _numeric, neutralise
    finally:
        sys.path.remove(str(REPO))
    page.goto(base_url + "/products/2025/")
    page.wait_for_selector(READY)
    cases = [(v, t) for v in ("=1+1", "+86", "-5", "-5.5e3", "@SUM(A1)", "\tx", "\rx", "plain", "-", "1,2", 'a"b')
             for t in ("string", "integer", "number", "date", "list")]
    got = page.evaluate("cases => cases.map(([v, t]) => window.sxList.csvCell(v, t))", cases)
    expected = [neutralise(v) if t in TEXT_TYPES or not _numeric(v) else v for v, t in cases]
    parsed = [next(csv.reader(io.StringIO(cell, newline=""))) for cell in got]
    assert parsed == [[cell] for cell in expected]


def test_companies_list_filters_and_downloads(page, base_url):
    page.goto(base_url + "/companies/#district=330402")
    page.wait_for_selector(READY)
    shown = visible_ids(page)
    assert shown
    districts = page.locator("table.sx-list-table tbody tr td:nth-child(3)").all_text_contents()
    assert set(districts) == {"南湖区（330402）"}
    with page.expect_download() as info:
        page.click("button.sx-download")
    assert info.value.suggested_filename == "companies-南湖区.csv"
    parsed = list(csv.reader(io.StringIO(Path(info.value.path()).read_bytes().decode("utf-8-sig"), newline="")))
    # companies are listed by name (with or without a credit code); `page` is the address of each company's page
    assert parsed[0][:5] == ["页面 / Page", "企业名称 / Company", "统一社会信用代码 / Unified social credit code",
                             "所在地区 / District", "所在地区名称 / District (name)"]
    assert [row[1] for row in parsed[1:]] == shown
    assert {(row[3], row[4]) for row in parsed[1:]} == {("330402", "南湖区")}


def test_a_company_without_a_credit_code_is_found_and_opened(page, base_url):
    """A person looks up a company that no list gave a code for, and lands on its page with its recognitions."""
    page.goto(base_url + "/companies/")
    page.wait_for_selector(READY)
    type_filter(page, "重型装备")
    assert visible_ids(page) == ["示例重型装备有限公司"]
    page.click("table.sx-list-table tbody tr td:first-child a")
    page.wait_for_url("**/companies/c-*/")
    article = page.locator("article")
    assert "尚未查到" in article.locator("[data-no-code]").text_content()
    assert "杭州市" in article.text_content()
    article.get_by_role("link", name="R-2025-0008").click()
    page.wait_for_url("**/recognitions/R-2025-0008/")
    assert "省内" in page.locator("td[data-field='tier']").text_content()
