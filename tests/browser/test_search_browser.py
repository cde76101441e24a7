"""Site search in real headless Chromium: a person types queries on /search/ and in the header box, keyboard only.

The site is built from the shipped example data plus tests/fixtures/search-overlay (a 嘉兴 company, a name with
full-width letters, a name containing `<script>`); expected results come from the reference matcher
(scripts.search.query.Matcher), so the real JavaScript must find exactly the same records in the same order.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[2]
OVERLAY = REPO / "tests" / "fixtures" / "search-overlay"
sys.path.insert(0, str(REPO))
from conftest import apply_overlay  # noqa: E402  (tests/conftest.py)

from scripts.load.loader import load_catalog  # noqa: E402
from scripts.search.index import build_docs  # noqa: E402
from scripts.search.keys import normalize_query  # noqa: E402
from scripts.search.query import Matcher, tier  # noqa: E402
from scripts.search.site import write_minimal_site  # noqa: E402

sys.path.remove(str(REPO))


@pytest.fixture(scope="module")
def search_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("search-data") / "data"
    shutil.copytree(REPO / "data", data)
    apply_overlay(data, OVERLAY)
    return data


@pytest.fixture(scope="module")
def reference(search_data):
    catalog, _problems = load_catalog(search_data)
    docs, _datasets = build_docs(catalog)
    matcher = Matcher(docs)

    def expected(query: str) -> list[tuple[str, str]]:
        return [(docs[n].dataset, docs[n].id) for n in matcher.search(query)]

    expected.docs = docs
    return expected


@pytest.fixture(scope="module")
def site(make_site, search_data) -> str:
    return make_site(search_data)


def open_search(page, site: str, width: int = 1280):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + "/search/")
    form = page.locator("form.srch-search[data-srch-mode=page]")
    form.wait_for()
    return form


def type_query(page, form, text: str) -> None:
    """Focus the search field with the keyboard only (Tab until it is focused) and type like a person."""
    box = form.locator("input[name=q]")
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.name === 'q' && "
                         "document.activeElement.closest('[data-srch-mode=page]') !== null"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the search field is not reachable with Tab")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.type(text, delay=15)
    page.wait_for_function("(q) => { const f = document.querySelector('form[data-srch-mode=page]');"
                           " return f.getAttribute('data-srch-done') === '1' && f.querySelector('input').value === q; }",
                           arg=text)
    assert box.input_value() == text


def shown(form) -> list[tuple[str, str]]:
    """(dataset, id) of each displayed result, read from the link targets (…/<dataset>/<id>/)."""
    html = form.inner_html()
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for a in soup.select("li.srch-result a.srch-link"):
        parts = a["href"].rstrip("/").split("/")
        out.append((parts[-2], parts[-1]))
    return out


def show_all(page, form) -> None:
    """Press “show more” with the keyboard until every result is shown."""
    for _ in range(100):
        button = form.locator("button.srch-more")
        if button.count() == 0:
            return
        before = form.locator("li.srch-result").count()
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("(n) => document.querySelectorAll('form[data-srch-mode=page] li.srch-result').length > n"
                               " || !document.querySelector('form[data-srch-mode=page] button.srch-more')", arg=before)
    raise AssertionError("show more never ended")


def status(form) -> str:
    return form.locator(".srch-status").inner_text()


@pytest.mark.parametrize("query", ["传感器", "嘉兴", "P-2025-0"])
def test_typed_query_finds_every_record_in_reference_order(page, site, reference, page_errors, query):
    expected = reference(query)
    assert expected, f"the test data must contain {query!r}"
    form = open_search(page, site)
    type_query(page, form, query)
    first = shown(form)
    assert first == expected[:10]
    assert f"找到 {len(expected):,} 条结果" in status(form)
    show_all(page, form)
    assert shown(form) == expected
    assert page_errors == []


def test_credit_code_fragment_finds_company_and_its_records(page, site, reference):
    code = next(d.id for d in reference.docs if d.dataset == "companies" and d.title.startswith("嘉兴"))
    fragment = code[5:13].lower()
    expected = reference(fragment)
    assert ("companies", code) in expected and ("products", "P-2027-00001") in expected
    form = open_search(page, site)
    type_query(page, form, fragment)
    show_all(page, form)
    assert shown(form) == expected


def test_exact_id_comes_first_and_is_marked_exact(page, site, reference):
    form = open_search(page, site)
    type_query(page, form, "p-2025-00001")  # case-insensitive
    assert shown(form)[0] == ("products", "P-2025-00001")
    assert form.locator("li.srch-result").first.get_attribute("data-tier") == "0"
    assert shown(form) == reference("p-2025-00001")


@pytest.mark.parametrize("query,first_tier", [("示例智能传感科技有限公司", 0), ("示例智能", 1), ("传感", 2)])
def test_tiers_exact_then_prefix_then_substring(page, site, reference, query, first_tier):
    docs = {(d.dataset, d.id): d for d in reference.docs}
    expected = reference(query)
    expected_tiers = [tier(docs[key], normalize_query(query)) for key in expected]
    form = open_search(page, site)
    type_query(page, form, query)
    show_all(page, form)
    tiers = [int(t) for t in form.locator("li.srch-result").evaluate_all("els => els.map(e => e.dataset.tier)")]
    assert shown(form) == expected
    assert tiers == expected_tiers == sorted(tiers)
    assert tiers[0] == first_tier


def test_fullwidth_query_and_fullwidth_data_are_normalised(page, site, reference):
    form = open_search(page, site)
    type_query(page, form, "ＡＩ视觉")
    assert shown(form) == reference("ai视觉") == [("products", "P-2027-00002")]
    type_query(page, form, "ai视觉")
    assert shown(form) == [("products", "P-2027-00002")]


def test_no_results_says_so(page, site):
    form = open_search(page, site)
    type_query(page, form, "没有这样的记录")
    assert shown(form) == []
    assert "没有找到“没有这样的记录”" in status(form) and "No results" in status(form)


def test_script_query_and_script_data_render_as_text(page, site, reference):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    form = open_search(page, site)
    type_query(page, form, "<script>")
    assert shown(form) == reference("<script>") == [("products", "P-2027-00003")]
    title = form.locator("li.srch-result .srch-title").first.inner_text()
    assert title == "示例<script>alert(1)</script>检测仪"
    assert form.locator("script").count() == 0
    assert "找到 1 条结果" in status(form)
    type_query(page, form, "<img src=x onerror=alert(2)>")
    assert "没有找到“<img src=x onerror=alert(2)>”" in status(form)
    assert form.locator("img").count() == 0
    assert dialogs == []


def test_url_query_runs_on_load(page, site, reference):
    page.goto(site + "/search/?q=%E4%BC%A0%E6%84%9F%E5%99%A8")
    form = page.locator("form[data-srch-mode=page][data-srch-done='1']")
    form.wait_for()
    assert shown(form) == reference("传感器")[:10]


def test_keyboard_only_header_box_to_record(page, site, reference):
    page.goto(site + "/")
    page.wait_for_selector("form[data-srch-mode=header]")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id === 'srch-q'"):
            break
    else:
        raise AssertionError("the header search box is not reachable with Tab")
    page.keyboard.type("压力传感", delay=15)
    page.wait_for_selector("form[data-srch-mode=header][data-srch-done='1'] li.srch-result")
    header = page.locator("form[data-srch-mode=header]")
    assert header.locator("ol.srch-results").is_visible()
    expected = reference("压力传感")
    assert shown(header) == expected[:8]
    assert "条结果" in page.locator("form[data-srch-mode=header] .srch-status").inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused.rstrip("/").endswith("/".join(expected[0]))
    page.keyboard.press("Escape")
    assert not header.locator("ol.srch-results").is_visible()
    page.keyboard.press("ArrowDown")
    with page.expect_navigation() as nav:
        page.keyboard.press("Enter")
    assert nav.value.url.endswith("/" + "/".join(expected[0]) + "/")
    assert nav.value.status == 200  # the permalink page exists in the built site
    assert expected[0][1] in page.locator("h1").first.inner_text()


def test_every_result_link_is_a_page_of_the_site(page, site, reference):
    """Records link to /<dataset>/<id>/, companies to /companies/<code>/: each one is served (HTTP 200)."""
    form = open_search(page, site)
    type_query(page, form, "示例智能传感科技有限公司")
    show_all(page, form)
    hrefs = form.locator("li.srch-result a.srch-link").evaluate_all("els => els.map(e => e.href)")
    assert any("/companies/" in h for h in hrefs) and any("/products/" in h for h in hrefs)
    for href in hrefs:
        assert page.request.get(href).status == 200, href


def test_375px_wide_no_horizontal_scroll(page, site, reference):
    form = open_search(page, site, width=375)
    type_query(page, form, "传感器")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    box = form.locator("input[name=q]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    for b in form.locator("li.srch-result").evaluate_all("els => els.map(e => e.getBoundingClientRect().right)"):
        assert b <= 375


def sample_queries(docs) -> list[str]:
    queries = {"示", "例", "器", "传感", "a", "P-", "-2026-", "0000", "2025-0001", "有限公司", "科技有限",
               "示例智能传感科技有限公司", "91330", "s-2025-001", "ＭＥＭＳ", "mems", "x", "传\u200b感器"}
    for d in docs[::7]:
        for v in d.values[:4]:
            queries.update({v[:3], v[2:7], v[-4:], v})
    return sorted(q for q in queries if q.strip())


def run_js_queries(page, url: str, queries: list[str]) -> dict:
    page.goto(url + "/search/")
    page.wait_for_function("window.SanxinSearch !== undefined")
    return page.evaluate("""async (queries) => {
        const m = await (await fetch(SanxinSearch.index + 'meta.json')).json();
        const out = {};
        for (const q of queries) {
          const res = await SanxinSearch.search(q);
          const all = [];  // next() stops after a fetch budget; keep asking while there is more
          while (res && res.more()) all.push(...await res.next(1e9));
          out[q] = [all.map(r => [m.datasets[r.row[0]].name, r.row[2][0]]), res ? res.total : 0];
        }
        return out;
    }""", queries)


def test_real_js_matches_reference_for_sample_queries(page, site, reference):
    """The real search.js, called directly, returns exactly the reference set and order for a query sample."""
    got = run_js_queries(page, site, sample_queries(reference.docs))
    for q, (found, total) in got.items():
        expected = [list(t) for t in reference(q)]
        assert found == expected, q
        assert total == len(expected), q


def test_real_js_with_big_lists_and_one_doc_per_chunk(page, serve_dir, search_data, reference, tmp_path):
    """Tiny thresholds: most posting lists live in their own files and every document is its own chunk, so the
    JS takes the external-list, skip-when-few-candidates and fetch-budget paths; results must not change."""
    catalog, _problems = load_catalog(search_data)
    summary = write_minimal_site(catalog, tmp_path / "site", external=8, chunk=1)
    assert summary["external_lists"] > 100 and summary["chunks"] == len(reference.docs)
    got = run_js_queries(page, serve_dir(tmp_path / "site"), sample_queries(reference.docs))
    for q, (found, total) in got.items():
        expected = [list(t) for t in reference(q)]
        assert found == expected, q
        assert total == len(expected), q


def test_search_bench_measures_time_and_bytes(site_dir, browser):
    """The benchmark's measurement (real Chromium, counting server) reports a time and the bytes of each query."""
    sys.path.insert(0, str(REPO))
    try:
        from scripts.tools.search_bench import measure, summarize
    finally:
        sys.path.remove(str(REPO))
    rows = measure(site_dir, ["传感器", "没有这样的记录"], browser=browser)
    assert [r["query"] for r in rows] == ["传感器", "没有这样的记录"]
    assert rows[0]["shown"] > 0 and "条结果" in rows[0]["status"]
    assert rows[1]["shown"] == 0 and "没有找到" in rows[1]["status"]
    assert all(r["ms"] > 0 and r["bytes"] > 0 and r["requests"] >= 2 for r in rows)
    assert summarize(rows)["max_kb"] == max(r["bytes"] for r in rows) / 1024


def test_axe_search_page_with_results_and_open_dropdown(page, site, serious_axe_violations):
    """axe-core: no serious or critical violation on /search/ with results and "show more", and with the header
    drop-down open."""
    form = open_search(page, site)
    type_query(page, form, "传感")
    assert form.locator("button.srch-more").count() == 1
    header = page.locator("form[data-srch-mode=header] input[name=q]")
    header.fill("示例")
    page.wait_for_selector("form[data-srch-mode=header][data-srch-done='1'] li.srch-result")
    assert page.locator("form[data-srch-mode=header] ol.srch-results").is_visible()
    assert serious_axe_violations(page) == []


def placeholder_examples(form) -> list[str]:
    """The examples the search box itself suggests: placeholder="例如 传感器、嘉兴、P-2025-0"."""
    text = form.locator("input[name=q]").get_attribute("placeholder")
    assert text.startswith("例如 ")
    return text[len("例如 "):].split("、")


def needs_only_word(docs) -> str:
    """Four characters that occur in some scene's needs and in no other searchable value."""
    scenes = [d for d in docs if d.dataset == "scenes"]
    needs = {v for d in scenes for v in d.values[d.n_primary:] if len(v) > 12}
    others = [v for d in docs for v in d.values if v not in needs]
    for text in sorted(needs):
        for i in range(len(text) - 3):
            word = text[i:i + 4]
            if not any(word in v for v in others):
                return word
    raise AssertionError("no word only in scene needs")


@pytest.mark.parametrize("query", ["南湖区", "嘉兴", "NEEDS", "sensing", "Nanhu District", "秀城区"])
def test_code_names_english_names_and_needs_find_records(page, site, reference, page_errors, query):
    """A person types a district name (and its alias or English name), the placeholder's example, an English
    industry label, or a word found only in a scene's needs: the records come, in reference order."""
    if query == "NEEDS":
        query = needs_only_word(reference.docs)
    expected = reference(query)
    assert expected, query
    form = open_search(page, site)
    type_query(page, form, query)
    assert shown(form) == expected[:10]
    show_all(page, form)
    assert shown(form) == expected
    assert page_errors == []


def test_every_placeholder_example_returns_results(page, site, reference):
    form = open_search(page, site)
    examples = placeholder_examples(form)
    assert "嘉兴" in examples
    for example in examples:
        type_query(page, form, example)
        assert shown(form) and shown(form) == reference(example)[:10], example


def test_results_show_type_year_and_stage_withdrawn_marked_and_last(page, site, reference):
    """Each result names its dataset, year and stage; a withdrawn (撤销) record is marked and comes after the
    records in force of its tier."""
    withdrawn = next(d for d in reference.docs if d.status == "撤销" and d.dataset == "products")
    form = open_search(page, site)
    type_query(page, form, "示例")
    show_all(page, form)
    assert shown(form) == reference("示例")
    item = form.locator("li.srch-result", has=page.locator(f"a[href$='/products/{withdrawn.id}/']"))
    assert item.locator(".srch-dataset").inner_text() == "新产品新技术(新服务)推广应用目录"
    assert item.locator(".srch-year").inner_text() == f"{withdrawn.year}年"
    assert item.locator(".srch-stage.srch-withdrawn").inner_text() == "撤销"
    same_tier = form.locator(f"li.srch-result[data-tier='{item.get_attribute('data-tier')}']")
    stages = [li.locator(".srch-stage").inner_text() if li.locator(".srch-stage").count() else ""
              for li in same_tier.all()]
    first = stages.index("撤销")
    assert first > 0 and all(s == "撤销" for s in stages[first:])


def test_exact_id_query_counts_exactly_and_show_more_adds(page, site, reference):
    """An id query says how many records contain it — no “最多” — and “show more” is offered only when it adds."""
    for query in ("P-2025-00001", "S-2025-001", "P-2025-0"):
        expected = reference(query)
        form = open_search(page, site)
        type_query(page, form, query)
        assert f"找到 {len(expected):,} 条结果" in status(form) and "最多" not in status(form), query
        assert shown(form) == expected[:10]
        assert (form.locator("button.srch-more").count() == 1) == (len(expected) > 10), query
        show_all(page, form)
        assert shown(form) == expected


def test_filter_by_dataset_with_the_keyboard_and_in_the_url(page, site, reference):
    docs = {(d.dataset, d.id): d for d in reference.docs}
    expected = [key for key in reference("南湖区") if key[0] == "scenes"]
    assert expected and len(expected) < len(reference("南湖区"))
    form = open_search(page, site)
    type_query(page, form, "南湖区")
    page.keyboard.press("Tab")  # from the search field to the dataset filter
    assert page.evaluate("document.activeElement.name") == "type"
    page.select_option("form[data-srch-mode=page] select[name=type]", "scenes")
    page.wait_for_function("() => document.querySelector('form[data-srch-mode=page]').getAttribute('data-srch-done')"
                           " === '1' && location.search.includes('type=scenes')")
    show_all(page, form)
    assert shown(form) == expected and all(docs[k].dataset == "scenes" for k in shown(form))
    assert f"找到 {len(expected):,} 条结果" in status(form)
    page.goto(site + "/search/?q=%E5%8D%97%E6%B9%96%E5%8C%BA&type=scenes")  # the filtered view, opened cold
    cold = page.locator("form[data-srch-mode=page][data-srch-done='1']")
    cold.wait_for()
    assert shown(cold) == expected[:10]
    assert page.locator("select[name=type]").input_value() == "scenes"
