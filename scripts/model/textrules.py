"""Character rules shared by every module: what counts as invisible, as an odd space, as a formula start.

The validator rejects them in data (scripts/model/checks.py), the importer cleans them out of official attachments
(scripts/importer/values.py), name matching folds them away (scripts/model/vocab.py), messages, Markdown and search show
or strip them (scripts/model/catalog.py, scripts/site/render.py, scripts/search/index.py) and the CSV writers neutralise formula starts
(scripts/exports/formats.py). Defined here once; the `*_CHARS` strings are regex character-class bodies.
"""

from __future__ import annotations

import re

# zero-width characters and bidi controls; site/assets/javascripts/search.js strips the same set from queries
HIDDEN_CHARS = "\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069"
SOFT_HYPHEN = "\u00ad"
CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # C0 controls except tab, LF and CR; DEL
# every other format (Unicode category Cf, Unicode 15) or invisible character, which lets two names look the same:
# Arabic number signs, ALM (U+061C), LRM/RLM (U+200E/F), invisible operators (U+2061-4), deprecated format
# controls (U+206A-F), interlinear annotation, Egyptian/shorthand/musical format controls, tag characters
# (U+E0000-E007F); variation selectors (U+FE00-FE0F, U+E0100-E01EF, Mongolian U+180B-180F); the Hangul fillers
# (U+115F, U+1160, U+3164, U+FFA0); the combining grapheme joiner (U+034F); the Khmer inherent vowels (U+17B4/5);
# the braille blank (U+2800); the line and paragraph separators (U+2028/9)
FORMAT_CHARS = ("\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180b-\u180f\u200e\u200f\u2061-\u2065"
                "\u206a-\u206f\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
                "\U0001d173-\U0001d17a\U000e0000-\U000e007f\ufe00-\ufe0f\U000e0100-\U000e01ef"
                "\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u2800\u2028\u2029")
# spaces that are not the ASCII space: no-break, ogham, the U+2000 block, narrow no-break, math, full-width (U+3000)
ODD_SPACE_CHARS = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"

HIDDEN = re.compile(f"[{HIDDEN_CHARS}]")
INVISIBLE = re.compile(f"[{HIDDEN_CHARS}{SOFT_HYPHEN}{CONTROL_CHARS}{FORMAT_CHARS}]")  # never allowed in data
ODD_SPACE = re.compile(f"[{ODD_SPACE_CHARS}]")
SPACE_RUN = re.compile(f"[ \t{ODD_SPACE_CHARS}]+")  # a run of horizontal space of any kind
ANY_SPACE = re.compile(f"[\\s{ODD_SPACE_CHARS}{HIDDEN_CHARS}{SOFT_HYPHEN}{FORMAT_CHARS}]+")  # any space, invisibles included

# a text cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """OWASP CSV-injection defence: prefix formula-leading text with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text
