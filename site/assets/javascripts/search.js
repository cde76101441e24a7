/* 嘉兴“三新”开放数据 — site search (a vanilla JS module, no dependencies, no third-party requests).
 *
 * The DOM glue of the search: the header drop-down and the /search/ page. The query, the index reading and the
 * ranking are the pure modules ../js/search-query.js, ../js/search-rank.js and ../js/search-index.js (unit tests:
 * tests/js/search.test.mjs), which read the static bigram index written by scripts/search.py (assets/search/).
 * All data is inserted with textContent: nothing from the index or the query becomes HTML.
 */
import { el } from "../js/dom.js";
import { normalizeQuery } from "../js/search-query.js";
import { docValues, markParts, rawValues, snippet, statusText } from "../js/search-rank.js";
import { PAGE_SIZE, openIndex } from "../js/search-index.js";

const BASE = new URL("../../", import.meta.url).href;  // the site root: this file is assets/javascripts/search.js
const INDEX = BASE + "assets/search/";
const DROPDOWN_SIZE = 8;       // results in the header drop-down
const DEBOUNCE_MS = 120;
const LOOKAHEAD_CHUNKS = 4;    // chunks verified after a page to know whether "show more" would add anything
const TIER_LABEL = ["完全匹配 / exact", "前缀匹配 / prefix", "包含 / contains", "内容包含 / in the text"];

const index = openIndex(function (rel) {
  return fetch(INDEX + rel, { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) { throw new Error("search index: " + rel + " " + r.status); }
    return r.json();
  });
});
const meta = index.meta, search = index.search;

/* text with the first occurrence of q (normalised comparison, same length mapping) wrapped in <mark> */
function highlighted(text, q) {
  const span = el("span");
  const parts = markParts(text, q);
  if (!parts) { span.textContent = text; return span; }
  span.appendChild(document.createTextNode(parts[0]));
  span.appendChild(el("mark", null, parts[1]));
  span.appendChild(document.createTextNode(parts[2]));
  return span;
}

function resultItem(m, r, q) {
  const ds = m.datasets[r.row[0]];
  const values = rawValues(m, r.row);
  const li = el("li", { "class": "srch-result", "data-tier": String(r.tier) });
  const a = el("a", { "class": "srch-link", href: BASE + encodeURIComponent(ds.name) + "/" + encodeURIComponent(values[0]) + "/" });
  const head = el("span", { "class": "srch-head" });
  head.appendChild(el("span", { "class": "srch-dataset" }, (ds.icon ? ds.icon + " " : "") + ds.title));
  head.appendChild(el("span", { "class": "srch-id" }, values[0]));
  if (r.row[1] !== null && r.row[1] !== undefined) { head.appendChild(el("span", { "class": "srch-year" }, r.row[1] + "年")); }
  if (r.row[4]) {
    const withdrawn = ds.withdrawn && ds.withdrawn.indexOf(r.row[4]) >= 0;
    head.appendChild(el("span", { "class": "srch-stage" + (withdrawn ? " srch-withdrawn" : "") }, r.row[4]));
  }
  a.appendChild(head);
  const title = el("span", { "class": "srch-title" });
  title.appendChild(highlighted(values[1] || values[0], q));
  a.appendChild(title);
  const primary = r.row[3];
  const extra = values.slice(2, primary).filter(function (v) { return v; });
  if (extra.length) {
    const sub = el("span", { "class": "srch-sub" });
    extra.forEach(function (v, i) {
      if (i) { sub.appendChild(document.createTextNode(" · ")); }
      sub.appendChild(highlighted(v, q));
    });
    a.appendChild(sub);
  }
  if (r.tier === 3) {  // the match is in other text: show where
    const norm = docValues(m, r.row);
    for (let i = primary; i < values.length; i++) {
      if (norm[i].indexOf(q) >= 0) {
        const where = el("span", { "class": "srch-where" });
        where.appendChild(highlighted(snippet(values[i], norm[i].indexOf(q), q.length), q));
        a.appendChild(where);
        break;
      }
    }
  }
  a.appendChild(el("span", { "class": "srch-visually-hidden" }, "（" + TIER_LABEL[r.tier] + "）"));
  li.appendChild(a);
  return li;
}

/* the first results; when the fetch budget ran out before any candidate proved a match, try a few more times */
function firstPage(res, size, rounds) {
  return res.next(size).then(function (items) {
    return items.length || rounds <= 1 || !res.more() ? items : firstPage(res, size, rounds - 1);
  });
}

function debounce(fn, ms) {
  let t = null;
  return function () {
    const args = arguments;
    clearTimeout(t);
    t = setTimeout(function () { fn.apply(null, args); }, ms);
  };
}

/* the result list's "show more" button: the next page, focus on its first result */
function moreButtonFor(ctx, res, m, q, raw) {
  const button = el("button", { type: "button", "class": "srch-more" }, "显示更多 / Show more");
  button.addEventListener("click", function () {
    const gen = ctx.generation;
    const focusIndex = ctx.list.querySelectorAll("a.srch-link").length;
    // a fetch budget can end a call before any candidate verified: keep going until something shows
    const page = function () {
      return res.next(PAGE_SIZE).then(function (items) {
        return items.length || !res.more() || gen !== ctx.generation ? items : page();
      });
    };
    page().then(function (more) {
      return res.fill(res.shown + 1, LOOKAHEAD_CHUNKS).then(function () { return more; });
    }).then(function (more) {
      if (gen !== ctx.generation) { return; }
      ctx.render(res, m, more, q, raw, true);
      const next = ctx.list.querySelectorAll("a.srch-link")[focusIndex];
      if (next) { next.focus(); }
    });
  });
  return button;
}

/* arrow keys, Home, End and Escape move through the results (and close the drop-down) */
function onKeys(ctx, ev) {
  const { mode, list, input } = ctx;
  const items = Array.prototype.slice.call(list.querySelectorAll("a.srch-link, button.srch-more"));
  const idx = items.indexOf(document.activeElement);
  if (ev.key === "ArrowDown") {
    if (!items.length) { return; }
    ev.preventDefault();
    if (mode === "header") { list.hidden = false; }
    items[Math.min(idx + 1, items.length - 1)].focus();
  } else if (ev.key === "ArrowUp") {
    if (idx < 0) { return; }
    ev.preventDefault();
    if (idx === 0) { input.focus(); } else { items[idx - 1].focus(); }
  } else if (ev.key === "Escape") {
    if (mode === "header" && !list.hidden) {
      ev.preventDefault(); input.focus(); list.hidden = true;
    } else if (document.activeElement === input && input.value) {
      ev.preventDefault(); input.value = ""; ctx.run();
    } else if (idx >= 0) {
      ev.preventDefault(); input.focus();
    }
  } else if (ev.key === "Home" && idx >= 0) {
    ev.preventDefault(); items[0].focus();
  } else if (ev.key === "End" && idx >= 0) {
    ev.preventDefault(); items[items.length - 1].focus();
  }
}

/* the page mode's start: the dataset choice from the index, the query of the address */
function startPage(ctx, filter) {
  const params = new URLSearchParams(window.location.search);
  const initial = params.get("q");
  let ready = Promise.resolve();
  if (filter) {
    ready = meta().then(function (m) {
      m.datasets.forEach(function (d) { filter.appendChild(el("option", { value: d.name }, d.title + " / " + d.title_en)); });
      if (params.get("type")) { filter.value = params.get("type"); }
      if (filter.value !== (params.get("type") || "")) { filter.value = ""; }
    }).catch(function () {});
    filter.addEventListener("change", function () { ctx.run(); });
  }
  if (initial) { ctx.input.value = initial; ready.then(ctx.run); }
}

function enhance(form) {
  if (form.getAttribute("data-srch-ready")) { return; }
  form.setAttribute("data-srch-ready", "1");
  const mode = form.getAttribute("data-srch-mode") || "page";
  const input = form.querySelector("input[name=q]");
  const list = form.querySelector(".srch-results");
  const status = form.querySelector(".srch-status");
  const filter = form.querySelector("select[name=type]");  // page mode: one dataset or all
  const size = mode === "header" ? DROPDOWN_SIZE : PAGE_SIZE;
  const ctx = { mode: mode, input: input, list: list, generation: 0, render: render, run: run };
  let moreButton = null;

  function clear() {
    list.textContent = "";
    if (mode === "header") { list.hidden = true; }
    form.removeAttribute("data-srch-done");
  }

  function render(res, m, items, q, raw, append) {
    if (!append) { list.textContent = ""; }
    const holder = moreButton && moreButton.parentNode;
    if (holder && holder.parentNode) { holder.parentNode.removeChild(holder); }
    moreButton = null;
    items.forEach(function (r) { list.appendChild(resultItem(m, r, q)); });
    if (mode === "header") {
      if (res.total > 0) {
        const li = el("li", { "class": "srch-all" });
        li.appendChild(el("a", { "class": "srch-link srch-all-link", href: BASE + "search/?q=" + encodeURIComponent(raw) }, "查看全部结果 / All results"));
        list.appendChild(li);
      }
      list.hidden = res.total === 0 && !raw;
    } else if (res.more()) {
      const item = el("li", { "class": "srch-more-item" });
      moreButton = moreButtonFor(ctx, res, m, q, raw);
      item.appendChild(moreButton);
      list.appendChild(item);
    }
    status.textContent = statusText(res, raw);
    form.setAttribute("data-srch-done", "1");
  }

  function run() {
    const raw = input.value;
    const gen = ++ctx.generation;
    form.removeAttribute("data-srch-done");
    const only = filter ? filter.value : "";
    if (mode === "page" && window.history && window.history.replaceState) {
      const url = new URL(window.location.href);
      if (raw.trim()) { url.searchParams.set("q", raw); } else { url.searchParams.delete("q"); }
      if (only) { url.searchParams.set("type", only); } else { url.searchParams.delete("type"); }
      window.history.replaceState(null, "", url.toString());
    }
    if (!normalizeQuery(raw)) { clear(); status.textContent = ""; return; }
    search(raw, only).then(function (res) {
      if (gen !== ctx.generation) { return null; }
      return Promise.all([meta(), firstPage(res, size, 3)]).then(function (both) {
        // know whether "show more" would add anything before offering it
        return mode === "page" ? res.fill(res.shown + 1, LOOKAHEAD_CHUNKS).then(function () { return both; }) : both;
      }).then(function (both) {
        if (gen !== ctx.generation) { return; }
        if (mode === "header") { list.hidden = false; }
        render(res, both[0], both[1], normalizeQuery(raw), raw, false);
      });
    }).catch(function (err) {
      if (gen !== ctx.generation) { return; }
      list.textContent = "";
      status.textContent = "搜索索引加载失败 / Search index failed to load";
      form.setAttribute("data-srch-done", "1");
      if (window.console) { console.error(err); }
    });
  }

  const debounced = debounce(run, DEBOUNCE_MS);
  input.addEventListener("focus", function () { meta().catch(function () {}); });
  input.addEventListener("input", function () {
    ctx.generation++;  // results of an earlier, still running query are stale from now on
    form.removeAttribute("data-srch-done");
    debounced();
  });
  form.addEventListener("submit", function (ev) {
    if (mode === "page") { ev.preventDefault(); run(); }
  });
  form.addEventListener("keydown", function (ev) { onKeys(ctx, ev); });
  if (mode === "header") {
    document.addEventListener("click", function (ev) {
      if (!form.contains(ev.target)) { list.hidden = true; }
    });
    input.addEventListener("focus", function () { if (list.children.length) { list.hidden = false; } });
  }
  if (mode === "page") { startPage(ctx, filter); }
}

/* The header box is rendered after the theme's header; move it into the header bar when the theme has one
 * (MkDocs Material: .md-header__inner). Without JavaScript it stays a plain GET form to /search/. */
function placeHeaderBox() {
  const box = document.querySelector("form.srch-header-box");
  const inner = document.querySelector(".md-header__inner");
  if (!box || !inner || inner.contains(box)) { return; }
  inner.insertBefore(box, inner.querySelector(".md-header__source"));
  box.classList.add("srch-in-header");
}

function init() {
  placeHeaderBox();
  Array.prototype.forEach.call(document.querySelectorAll("form.srch-search"), enhance);
}

window.SanxinSearch = { search: search, normalize: normalizeQuery, init: init, index: INDEX };

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(init);  // Material instant navigation
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", init);
} else {
  init();
}
