"""`new`: a draft record with the next id that validates as written, for YAML and CSV lists and any new list type."""

from __future__ import annotations

import csv
import re
import shutil

import pytest
import yaml
from conftest import REPO, make_tree, run_cli

ALIASES = {"scene": "scenes", "product": "products", "award": "awards", "project": "projects"}


def accept_every_suggestion(path) -> None:
    """What a person does who checks each suggested value and keeps it: drop the 待填写： marker, empty the code."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"91330400000000000[0-9A-Z]", "", text).replace("待填写：企业（单位）名称", "示例智能传感科技有限公司")
    path.write_text(text.replace("待填写：", ""), encoding="utf-8")


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_untouched_draft_fails_until_every_placeholder_is_replaced(alias, tmp_path):
    """An untouched `new` draft must not pass: every default nobody chose and the placeholder code are rejected."""
    data = make_tree(tmp_path)
    result = run_cli("new", alias, "--year", "2026", "--data", "data", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().splitlines()[-1].startswith("✓ ")
    check = run_cli("validate", "data", "-q", cwd=tmp_path)
    assert check.returncode == 1
    problems = check.stdout.splitlines()[:-1]
    assert problems and all(": 草稿中的占位内容还没有替换：" in line for line in problems), check.stdout
    fields = {line.split(": ")[1] for line in problems}
    schema = yaml.safe_load((REPO / f"schemas/{ALIASES[alias]}.schema.yaml").read_text(encoding="utf-8"))
    required = {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")} - {"id", "year"}
    codes = {f["name"] for f in schema["fields"] if "credit_code" in f.get("x-checks", [])}
    assert fields == required | codes
    for path in data.glob(f"{ALIASES[alias]}/**/*2026*"):
        if path.is_file():
            accept_every_suggestion(path)
    check = run_cli("validate", "data", "-q", cwd=tmp_path)
    assert check.returncode == 0, check.stdout


def test_scene_skeleton_has_next_id_comments_and_placeholders(tmp_path):
    make_tree(tmp_path)
    result = run_cli("new", "scene", "--year", "2026", "--data", "data", cwd=tmp_path)
    path = tmp_path / "data/scenes/2026/S-2026-002.yaml"  # the fixture has S-2026-001
    assert "已新建 / created data/scenes/2026/S-2026-002.yaml" in result.stdout
    text = path.read_text(encoding="utf-8")
    values = yaml.safe_load(text)
    assert values["id"] == "S-2026-002" and values["year"] == 2026
    assert values["status"] == "待填写：征集"  # the first (earliest) status, offered but not chosen
    assert values["title"] == "待填写：场景名称" and values["owner"] == "待填写：场景业主"
    assert values["district"] is None  # optional: the source may have no region
    assert values["type"] == "待填写：未来产业应用场景"  # the schema's example, offered
    assert values["criteria"] == ["待填写：有开放意愿", "待填写：有落地可能"]
    schema = yaml.safe_load((REPO / "schemas/scenes.schema.yaml").read_text(encoding="utf-8"))
    lines = text.splitlines()
    for field in schema["fields"]:
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{field['name']}:"))
        comment = []
        for line in reversed(lines[:index]):
            if not line.startswith("#"):
                break
            comment.append(line)
        assert comment, f"no comment above {field['name']}"
        assert comment[-1].startswith(f"# {field['title']} / {field['x-label-en']}（")
    assert "#   可选 / allowed: 征集、公示、发布、建设中、已建成、撤销" in lines
    assert any("330402（南湖区）" in line for line in lines)  # registry ids with their names


def test_next_id_follows_the_highest_of_that_year_not_the_row_count(tmp_path):
    make_tree(tmp_path)  # awards 2025: 6 rows, highest id A-2025-0016
    result = run_cli("new", "award", "--year", "2025", "--data", "data", cwd=tmp_path)
    assert "A-2025-0017" in result.stdout
    rows = list(csv.reader((tmp_path / "data/awards/2025.csv").open(encoding="utf-8")))
    assert rows[-1][0] == "A-2025-0017" and rows[-1][1] == "2025"
    assert rows[-2][0] == "A-2025-0016"


def test_csv_rows_appended_with_guide_and_line_numbers(tmp_path):
    make_tree(tmp_path)  # products 2026: header + 2 rows
    result = run_cli("new", "product", "--year", "2026", "--count", "3", "--data", "data", cwd=tmp_path)
    assert result.returncode == 0
    rows = list(csv.DictReader((tmp_path / "data/products/2026.csv").open(encoding="utf-8")))
    assert [r["id"] for r in rows[-3:]] == ["P-2026-00003", "P-2026-00004", "P-2026-00005"]
    new = rows[-1]
    assert new["name"] == "待填写：产品/技术名称" and new["company"] == "待填写：企业（单位）名称"
    assert new["credit_code"] == "91330400000000000Q"  # valid checksum, obviously not a real company: rejected
    assert new["status"] == "待填写：公示" and new["summary"] == ""
    assert "  credit_code      统一社会信用代码（可空）= 91330400000000000Q   替换为营业执照上的 18 位代码，查不到就清空 / the 18-character code from the business licence, or empty it" in result.stdout
    assert "  kind             类别（必填）= 待填写：新产品   可选 / allowed: 新产品、新技术、新服务" in result.stdout
    assert result.stdout.rstrip().endswith("data/products/2026.csv:4–6: replace every 待填写 and example value, "
                                           "then run make validate")


def test_new_year_file_gets_a_header(tmp_path):
    make_tree(tmp_path)
    run_cli("new", "project", "--year", "2027", "--data", "data", cwd=tmp_path)
    lines = (tmp_path / "data/projects/2027.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,year,program,title,")
    assert lines[1].startswith("T-2027-0001,2027,")
    accept_every_suggestion(tmp_path / "data/projects/2027.csv")
    assert run_cli("validate", "data", "-q", cwd=tmp_path).returncode == 0


def test_crlf_and_missing_final_newline_are_kept_sane(tmp_path):
    data = make_tree(tmp_path)
    path = data / "products/2025.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))
    run_cli("new", "product", "--year", "2025", "--data", "data", cwd=tmp_path)
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == 6 and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.splitlines()[-1].startswith(b"P-2025-00005,2025,")
    path.write_bytes(raw.replace("待填写：".encode(), b"").replace(b"91330400000000000Q", b"")
                     .replace("企业（单位）名称".encode(), "示例智能传感科技有限公司".encode()))
    assert run_cli("validate", "data", "-q", cwd=tmp_path).returncode == 0


def test_dry_run_writes_nothing(tmp_path):
    data = make_tree(tmp_path)
    before = (data / "products/2026.csv").read_bytes()
    result = run_cli("new", "scene", "--year", "2026", "--dry-run", "--data", "data", cwd=tmp_path)
    assert "id: S-2026-002" in result.stdout and "将新建 / would create" in result.stdout
    assert not (data / "scenes/2026/S-2026-002.yaml").exists()
    run_cli("new", "product", "--year", "2026", "--dry-run", "--data", "data", cwd=tmp_path)
    assert (data / "products/2026.csv").read_bytes() == before


def test_unknown_dataset_and_year_out_of_range_explain_themselves(tmp_path):
    make_tree(tmp_path)
    result = run_cli("new", "prodcut", "--data", "data", cwd=tmp_path)
    assert result.returncode == 2
    lists = sorted(p.parent.name for p in (tmp_path / "data").glob("*/dataset.yaml"))  # the tree's lists
    assert f"没有名为“prodcut”的列表数据集；可用：{', '.join(lists)}" in result.stderr
    result = run_cli("new", "scene", "--year", "2040", "--data", "data", cwd=tmp_path)
    assert result.returncode == 2 and "年度 2040 超出允许范围 2025–2030" in result.stderr


def test_a_new_list_type_needs_no_python(tmp_path):
    """A table schema + dataset.yaml is enough for `new` (and the validator) to handle a new list."""
    data = make_tree(tmp_path)
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    (schemas / "pilots.schema.yaml").write_text(yaml.safe_dump({
        "title": "试点", "description": "Pilots.", "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["district"], "reference": {"resource": "districts", "fields": ["id"]}}],
        "fields": [
            {"name": "id", "title": "编号", "type": "string", "example": "X-2026-01",
             "constraints": {"required": True, "pattern": "X-20[0-9]{2}-[0-9]{2}"}},
            {"name": "year", "title": "年度", "type": "integer", "constraints": {"required": True}},
            {"name": "title", "title": "名称", "type": "string", "constraints": {"required": True, "minLength": 2}},
            {"name": "district", "title": "地区", "type": "string", "example": "330411", "constraints": {"required": True}},
            {"name": "stage", "title": "阶段", "type": "string", "constraints": {"required": True, "enum": ["申报", "运行"]}},
        ]}, allow_unicode=True), encoding="utf-8")
    meta = yaml.safe_load((data / "scenes/dataset.yaml").read_text(encoding="utf-8"))
    meta.update(name="pilots", title="试点", title_en="Pilots", schema="pilots.schema.yaml", files="{year}/{id}.yaml",
                id_template="X-{year}-{seq:02d}", display={"title": "title", "year": "year", "district": "district"})
    (data / "pilots").mkdir()
    (data / "pilots/dataset.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    result = run_cli("new", "pilots", "--year", "2026", "--count", "2", "--data", "data", "--schemas", "schemas",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    second = yaml.safe_load((data / "pilots/2026/X-2026-02.yaml").read_text(encoding="utf-8"))
    assert second == {"id": "X-2026-02", "year": 2026, "title": "待填写：名称", "district": "待填写：330411",
                      "stage": "待填写：申报"}
    check = run_cli("validate", "data", "--schemas", "schemas", "-q", cwd=tmp_path)
    assert check.returncode == 1 and check.stdout.count("草稿中的占位内容还没有替换") == 6, check.stdout
    for path in (data / "pilots/2026").iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace("待填写：", ""), encoding="utf-8")
    check = run_cli("validate", "data", "--schemas", "schemas", "-q", cwd=tmp_path)
    assert check.returncode == 0, check.stdout


def test_unreadable_file_stops_new_instead_of_guessing_an_id(tmp_path):
    data = make_tree(tmp_path)
    path = data / "products/2026.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))  # Excel's default save on Chinese Windows
    before = path.read_bytes()
    result = run_cli("new", "product", "--year", "2026", "--data", "data", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("✗ data/products/2026.csv 有读取错误，无法确定下一个编号；请先运行 make validate 并修正")
    assert "Traceback" not in result.stderr and path.read_bytes() == before
