"""Domain facts: GB 32100-2015 credit codes, amounts with units, hazards in text."""

import pytest

from scripts.model import checks


def test_weights_are_powers_of_three_mod_31():
    assert checks.CREDIT_WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


@pytest.mark.parametrize("code", ["91330402MA29GJ9Y6Y", "91330411MA2Q1CE507", "12330402BRK7T3DY47"])
def test_valid_credit_codes(code):
    assert checks.credit_code_problem(code) is None


@pytest.mark.parametrize("code, problem", [
    ("91330402MA29GJ9Y6X", ("credit-code-checksum", {"expected": "Y"})),
    ("91330411MA2Q1CE000", ("credit-code-checksum", {"expected": "2"})),  # Excel-truncated copy
    ("91330411MA2Q1CEO07", ("credit-code-chars", {"chars": "O"})),
    ("91330402MA29GJ9Y6", ("credit-code-length", {"length": 17})),
    ("9133040２MA29GJ9Y6Y", ("credit-code-chars", {"chars": "２"})),
])
def test_invalid_credit_codes(code, problem):
    assert checks.credit_code_problem(code) == problem


def test_make_credit_code_round_trips():
    code = checks.make_credit_code("91330402MA29GJ9Y6")
    assert code == "91330402MA29GJ9Y6Y"


@pytest.mark.parametrize("text, value", [
    ("100万", 1_000_000), ("100万元", 1_000_000), ("1.5亿", 150_000_000), ("1,500,000", 1_500_000),
    ("２００万", 2_000_000), ("30000元", 30_000), ("100", None), ("abc", None), ("1.5", None),
])
def test_amount_with_unit(text, value):
    assert checks.amount_with_unit(text) == value


def test_invisible_and_formula():
    assert checks.invisible_chars("a\u200bb\u202ec\ufeff") == ["U+200B", "U+202E", "U+FEFF"]
    assert checks.invisible_chars("普通文本") == []
    assert [checks.formula_start(t) for t in ("=1+1", "+86", "-5", "@SUM", "\tx", "示例")] == ["=", "+", "-", "@", "Tab", None]
    assert checks.non_ascii("Р-2025") == ["Р"]
    assert checks.ascii_suggestion("ＰＡ１２") == "PA12"
    assert checks.is_http_url("https://example.org/x") and not checks.is_http_url("javascript:alert(1)")
