"""Site search: a static bigram inverted index, sharded by hash, that finds every record containing the query text.

Why not lunr or Pagefind: lunr needs the whole 13.7 MB index in the browser (2.1 s to first result at 12,000
records); Pagefind segments Chinese into words, so a substring such as `感器` or `P-2025-0` can be missed. The
contract here is recall 100 % for substring matches, so the index is over characters:

- every searchable value (id, title field, `display.search_fields`, company name and credit code) is normalised
  (NFKC, so full-width → half-width, then ASCII lower case) and split into unigrams and bigrams (code points);
- `g:<gram>` posting lists name the documents containing a gram; a query of length 1 reads its unigram list, a
  longer query the lists of its overlapping bigrams (at most 8, evenly spread), intersects them and verifies the
  candidates against the document text (bigrams cannot prove a longer match);
- `p:<first gram>` lists the documents where some value *starts* with the query's first gram (prefix tier) and
  `e:<whole value>` the documents where a value *equals* the query (exact tier), so exact matches come first,
  then prefix, then substring; within a tier documents keep their index order (dataset order, then id);
- posting lists are delta-encoded with runs (`gap[+run]`, base 36, comma-separated); keys are spread over
  `shards` files by FNV-1a 32 hash, the shard count chosen from the corpus size so a shard stays ~12 KB at 1× and
  10×; lists longer than 2 KB live in their own file (`l/<n>.json`) with their length in the shard, so a query
  only downloads a big list when the smaller ones leave too many candidates;
- documents are stored 32 per chunk file (`d/<n>.json`) so showing a page of results needs a few small files.

`python -m scripts search-bench` measures the real JavaScript in headless Chromium (ms to first results, bytes
per query). `Matcher` is the reference: the plain substring semantics the index must reproduce exactly.

Measured 2026-11-25 (2 shared cores, headless Chromium on localhost, 16 fixed queries, each cold, times include
the 120 ms typing debounce; `make bench` prints the same lines):

| fixture | docs | index | write | first results median / max | transferred median / max |
|---|---|---|---|---|---|
| 1×, full MkDocs site | 18,033 | 5.6 MB in 256 shards + 170 lists + 564 chunks | 2.0 s | 156 / 292 ms | 65 / 182 KB |
| 10×, minimal page | 180,339 | 56 MB in 2,048 shards + 1,806 lists + 5,636 chunks | 12.5–17.5 s, 590 MB peak (with loading) | 143 / 222 ms | 83 / 225 KB |
"""

from __future__ import annotations

import json
import re
from array import array
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import companies as company_index
from .model import Catalog

INDEX_VERSION = 1
CHUNK = 32               # documents per chunk file
SHARD_TARGET = 12_000    # bytes of inline postings per shard file (target)
EXTERNAL = 2_048         # posting strings longer than this go to their own file
MIN_SHARDS, MAX_SHARDS = 8, 8192
COMPANIES = {"name": "companies", "title": "企业", "title_en": "Companies", "icon": ""}
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
REPO = Path(__file__).resolve().parent.parent
SEARCH_JS = REPO / "site" / "assets" / "javascripts" / "search.js"
SEARCH_CSS = REPO / "site" / "assets" / "stylesheets" / "search.css"


def normalize(text: str) -> str:
    """NFKC (full-width → half-width, compatibility forms) then ASCII-only lower case; the JS does the same."""
    return unicodedata.normalize("NFKC", text).translate(_ASCII_LOWER)


_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def normalize_query(text: str) -> str:
    """A typed or pasted query: normalised, zero-width and bidi controls removed (data cannot contain them), trimmed."""
    return _INVISIBLE.sub("", normalize(text)).strip()


@dataclass(frozen=True)
class Doc:
    """One searchable document: a record of a list dataset or a company (credit code)."""

    dataset: str
    id: str
    title: str
    year: int | None
    values: tuple[str, ...]   # searchable values, raw; values[0] = id, values[1] = title, then company, code, ...

    @property
    def url(self) -> str:
        return f"{self.dataset}/{self.id}/"


def _items(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)] if str(value) != "" else []


def _year(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def build_docs(catalog: Catalog) -> tuple[list[Doc], list[dict]]:
    """All searchable documents in index order, and the dataset descriptions (index in doc → dataset)."""
    docs: list[Doc] = []
    datasets: list[dict] = []
    for ds in sorted(catalog.lists(), key=lambda d: d.name):
        display = ds.meta.get("display") or {}
        title_field = ds.meta.get("title_field") or "id"
        company = display.get("company") or {}
        fields = ["id", title_field, company.get("name"), company.get("code"), *(display.get("search_fields") or [])]
        fields = [f for f in dict.fromkeys(fields) if f and ds.field(f) is not None]
        datasets.append({"name": ds.name, "title": ds.meta.get("title", ds.name),
                         "title_en": ds.meta.get("title_en", ds.name), "icon": display.get("icon", "")})
        rows = []
        for record in ds.records:
            rid = record.values.get("id")
            if not isinstance(rid, str) or not rid:
                continue
            values: list[str] = []
            for f in fields:
                items = _items(record.values.get(f))
                values += items if items else ([""] if f in ("id", title_field) else [])
            title = values[1] if len(values) > 1 else rid
            rows.append(Doc(ds.name, rid, title, _year(record.values.get("year")), tuple(values)))
        docs += sorted(rows, key=lambda d: d.id)
    entries, _of = company_index.index(catalog)
    if entries:  # one document per company page (credit code, or a name hash when no code is known)
        datasets.append(dict(COMPANIES))
        for slug, entry in entries.items():
            names = [entry["name"]] + [n for n, _ in sorted(entry["names"].items(), key=lambda kv: (-kv[1], kv[0]))
                                       if n != entry["name"]]
            docs.append(Doc(COMPANIES["name"], slug, entry["name"], None, (entry["code"] or slug, *names)))
    return docs, datasets


# ---------------------------------------------------------------------------------------------- reference matcher

def tier(doc: Doc, q: str) -> int | None:
    """0 exact (a whole value equals q), 1 prefix, 2 substring, None no match; q already normalised."""
    return rank(map(normalize, doc.values), q)


def rank(values, q: str) -> int | None:
    """The tier of q among already normalised values (see tier)."""
    best = None
    for v in values:
        if v == q:
            return 0
        if v.startswith(q):
            best = 1
        elif q in v and best is None:
            best = 2
    return best


class Matcher:
    """The reference: every document with a value containing the query, ordered (tier, index order)."""

    def __init__(self, docs: list[Doc]):
        self.docs = docs
        self.norm = [[normalize(v) for v in d.values] for d in docs]

    def search(self, query: str) -> list[int]:
        q = normalize_query(query)
        if not q:
            return []
        hits = []
        for n, values in enumerate(self.norm):
            t = None
            for v in values:
                if v == q:
                    t = 0
                    break
                if v.startswith(q):
                    t = 1
                elif t is None and q in v:
                    t = 2
            if t is not None:
                hits.append((t, n))
        return [n for _t, n in sorted(hits)]


# ----------------------------------------------------------------------------------------------------- the index

def fnv1a(key: str) -> int:
    h = 0x811C9DC5
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def encode_postings(numbers) -> str:
    """Sorted unique doc numbers → `gap[+run],…` in base 36 (gap from the previous number + 1; run = extra
    consecutive numbers)."""
    out, prev, i = [], -1, 0
    while i < len(numbers):
        start = numbers[i]
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        token = _b36(start - prev - 1)
        if j > i:
            token += "+" + _b36(j - i)
        out.append(token)
        prev, i = numbers[j], j + 1
    return ",".join(out)


def decode_postings(text: str) -> list[int]:
    out, prev = [], -1
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
    overlapping bigrams (deduplicated; at most MAX_GRAMS, evenly spread) — overlapping so that the candidates are
    few (`伺服电机科技` needs `机科`) and verification cheap."""
    cps = list(q)
    if len(cps) == 1:
        grams = [cps[0]]
    else:
        grams = list(dict.fromkeys(cps[i] + cps[i + 1] for i in range(len(cps) - 1)))
        if len(grams) > MAX_GRAMS:
            n = len(grams)
            grams = [grams[(i * (n - 1) + (MAX_GRAMS - 1) // 2) // (MAX_GRAMS - 1)] for i in range(MAX_GRAMS)]
            grams = list(dict.fromkeys(grams))
    return ["g:" + g for g in grams], "p:" + "".join(cps[:2]), "e:" + q


def doc_keys(doc: Doc) -> set[str]:
    keys: set[str] = set()
    for value in doc.values:
        v = list(normalize(value))
        if not v:
            continue
        keys.add("e:" + "".join(v))
        keys.add("p:" + v[0])
        if len(v) > 1:
            keys.add("p:" + v[0] + v[1])
        keys.update("g:" + c for c in v)
        keys.update("g:" + v[i] + v[i + 1] for i in range(len(v) - 1))
    return keys


def shard_count(inline_bytes: int) -> int:
    n = MIN_SHARDS
    while n * SHARD_TARGET < inline_bytes and n < MAX_SHARDS:
        n *= 2
    return n


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _doc_row(doc: Doc, ds_index: dict[str, int]) -> list:
    row: list = [ds_index[doc.dataset], doc.year, list(doc.values)]
    differs = {str(i): normalize(v) for i, v in enumerate(doc.values) if normalize(v) != v.translate(_ASCII_LOWER)}
    if differs:
        row.append(differs)
    return row


def write_search_index(catalog: Catalog, docs_dir: Path, *, external: int = EXTERNAL, chunk: int = CHUNK) -> dict:
    """Write the index under docs_dir/assets/search/ (replacing it); deterministic. Returns summary figures.
    `external` (bytes) and `chunk` (documents per file) are tunable so tests can exercise every code path."""
    docs, datasets = build_docs(catalog)
    ds_index = {d["name"]: i for i, d in enumerate(datasets)}
    postings: dict[str, array] = {}  # 4-byte ints: 10× holds ~10 million postings
    for n, doc in enumerate(docs):
        for key in doc_keys(doc):
            nums = postings.get(key)
            if nums is None:
                nums = postings[key] = array("i")
            nums.append(n)

    encoded = {key: encode_postings(nums) for key, nums in postings.items()}
    big = sorted(k for k, v in encoded.items() if len(v) > external)
    inline_bytes = sum(len(k.encode()) + len(v) + 6 for k, v in encoded.items() if len(v) <= external)
    shards = shard_count(inline_bytes)
    shard_maps: list[dict] = [{} for _ in range(shards)]
    ext_no = {key: i for i, key in enumerate(big)}
    for key, text in encoded.items():
        entry = {"n": len(postings[key]), "f": ext_no[key]} if key in ext_no else text
        shard_maps[fnv1a(key) % shards][key] = entry

    root = Path(docs_dir) / "assets" / "search"
    tmp = root.with_name("search.tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    for sub in ("g", "l", "d"):
        (tmp / sub).mkdir(parents=True)
    sizes = {"shards": [], "lists": [], "chunks": []}
    for i, shard in enumerate(shard_maps):
        text = _dump(shard)
        (tmp / "g" / f"{i}.json").write_text(text, encoding="utf-8")
        sizes["shards"].append(len(text.encode()))
    for key, i in ext_no.items():
        text = _dump(encoded[key])
        (tmp / "l" / f"{i}.json").write_text(text, encoding="utf-8")
        sizes["lists"].append(len(text.encode()))
    for c in range(0, len(docs), chunk):
        text = _dump([_doc_row(d, ds_index) for d in docs[c:c + chunk]])
        (tmp / "d" / f"{c // chunk}.json").write_text(text, encoding="utf-8")
        sizes["chunks"].append(len(text.encode()))
    meta = {"version": INDEX_VERSION, "docs": len(docs), "chunk": chunk, "shards": shards,
            "datasets": datasets}
    (tmp / "meta.json").write_text(_dump(meta), encoding="utf-8")
    if root.exists():
        shutil.rmtree(root)
    tmp.rename(root)
    total = sum(sum(v) for v in sizes.values())
    return {"docs": len(docs), "keys": len(encoded), "shards": shards, "external_lists": len(big),
            "chunks": len(sizes["chunks"]), "max_shard_bytes": max(sizes["shards"]),
            "max_list_bytes": max(sizes["lists"], default=0), "max_chunk_bytes": max(sizes["chunks"], default=0),
            "total_bytes": total}


# ------------------------------------------------------------------------- Python port of the JS query algorithm

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
        return self._get(f"g/{fnv1a(key) % self.meta['shards']}.json").get(key)

    def _list(self, entry) -> list[int]:
        if entry is None:
            return []
        if isinstance(entry, dict):
            return decode_postings(self._get(f"l/{entry['f']}.json"))
        return decode_postings(entry)

    def _doc_values(self, n: int) -> list[str]:
        row = self._get(f"d/{n // self.meta['chunk']}.json")[n % self.meta["chunk"]]
        norm = row[3] if len(row) > 3 else {}
        return [norm.get(str(i), v.translate(_ASCII_LOWER)) for i, v in enumerate(row[2])]

    def _tier(self, n: int, q: str) -> int | None:
        return rank(self._doc_values(n), q)

    def search(self, query: str) -> list[int]:
        q = normalize_query(query)
        if not q:
            return []
        gram_keys, prefix_key, exact_key = query_keys(q)
        entries = [self._entry(k) for k in gram_keys]
        if any(e is None for e in entries):
            return []
        sized = sorted(((e["n"] if isinstance(e, dict) else None, i, e) for i, e in enumerate(entries)),
                       key=lambda t: (t[0] is not None, t[0] or 0, t[1]))
        cand: set[int] | None = None
        for n_ext, _i, e in sized:
            if cand is not None and n_ext is not None and len(cand) <= self.VERIFY_SKIP:
                continue
            nums = set(self._list(e))
            cand = nums if cand is None else cand & nums
        exact = [n for n in self._list(self._entry(exact_key)) if n in cand]
        prefix = set(self._list(self._entry(prefix_key))) & cand
        exact_set = set(exact)
        hits = [(0, n) for n in exact]
        for n in sorted(cand - exact_set):
            t = self._tier(n, q)
            if t is not None:
                hits.append((t, n))
            assert t != 1 or n in prefix, "prefix tier outside the prefix list"
        return [n for _t, n in sorted(hits)]


# ------------------------------------------------------------------------------------------- minimal search site

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="{rel}assets/stylesheets/search.css"></head>
<body><header class="srch-header">{box}</header><main>{main}</main>
<script src="{rel}assets/javascripts/search.js"></script></body></html>
"""


def search_box_html(action: str, mode: str = "header") -> str:
    """The search form (header drop-down or full page) that search.js enhances; plain GET to /search/?q= without
    JavaScript."""
    if mode == "page":
        return ('<form class="srch-search srch-page" role="search" aria-label="搜索全部记录 / Search all records" action="{a}" method="get" data-srch-mode="page">'
                '<label for="srch-page-q">搜索记录、企业、编号或信用代码 / Search records, companies, ids or credit codes'
                '</label><input id="srch-page-q" name="q" type="search" autocomplete="off" spellcheck="false" '
                'placeholder="例如 传感器、嘉兴、P-2025-0" aria-controls="srch-page-results">'
                '<button type="submit">搜索 / Search</button>'
                '<p class="srch-status" role="status" aria-live="polite"></p>'
                '<ol id="srch-page-results" class="srch-results"></ol></form>').format(a=action)
    return ('<form class="srch-search srch-header-box" role="search" aria-label="站点搜索 / Site search" action="{a}" method="get" data-srch-mode="header">'
            '<label for="srch-q" class="srch-visually-hidden">搜索 / Search</label>'
            '<input id="srch-q" name="q" type="search" autocomplete="off" spellcheck="false" '
            'placeholder="搜索 / Search" aria-controls="srch-results">'
            '<p class="srch-status srch-visually-hidden" role="status" aria-live="polite"></p>'
            '<ol id="srch-results" class="srch-results" hidden></ol></form>').format(a=action)


def write_minimal_site(catalog: Catalog, out: Path, **index_options) -> dict:
    """A two-page site (home + /search/) with the real search.js, CSS and index: the browser tests and the
    benchmark use it when the full site build is not available."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = write_search_index(catalog, out, **index_options)
    for src, rel in ((SEARCH_JS, "assets/javascripts/search.js"), (SEARCH_CSS, "assets/stylesheets/search.css")):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out / rel)
    home = PAGE.format(title="嘉兴“三新”开放数据", rel="", box=search_box_html("search/"),
                       main="<h1>嘉兴“三新”开放数据</h1>")
    (out / "index.html").write_text(home, encoding="utf-8")
    (out / "search").mkdir(exist_ok=True)
    page = PAGE.format(title="搜索 / Search", rel="../", box=search_box_html("./"),
                       main="<h1>搜索 / Search</h1>" + search_box_html("./", "page"))
    (out / "search" / "index.html").write_text(page, encoding="utf-8")
    return summary
