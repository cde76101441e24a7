"""The structure of the document and the place names decide, never a guess: a Word file with one table per tier and
headings between, a 合计 row, places outside Jiaxing in a province-wide list (丽水经开区 is not 嘉兴经开区), a place only
near a Jiaxing name refused, and --only-jiaxing keeping the Jiaxing rows of a province-wide list."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import docx
import pytest

from conftest import REPO, run_cli

URL = "https://example.org/notice/2023-equipment"
HEADER = ["序号", "产品名称", "企业名称", "类别", "地区"]


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target


def rows_of(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def tree(data: Path) -> dict[Path, bytes]:
    return {p.relative_to(data): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def run_import(data: Path, file: Path, *args: str):
    return run_cli("import", file, "--data", data, "--source-url", URL, *args, cwd=data.parent)


def tiers_docx(path: Path) -> Path:
    """One table per tier, each under its heading paragraph, as 首台（套） notices are often laid out in Word."""
    document = docx.Document()
    document.add_paragraph("2023年度浙江省首台（套）装备认定名单（示例）")
    for heading, products in (("一、国际首台（套）装备", ["示例国际装备一", "示例国际装备二"]),
                              ("二、国内首台（套）装备", ["示例国内装备一", "示例国内装备二", "示例国内装备三"])):
        document.add_paragraph(heading)
        table = document.add_table(rows=1, cols=len(HEADER))
        for cell, text in zip(table.rows[0].cells, HEADER):
            cell.text = text
        for n, product in enumerate(products, start=1):
            for cell, text in zip(table.add_row().cells, [str(n), product, "示例数控机床股份有限公司", "整机装备", "南湖区"]):
                cell.text = text
    document.save(path)
    return path


def province_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["2022年度浙江省首台（套）装备认定名单"])
    writer.writerow(["序号", "产品名称", "企业名称", "档次", "地区"])
    for n, (product, company, place) in enumerate(rows, start=1):
        writer.writerow([n, product, company, "国内", place])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_word_file_with_one_table_per_tier_gives_each_table_its_heading(data, tmp_path):
    result = run_import(data, tiers_docx(tmp_path / "名单.docx"), "--dataset", "recognitions", "--year", "2023",
                        "--stage", "认定")
    assert result.returncode == 0, result.stdout + result.stderr
    tiers = {r["product"]: r["tier"] for r in rows_of(data / "recognitions/2023.csv")}
    assert tiers == {"示例国际装备一": "国际", "示例国际装备二": "国际", "示例国内装备一": "国内", "示例国内装备二": "国内",
                     "示例国内装备三": "国内"}
    assert "`二、国内首台（套）装备` → `list_kind` = `首台套装备`，`tier` = `国内`" in result.stdout


def test_totals_row_is_skipped_and_listed(data, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("2022年度浙江省首台（套）装备认定名单\n序号,产品名称,企业名称,档次,地区\n"
                    "1,示例装备甲,示例数控机床股份有限公司,国内,南湖区\n合计,1项,,,\n", encoding="utf-8")
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                        "--list-kind", "首台套")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [r["product"] for r in rows_of(data / "recognitions/2022.csv")] == ["示例装备甲"]
    assert "- 第 4 行 / row 4: 合计行（不是一条记录） | a totals row (not a record)：`合计 1项`" in result.stdout


def test_lishui_development_zone_is_lishui_not_the_jiaxing_development_zone(data, tmp_path):
    path = province_csv(tmp_path / "全省.csv", [("示例装备甲", "示例丽水装备有限公司", "丽水经开区"),
                                               ("示例装备乙", "示例义乌装备有限公司", "义乌经开区"),
                                               ("示例装备丙", "示例数控机床股份有限公司", "南湖区")])
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                        "--list-kind", "首台套")
    assert result.returncode == 0, result.stdout + result.stderr
    places = {r["product"]: r["district"] for r in rows_of(data / "recognitions/2022.csv")}
    assert places == {"示例装备甲": "331100", "示例装备乙": "330700", "示例装备丙": "330402"}
    registry = {r["name"]: r for r in rows_of(data / "registry/companies/companies.csv")}
    assert (registry["示例丽水装备有限公司"]["district"], registry["示例丽水装备有限公司"]["city"]) == ("331100", "丽水市")
    assert "JX-ETDZ" not in (data / "recognitions/2022.csv").read_text(encoding="utf-8")
    assert "- `district`: `丽水经开区` → `331100（丽水市，嘉兴以外 / outside Jiaxing）`" in result.stdout


def test_a_place_only_near_a_jiaxing_name_is_refused_with_a_hint(data, tmp_path):
    path = province_csv(tmp_path / "名单.csv", [("示例装备甲", "示例高新装备有限公司", "南湖高新区")])
    before = tree(data)
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                        "--list-kind", "首台套")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert tree(data) == before
    line = next(x for x in result.stderr.splitlines() if x.startswith("名单.csv:3: district: "))
    assert "只是包含“南湖区”（330402）" in line and "“南湖高新区”" in line and "aliases" in line


def test_only_jiaxing_keeps_the_jiaxing_rows_of_a_province_wide_list(data, tmp_path):
    path = province_csv(tmp_path / "全省.csv", [("示例装备甲", "示例丽水装备有限公司", "丽水经开区"),
                                               ("示例装备乙", "示例数控机床股份有限公司", "南湖区"),
                                               ("示例装备丙", "示例温州装备有限公司", "温州市"),
                                               ("示例装备丁", "示例港区装备有限公司", "嘉兴港区")])
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                        "--list-kind", "首台套", "--only-jiaxing")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [r["product"] for r in rows_of(data / "recognitions/2022.csv")] == ["示例装备乙", "示例装备丁"]
    assert "- 第 3 行 / row 3: 不在嘉兴市（331100），按 --only-jiaxing 跳过" in result.stdout
    assert "- 第 5 行 / row 5: 不在嘉兴市（330300），按 --only-jiaxing 跳过" in result.stdout
    assert "示例丽水装备有限公司" not in (data / "registry/companies/companies.csv").read_text(encoding="utf-8")


def test_two_bracket_spellings_of_one_company_are_one_registry_row(data, tmp_path):
    path = province_csv(tmp_path / "名单.csv", [("示例装备甲", "示例（嘉兴）智能装备有限公司", "南湖区"),
                                               ("示例装备乙", "示例(嘉兴)智能装备有限公司", "南湖区")])
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                        "--list-kind", "首台套")
    assert result.returncode == 0, result.stdout + result.stderr
    names = [r["name"] for r in rows_of(data / "registry/companies/companies.csv") if "智能装备" in r["name"]]
    assert names == ["示例（嘉兴）智能装备有限公司"]
    assert {r["company"] for r in rows_of(data / "recognitions/2022.csv")} == {"示例（嘉兴）智能装备有限公司"}


def test_a_short_name_gets_the_closest_registered_company_and_no_second_row(data, tmp_path):
    before = len(rows_of(data / "registry/companies/companies.csv"))
    path = province_csv(tmp_path / "名单.csv", [("示例装备甲", "数控机床", "南湖区")])
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                        "--list-kind", "首台套")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "- `数控机床`（第 3 行 / rows）→ 可能是 / probably `示例数控机床股份有限公司`" in result.stdout
    assert len(rows_of(data / "registry/companies/companies.csv")) == before


def awards_csv(path: Path, header: str, amounts: list[str], above: tuple[str, ...] = ()) -> Path:
    lines = ["2026年度嘉兴市首台（套）产品奖励名单（示例）", *above, f'序号,企业名称,奖励项目名称,奖励类型,"{header}"']
    lines += [f'{n},示例数控机床股份有限公司,示例装备{n}（国内首台套）,国内“三首”产品,"{a}"' for n, a in enumerate(amounts, start=1)]
    lines.append(f"合计,,,,{amounts[0]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_award_amounts_in_wan_yuan_are_stored_in_yuan_exactly(data, tmp_path):
    result = run_import(data, awards_csv(tmp_path / "奖励.csv", "奖励金额（万元）", ["150", "1,500"]), "--dataset",
                        "awards", "--year", "2026", "--stage", "公示", "--batch", "1", "--dry-run")
    assert "- `amount_yuan`: 万元 → 元（2 行 / rows），如 / e.g. `150` 万元 → 1,500,000 元" in result.stdout, result.stderr
    assert "合计行（不是一条记录）" in result.stdout
    written = run_import(data, awards_csv(tmp_path / "奖励.csv", "奖励金额（万元）", ["150"]), "--dataset", "awards",
                         "--year", "2026", "--stage", "公示", "--batch", "1")
    rows = [r for r in rows_of(data / "awards/2026.csv") if r["title"] == "示例装备1（国内首台套）"]
    assert [r["amount_yuan"] for r in rows] == ["1500000"], written.stdout + written.stderr


@pytest.mark.parametrize("header,amount,above,args", [
    ("奖励金额", "150", ("单位：万元",), ()),  # the unit on a line above the header
    ("奖励金额", "150", (), ("--unit", "万元")),  # given on the command line
    ("奖励金额(亿元)", "0.015", (), ()),
    ("奖励金额（元）", "1,500,000", (), ()),
    ("奖励金额", "150万元", (), ()),  # the cell's own unit
])
def test_the_unit_comes_from_the_header_a_unit_line_the_option_or_the_cell(data, tmp_path, header, amount, above, args):
    result = run_import(data, awards_csv(tmp_path / "奖励.csv", header, [amount], above), "--dataset", "awards",
                        "--year", "2026", "--stage", "公示", "--batch", "1", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [r for r in rows_of(data / "awards/2026.csv") if r["title"] == "示例装备1（国内首台套）"]
    assert [r["amount_yuan"] for r in rows] == ["1500000"]


@pytest.mark.parametrize("header,amount,args,code_text", [
    ("奖励金额", "150", (), "不知道这个金额的单位（元、万元还是亿元？）"),
    ("奖励金额（万元）", "0.00001", (), "金额换算为元后不是整数（单位：万元）"),
    ("奖励金额（万元）", "150", ("--unit", "元"), "表头写的单位是 万元，与 --unit 元 不一致"),
])
def test_an_amount_whose_unit_is_unknown_or_inexact_is_refused(data, tmp_path, header, amount, args, code_text):
    before = tree(data)
    result = run_import(data, awards_csv(tmp_path / "奖励.csv", header, [amount]), "--dataset", "awards",
                        "--year", "2026", "--stage", "公示", "--batch", "1", *args)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert code_text in result.stderr and "奖励.csv:" in result.stderr
    assert tree(data) == before


def test_text_pdf_of_another_citys_list_keeps_its_places_and_tiers(data):
    """丽水's list as a text PDF: one table per tier with headings between, radicals in the text layer (⻔ for 门,
    ⻰ for 龙), places in 丽水 — stored as 丽水市, never as a Jiaxing district; the Jiaxing company stays in 秀洲区."""
    pdf = REPO / "tests/fixtures/import/lishui-tiers-2023.pdf"
    result = run_import(data, pdf, "--dataset", "recognitions", "--year", "2023", "--stage", "认定")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {r["product"]: (r["tier"], r["district"], r["company"]) for r in rows_of(data / "recognitions/2023.csv")}
    assert rows == {
        "示例高速精密冲压线": ("国际", "331100", "示例丽水精工有限公司"),
        "示例智能阀门测试台": ("国际", "331100", "示例缙云阀门股份有限公司"),
        "示例竹木加工机器人": ("国内", "331100", "示例龙泉智能装备有限公司"),
        "示例电机定子绕线机": ("国内", "331100", "示例丽水电机有限公司"),
        "示例五轴联动叶片加工中心": ("国内", "330411", "示例数控机床股份有限公司"),
    }
    cities = {r["name"]: r["city"] for r in rows_of(data / "registry/companies/companies.csv")}
    assert cities["示例龙泉智能装备有限公司"] == "丽水市" and cities["示例缙云阀门股份有限公司"] == "丽水市"
    only = run_import(data, pdf, "--dataset", "recognitions", "--year", "2023", "--stage", "认定", "--only-jiaxing",
                      "--dry-run")
    assert only.returncode == 0 and "| 0 | 0 | 1 | 5 | 0 |" in only.stdout, only.stdout
