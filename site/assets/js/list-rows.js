/* 列表行的筛选、排序、合计、分组（纯函数）/ Filtering, sorting, totals and grouping of a list's rows — pure, no DOM
   (tests/js/list.test.mjs). `view` is listView(data) (list-view.js), `state` a view state (list-state.js).

   Totals follow the site's one money rule: a row counts when its status is in force (or, with the withdrawn switch
   on, withdrawn); pending rows are shown but not counted; each money value is taken in its base unit (a 万元 field's
   100 counts as 1,000,000 元) from its exact decimal text. */

import { compareText } from "./format.js";

/** Whether a row passes the filters (all but field `skip`), the withdrawn switch (unless `withdrawnToo`) and the
    filter text (a case-insensitive substring of any searched field). */
export function matches(view, state, row, skip, withdrawnToo) {
  const idx = view.idx;
  for (const f in state.filters) {
    if (f !== skip && state.filters[f] && String(row[idx[f]]) !== state.filters[f]) { return false; }
  }
  if (!state.withdrawn && !withdrawnToo && view.kind(row) === "off") { return false; }
  if (state.q) {
    const needle = state.q.toLowerCase();
    const hit = view.data.search.some(function (s) { return String(row[idx[s]]).toLowerCase().indexOf(needle) >= 0; });
    if (!hit) { return false; }
  }
  return true;
}

function sortKey(view, f) {
  const i = view.idx[f];
  if (view.numeric(f)) { return function (r) { return r[i] === "" ? -Infinity : Number(r[i]); }; }
  if (view.data.labels[f]) { return function (r) { return view.label(f, String(r[i])); }; }
  return function (r) { return String(r[i]); };
}

/** The rows the view shows, in its order: numbers by value (empty first), coded values by their shown label, text
    by compareText; a stable sort (equal keys keep the file's order). */
export function filterRows(view, state) {
  let rows = view.data.rows.filter(function (r) { return matches(view, state, r, null); });
  if (state.sort) {
    const key = sortKey(view, state.sort);
    const numeric = view.numeric(state.sort);
    const keyed = rows.map(function (r, k) { return { r: r, k: key(r), o: k }; });
    keyed.sort(function (a, b) {
      const c = numeric ? (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) : compareText(a.k, b.k);
      return c * state.dir || a.o - b.o;
    });
    rows = keyed.map(function (x) { return x.r; });
  }
  return rows;
}

/** Whether a row counts in the totals: in force, or withdrawn while the withdrawn rows are shown. */
export function counted(view, state, row) { const k = view.kind(row); return k === "on" || (k === "off" && state.withdrawn); }

function zeroSums(view) { const o = {}; view.money.forEach(function (m) { o[m] = 0; }); return o; }

function addMoney(view, sums, row) {
  view.money.forEach(function (m) {
    const v = row[view.idx[m]];
    const b = v === "" ? NaN : view.inBase(m, v);
    if (isFinite(b)) { sums[m] += b; }
  });
}

/** The totals of `rows`: {rows, counted, other (not counted), sums: {money field: amount in its base unit},
    hidden (withdrawn rows that match the rest of the view but are hidden by the switch)}. */
export function totals(view, state, rows) {
  const t = { rows: rows.length, counted: 0, other: 0, sums: zeroSums(view), hidden: 0 };
  rows.forEach(function (r) {
    if (counted(view, state, r)) { t.counted += 1; addMoney(view, t.sums, r); } else { t.other += 1; }
  });
  if (view.status && !state.withdrawn) {
    view.data.rows.forEach(function (r) { if (view.kind(r) === "off" && matches(view, state, r, null, true)) { t.hidden += 1; } });
  }
  return t;
}

/** The rows grouped by the value of field state.group (a list field: by each of its items): [{key, rows, counted,
    sums}], the largest first (first money sum, then counted rows, then rows, then the label). */
export function groupRows(view, state, rows) {
  const f = state.group, delim = view.data.delimiters && view.data.delimiters[f];
  const map = {}, list = [];
  rows.forEach(function (r) {
    const raw = String(r[view.idx[f]]);
    const keys = delim && raw ? raw.split(delim) : [raw];
    const c = counted(view, state, r);
    keys.forEach(function (k) {
      let g = map[k];
      if (!g) { g = map[k] = { key: k, rows: 0, counted: 0, sums: zeroSums(view) }; list.push(g); }
      g.rows += 1;
      if (c) { g.counted += 1; addMoney(view, g.sums, r); }
    });
  });
  const first = view.money[0];
  list.sort(function (a, b) {
    return (first ? b.sums[first] - a.sums[first] : 0) || b.counted - a.counted || b.rows - a.rows ||
      compareText(view.label(f, a.key), view.label(f, b.key));
  });
  return list;
}

/** A filter's options with their counts under the other filters: {keys (ordered by label), counts: {value: n},
    total}; the chosen value stays on offer with 0 when nothing else matches it. */
export function optionCounts(view, state, f) {
  const counts = {};
  view.data.rows.forEach(function (r) {
    if (matches(view, state, r, f)) { const v = String(r[view.idx[f]]); counts[v] = (counts[v] || 0) + 1; }
  });
  if (state.filters[f] && counts[state.filters[f]] === undefined) { counts[state.filters[f]] = 0; }
  const keys = Object.keys(counts).sort(function (a, b) { return compareText(view.label(f, a), view.label(f, b)); });
  let total = 0;
  keys.forEach(function (k) { total += counts[k]; });
  return { keys: keys, counts: counts, total: total };
}

/** The view's filters in words: the chosen values' names, then the filter text. */
export function filterWords(view, state) {
  const parts = [];
  view.filters.forEach(function (f) { if (state.filters[f]) { parts.push(view.name(f, state.filters[f])); } });
  if (state.q) { parts.push(state.q); }
  return parts;
}

/** The page of `rows` for the state's page and size (a page past the end is the last page): {pages, page, start,
    shown}. */
export function pageOf(rows, state) {
  const pages = Math.max(1, Math.ceil(rows.length / state.size));
  const page = Math.min(state.page, pages - 1);
  const start = page * state.size;
  return { pages: pages, page: page, start: start, shown: rows.slice(start, start + state.size) };
}
