"""The search index's keys and encoding, shared by the writer (scripts/search/index.py) and the readers (the Python port
in scripts/search/query.py, and site/assets/javascripts/search.js, which does the same): text normalisation, gram
keys of a query, FNV-1a sharding and the delta/run encoding of posting lists."""

from __future__ import annotations

import re
import unicodedata
from itertools import chain

from ..model.textrules import HIDDEN

ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def normalize(text: str) -> str:
    """NFKC (full-width → half-width, compatibility forms) then ASCII-only lower case; the JS does the same."""
    return unicodedata.normalize("NFKC", text).translate(ASCII_LOWER)


def normalize_query(text: str) -> str:
    """A typed or pasted query: normalised, zero-width and bidi controls removed (data cannot contain them), trimmed."""
    return HIDDEN.sub("", normalize(text)).strip()


def fnv1a(key: str) -> int:
    h = 0x811C9DC5
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_B36 = list(_DIGITS)  # n → n in base 36, grown to the largest doc number encoded: looked up, not computed per token


def _b36_upto(largest: int) -> list[str]:
    """The base-36 table, grown to cover `largest` (n is the entry for n // 36, already there, and one digit)."""
    for n in range(len(_B36), largest + 1):
        _B36.append(_B36[n // 36] + _DIGITS[n % 36])
    return _B36


def encode_postings(numbers) -> str:
    """Sorted unique doc numbers → `gap[+run],…` in base 36 (gap from the previous number + 1; run = extra
    consecutive numbers)."""
    return encode_counted(numbers)[0]


def encode_counted(numbers) -> tuple[str, int]:
    """Ascending doc numbers, repeats allowed and skipped (the writer concatenates the document lists of several
    values instead of building a set) → (the encoding, how many distinct numbers). One pass, one comparison per
    number in a run: 10× encodes ~80 million postings."""
    table = _b36_upto(numbers[-1] if len(numbers) else 0)
    out: list[str] = []
    distinct = 0
    prev, start, end = -1, -2, -2
    for n in chain(numbers, (-9,)):  # -9: an end marker, never a next or repeated number
        if n == end + 1:
            end = n
        elif n != end:
            if start >= 0:  # a run start..end ends: emit it
                out.append(table[start - prev - 1] if start == end else
                           table[start - prev - 1] + "+" + table[end - start])
                distinct += end - start + 1
                prev = end
            start = end = n
    return ",".join(out), distinct


def decode_postings(text: str) -> list[int]:
    out: list[int] = []
    prev = -1
    for token in text.split(",") if text else []:
        gap, _, run = token.partition("+")
        start = prev + 1 + int(gap, 36)
        end = start + (int(run, 36) if run else 0)
        out.extend(range(start, end + 1))
        prev = end
    return out


MAX_GRAMS = 8  # a long query reads at most this many gram lists (evenly spread, first and last included)


def query_keys(q: str) -> tuple[list[str], str, str]:
    """(gram keys, prefix key, exact key) for a normalised non-empty query: the unigram for one character, else its
    overlapping bigrams — trigrams when the query is ASCII and 3+ characters long (`p-2026-00123`: a few candidates
    instead of hundreds, so id-like queries get exact counts) — deduplicated, at most MAX_GRAMS, evenly spread;
    overlapping so that the candidates are few (`伺服电机科技` needs `机科`) and verification cheap."""
    cps = list(q)
    if len(cps) == 1:
        grams = [cps[0]]
    else:
        size = 3 if len(cps) >= 3 and q.isascii() else 2  # ASCII (ids, codes, English): trigrams, few candidates
        grams = list(dict.fromkeys("".join(cps[i:i + size]) for i in range(len(cps) - size + 1)))
        if len(grams) > MAX_GRAMS:
            n = len(grams)
            grams = [grams[(i * (n - 1) + (MAX_GRAMS - 1) // 2) // (MAX_GRAMS - 1)] for i in range(MAX_GRAMS)]
            grams = list(dict.fromkeys(grams))
    return ["g:" + g for g in grams], "p:" + "".join(cps[:2]), "e:" + q


_ASCII_RUN = re.compile(r"[\x00-\x7f]{3,}")


def ascii_trigrams(text: str) -> list[str]:
    """The trigrams inside runs of ASCII characters (an ASCII query of 3+ characters lies inside one such run)."""
    return [run[j:j + 3] for run in _ASCII_RUN.findall(text) for j in range(len(run) - 2)]


def shard_of(key: str, shards: int) -> int:
    """The shard file of a key; a t: key lives beside the g: key of the same gram (no extra request)."""
    return fnv1a("g:" + key[2:] if key.startswith("t:") else key) % shards
