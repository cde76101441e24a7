"""The structure of the document and the place names decide, never a guess: a Word file with one table per tier and
headings between, a 合计 row, places outside Jiaxing in a province-wide list (丽水经开区 is not 嘉兴经开区), a place only
near a Jiaxing name refused, and --only-jiaxing keeping the Jiaxing rows of a province-wide list."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import pytest
from conftest import REPO, run_cli
from import_helpers import rows_of, tree

URL = "https://example.org/notice/2023-equipment"
HEADER = ["序号", "产品名称", "企业名称", "类别", "地区"]


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


def test_a_short_name_of_a_registered_company_is_refused_with_the_full_name_and_the_alias_fix(data, tmp_path):
    """Tryout defect 7: a near name (数控机床 for 示例数控机床股份有限公司) is an error naming the registered company and
    both fixes, nothing written; once the spelling is one of the company's aliases the same list imports."""
    path = province_csv(tmp_path / "名单.csv", [("示例装备甲", "数控机床", "南湖区")])
    before = tree(data)
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                        "--list-kind", "首台套")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert tree(data) == before
    line = next(x for x in result.stderr.splitlines() if x.startswith("名单.csv:3: company: "))
    assert "与登记的“示例数控机床股份有限公司”相近" in line and "“数控机床”" in line
    assert "在附件中写全称“示例数控机床股份有限公司”" in line and "aliases" in line and "companies.csv" in line
    registry = data / "registry/companies/companies.csv"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "示例数控机床股份有限公司,示例数控机床,", "示例数控机床股份有限公司,示例数控机床;数控机床,"), encoding="utf-8")
    again = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                       "--list-kind", "首台套")
    assert again.returncode == 0, again.stdout + again.stderr
    assert [r["company"] for r in rows_of(data / "recognitions/2022.csv")] == ["示例数控机床股份有限公司"]
    assert sum(r["name"].endswith("数控机床股份有限公司") for r in rows_of(registry)) == 1


def test_a_word_list_title_heading_is_the_title_and_its_year_is_checked(data, tmp_path):
    """Tryout defect 1: 附件, then the heading 2021年度…认定名单, then tier headings and tables. The heading is the
    list's title (never a group row): --year 2022 is refused, and with --year 2021 it is the stored list_title."""
    document = docx.Document()
    document.add_paragraph("附件")
    document.add_heading("2021年度浙江省首台（套）装备认定名单", level=1)
    document.add_paragraph("一、国内首台（套）装备")
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    for cell, text in zip(table.add_row().cells, ["1", "示例旧年装备", "示例数控机床股份有限公司", "整机装备", "秀洲区"]):
        cell.text = text
    path = tmp_path / "名单.docx"
    document.save(path)
    before = tree(data)
    wrong = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert "名单.docx:1: --year: --year 2022 与标题中的年度 2021 不一致：2021年度浙江省首台（套）装备认定名单" in wrong.stderr
    assert tree(data) == before
    right = run_import(data, path, "--dataset", "recognitions", "--year", "2021", "--stage", "认定")
    assert right.returncode == 0, right.stdout + right.stderr
    assert [(r["list_title"], r["list_kind"], r["tier"]) for r in rows_of(data / "recognitions/2021.csv")] == [
        ("2021年度浙江省首台（套）装备认定名单", "首台套装备", "国内")]


AWARDS_PDF = REPO / "tests/fixtures/import/awards-2025-batch7.pdf"


def test_a_pdf_title_split_by_its_year_font_is_joined_back(data):
    """Tryout defect 3: the PDF's text layer gives “年度嘉兴市 三新 奖励资金第七批名单” and “2025 “ ””; joined back,
    the year check fires (--year 2026 refused) and the stored title is the printed one."""
    before = tree(data)
    wrong = run_import(data, AWARDS_PDF, "--dataset", "awards", "--year", "2026", "--stage", "公示")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert "--year 2026 与标题中的年度 2025 不一致：2025年度嘉兴市“三新”奖励资金第七批名单" in wrong.stderr
    assert tree(data) == before
    right = run_import(data, AWARDS_PDF, "--dataset", "awards", "--year", "2025", "--stage", "公示")
    assert right.returncode == 0, right.stdout + right.stderr
    added = [r for r in rows_of(data / "awards/2025.csv") if r["batch"] == "7"]
    assert {r["list_title"] for r in added} == {"2025年度嘉兴市“三新”奖励资金第七批名单"}
    assert [r["amount_yuan"] for r in added] == ["2500000", "123450", "1000000"]


def test_award_rows_get_district_and_credit_code_from_the_registry_when_the_list_has_no_such_column(data, tmp_path):
    """Tryout defect 6: an award list prints no 地区 or credit code column: both come from the registry entry of the
    resolved company, said in the report; a column printed empty stays as printed."""
    result = run_import(data, AWARDS_PDF, "--dataset", "awards", "--year", "2025", "--stage", "公示")
    assert result.returncode == 0, result.stdout + result.stderr
    added = {r["recipient"]: (r["district"], r["credit_code"]) for r in rows_of(data / "awards/2025.csv")
             if r["batch"] == "7"}
    registry = {r["name"]: (r["district"], r["credit_code"]) for r in rows_of(data / "registry/companies/companies.csv")}
    assert added == {name: registry[name] for name in ("示例大学", "示例智能传感科技有限公司", "示例合成生物科技有限公司")}
    assert all(district and code for district, code in added.values())
    assert "filled from the registry (columns the attachment lacks, required empty cells): credit_code 3，district 3" \
        in result.stdout
    printed = awards_csv(tmp_path / "奖励.csv", "奖励金额（万元）", ["150"]).read_text(encoding="utf-8")
    printed = printed.replace("序号,企业名称,", "序号,地区,企业名称,").replace("1,示例数控", "1,,示例数控").replace("合计,", "合计,,")
    (tmp_path / "奖励.csv").write_text(printed, encoding="utf-8")
    empty = run_import(data, tmp_path / "奖励.csv", "--dataset", "awards", "--year", "2026", "--stage", "公示", "--batch", "1")
    assert empty.returncode == 0, empty.stdout + empty.stderr
    row = next(r for r in rows_of(data / "awards/2026.csv") if r["title"] == "示例装备1（国内首台套）")
    assert (row["district"], row["credit_code"]) == ("", "91330411MA2Q1CE507")


def test_pinghu_development_zone_hint_names_pinghu_not_the_jiaxing_zone(data, tmp_path):
    """Tryout defect 11: 平湖经开区 contains 平湖 (平湖市 330482) and 经开区 (嘉兴经开区 JX-ETDZ): the hint names the
    county with its official code."""
    path = province_csv(tmp_path / "名单.csv", [("示例装备甲", "示例数控机床股份有限公司", "平湖经开区")])
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                        "--list-kind", "首台套")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(x for x in result.stderr.splitlines() if x.startswith("名单.csv:3: district: "))
    assert "只是包含“平湖市”（330482）" in line and "JX-ETDZ" not in line


def test_new_companies_get_province_and_city_like_the_shipped_rows(data, tmp_path):
    """Tryout defect 12: a new company in Jiaxing gets 浙江省 / 嘉兴市 (as the shipped registry rows), one in another
    Zhejiang city 浙江省 and that city, one in a functional zone 浙江省 / 嘉兴市."""
    path = province_csv(tmp_path / "名单.csv", [("示例装备甲", "示例新登记南湖装备有限公司", "南湖区"),
                                               ("示例装备乙", "示例新登记丽水装备有限公司", "丽水市"),
                                               ("示例装备丙", "示例新登记港区装备有限公司", "嘉兴港区")])
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                        "--list-kind", "首台套")
    assert result.returncode == 0, result.stdout + result.stderr
    registry = {r["name"]: (r["district"], r["province"], r["city"])
                for r in rows_of(data / "registry/companies/companies.csv")}
    assert registry["示例新登记南湖装备有限公司"] == ("330402", "浙江省", "嘉兴市")
    assert registry["示例新登记丽水装备有限公司"] == ("331100", "浙江省", "丽水市")
    assert registry["示例新登记港区装备有限公司"] == ("JX-PORT", "浙江省", "嘉兴市")
    assert {(p, c) for d, p, c in registry.values() if d == "330402"} == {("浙江省", "嘉兴市")}  # as the shipped rows


def test_the_field_list_is_printed_once_for_many_unmapped_columns(data, tmp_path):
    """Tryout defect 13: six columns it cannot place give six errors, the field list (~1.5 KB) only in the first."""
    path = tmp_path / "名单.csv"
    path.write_text("2022年度浙江省首台（套）装备认定名单\n序号,产品名称,企业名称,甲,乙,丙,丁,戊,己\n"
                    "1,示例装备甲,示例数控机床股份有限公司,1,2,3,4,5,6\n", encoding="utf-8")
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [x for x in result.stderr.splitlines() if x.startswith("名单.csv:2: ")]
    assert [x.split(": ")[1] for x in errors] == ["甲", "乙", "丙", "丁", "戊", "己"]
    assert sum("company（企业名称" in x for x in errors) == 1 and "company（企业名称" in errors[0]
    assert all("可用字段见上面第一条" in x and len(x) < 400 for x in errors[1:])
    assert len(result.stderr) < 2 * len(errors[0]) + 1500


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


def test_two_spellings_of_one_new_company_in_one_list_are_refused_not_made_two_companies(data, tmp_path):
    path = province_csv(tmp_path / "名单.csv", [("示例装备甲", "示例晶能新材科技有限公司", "南湖区"),
                                               ("示例装备乙", "浙江示例晶能新材科技", "南湖区")])
    before = tree(data)
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                        "--list-kind", "首台套")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert tree(data) == before
    line = next(x for x in result.stderr.splitlines() if x.startswith("名单.csv:4: company: "))
    assert "与本名单第 3 行的“示例晶能新材科技有限公司”相近" in line and "“浙江示例晶能新材科技”" in line
