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
per query). `Matcher` (scripts/search/query.py) is the reference: the plain substring semantics the index must
reproduce exactly. Modules: search (documents and the index writer), search_postings (the posting lists, built
per distinct value), search_keys (normalisation, keys, posting encoding), search_query (the reference and a Python
port of the JS reader), search_site (a minimal search site).

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
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..model import companies as company_index
from ..model.catalog import Catalog
from .keys import ASCII_LOWER, encode_counted, normalize, shard_of
from .postings import Memo, gc_paused, postings_by_key

INDEX_VERSION = 2
CHUNK = 16               # documents per chunk file
SHARD_TARGET = 12_000    # bytes of inline postings per shard file (target)
EXTERNAL = 2_048         # posting strings longer than this go to their own file
MIN_SHARDS, MAX_SHARDS = 8, 8192
COMPANIES = {"name": "companies", "title": "企业", "title_en": "Companies"}


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
    status = ds.info.status
    if not status.field:
        return None, {}
    ranks: dict[str, int] = {}
    for rank, values in enumerate((status.in_force, status.pending, status.withdrawn)):
        for value in values:
            ranks.setdefault(value, rank)
    return status.field, ranks


def other_fields(ds, primary: list[str]) -> tuple[list[str], dict[str, str]]:
    """Every string or list field of the schema that is not primary (addresses excluded), in schema order, and
    field → referenced resource for its single-field foreign keys (a registry row's names are searched too)."""
    refs = dict(ds.info.foreign)
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
        info = ds.info
        key, title_field = info.key, info.title_field
        roles = [key, title_field, info.company_name, info.company_code, *info.search_fields]
        fields = [f for f in dict.fromkeys(roles) if f and ds.field(f) is not None]
        others, refs = other_fields(ds, fields)
        status_field, ranks = status_role(ds)
        datasets.append({"name": ds.name, "title": info.title, "title_en": info.title_en or ds.name})
        if status_field:  # results mark these values as withdrawn
            datasets[-1]["withdrawn"] = sorted(v for v, r in ranks.items() if r == 2)
        for record in ds.records:
            rid = record.values.get(key)
            if not isinstance(rid, str) or not rid:
                continue
            values: list[str] = []
            for f in fields:
                items = _items(record.values.get(f))
                values += items if items else ([""] if f in (key, title_field) else [])
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
            docs.append(Doc(ds.name, rid, values[1] or rid, info.year_of(record.values), tuple(values),
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


# ----------------------------------------------------------------------------------------------------- the index


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


def _doc_row(doc: Doc, ds_index: dict[str, int], label_no: dict[tuple, int], label_len: list[int],
             differs: Memo) -> list:
    """[dataset, year, values, number of primary values, status, {index: normalised value where it differs},
    [label set numbers]]: values without the code names, which the reader appends from meta.json `labels`."""
    named = sum(label_len[label_no[k]] for k in doc.labels)
    values = list(doc.values[:len(doc.values) - named])
    row: list = [ds_index[doc.dataset], doc.year, values, doc.n_primary, doc.status]
    changed = {str(i): differs[v] for i, v in enumerate(values) if differs[v] is not None}
    if changed or doc.labels:
        row.append(changed)
    if doc.labels:
        row.append([label_no[k] for k in doc.labels])
    return row


def _norm_labels(labels: list[list[str]]) -> dict[str, list[str]]:
    return {str(i): [normalize(v) for v in names] for i, names in enumerate(labels)
            if any(normalize(v) != v.translate(ASCII_LOWER) for v in names)}


def write_search_index(catalog: Catalog, docs_dir: Path, *, external: int = EXTERNAL, chunk: int = CHUNK) -> dict:
    """Write the index under docs_dir/assets/search/ (replacing it); deterministic. Returns summary figures.
    `external` (bytes) and `chunk` (documents per file) are tunable so tests can exercise every code path."""
    with gc_paused():
        return _write_index(catalog, Path(docs_dir), external, chunk)


def _write_index(catalog: Catalog, docs_dir: Path, external: int, chunk: int) -> dict:
    docs, datasets = build_docs(catalog)
    ds_index = {d["name"]: i for i, d in enumerate(datasets)}
    labels, label_no = label_table(docs, catalog)
    label_len = [len(names) for names in labels]
    norm = Memo(normalize)
    # the normalised value where it is not just the lower case (the reader lower-cases the rest itself)
    differs = Memo(lambda v: None if norm[v] == v.translate(ASCII_LOWER) else norm[v])
    encoded: dict[str, str] = {}
    counts: dict[str, int] = {}  # the length of the lists stored in their own file
    for keys, numbers in postings_by_key(docs, norm):  # encoded as they come: the lists are never all in memory
        text, count = encode_counted(numbers)
        for key in keys:
            encoded[key] = text
            if len(text) > external:
                counts[key] = count
    big = sorted(counts)
    inline_bytes = sum(len(k.encode()) + len(v) + 6 for k, v in encoded.items() if len(v) <= external)
    shards = shard_count(inline_bytes)
    shard_maps: list[dict] = [{} for _ in range(shards)]
    ext_no = {key: i for i, key in enumerate(big)}
    for key, text in encoded.items():
        entry = {"n": counts[key], "f": ext_no[key]} if key in ext_no else text
        shard_maps[shard_of(key, shards)][key] = entry

    root = Path(docs_dir) / "assets" / "search"
    tmp = root.with_name("search.tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    for sub in ("g", "l", "d"):
        (tmp / sub).mkdir(parents=True)
    sizes: dict[str, list[int]] = {"shards": [], "lists": [], "chunks": []}
    for i, shard in enumerate(shard_maps):
        text = _dump(shard)
        (tmp / "g" / f"{i}.json").write_text(text, encoding="utf-8")
        sizes["shards"].append(len(text.encode()))
    for key, i in ext_no.items():
        text = _dump(encoded[key])
        (tmp / "l" / f"{i}.json").write_text(text, encoding="utf-8")
        sizes["lists"].append(len(text.encode()))
    for c in range(0, len(docs), chunk):
        text = _dump([_doc_row(d, ds_index, label_no, label_len, differs) for d in docs[c:c + chunk]])
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
