"""The search index's posting lists: for every key (scripts/search/keys.py), the ascending numbers of the documents
(scripts/search/index.py Doc) holding it.

Built per distinct value, not per document: the 1× fixture has 310,000 document values but 48,000 distinct ones
(districts, industries, company names and code names repeat), so each distinct value is normalised and split into
grams once, and a key's list is the union of the document lists of the values that hold it."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from operator import add

from .keys import ascii_trigrams


def value_grams(value: str) -> set[str]:
    """The grams of one normalised value: its characters, bigrams and the trigrams inside runs of ASCII."""
    return {*value, *map(add, value, value[1:]), *ascii_trigrams(value)}  # add: each character + the next


class Memo(dict):
    """fn(x) computed once per distinct x: field values repeat (districts, industries, company names, code names)."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, x):
        result = self[x] = self.fn(x)
        return result


class _Values:
    """The distinct normalised values of one kind (primary or other text), each with the documents that hold it."""

    def __init__(self) -> None:
        self.number: dict[str, int] = {}  # value → its number
        self.docs: list[list[int]] = []   # value number → the documents holding it, ascending

    def add(self, value: str, n: int) -> None:
        v = self.number.get(value)
        if v is None:
            self.number[value] = len(self.docs)
            self.docs.append([n])
        elif self.docs[v][-1] != n:
            self.docs[v].append(n)

    def by_gram(self) -> dict[str, list[int]]:
        """gram → the numbers of the values holding it (the grams of each distinct value computed once)."""
        holders: dict[str, list[int]] = defaultdict(list)
        for value, v in self.number.items():
            for gram in value_grams(value):
                holders[gram].append(v)
        return holders

    def union(self, values: list[int], more: Sequence[int] = ()) -> list[int]:
        """The documents holding any of these values (and `more`), ascending, repeats kept (encode_counted skips
        them): sorting the concatenated lists is cheaper than a set, as they are mostly in order already."""
        if len(values) == 1 and not more:
            return self.docs[values[0]]
        return sorted(chain(more, *map(self.docs.__getitem__, values)))


def postings_by_key(docs: list, norm: Memo) -> Iterator[tuple[tuple[str, ...], list[int]]]:
    """(keys, their doc numbers: ascending, repeats possible) for every key: g: grams of every value, t: grams of
    primary values, e: whole primary values, p: their first one and two characters. `norm` memoises normalize.
    1.7 million (distinct value, gram) pairs at 1× instead of 8.4 million (document, key) postings; a gram only in
    primary values has the same g: and t: list, yielded once for both."""
    primary, other = _Values(), _Values()
    for n, doc in enumerate(docs):
        split = doc.n_primary
        for i, value in enumerate(doc.values):
            value = norm[value]
            if value:
                (primary if i < split else other).add(value, n)
    in_other, in_primary = other.by_gram(), primary.by_gram()
    while in_primary:  # popped, so the holders lists shrink as the encoded postings grow (10× peak memory)
        gram, values = in_primary.popitem()
        t = primary.union(values)
        also = in_other.pop(gram, None)
        if also is None:
            yield ("g:" + gram, "t:" + gram), t
        else:
            yield ("t:" + gram,), t
            yield ("g:" + gram,), other.union(also, t)
    while in_other:
        gram, values = in_other.popitem()
        yield ("g:" + gram,), other.union(values)
    starts: dict[str, list[int]] = defaultdict(list)
    for value, v in primary.number.items():
        for key in {"e:" + value, "p:" + value[:1], "p:" + value[:2]}:
            starts[key].append(v)
    for key, values in starts.items():
        yield (key,), primary.union(values)


@contextmanager
def gc_paused():
    """The index allocates millions of small containers, none in a cycle; each automatic collection would rescan the
    whole loaded catalog too (a quarter of the stage's time at 1×), so collection waits until the index is written."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
