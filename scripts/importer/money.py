"""Money as printed → money in the field's unit, exactly, or refused.

Departments print amounts in 万元 or 亿元 (“奖励金额（万元）”, “总投资（亿元）”, a title line “单位：万元”); the
datasets keep each money field in its declared unit (whole 元 unless the schema says otherwise). The unit of a
column comes from its header, else from a “单位：…” line above the header, else from --unit (sidecar `unit:`);
a cell may carry its own (“120万元”). Conversion is exact (Decimal): 450 万元 → 4,500,000 元; a value that is not
whole in the field's unit (0.00001 万元 → 0.1 元) or whose unit cannot be known is an error, never a guess.
"""

from __future__ import annotations

import re
import unicodedata

from ..model import units

FACTOR = {name: u.factor for name, u in units.UNITS.items()}  # the units an attachment may print (scripts/model/units.py)
_UNIT = "|".join(sorted(map(re.escape, units.UNITS), key=len, reverse=True))
_IN_HEADER = re.compile(rf"\s*[（(]\s*(?:单位\s*[:：]\s*)?({_UNIT})\s*[)）]\s*|\s*({_UNIT})\s*$")
_IN_TITLE = re.compile(rf"单位\s*[:：]\s*(?:人民币\s*)?({_UNIT})")
_IN_CELL = re.compile(rf"^\s*([-+]?[0-9][0-9,，]*(?:\.[0-9]+)?)\s*({_UNIT}|亿|万)?\s*$")


def header_unit(label: str | None) -> tuple[str, str | None]:
    """(the header without its unit, the unit): “奖励金额（万元）” → (“奖励金额”, “万元”)."""
    text = str(label or "")
    m = _IN_HEADER.search(text)
    if not m or not (stripped := (text[:m.start()] + text[m.end():]).strip()):
        return text, None
    return stripped, m.group(1) or m.group(2)


def title_unit(lines: list[str]) -> str | None:
    """The unit a “单位：万元” line above the header gives every amount of the table."""
    for line in lines:
        if m := _IN_TITLE.search(line):
            return m.group(1)
    return None


def field_unit(f: dict) -> str:
    """The unit a money field is kept in (its schema's x-unit; 元 when none is declared)."""
    return units.field_unit(f) or units.DEFAULT


def convert(raw: str, unit: str | None, target: str) -> tuple[str | None, str | None, str | None]:
    """(value in the target unit as text, the unit used, problem code). The cell's own unit wins over `unit`;
    the conversion is scripts/model/units.py's, exact or refused."""
    text = unicodedata.normalize("NFKC", str(raw)).replace(" ", "")
    m = _IN_CELL.match(text)
    if not m:
        return None, unit, "import-money-not-a-number"
    own = m.group(2)
    used = {"亿": "亿元", "万": "万元"}.get(own, own) if own else unit
    if used is None:
        return None, None, "import-money-unit-unknown"
    try:
        value = units.to_field_unit(m.group(1).replace(",", "").replace("，", ""), used, target)
    except units.UnitError as exc:
        return None, used, {"unit-inexact": "import-money-inexact", "unit-family": "import-money-family"}.get(
            exc.code, "import-money-not-a-number")
    return str(value), used, None


def shown(value: str, unit: str) -> str:
    """4500000, 元 → “4,500,000 元”."""
    return f"{int(value):,} {unit}"
