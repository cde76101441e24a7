"""The reference semantics of search and a Python port of the JavaScript query algorithm.

`Matcher` is the plain substring search the index must reproduce exactly; `IndexReader` reads a written index as
site/assets/javascripts/search.js does (same keys, shards, intersection, verification) and counts the bytes it would
transfer. The tests compare them exhaustively; the browser tests run the JS against `Matcher`."""

from __future__ import annotations

import json
from pathlib import Path

from .index import COMPANIES, Doc
from .keys import ASCII_LOWER, decode_postings, normalize, normalize_query, query_keys, shard_of


def tier(doc: Doc, q: str) -> int | None:
    """0 exact (a primary value — id, title, company — equals q), 1 prefix of a primary value, 2 substring of a
    primary value, 3 substring of other text (descriptions, needs, codes and their names …), None no match;
    q already normalised."""
    return rank([normalize(v) for v in doc.values], q, doc.n_primary)


def rank(values, q: str, primary: int | None = None) -> int | None:
    """The tier of q among already normalised values, values[:primary] being the primary ones (see tier)."""
    values = list(values)
    primary = len(values) if primary is None else primary
    best = None
    for v in values[:primary]:
        if v == q:
            return 0
        if v.startswith(q):
            best = 1
        elif q in v and best is None:
            best = 2
    if best is None and any(q in v for v in values[primary:]):
        best = 3
    return best


def order_key(t: int, n: int, docs_dataset: str) -> tuple[int, int, int]:
    """Result order: tier, then (exact tier only) companies before records — a company first for its own name or
    credit code — then index order (status, dataset, id)."""
    return (t, 0 if t == 0 and docs_dataset == COMPANIES["name"] else 1, n)


class Matcher:
    """The reference: every document with a value containing the query, in order_key order."""

    def __init__(self, docs: list[Doc]):
        self.docs = docs
        self.norm = [[normalize(v) for v in d.values] for d in docs]

    def search(self, query: str) -> list[int]:
        q = normalize_query(query)
        if not q:
            return []
        hits = []
        for n, values in enumerate(self.norm):
            t = rank(values, q, self.docs[n].n_primary)
            if t is not None:
                hits.append(order_key(t, n, self.docs[n].dataset))
        return [n for _t, _c, n in sorted(hits)]


class IndexReader:
    """Reads a written index exactly as search.js does (same keys, shards, intersection, verification) and
    counts the bytes it would transfer. Used by the tests for exhaustive checks; the browser tests run the JS."""

    VERIFY_SKIP = 256  # like search.js: do not fetch a big list once the candidates are this few

    def __init__(self, root: Path):
        self.root = Path(root)
        self.meta = json.loads((self.root / "meta.json").read_text(encoding="utf-8"))
        self.bytes = 0
        self._files: dict[str, object] = {}

    def _get(self, rel: str):
        if rel not in self._files:
            raw = (self.root / rel).read_bytes()
            self.bytes += len(raw)
            self._files[rel] = json.loads(raw)
        return self._files[rel]

    def reset(self) -> None:
        self._files.clear()
        self.bytes = 0

    def _entry(self, key: str):
        return self._get(f"g/{shard_of(key, self.meta['shards'])}.json").get(key)

    def _list(self, entry) -> list[int]:
        if entry is None:
            return []
        if isinstance(entry, dict):
            return decode_postings(self._get(f"l/{entry['f']}.json"))
        return decode_postings(entry)

    def _row(self, n: int) -> list:
        return self._get(f"d/{n // self.meta['chunk']}.json")[n % self.meta["chunk"]]

    def _doc_values(self, n: int) -> list[str]:
        row = self._row(n)
        norm = row[5] if len(row) > 5 else {}
        values = [norm.get(str(i), v.translate(ASCII_LOWER)) for i, v in enumerate(row[2])]
        for i in row[6] if len(row) > 6 else []:
            values += self.meta["labels_norm"].get(str(i)) or [v.translate(ASCII_LOWER) for v in self.meta["labels"][i]]
        return values

    def _tier(self, n: int, q: str) -> int | None:
        return rank(self._doc_values(n), q, self._row(n)[3])

    def _intersect(self, entries) -> set[int]:
        """Intersect posting lists, inline ones first, then external ones by length, skipping external lists once
        the candidates are VERIFY_SKIP or fewer (verification decides)."""
        sized = sorted(((e["n"] if isinstance(e, dict) else None, i, e) for i, e in enumerate(entries)),
                       key=lambda t: (t[0] is not None, t[0] or 0, t[1]))
        cand: set[int] | None = None
        for n_ext, _i, e in sized:
            if cand is not None and n_ext is not None and len(cand) <= self.VERIFY_SKIP:
                continue
            nums = set(self._list(e))
            cand = nums if cand is None else cand & nums
        return cand or set()

    def _dataset_of(self, n: int) -> str:
        for d in self.meta["datasets"]:
            if any(a <= n < b for a, b in d["ranges"]):
                return d["name"]
        raise AssertionError(f"document {n} in no dataset range")

    def search(self, query: str) -> list[int]:
        q = normalize_query(query)
        if not q:
            return []
        gram_keys, prefix_key, exact_key = query_keys(q)
        entries = [self._entry(k) for k in gram_keys]
        if any(e is None for e in entries):
            return []
        cand = self._intersect(entries)
        primary_entries = [self._entry("t:" + k[2:]) for k in gram_keys]
        primary = set() if any(e is None for e in primary_entries) else self._intersect(primary_entries) & cand
        exact = [n for n in self._list(self._entry(exact_key)) if n in cand]
        prefix = set(self._list(self._entry(prefix_key))) & cand
        exact_set = set(exact)
        hits = [order_key(0, n, self._dataset_of(n)) for n in exact]
        for n in sorted(cand - exact_set):
            t = self._tier(n, q)
            if t is not None:
                hits.append(order_key(t, n, self._dataset_of(n)))
            assert t != 0, "exact tier outside the exact list"
            assert t != 1 or n in prefix, "prefix tier outside the prefix list"
            assert t not in (1, 2) or n in primary, "primary tier outside the primary candidates"
        return [n for _t, _c, n in sorted(hits)]
