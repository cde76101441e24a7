"""Units are data (issue 17): the unit table, exact conversion (inexact results refused, never rounded), the one rule
for showing money, the loader's refusals (a money field without a unit, a title naming another unit, totals across
unit families, a unit on a text field) and one amount reading the same in a statistics table and its chart."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, make_tree, run_cli

from scripts.messages import MESSAGES
from scripts.model import units
from scripts.model.units import UnitError, money_text, short_text, to_field_unit

SVG = "{http://www.w3.org/2000/svg}"


# --- conversion -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, source, target, integer", [
    ("450", "万元", "元", True), ("1.5", "亿元", "万元", True), ("123", "元", "万元", False), ("0.0001", "万元", "元", True),
    ("12.35", "万元", "元", True), ("3", "万元/年", "元/年", True), ("2", "亿元", "元", True), ("7", "千元", "万元", False),
])
def test_conversion_is_exact_and_goes_back(value, source, target, integer):
    out = to_field_unit(Decimal(value), source, target, integer)
    assert isinstance(out, int) if integer else isinstance(out, (int, Decimal))
    factor = Decimal(units.unit(source).factor) / units.unit(target).factor
    assert Decimal(out) == Decimal(value) * factor  # nothing rounded
    assert to_field_unit(Decimal(out), target, source, integer=False) == Decimal(value)


@pytest.mark.parametrize("value, source, target, code", [
    ("123", "元", "万元", "unit-inexact"),      # 0.0123 万元 is no whole number: refused, not stored as 0
    ("0.5", "元", "元", "unit-inexact"),
    ("1.23456", "万元", "元", "unit-inexact"),  # 12,345.6 元 into a whole-yuan field
    ("100", "万元", "元/年", "unit-family"),    # an amount is not a yearly rate
    ("100", "千万元", "元", "unit-unknown"),
    ("100万", "万元", "元", "unit-not-a-number"),
])
def test_inexact_or_impossible_conversion_is_refused(value, source, target, code):
    with pytest.raises(UnitError) as caught:
        to_field_unit(value, source, target)
    assert caught.value.code == code
    zh, en, hint_zh, hint_en = MESSAGES[code]  # the importer can report it, in both languages
    assert zh.format(**caught.value.params) and en.format(**caught.value.params) and hint_zh and hint_en


def test_unit_table_is_the_one_the_schema_check_allows():
    meta = json.loads((REPO / "schemas/table.meta.schema.json").read_text(encoding="utf-8"))
    allowed = meta["properties"]["fields"]["items"]["properties"]["x-unit"]["enum"]
    assert allowed == list(units.UNITS)
    for u in units.UNITS.values():
        assert units.UNITS[u.base].factor == 1 and u.factor == 10 ** u.shift


# --- showing money: one rule, nothing rounded ------------------------------------------------------------------

@pytest.mark.parametrize("amount", [0, 1, 8500, 9999, 10000, 308000, 305000, 315000, 1234567, 2 * 10**9 + 1,
                                    Decimal("123456.5"), -308000])
def test_the_wan_figure_is_exact_and_the_chart_label_is_the_tables(amount):
    text = money_text(amount)
    exact = re.match(r"^(-?[\d,]+(?:\.\d+)?) 元", text).group(1)
    assert Decimal(exact.replace(",", "")) == Decimal(amount)
    wan = re.search(r"（(-?[\d,]+(?:\.\d+)?) 万元）$", text)
    assert (wan is not None) == (abs(amount) >= 10000)
    if wan:
        assert Decimal(wan.group(1).replace(",", "")) * 10000 == Decimal(amount)  # never 31 for 30.8
        assert short_text(amount) == f"{wan.group(1)} 万元"
    else:
        assert short_text(amount) == text


def test_an_amount_reads_the_same_whatever_unit_it_is_stored_in():
    assert money_text(100, "万元") == money_text(1_000_000, "元") == money_text(Decimal("0.01"), "亿元")
    assert money_text(308000) == "308,000 元（30.8 万元）"  # the example: 30.8 in the table and the chart
    assert money_text(12, "万元/年") == "120,000 元/年（12 万元/年）"
    assert units.total(["100", "2.5", None, "", "x"], "万元") == 1_025_000


# --- the loader refuses what would show money wrongly ------------------------------------------------------------

def _schemas(tmp_path: Path, name: str, old: str, new: str) -> Path:
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    path = schemas / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return schemas


def _line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_money_field_without_a_unit_is_refused_with_file_line_and_hint(tmp_path):
    data = make_tree(tmp_path)
    schemas = _schemas(tmp_path, "projects.schema.yaml", "    x-unit: 元\n", "")
    proc = run_cli("validate", "data", "--schemas", schemas, "-q", cwd=tmp_path)
    assert proc.returncode == 1
    line = _line(data / "projects/dataset.yaml", "money: [budget_yuan]")
    assert (f"data/projects/dataset.yaml:{line}: display.money.0: 金额字段 budget_yuan 没有声明单位（在 "
            f"schemas/projects.schema.yaml 的字段 budget_yuan 下加一行 x-unit: 元") in proc.stdout, proc.stdout
    assert "add a line x-unit: 元 (or 万元, 亿元, 元/年" in proc.stdout and "Traceback" not in proc.stderr


def test_title_naming_another_unit_is_refused(tmp_path):
    make_tree(tmp_path)
    schemas = _schemas(tmp_path, "awards.schema.yaml", "title: 奖励金额(元)", "title: 奖励金额(万元)")
    proc = run_cli("validate", "data", "--schemas", schemas, "-q", cwd=tmp_path)
    line = _line(schemas / "awards.schema.yaml", "title: 奖励金额(万元)")
    assert proc.returncode == 1
    assert f"awards.schema.yaml:{line}: amount_yuan: 标题写的单位“万元”与 x-unit: 元 不一致" in proc.stdout, proc.stdout


def test_totals_mixing_unit_families_are_refused(tmp_path):
    data = make_tree(tmp_path)
    meta = data / "awards/dataset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("  other_money: [premium_yuan]\n", "")
                    .replace("money: [amount_yuan]", "money: [amount_yuan, premium_yuan]"), encoding="utf-8")
    schemas = _schemas(tmp_path, "awards.schema.yaml", "title: 保费(元)\n", "title: 保费\n")
    text = (schemas / "awards.schema.yaml").read_text(encoding="utf-8")
    at = text.index("name: premium_yuan")
    (schemas / "awards.schema.yaml").write_text(text[:at] + text[at:].replace("x-unit: 元", "x-unit: 元/年", 1),
                                                encoding="utf-8")
    proc = run_cli("validate", "data", "--schemas", schemas, "-q", cwd=tmp_path)
    line = _line(meta, "money: [amount_yuan, premium_yuan]")
    assert proc.returncode == 1
    assert (f"data/awards/dataset.yaml:{line}: display.money: 合计的金额字段单位不同类，不能相加："
            "amount_yuan (元), premium_yuan (元/年)") in proc.stdout, proc.stdout


@pytest.mark.parametrize("defect, old, new", [
    ("unit-on-a-text-field", "    type: string\n    example: 国内“三首”产品", "    type: string\n    x-unit: 元\n    example: 国内“三首”产品"),
    ("unknown-unit", "    x-unit: 元\n", "    x-unit: 万块\n"),
])
def test_a_unit_the_loader_cannot_use_is_refused(tmp_path, defect, old, new):
    make_tree(tmp_path)
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    path = schemas / "awards.schema.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    proc = run_cli("validate", "data", "--schemas", schemas, "-q", cwd=tmp_path)
    unit_line = _line(schemas / "awards.schema.yaml", new.splitlines()[1 if defect == "unit-on-a-text-field" else 0])
    line, field = (unit_line - 1, "type") if defect == "unit-on-a-text-field" else (unit_line, "x-unit")
    assert proc.returncode == 1
    assert re.search(rf"awards.schema.yaml:{line}: fields\.\d+\.{field}: 表结构不符合要求", proc.stdout), proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


# --- one amount, one text: the statistics table and its chart ----------------------------------------------------

def test_308000_reads_the_same_in_the_statistics_table_and_the_chart(tmp_path):
    data = make_tree(tmp_path)
    awards = data / "awards/2025.csv"
    rows = awards.read_text(encoding="utf-8")
    assert rows.count(",3000000,") == 1  # the one concept-verification award (rule cap: at most 5,000,000)
    awards.write_text(rows.replace(",3000000,", ",308000,"), encoding="utf-8")
    proc = run_cli("build", "--data", data, "--out", tmp_path / "out", "-q")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = BeautifulSoup((tmp_path / "out/site/statistics/index.html").read_text(encoding="utf-8"), "html.parser")
    table = {tr.th.get_text(strip=True): tr.select("td")[-1].get_text(strip=True)
             for tr in page.select("#by-award-type ~ div table tbody tr")}
    (kind,) = [k for k, v in table.items() if v.startswith("308,000 元")]
    wan = re.search(r"（(.+ 万元)）$", table[kind]).group(1)
    svg = page.find("figure", id="chart-by-award-type").select_one("svg.sx-chart")
    labels = [t.text for t in ET.fromstring(str(svg)).iter(SVG + "text")]
    assert wan == "30.8 万元" and wan in labels  # not 31 in one place and 30.8 in the other
    assert not [t for t in labels if re.fullmatch(r"31(\.0)? 万元", t or "")]
