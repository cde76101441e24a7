// Search: query decoding (normalisation, keys, FNV-1a shards, posting lists), ranking, and the whole query on the
// real index of tests/fixtures/valid against a brute-force reading of every document.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_GRAMS, decode, fnv1a, normalizeQuery, queryKeys } from "../../site/assets/js/search-query.js";
import { datasetRuns, difference, docValues, inRuns, intersect, markParts, mergeSorted, rawValues, snippet, statusText,
  tierOf } from "../../site/assets/js/search-rank.js";
import { openIndex } from "../../site/assets/js/search-index.js";
import { indexFile } from "./helpers.mjs";

const META = indexFile("meta.json");
const DOCS = Array.from({ length: META.docs }, (_, n) => indexFile("d/" + Math.floor(n / META.chunk) + ".json")[n % META.chunk]);

/** The inverse of decode, written from the format's description: gaps and runs in base 36. */
function encode(numbers) {
  const out = [];
  let prev = -1;
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) { j++; }
    const gap = (numbers[i] - prev - 1).toString(36);
    out.push(j > i ? gap + "+" + (j - i).toString(36) : gap);
    prev = numbers[j];
    i = j + 1;
  }
  return out.join(",");
}

function randomSorted(seed, size) {
  let x = seed;
  const set = new Set();
  for (let i = 0; i < size; i++) { x = (x * 1103515245 + 12345) % 2147483648; set.add(x % (size * 3)); }
  return Array.from(set).sort((a, b) => a - b);
}

test("normalizeQuery: NFKC, ASCII lower case only, no zero-width or bidi controls, trimmed", () => {
  assert.equal(normalizeQuery("  ＡＢＣ１２３ "), "abc123");
  assert.equal(normalizeQuery("传\u200b感\u202e器"), "传感器");
  assert.equal(normalizeQuery("ÄB"), "Äb");
  assert.equal(normalizeQuery("\ufeff"), "");
});

test("fnv1a gives the published 32-bit FNV-1a values", () => {
  assert.equal(fnv1a(""), 0x811c9dc5);
  assert.equal(fnv1a("a"), 0xe40c292c);
  assert.equal(fnv1a("foobar"), 0xbf9cf968);
});

test("decode reads gaps and runs; it is the inverse of the encoding", () => {
  assert.deepEqual(decode(""), []);
  assert.deepEqual(decode("0,2+3"), [0, 3, 4, 5, 6]);
  assert.deepEqual(decode("a"), [10]);
  for (const seed of [1, 7, 42]) {
    const numbers = randomSorted(seed, 300);
    assert.deepEqual(decode(encode(numbers)), numbers);
  }
});

test("queryKeys: one character, CJK bigrams, ASCII trigrams, at most MAX_GRAMS spread over a long query", () => {
  assert.deepEqual(queryKeys("器"), { grams: ["g:器"], prefix: "p:器", exact: "e:器", length: 1 });
  assert.deepEqual(queryKeys("传感器").grams, ["g:传感", "g:感器"]);
  assert.deepEqual(queryKeys("abcd").grams, ["g:abc", "g:bcd"]);
  assert.deepEqual(queryKeys("ab").grams, ["g:ab"]);
  assert.deepEqual(queryKeys("哈哈哈").grams, ["g:哈哈"]);
  const long = "示例高精度压力传感器研发损失保险保费补贴";
  const keys = queryKeys(long);
  assert.ok(keys.grams.length <= MAX_GRAMS);
  assert.equal(keys.grams[0], "g:" + long.slice(0, 2));
  assert.equal(keys.grams[keys.grams.length - 1], "g:" + long.slice(-2));
  assert.equal(keys.length, Array.from(long).length);
});

test("set operations on sorted lists agree with sets", () => {
  const a = randomSorted(3, 200), b = randomSorted(5, 150);
  const sb = new Set(b);
  assert.deepEqual(intersect(a, b), a.filter((x) => sb.has(x)));
  assert.deepEqual(difference(a, b), a.filter((x) => !sb.has(x)));
  assert.deepEqual(difference(a, []), a);
  assert.deepEqual(mergeSorted(a, b), a.concat(b).sort((x, y) => x - y));
  assert.deepEqual(inRuns([0, 3, 5, 9, 12], [[2, 6], [9, 10]]), [3, 5, 9]);
});

test("tierOf ranks exact, prefix, primary substring, other text", () => {
  const row = DOCS.find((r) => r[3] >= 2 && r[2].length > r[3]);
  const values = docValues(META, row);
  assert.equal(tierOf(META, row, values[0]), 0);
  assert.equal(tierOf(META, row, values[1].slice(0, 2)), values.slice(0, row[3]).includes(values[1].slice(0, 2)) ? 0 : 1);
  const other = values[row[3]];
  const onlyOther = Array.from(other).map((_, i) => other.slice(i, i + 2)).find((g) => g.length === 2 &&
    !values.slice(0, row[3]).some((v) => v.includes(g)));
  if (onlyOther) { assert.equal(tierOf(META, row, onlyOther), 3); }
  assert.equal(tierOf(META, row, "不会出现的文字"), null);
  // a value's own normalised form (full-width brackets folded) is what is compared
  const folded = DOCS.find((r) => r[5] && r[5]["1"]);
  assert.equal(tierOf(META, folded, folded[5]["1"]), 0);
});

test("the names of a row's codes follow its values", () => {
  const meta = { labels: [["南湖区", "Nanhu"]], labels_norm: { 0: ["南湖区", "nanhu"] } };
  const row = [0, 2025, ["X-1", "标题"], 2, "", {}, [0]];
  assert.deepEqual(rawValues(meta, row), ["X-1", "标题", "南湖区", "Nanhu"]);
  assert.deepEqual(docValues(meta, row), ["x-1", "标题", "南湖区", "nanhu"]);
  assert.equal(tierOf(meta, row, "nanhu"), 3);
});

/** Every result of a query in order, by the brute-force rule: every document with a value containing q, exact
    ones first (companies first among them), then prefix, primary, other text, each in index order. */
function bruteForce(q, only) {
  const companies = datasetRuns(META, "companies");
  const runs = only ? datasetRuns(META, only) : null;
  const hits = DOCS.map((row, n) => ({ n, tier: tierOf(META, row, q) }))
    .filter((h) => h.tier !== null && (!runs || inRuns([h.n], runs).length));
  const inCompanies = (h) => inRuns([h.n], companies).length > 0;
  const exact = hits.filter((h) => h.tier === 0);
  return exact.filter(inCompanies).concat(exact.filter((h) => !inCompanies(h)), hits.filter((h) => h.tier > 0)
    .sort((a, b) => a.tier - b.tier || a.n - b.n)).map((h) => [h.n, h.tier]);
}

async function everything(index, raw, only) {
  const res = await index.search(raw, only);
  if (res === null) { return null; }
  const got = [];
  while (res.more()) { (await res.next(3)).forEach((r) => got.push([r.n, r.tier])); }
  return { got, res };
}

function queries() {
  const qs = new Set(["器", "传感", "示例", "a-2025", "不存在的词语", "91330402", "P-2025-0000", "嘉兴", "保险保费补贴"]);
  DOCS.forEach((row) => { qs.add(row[2][0]); qs.add(row[2][1].slice(2, 7)); qs.add(row[2][row[2].length - 1]); });
  return Array.from(qs);
}

test("a search finds exactly the documents containing the query, in rank order", async () => {
  const index = openIndex((rel) => indexFile(rel));
  for (const raw of queries()) {
    const q = normalizeQuery(raw);
    const { got, res } = await everything(index, raw);
    assert.deepEqual(got, bruteForce(q), raw);
    if (res.exactCount) { assert.equal(res.total, got.length, raw); } else { assert.ok(res.total >= got.length, raw); }
  }
  assert.equal(await index.search("  \u200b "), null);
});

test("a dataset filter keeps only that dataset's documents", async () => {
  const index = openIndex((rel) => indexFile(rel));
  for (const ds of META.datasets) {
    for (const raw of ["示例", "传感", "2025"]) {
      const { got } = await everything(index, raw, ds.name);
      assert.deepEqual(got, bruteForce(normalizeQuery(raw), ds.name), ds.name + " " + raw);
    }
  }
});

test("each index file is read once, and a failed read is tried again", async () => {
  const reads = {};
  let fail = true;
  const index = openIndex((rel) => {
    reads[rel] = (reads[rel] || 0) + 1;
    if (rel.startsWith("d/") && fail) { fail = false; throw new Error("offline"); }
    return indexFile(rel);
  });
  await assert.rejects(everything(index, "示例数控"));
  const { got } = await everything(index, "示例数控");
  assert.deepEqual(got, bruteForce("示例数控"));
  await everything(index, "示例数控");
  assert.ok(Object.values(reads).every((n) => n <= 2));
  assert.equal(reads["meta.json"], 1);
});

test("snippet, marks and the status line", () => {
  const text = "一".repeat(30) + "传感器" + "二".repeat(30);
  assert.equal(snippet(text, 30, 3), "…" + "一".repeat(24) + "传感器" + "二".repeat(24) + "…");
  assert.equal(snippet("短文本", 0, 2), "短文本");
  assert.deepEqual(markParts("示例MEMS芯片", "mems"), ["示例", "MEMS", "芯片"]);
  assert.equal(markParts("示例", "无"), null);
  assert.equal(statusText(null, "x"), "");
  assert.equal(statusText({ total: 0 }, "无"), "没有找到“无” / No results for “无”");
  assert.equal(statusText({ total: 1, exactCount: true }, "x"), "找到 1 条结果 / 1 result");
  assert.equal(statusText({ total: 1234, exactCount: false }, "x"), "最多 1,234 条结果 / up to 1,234 results");
});
