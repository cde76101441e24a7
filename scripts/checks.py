"""Pure, table-independent cell checks (domain facts from GB 32100-2015 and the hazards list)."""

from __future__ import annotations

import re
import unicodedata

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_ALPHABET)}

INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNIT = re.compile(r"^\s*([0-9０-９]+(?:[.,，][0-9０-９]+)*)\s*(亿元|万元|亿|万|元|千元)?\s*$")


def credit_check_char(first17: str) -> str:
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> tuple[str, dict] | None:
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
    unit = {"亿元": 10**8, "亿": 10**8, "万元": 10**4, "万": 10**4, "千元": 1000, "元": 1, None: 1}[m.group(2)]
    if "," in number and re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", number):
        number = number.replace(",", "")
    try:
        value = float(number) * unit
    except ValueError:
        return None
    return int(round(value)) if abs(value - round(value)) < 1e-6 else None


PLACEHOLDER = "待填写"
# credit codes cannot hold words: drafts get 91 + division + nine zeros + check character, which is never real
PLACEHOLDER_CODE = re.compile(r"^91[0-9]{6}0{9}[0-9A-Z]$")
ODD_SPACE = re.compile("[\u00a0\u3000\u2000-\u200a\u202f\u205f]")


def is_placeholder(value) -> bool:
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


def is_http_url(text: str) -> bool:
    return re.match(r"^https?://[^\s/$.?#][^\s]*$", text, re.IGNORECASE) is not None
