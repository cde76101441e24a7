"""Search index: the query algorithm (Python port of search.js, reading the written files) finds exactly what the
reference substring matcher finds, for every substring (1–10 characters) of sample names, companies, ids and
credit codes; the output is deterministic; shards stay small. The real JS is run in Chromium by
tests/browser/test_search_browser.py against the same kind of index."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from conftest import apply_overlay

from scripts.load.loader import load_catalog
from scripts.model.roles import Status
from scripts.search.index import COMPANIES, build_docs, shard_count, write_search_index
from scripts.search.keys import (
    decode_postings,
    encode_counted,
    encode_postings,
    fnv1a,
    normalize,
    normalize_query,
    query_keys,
)
from scripts.search.postings import Memo, postings_by_key
from scripts.search.query import IndexReader, Matcher, tier

REPO = Path(__file__).resolve().parent.parent
OVERLAY = REPO / "tests" / "fixtures" / "search-overlay"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    data = tmp_path_factory.mktemp("search") / "data"
    shutil.copytree(REPO / "data", data)
    apply_overlay(data, OVERLAY)  # its CSV gets the optional columns it lacks (tests/conftest.py)
    catalog, problems = load_catalog(data)
    assert [p for p in problems if p.severity == "error"] == []
    return catalog


def substrings(value: str, longest: int = 10) -> set[str]:
    return {value[i:j] for i in range(len(value)) for j in range(i + 1, min(len(value), i + longest) + 1)}


def sample_queries(docs, every: int) -> set[str]:
    queries: set[str] = set()
    for doc in docs[::every]:
        for value in doc.values:
            queries |= substrings(value)
            queries.add(value)
    return {q for q in queries if q.strip()}


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_postings_round_trip_with_runs():
    numbers = [0, 1, 2, 3, 10, 11, 40, 1000, 1001, 1002, 99999]
    text = encode_postings(numbers)
    assert text == "0+3,6+1,s,qn+2,24dw"  # gaps 959 and 98996 in base 36
    assert decode_postings(text) == numbers
    assert decode_postings(encode_postings([])) == []
    assert encode_postings(list(range(5000))) == "0+3uv"  # one run: 4,999 more


def test_encode_counted_skips_repeats_and_counts_distinct_numbers():
    # the writer concatenates the document lists of several values: repeats are skipped, not encoded twice
    assert encode_counted([0, 0, 1, 2, 2, 3, 10, 10, 11, 40, 40]) == ("0+3,6+1,s", 7)
    assert encode_counted([5, 5, 5]) == ("5", 1)
    assert encode_counted([]) == ("", 0)
    assert encode_counted([200_000]) == ("4abk", 1)  # beyond any number seen so far: the base-36 table grows


def naive_doc_keys(doc) -> set[str]:
    """The keys of one document computed the plain way (what the index promises, see the module docstring): g: grams
    (characters, bigrams, trigrams inside ASCII runs) of every value; t: grams, e: whole value, p: first one and two
    characters of the primary values."""
    keys = set()
    for i, raw in enumerate(doc.values):
        v = normalize(raw)
        grams = set(v) | {v[j:j + 2] for j in range(len(v) - 1)}
        grams |= {v[j:j + 3] for j in range(len(v) - 2) if v[j:j + 3].isascii()}
        keys |= {"g:" + g for g in grams}
        if i < doc.n_primary and v:
            keys |= {"t:" + g for g in grams} | {"e:" + v, "p:" + v[:1], "p:" + v[:2]}
    return keys


def test_postings_built_per_distinct_value_equal_the_per_document_lists(catalog):
    docs, _ = build_docs(catalog)
    expected: dict[str, list[int]] = {}
    for n, doc in enumerate(docs):
        for key in naive_doc_keys(doc):
            expected.setdefault(key, []).append(n)
    got: dict[str, list[int]] = {}
    for keys, numbers in postings_by_key(docs, Memo(normalize)):
        assert list(numbers) == sorted(numbers)
        for key in keys:
            assert key not in got
            got[key] = sorted(set(numbers))
    assert got == expected
    assert len(got) > 1000 and any(len(v) > 50 for v in got.values())  # a real index: many keys, some long lists


def test_fnv1a_matches_the_published_test_vectors():
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_normalise_fullwidth_and_ascii_case_only():
    assert normalize("ＡＢＣ１２３－") == "abc123-"
    assert normalize("P-2025-00001") == "p-2025-00001"
    assert normalize("ÄÖ") == "ÄÖ"  # ASCII-only lower case, exactly like the JS
    assert normalize_query("  传感器 ") == "传感器"
    assert normalize_query("传\u200b感器\u202e") == "传感器"  # pasted invisible characters are dropped


def test_query_keys_are_overlapping_bigrams_or_ascii_trigrams_at_most_eight():
    assert query_keys("传") == (["g:传"], "p:传", "e:传")
    assert query_keys("传感器") == (["g:传感", "g:感器"], "p:传感", "e:传感器")
    assert query_keys("伺服电机科技")[0] == ["g:伺服", "g:服电", "g:电机", "g:机科", "g:科技"]
    assert query_keys("ab") == (["g:ab"], "p:ab", "e:ab")
    # ASCII queries of 3+ characters use trigrams (ids and codes: few candidates, exact counts)
    assert query_keys("aaaa") == (["g:aaa"], "p:aa", "e:aaaa")
    assert query_keys("ai视觉")[0] == ["g:ai", "g:i视", "g:视觉"]  # not all ASCII: bigrams
    long = query_keys("91330402ma29gj9y6y")[0]  # 16 trigrams → 8, first and last kept
    assert long == ["g:913", "g:330", "g:040", "g:02m", "g:a29", "g:9gj", "g:j9y", "g:y6y"]  # indices (i·15+3)//7


def test_every_substring_found_exactly_like_the_reference(catalog, tmp_path):
    write_search_index(catalog, tmp_path)
    docs, _ = build_docs(catalog)
    matcher, reader = Matcher(docs), IndexReader(tmp_path / "assets" / "search")
    queries = sample_queries(docs, every=3) | {"传感器", "嘉兴", "P-2025-0", "ＡＩ", "<script>", "没有这样的记录",
                                               "南湖区", "秀城区", "nanhu", "sensing", "Smart sensing", "新材料"}
    assert any(len(d.values) > d.n_primary for d in docs[::3])  # the sample covers other text and code names
    assert len(queries) > 3000
    mismatches = [q for q in sorted(queries) if reader.search(q) != matcher.search(q)]
    assert mismatches == []


def test_big_lists_in_their_own_files_still_exact(catalog, tmp_path):
    """With a tiny threshold most lists are external and chunks are small: every path of the algorithm runs."""
    summary = write_search_index(catalog, tmp_path, external=8, chunk=5)
    assert summary["external_lists"] > 100
    docs, _ = build_docs(catalog)
    matcher, reader = Matcher(docs), IndexReader(tmp_path / "assets" / "search")
    queries = sample_queries(docs, every=5) | {"示", "示例", "示例智能传感科技有限公司", "有限公司", "2025"}
    mismatches = [q for q in sorted(queries) if reader.search(q) != matcher.search(q)]
    assert mismatches == []


def test_expected_results_for_the_issue_queries(catalog, tmp_path):
    write_search_index(catalog, tmp_path)
    docs, _ = build_docs(catalog)
    reader = IndexReader(tmp_path / "assets" / "search")
    found = lambda q: [(docs[n].dataset, docs[n].id) for n in reader.search(q)]  # noqa: E731
    assert found("P-2025-00001")[0] == ("products", "P-2025-00001")  # exact first
    assert found("p-2025-00001")[0] == ("products", "P-2025-00001")  # ASCII case-insensitive
    assert ("companies", next(d.id for d in docs if d.title == "嘉兴示例精工科技有限公司")) in found("嘉兴")
    assert found("ａｉ视觉") == [("products", "P-2027-00002")]
    assert found("<script>") == [("products", "P-2027-00003")]
    sensor = found("传感器")
    assert len(sensor) == sum(1 for d in docs if any("传感器" in v for v in d.values))
    assert found("没有这样的记录") == []


def test_records_link_to_permalinks_and_companies_to_credit_codes(catalog):
    docs, datasets = build_docs(catalog)
    assert [d["name"] for d in datasets] == [ds.name for ds in catalog.lists()] + [COMPANIES["name"]]
    product = next(d for d in docs if d.id == "P-2025-00001")
    assert product.url == "products/P-2025-00001/"
    assert product.values[:2] == ("P-2025-00001", "示例高精度压力传感器")
    company = next(d for d in docs if d.dataset == "companies" and d.id == product.values[3])
    assert company.url == f"companies/{product.values[3]}/" and company.title == product.values[2]
    # a company no list gave a code for is still found, on its own page (registry name, code empty)
    no_code = next(d for d in docs if d.dataset == "companies" and d.title == "示例重型装备有限公司")
    assert no_code.url.startswith("companies/c-") and no_code.values[0] == no_code.id  # values[0] is the id


def test_two_writes_are_byte_identical_and_replace_old_files(catalog, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_search_index(catalog, a)
    (b / "assets" / "search" / "g").mkdir(parents=True)
    (b / "assets" / "search" / "g" / "stale.json").write_text("{}")
    write_search_index(catalog, b)
    assert tree_bytes(a) == tree_bytes(b)
    assert not (b / "assets" / "search" / "g" / "stale.json").exists()
    meta = json.loads((a / "assets" / "search" / "meta.json").read_text(encoding="utf-8"))
    assert meta["shards"] == len(list((a / "assets" / "search" / "g").iterdir()))


def test_shard_count_grows_with_the_corpus():
    assert shard_count(0) == 8
    assert shard_count(12_000 * 100) == 128
    assert shard_count(12_000 * 1000) == 1024
    assert shard_count(10**12) == 8192


def test_search_bench_index_only_cli(catalog, tmp_path):
    """`python -m scripts search-bench --data D --index-only --out O` writes the minimal site and prints figures."""
    import subprocess
    import sys

    out = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "scripts", "search-bench", "--data", str(catalog.root),
                           "--index-only", "--out", str(out)], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("index: ") and "docs" in proc.stdout and proc.stdout.rstrip().endswith(str(out))
    assert (out / "search" / "index.html").is_file() and (out / "assets" / "search" / "meta.json").is_file()
    assert (out / "assets" / "javascripts" / "search.js").read_bytes() == \
        (REPO / "site" / "assets" / "javascripts" / "search.js").read_bytes()


def test_search_page_and_header_partial_use_the_same_markup_as_the_minimal_site():
    from scripts.search.site import search_box_html

    page = (REPO / "site" / "search.md").read_text(encoding="utf-8")
    partial = (REPO / "site" / "overrides" / "partials" / "search-box.html").read_text(encoding="utf-8")
    assert search_box_html("./", "page") in page.splitlines()
    # the action through MkDocs' url filter: relative on every page, "/search/" on the 404 page (served at any depth)
    assert search_box_html("{{ 'search/' | url }}") in partial.splitlines()
    assert '{% include "partials/search-box.html" %}' in (REPO / "site" / "overrides" / "main.html").read_text()


def text_fields(ds):
    return [f["name"] for f in ds.fields
            if f["type"] in ("string", "list") and "http_url" not in (f.get("x-checks") or [])]


def test_every_text_field_of_every_list_is_searchable(catalog):
    """Driven by the schemas: every value of every string or list field (addresses excepted) is a document value."""
    docs, _ = build_docs(catalog)
    by_key = {(d.dataset, d.id): d for d in docs}
    checked = 0
    for ds in catalog.lists():
        for record in ds.records:
            values = set(by_key[(ds.name, record.values["id"])].values)
            for name in text_fields(ds):
                raw = record.values.get(name)
                for item in raw if isinstance(raw, list) else [raw] if raw else []:
                    assert str(item) in values, (ds.name, record.values["id"], name)
                    checked += 1
    assert checked > 500


def test_code_names_and_english_names_are_searchable(catalog, tmp_path):
    """A district code finds by its name, alias and English name; an industry by its English name; the
    placeholder example 嘉兴 and a word only in a scene's needs find records."""
    write_search_index(catalog, tmp_path)
    docs, _ = build_docs(catalog)
    reader = IndexReader(tmp_path / "assets" / "search")
    nanhu = {(d.dataset, d.id) for d in docs if "330402" in d.values[d.n_primary:]}
    assert len(nanhu) > 3
    for query in ("南湖区", "秀城区", "Nanhu District", "nanhu"):
        assert {(docs[n].dataset, docs[n].id) for n in reader.search(query)} >= nanhu, query
    sensing = [n for n in reader.search("sensing")]
    assert sensing and all("智能传感" in docs[n].values for n in sensing)
    assert len(reader.search("嘉兴")) > 10
    needs = {r.values["id"]: r.values.get("needs") or "" for r in catalog.datasets["scenes"].records}
    other_text = [v for d in docs for v in d.values if v not in needs.values()]
    word = next(w for text in needs.values() for w in substrings(text, 4) if len(w) == 4
                and not any(w in v for v in other_text))
    found = [(docs[n].dataset, docs[n].id) for n in reader.search(word)]
    assert found and all(ds == "scenes" and word in needs[i] for ds, i in found)
    assert tier(docs[reader.search(word)[0]], normalize_query(word)) == 3  # found in other text, ranked as such


def test_ranking_id_then_names_then_other_text_and_companies_first_for_their_name(catalog, tmp_path):
    write_search_index(catalog, tmp_path)
    docs, _ = build_docs(catalog)
    reader = IndexReader(tmp_path / "assets" / "search")
    for q in ("传感器", "示例", "新产品"):
        tiers = [tier(docs[n], normalize_query(q)) for n in reader.search(q)]
        assert tiers == sorted(tiers) and len(set(tiers)) > 1, q
    product = next(d for d in docs if d.id == "P-2025-00001")
    assert reader.search("P-2025-00001")[0] == docs.index(product)
    name, code = product.values[2], product.values[3]
    for q in (name, code):
        first = docs[reader.search(q)[0]]
        assert (first.dataset, first.id) == ("companies", code), q
    sensor = [docs[n].dataset for n in reader.search("传感器")]
    assert sensor.index("products") < sensor.index("awards")  # products before the lists about them


def test_status_ranks_in_force_before_pending_before_withdrawn(catalog, tmp_path):
    """display.status {field, in_force, pending, withdrawn} orders each tier; without it nothing is status-ranked."""
    products = catalog.datasets["products"]
    declared = products.info
    try:
        products.info = dataclasses.replace(declared, status=Status())
        docs, _ = build_docs(catalog)
        assert {(d.srank, d.status) for d in docs if d.dataset == "products"} == {(0, "")}
        products.info = dataclasses.replace(declared, status=Status("status", ("认定", "入选"), ("公示", "拟认定"), ("撤销",)))
        docs, datasets = build_docs(catalog)
        write_search_index(catalog, tmp_path)
    finally:
        products.info = declared
    reader = IndexReader(tmp_path / "assets" / "search")
    withdrawn = [d for d in docs if d.dataset == "products" and d.status == "撤销"]
    assert withdrawn and all(d.srank == 2 for d in withdrawn)
    found = [docs[n] for n in reader.search("示例")]  # every product: one tier
    ranks = [d.srank for d in found if d.dataset == "products"]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 2
    assert next(d for d in datasets if d["name"] == "products")["withdrawn"] == ["撤销"]


def test_dataset_ranges_cover_every_document_once(catalog, tmp_path):
    write_search_index(catalog, tmp_path)
    docs, _ = build_docs(catalog)
    meta = json.loads((tmp_path / "assets" / "search" / "meta.json").read_text(encoding="utf-8"))
    owner = {}
    for d in meta["datasets"]:
        for a, b in d["ranges"]:
            for n in range(a, b):
                assert n not in owner
                owner[n] = d["name"]
    assert [owner[n] for n in range(len(docs))] == [d.dataset for d in docs]
