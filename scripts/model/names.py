"""Names that cannot impersonate: the characters a name may not hold, the key two names compare by, and the
confusable skeleton (Unicode TR39) that shows two different names look alike.

Every field that names an entity (a dataset's title field, its company name, its search fields, a registry's
`name`/`aliases`) is checked by `name_problem`; invisible and format characters are refused in every field by the
one rule of scripts/model/textrules.py (INVISIBLE), this adds what only names need: combining marks that compose with
nothing, Kangxi and CJK radicals and CJK compatibility ideographs (`⽰例` reads as `示例`). Two names are the same
when vocab.normalise makes them equal (NFKC, brackets of either width, no spaces, case-folded); they look alike when
their `skeleton`s are equal: each character mapped to the prototype of its confusable class (data: the confusables
table shipped with confusable-homoglyphs, built from Unicode's confusables.txt), so `ABC科技` and `АВС科技` (Cyrillic)
or `示例1号` and `示例l号` compare equal.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Iterable
from importlib import resources
from typing import Any

from . import vocab

# CJK radicals supplement, Kangxi radicals, the CJK compatibility ideographs (BMP and supplement): each looks like an
# ordinary ideograph, and NFKC maps the Kangxi radicals and the compatibility ideographs to it
VARIANT_RANGES = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
MARKS = ("Mn", "Me")


def variant_chars(text: str) -> list[str]:
    """Radicals and compatibility ideographs in a name, in order of first appearance."""
    return list(dict.fromkeys(c for c in text if any(lo <= ord(c) <= hi for lo, hi in VARIANT_RANGES)))


def stray_marks(text: str) -> list[str]:
    """Combining marks left after NFC: marks with no base they compose with (a name has none)."""
    return list(dict.fromkeys(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) in MARKS))


def code_points(chars: Iterable[str]) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in chars)


@functools.cache
def name_problem(text: str) -> tuple[str, dict[str, Any]] | None:
    """(message code, params) for a name holding a stray combining mark or a radical/compatibility ideograph."""
    marks = stray_marks(text)
    if marks:
        return "name-combining-mark", {"chars": code_points(marks)}
    variants = variant_chars(text)
    if variants:
        fixed = ordinary(text)
        left = variant_chars(fixed)  # a radical with no ordinary ideograph known: the contributor retypes it
        return "name-variant-char", {"chars": code_points(variants), "shown": "".join(variants),
                                     "suggestion": fixed if not left else fixed.replace(left[0], "□")}
    return None


def ordinary(text: str) -> str:
    """The text with each radical or compatibility ideograph written as the ordinary ideograph it stands for: NFKC
    (Kangxi radicals, compatibility ideographs: ⽰ → 示), else the ideograph Unicode's confusables table gives for a
    CJK radicals-supplement character, which NFKC leaves alone (⻔ → 门, ⻰ → 龙; PDFs' text layers use them)."""
    if not variant_chars(text):
        return text
    fixed = unicodedata.normalize("NFKC", text)
    table = _radicals()
    return "".join(table.get(c, c) for c in fixed)


@functools.cache
def _radicals() -> dict[str, str]:
    """{radical: the one ordinary CJK ideograph the confusables table names for it}."""
    table = json.loads((resources.files("confusable_homoglyphs") / "confusables.json").read_text(encoding="utf-8"))
    out = {}
    for source, entries in table.items():
        if len(source) == 1 and any(lo <= ord(source) <= hi for lo, hi in VARIANT_RANGES):
            targets = [e["c"] for e in entries if len(e["c"]) == 1 and ("\u4e00" <= e["c"] <= "\u9fff"
                                                                       or "\u3400" <= e["c"] <= "\u4dbf")]
            if len(set(targets)) == 1:
                out[source] = targets[0]
    return out


@functools.cache
def _prototypes() -> dict[str, str]:
    """{character: the prototype of its confusable class}; classes are joined from the table's pairs (it lists each
    source with its prototype and each prototype with its sources), the prototype is the class's multi-character
    sequence when it has one (`m` → `rn`), else its smallest member."""
    table = json.loads((resources.files("confusable_homoglyphs") / "confusables.json").read_text(encoding="utf-8"))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for source, entries in table.items():
        for entry in entries:
            a, b = find(source.replace("\u200e", "")), find(entry["c"].replace("\u200e", ""))
            if a != b:
                parent[max(a, b)] = min(a, b)
    classes: dict[str, list[str]] = {}
    for node in sorted(set(parent) | set(parent.values())):
        classes.setdefault(find(node), []).append(node)
    single = {}
    for members in classes.values():
        head = min(m for m in members if len(m) == 1) if any(len(m) == 1 for m in members) else None
        single.update({m: head for m in members if len(m) == 1 and head})
    out = {}
    for members in classes.values():
        longer = sorted((m for m in members if len(m) > 1), key=lambda m: (len(m), m))
        proto = "".join(single.get(c, c) for c in longer[0]) if longer else single.get(members[0], members[0])
        out.update({m: proto for m in members if len(m) == 1 and m != proto})
    return out


def skeleton(text: str) -> str:
    """TR39 skeleton of a name's normal form (NFKC, no spaces): NFD, each character to its prototype, NFD."""
    protos = _prototypes()
    body = unicodedata.normalize("NFD", vocab.plain(text))
    return unicodedata.normalize("NFD", "".join(protos.get(c, c) for c in body))
