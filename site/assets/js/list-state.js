/* 列表视图在地址中的状态（纯函数）/ A list's view state in the address (#…) — pure, no DOM (tests/js/list.test.mjs).

   The whole view lives in the hash, so a link or Back reproduces it: one key per filter field (its value), q (text),
   withdrawn=1, group, sort (field, "-field" descending), size (when not the page's default), page (1-based).
   Keys and values are URI-encoded; unknown or invalid entries are ignored. */

export const SIZES = [25, 50, 100, 200];
const RESERVED = { q: 1, sort: 1, page: 1, size: 1, group: 1, withdrawn: 1 };

/** The key=value pairs of a hash ("#a=1&b=2" or "a=1&b=2"); a pair that does not decode is dropped. */
export function parseHash(hash) {
  const out = {};
  const h = String(hash || "").replace(/^#/, "");
  if (!h) { return out; }
  h.split("&").forEach(function (part) {
    const i = part.indexOf("=");
    if (i > 0) {
      try { out[decodeURIComponent(part.slice(0, i))] = decodeURIComponent(part.slice(i + 1)); } catch (e) { /* ignore */ }
    }
  });
  return out;
}

/** Whether a hash holds a view (key=value), not an anchor such as the skip link's #sx-main. */
export function isView(hash) { return String(hash || "").indexOf("=") >= 0; }

/** The view state of a hash for list view `view` (scripts list-view.js) and the page's default page size:
    {filters: {field: value}, q, sort (field or null), dir (1 or -1), page (0-based), size, group, withdrawn}. */
export function readState(hash, view, baseSize) {
  const h = parseHash(hash);
  const s = { filters: {}, q: h.q || "", sort: null, dir: 1, page: 0, size: baseSize, group: "", withdrawn: h.withdrawn === "1" };
  view.filters.forEach(function (f) { if (h[f] && !RESERVED[f]) { s.filters[f] = h[f]; } });
  if (view.status && view.gone[s.filters[view.status.field]]) { s.withdrawn = true; }
  if (h.sort) {
    const desc = h.sort.charAt(0) === "-";
    const f = desc ? h.sort.slice(1) : h.sort;
    if (view.data.columns.indexOf(f) >= 0) { s.sort = f; s.dir = desc ? -1 : 1; }
  }
  if (/^[1-9][0-9]{0,6}$/.test(h.page || "")) { s.page = parseInt(h.page, 10) - 1; }
  if (SIZES.indexOf(Number(h.size)) >= 0) { s.size = Number(h.size); }
  if (view.groups.indexOf(h.group) >= 0) { s.group = h.group; }
  return s;
}

/** The hash of a view state: "#…", or "" for the default view. readState(hashOf(s)) gives s back. */
export function hashOf(state, view, baseSize) {
  const parts = [];
  function add(k, v) { parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(v)); }
  view.filters.forEach(function (f) { if (state.filters[f]) { add(f, state.filters[f]); } });
  if (state.q) { add("q", state.q); }
  if (state.withdrawn) { add("withdrawn", "1"); }
  if (state.group) { add("group", state.group); }
  if (state.sort) { add("sort", (state.dir < 0 ? "-" : "") + state.sort); }
  if (state.size !== baseSize) { add("size", state.size); }
  if (state.page > 0) { add("page", state.page + 1); }
  return parts.length ? "#" + parts.join("&") : "";
}

/** The page sizes offered: the usual ones plus the page's own default, ascending. */
export function sizeChoices(baseSize) {
  return SIZES.concat(SIZES.indexOf(baseSize) < 0 ? [baseSize] : []).sort(function (a, b) { return a - b; });
}

/** The page numbers a pager shows for 0-based `page` of `pages`: the first two, the current one (page + 1) and
    its neighbours, the last two — ascending, each once (gaps between them are drawn as …). */
export function pageNumbers(page, pages) {
  const shown = {};
  [1, 2, page, page + 1, page + 2, pages - 1, pages].forEach(function (p) { if (p >= 1 && p <= pages) { shown[p] = 1; } });
  return Object.keys(shown).map(Number).sort(function (a, b) { return a - b; });
}
