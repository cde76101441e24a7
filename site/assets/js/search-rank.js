/* 搜索结果的核对与排序（纯函数）/ Search verification and ranking — pure, no DOM, no fetch (tests/js/search.test.mjs).

   A document row of the index (assets/search/d/*.json, scripts/search.py) is
   [dataset, year, values, number of primary values, status, {index: normalised value}?, [label sets]?];
   the names of the row's codes (meta.labels, normalised in meta.labels_norm where that differs) follow its values.
   Posting lists are ascending document numbers; the set operations merge them (lists can hold 100,000+ numbers). */

import { asciiLower } from "./search-query.js";

/** The row's values as shown: its own, then the names of its codes. */
export function rawValues(meta, row) {
  let out = row[2];
  (row[6] || []).forEach(function (i) { out = out.concat(meta.labels[i]); });
  return out;
}

/** The row's values as searched (normalised), in the order of rawValues. */
export function docValues(meta, row) {
  const norm = row[5] || {};
  let out = row[2].map(function (v, i) {
    return Object.prototype.hasOwnProperty.call(norm, String(i)) ? norm[String(i)] : asciiLower(v);
  });
  (row[6] || []).forEach(function (i) {
    const n = meta.labels_norm[String(i)];
    out = out.concat(n || meta.labels[i].map(asciiLower));
  });
  return out;
}

/** Same as scripts/search.py rank: 0 exact, 1 prefix, 2 substring of a primary value (id, title, company),
    3 substring of other text, null no match. */
export function tierOf(meta, row, q) {
  let best = null;
  const values = docValues(meta, row);
  const primary = row[3];
  for (let i = 0; i < primary; i++) {
    const v = values[i];
    if (v === q) { return 0; }
    if (v.indexOf(q) === 0) { best = 1; } else if (best === null && v.indexOf(q) >= 0) { best = 2; }
  }
  if (best !== null) { return best; }
  for (let j = primary; j < values.length; j++) { if (values[j].indexOf(q) >= 0) { return 3; } }
  return null;
}

/** a ∩ b of ascending number arrays, by merging. */
export function intersect(a, b) {
  const out = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) { i++; } else { j++; }
  }
  return out;
}

/** a − b of ascending number arrays, by merging. */
export function difference(a, b) {
  if (!b.length) { return a.slice(); }
  const out = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    while (j < b.length && b[j] < a[i]) { j++; }
    if (j >= b.length || b[j] !== a[i]) { out.push(a[i]); }
  }
  return out;
}

/** The ascending merge of two ascending arrays (duplicates kept). */
export function mergeSorted(a, b) {
  const out = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) { out.push(a[i++]); } else { out.push(b[j++]); }
  }
  return out;
}

/** The document number runs [[start, end), …] of dataset `name` in the index meta (none when unknown). */
export function datasetRuns(meta, name) {
  for (let i = 0; i < meta.datasets.length; i++) { if (meta.datasets[i].name === name) { return meta.datasets[i].ranges || []; } }
  return [];
}

/** The sorted numbers that fall in the [start, end) runs. */
export function inRuns(numbers, runs) {
  return numbers.filter(function (n) {
    for (let i = 0; i < runs.length; i++) { if (n >= runs[i][0] && n < runs[i][1]) { return true; } }
    return false;
  });
}

/** How many document chunk files hold these document numbers. */
export function chunkCount(meta, numbers) {
  return new Set(numbers.map(function (n) { return Math.floor(n / meta.chunk); })).size;
}

const SNIPPET = 24;  // characters of context either side of a match in other text

/** A long value cut around the match at `at` (code units of a normalised value of the same length). */
export function snippet(text, at, length) {
  const start = Math.max(0, at - SNIPPET), end = Math.min(text.length, at + length + SNIPPET);
  return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
}

/** Text cut at the first occurrence of normalised query q (ASCII case folded): [before, match, after], or null. */
export function markParts(text, q) {
  const at = asciiLower(text).indexOf(q);
  if (!q || at < 0) { return null; }
  return [text.slice(0, at), text.slice(at, at + q.length), text.slice(at + q.length)];
}

/** The status line of a result set (null: no query): the count, exact or an upper bound, in both languages. */
export function statusText(res, rawQuery) {
  if (!res) { return ""; }
  if (res.total === 0) { return "没有找到“" + rawQuery + "” / No results for “" + rawQuery + "”"; }
  const n = res.total.toLocaleString("zh-CN");
  // without exactCount the number is the candidate count: every match is among them (an upper bound)
  return (res.exactCount ? "找到 " + n + " 条结果" : "最多 " + n + " 条结果") +
    " / " + (res.exactCount ? "" : "up to ") + n + (res.total === 1 ? " result" : " results");
}
