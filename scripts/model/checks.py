"""Pure, table-independent cell checks (domain facts from GB 32100-2015 and the hazards list)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from . import units
from .textrules import FORMULA_START, INVISIBLE, ODD_SPACE

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_ALPHABET)}

_UNIT = re.compile(r"^\s*([0-9０-９]+(?:[.,，][0-9０-９]+)*)\s*(亿元|万元|亿|万|元|千元)?\s*$")


def credit_check_char(first17: str) -> str:
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> tuple[str, dict[str, Any]] | None:
    """Return (message code, params) when `code` is not a valid unified social credit code."""
    bad = sorted({c for c in code if c not in _CREDIT_VALUE})
    if bad:
        return "credit-code-chars", {"chars": "、".join(bad)}
    if len(code) != 18:
        return "credit-code-length", {"length": len(code)}
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return "credit-code-checksum", {"expected": expected}
    return None


def make_credit_code(prefix17: str) -> str:
    return prefix17 + credit_check_char(prefix17)


def invisible_chars(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in INVISIBLE.findall(text)})


def formula_start(text: str) -> str | None:
    if text and text[0] in FORMULA_START:
        return {"\t": "Tab", "\r": "CR"}.get(text[0], text[0])
    return None


def non_ascii(text: str) -> list[str]:
    """Non-ASCII characters in order of first appearance."""
    return list(dict.fromkeys(c for c in text if ord(c) > 127))


def ascii_suggestion(text: str) -> str:
    """Fold full-width forms (ＡＢ１２) to ASCII; leave other look-alikes for the contributor to retype."""
    return unicodedata.normalize("NFKC", text)


def amount_with_unit(text: str) -> int | None:
    """'100万' -> 1000000, '1,500,000' -> 1500000; None when the text is not a number with a unit/separator."""
    m = _UNIT.match(text)
    if not m or (m.group(2) is None and not re.search("[.,，]", m.group(1))):
        return None
    number = unicodedata.normalize("NFKC", m.group(1)).replace("，", ",")
    if "," in number and re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", number):
        number = number.replace(",", "")
    written = {"亿": "亿元", "万": "万元", None: "元"}.get(m.group(2), m.group(2))  # 100万 is 100 万元
    try:
        return int(units.to_field_unit(number, written, "元"))  # an int: integer=True; exact (scripts/model/units.py): 0.5 元 is no whole yuan
    except units.UnitError:
        return None


PLACEHOLDER = "待填写"
# credit codes cannot hold words: drafts get 91 + division + nine zeros + check character, which is never real
PLACEHOLDER_CODE = re.compile(r"^91[0-9]{6}0{9}[0-9A-Z]$")


def is_placeholder(value: object) -> bool:
    """True for a value `new` wrote for a person to replace (待填写… or the all-zero credit code)."""
    items = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and (PLACEHOLDER in v or bool(PLACEHOLDER_CODE.match(v))) for v in items)


def space_problem(text: str) -> str | None:
    """The text without leading/trailing spaces and with odd spaces (full-width, no-break) made plain; None if clean."""
    if text == text.strip() and not ODD_SPACE.search(text):
        return None
    lines = [re.sub(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])", "", ODD_SPACE.sub(" ", line)).strip()
             for line in text.strip().split("\n")]
    return "\n".join(lines)


# The only links data may carry: http(s), an ASCII host, and the characters of an already percent-encoded address.
# No whitespace, control characters, quotes, < > ( ) [ ] { } | \\ ^ ` * or ': nothing that could end an HTML
# attribute or a Markdown link even if some writer forgot to escape (browsers copy addresses percent-encoded).
URL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&+,;=%")
SAFE_URL = re.compile(r"^https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?(?:[/?#][^\s]*)?$")


def url_problem(text: object) -> tuple[str, dict[str, Any]] | None:
    """(message code, params) when `text` is not a plain http(s) address that is safe in any href, else None."""
    if not isinstance(text, str) or not text.startswith(("http://", "https://")):  # the regex cache is slower
        return "url-scheme", {}
    bad = sorted({c for c in text if c not in URL_CHARS})
    if bad:
        return "url-unsafe", {"chars": " ".join(f"U+{ord(c):04X}" if not c.isprintable() or c.isspace() else c
                                                  for c in bad)}
    if not SAFE_URL.match(text):
        return "url-host", {}
    return None


def is_http_url(text: object) -> bool:
    return url_problem(text) is None


XLSX_CELL_LIMIT = 32767  # characters Excel keeps in a cell; validation rejects longer data cells (issue 9)
NUMBER_LIMIT = 10**15  # every download keeps |x| < 10^15 exactly (Excel: 15 significant digits; JSON: < 2^53)


def number_out_of_range(text: str) -> bool:
    """True for a number no format can keep exactly: not finite (inf, NaN, 1e309) or |x| ≥ 10^15.
    Text that is not a number at all is left to the type check."""
    from decimal import Decimal, InvalidOperation
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return False
    return not value.is_finite() or abs(value) >= NUMBER_LIMIT
