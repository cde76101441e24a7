"""`python -m scripts import`: official attachments in their real layouts go into data/ with one command each,
validate as written, and say in the review report what was skipped, interpreted, guessed or still needs a person.
The site's own downloads import back without changing a byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import import_layouts as L
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO, run_cli
from import_helpers import rows_of

PDF = FIXTURES / "import" / "equipment-2020.pdf"
URL = "https://example.org/notice/2021-materials"


def run_import(data: Path, file: Path, *args: str):
    return run_cli("import", file, "--data", data, *args, cwd=data.parent)


def companies(data: Path) -> dict[str, dict]:
    return {r["name"]: r for r in rows_of(data / "registry/companies/companies.csv")}


def test_2021_materials_list_imports_with_one_command_and_validates(data, tmp_path):
    before = (data / "registry/companies/companies.csv").read_text(encoding="utf-8")
    source = L.materials_xlsx(tmp_path / "附件1.xlsx")
    result = run_import(data, source, "--dataset", "recognitions", "--year", "2021", "--source-url", URL,
                        "--report", tmp_path / "report.md")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = rows_of(data / "recognitions/2021.csv")
    expected = L.materials_rows()
    assert [(r["company"], r["product"], r["category"]) for r in rows] == [
        (c, m, cat) for c, m, cat in expected]  # merged company cells filled down, the 　-padded name trimmed
    assert [r["id"] for r in rows] == [f"R-2021-{n:04d}" for n in range(1, 23)]
    assert {(r["stage"], r["list_kind"], r["sublist"], r["list_title"], r["source_url"], r["tier"]) for r in rows} == {
        ("拟认定", "首批次新材料", "非认定奖励类", L.MATERIALS_TITLE, URL, "")}  # read from the title row
    assert all(r["credit_code"] == "" for r in rows if r["company"] != "示例新材料股份有限公司")
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert report == result.stdout
    assert "| 22 | 0 | 0 | 1 | 0 |" in report
    assert "- 第 26 行 / row 26: 脚注或说明文字 | footnote or note：`注：排名不分先后。`" in report
    assert "- 推测 / guessed `stage` = `拟认定`：标题中写明 | named in the title row；请核对 / please check" in report
    assert "✓ 导入结果通过校验，0 个错误 / the result validates: 0 errors" in report
    # every company not yet in the registry is listed once and appended, without a code
    added = companies(data)
    new = [name for name in dict.fromkeys(c for c, _m, _c in expected) if name not in before]
    assert len(new) == 15 and all(added[name]["credit_code"] == "" for name in new)
    assert report.count("示例碳纤维科技有限公司,") == 1
    assert "示例碳纤维科技有限公司,,,,,,附件1.xlsx 第 7、8 行" in report
    assert run_cli("validate", data, "-q").returncode == 0


def equipment_import(data: Path, tmp_path: Path):
    source = L.equipment_xlsx(tmp_path / "2022首台套.xlsx")
    return run_import(data, source, "--dataset", "recognitions", "--year", "2022", "--stage", "认定",
                      "--list-kind", "首台（套）装备", "--doc-no", "浙经信装备〔2022〕1号", "--source-url", URL)


def test_equipment_list_with_group_rows_and_merged_cells(data, tmp_path):
    result = equipment_import(data, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = rows_of(data / "recognitions/2022.csv")
    printed = [item for _group, items in L.EQUIPMENT for item in items]
    assert [r["product"] for r in rows] == [p for p, *_ in printed]
    assert [r["tier"] for r in rows] == ["国际"] * 2 + ["国内"] * 4 + ["省内"] * 4
    by_product = {r["product"]: r for r in rows}
    # the company, tier and region merged over two rows belong to both
    assert by_product["示例卧式车铣复合机床"]["company"] == "示例数控机床股份有限公司"
    assert by_product["示例卧式车铣复合机床"]["district"] == "330411"
    # official spellings of functional zones and cities outside Jiaxing resolve through the district aliases
    assert [by_product[p]["district"] for p in ("示例船用氢燃料电池动力系统", "示例高速纺丝卷绕机", "示例智能仓储穿梭车",
                                                "示例十二英寸晶圆减薄机", "示例大型船用曲轴")] == [
        "JX-PORT", "JX-ETDZ", "JX-XZHT", "330100", ""]
    # a company already in the registry is recognised; the list prints no credit code column, so the registry's code
    # is filled in (tryout defect 6); one outside Zhejiang keeps its city
    assert by_product["示例五轴联动叶片加工中心"]["credit_code"] == "91330411MA2Q1CE507"
    assert "企业库识别 / found in the companies registry: 4 行 / rows（exact 4）" in result.stdout
    assert companies(data)["示例重工（上海）有限公司"]["city"] == "上海市"
    assert {(r["list_kind"], r["stage"], r["doc_no"]) for r in rows} == {("首台套装备", "认定", "浙经信装备〔2022〕1号")}
    assert "- 分组行 / group rows: 第 4 行 `一、国际首台（套）` → `list_kind` = `首台套装备`，`tier` = `国际`" in result.stdout
    assert "- `tier`: `国内首台（套）` → `国内`（4 行 / rows）" in result.stdout
    assert "- 第 17 行 / row 17: 脚注或说明文字 | footnote or note：`备注：档次按国际、国内、省内排列。`" in result.stdout
    assert run_cli("validate", data, "-q").returncode == 0


def test_tier_and_stage_survive_into_the_site_and_downloads(data, tmp_path):
    assert equipment_import(data, tmp_path).returncode == 0
    out = tmp_path / "out"
    build = run_cli("build", "--data", data, "--out", out, "-q")
    assert build.returncode == 0, build.stdout + build.stderr
    site = out / "site"
    pages = [p for p in site.rglob("R-2022-0001*/index.html")] + [p for p in site.rglob("R-2022-0001*.html")]
    assert pages, "no record page for R-2022-0001"
    soup = BeautifulSoup(pages[0].read_text(encoding="utf-8"), "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "示例船用氢燃料电池动力系统" in text and "国际" in text and "认定" in text
    download = next(site.rglob("recognitions-2022.csv"))
    row = next(r for r in rows_of(download) if r["id"] == "R-2022-0001")
    assert (row["tier"], row["stage"], row["district"]) == ("国际", "认定", "JX-PORT")


def test_importing_the_final_list_after_the_notice_changes_the_stage_cell_only(data, tmp_path):
    source = L.materials_xlsx(tmp_path / "公示.xlsx")
    assert run_import(data, source, "--dataset", "recognitions", "--year", "2021", "--source-url", URL).returncode == 0
    first = rows_of(data / "recognitions/2021.csv")
    again = run_import(data, source, "--dataset", "recognitions", "--year", "2021", "--stage", "认定",
                       "--source-url", URL)
    assert again.returncode == 0, again.stdout + again.stderr
    final = rows_of(data / "recognitions/2021.csv")
    assert len(final) == 22 and [r["id"] for r in final] == [r["id"] for r in first]
    assert {r["stage"] for r in final} == {"认定"}
    assert [{k: v for k, v in r.items() if k != "stage"} for r in final] == [
        {k: v for k, v in r.items() if k != "stage"} for r in first]
    assert "| 0 | 22 | 0 | 1 | 0 |" in again.stdout
    assert "- 更新 / updated `R-2021-0001`（第 3 行 / row 3）: `stage`: `拟认定` → `认定`" in again.stdout


def test_dry_run_writes_nothing(data, tmp_path):
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    result = run_import(data, L.equipment_xlsx(tmp_path / "e.xlsx"), "--dataset", "recognitions", "--year", "2022",
                        "--stage", "认定", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "将写入（试运行，未写任何文件） / would write (dry run, nothing written)" in result.stdout
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before


def test_text_pdf_table(data):
    result = run_import(data, PDF, "--dataset", "recognitions", "--year", "2020", "--stage", "认定", "--source-url", URL)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = rows_of(data / "recognitions/2020.csv")
    # cells wrapped over two lines are joined; Kangxi radicals in the text layer (⽰) are folded back (示)
    assert [(r["product"], r["company"], r["category"], r["tier"], r["district"]) for r in rows] == [
        ("示例船用氢燃料电池动力系统", "示例氢能装备有限公司", "成套装备", "国际", "JX-PORT"),
        ("示例五轴联动叶片加工中心", "示例数控机床股份有限公司", "整机装备", "国内", "330411"),
        ("示例高速纺丝卷绕机", "示例纺机有限公司", "整机装备", "国内", "JX-ETDZ"),
        ("示例光伏组件串焊机", "示例光伏装备有限公司", "整机装备", "省内", "330421"),
    ]
    assert {r["list_title"] for r in rows} == {"2020年浙江省装备制造业重点领域首台(套)产品名单（示例）"}
    assert {r["list_kind"] for r in rows} == {"首台套装备"}


def test_docx_table_with_title_paragraph_and_merged_cells(data, tmp_path):
    document = docx.Document()
    document.add_paragraph("附件2")
    document.add_paragraph("2024年度浙江省首批次新材料认定结果公示名单（示例）")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["序号", "材料名称", "企业名称", "认定档次"]):
        cell.text = text
    for n, (material, company, tier) in enumerate([("示例耐高温聚酰亚胺薄膜", "示例光学膜材料有限公司", "国内首批次"),
                                                    ("示例低介电玻璃纤维布", "示例光学膜材料有限公司", "省内首批次"),
                                                    ("示例高纯电子级氢氟酸", "示例电子化学品有限公司", "省内首批次")], 1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[3].text = str(n), material, tier
        cells[2].text = company if n != 2 else ""
    table.cell(1, 2).merge(table.cell(2, 2))  # the company written once over two rows
    path = tmp_path / "公示.docx"
    document.save(path)
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2024", "--source-url", URL)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = rows_of(data / "recognitions/2024.csv")
    assert [(r["product"], r["company"], r["tier"], r["stage"], r["list_kind"]) for r in rows] == [
        ("示例耐高温聚酰亚胺薄膜", "示例光学膜材料有限公司", "国内", "公示", "首批次新材料"),
        ("示例低介电玻璃纤维布", "示例光学膜材料有限公司", "省内", "公示", "首批次新材料"),
        ("示例高纯电子级氢氟酸", "示例电子化学品有限公司", "省内", "公示", "首批次新材料"),
    ]
    assert "- 读取方式 / read as: `docx`；`行号为表格中的行序号（段落不计）`" in result.stdout


def test_xls_with_title_and_merged_company(data, tmp_path):
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet("Sheet1")
    ws.write_merge(0, 0, 0, 3, L.MATERIALS_TITLE)
    for col, text in enumerate(L.MATERIALS_HEADER):
        ws.write(1, col, text)
    ws.write(2, 0, 1)
    ws.write_merge(2, 3, 1, 1, "示例新材料股份有限公司")  # one company over two rows
    ws.write(2, 2, "示例高导热石墨烯散热膜")
    ws.write(2, 3, "前沿新材料")
    ws.write(3, 0, 2)
    ws.write(3, 2, "示例碳化硅陶瓷基复合材料")
    ws.write(3, 3, "关键战略材料")
    path = tmp_path / "附件1.xls"
    book.save(str(path))
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2021", "--source-url", URL)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = rows_of(data / "recognitions/2021.csv")
    assert [(r["product"], r["company"], r["category"], r["stage"]) for r in rows] == [
        ("示例高导热石墨烯散热膜", "示例新材料股份有限公司", "前沿新材料", "拟认定"),
        ("示例碳化硅陶瓷基复合材料", "示例新材料股份有限公司", "关键战略材料", "拟认定")]


def test_gbk_csv_says_which_encoding_it_used(data, tmp_path):
    text = ("2025年浙江省首版次软件产品应用推广指导目录（示例）\n国内首版次软件,,,\n序号,类别,产品名称,企业名称\n"
            "1,工业软件,示例工业设计仿真软件V3.0,示例软件有限公司\n省内首版次软件,,,\n"
            "2,工业软件,示例MES制造执行系统V2.1,示例软件有限公司\n")
    path = tmp_path / "目录.csv"
    path.write_bytes(text.encode("gbk"))
    last = max(int(r["id"][-4:]) for r in rows_of(data / "recognitions/2025.csv"))
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2025", "--stage", "认定", "--source-url", URL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "- 读取方式 / read as: `csv (GBK/GB18030)`；`编码：GBK/GB18030` / `encoding: GBK/GB18030`" in result.stdout
    rows = [r for r in rows_of(data / "recognitions/2025.csv") if r["company"] == "示例软件有限公司"]
    assert [(r["id"], r["tier"], r["list_kind"], r["category"]) for r in rows] == [
        (f"R-2025-{last + 1:04d}", "国内", "首版次软件", "工业软件"), (f"R-2025-{last + 2:04d}", "省内", "首版次软件", "工业软件")]
    assert "- 分组行 / group rows: 第 2 行 `国内首版次软件` → `list_kind` = `首版次软件`，`tier` = `国内`" in result.stdout


def test_scanned_pdf_has_no_text_layer(data, tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pdfium.PdfImage.new(pdf)
    bitmap = pdfium.PdfBitmap.new_native(200, 100, pdfium.raw.FPDFBitmap_Gray)
    bitmap.fill_rect((255, 255, 255, 255), 0, 0, 200, 100)
    bitmap.fill_rect((0, 0, 0, 255), 20, 40, 160, 4)  # a scanned line of "text"
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(400, 200).translate(90, 500))
    page.insert_obj(image)
    page.gen_content()
    path = tmp_path / "扫描件.pdf"
    pdf.save(path)
    before = (data / "registry/companies/companies.csv").read_bytes()
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2022")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "扫描件.pdf:1: -: PDF 没有文字层（共 1 页，是扫描件或图片），无法读出表格（向发布部门索取 Excel/Word 版附件；或用 OCR 软件转成 "
        "Excel，逐行核对后再导入） | the PDF has no text layer (1 pages, a scan or images), so no table can be read (ask the "
        "issuing department for the Excel/Word attachment, or OCR it into Excel and check every row before importing)",
        "✗ 没有导入任何内容，数据目录未改动 / nothing imported, data/ unchanged (1)"]
    assert not (data / "recognitions/2022.csv").exists()
    assert (data / "registry/companies/companies.csv").read_bytes() == before


@pytest.mark.parametrize("suffix,app,target", [(".wps", "WPS", ".docx"), (".et", "WPS", ".xlsx"), (".doc", "Word", ".docx")])
def test_office_formats_to_convert_first(data, tmp_path, suffix, app, target):
    path = tmp_path / f"附件{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2023")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"附件{suffix}:1: -: {suffix} 文件不能直接导入（用 {app} 打开，另存为 {target}（表格也可另存为 .xlsx）后再导入） | "
        f"{suffix} files cannot be imported directly (open it in {app} and save it as {target} (a table may also be "
        f"saved as .xlsx), then import that)")


def unmapped_list(tmp_path: Path) -> Path:
    path = tmp_path / "清单引导.csv"
    path.write_text("2021年度浙江省首台(套)装备清单引导标准认定名单（示例）\n序号,产品名称,企业名称,地区,档次,引导标准号,联系电话\n"
                    "1,示例智能仓储穿梭车,示例智能装备有限公司,嘉兴国家高新区,国内首台（套）,T-07,0573-00000000\n",
                    encoding="utf-8")
    return path


def test_columns_it_cannot_place_are_named_with_the_fields_it_expects(data, tmp_path):
    result = run_import(data, unmapped_list(tmp_path), "--dataset", "recognitions", "--year", "2021")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [line.split(" | ")[0].split("”（")[0] + "”" for line in lines[:2]] == [
        "清单引导.csv:2: 引导标准号: 无法把这一列对应到字段：“引导标准号”",
        "清单引导.csv:2: 联系电话: 无法把这一列对应到字段：“联系电话”"]
    assert "用 --map 列名=字段 指定，或 --map 列名=- 忽略这一列；可用字段：id（编号/记录编号）" in lines[0]
    assert "company（企业名称/生产企业/申报单位/单位名称）" in lines[0]
    assert lines[-1] == "✗ 没有导入任何内容，数据目录未改动 / nothing imported, data/ unchanged (2)"
    assert not (data / "recognitions/2021.csv").exists()


def test_map_override_places_and_drops_columns(data, tmp_path):
    result = run_import(data, unmapped_list(tmp_path), "--dataset", "recognitions", "--year", "2021", "--stage", "认定",
                        "--map", "引导标准号=note", "--map", "联系电话=-", "--source-url", URL)
    assert result.returncode == 0, result.stdout + result.stderr
    [row] = rows_of(data / "recognitions/2021.csv")
    assert (row["note"], row["district"], row["tier"], row["sublist"]) == ("T-07", "JX-XZHT", "国内", "清单引导标准认定名单")
    bad = run_import(data, unmapped_list(tmp_path), "--dataset", "recognitions", "--year", "2021", "--map", "联系电话=phone")
    assert bad.returncode == 1
    assert bad.stderr.splitlines()[0].startswith("清单引导.csv:1: --map 联系电话: --map 指定的字段不存在：“phone”（可用字段：id, year,")


def test_a_column_without_header_is_reported_not_silently_dropped(data, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("序号,产品名称,企业名称,\n1,示例装备甲,示例装备有限公司,联系人张三\n2,示例装备乙,示例装备有限公司,\n",
                    encoding="utf-8")
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2023", "--stage", "认定",
                        "--list-kind", "首台套", "--source-url", URL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("- ⚠ 第 4 列没有表头，其中 1 个单元格有内容，已忽略（如需导入，在附件的表头补上列名）/ column 4 has no header and 1 "
            "cells with text: ignored (name it in the header to import it)") in result.stdout
    assert "- 新增编号 / new ids: `R-2023-0001` … `R-2023-0002`" in result.stdout


def test_values_that_need_a_person_are_named_by_cell(data, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("序号,产品名称,企业名称,档次,地区\n1,示例装备甲,示例装备有限公司,世界首台（套）,南湖区\n", encoding="utf-8")
    result = run_import(data, path, "--dataset", "recognitions", "--year", "2023", "--stage", "认定",
                        "--list-kind", "首台套", "--source-url", URL)
    assert result.returncode == 1  # nothing written: the report names the cell a person must fix
    assert "✗ 还有 1 个单元格需要人工处理（2 个问题）/ 1 cells still need a person (2 problems):" in result.stdout
    assert "| 1 | 0 | 0 | 0 | 1 |" in result.stdout
    assert "data/recognitions/2023.csv:2: tier: 不是允许的取值：“世界首台（套）”" in result.stdout
    assert "没有写入（先处理下面的错误，数据目录未改动） / not written (fix the errors below first; data/ unchanged)" in result.stdout
    assert not (data / "recognitions/2023.csv").exists()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> tuple[Path, Path]:
    """(the data tree, its downloads folder) built once by the real packages stage."""
    root = tmp_path_factory.mktemp("downloads")
    source = root / "data"
    shutil.copytree(REPO / "data", source)
    result = run_cli("packages", "--data", source, "--out", root / "built", "--no-validate", "-q")
    assert result.returncode == 0, result.stderr
    return source, root / "built" / "downloads"


@pytest.mark.parametrize("dataset", sorted(p.parent.name for p in (REPO / "data").glob("*/dataset.yaml")))  # every list
@pytest.mark.parametrize("kind", [".csv", ".excel.csv", ".xlsx"])
def test_site_downloads_import_back_without_changing_anything(tmp_path, downloads, dataset, kind):
    source, built = downloads
    download = built / dataset / f"{dataset}{kind}"  # all years in one file
    empty = tmp_path / "empty" / "data"
    shutil.copytree(source, empty)
    for path in (empty / dataset).iterdir():
        shutil.rmtree(path) if path.is_dir() else (path.name != "dataset.yaml" and path.unlink())
    imported = run_cli("import", download, "--dataset", dataset, "--data", empty, cwd=tmp_path)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    original = {p.relative_to(source): p.read_bytes() for p in source.rglob("*") if p.is_file()}
    result = {p.relative_to(empty): p.read_bytes() for p in empty.rglob("*") if p.is_file()}
    assert set(result) == set(original)
    if dataset == "scenes":  # one YAML file per scene: the same records (comments and quoting style aside)
        from scripts.load.loader import load_catalog
        a, _ = load_catalog(source)
        b, _ = load_catalog(empty)
        def values(catalog):
            return {r.values["id"]: {k: v for k, v in r.values.items() if v not in (None, [])}
                    for r in catalog.datasets["scenes"].records}
        assert values(b) == values(a)
        original = {k: v for k, v in original.items() if k.parts[0] != "scenes"}
        result = {k: v for k, v in result.items() if k.parts[0] != "scenes"}
    assert result == original
    again = run_cli("import", download, "--dataset", dataset, "--data", empty, cwd=tmp_path)
    assert again.returncode == 0 and "没有需要写入的改动 / nothing to write" in again.stdout


@pytest.fixture
def make_root(tmp_path):
    """A checkout with the real Makefile and data tree; `make` runs there with this interpreter."""
    import subprocess
    import sys

    root = tmp_path / "repo"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copyfile(REPO / "Makefile", root / "Makefile")
    shutil.copyfile(REPO / "requirements.txt", root / "requirements.txt")
    (root / "scripts").symlink_to(REPO / "scripts")
    (root / "inbox").mkdir()
    stamp = tmp_path / "installed"
    stamp.touch()

    def make(*args):
        return subprocess.run(["make", "-s", *args, f"PY={sys.executable}", f"STAMP={stamp}"], cwd=root,
                              capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    return root, make


def test_make_import_inbox_converts_reports_and_leaves_the_rows_as_artifact(make_root):
    root, make = make_root
    L.equipment_xlsx(root / "inbox" / "2022首台套名单.xlsx")
    (root / "inbox" / "2022首台套名单.xlsx.yaml").write_text(
        "dataset: recognitions\nyear: 2022\nstage: 认定\nlist_kind: 首台（套）装备\ndoc_no: 浙经信装备〔2022〕1号\n"
        f"source_url: {URL}\n", encoding="utf-8")
    summary = root / "summary.md"
    result = make("import-inbox", f"SUMMARY={summary}")
    assert result.returncode == 0, result.stdout + result.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# 导入报告 / Import report: `inbox/2022首台套名单.xlsx`")
    assert "✓ 导入结果通过校验，0 个错误 / the result validates: 0 errors" in text
    artifact = root / "build/import"
    assert (artifact / "data/recognitions/2022.csv").read_bytes() == (root / "data/recognitions/2022.csv").read_bytes()
    assert (artifact / "data/registry/companies/companies.csv").is_file()
    assert (artifact / "2022首台套名单.xlsx.md").read_text(encoding="utf-8") == text
    assert make("validate").returncode == 0
    again = make("import-inbox")  # the rows are there now: nothing changes
    assert again.returncode == 0 and "没有需要写入的改动 / nothing to write" in again.stdout


def test_make_import_inbox_without_a_sidecar_or_with_a_wrong_one_fails_clearly(make_root):
    root, make = make_root
    L.materials_xlsx(root / "inbox" / "附件1.xlsx")
    (root / "inbox" / "附件2.csv").write_text("序号,产品名称,企业名称\n", encoding="utf-8")
    (root / "inbox" / "附件2.csv.yaml").write_text("dataset: recognitions\nyaer: 2021\n", encoding="utf-8")
    summary = root / "summary.md"
    result = make("import-inbox", f"SUMMARY={summary}")
    assert result.returncode != 0
    assert ("inbox/附件1.xlsx:1: -: 说明文件有误：缺少说明文件 附件1.xlsx.yaml / no sidecar 附件1.xlsx.yaml（参照 inbox/README.md "
            "写 dataset、year、stage、source_url 等）") in result.stderr
    assert "inbox/附件2.csv.yaml:2: -: 说明文件有误：未知的键 / unknown key yaer" in result.stderr
    assert summary.read_text(encoding="utf-8").count("# 导入失败 / Import failed:") == 2
    assert not (root / "data/recognitions/2021.csv").exists()


def test_make_import_one_file(make_root, tmp_path):
    root, make = make_root
    source = L.materials_xlsx(tmp_path / "附件1.xlsx")
    result = make("import", f"FILE={source}", "DATASET=recognitions", "YEAR=2021", f"SOURCE_URL={URL}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(rows_of(root / "data/recognitions/2021.csv")) == 22
    usage = make("import")
    assert usage.returncode != 0 and "用法 / usage: make import FILE=附件1.xlsx DATASET=recognitions" in usage.stdout


def test_a_second_list_from_the_same_companies_needs_no_lookup(data, tmp_path):
    from scripts.importer.bench import missing_companies, official_list_xlsx

    first = run_import(data, official_list_xlsx(tmp_path / "2023.xlsx", 30, companies=12), "--dataset", "recognitions",
                       "--year", "2023", "--stage", "认定", "--source-url", URL)
    assert first.returncode == 0, first.stdout + first.stderr
    assert missing_companies(first.stdout) == 12
    assert "示例第001装备制造有限公司" in companies(data)
    second = run_import(data, official_list_xlsx(tmp_path / "2024.xlsx", 30, companies=12, start=30,
                                                   title="2024年度浙江省首台（套）装备公示名单（示例）"), "--dataset",
                        "recognitions", "--year", "2024", "--stage", "公示", "--source-url", URL)
    assert second.returncode == 0, second.stdout + second.stderr
    assert missing_companies(second.stdout) == 0 and "企业库中没有的企业" not in second.stdout
    assert "企业库识别 / found in the companies registry: 30 行 / rows（exact 30）" in second.stdout
    assert len(rows_of(data / "recognitions/2024.csv")) == 30


@pytest.mark.parametrize("header,field", [
    ("产品名称", "product"), ("材料名称", "product"), ("软件名称", "product"), ("项目名称", "product"),
    ("企业名称", "company"), ("生产企业", "company"), ("申报单位", "company"), ("单位名称", "company"),
    ("依托单位", "company"), ("档次", "tier"), ("级别", "tier"), ("认定档次", "tier"), ("拟认定档次", "tier"),
    ("类别", "category"), ("装备类别", "category"), ("认定类别", "category"), ("地区", "district"),
    ("县市区", "district"), ("县(市、区)", "district"), ("县（市、区）", "district"), ("所在地", "district"),
    ("项目属地", "district"), ("编号 / ID", "id"), ("编号\nID", "id"), ("tier", "tier"), (" 企业\u3000名称 ", "company"),
])
def test_header_synonyms_from_the_schema(header, field):
    from scripts.importer.header import find_header
    from scripts.load.loader import load_catalog

    catalog, _ = load_catalog(REPO / "data")
    rows = [(1, ["2022年度名单"]), (2, ["序号", header, "年度"]), (3, ["1", "x", "2022"])]
    mapping = find_header(rows, catalog.datasets["recognitions"], {})
    assert (mapping.header_line, mapping.columns, mapping.title_lines) == (2, [None, field, "year"], ["2022年度名单"])


def test_cell_values_as_a_person_meant_them():
    from scripts.importer.convert import Notes, normalise_value
    from scripts.importer.values import clean_text, enum_value, guess_from_title

    assert clean_text("\u3000示例\u00a0新材料\n股份有限公司 ") == "示例 新材料股份有限公司"  # spaces, break between 汉字
    assert clean_text("Model\nX-200") == "Model X-200" and clean_text(" \u200b ") is None
    assert clean_text("⽰例") == "示例"  # a Kangxi radical from a PDF text layer
    assert clean_text("'=1+2") == "=1+2"  # the downloads' anti-formula apostrophe goes; the validator judges the rest
    assert clean_text("第一行\n第二行", keep_breaks=True) == "第一行\n第二行"
    tiers = ["国际", "国内", "省内"]
    assert [enum_value(t, tiers) for t in ("国际首台（套）", "一、国内首版次软件", "省内首批次", "省级", "国内")] == [
        "国际", "国内", "省内", None, "国内"]
    assert guess_from_title("2024年度浙江省首批次新材料认定结果公示", ["公示", "拟认定", "认定", "撤销"]) == {"stage": "公示"}
    assert guess_from_title("关于公布第二十九批名单的通知（浙经信装备〔2023〕159号）", ["认定"]) == {
        "doc_no": "浙经信装备〔2023〕159号", "batch": "29"}
    notes = Notes()
    batch = {"name": "batch", "type": "integer"}
    assert [normalise_value(v, batch, None, None, notes, 1) for v in ("第三批", "第29批", "２")] == ["3", "29", "2"]
    code = {"name": "credit_code", "type": "string", "x-checks": ["code", "credit_code"]}
    assert normalise_value("９１３３０４１１ma2q1ce507", code, None, None, notes, 1) == "91330411MA2Q1CE507"
    day = {"name": "published_on", "type": "date"}
    assert normalise_value("2021年3月5日", day, None, None, notes, 1) == "2021-03-05"


def test_without_adding_companies_the_report_block_pastes_into_the_registry(data, tmp_path):
    before = (data / "registry/companies/companies.csv").read_text(encoding="utf-8")
    result = run_import(data, L.equipment_xlsx(tmp_path / "e.xlsx"), "--dataset", "recognitions", "--year", "2022",
                        "--stage", "认定", "--source-url", URL, "--no-add-companies")
    assert result.returncode == 0, result.stdout + result.stderr  # unknown companies are flags, not errors
    assert (data / "registry/companies/companies.csv").read_text(encoding="utf-8") == before
    assert "把下面几行粘贴到 `data/registry/companies/companies.csv` 末尾" in result.stdout
    assert "提示（不算错误）/ flags (not errors): 6" in result.stdout
    assert "company: 提示/warning: 企业不在企业名录中：“示例纺机有限公司”" in result.stdout
    block = result.stdout.split("```csv\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert block[0] == "name,aliases,credit_code,district,province,city,note" and len(block) == 7
    with open(data / "registry/companies/companies.csv", "a", encoding="utf-8") as fh:
        fh.write("\n".join(block[1:]) + "\n")  # the clerk pastes the block
    check = run_cli("validate", data)
    assert check.returncode == 0 and "企业不在企业名录中" not in check.stdout, check.stdout


def test_the_companies_note_names_the_attachment_not_the_folder_it_was_in(data, tmp_path):
    """An absolute path on the clerk's machine must not become public data in companies.csv."""
    folder = tmp_path / "私人" / "Downloads"
    folder.mkdir(parents=True)
    attachment = L.materials_xlsx(folder / "附件1.xlsx")
    result = run_cli("import", attachment, "--dataset", "recognitions", "--year", "2021", "--source-url", URL,
                     "--data", data)  # run from the repository: the attachment lies outside the working directory
    assert result.returncode == 0, result.stdout + result.stderr
    registry = (data / "registry" / "companies" / "companies.csv").read_text(encoding="utf-8")
    assert "示例碳纤维科技有限公司,,,,,,附件1.xlsx 第 7、8 行" in registry
    assert str(folder) not in registry and "私人" not in registry
