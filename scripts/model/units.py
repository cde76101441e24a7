"""Units are data: the unit table, exact conversion between units, and the one rule for showing an amount.

A money field declares its unit in its table schema with the field property `x-unit` (the project's namespace for
keys Frictionless does not define; the validator accepts and keeps them, so the data package's field descriptors
carry the unit to downloaders):

    - name: funding_wan
      title: 配套资金（万元）
      type: integer
      x-unit: 万元

Every unit belongs to a family whose base unit is the unit with factor 1 (元 for 元, 万元, 亿元; 元/年 for the rates).
Totals are always summed in the base unit, after an exact conversion of each value; two fields of different families
are never added (a dataset that totals both is refused when it is loaded).

Conversion is exact (`Decimal`, never float): `to_field_unit(Decimal("450"), "万元", "元")` is 4500000, and a value
that does not fit the target exactly (0.5 元 into a whole-yuan integer field, 元 into 元/年) raises UnitError, never
rounds. The importer converts with it; the site, charts and downloads show amounts with `money_text`/`short_text`.

Showing an amount (one rule for tables, cards, record, district, company and statistics pages, totals and charts):
below 1万 of the base unit, the amount itself ("8,500 元"); from 1万 up, the amount and its 万 figure
("308,000 元（30.8 万元）"). The 万 figure is exact: trailing zeros are trimmed and nothing is rounded, so a total
never loses a yuan and the same amount reads the same everywhere (a chart's bar label is the 万 figure alone:
"30.8 万元").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

UNIT_KEY = "x-unit"  # the field property that declares a unit


class Unit(NamedTuple):
    name: str       # as written in x-unit and shown after an amount: 万元
    base: str       # the unit of its family with factor 1: 元
    factor: int     # base units in one of this unit: 10000
    en: str         # for English labels: 10,000 yuan

    @property
    def shift(self) -> int:
        """The power of ten of the factor (every factor is one): 万元 -> 4."""
        return len(str(self.factor)) - 1


UNITS: dict[str, Unit] = {u.name: u for u in (
    Unit("元", "元", 1, "yuan"),
    Unit("千元", "元", 10**3, "1,000 yuan"),
    Unit("万元", "元", 10**4, "10,000 yuan"),
    Unit("亿元", "元", 10**8, "100 million yuan"),
    Unit("元/年", "元/年", 1, "yuan per year"),
    Unit("万元/年", "元/年", 10**4, "10,000 yuan per year"),
)}
DEFAULT = "元"  # what an undeclared money field was always taken to be (release snapshots predate x-unit)
WAN = 10**4


class UnitError(ValueError):
    """A conversion that cannot be exact, or a unit not in the table. `code` names the message (scripts/messages/__init__.py),
    `params` fills it."""

    def __init__(self, code: str, **params: Any):
        super().__init__(f"{code}: {params}")
        self.code, self.params = code, params


def unit(name: str) -> Unit:
    found = UNITS.get(name)
    if found is None:
        raise UnitError("unit-unknown", unit=name, allowed="、".join(UNITS))
    return found


def field_unit(field: Mapping[str, Any]) -> str | None:
    """The unit a field descriptor declares (None: not declared)."""
    value = field.get(UNIT_KEY)
    return value if isinstance(value, str) else None


_BRACKETED = re.compile(r"[（(]\s*([^（()）]+?)\s*[)）]")


def title_unit(title: str) -> str | None:
    """The unit a column title names in brackets ("奖励金额（万元）" -> 万元, "保费(元)" -> 元); None when it names none."""
    found = [m.group(1) for m in _BRACKETED.finditer(title) if m.group(1) in UNITS]
    return found[-1] if found else None


def decimal(value: object) -> Decimal | None:
    """A cell's number as an exact Decimal (int, Decimal, a numeric text, a float by its shortest repr); None for an
    empty or non-numeric value (the validator reports those)."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(value if isinstance(value, (int, str)) else repr(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def exact(number: Decimal) -> int | Decimal:
    """An int when the number is whole (the JSON and XLSX of a whole amount stay integers), else the Decimal."""
    return int(number) if number == number.to_integral_value() else number.normalize()


def to_field_unit(value: object, from_unit: str, field_unit: str, integer: bool = True) -> int | Decimal:
    """`value` written in `from_unit`, in the field's unit, exactly: an int (integer field: a fraction left over is
    an error, never rounded) or an exact Decimal (number field). Units of two families are never converted."""
    source, target = unit(from_unit), unit(field_unit)
    number = decimal(value)
    if number is None:
        raise UnitError("unit-not-a-number", value=str(value))
    if source.base != target.base:
        raise UnitError("unit-family", value=str(value), unit=source.name, field_unit=target.name)
    converted = number * source.factor / target.factor
    if integer and converted != converted.to_integral_value():
        raise UnitError("unit-inexact", value=str(value), unit=source.name, field_unit=target.name,
                        result=_plain(converted))
    return int(converted) if integer else exact(converted)


def to_base(value: Any, name: str = DEFAULT) -> int | Decimal | None:
    """An amount in the base unit of its family (万元 100 -> 1000000 元), exact; None when not a number."""
    factor = unit(name).factor
    kind = value.__class__
    if kind is int:  # the common cases, counted at every page build: whole numbers, as typed or as CSV text
        whole: int = value * factor
        return whole
    if kind is str and value.isdigit() and value.isascii():
        return int(value) * factor
    number = decimal(value)
    if number is None:
        return None
    return exact(number * factor)


def total(values: Iterable[object], name: str = DEFAULT) -> int | Decimal:
    """The sum of the numbers among `values` (a field's cells in unit `name`), in the base unit, exact."""
    out: int | Decimal = 0
    for v in values:
        amount = to_base(v, name)
        if amount is not None:
            out += amount
    return exact(out) if isinstance(out, Decimal) else out


def _plain(number: int | Decimal) -> str:
    """A number with thousands separators, exact, no exponent and no trailing zeros: 1234.50 -> "1,234.5"."""
    number = Decimal(number)
    return f"{number.normalize():,f}" if number != number.to_integral_value() else f"{int(number):,}"


def wan_text(amount: int | Decimal, base: str = DEFAULT) -> str:
    """The 万 figure of an amount in base units: 308000 -> "30.8 万元" (exact; 元/年 -> "30.8 万元/年")."""
    return f"{_plain(Decimal(amount) / WAN)} 万{base}"


def short_text(amount: int | Decimal, base: str = DEFAULT) -> str:
    """A bar label: the amount below 1万 ("8,500 元"), its 万 figure from 1万 up ("30.8 万元")."""
    return wan_text(amount, base) if abs(Decimal(amount)) >= WAN else f"{_plain(amount)} {base}"


def money_text(value: object, name: str = DEFAULT) -> str:
    """The one way an amount is shown: `value` in unit `name`, converted exactly to the base unit, with its 万
    figure from 1万 up: "8,500 元", "308,000 元（30.8 万元）", funding_wan 100 -> "1,000,000 元（100 万元）"."""
    amount = to_base(value, name)
    if amount is None:
        return "" if value is None else str(value)
    base = unit(name).base
    text = f"{_plain(amount)} {base}"
    return f"{text}（{wan_text(amount, base)}）" if amount >= WAN or amount <= -WAN else text


def titles(field: Mapping[str, Any]) -> tuple[str, str]:
    """(中文标题, English label) of a column, naming the declared unit when the title does not: a funding_wan field
    titled 配套资金 is headed "配套资金（万元）" / "Funding (10,000 yuan)" (a title that names its unit is kept)."""
    zh = field.get("title") or field["name"]
    en = field.get("x-label-en") or field["name"]
    declared = field_unit(field)
    if declared in UNITS and title_unit(zh) is None:
        zh, en = f"{zh}（{declared}）", f"{en} ({UNITS[declared].en})"
    return zh, en


def label(name: str) -> tuple[str, str]:
    """(中文, English) of a unit for a column header: ("万元", "10,000 yuan")."""
    return name, unit(name).en


# XLSX number formats of a money cell, in the field's own unit (a download never converts a value; its header names
# the unit): thousands separators, and for a fraction the digits it has (up to 8: one yuan in 亿元), never a rounded whole
XLSX_WHOLE, XLSX_FRACTION = "#,##0", "#,##0.0#######"
