"""The validator's messages themselves, for the mistakes contributors really make.

Each case edits one value of the tiny valid tree the way a contributor would get it wrong, runs the real CLI and
compares the printed line exactly: file:line, field, the bad value, the Chinese message with what to write
instead, then the English. The wording lives in scripts/messages/__init__.py; a change there must change these lines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import make_tree, run_cli

from scripts.messages import MESSAGES

# (defect, file under data/, text before, text after, the exact line `validate` prints)
CASES = [
    ('district-name-instead-of-code', 'products/2025.csv', ',330402,智能传感,量程', ',南湖区,智能传感,量程',
     'data/products/2025.csv:2: district: 在“地区”中找不到：“南湖区”（这里要写编号“330402”而不是名称；可选值见 data/registry/districts/districts.csv） | not found in districts: “南湖区” (write the id "330402" rather than the name; see data/registry/districts/districts.csv for allowed values)'),
    ('enum-typo-新产口', 'products/2025.csv', '2025,1,新产品,示例高精度', '2025,1,新产口,示例高精度',
     'data/products/2025.csv:2: kind: 不是允许的取值：“新产口”（是不是“新产品”？可选：新产品、新技术、新服务） | not an allowed value: “新产口” (did you mean "新产品"? allowed: 新产品、新技术、新服务)'),
    ('amount-with-wan', 'projects/2025.csv', ',2000000,', ',100万,',
     'data/projects/2025.csv:2: budget_yuan: 金额不能带单位或分隔符：“100万”（以“元”为单位写纯数字：1000000） | amounts must not contain units or separators: “100万” (write whole yuan as a bare number: 1000000)'),
    ('amount-with-yuan', 'projects/2025.csv', ',3000000,', ',3000000元,',
     'data/projects/2025.csv:3: budget_yuan: 金额不能带单位或分隔符：“3000000元”（以“元”为单位写纯数字：3000000） | amounts must not contain units or separators: “3000000元” (write whole yuan as a bare number: 3000000)'),
    ('required-csv-cell-empty', 'products/2025.csv', ',示例高精度压力传感器,', ',,',
     'data/products/2025.csv:2: name: 必填字段为空（填写产品/技术名称，例如 示例高精度压力传感器） | required field is empty (fill in Name, e.g. 示例高精度压力传感器)'),
    ('required-yaml-key-missing', 'scenes/2026/S-2026-001.yaml', 'owner: 示例智慧交通有限公司\n', '',
     'data/scenes/2026/S-2026-001.yaml:1: owner: 缺少必填字段“场景业主”（在文件中加一行 owner: …，例如 owner: 示例物流有限公司） | the required field Owner is missing (add a line owner: …, e.g. owner: 示例物流有限公司)'),
    ('yaml-unknown-key-typo', 'scenes/2026/S-2026-001.yaml', 'owner:', 'ower:',
     'data/scenes/2026/S-2026-001.yaml:8: ower: 未知字段：“ower”（是不是“owner”？允许的字段：id, year, title, type, domain, district, owner, lead_department, departments, description, needs, criteria, status, investment_yuan, products, list_title, doc_no, published_on, source_url） | unknown field: “ower” (did you mean "owner"? allowed fields: id, year, title, type, domain, district, owner, lead_department, departments, description, needs, criteria, status, investment_yuan, products, list_title, doc_no, published_on, source_url)'),
    ('yaml-unquoted-NO', 'scenes/2026/S-2026-001.yaml', 'owner: 示例智慧交通有限公司', 'owner: NO',
     'data/scenes/2026/S-2026-001.yaml:8: owner: 未加引号的 NO 会被 YAML 解析为布尔值（是/否），而这里需要文本：“NO”（加上引号：owner: "NO"） | unquoted NO is read by YAML as a boolean, but text is expected here: “NO” (quote it: owner: "NO")'),
    ('yaml-unquoted-district-code', 'scenes/2026/S-2026-001.yaml', 'district: "330483"', 'district: 330483',
     'data/scenes/2026/S-2026-001.yaml:7: district: 未加引号的 330483 会被 YAML 解析为整数，而这里需要文本：“330483”（加上引号：district: "330483"） | unquoted 330483 is read by YAML as an integer, but text is expected here: “330483” (quote it: district: "330483")'),
    ('credit-code-checksum', 'projects/2025.csv', '91330411MA2Q1CE507', '91330411MA2Q1CE508',
     'data/projects/2025.csv:3: credit_code: 统一社会信用代码校验位错误（按 GB 32100-2015 最后一位应为 7）：“91330411MA2Q1CE508”（对照营业执照逐位核对；以 000 结尾的代码常是被 Excel 截断的副本） | unified social credit code checksum fails (GB 32100-2015 expects last character 7): “91330411MA2Q1CE508” (check each character against the business licence; codes ending in 000 are often Excel-truncated copies)'),
    ('yaml-date-where-text', 'scenes/2026/S-2026-001.yaml', 'needs: 路侧感知设备、边缘计算单元、云控平台和高精度定位服务。', 'needs: 2026-01-05',
     'data/scenes/2026/S-2026-001.yaml:17: needs: 未加引号的 2026-01-05 会被 YAML 解析为日期，而这里需要文本：“2026-01-05”（加上引号：needs: "2026-01-05"） | unquoted 2026-01-05 is read by YAML as a date, but text is expected here: “2026-01-05” (quote it: needs: "2026-01-05")'),
    ('fullwidth-digits', 'projects/2025.csv', ',2000000,', ',２００００００,',
     'data/projects/2025.csv:2: budget_yuan: 编码/数字中含有非 ASCII 字符 ２０（全角字符或外文字母）：“２００００００”（切换到英文半角输入法重新输入，应为 2000000） | code or number contains non-ASCII character(s) ２０ (full-width or look-alike letters): “２００００００” (retype it with a half-width (ASCII) keyboard: 2000000)'),
    ('yaml-enum-typo', 'scenes/2026/S-2026-001.yaml', 'status: 发布', 'status: 已发布',
     'data/scenes/2026/S-2026-001.yaml:24: status: 不是允许的取值：“已发布”（是不是“发布”？可选：征集、公示、发布、建设中、已建成、撤销） | not an allowed value: “已发布” (did you mean "发布"? allowed: 征集、公示、发布、建设中、已建成、撤销)'),
    # issue 8: real lists
    ('real-tier-as-award-type', 'awards/2025.csv', ',国内“三首”产品,', ',省内首台（套）,',
     'data/awards/2025.csv:4: award_type: 在“奖励类型”中找不到：“省内首台（套）”（“省内首台（套）”是认定名单的档次和类别（省内首台（套）装备），不是奖励类型，请记入 recognitions；可选值见 data/registry/award-types/award-types.csv） | not found in award-types: “省内首台（套）” ("省内首台（套）" is a recognition tier and list kind (省内首台（套）装备), not a value of award-types: record it in recognitions; see data/registry/award-types/award-types.csv for allowed values)'),
    ('district-closest-entry', 'recognitions/2025.csv', ',330402,认定', ',嘉兴港,认定',
     'data/recognitions/2025.csv:3: district: 在“地区”中找不到：“嘉兴港”（最接近的是“浙江乍浦经济开发区（嘉兴港区）（编号 JX-PORT）”；可选值见 data/registry/districts/districts.csv） | not found in districts: “嘉兴港” (the closest is "浙江乍浦经济开发区（嘉兴港区） (id JX-PORT)"; see data/registry/districts/districts.csv for allowed values)'),
    ('nbsp-in-company-name', 'recognitions/2025.csv', ',示例重型装备有限公司,', ',示例重型装备\xa0有限公司,',
     'data/recognitions/2025.csv:4: company: 名称或文字前后有空格，或含全角空格/不间断空格：“示例重型装备\\xa0有限公司”（删除多余的空格，应为：示例重型装备有限公司） | leading/trailing spaces, or a full-width or no-break space: “示例重型装备\\xa0有限公司” (remove the extra spaces: 示例重型装备有限公司)'),
    ('amount-zero-while-paid', 'awards/2025.csv', ',3000000,,2025-07-15,已拨付', ',0,,2025-07-15,已拨付',
     'data/awards/2025.csv:2: amount_yuan: 状态为“已拨付”时奖励金额(元)不能为 0：“0”（填写实际金额；尚未确定时状态应为公示或认定） | Amount (yuan) cannot be 0 once the status is 已拨付: “0” (write the real amount; if it is not known yet the status is still 公示 or 认定)'),
    ('placeholder-credit-code', 'products/2025.csv', '91330402MA29GJ9Y6Y,330402,智能传感,量程', '91330402000000000M,330402,智能传感,量程',
     'data/products/2025.csv:2: credit_code: 草稿中的占位内容还没有替换：“91330402000000000M”（这是 new 写入的占位代码：填写营业执照上的代码，不知道就留空） | a draft placeholder has not been replaced: “91330402000000000M” (new wrote this placeholder code: write the code from the business licence, or leave it empty)'),
    ('industry-closest-entry', 'products/2025.csv', ',330402,智能传感,量程', ',330402,纳米材料,量程',
     'data/products/2025.csv:2: industry: 在“产业领域”中找不到：“纳米材料”（最接近的是“新材料”；可选值见 data/registry/industries/industries.csv） | not found in industries: “纳米材料” (the closest is "新材料"; see data/registry/industries/industries.csv for allowed values)'),
    # issue 18: names cannot impersonate
    ('hangul-filler-in-company-name', 'products/2025.csv', ',示例智能传感科技有限公司,91330402MA29GJ9Y6Y,330402,智能传感,量程', ',示例智能传感科技\u3164有限公司,91330402MA29GJ9Y6Y,330402,智能传感,量程',
     'data/products/2025.csv:2: company: 含有不可见字符 U+3164：“示例智能传感科技\\u3164有限公司”（删除这些不可见字符（通常来自网页或 Word 复制），重新输入该单元格） | contains invisible character(s) U+3164: “示例智能传感科技\\u3164有限公司” (delete the invisible characters (often pasted from web pages or Word) by retyping the cell)'),
    ('kangxi-radical-in-company-name', 'products/2025.csv', ',示例智能传感科技有限公司,91330402MA29GJ9Y6Y,330402,智能传感,量程', ',\u2f70例智能传感科技有限公司,91330402MA29GJ9Y6Y,330402,智能传感,量程',
     'data/products/2025.csv:2: company: 名称含有部首或兼容汉字 U+2F70（⽰），看起来与通常的汉字相同：“⽰例智能传感科技有限公司”（改为通常的汉字：“示例智能传感科技有限公司”；这类字符常见于从 PDF 复制的文字） | the name holds radical or compatibility ideograph(s) U+2F70 (⽰) that look like ordinary characters: “⽰例智能传感科技有限公司” (write the ordinary characters: "示例智能传感科技有限公司"; they often come from text copied out of PDFs)'),
    ('credit-code-of-another-company', 'projects/2025.csv', ',示例数控机床股份有限公司,企业,', ',示例工业软件有限公司,企业,',
     'data/projects/2025.csv:3: credit_code: 该统一社会信用代码属于企业名录中的“示例数控机床股份有限公司”（data/registry/companies/companies.csv:8），不是“示例工业软件有限公司”的：“91330411MA2Q1CE507”（按营业执照改正代码；若“示例工业软件有限公司”是“示例数控机床股份有限公司”的曾用名或简称，把它加入 data/registry/companies/companies.csv:8 那一行的 aliases） | the credit code belongs to 示例数控机床股份有限公司 in the companies registry (data/registry/companies/companies.csv:8), not to 示例工业软件有限公司: “91330411MA2Q1CE507” (correct the code from the business licence; if 示例工业软件有限公司 is a former or short name of 示例数控机床股份有限公司, add it to the aliases of the row at data/registry/companies/companies.csv:8)'),
    ('company-name-spelled-otherwise-than-registry', 'recognitions/2025.csv', ',示例数控机床股份有限公司,', ',示例数控机床股份 有限公司,',
     'data/recognitions/2025.csv:2: company: 企业名称与企业名录的写法不同（全角半角、括号、空格或大小写）：“示例数控机床股份 有限公司”（按企业名录写作“示例数控机床股份有限公司”） | the company name is spelled differently from the companies registry (width, brackets, spaces or case): “示例数控机床股份 有限公司” (write it as in the companies registry: "示例数控机床股份有限公司")'),
]

LINE = re.compile(r"^(?P<path>data/[^:]+):(?P<line>\d+): (?P<field>[a-z_]+): (?P<zh>[^|]+) \| (?P<en>.+)$")


def report(tmp_path, file: str, old: str, new: str) -> list[str]:
    data = make_tree(tmp_path)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_cli("validate", "data", "-q", cwd=tmp_path)
    assert result.returncode == 1
    return result.stdout.splitlines()


@pytest.mark.parametrize("defect, file, old, new, expected", CASES, ids=[c[0] for c in CASES])
def test_message_line(defect, file, old, new, expected, tmp_path):
    lines = report(tmp_path, file, old, new)
    assert lines[:-1] == [expected]  # exactly one problem: no cascade of follow-up errors
    assert lines[-1].startswith("✗ 校验未通过：1 个错误，涉及 1 个文件") and "| invalid: 1 error in 1 file" in lines[-1]


@pytest.mark.parametrize("defect, file, old, new, expected", CASES, ids=[c[0] for c in CASES])
def test_message_names_file_line_field_value_and_both_languages(defect, file, old, new, expected):
    m = LINE.match(expected)
    assert m, expected
    assert m["path"] == f"data/{file}"
    assert re.search(r"[\u4e00-\u9fff]", m["zh"]) and re.search(r"[A-Za-z]{3,}", m["en"])
    assert "（" in m["zh"] and " (" in m["en"]  # both carry a hint: what to write instead
    if not defect.startswith("required"):  # an empty or missing field has no value to show
        assert "“" in m["zh"] and "“" in m["en"]  # the bad value, quoted, in both languages


def test_a_real_tier_typed_as_award_type_never_suggests_the_hydrogen_award(tmp_path):
    line = report(tmp_path, "awards/2025.csv", ",国内“三首”产品,", ",省内首台（套）,")[0]
    assert "氢能" not in line and "是不是" not in line and "did you mean" not in line
    assert "是认定名单的档次和类别（省内首台（套）装备）" in line


def test_every_message_has_both_languages_and_a_hint():
    for code, (zh, en, hint_zh, hint_en) in MESSAGES.items():
        assert re.search(r"[\u4e00-\u9fff]", zh + hint_zh), code
        assert en.isascii() or "{" in en, code
        assert hint_zh and hint_en, f"{code} says what is wrong but not what to write instead"


def test_invisible_characters_are_shown_not_hidden(tmp_path):
    lines = report(tmp_path, "products/2025.csv", "示例高精度压力传感器", "示例高精度\u200b压力传感器")
    assert lines[0] == ("data/products/2025.csv:2: name: 含有不可见字符 U+200B：“示例高精度\\u200b压力传感器”"
                        "（删除这些不可见字符（通常来自网页或 Word 复制），重新输入该单元格） | contains invisible "
                        "character(s) U+200B: “示例高精度\\u200b压力传感器” (delete the invisible characters "
                        "(often pasted from web pages or Word) by retyping the cell)")


def test_message_parts_never_share_a_code():
    """MESSAGES is assembled from parts (scripts/messages*.py): a code defined twice would silently win once."""
    from scripts import messages
    from scripts.messages import importer as messages_import
    from scripts.messages import reading as messages_reading
    from scripts.messages import rules as messages_rules

    parts = [messages_reading.READING_MESSAGES, messages_import.IMPORT_MESSAGES, messages_rules.RULE_MESSAGES]
    own = {k for k in messages.MESSAGES if not any(k in p for p in parts)}
    assert sum(map(len, parts)) + len(own) == len(MESSAGES)
    seen: dict[str, int] = {}
    for i, part in enumerate(parts):
        for code in part:
            assert code not in seen, f"{code} in two message parts"
            seen[code] = i
    text = Path(messages.__file__).read_text(encoding="utf-8")
    assert not any(f'    "{code}":' in text for code in seen), "a code of a part is also written in messages.py"
