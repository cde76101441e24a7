"""Cell values as a person meant them: whitespace normalised, tiers and codes recognised, names resolved.

Every function is pure. What changed a value beyond whitespace is returned as a note for the review report, so
nothing is interpreted silently.
"""

from __future__ import annotations

import re
import unicodedata

from ..model.names import ordinary
from ..model.textrules import FORMULA_START, INVISIBLE, SPACE_RUN
from ..model.vocab import normalise

_BREAK = re.compile(r"\s*[\r\n\u2028\u2029\u0085]+\s*")
# PDFs often map glyphs to Kangxi radicals or compatibility ideographs (⽰ U+2F70 for 示) or CJK radicals-supplement
# characters (⻔ U+2ED4 for 门): names.ordinary folds them back
_RADICAL = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff]")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef（）【】《》“”‘’、，。：；]")


def clean_text(text: str | None, keep_breaks: bool = False) -> str | None:
    """Whitespace normalised: line breaks inside a cell joined (no space between Chinese characters, one space
    elsewhere), every kind of space → one ASCII space, trimmed; zero-width and control characters removed; the
    Kangxi radicals that PDFs put for ideographs (⽰ → 示) folded back; the
    apostrophe the site's CSV downloads put before = + - @ removed again. Empty → None. keep_breaks: line breaks
    stay (each line cleaned), for the site's own downloads of multi-line texts."""
    if text is None:
        return None
    text = INVISIBLE.sub("", str(text))
    text = _RADICAL.sub(lambda m: ordinary(m.group(0)), text)
    if keep_breaks:  # the site's own downloads: a line break in a long text is data
        lines = [clean_text(line) or "" for line in re.split(r"\r\n|\r|\n", text)]
        return "\n".join(lines).strip("\n") or None
    parts = _BREAK.split(text)
    joined = parts[0]
    for part in parts[1:]:
        if not part:
            continue
        if not joined or (_WIDE.match(joined[-1]) and _WIDE.match(part[0])):
            joined += part
        else:
            joined += " " + part
    text = SPACE_RUN.sub(" ", joined).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        text = text[1:]
    return text or None


def header_key(text: str | None) -> str:
    """A header cell compared loosely: the registry lookup's normalisation (vocab.normalise), lower case."""
    return "" if text is None else normalise(text).lower()


def ascii_code(text: str) -> str:
    """Codes typed with a full-width keyboard or in lower case: NFKC, no spaces, upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def enum_value(text: str, allowed: list[str]) -> str | None:
    """The allowed value a printed cell means: exact, or the one allowed value it starts with or contains
    ("国际首台（套）" → 国际, "省内首版次软件" → 省内). None when none or several fit."""
    if text in allowed:
        return text
    key = header_key(_strip_ordinal(text))
    for value in allowed:
        if key == header_key(value):
            return value
    starts = [v for v in allowed if key.startswith(header_key(v))]
    if len(starts) == 1:
        return starts[0]
    inside = [v for v in allowed if header_key(v) and header_key(v) in key]
    return inside[0] if len(inside) == 1 else None


ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[、.．]"
                     r"|第[一二三四五六七八九十0-9]+[类批部分][、：:\s]?)\s*")


def _strip_ordinal(text: str) -> str:
    return ORDINAL.sub("", text)


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """'29' / '二十九' / '十' / '三' → the number (up to 99)."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


STAGE_PRIORITY = ["撤销", "拟认定", "公示", "征集"]
DOC_NO = re.compile(r"[\u4e00-\u9fa5]{2,}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
BATCH = re.compile(r"第([一二三四五六七八九十0-9]{1,3})批")


def guess_from_title(title: str, stages: list[str]) -> dict[str, str]:
    """What a list's title row says about the list: its stage, document number and batch."""
    found: dict[str, str] = {}
    # a notice about a withdrawal or a proposal names the final stage too ("拟认定", "认定结果公示"): those first
    ordered = [s for s in STAGE_PRIORITY if s in stages] + [s for s in stages if s not in STAGE_PRIORITY]
    stage = next((s for s in ordered if s in title), None)
    if stage:
        found["stage"] = stage
    if m := DOC_NO.search(title):
        found["doc_no"] = re.sub(r"\s+", "", m.group(0))
    if (m := BATCH.search(title)) and chinese_number(m.group(1)):
        found["batch"] = str(chinese_number(m.group(1)))
    return found
