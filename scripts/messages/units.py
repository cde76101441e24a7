"""Messages about units (scripts/model/units.py): a money field without a declared unit, totals that mix units, a title
that names another unit than the field declares, and the conversions that cannot be exact (raised as UnitError by
units.to_field_unit, for the importer to report). Each entry: code -> (zh, en, hint_zh, hint_en)."""

UNIT_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "money-unit-missing": (
        "金额字段 {name} 没有声明单位",
        "the money field {name} declares no unit",
        "在 {schema} 的字段 {name} 下加一行 x-unit: 元（或 万元、亿元、元/年，与数值所用单位一致）",
        "add a line x-unit: 元 (or 万元, 亿元, 元/年: the unit its values are written in) under field {name} in {schema}",
    ),
    "money-unit-mixed": (
        "合计的金额字段单位不同类，不能相加：{units}",
        "the totalled money fields have units that cannot be added: {units}",
        "只合计同一类单位（元、万元、亿元可以换算相加）；按年计的金额（元/年）移到 display.other_money",
        "total one family of units only (元, 万元 and 亿元 convert); move rates (元/年) to display.other_money",
    ),
    "unit-title-mismatch": (
        "标题写的单位“{title_unit}”与 x-unit: {unit} 不一致",
        "the title says {title_unit} but the field declares x-unit: {unit}",
        "改正其中一个：数值按 x-unit 的单位存储、换算和显示",
        "correct one of them: values are stored, converted and shown in the x-unit's unit",
    ),
    "unit-unknown": (
        "不认识的单位“{unit}”",
        "unknown unit {unit}",
        "可用的单位：{allowed}",
        "known units: {allowed}",
    ),
    "unit-not-a-number": (
        "金额不是数字",
        "the amount is not a number",
        "只写数字，单位写在表头或用 --unit 指定",
        "write the number only; give the unit in the header or with --unit",
    ),
    "unit-family": (
        "{unit} 不能换算成 {field_unit}",
        "{unit} cannot be converted to {field_unit}",
        "核对表头的单位：总额与按年计的金额不能互换",
        "check the unit in the header: an amount and a yearly rate do not convert",
    ),
    "unit-inexact": (
        "{value} {unit} 换算成 {field_unit} 是 {result}，不是整数",
        "{value} {unit} is {result} in {field_unit}, not a whole number",
        "核对单位（万元还是元？）；字段要求整数，换算结果不会被四舍五入",
        "check the unit (万元 or 元?); the field holds whole numbers and a conversion is never rounded",
    ),
}
