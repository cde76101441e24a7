"""The validation gate: every invalid fixture (named after its defect) gives exactly the expected report."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FIXTURES, REPO, make_tree, run_cli

from scripts.load.loader import load_catalog
from scripts.model import checks
from scripts.validate.validator import validate_catalog

# defect -> flattened report: (file relative to data/, line, field, message code); errors only
EXPECTED = {
    "amount-with-unit": [("projects/2025.csv", 2, "budget_yuan", "amount-unit")],
    "assertion-min-rows": [("products/dataset.yaml", 28, "assertions.min", "too-few-rows")],
    "award-fixed-amount-wrong": [("awards/2025.csv", 4, "amount_yuan", "award-fixed")],
    "award-over-cap": [("awards/2025.csv", 2, "amount_yuan", "award-cap")],
    "award-type-cap-empty": [("registry/award-types/award-types.csv", 2, "cap_yuan", "award-type-number")],
    "award-type-cap-not-a-number": [("registry/award-types/award-types.csv", 2, "cap_yuan", "award-type-number"),
                                    ("registry/award-types/award-types.csv", 2, "cap_yuan", "type")],
    "award-type-ratio-nan": [("registry/award-types/award-types.csv", 9, "premium_ratio_max", "award-type-number"),
                             ("registry/award-types/award-types.csv", 9, "premium_ratio_max", "number-range")],
    "bad-file-name": [("products/2025年.csv", 1, "-", "bad-path")],
    "batch-not-integer": [("products/2025.csv", 3, "batch", "type")],
    "bidi-control": [("products/2025.csv", 5, "name", "invisible-char")],
    "budget-400-nines": [("projects/2025.csv", 2, "budget_yuan", "number-range")],
    "cell-over-32767-characters": [("products/2025.csv", 2, "summary", "cell-too-long")],
    "credit-code-checksum": [("products/2025.csv", 2, "credit_code", "credit-code-checksum")],
    "credit-code-excel-truncated": [("products/2025.csv", 4, "credit_code", "credit-code-checksum")],
    "credit-code-letter-o": [("projects/2025.csv", 3, "credit_code", "credit-code-chars")],
    "cyrillic-lookalike-in-id": [
        ("awards/2025.csv", 3, "product_id", "unknown-reference"),
        ("awards/2025.csv", 6, "product_id", "unknown-reference"),
        ("products/2025.csv", 2, "id", "non-ascii-code"),
        ("scenes/2025/S-2025-001.yaml", 22, "products", "unknown-reference"),
    ],
    "district-name-instead-of-code": [("products/2025.csv", 2, "district", "unknown-reference")],
    "duplicate-dataset-name": [
        ("products-copy/2027.csv", 2, "credit_code", "credit-code-checksum"),  # the second dataset is checked too
        ("products-copy/dataset.yaml", 2, "name", "duplicate-dataset"),
        ("products/dataset.yaml", 2, "name", "duplicate-dataset"),
    ],
    "duplicate-id-across-years": [("products/2026.csv", 3, "id", "duplicate-id"), ("products/2026.csv", 3, "id", "id-year")],
    "end-before-start": [("projects/2025.csv", 2, "end", "date-order")],
    "files-template-repeats-placeholder": [("products/2025.csv", 1, "-", "bad-path"), ("products/2026.csv", 1, "-", "bad-path"),
                                           ("products/dataset.yaml", 28, "assertions.min", "too-few-rows")],
    "formula-leading-cell": [("products/2025.csv", 4, "name", "formula")],
    "fullwidth-digits-amount": [("awards/2025.csv", 3, "amount_yuan", "non-ascii-code")],
    "gbk-encoded-csv": [("products/2025.csv", 2, "-", "not-utf8")],
    "id-does-not-match-file-name": [("scenes/2025/S-2025-001.yaml", 2, "id", "path-mismatch")],
    "id-template-unknown-placeholder": [("products/dataset.yaml", 15, "id_template", "meta-reference")],
    "id-wrong-pattern": [
        ("awards/2025.csv", 4, "product_id", "unknown-reference"),
        ("awards/2025.csv", 5, "product_id", "unknown-reference"),
        ("products/2025.csv", 4, "id", "pattern"),
    ],
    "javascript-url": [("products/2025.csv", 3, "source_url", "url-scheme")],
    "kind-not-in-enum": [("products/2025.csv", 2, "kind", "enum")],
    "licence-path-html-breakout": [("products/dataset.yaml", 23, "licence.path", "url-unsafe")],
    "licence-path-markdown-link-breakout": [("products/dataset.yaml", 23, "licence.path", "url-unsafe")],
    "meta-names-unknown-field": [("projects/dataset.yaml", 30, "rules.0.end", "meta-reference"),
                                 ("projects/dataset.yaml", 37, "display.list_columns.2", "meta-reference")],
    "meta-unknown-key-in-rules": [("projects/dataset.yaml", 30, "rules.0.strict", "metadata")],
    "metadata-missing-licence": [("products/dataset.yaml", 1, "-", "metadata"), ("products/dataset.yaml", 20, "licensed", "metadata")],
    "publisher-path-javascript": [("products/dataset.yaml", 19, "publisher.path", "url-scheme")],
    "premium-company-year-over-cap": [("awards/2025.csv", 7, "amount_yuan", "premium-company-year")],
    "premium-over-90-percent": [("awards/2025.csv", 6, "amount_yuan", "premium-ratio")],
    "ragged-row": [("products/2025.csv", 3, "-", "ragged-row")],
    "registry-text-over-32767-characters": [("registry/measures/measures.csv", 2, "summary", "cell-too-long")],
    "required-name-empty": [("products/2025.csv", 5, "name", "required")],
    "source-path-with-space": [("products/dataset.yaml", 26, "sources.0.path", "url-unsafe")],
    "source-url-attribute-breakout": [("products/2025.csv", 3, "source_url", "url-unsafe")],
    "target-value-1e309": [("registry/targets/targets.csv", 2, "value", "number-range")],
    # issue 17: a target declares what it counts (period, list, stages, filter, place), checked against the data tree
    "target-dataset-unknown": [("registry/targets/targets.csv", 13, "dataset", "target-dataset")],
    "target-filter-field-unknown": [("registry/targets/targets.csv", 13, "where_field", "target-field")],
    "target-filter-value-unknown": [("registry/targets/targets.csv", 13, "where_values", "target-value")],
    "target-period-reversed": [("registry/targets/targets.csv", 2, "deadline", "date-order")],
    "target-rule-names-unknown-field": [("registry/targets/dataset.yaml", 26, "rules.1.stages.0", "meta-reference")],
    "target-scope-unknown": [("registry/targets/targets.csv", 13, "scope", "target-scope")],
    "target-stage-counted-and-pending": [("registry/targets/targets.csv", 4, "pending_stages", "target-stage-twice")],
    "target-stage-not-in-dataset": [("registry/targets/targets.csv", 13, "stages", "target-stage")],
    "target-without-stages": [("registry/targets/targets.csv", 13, "stages", "target-stages-missing")],
    "reserved-dataset-name": [("statistics/dataset.yaml", 2, "name", "reserved-name")],
    "schema-absolute-path": [("projects/dataset.yaml", 12, "schema", "schema-outside")],
    "schema-path-outside-schemas": [("products/dataset.yaml", 12, "schema", "schema-outside")],
    "stray-file-in-dataset-folder": [("products/.hidden.csv", 1, "-", "bad-path"), ("products/notes/draft.txt", 1, "-", "bad-path")],
    "stray-folder-without-dataset-yaml": [("product/2027.csv", 1, "-", "stray-file")],
    "unbalanced-quote": [("products/2025.csv", 3, "-", "ragged-row")],
    "unknown-award-type": [("awards/2025.csv", 4, "award_type", "unknown-reference")],
    "unknown-column-typo": [("products/2025.csv", 1, "recomended_by", "unknown-column")],
    "unknown-department": [("products/2025.csv", 3, "recommended_by", "unknown-reference")],
    "unknown-industry": [("products/2025.csv", 4, "industry", "unknown-reference")],
    "unknown-product-reference": [("scenes/2025/S-2025-001.yaml", 22, "products", "unknown-reference")],
    "yaml-anchor-alias": [("scenes/2025/S-2025-001.yaml", 10, "-", "yaml-anchor"), ("scenes/2025/S-2025-001.yaml", 12, "-", "yaml-anchor")],
    "yaml-complex-key": [("scenes/2025/S-2025-001.yaml", 9, "-", "yaml-complex-key")],
    "yaml-criteria-not-list": [("scenes/2025/S-2025-001.yaml", 16, "criteria", "yaml-expected-list")],
    "yaml-date-where-text": [("scenes/2025/S-2025-001.yaml", 15, "needs", "yaml-implicit-type")],
    "yaml-duplicate-key": [("scenes/2025/S-2025-001.yaml", 21, "status", "yaml-duplicate-key")],
    "yaml-octal-number": [("scenes/2025/S-2025-001.yaml", 21, "investment_yuan", "yaml-octal")],
    "yaml-tag-binary": [("scenes/2025/S-2025-001.yaml", 15, "-", "yaml-tag")],
    "yaml-tag-custom": [("scenes/2025/S-2025-001.yaml", 8, "-", "yaml-tag")],
    "yaml-unknown-key-typo": [("scenes/2025/S-2025-001.yaml", 9, "lead_departmnet", "unknown-field")],
    "yaml-unquoted-district-code": [("scenes/2025/S-2025-001.yaml", 7, "district", "yaml-implicit-type")],
    "yaml-unquoted-no": [("scenes/2025/S-2025-001.yaml", 8, "owner", "yaml-implicit-type")],
    "year-does-not-match-file": [("projects/2025.csv", 3, "id", "id-year"), ("projects/2025.csv", 3, "year", "path-mismatch")],
    "zero-width-space": [("products/2025.csv", 2, "company", "invisible-char")],
    # issue 8: what real data gets wrong
    "untouched-new-draft": [('products/2026.csv', 4, 'batch', 'placeholder'), ('products/2026.csv', 4, 'company', 'placeholder'), ('products/2026.csv', 4, 'credit_code', 'placeholder'), ('products/2026.csv', 4, 'kind', 'placeholder'), ('products/2026.csv', 4, 'name', 'placeholder'), ('products/2026.csv', 4, 'recommended_by', 'placeholder'), ('products/2026.csv', 4, 'status', 'placeholder')],
    "same-recognition-awarded-twice": [('awards/2025.csv', 8, 'recognition_id', 'awarded-twice')],
    "award-tier-does-not-match-recognition": [('awards/2025.csv', 4, 'award_type', 'award-tier-mismatch')],
    "recognition-at-two-tiers": [('recognitions/2025.csv', 7, 'tier', 'two-tiers')],
    "award-for-another-companys-product": [('awards/2025.csv', 3, 'product_id', 'other-company')],
    "approval-date-years-before-list-year": [('awards/2025.csv', 4, 'approved_on', 'date-before-year')],
    "amount-zero-while-paid": [('awards/2025.csv', 2, 'amount_yuan', 'zero-at-stage')],
    "amount-missing-once-confirmed": [('awards/2025.csv', 7, 'amount_yuan', 'required-at-stage'), ('awards/2025.csv', 7, 'approved_on', 'required-at-stage')],
    "spaces-and-nbsp-in-names": [('recognitions/2025.csv', 2, 'product', 'whitespace'), ('recognitions/2025.csv', 3, 'company', 'whitespace'), ('recognitions/2025.csv', 4, 'company', 'whitespace')],
    "example-false-with-example-rows": [('recognitions/2025.csv', 2, 'product', 'example-in-real-data'), ('recognitions/2025.csv', 3, 'product', 'example-in-real-data'), ('recognitions/2025.csv', 4, 'product', 'example-in-real-data'), ('recognitions/2025.csv', 5, 'product', 'example-in-real-data'), ('recognitions/2025.csv', 6, 'product', 'example-in-real-data')],
    "real-tier-typed-as-award-type": [('awards/2025.csv', 4, 'award_type', 'unknown-reference')],
    "tier-not-in-list-kind": [('recognitions/2025.csv', 6, 'tier', 'tier-not-in-kind')],
    "stage-change-added-a-row": [('recognitions/2025.csv', 7, 'product', 'listed-twice')],
    "unknown-district-spelling": [('recognitions/2025.csv', 3, 'district', 'unknown-reference')],
    "credit-code-differs-from-registry": [('recognitions/2025.csv', 6, 'credit_code', 'credit-code-of-another-company')],
    "status-declaration-misses-a-stage": [('recognitions/dataset.yaml', 36, 'display.status', 'status-declaration')],
    "role-names-unknown-field": [("products/dataset.yaml", 34, "display.district", "meta-reference")],
    "award-rule-names-unknown-field": [("awards/dataset.yaml", 29, "rules.0.amount", "meta-reference")],
    "registry-role-unknown": [("registry/award-types/dataset.yaml", 4, "role", "metadata")],
    # issue 18: names cannot impersonate (an invisible or look-alike name is refused, and a second row of one company)
    "company-name-hangul-filler": [("registry/companies/companies.csv", 30, "name", "company-name-duplicate"), ("registry/companies/companies.csv", 30, "name", "invisible-char")],
    "company-name-tag-characters": [("registry/companies/companies.csv", 30, "name", "company-name-duplicate"), ("registry/companies/companies.csv", 30, "name", "invisible-char")],
    "company-name-bidi-mark": [("registry/companies/companies.csv", 30, "name", "company-name-duplicate"), ("registry/companies/companies.csv", 30, "name", "invisible-char")],
    "company-name-variation-selector": [("registry/companies/companies.csv", 30, "name", "company-name-duplicate"), ("registry/companies/companies.csv", 30, "name", "invisible-char")],
    "company-name-combining-mark": [("registry/companies/companies.csv", 30, "name", "name-combining-mark")],
    "company-name-kangxi-radical": [("products/2025.csv", 3, "company", "name-variant-char")],
    "company-name-compatibility-ideograph": [("recognitions/2025.csv", 3, "company", "name-variant-char")],
    "company-names-differ-only-in-bracket-width": [("registry/companies/companies.csv", 31, "name", "company-name-duplicate")],
    "company-name-differs-from-registry-spelling": [("recognitions/2025.csv", 2, "company", "company-name-spelling")],
    "company-name-confusable-with-another": [("registry/companies/companies.csv", 31, "name", "company-name-confusable")],
    "credit-code-of-another-company": [("projects/2025.csv", 3, "credit_code", "credit-code-of-another-company")],
    "registry-row-with-another-companys-credit-code": [("registry/companies/companies.csv", 30, "credit_code", "credit-code-of-another-company")],
    "real-record-without-source": [('projects/2025.csv', 2, 'lead_org', 'example-in-real-data'), ('projects/2025.csv', 3, 'list_title', 'source-required'), ('projects/2025.csv', 3, 'source_url', 'source-required')],
}


def report(data: Path, severity: str = "error", schemas: Path = REPO / "schemas") -> list[tuple]:
    catalog, problems = load_catalog(data, schemas)
    problems += validate_catalog(catalog)
    return sorted({(_relative(Path(p.path), data), p.line, p.field, p.code) for p in problems if p.severity == severity})


def _relative(path: Path, data: Path) -> str:
    """path relative to data, resolving its folder but never the entry itself (which may be a link)."""
    return (path.parent.resolve() / path.name).relative_to(data.resolve()).as_posix()


def test_every_invalid_fixture_has_an_expectation():
    assert sorted(p.name for p in (FIXTURES / "invalid").iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("defect", sorted(EXPECTED))
def test_invalid_fixture_report(defect, tmp_path):
    data = make_tree(tmp_path, FIXTURES / "invalid" / defect)
    assert report(data) == sorted(EXPECTED[defect])


def test_tiny_valid_tree_is_valid(tree):
    assert report(tree) == []
    assert report(tree, "warning") == []


@pytest.mark.parametrize("variant", sorted(p.name for p in (FIXTURES / "valid-variants").iterdir()))
def test_valid_variants_pass(variant, tmp_path):
    """A UTF-8 BOM and CRLF line endings (Excel's CSV UTF-8) are tolerated; so are the shapes of real lists (no
    credit codes, companies outside Jiaxing or Zhejiang, no region column, batch 29, a 公示 award without amount)."""
    data = make_tree(tmp_path, FIXTURES / "valid-variants" / variant)
    assert report(data) == []
    assert report(data, "warning") == []


def test_shipped_data_is_valid():
    result = run_cli("validate", "-q")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("✓ 校验通过") and "| valid:" in result.stdout


def test_all_errors_in_one_run_with_file_line_field_value_and_hints(tmp_path):
    defects = ["credit-code-checksum", "yaml-unquoted-no", "end-before-start", "award-over-cap"]
    make_tree(tmp_path, *(FIXTURES / "invalid" / d for d in defects))
    result = run_cli("validate", "data", "-q", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5  # four problems + the summary line
    assert lines[-1].startswith("✗ 校验未通过：4 个错误，涉及 4 个文件") and "invalid: 4 errors in 4 files" in lines[-1]
    for line in lines[:-1]:
        # path:line: field: 中文：“value”（提示） | English: “value” (hint)
        assert re.match(r"^data/\S+:\d+: \w+: .+：“.+”（.+） \| .+: “.+” \(.+\)$", line), line
    assert lines[0].startswith("data/awards/2025.csv:2: amount_yuan: 超过“概念验证中心和中试基地”的政策上限 5000000 元："
                               "“6000000”（金额不得超过 5000000（依据：支持有条件的高校院所")
    assert ('| above the policy cap of 5000000 yuan for "概念验证中心和中试基地": “6000000” '
            "(the amount may not exceed 5000000 (policy: 支持有条件的") in lines[0]
    assert ("data/scenes/2025/S-2025-001.yaml:8: owner: 未加引号的 NO 会被 YAML 解析为布尔值（是/否），而这里需要文本：“NO”"
            '（加上引号：owner: "NO"） | unquoted NO is read by YAML as a boolean, but text is expected here: “NO” '
            '(quote it: owner: "NO")') in lines


def test_only_reports_the_named_datasets(tmp_path):
    make_tree(tmp_path, FIXTURES / "invalid" / "credit-code-checksum", FIXTURES / "invalid" / "end-before-start")
    result = run_cli("validate", "data", "-q", "--only", "projects", cwd=tmp_path)
    assert result.returncode == 1
    assert [ln.split(":")[0] for ln in result.stdout.splitlines()[:-1]] == ["data/projects/2025.csv"]


def test_warnings_do_not_fail(tmp_path):
    """A credit code registered in another Jiaxing district is a review flag, not an error."""
    data = make_tree(tmp_path)
    path = data / "projects" / "2025.csv"
    text = path.read_text(encoding="utf-8")
    # T-2025-0001's company is registered in 330402 (南湖区); say it is in 秀洲区 (330411)
    path.write_text(text.replace("91330402MA29GJ9Y6Y,330402,", "91330402MA29GJ9Y6Y,330411,", 1), encoding="utf-8")
    assert report(data) == []
    assert report(data, "warning") == [("projects/2025.csv", 2, "credit_code", "credit-code-district")]
    result = run_cli("validate", "data", "-q", cwd=tmp_path)
    assert result.returncode == 0 and "提示/warning" in result.stdout


def test_generated_fixture_validates(tmp_path):
    result = run_cli("fixture", "--products", "600", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "products 600" in result.stdout
    assert len((tmp_path / "data" / "products" / "2027.csv").read_text(encoding="utf-8").splitlines()) == 201
    result = run_cli("validate", tmp_path / "data", "-q")
    assert result.returncode == 0, result.stdout[-2000:]


def test_2027_fixture_has_recognitions_of_every_tier_and_stage(tmp_path):
    """The 1x (2027-shape) fixture: at least 400 recognitions a year, every tier and stage, awards paying for them."""
    import csv
    from collections import Counter
    result = run_cli("fixture", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    for year in (2025, 2026, 2027):
        rows = list(csv.DictReader((tmp_path / f"data/recognitions/{year}.csv").open(encoding="utf-8")))
        assert len(rows) >= 400
        assert set(Counter(r["tier"] for r in rows)) == {"国际", "国内", "省内", ""}
        assert set(Counter(r["stage"] for r in rows)) == {"公示", "拟认定", "认定", "撤销"}
        assert any(not r["district"] for r in rows) and all(not r["credit_code"] for r in rows)
        awards = list(csv.DictReader((tmp_path / f"data/awards/{year}.csv").open(encoding="utf-8")))
        paid = [a for a in awards if a["recognition_id"]]
        assert len(paid) > 50 and len({a["recognition_id"] for a in paid}) == len(paid)  # 省内 gets none
        assert any(a["status"] == "公示" and not a["amount_yuan"] for a in awards)
    companies = list(csv.DictReader((tmp_path / "data/registry/companies/companies.csv").open(encoding="utf-8")))
    assert any(not c["credit_code"] for c in companies) and any(c["province"] != "浙江省" for c in companies)


def test_fixture_is_deterministic(tmp_path):
    for name in ("a", "b"):
        assert run_cli("fixture", "--products", "300", "--out", tmp_path / name).returncode == 0
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)


def test_help_on_every_command():
    from scripts.__main__ import COMMANDS
    for name in COMMANDS:
        result = run_cli(name, "--help")
        assert result.returncode == 0 and "usage: python -m scripts " + name in result.stdout, name


HAZARDS = ["=1+1", "+86", "-5", "@SUM(A1)", "\tx", "\rx", " 前导空格", "末尾空格 ", "全角\u3000空格", "不换行\u00a0空格",
           "零宽\u200b字符", "软\u00ad连字符", "控制\x07字符", "待填写：企业名称", "913304000000000000", "１２３",
           "100万", "1,500,000", "1e309", "9999999999999999", "12.5", "-3", "", "多行\n=文本", "多行\n文本",
           "２０２５-01-01", "ＡＢＣ", "x" * 32_800, "http://例子.中国", "javascript:alert(1)",
           "https://example.org/a b", "91330400MA2B3C4D5E", "91330402MA29G1X06Q"]
GOOD_CODE = "91330402MA29G1X06" + checks.credit_check_char("91330402MA29G1X06")
CLEAN = {"string": ["智能传感器", "嘉兴 南湖区"], "list": ["智能传感器"], "integer": ["2025", "330402"],
         "number": ["100", "2500000"], "date": ["2025-01-01"], "code": ["330402", "P-2025-00001"],
         "credit_code": [GOOD_CODE, GOOD_CODE], "http_url": ["https://example.org/x"], "boolean": ["true"]}


@pytest.mark.parametrize("ftype,checks_", [("string", []), ("list", []), ("integer", []), ("number", []),
                                            ("date", []), ("string", ["code"]), ("string", ["credit_code"]),
                                            ("string", ["http_url"]), ("boolean", [])])
def test_the_column_screen_never_hides_a_problem(ftype, checks_, monkeypatch):
    # check_cells skips the item-by-item checks of a column that passes a screen over the whole column: with the
    # screen on and off it must report exactly the same problems, for every hazard among clean values
    from scripts.model.catalog import Record
    from scripts.validate import cells as validate_cells

    clean = CLEAN[checks_[0] if checks_ else ftype]
    assert validate_cells.screen_column(clean, ftype, set(checks_))  # a clean column takes the fast path

    def problems(screen: bool) -> list:
        if not screen:
            monkeypatch.setattr(validate_cells, "screen_column", lambda *a: False)
        found = []
        for hazard in [None, *HAZARDS]:
            values = clean + ([hazard] if hazard is not None else [])
            records = [Record("data/x/2025.csv", n + 2, {"v": [v, "列表"] if ftype == "list" else v})
                       for n, v in enumerate(values)]
            dataset = SimpleNamespace(fields=[{"name": "v", "type": ftype, "x-checks": checks_}], records=records)
            found.append(sorted((p.line, p.code) for p in validate_cells.check_cells(dataset, set())))
        monkeypatch.undo()
        return found

    on, off = problems(True), problems(False)
    assert on == off
    assert off[0] == [] and sum(map(len, off)) >= 5  # clean alone is clean; the hazards are really found
