"""Names cannot impersonate (issue 18): invisible and format characters, look-alike ideographs and letters, two
spellings of one company, and a credit code borrowed from another company. The invalid fixtures named after each
attack are in tests/test_validate.py (EXPECTED); here the rules themselves and what the build does with them."""

from __future__ import annotations

import sys
import unicodedata

from conftest import FIXTURES, make_tree, run_cli

from scripts.load.loader import load_catalog
from scripts.model import companies, names, textrules, vocab


def test_every_format_character_is_refused_by_the_one_invisible_rule():
    cf = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(cf) > 150 and all(textrules.INVISIBLE.match(c) for c in cf)  # LRM, RLM, ALM, tags … every Cf
    others = ["\u3164", "\u115f", "\u1160", "\uffa0",                      # Hangul fillers
              *map(chr, range(0xE0000, 0xE0080)),                          # tag characters
              *map(chr, range(0xFE00, 0xFE10)), *map(chr, range(0xE0100, 0xE01F0)),  # variation selectors
              "\u180b", "\u180c", "\u180d", "\u180f",                      # Mongolian free variation selectors
              "\u034f", "\u2800", "\u17b4", "\u17b5", "\u2028", "\u2029"]  # CGJ, braille blank, Khmer, separators
    assert [f"U+{ord(c):04X}" for c in others if not textrules.INVISIBLE.match(c)] == []
    assert not textrules.INVISIBLE.search("示例（嘉兴）科技有限公司 ABC-1 Nestlé é")  # ordinary text passes


def test_invisible_characters_do_not_make_a_second_name():
    # NFKC turns U+3164 into U+1160: the comparison key drops both, so the two spellings are one company
    assert vocab.normalise("示例智能传感科技\u3164有限公司") == vocab.normalise("示例智能传感科技有限公司")
    assert vocab.normalise("示例\u200e医疗器械\U000e0041有限公司") == vocab.normalise("示例医疗器械有限公司")


def test_company_names_compare_by_width_brackets_spaces_and_case():
    assert vocab.normalise("示例新能源（嘉兴）有限公司") == vocab.normalise("示例新能源(嘉兴) 有限公司")
    assert vocab.normalise("ABC示例科技") == vocab.normalise("ａｂｃ示例科技")
    assert vocab.normalise("示例新能源（嘉兴）有限公司") != vocab.normalise("示例新能源（杭州）有限公司")


def test_kangxi_radical_and_compatibility_ideograph_get_the_normal_character_as_hint():
    assert names.name_problem("\u2f70例") == ("name-variant-char", {"chars": "U+2F70", "shown": "\u2f70", "suggestion": "示例"})
    code, params = names.name_problem("示\uf9b5")
    assert code == "name-variant-char" and params["chars"] == "U+F9B5" and params["suggestion"] == "示例"
    assert names.name_problem("示例智能传感科技有限公司") is None


def test_combining_marks_are_refused_only_when_they_compose_with_nothing():
    assert names.name_problem("Nestle\u0301 示例") is None  # e + U+0301 composes to é
    assert names.name_problem("示例\u0301") == ("name-combining-mark", {"chars": "U+0301"})
    assert names.name_problem("\u20dd示例")[0] == "name-combining-mark"  # an enclosing mark alone


def test_confusable_skeletons_equal_for_look_alikes_only():
    same = [("ABC示例光电", "\u0410\u0412\u0421示例光电"),  # Cyrillic А В С
            ("示例1号", "示例l号"), ("示例O型", "示例0型"), ("示例rn", "示例m"), ("示例口", "示例ロ")]
    for a, b in same:
        assert names.skeleton(a) == names.skeleton(b), (a, b)
    for a, b in [("示例光电", "示例光学"), ("ABC示例", "ABD示例"), ("示例1号", "示例2号")]:
        assert names.skeleton(a) != names.skeleton(b), (a, b)


def test_credit_code_of_another_company_stops_the_build_and_never_reaches_its_page(tmp_path):
    data = make_tree(tmp_path, FIXTURES / "invalid" / "credit-code-of-another-company")
    result = run_cli("build", "--data", "data", "--out", "out", "-q", cwd=tmp_path)
    assert result.returncode == 1 and not (tmp_path / "out" / "site").exists()
    assert ("data/projects/2025.csv:3: credit_code: 该统一社会信用代码属于企业名录中的“示例数控机床股份有限公司”"
            "（data/registry/companies/companies.csv:8），不是“示例数控科技有限公司”的") in result.stdout + result.stderr
    # and even past the gate, the company pages keep the record off the victim's page
    catalog, _ = load_catalog(data)
    entries, of = companies.index(catalog)
    victim = entries["91330411MA2Q1CE507"]
    record = next(r for r in catalog.datasets["projects"].records if r.values["id"] == "T-2025-0002")
    assert record not in victim["records"]["projects"] and of[id(record)] != victim["slug"]
    assert entries[of[id(record)]]["name"] == "示例数控科技有限公司" and entries[of[id(record)]]["code"] is None
