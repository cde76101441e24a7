"""Charts in real Chromium at 1366 px and 375 px, on the site built from the shipped example data: every label
inside its SVG, every SVG inside its column and drawn at its own size on a phone (11 px text stays 11 px), the
target line named in the legend, the chart's CSV equal to its table, axe-core clean."""

from __future__ import annotations

import csv
import io
from urllib.parse import urljoin

import pytest

CHART_PAGES = ["/", "/statistics/", "/districts/", "/districts/nanhu/", "/products/", "/awards/"]
WIDTHS = [1366, 375]

# every <text> of every chart: its box, the SVG's box and the figure's (the column the chart must fit in)
BOXES = """() => [...document.querySelectorAll('figure.sx-figure-chart')].map(f => {
  const svg = f.querySelector('svg.sx-chart'), s = svg.getBoundingClientRect(), c = f.getBoundingClientRect();
  const out = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const b = t.getBoundingClientRect();
    return {text: t.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom};
  }).filter(b => b.left < s.left - 0.5 || b.right > s.right + 0.5 || b.top < s.top - 0.5 || b.bottom > s.bottom + 0.5);
  return {id: f.id, svg: [s.left, s.right, s.width], figure: [c.left, c.right], natural: +svg.getAttribute('width'),
          texts: svg.querySelectorAll('text').length, outside: out.map(b => b.text)};
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("url", CHART_PAGES)
def test_no_chart_label_leaves_its_svg_and_no_chart_leaves_its_column(page, base_url, url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + url)
    page.wait_for_load_state("load")
    charts = page.evaluate(BOXES)
    assert charts, f"no chart on {url}"
    for c in charts:
        assert c["texts"] > 3, c  # axis labels, values, legend: drawn as text
        assert c["outside"] == [], (url, width, c)
        left, right, drawn = c["svg"]
        assert c["figure"][0] - 0.5 <= left and right <= c["figure"][1] + 0.5, (url, width, c)
        assert right <= width, (url, width, c)
        # drawn at its own size (never shrunk to fit): the labels keep their 11 px
        assert drawn == pytest.approx(c["natural"], abs=1), (url, width, c)


def test_the_legend_names_the_target_line(page, base_url):
    page.goto(base_url + "/")
    figure = page.locator("section[aria-labelledby='t-scenes-100'] figure")
    legend = figure.locator("svg .role-legend text").all_text_contents()
    assert any(t.startswith("目标 100") and "target 100" in t for t in legend), legend
    # the dashed line is drawn, in the legend's colour, across the plot
    line = figure.locator("svg .role-mark.mark-rule line, svg .mark-rule.role-mark line").first
    assert line.get_attribute("stroke-dasharray") and line.get_attribute("stroke") == "#c62828"
    assert line.bounding_box()["width"] > 150


def _table(page, figure) -> list[list[str]]:
    """The chart's numbers as a reader sees them: its own table (opened), or the page's table it links to."""
    linked = figure.get_attribute("data-table")
    if linked:
        table = page.locator(f"table#{linked}")
        figure.locator(f'a[href="#{linked}"]').click()  # the link leads to it
        assert table.is_visible()
    else:
        figure.locator("details summary").click()
        table = figure.locator("table")
    head = [c.inner_text().replace("\n", " ").strip() for c in table.locator("thead th").all()]
    body = [[c.inner_text().strip() for c in row.locator("th, td").all()] for row in table.locator("tbody tr").all()]
    return [head] + body


@pytest.mark.parametrize("url", ["/", "/statistics/", "/districts/nanhu/", "/scenes/"])
def test_chart_csv_matches_the_table(page, base_url, url):
    page.goto(base_url + url)
    figures = page.locator("figure.sx-figure-chart")
    assert figures.count()
    for i in range(figures.count()):
        figure = figures.nth(i)
        link = figure.locator("a", has_text="下载图表数据 CSV")
        response = page.request.get(urljoin(base_url + url, link.get_attribute("href")))
        assert response.ok, link.get_attribute("href")
        rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig"), newline="")))
        table = _table(page, figure)
        assert [h.replace(" / ", " ") for h in rows[0]] == table[0]
        # the page shows numbers with thousands separators, the CSV bare numbers
        assert [[c.replace(",", "") for c in r] for r in table[1:]] == rows[1:], figure.get_attribute("id")
        assert figure.locator(".sx-as-of").inner_text().startswith("数据截至 ")


@pytest.mark.parametrize("url", ["/", "/statistics/", "/districts/", "/districts/nanhu/", "/products/"])
def test_axe_finds_nothing_serious_on_chart_pages(page, base_url, url, serious_axe_violations):
    page.goto(base_url + url)
    for summary in page.locator("details.sx-chart-data summary").all():
        summary.click()  # the tables too
    assert serious_axe_violations(page) == []
