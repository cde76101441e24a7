"""Lists a person can total, group, share and come back to, in real Chromium at 1366 px and 375 px.

The sums are checked against the site's own full CSV download; the grouped table against itself opened cold from
its link; the filtered CSV against the full Excel CSV; Back against the rows seen before leaving; the phone layout
by measuring the id links (one line each)."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from scripts.model.units import money_text

from .test_site_browser import READY, REPO, paging_url, visible_ids  # noqa: F401 (paging_url: a fixture)

AWARDS = yaml.safe_load((REPO / "data" / "awards" / "dataset.yaml").read_text(encoding="utf-8"))
STATUS = AWARDS["display"]["status"]


def fetch_csv(page, url: str) -> list[dict]:
    """A download of the site, read as a person's spreadsheet would (UTF-8, BOM tolerated)."""
    body = page.request.get(url).body().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body, newline="")))


def table(page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(selector + " tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))")


def test_district_total_equals_the_in_force_rows_of_the_downloaded_csv(page, base_url):
    rows = fetch_csv(page, base_url + "/downloads/awards/awards-2025.csv")
    mine = [r for r in rows if r["district"] == "330402"]
    live = [r for r in mine if r["status"] in STATUS["in_force"]]
    expected = sum(int(r["amount_yuan"]) for r in live)
    page.goto(base_url + "/awards/2025/#district=330402")
    page.wait_for_selector(READY)
    box = page.locator(".sx-list")
    assert box.get_attribute("data-sum-amount_yuan") == str(expected)
    assert page.locator(".sx-totals .sx-sum[data-field='amount_yuan']").text_content() == money_text(expected)
    assert box.get_attribute("data-counted") == str(len(live))
    assert "认定、已拨付" in page.locator(".sx-totals").text_content()  # the total says what it sums


def test_withdrawn_rows_are_hidden_then_shown_marked_and_counted_on_request(page, base_url):
    rows = fetch_csv(page, base_url + "/downloads/awards/awards-2025.csv")
    gone = [r for r in rows if r["status"] in STATUS["withdrawn"]]
    live = sum(int(r["amount_yuan"] or 0) for r in rows if r["status"] in STATUS["in_force"])
    assert gone, "the example data has a withdrawn award"
    page.goto(base_url + "/awards/2025/")
    page.wait_for_selector(READY)
    box = page.locator(".sx-list")
    assert box.get_attribute("data-sum-amount_yuan") == str(live)
    assert not set(visible_ids(page)) & {r["id"] for r in gone}
    switch = page.get_by_label("显示并计入撤销的记录", exact=False)
    assert f"（{len(gone)} 条，已隐藏）" in page.locator("label.sx-withdrawn").text_content()
    switch.check()
    assert "withdrawn=1" in page.url
    marked = page.locator("table.sx-list-table tbody tr.sx-row-withdrawn td:first-child").all_text_contents()
    assert marked == [r["id"] for r in gone]
    assert box.get_attribute("data-sum-amount_yuan") == str(live + sum(int(r["amount_yuan"] or 0) for r in gone))
    assert "撤销" in page.locator(".sx-totals-text").text_content()


def test_all_years_total_is_the_statistics_total(page, base_url):
    """One rule for lists and /statistics/: records in force, withdrawn and pending ones left out."""
    page.goto(base_url + "/statistics/")
    row = page.locator("#money ~ div table tbody tr", has_text="奖励金额")
    statistics_total = row.locator("td").nth(-2).text_content()
    page.goto(base_url + "/awards/all/")
    page.wait_for_selector(READY)
    total = int(page.locator(".sx-list").get_attribute("data-sum-amount_yuan"))
    assert re.match(r"[\d,]+", statistics_total.strip()).group().replace(",", "") == str(total)
    years = {r["year"] for y in (2025, 2026) for r in fetch_csv(page, f"{base_url}/downloads/awards/awards-{y}.csv")}
    options = page.locator("#sx-f-year option").all_text_contents()  # every year in one list, filterable by year
    assert len(options) == 1 + len(years)
    page.select_option("#sx-f-year", "2026")
    assert all(i.startswith("A-2026-") for i in visible_ids(page))


def test_group_by_table_reproduces_from_its_link_and_downloads(page, browser, base_url):
    rows = [r for r in fetch_csv(page, base_url + "/downloads/awards/awards-2025.csv")
            if r["status"] in STATUS["in_force"]]
    page.goto(base_url + "/awards/2025/")
    page.wait_for_selector(READY)
    page.select_option("#sx-group", "district")
    grouped = table(page, ".sx-group-table tbody")
    sums, counts = defaultdict(int), Counter()
    for r in rows:
        sums[r["district"]] += int(r["amount_yuan"])
        counts[r["district"]] += 1
    assert grouped[0][0] == "南湖区（330402）" or sums["330402"] < max(sums.values())
    by_label = {g[0]: g for g in grouped}
    assert by_label["南湖区（330402）"][2:] == [str(counts["330402"]), money_text(sums["330402"])]
    assert table(page, ".sx-group-table tfoot")[0][-1] == money_text(sum(sums.values()))
    url = page.url
    assert "group=district" in url
    cold = browser.new_context(locale="zh-CN").new_page()
    cold.goto(url)
    cold.wait_for_selector(READY)
    assert table(cold, ".sx-group-table tbody") == grouped
    assert cold.locator("#sx-group").input_value() == "district"
    cold.context.close()
    with page.expect_download() as info:
        page.click("button.sx-group-download")
    assert info.value.suggested_filename == "awards-2025-按所在地区.csv"
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert parsed[0][:3] == ["所在地区 / District", "所在地区名称 / District (name)", "条数 / Records"]
    got = {row[0]: int(row[-1]) for row in parsed[1:-1]}
    assert got == dict(sums)
    assert parsed[-1][0] == "合计 / Total" and int(parsed[-1][-1]) == sum(sums.values())


def test_filtered_csv_has_the_full_excel_csv_form_and_names(page, base_url):
    full = page.request.get(base_url + "/downloads/awards/awards-2025.excel.csv").body()
    excel = list(csv.reader(io.StringIO(full.decode("utf-8-sig"), newline="")))
    page.goto(base_url + "/awards/2025/#district=330402")
    page.wait_for_selector(READY)
    shown = visible_ids(page)
    with page.expect_download() as info:
        page.click("button.sx-download")
    assert info.value.suggested_filename == "awards-2025-南湖区.csv"  # the name says what was filtered
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    head = parsed[0]
    assert "所在地区名称 / District (name)" in head and head.index("所在地区名称 / District (name)") == head.index("所在地区 / District") + 1
    # the name columns have the full Excel CSV's headers (which also carries English names)
    assert "所在地区名称 / District (name)" in excel[0]
    def name_columns(header):
        return {i for i, h in enumerate(header) if h.endswith((" (name)", " (English name)"))}
    names, full_names = name_columns(head), name_columns(excel[0])
    assert names and {head[i] for i in names} <= {excel[0][i] for i in full_names}
    # without the name columns, the header and the rows are those of the full Excel CSV (same neutralised cells)
    def strip(row, drop):
        return [c for i, c in enumerate(row) if i not in drop]
    assert strip(head, names) == strip(excel[0], full_names)
    by_id = {row[0]: strip(row, full_names) for row in excel[1:]}
    assert [strip(row, names) for row in parsed[1:]] == [by_id[i] for i in shown]
    assert {row[head.index("所在地区名称 / District (name)")] for row in parsed[1:]} == {"南湖区"}


def test_back_after_sort_page_and_filter_restores_the_same_rows(page, paging_url):
    page.goto(paging_url + "/products/2025/")
    page.wait_for_selector(READY)
    page.click("th[data-field='name'] button")
    page.click("th[data-field='name'] button")  # descending
    page.click("button.sx-next")
    assert page.locator(".sx-list").get_attribute("data-page") == "2"
    page.select_option("#sx-f-kind", index=1)  # a filter starts again at page 1
    assert page.locator(".sx-list").get_attribute("data-page") == "1"
    if int(page.locator(".sx-list").get_attribute("data-filtered")) <= 50:
        page.select_option("#sx-size", "25")
    page.click("button.sx-next")
    page.click("th[data-field='name'] button")  # sorting goes back to page 1 …
    assert page.locator(".sx-list").get_attribute("data-page") == "1"
    page.click("th[data-field='name'] button")
    page.click("button.sx-next")  # … and the reader pages on
    before, url = visible_ids(page), page.url
    assert "sort=-name" in url and "page=2" in url and "kind=" in url
    page.click("table.sx-list-table tbody tr:first-child td:first-child a")
    page.wait_for_url(f"**/products/{before[0]}/")
    page.go_back()
    page.wait_for_selector(READY)
    assert page.url == url
    assert visible_ids(page) == before
    assert page.locator("th[data-field='name']").get_attribute("aria-sort") == "descending"
    assert page.locator("button.sx-pg[aria-current='page']").text_content() == "2"


def test_page_numbers_jump_and_page_size(page, paging_url):
    page.goto(paging_url + "/products/2025/")
    page.wait_for_selector(READY)
    total = int(page.locator(".sx-list").get_attribute("data-filtered"))
    pages = -(-total // 50)
    assert page.locator(f"button.sx-pg[aria-label='第 {pages} 页 / page {pages}']").count() == 1  # the last page
    assert pages >= 2
    page.fill("#sx-jump", str(pages))
    page.keyboard.press("Enter")
    assert page.locator(".sx-list").get_attribute("data-page") == str(pages)
    assert len(visible_ids(page)) == total - 50 * (pages - 1)
    page.select_option("#sx-size", "25")
    assert len(visible_ids(page)) == 25 and "size=25" in page.url
    page.get_by_role("button", name="第 2 页 / page 2").click()
    assert page.locator("button.sx-pg[aria-current='page']").text_content() == "2"


def test_filter_box_waits_for_a_pause_in_typing(page, paging_url):
    page.goto(paging_url + "/products/2025/")
    page.wait_for_selector(READY)
    box = page.locator(".sx-list")
    before = int(box.get_attribute("data-renders"))
    page.click("#sx-q")
    page.keyboard.type("P-2025-0001", delay=30)
    page.wait_for_selector(".sx-list[data-q='P-2025-0001']")
    assert int(box.get_attribute("data-renders")) == before + 1  # one pass for eleven keys
    assert all("P-2025-0001" in i for i in visible_ids(page))


def test_phone_cards_never_wrap_an_id(page, paging_url):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(paging_url + "/products/2025/")
    page.wait_for_selector(READY)
    links = page.locator("table.sx-list-table tbody td.sx-c-id a")
    assert links.count() == 50
    lines = page.eval_on_selector_all("table.sx-list-table tbody td.sx-c-id a", """as => as.map(a => {
        const r = a.getBoundingClientRect(), lh = parseFloat(getComputedStyle(a).lineHeight);
        return [a.getClientRects().length, r.height <= lh * 1.5, r.right <= document.documentElement.clientWidth];
    })""")
    assert lines == [[1, True, True]] * 50
    # a card: id, stage, name, company on their own lines; the district and kind columns wait for a wider screen
    card = page.locator("table.sx-list-table tbody tr").first
    assert card.locator("td.sx-c-title").is_visible() and card.locator("td.sx-c-company").is_visible()
    assert card.locator("td.sx-c-status").is_visible() and not card.locator("td.sx-c-other").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_companies_header_is_compact_on_a_phone(page, base_url):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(base_url + "/companies/")
    page.wait_for_selector(READY)
    assert page.locator("table.sx-list-table thead").bounding_box()["height"] < 50  # one line of sort keys
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("url", ["/awards/2025/#district=330402&group=award_type&withdrawn=1", "/products/all/"])
def test_list_views_have_no_serious_axe_violation(page, base_url, url, serious_axe_violations):
    page.goto(base_url + url)
    page.wait_for_selector(READY)
    assert serious_axe_violations(page) == []


def test_list_views_at_375_have_no_serious_axe_violation(page, base_url, serious_axe_violations):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(base_url + "/awards/2025/#group=district")
    page.wait_for_selector(READY)
    page.click("button.sx-filter-toggle")
    assert serious_axe_violations(page) == []


def test_list_js_shows_money_by_the_site_rule(page, base_url):
    """list.js formats amounts on exact decimal text by the rule of scripts/model/units.py: the same text as the pages, for
    a 万元 field's value (shifted 4 places) as for whole yuan, fractions and amounts past 2^53."""
    cases = [("8500", 0), ("308000", 0), ("100", 4), ("12.35", 4), ("0.0001", 4), ("1.5", 8), ("-308000", 0),
             ("123456789012345678", 0), ("0.5", 0), ("007", 4)]
    page.goto(base_url + "/")
    shown = page.evaluate("async (cases) => { const f = await import('/assets/js/format.js');"  # the module list.js uses
                          " return cases.map(([v, k]) => f.moneyText(f.shiftDec(v, k), '元')); }", cases)
    assert shown == [money_text(Decimal(v) * 10 ** k) for v, k in cases]
