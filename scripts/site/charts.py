"""Charts: Vega-Lite specifications rendered to static SVG at build time (vl-convert), each with its data table.

A chart is built from rows of (category, series, value) computed by pages.py with the same counting rule as
/statistics/ (scripts/model/stages.py: in force counted, pending beside, withdrawn never). Each chart on a page is a
<figure>: caption with the "as of" date, the SVG (no script, no inline style: CSP 'self'), a link to its data as
CSV (charts/<slug>.csv, the same rows as the table) and the data table under <details> for screen readers and
for copying. Bars that are compared share one scale: one x scale per dataset across all districts. The drawing,
its cache and the SVG's tidying are scripts/site/chart_svg.py.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..model import units
from ..model.catalog import Dataset
from ..model.textrules import neutralise
from .chart_svg import FONT, render_svg
from .render import num

WIDTH = 250                # plot width in px: with axis and labels every chart fits a 343 px phone column
STEP = 20                  # px per bar row in horizontal bar charts
IN_FORCE = "#3949ab"       # indigo 600: contrast 7.4:1 on white
PENDING = "#7986cb"        # indigo 300: 3.4:1 on white (WCAG 1.4.11 asks 3:1 of a bar), lighter than in force
THIS = "#1a237e"           # indigo 900: the district whose page it is, among the others drawn in PENDING's tone
TARGET = "#c62828"
TEXT = "#212121"

CONFIG = {
    "background": None,
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal", "labelColor": TEXT,
             "titleColor": TEXT, "gridColor": "#e0e0e0", "domainColor": "#757575", "tickColor": "#757575",
             "labelLimit": 0},  # labels are shortened in Python (fit): Vega's own truncation measures text in a loop
    "legend": {"orient": "bottom", "direction": "vertical", "labelFontSize": 11, "labelColor": TEXT,
               "labelLimit": 0, "title": None, "symbolStrokeWidth": 2,
               "layout": {"bottom": {"anchor": "start", "direction": "vertical", "margin": 2}}},
    "title": {"anchor": "start", "fontSize": 12, "fontWeight": "bold", "color": TEXT, "offset": 6},
    "text": {"fontSize": 11, "color": TEXT},
    "concat": {"spacing": 18},
}


@dataclass
class Chart:
    slug: str                       # charts/<slug>.csv; also the figure's id
    title: str
    title_en: str
    columns: list[tuple[str, str]]  # table header: (中文, English)
    rows: list[list]                # table rows: first cell the category, then numbers or text
    spec: dict = field(repr=False)  # Vega-Lite specification
    as_of: str = ""

    @property
    def as_of_words(self) -> tuple[str, str]:
        """("数据截至 2025-12-10", "data as of 2025-12-10"); a bare year reads "数据截至 2026 年"."""
        if len(self.as_of) == 4:
            return f"数据截至 {self.as_of} 年", f"data up to {self.as_of}"
        return f"数据截至 {self.as_of}", f"data as of {self.as_of}"

    @property
    def csv_path(self) -> str:
        return f"charts/{self.slug}.csv"

    def svg(self) -> Markup:
        return Markup(render_svg(json.dumps(self.spec, ensure_ascii=False, sort_keys=True), self.slug,
                                 f"{self.title} / {self.title_en}"))



def chart_csv(chart: Chart) -> str:
    """The chart's table as CSV text (UTF-8 with BOM is added by the writer): bilingual header, CRLF, cells that
    look like formulas neutralised (as the Excel CSV downloads)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([zh if zh == en else f"{zh} / {en}" for zh, en in chart.columns])
    for row in chart.rows:
        writer.writerow([c if isinstance(c, (int, float)) else neutralise("" if c is None else str(c)) for c in row])
    return "\ufeff" + out.getvalue()


# ---------------------------------------------------------------- "as of"

def as_of(datasets: list[Dataset]) -> str:
    """The newest date the charted records carry ("2025-12-10"), else their newest year ("2026"): deterministic.
    Dates are those the dataset ties to the record's year (its `date_year` rules: published, approved, started),
    never planned dates such as a project's end."""
    newest, year = "", ""
    for ds in datasets:
        dates = [f for rule in ds.info.rules if rule.get("rule") == "date_year" for f in rule.get("fields") or []]
        for r in ds.records:
            for name in dates:
                v = r.values.get(name)
                if v and str(v) > newest:
                    newest = str(v)
            y = r.values.get(ds.info.year) if ds.info.year else None
            if y is not None and str(y) > year:
                year = str(y)
    return newest or year


# ---------------------------------------------------------------- specifications

def _text_layer(x: dict, y: dict, extra: dict, vertical: bool) -> dict:
    mark = {"type": "text", "fontSize": 11, "color": TEXT}
    mark.update({"dy": -3, "baseline": "bottom"} if vertical else {"dx": 3, "align": "left", "baseline": "middle"})
    return {"mark": mark, "encoding": {"x": x, "y": y, "text": {"field": "text"}, **extra}}


def _padded_max(values, factor: float) -> float:
    return max([1, *values]) * factor


def year_bars(years: list[int], rows: list[dict], series: list[tuple[str, str]], y_title: str,
              goal: tuple[float, str] | None = None, title: str = "") -> dict:
    """Vertical bars by year, one bar per series side by side (in force, pending), each labelled with its value;
    an optional dashed target line named in the legend. rows: {year, series, value, text}."""
    domain = [str(y) for y in years]
    names = [name for name, _ in series]
    colours = [colour for _, colour in series]
    x = {"field": "year", "type": "ordinal", "title": "年度 / Year", "scale": {"domain": domain},
         "axis": {"labelAngle": 0}}
    peak = max([r["value"] for r in rows] + ([goal[0]] if goal else []) + [1])
    y = {"field": "value", "type": "quantitative", "title": y_title,
         "scale": {"domain": [0, peak * 1.15], "nice": True}, "axis": {"format": ",d", "tickMinStep": 1}}
    offset = {"xOffset": {"field": "series", "type": "nominal", "scale": {"domain": names}}}
    colour = {"color": {"field": "series", "type": "nominal", "scale": {"domain": names, "range": colours},
                        "legend": {"symbolType": "square"}}}
    layers: list[dict] = [
        {"mark": {"type": "bar", "stroke": IN_FORCE, "strokeWidth": 0.5}, "encoding": {"x": x, "y": y, **offset, **colour}},
        _text_layer(x, y, offset, vertical=True),
    ]
    data = [{**r, "year": str(r["year"])} for r in rows]
    spec: dict[str, Any] = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "config": CONFIG, "width": WIDTH - 25,
            "height": 150, "data": {"values": data}, "layer": layers,
            "resolve": {"legend": {"color": "independent", "strokeDash": "independent"}}}
    if goal:
        spec["layer"].append({
            "data": {"values": [{"goal": goal[0], "label": goal[1]}]},
            "mark": {"type": "rule", "color": TARGET, "strokeWidth": 2},
            "encoding": {"y": {"field": "goal", "type": "quantitative"},
                         "strokeDash": {"field": "label", "type": "nominal",
                                        "scale": {"domain": [goal[1]], "range": [[6, 4]]},
                                        "legend": {"symbolType": "stroke", "symbolStrokeColor": TARGET}}}})
    if title:
        spec["title"] = title
    return spec


def hbar(rows: list[dict], categories: list[str], x_title: str, title: str | list[str] = "", series: Sequence[tuple[str, str]] = (),
         fmt: str = ",d") -> dict:
    """Horizontal bars, one per category in the given order, labelled with their value (rows: {category, value,
    text, series}); one scale for all of them; the colour legend names the series."""
    names = [name for name, _ in series]
    peak = _padded_max([r["value"] for r in rows], 1.3)
    x = {"field": "value", "type": "quantitative", "title": x_title,
         "scale": {"domain": [0, peak], "nice": True}, "axis": {"format": fmt, "tickCount": 4, "tickMinStep": 1}}
    y = {"field": "category", "type": "nominal", "title": None, "sort": categories,
         "scale": {"paddingInner": 0.25, "paddingOuter": 0.15}}
    colour = {"color": {"field": "series", "type": "nominal", "legend": {"symbolType": "square"},
                        "scale": {"domain": names, "range": [c for _, c in series]}}}
    spec = {"width": WIDTH - 100, "height": {"step": STEP}, "data": {"values": rows},
            "layer": [{"mark": {"type": "bar"}, "encoding": {"x": x, "y": y, **colour}},
                      _text_layer(x, y, {}, vertical=False)]}
    if title:
        spec["title"] = [fit(t, 25) for t in title] if isinstance(title, list) else fit(title, 25)
    return spec


def stacked(parts: list[dict]) -> dict:
    """Charts one under another (one per dataset: each its own scale, shared by the bars inside it)."""
    if len(parts) == 1:
        return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "config": CONFIG, **parts[0]}
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "config": CONFIG, "vconcat": parts,
            "resolve": {"scale": {"x": "independent", "color": "shared"}, "legend": {"color": "shared"}}}


LABEL_EM = 8.5   # an axis label's width in em (11 px font): about 94 px


def fit(text: str, em: float) -> str:
    """text shortened with "…" to about `em` em wide (CJK and full-width characters 1 em, others 0.6 em): the
    table under the chart and the CSV keep the full name."""
    widths = [1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in text]
    if sum(widths) <= em:
        return text
    width, n = 0.0, 0
    while width + widths[n] <= em - 1.0:
        width += widths[n]
        n += 1
    return text[:n].rstrip() + "…"



# ---------------------------------------------------------------- the site's charts

IN_FORCE_NAME = "在用 / in force"
PENDING_NAME = "公示中（未计入）/ pending, not counted"
YEAR_COLUMN = ("年度", "Year")


def target_chart(t: dict, as_of_text: str) -> Chart:
    """Progress toward one target: in force per year (cumulative targets: running total), pending beside each
    year's bar and never added to it, the target as a dashed line named in the legend. t: pages.target_progress."""
    cumulative = t.get("period") != "per_year"
    force_name = "累计在用 / in force, cumulative" if cumulative else IN_FORCE_NAME
    unit = t.get("unit") or ""
    goal = int(t["value"]) if float(t["value"]).is_integer() else t["value"]
    goal_name = (f"目标 {goal:,} {unit}（{t.get('deadline') or ''} 年）/ target {goal:,}" if cumulative
                 else f"年度目标 {goal:,} {unit} / yearly target {goal:,}")
    data_rows, table, running = [], [], 0
    newest = t.get("newest_year")
    for y in t["years"]:
        if newest is not None and y["year"] > newest:
            continue
        running += y["count"]
        shown = running if cumulative else y["count"]
        data_rows.append({"year": y["year"], "series": force_name, "value": shown, "text": num(shown)})
        if y.get("pending"):
            data_rows.append({"year": y["year"], "series": PENDING_NAME, "value": y["pending"],
                              "text": num(y["pending"])})
        table.append([y["year"], shown, y.get("pending", 0), goal])
    series = [(force_name, IN_FORCE)] + ([(PENDING_NAME, PENDING)] if any(r[2] for r in table) else [])
    spec = year_bars([y["year"] for y in t["years"]], data_rows, series, f"{unit or '数量'} / count", goal=(goal, goal_name))
    spec["description"] = t.get("title") or ""
    force_col = ("累计在用", "In force, cumulative") if cumulative else ("在用", "In force")
    return Chart(slug=f"target-{t['id']}", title=t.get("title") or "", title_en=t.get("title_en") or "",
                 columns=[YEAR_COLUMN, force_col, ("公示中（未计入）", "Pending (not counted)"),
                          ("目标", "Target")], rows=table, spec=spec, as_of=as_of_text)


def dataset_year_chart(name: str, title: str, title_en: str, years: list[dict], as_of_text: str) -> Chart:
    """One dataset by year: in force and pending side by side (years: {year, active, pending})."""
    rows = []
    for y in years:
        rows.append({"year": y["year"], "series": IN_FORCE_NAME, "value": y["active"], "text": num(y["active"])})
        if y["pending"]:
            rows.append({"year": y["year"], "series": PENDING_NAME, "value": y["pending"], "text": num(y["pending"])})
    series = [(IN_FORCE_NAME, IN_FORCE)] + ([(PENDING_NAME, PENDING)] if any(y["pending"] for y in years) else [])
    spec = year_bars([y["year"] for y in years], rows, series, "记录数 / records")
    return Chart(slug=f"{name}-by-year", title=f"{title}：按年度", title_en=f"{title_en}: by year",
                 columns=[YEAR_COLUMN, ("在用", "In force"), ("公示中（未计入）", "Pending (not counted)")],
                 rows=[[y["year"], y["active"], y["pending"]] for y in years], spec=spec, as_of=as_of_text)


def group_chart(slug: str, title: str, title_en: str, column: tuple[str, str], keys: list[tuple[str, str]],
                datasets: list[tuple[str, str, dict]], as_of_text: str, highlight: str | None = None) -> Chart:
    """Counts in force by a category (district, industry), one bar chart per dataset, the bars of one dataset on
    one scale. keys: (key, label) in registry order; datasets: (title, title_en, {key: count}). With `highlight`,
    that key's bars are drawn in the dark colour and the others light (a district page among all districts)."""
    full = dict(keys)
    if highlight is not None:
        label = full.get(highlight, highlight)
        series = [(f"{label} / this district", THIS), ("其他地区 / other districts", PENDING)]
    else:
        series = [(IN_FORCE_NAME, IN_FORCE)]
    keys = [(k, fit(lab, LABEL_EM)) for k, lab in keys]
    categories = [lab for _, lab in keys]
    parts = []
    for ds_title, ds_en, counts in datasets:
        rows = [{"category": lab, "value": counts.get(k, 0), "text": num(counts.get(k, 0)),
                 "series": series[0][0] if highlight is None or k == highlight else series[1][0]} for k, lab in keys]
        parts.append(hbar(rows, categories, "在用 / in force", title=[ds_title, ds_en], series=series))
    spec = stacked(parts)
    columns = [column] + [(t, e) for t, e, _ in datasets]
    table = [[full[k]] + [counts.get(k, 0) for _, _, counts in datasets] for k, _ in keys]
    return Chart(slug=slug, title=title, title_en=title_en, columns=columns, rows=table, spec=spec, as_of=as_of_text)


def money_chart(slug: str, title: str, title_en: str, rows: list[dict], as_of_text: str, base: str = "元") -> Chart:
    """Amounts by category on one scale (rows: {label, count, total}, totals in the base unit `base`: 元), the axis
    in 万 and each bar labelled by the site's one money rule (units.short_text: "30.8 万元", the 万 figure the table
    shows beside the exact amount)."""
    wan, en = units.label("万" + base)
    data = [{"category": fit(r["label"], LABEL_EM), "value": float(r["total"]) / units.WAN,
             "text": units.short_text(r["total"], base), "series": IN_FORCE_NAME} for r in rows]
    spec = stacked([hbar(data, [fit(r["label"], LABEL_EM) for r in rows], f"金额（{wan}）/ amount ({en})",
                         series=[(IN_FORCE_NAME, IN_FORCE)], fmt=",~f")])
    return Chart(slug=slug, title=title, title_en=title_en,
                 columns=[("奖励类型", "Award type"), ("项数", "Count"), (f"金额（{base}）", f"Amount ({units.unit(base).en})")],
                 rows=[[r["label"], r["count"], r["total"]] for r in rows], spec=spec, as_of=as_of_text)
