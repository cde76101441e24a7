"""Site search: a static bigram inverted index, sharded by hash, that finds every record containing the query text.

Why not lunr or Pagefind: lunr needs the whole 13.7 MB index in the browser (2.1 s to first result at 12,000
records); Pagefind segments Chinese into words, so a substring such as `感器` or `P-2025-0` can be missed. The
contract here is recall 100 % for substring matches, so the index is over characters:

- every searchable value is normalised (NFKC, so full-width → half-width, then ASCII lower case) and split into
  unigrams and bigrams (code points). Searchable = the *primary* values (id, title field, `display.search_fields`,
  company name and credit code) and the *other text*: every string or list field of the schema (summaries,
  descriptions, needs, owners, departments, stages …; addresses excepted), plus, for a field with a foreign key,
  the names of the code in its table (LABEL_FIELDS: name, name_en, title, title_en, aliases — 330402 → 南湖区,
  Nanhu District, 秀城区; 智能传感 → Smart sensing). English queries match only the English text that exists:
  registry English names and English in field values (`sensing` finds, `sensor` does not: no stemming);
- `g:<gram>` posting lists name the documents containing a gram in any value, `t:<gram>` the same for primary
  values only (stored in the shard of its `g:` key: no extra request); a query of length 1 reads its unigram
  lists, a longer query the lists of its overlapping bigrams (at most 8, evenly spread), intersects them and
  verifies the candidates against the document text (bigrams cannot prove a longer match);
- `p:<first gram>` lists the documents where some primary value *starts* with the query's first gram and
  `e:<whole value>` those where a primary value *equals* the query. Tiers: 0 exact (companies first: a company
  comes first for its own name or code), 1 prefix, 2 substring of a primary value, 3 only in other text; within a
  tier, index order = status rank (dataset.yaml `display.status`: in force, pending, withdrawn; no ranking when a
  dataset declares none), then dataset (the lists in navigation order, then companies), then id;
- meta.json holds, per dataset, the runs of document numbers it occupies (the search page's dataset filter is a
  range intersection, counts stay exact), and the names of every referenced code once (`labels`: rows list only
  their label numbers, so chunks stay small);
- posting lists are delta-encoded with runs (`gap[+run]`, base 36, comma-separated); keys are spread over
  `shards` files by FNV-1a 32 hash, the shard count chosen from the corpus size so a shard stays ~12 KB at 1× and
  10×; lists longer than 2 KB live in their own file (`l/<n>.json`) with their length in the shard, so a query
  only downloads a big list when the smaller ones leave too many candidates;
- documents are stored 16 per chunk file (`d/<n>.json`) so showing a page of results needs a few small files.

`python -m scripts search-bench` measures the real JavaScript in headless Chromium (ms to first results, bytes
per query). `Matcher` is the reference: the plain substring semantics the index must reproduce exactly.

Measured 2026-11-25 (2 cores shared with three other sessions' builds and tests, so times are noisy; headless
Chromium on localhost, fixed queries, each cold, times include the 120 ms typing debounce; `make bench` prints the
same lines). Every text field, code names, t: and ASCII trigram keys (issue 10), 2027 fixture, minimal page:

| fixture | docs | index | write | first results median / max | transferred median / max |
|---|---|---|---|---|---|
| 1×, 18 queries, quiet (before the recognitions merge) | 18,020 | 18.8 MB in 512 shards + 1,296 lists + 1,127 chunks | 6.0–9.1 s | 164 / 247 ms | 83 / 196 KB |
| 1× with recognitions, while `make test` ran | 19,164 | 21.8 MB in 512 shards + 1,368 lists + 1,198 chunks | 15.0 s | 216 / 344 ms | 90 / 232 KB |

Before (id, title, company and credit code only; 16 queries): 1× 5.6 MB, 2.0 s, 156 / 292 ms, 65 / 182 KB; 10×
56 MB, 12.5–17.5 s, 143 / 222 ms, 83 / 225 KB. The 10× fixture has not been measured with the new fields.
"""

from __future__ import annotations

import json
from array import array
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import companies as company_index
from .model import Catalog
from .paths import SITE_SRC
from .textrules import HIDDEN

INDEX_VERSION = 2
CHUNK = 16               # documents per chunk file
SHARD_TARGET = 12_000    # bytes of inline postings per shard file (target)
EXTERNAL = 2_048         # posting strings longer than this go to their own file
MIN_SHARDS, MAX_SHARDS = 8, 8192
COMPANIES = {"name": "companies", "title": "企业", "title_en": "Companies", "icon": ""}
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
SEARCH_JS = SITE_SRC / "assets" / "javascripts" / "search.js"
SEARCH_CSS = SITE_SRC / "assets" / "stylesheets" / "search.css"


def normalize(text: str) -> str:
    """NFKC (full-width → half-width, compatibility forms) then ASCII-only lower case; the JS does the same."""
    return unicodedata.normalize("NFKC", text).translate(_ASCII_LOWER)




def normalize_query(text: str) -> str:
    """A typed or pasted query: normalised, zero-width and bidi controls removed (data cannot contain them), trimmed."""
    return HIDDEN.sub("", normalize(text)).strip()


@dataclass(frozen=True)
class Doc:
    """One searchable document: a record of a list dataset or a company (credit code)."""

    dataset: str
    id: str
    title: str
    year: int | None
    values: tuple[str, ...]   # searchable values, raw; values[0] = id, values[1] = title, then company, code, ...
    primary: int = -1         # values[:primary] are id, title and company values (ranked); the rest is other text
    status: str = ""          # the value of the dataset's status field (display.status.field), shown in results
    srank: int = 0            # 0 in force (or no status role), 1 pending, 2 withdrawn: the order within a tier
    labels: tuple = ()        # (registry, code) of the codes whose names end `values` (stored once, in meta.json)

    @property
    def n_primary(self) -> int:
        return len(self.values) if self.primary < 0 else self.primary

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


LABEL_FIELDS = ("name", "name_en", "title", "title_en", "aliases")  # a registry row's names, searched for its code


def _skip(field: dict) -> bool:
    """Fields that are not text people search for: addresses (http_url checks)."""
    return "http_url" in (field.get("x-checks") or [])


def registry_labels(catalog: Catalog) -> dict[str, dict[str, list[str]]]:
    """registry name → id → its names (the LABEL_FIELDS the table has: Chinese name, English name, aliases)."""
    out: dict[str, dict[str, list[str]]] = {}
    for reg in catalog.registry():
        present = [f for f in LABEL_FIELDS if reg.field(f) is not None]
        table = out[reg.name] = {}
        for record in reg.records:
            rid = record.values.get("id")
            if isinstance(rid, str) and rid:
                table[rid] = [v for f in present for v in _items(record.values.get(f)) if v != rid]
    return out


def status_role(ds) -> tuple[str | None, dict[str, int]]:
    """(status field, value → rank) from dataset.yaml display.status {field, in_force, pending, withdrawn}: rank 0
    in force, 1 pending (or a value not listed), 2 withdrawn; (None, {}) when the dataset declares no status role
    (then nothing is ranked by status)."""
    role = (ds.meta.get("display") or {}).get("status") or {}
    if not isinstance(role, dict) or not role.get("field") or ds.field(role["field"]) is None:
        return None, {}
    ranks: dict[str, int] = {}
    for rank, key in enumerate(("in_force", "pending", "withdrawn")):
        for value in role.get(key) or []:
            ranks.setdefault(str(value), rank)
    return role["field"], ranks


def other_fields(ds, primary: list[str]) -> tuple[list[str], dict[str, str]]:
    """Every string or list field of the schema that is not primary (addresses excluded), in schema order, and
    field → referenced resource for its single-field foreign keys (a registry row's names are searched too)."""
    refs = {}
    for fk in ds.schema.get("foreignKeys") or []:
        fields = fk.get("fields")
        fields = [fields] if isinstance(fields, str) else fields or []
        if len(fields) == 1:
            refs[fields[0]] = (fk.get("reference") or {}).get("resource")
    names = [f["name"] for f in ds.fields if f.get("type") in ("string", "list") and not _skip(f)
             and f["name"] not in primary]
    return names, refs


def build_docs(catalog: Catalog) -> tuple[list[Doc], list[dict]]:
    """All searchable documents in index order, and the dataset descriptions (index in doc → dataset).

    Index order: status rank (in force, pending, withdrawn), then dataset (the lists in navigation order, then
    companies), then id — so within a tier records in force come first and products before the lists about them."""
    docs: list[Doc] = []
    datasets: list[dict] = []
    labels = registry_labels(catalog)
    for ds in catalog.lists():
        display = ds.meta.get("display") or {}
        title_field = ds.meta.get("title_field") or "id"
        company = display.get("company") or {}
        fields = ["id", title_field, company.get("name"), company.get("code"), *(display.get("search_fields") or [])]
        fields = [f for f in dict.fromkeys(fields) if f and ds.field(f) is not None]
        others, refs = other_fields(ds, fields)
        status_field, ranks = status_role(ds)
        datasets.append({"name": ds.name, "title": ds.meta.get("title", ds.name),
                         "title_en": ds.meta.get("title_en", ds.name), "icon": display.get("icon", "")})
        if status_field:  # results mark these values as withdrawn
            datasets[-1]["withdrawn"] = sorted(v for v, r in ranks.items() if r == 2)
        for record in ds.records:
            rid = record.values.get("id")
            if not isinstance(rid, str) or not rid:
                continue
            values: list[str] = []
            for f in fields:
                items = _items(record.values.get(f))
                values += items if items else ([""] if f in ("id", title_field) else [])
            primary = len(values)
            named = []
            for f in others:
                for item in _items(record.values.get(f)):
                    values.append(item)
                    if labels.get(refs.get(f) or "", {}).get(item):
                        named.append((refs[f], item))
            named = list(dict.fromkeys(named))
            for reg, code in named:
                values += labels[reg][code]
            status = record.values.get(status_field) if status_field else None
            status = status if isinstance(status, str) else ""
            docs.append(Doc(ds.name, rid, values[1] or rid, _year(record.values.get("year")), tuple(values),
                            primary, status, ranks.get(status, 1) if status_field else 0, tuple(named)))
    company_docs = _company_docs(catalog)
    if company_docs:
        datasets.append(dict(COMPANIES))
        docs += company_docs
    order = {d["name"]: i for i, d in enumerate(datasets)}
    docs.sort(key=lambda d: (d.srank, order[d.dataset], d.id))
    return docs, datasets


def _company_docs(catalog: Catalog) -> list[Doc]:
    """One document per company page (credit code, or a name hash when no code is known): values[0] is the code (or
    the page key), then the names lists give it (the page's name first, then by frequency)."""
    entries, _of = company_index.index(catalog)
    out = []
    for slug, entry in entries.items():
        names = [entry["name"]] + [n for n, _ in sorted(entry["names"].items(), key=lambda kv: (-kv[1], kv[0]))
                                   if n != entry["name"]]
        out.append(Doc(COMPANIES["name"], slug, entry["name"], None, (entry["code"] or slug, *names)))
    return out


def dataset_ranges(docs: list[Doc], datasets: list[dict]) -> list[list[list[int]]]:
    """For each dataset the [start, end) runs of document numbers it holds: a filter by dataset is a range
    intersection, no document needs fetching."""
    ds_index = {d["name"]: i for i, d in enumerate(datasets)}
    ranges: list[list[list[int]]] = [[] for _ in datasets]
    for n, doc in enumerate(docs):
        runs = ranges[ds_index[doc.dataset]]
        if runs and runs[-1][1] == n:
            runs[-1][1] = n + 1
        else:
            runs.append([n, n + 1])
    return ranges


# ---------------------------------------------------------------------------------------------- reference matcher

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


def ascii_trigrams(chars: list[str]) -> list[str]:
    """The trigrams inside runs of ASCII characters (an ASCII query of 3+ characters lies inside one such run)."""
    return [chars[j] + chars[j + 1] + chars[j + 2] for j in range(len(chars) - 2)
            if chars[j].isascii() and chars[j + 1].isascii() and chars[j + 2].isascii()]


def doc_keys(doc: Doc) -> set[str]:
    """g: grams of every value; for the primary values also t: grams (the same grams, primary values only), e:
    whole value and p: first one and two characters."""
    keys: set[str] = set()
    for i, value in enumerate(doc.values):
        v = list(normalize(value))
        if not v:
            continue
        grams = v + [v[j] + v[j + 1] for j in range(len(v) - 1)] + ascii_trigrams(v)
        keys.update("g:" + g for g in grams)
        if i < doc.n_primary:
            keys.update("t:" + g for g in grams)
            keys.add("e:" + "".join(v))
            keys.add("p:" + v[0])
            if len(v) > 1:
                keys.add("p:" + v[0] + v[1])
    return keys


def shard_of(key: str, shards: int) -> int:
    """The shard file of a key; a t: key lives beside the g: key of the same gram (no extra request)."""
    return fnv1a("g:" + key[2:] if key.startswith("t:") else key) % shards


def shard_count(inline_bytes: int) -> int:
    n = MIN_SHARDS
    while n * SHARD_TARGET < inline_bytes and n < MAX_SHARDS:
        n *= 2
    return n


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def label_table(docs: list[Doc], catalog: Catalog) -> tuple[list[list[str]], dict[tuple, int]]:
    """The names of every code some document refers to, once: ([names, …], (registry, code) → index)."""
    labels = registry_labels(catalog)
    keys = sorted({key for d in docs for key in d.labels})
    return [labels[r][c] for r, c in keys], {key: i for i, key in enumerate(keys)}


def _doc_row(doc: Doc, ds_index: dict[str, int], label_no: dict[tuple, int], label_len: list[int]) -> list:
    """[dataset, year, values, number of primary values, status, {index: normalised value where it differs},
    [label set numbers]]: values without the code names, which the reader appends from meta.json `labels`."""
    named = sum(label_len[label_no[k]] for k in doc.labels)
    values = list(doc.values[:len(doc.values) - named])
    row: list = [ds_index[doc.dataset], doc.year, values, doc.n_primary, doc.status]
    differs = {str(i): normalize(v) for i, v in enumerate(values) if normalize(v) != v.translate(_ASCII_LOWER)}
    if differs or doc.labels:
        row.append(differs)
    if doc.labels:
        row.append([label_no[k] for k in doc.labels])
    return row


def _norm_labels(labels: list[list[str]]) -> dict[str, list[str]]:
    return {str(i): [normalize(v) for v in names] for i, names in enumerate(labels)
            if any(normalize(v) != v.translate(_ASCII_LOWER) for v in names)}


def write_search_index(catalog: Catalog, docs_dir: Path, *, external: int = EXTERNAL, chunk: int = CHUNK) -> dict:
    """Write the index under docs_dir/assets/search/ (replacing it); deterministic. Returns summary figures.
    `external` (bytes) and `chunk` (documents per file) are tunable so tests can exercise every code path."""
    docs, datasets = build_docs(catalog)
    ds_index = {d["name"]: i for i, d in enumerate(datasets)}
    labels, label_no = label_table(docs, catalog)
    label_len = [len(names) for names in labels]
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
        shard_maps[shard_of(key, shards)][key] = entry

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
        text = _dump([_doc_row(d, ds_index, label_no, label_len) for d in docs[c:c + chunk]])
        (tmp / "d" / f"{c // chunk}.json").write_text(text, encoding="utf-8")
        sizes["chunks"].append(len(text.encode()))
    for d, runs in zip(datasets, dataset_ranges(docs, datasets)):
        d["ranges"] = runs
    meta = {"version": INDEX_VERSION, "docs": len(docs), "chunk": chunk, "shards": shards,
            "datasets": datasets, "labels": labels, "labels_norm": _norm_labels(labels)}
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
        values = [norm.get(str(i), v.translate(_ASCII_LOWER)) for i, v in enumerate(row[2])]
        for i in row[6] if len(row) > 6 else []:
            values += self.meta["labels_norm"].get(str(i)) or [v.translate(_ASCII_LOWER) for v in self.meta["labels"][i]]
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
                '<label for="srch-page-type" class="srch-visually-hidden">类型 / Type</label><select id="srch-page-type" name="type">'
                '<option value="">全部 / All</option></select>'
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
