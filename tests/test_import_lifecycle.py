"""Every number right or refused: a lifecycle that only moves forward, with every stage change kept as data.

The sequence a department really publishes — the 拟认定 list, its 认定 list (one product dropped), a 撤销 notice —
then the old list imported again by mistake; a list imported with the wrong year; an import with errors. Each gives
the true values or a clear refusal with nothing written (the stage-changes registry and companies included).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import import_layouts as L
import pytest
from conftest import REPO, run_cli
from import_helpers import rows_of, tree

URL = "https://example.org/notice/2021-materials"
DROPPED = "示例高性能材料07号"  # on the 拟认定 list, not on the 认定 list


def materials_csv(path: Path, title: str, keep=lambda material: True) -> Path:
    """The 2021 materials list as a department's CSV: a title row, the official header, one row per material."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([title])
    writer.writerow(L.MATERIALS_HEADER)
    n = 0
    for company, material, category in L.materials_rows():
        if keep(material):
            n += 1
            writer.writerow([n, company, material, category])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def run_import(data: Path, file: Path, *args: str):
    return run_cli("import", file, "--dataset", "recognitions", "--data", data, "--source-url", URL, *args,
                   cwd=data.parent)


def history(data: Path) -> list[dict]:
    return rows_of(data / "registry/stage-changes/stage-changes.csv")


def stages(data: Path) -> dict[str, str]:
    return {r["product"]: r["stage"] for r in rows_of(data / "recognitions/2021.csv")}


def test_notice_final_list_withdrawal_then_the_old_list_again_is_refused(data, tmp_path):
    notice = tmp_path / "拟认定.xlsx"
    L.materials_xlsx(notice)  # 2021年度…拟认定项目清单
    first = run_import(data, notice, "--year", "2021", "--published-on", "2021-11-02")
    assert first.returncode == 0, first.stdout + first.stderr
    assert set(stages(data).values()) == {"拟认定"} and len(stages(data)) == 22
    assert [(h["from_stage"], h["to_stage"], h["date"]) for h in history(data)] == [("", "拟认定", "2021-11-02")] * 22

    final = materials_csv(tmp_path / "认定.csv", "2021年度浙江省首批次新材料（非认定奖励类）认定名单",
                          keep=lambda m: m != DROPPED)
    second = run_import(data, final, "--year", "2021", "--published-on", "2021-12-20", "--doc-no", "浙经信材料〔2021〕200号")
    assert second.returncode == 0, second.stdout + second.stderr
    now = stages(data)
    assert now[DROPPED] == "拟认定" and sum(s == "认定" for s in now.values()) == 21
    dropped_id = next(r["id"] for r in rows_of(data / "recognitions/2021.csv") if r["product"] == DROPPED)
    assert "## 在较早的名单上、却不在这份名单上 / On the earlier list but missing from this one (1)" in second.stdout
    assert f"- `{dropped_id}`（`拟认定`）`{DROPPED}`" in second.stdout
    moves = [h for h in history(data) if h["from_stage"]]
    assert len(moves) == 21 and {(h["from_stage"], h["to_stage"], h["date"], h["doc_no"]) for h in moves} == {
        ("拟认定", "认定", "2021-12-20", "浙经信材料〔2021〕200号")}

    withdrawn = materials_csv(tmp_path / "撤销.csv", "关于撤销2021年度浙江省首批次新材料认定的通知",
                              keep=lambda m: m == "示例高性能材料01号")
    third = run_import(data, withdrawn, "--year", "2021", "--stage", "撤销", "--published-on", "2022-03-01")
    assert third.returncode == 0, third.stdout + third.stderr
    assert stages(data)["示例高性能材料01号"] == "撤销"
    assert history(data)[-1]["from_stage"] == "认定" and history(data)[-1]["to_stage"] == "撤销"

    before = tree(data)
    again = run_import(data, notice, "--year", "2021")
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert tree(data) == before  # nothing written: records, companies and the history as they were
    refusals = [line for line in again.stderr.splitlines() if "import-stage-back" in line or "改回更早" in line]
    assert len(refusals) == 21  # 20 认定 and 1 撤销 record would move back; the dropped one is still 拟认定
    withdrawn_id = next(r["id"] for r in rows_of(data / "recognitions/2021.csv") if r["product"] == "示例高性能材料01号")
    assert any(line.startswith("拟认定.xlsx:3: stage: ") and f"{withdrawn_id} 的阶段从“撤销”改回更早的“拟认定”" in line
               and "2021年度浙江省首批次新材料（非认定奖励类）拟认定项目清单" in line and "--confirm-move-back" in line
               for line in refusals), refusals[:3]


def test_a_move_back_confirmed_on_purpose_is_written_and_marked(data, tmp_path):
    notice = L.materials_xlsx(tmp_path / "拟认定.xlsx")
    assert run_import(data, notice, "--year", "2021").returncode == 0
    final = materials_csv(tmp_path / "认定.csv", "2021年度浙江省首批次新材料认定名单")
    assert run_import(data, final, "--year", "2021").returncode == 0
    back = run_import(data, notice, "--year", "2021", "--confirm-move-back")
    assert back.returncode == 0, back.stdout + back.stderr
    assert set(stages(data).values()) == {"拟认定"}
    assert [h["confirmed"] for h in history(data)[-22:]] == ["true"] * 22


def test_a_year_that_contradicts_the_title_is_refused(data, tmp_path):
    before = tree(data)
    wrong = run_import(data, L.materials_xlsx(tmp_path / "名单.xlsx"), "--year", "2022")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert ("名单.xlsx:1: --year: --year 2022 与标题中的年度 2021 不一致：2021年度浙江省首批次新材料（非认定奖励类）拟认定项目清单"
            in wrong.stderr) and "use --year 2021 as the title says" in wrong.stderr
    assert tree(data) == before


def test_an_import_with_errors_writes_nothing_not_even_the_companies(data, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("2023年度浙江省首台（套）装备认定名单\n序号,产品名称,企业名称,档次,地区\n"
                    "1,示例装备甲,示例从未登记装备有限公司,世界首台（套）,南湖区\n", encoding="utf-8")
    before = tree(data)
    result = run_import(data, path, "--year", "2023", "--stage", "认定", "--list-kind", "首台套")
    assert result.returncode == 1
    assert "示例从未登记装备有限公司" in result.stdout  # the report still names the company and the cell to fix
    assert "没有写入（先处理下面的错误，数据目录未改动） / not written (fix the errors below first; data/ unchanged)" in result.stdout
    assert tree(data) == before


def test_every_row_of_a_list_is_one_numbered_history_entry_naming_the_attachment(data, tmp_path):
    notice = L.materials_xlsx(tmp_path / "拟认定.xlsx")
    assert run_import(data, notice, "--year", "2021").returncode == 0
    assert len(history(data)) == 22
    assert all(h["attachment"] == "拟认定.xlsx" and h["dataset"] == "recognitions" for h in history(data))
    assert [h["id"] for h in history(data)] == [f"C-{n:06d}" for n in range(1, 23)]


@pytest.mark.parametrize("title,year", [
    ("2021年浙江省重点首批次新材料认定奖励名单", 2021),  # the official spelling, without 年度
    ("关于公布2021年浙江省重点首批次新材料认定奖励名单的通知", 2021),
    ("2025年浙江省首批次新材料目录", 2025),
])
def test_a_title_year_without_niandu_is_checked_too(data, tmp_path, title, year):
    """Tryout defect 2: “2021年…” at the start of a title (after 关于/公布 …) names the list's year like “2021年度”."""
    before = tree(data)
    wrong = run_import(data, materials_csv(tmp_path / "名单.csv", title), "--year", "2022", "--stage", "认定")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert f"名单.csv:1: --year: --year 2022 与标题中的年度 {year} 不一致：{title}" in wrong.stderr
    assert tree(data) == before


def test_a_date_in_the_title_is_no_list_year(data, tmp_path):
    """Tryout defect 2, the other side: “2021年11月…” is a date, not the list's year: --year 2022 imports."""
    path = materials_csv(tmp_path / "名单.csv", "2021年11月公布的浙江省首批次新材料认定名单")
    result = run_import(data, path, "--year", "2022", "--stage", "认定")
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(rows_of(data / "recognitions/2022.csv")) == 22


def test_a_withdrawal_of_an_unknown_product_is_refused_naming_the_closest_record(data, tmp_path):
    """Tryout defect 4: a 撤销 notice naming a product we do not have creates nothing: an error naming the closest
    record of the same year and kind, nothing written (records, companies and history)."""
    assert run_import(data, L.materials_xlsx(tmp_path / "拟认定.xlsx"), "--year", "2021").returncode == 0
    close = "示例高性能材料0l号"  # a typo of 示例高性能材料01号 (l for 1)
    path = materials_csv(tmp_path / "撤销.csv", "关于撤销2021年度浙江省首批次新材料认定的通知",
                         keep=lambda m: m == "示例高性能材料01号")
    path.write_text(path.read_text(encoding="utf-8").replace("示例高性能材料01号", close), encoding="utf-8")
    before = tree(data)
    result = run_import(data, path, "--year", "2021", "--stage", "撤销")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert tree(data) == before
    target = next(r["id"] for r in rows_of(data / "recognitions/2021.csv") if r["product"] == "示例高性能材料01号")
    line = next(x for x in result.stderr.splitlines() if x.startswith("撤销.csv:3: product: "))
    assert "撤销不会新建记录" in line and f"“{close}”" in line and f"最接近的记录是 {target}（示例高性能材料01号）" in line


def test_an_update_from_another_list_without_a_date_clears_the_old_date(data, tmp_path):
    """Tryout defect 8: the 认定 list imported without --published-on must not keep the 拟认定 list's date beside
    its own title: the date is cleared (a change in the report) and the stage change row has no date."""
    notice = L.materials_xlsx(tmp_path / "拟认定.xlsx")
    assert run_import(data, notice, "--year", "2021", "--published-on", "2021-11-02").returncode == 0
    final = materials_csv(tmp_path / "认定.csv", "2021年度浙江省首批次新材料（非认定奖励类）认定名单")
    result = run_import(data, final, "--year", "2021")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = rows_of(data / "recognitions/2021.csv")
    assert {(r["list_title"], r["published_on"]) for r in rows} == {
        ("2021年度浙江省首批次新材料（非认定奖励类）认定名单", "")}
    assert "`published_on`: `2021-11-02` → （空 / empty）" in result.stdout
    moves = [h for h in history(data) if h["from_stage"]]
    assert len(moves) == 22 and {h["date"] for h in moves} == {""}
    same = run_import(data, final, "--year", "2021", "--published-on", "2021-12-20")
    assert same.returncode == 0 and {r["published_on"] for r in rows_of(data / "recognitions/2021.csv")} == {"2021-12-20"}
    again = run_import(data, final, "--year", "2021")  # the same list again, no date: its date stays
    assert again.returncode == 0 and {r["published_on"] for r in rows_of(data / "recognitions/2021.csv")} == {"2021-12-20"}


@pytest.mark.parametrize("source,args,title_batch", [
    ("pdf", ("--dataset", "awards", "--year", "2025", "--stage", "公示", "--batch", "6"), 7),
    ("csv", ("--year", "2021", "--stage", "认定", "--batch", "5"), 3),
])
def test_a_batch_that_contradicts_the_title_is_refused(data, tmp_path, source, args, title_batch):
    """Tryout defect 9: --batch (or the sidecar's batch) against 第N批 in the title, refused like the year."""
    if source == "pdf":
        path = REPO / "tests/fixtures/import/awards-2025-batch7.pdf"
    else:
        path = materials_csv(tmp_path / "名单.csv", "2021年度浙江省首批次新材料第三批认定名单")
    before = tree(data)
    result = run_cli("import", path, "--data", data, "--source-url", URL, *(args if source == "pdf" else
                                                                              ("--dataset", "recognitions", *args)),
                     cwd=data.parent)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    given = args[args.index("--batch") + 1]
    assert f":1: --batch: --batch {given} 与标题中的批次 第{title_batch}批 不一致" in result.stderr
    assert f"use --batch {title_batch} as the title says" in result.stderr
    assert tree(data) == before
