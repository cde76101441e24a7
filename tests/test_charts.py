"""The chart builder (scripts/site/charts.py): specs drawn to real SVG by the pinned renderer, measured geometrically.

Bars that are compared must share one scale (the issue: 南湖 6/3/4/4 and 嘉善 6/1/2/1 looked equal when each row
had its own scale); a target line must be named in the legend; the chart's CSV is its table; the SVG carries
no script and no markup from the data.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import REPO, make_tree

from scripts.load.loader import load_catalog
from scripts.site import chart_svg, charts

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: str) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) of every bar: Vega draws a bar as a path "Mx,yhWvHh-WZ" in a g.mark-rect."""
    out = []
    for g in ET.fromstring(svg).iter(SVG + "g"):
        if "mark-rect" not in (g.get("class") or ""):
            continue
        for path in g.iter(SVG + "path"):
            m = re.match(r"M([-\d.]+),([-\d.]+)h([-\d.]+)v([-\d.]+)h", path.get("d") or "")
            if m:
                out.append(tuple(float(v) for v in m.groups()))
    return out


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(SVG + "text")]


DISTRICTS = [("330402", "南湖区"), ("330421", "嘉善县")]


def test_bars_of_one_dataset_share_one_scale_across_districts():
    # the issue's own numbers: 南湖 6/3/4/4, 嘉善 6/1/2/1 across four datasets
    counts = [({"330402": 6, "330421": 6}), ({"330402": 3, "330421": 1}), ({"330402": 4, "330421": 2}),
              ({"330402": 4, "330421": 1})]
    chart = charts.group_chart("t-districts", "按地区", "By district", ("地区", "District"), DISTRICTS,
                               [(f"数据集{i}", f"Dataset {i}", c) for i, c in enumerate(counts)], "2025-12-10")
    svg = chart.svg()
    widths = [w for _, _, w, _ in bars(svg)]
    assert len(widths) == 8  # two districts in each of four datasets, in that order
    for i, c in enumerate(counts):
        nanhu, jiashan = widths[2 * i], widths[2 * i + 1]
        assert nanhu / jiashan == pytest.approx(c["330402"] / c["330421"], rel=0.02), (i, nanhu, jiashan)
    assert widths[2] != widths[3]  # 3 vs 1: no longer drawn alike
    labels = texts(svg)
    assert labels.count("南湖区") == 4 and {"6", "3", "4", "2", "1"} <= set(labels)  # every bar has its value
    assert chart.rows == [["南湖区", 6, 3, 4, 4], ["嘉善县", 6, 1, 2, 1]]


def test_highlighted_district_is_named_in_the_legend():
    chart = charts.group_chart("t-nanhu", "南湖区", "Nanhu", ("地区", "District"), DISTRICTS,
                               [("产品", "Products", {"330402": 2, "330421": 5})], "2025", highlight="330402")
    labels = texts(chart.svg())
    assert "南湖区 / this district" in labels and "其他地区 / other districts" in labels


def test_target_chart_names_the_target_line_and_keeps_pending_apart():
    t = {"id": "scenes-100", "title": "到2027年打造100个应用场景", "title_en": "100 scenes by 2027", "value": 100.0,
         "unit": "个", "period": "cumulative", "deadline": 2027, "newest_year": 2026,
         "years": [{"year": 2025, "count": 8, "pending": 0}, {"year": 2026, "count": 3, "pending": 2},
                   {"year": 2027, "count": 0, "pending": 0}]}
    chart = charts.target_chart(t, "2026-06-18")
    # cumulative: the running total in force; pending beside it, never added; no row for a year without data yet
    assert chart.rows == [[2025, 8, 0, 100], [2026, 11, 2, 100]]
    svg = chart.svg()
    labels = texts(svg)
    assert "目标 100 个（2027 年）/ target 100" in labels
    assert "公示中（未计入）/ pending, not counted" in labels and "累计在用 / in force, cumulative" in labels
    assert {"8", "11", "2"} <= set(labels)
    root = ET.fromstring(svg)
    dashed = [p for p in root.iter() if p.get("stroke-dasharray") and p.get("stroke") == charts.TARGET]
    assert len(dashed) >= 2  # the line itself and its legend symbol
    heights = sorted(h for _, _, _, h in bars(svg) if h > 0)
    assert heights[-1] / heights[0] == pytest.approx(11 / 2, rel=0.05)  # one y scale for all bars
    assert "2027" in labels  # the x axis runs to the deadline


def test_per_year_target_line_is_the_yearly_goal():
    t = {"id": "p", "title": "每年3000项", "title_en": "3,000 a year", "value": 3000.0, "unit": "项",
         "period": "per_year", "deadline": 2027, "newest_year": 2025,
         "years": [{"year": 2025, "count": 20, "pending": 3}, {"year": 2026, "count": 0, "pending": 0}]}
    chart = charts.target_chart(t, "2025")
    assert chart.rows == [[2025, 20, 3, 3000]]
    assert "年度目标 3,000 项 / yearly target 3,000" in texts(chart.svg())
    assert chart.as_of_words == ("数据截至 2025 年", "data up to 2025")


def test_chart_csv_is_the_table_with_a_bilingual_header_and_neutralised_cells():
    chart = charts.Chart(slug="x", title="t", title_en="t", columns=[("地区", "District"), ("在用", "In force")],
                         rows=[["=HYPERLINK(\"x\")", 3], ["南湖区", 12000]], spec={})
    text = charts.chart_csv(chart)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows == [["地区 / District", "在用 / In force"], ["'=HYPERLINK(\"x\")", "3"], ["南湖区", "12000"]]


def test_markup_in_a_label_stays_text_and_the_svg_holds_no_script():
    chart = charts.group_chart("t-xss", "x", "x", ("地区", "District"), [("k", "<script>alert(1)</script>")],
                               [("产品", "Products", {"k": 1})], "2025")
    svg = chart.svg()
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert any(t.startswith("<script>") for t in texts(svg))  # the text, shortened, as text
    with pytest.raises(ValueError, match="refused"):
        chart_svg._check('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    with pytest.raises(ValueError, match="refused"):
        chart_svg._check('<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>')


# issue 18 item 10: the label ` aria-label="` made the tidying regex swallow the next <text>'s markup; the others
# are text the same regexes rewrote (an id prefixed, a number rounded, a url(#…) re-pointed, an entity unescaped)
ATTACK_LABELS = ['x aria-label="', 'a"<b>&amp;\'', 'id="x" 1.23456', "url(#clip1)"]


def test_chart_label_with_aria_label_quote_stays_one_text_escaped_once():
    keys = [(f"k{i}", label) for i, label in enumerate(ATTACK_LABELS)]
    counts = {k: i + 1 for i, (k, _) in enumerate(keys)}
    svg = charts.group_chart("t-aria", 'T aria-label="', 'T "<i>"', ("地区", "District"), keys,
                             [('产品 aria-label="', 'Products id="p"', counts)], "2025").svg()
    plain = charts.group_chart("t-aria", "T", "T", ("地区", "District"), [(k, f"地区{k}") for k, _ in keys],
                               [("产品", "Products", counts)], "2025").svg()
    root = ET.fromstring(svg)  # well-formed XML: nothing swallowed, nothing unbalanced
    found = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    assert len(found) == len(list(ET.fromstring(plain).iter(SVG + "text")))
    for label in ATTACK_LABELS:
        assert found.count(label) == 1, (label, found)  # exactly the label: not cut, not rewritten, not unescaped
    assert '产品 aria-label="Products id="p"' in found  # the series title's two lines (tspans)
    assert root.get("aria-label") == 'T aria-label=" / T "<i>"'
    assert "&amp;amp;" in svg and "&amp;amp;amp;" not in svg  # the label's "&amp;" escaped once
    assert all(el.get("id").startswith("t-aria-") for el in root.iter() if el.get("id"))
    assert not any(el.get("aria-label") for el in root.iter() if el is not root)


def test_svg_is_one_named_image_with_ids_of_its_own():
    chart = charts.group_chart("t-ids", "按地区", "By district", ("地区", "District"), DISTRICTS,
                               [("产品", "Products", {"330402": 2, "330421": 5})], "2025")
    svg = chart.svg()
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "按地区 / By district"
    assert all(el.get("id").startswith("t-ids-") for el in root.iter() if el.get("id"))
    assert "\n" not in svg and 'fill="white"' not in svg  # one line in the Markdown HTML block; no white box
    assert float(root.get("width")) <= 330  # drawn for a 343 px phone column


def test_same_spec_same_bytes():
    spec = charts.group_chart("t-same", "a", "a", ("地区", "District"), DISTRICTS,
                              [("产品", "Products", {"330402": 2})], "2025").spec
    import json
    raw = json.dumps(spec, ensure_ascii=False, sort_keys=True)
    assert chart_svg._draw(raw) == __import__("vl_convert").vegalite_to_svg(spec, vl_version=chart_svg.VEGA_LITE)


def test_as_of_is_the_newest_dated_event_never_a_planned_end(tmp_path):
    catalog, problems = load_catalog(make_tree(tmp_path), REPO / "schemas")
    assert not [p for p in problems if p.severity == "error"]
    projects = catalog.datasets["projects"]
    ends = [r.values.get("end") for r in projects.records if r.values.get("end")]
    newest = charts.as_of([projects])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest)
    assert ends and max(ends) > newest  # a project's planned end date is later than anything that happened
    dated = [r.values.get(f) for r in projects.records for f in ("start", "published_on") if r.values.get(f)]
    assert newest == max(dated)


def test_fit_shortens_long_names_for_the_axis_only():
    assert charts.fit("南湖区", 8.5) == "南湖区"
    assert charts.fit("浙江乍浦经济开发区（嘉兴港区）", 8.5) == "浙江乍浦经济开…"
    assert len(charts.fit("New Product and New Technology (Service) Promotion Catalogue", 25)) < 45
