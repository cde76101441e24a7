"""Character rules shared by every module: what counts as invisible, as an odd space, as a formula start.

The validator rejects them in data (scripts/checks.py), the importer cleans them out of official attachments
(scripts/importer/values.py), name matching folds them away (scripts/vocab.py), messages, Markdown and search show
or strip them (scripts/model.py, scripts/render.py, scripts/search.py) and the CSV writers neutralise formula starts
(scripts/formats.py). Defined here once; the `*_CHARS` strings are regex character-class bodies.
"""

from __future__ import annotations

import re

# zero-width characters and bidi controls; site/assets/javascripts/search.js strips the same set from queries
HIDDEN_CHARS = "\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069"
SOFT_HYPHEN = "\u00ad"
CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # C0 controls except tab, LF and CR; DEL
# spaces that are not the ASCII space: no-break, ogham, the U+2000 block, narrow no-break, math, full-width (U+3000)
ODD_SPACE_CHARS = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"

HIDDEN = re.compile(f"[{HIDDEN_CHARS}]")
INVISIBLE = re.compile(f"[{HIDDEN_CHARS}{SOFT_HYPHEN}{CONTROL_CHARS}]")  # never allowed in data
ODD_SPACE = re.compile(f"[{ODD_SPACE_CHARS}]")
SPACE_RUN = re.compile(f"[ \t{ODD_SPACE_CHARS}]+")  # a run of horizontal space of any kind
ANY_SPACE = re.compile(f"[\\s{ODD_SPACE_CHARS}{HIDDEN_CHARS}]+")  # any whitespace, zero-width characters included

# a text cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
