"""Finding one's way, in real Chromium: the top tabs, the skip link with the keyboard, the 纠错 link on every
record page, and no emoji that needs a font the reader may not have."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from .test_site_browser import READY, REPO

TABS = ["数据集", "统计", "企业", "地区", "政策", "下载", "搜索"]
CONFIG = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u2B50\u2B55]")


def test_top_tabs_lead_to_every_main_part(page, base_url):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(base_url + "/")
    tabs = page.locator("nav.md-tabs a.md-tabs__link")
    assert [t.split(" / ")[0].strip() for t in tabs.all_text_contents()] == TABS
    assert tabs.first.is_visible()
    for name, path in (("企业", "/companies/"), ("地区", "/districts/"), ("搜索", "/search/"), ("统计", "/statistics/")):
        page.locator("nav.md-tabs a.md-tabs__link", has_text=name).click()
        page.wait_for_url(base_url + path)
        active = page.locator("nav.md-tabs li.md-tabs__item--active")
        assert active.count() == 1 and active.text_content().strip().startswith(name), path
    page.goto(base_url + "/products/P-2025-00001/")  # pages reached by links keep the tabs
    assert page.locator("nav.md-tabs a.md-tabs__link").count() == len(TABS)


def test_phone_menu_has_the_same_parts(page, base_url):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(base_url + "/")
    page.locator("label.md-header__button[for='__drawer']").click()
    drawer = page.locator("nav.md-nav--primary")
    for name in TABS:
        assert drawer.get_by_text(name, exact=False).first.is_visible(), name


@pytest.mark.parametrize("url", ["/products/2025/", "/products/P-2025-00001/", "/"])
def test_skip_link_is_first_and_moves_the_keyboard_to_the_content(page, base_url, url):
    page.goto(base_url + url)
    if page.locator("[data-list-src]").count():
        page.wait_for_selector(READY)
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.classList[0], document.activeElement.textContent.trim()]")
    assert focused == ["md-skip", "跳到正文 / Skip to content"]
    box = page.locator("a.md-skip").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 10  # shown while focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#sx-main")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('article')")  # the next stop is in the content


def test_every_record_page_has_a_prefilled_report_link(page, base_url):
    repo = CONFIG["repo_url"].rstrip("/")
    for url, rid in (("/products/P-2025-00001/", "P-2025-00001"), ("/scenes/S-2025-001/", "S-2025-001"),
                     ("/awards/A-2025-0001/", "A-2025-0001")):
        page.goto(base_url + url)
        link = page.locator("a.sx-report")
        assert link.text_content().startswith("纠错")
        href = link.get_attribute("href")
        assert href.startswith(repo + "/issues/new?")
        query = parse_qs(urlsplit(href).query)
        assert rid in query["title"][0]
        assert url in query["body"][0] and rid in query["body"][0]


@pytest.mark.parametrize("url", ["/", "/policy/", "/products/P-2025-00001/", "/statistics/", "/products/2025/"])
def test_no_emoji_that_needs_an_emoji_font(page, base_url, url):
    page.goto(base_url + url)
    assert EMOJI.findall(page.locator("body").inner_text()) == []


def test_404_page_has_a_search_box(page, base_url):
    page.goto(base_url + "/404.html")
    assert page.locator("article h1").text_content().startswith("找不到这个页面")
    form = page.locator("article form[role=search]")
    assert form.get_attribute("action") == "/search/"
    page.get_by_label("搜索记录、企业、编号 / Search records, companies, ids").fill("南湖区")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q="))
    assert page.locator("#srch-page-q").input_value() == "南湖区"


def test_search_results_start_above_the_fold_on_a_phone(page, base_url):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(base_url + "/search/?q=" + "传感器")
    page.locator("form[data-srch-mode=page][data-srch-done='1']").wait_for()
    first = page.locator("form[data-srch-mode=page] li.srch-result").first.bounding_box()
    assert first and first["y"] + 20 < 812, first  # the first result is on the first screen
