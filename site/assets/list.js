/* 列表页：筛选、合计、分组、排序、分页、下载筛选结果（原生 JS 模块，无框架、无外部请求）
   List pages: filters with counts, totals of the money columns, a group-by table, sort, paging, and CSV downloads
   of exactly the filtered rows and of the grouped table. The whole view (filters, text, sort, page, page size,
   group, withdrawn rows) lives in the address (#…), so a link or Back reproduces it.
   This file is the DOM glue only: what the rows, totals, groups, hash state and downloads are comes from the pure
   modules in js/ (list-view, list-rows, list-state, list-csv, format), unit-tested by `node --test tests/js/`.
   Data is inserted with textContent only; links are built from ids, never from HTML in the data. */
import { el, getJson, saveCsv } from "./js/dom.js";
import { csvCell, fmtInt, moneyText, shiftDec } from "./js/format.js";
import { listView, merge } from "./js/list-view.js";
import { filterRows, filterWords, groupRows, optionCounts, pageOf, totals } from "./js/list-rows.js";
import { hashOf, isView, pageNumbers, readState, sizeChoices } from "./js/list-state.js";
import { fileName, groupsCsv, rowsCsv } from "./js/list-csv.js";

function init(box) {
  // one data file per year: the all-years list names several and joins them
  const srcs = box.getAttribute("data-list-src").split(" ").filter(Boolean).map(function (u) {
    return new URL(u, window.location.href).href;
  });
  Promise.all(srcs.map(getJson))
    .then(function (parts) { setup(box, merge(parts, srcs)); })
    .catch(function () { box.setAttribute("data-list-error", "1"); });
}

function stageWords(list) { return (list || []).join("、"); }

function setup(box, data) {
  const root = box.getAttribute("data-root") || "";
  const baseSize = parseInt(box.getAttribute("data-page-size"), 10) || 50;
  const base = box.getAttribute("data-file") || data.dataset;
  const view = listView(data);
  const { n, idx, filters, groups, money, units, status, gone } = view;
  let state = readState(window.location.hash, view, baseSize);
  const rowsNow = function () { return filterRows(view, state); };

  function writeHash() {
    const h = hashOf(state, view, baseSize);
    if (!h && !isView(window.location.hash)) { return; }  // an anchor (#sx-main) is not a view
    if (window.location.hash !== h) { history.replaceState(history.state, "", window.location.pathname + window.location.search + h); }
  }

  // ---- controls
  const controls = box.querySelector(".sx-controls");
  const summary = box.querySelector(".sx-summary");
  const totalsBox = box.querySelector(".sx-totals");
  const groupBox = box.querySelector(".sx-groups");
  const table = box.querySelector("table");
  const tbody = table.querySelector("tbody");
  const pager = box.querySelector(".sx-pager");
  const selects = {};
  const qLabel = el("label", { "for": "sx-q", "class": "sx-q" }, "筛选文字 / Filter text");
  const q = el("input", { id: "sx-q", type: "search", autocomplete: "off" });
  q.value = state.q;
  qLabel.appendChild(q);
  controls.appendChild(qLabel);
  const toggle = el("button", { type: "button", "class": "sx-filter-toggle", "aria-expanded": "false", "aria-controls": "sx-panel" });
  controls.appendChild(toggle);
  const panel = el("div", { id: "sx-panel", "class": "sx-filter-panel" });
  controls.appendChild(panel);
  toggle.addEventListener("click", function () {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    box.classList.toggle("sx-open", open);
  });
  filters.forEach(function (f) {
    const lab = el("label", { "for": "sx-f-" + f }, view.title(f));
    const sel = el("select", { id: "sx-f-" + f, "data-filter": f });
    lab.appendChild(sel);
    panel.appendChild(lab);
    selects[f] = sel;
    sel.addEventListener("change", function () {
      state.filters[f] = sel.value;
      if (status && f === status.field && gone[sel.value]) { state.withdrawn = true; }
      state.page = 0;
      update();
    });
  });
  let groupSel = null;
  if (groups.length) {
    const gl = el("label", { "for": "sx-group" }, "分组统计 / Group by");
    groupSel = el("select", { id: "sx-group" });
    groupSel.appendChild(el("option", { value: "" }, "不分组 / none"));
    groups.forEach(function (f) { groupSel.appendChild(el("option", { value: f }, view.title(f))); });
    gl.appendChild(groupSel);
    panel.appendChild(gl);
    groupSel.addEventListener("change", function () { state.group = groupSel.value; update(); });
  }
  const reset = el("button", { type: "button", "class": "sx-reset" }, "清除筛选 / Clear");
  reset.addEventListener("click", function () {
    state.filters = {}; state.q = ""; q.value = ""; state.page = 0; state.withdrawn = false; state.group = "";
    update();
  });
  panel.appendChild(reset);
  const dl = el("button", { type: "button", "class": "sx-download" }, "下载筛选结果 CSV / Download filtered rows");
  controls.appendChild(dl);
  controls.hidden = false;
  let typing = null;
  q.addEventListener("input", function () {  // debounced: one filtering pass after the typing pauses
    clearTimeout(typing);
    typing = setTimeout(function () { state.q = q.value; state.page = 0; update(); }, 200);
  });
  // totals, with the withdrawn rows' switch
  const totalsText = el("p", { "class": "sx-totals-text" });
  totalsBox.appendChild(totalsText);
  let wdBox = null, wdLabelText = null;
  if (status && Object.keys(gone).length) {
    const wl = el("label", { "for": "sx-withdrawn", "class": "sx-withdrawn" });
    wdBox = el("input", { id: "sx-withdrawn", type: "checkbox" });
    wdLabelText = el("span");
    wl.appendChild(wdBox);
    wl.appendChild(wdLabelText);
    totalsBox.appendChild(wl);
    wdBox.addEventListener("change", function () { state.withdrawn = wdBox.checked; state.page = 0; update(); });
  }
  totalsBox.hidden = false;
  // sortable headers
  const ths = table.querySelectorAll("thead th");
  Array.prototype.forEach.call(ths, function (th) {
    const f = th.getAttribute("data-field");
    const b = el("button", { type: "button" });
    while (th.firstChild) { b.appendChild(th.firstChild); }
    b.appendChild(el("span", { "class": "sx-sort-arrow", "aria-hidden": "true" }));
    th.appendChild(b);
    th.setAttribute("aria-sort", "none");
    b.addEventListener("click", function () {
      if (state.sort === f) { state.dir = -state.dir; } else { state.sort = f; state.dir = 1; }
      state.page = 0;  // a new order starts at its first page
      update();
    });
  });

  // ---- drawing
  function drawTotals(t) {
    totalsText.textContent = "";
    totalsText.appendChild(el("strong", null, "合计 / Totals: "));
    const rule = status ? stageWords(status.in_force) + (state.withdrawn ? "、" + stageWords(status.withdrawn) : "") : "";
    if (status) {
      totalsText.appendChild(el("span", { "class": "sx-counted" }, "计入 " + fmtInt(t.counted) + " 条（" + rule + "）/ " +
        t.counted + " counted"));
    }
    money.forEach(function (m, k) {
      totalsText.appendChild(document.createTextNode((status || k ? " · " : "") + view.title(m) + ": "));
      totalsText.appendChild(el("strong", { "class": "sx-sum", "data-field": m }, moneyText(t.sums[m], view.unitOf(m).base)));
    });
    if (t.other) {
      totalsText.appendChild(el("span", { "class": "sx-uncounted" }, " · 未计入 " + t.other + " 条（" +
        stageWords(status.pending) + "等）/ " + t.other + " not counted (pending)"));
    }
    box.setAttribute("data-counted", String(t.counted));
    money.forEach(function (m) { box.setAttribute("data-sum-" + m, String(t.sums[m])); });
    if (wdBox) {
      wdBox.checked = state.withdrawn;
      const words = stageWords(status.withdrawn);
      wdLabelText.textContent = state.withdrawn ? "显示并计入" + words + "的记录 / show and count withdrawn rows" :
        "显示并计入" + words + "的记录（" + t.hidden + " 条，已隐藏）/ show and count withdrawn rows (" + t.hidden + " hidden)";
    }
  }
  let lastGroups = null;
  function drawGroups(rows, t) {
    groupBox.textContent = "";
    lastGroups = null;
    if (!state.group) { groupBox.hidden = true; return; }
    const f = state.group;
    const list = lastGroups = groupRows(view, state, rows);
    const tbl = el("table", { "class": "sx-table sx-group-table" });
    const words = filterWords(view, state);
    tbl.appendChild(el("caption", null, "按" + view.zhTitle(f) + "分组" + (words.length ? "（" + words.join("，") + "）" : "") +
      " / grouped by " + view.enTitle(f)));
    const head = el("tr");
    head.appendChild(el("th", { scope: "col" }, view.title(f)));
    head.appendChild(el("th", { scope: "col" }, "条数 / Records"));
    if (status) { head.appendChild(el("th", { scope: "col" }, "计入合计 / Counted")); }
    money.forEach(function (m) { head.appendChild(el("th", { scope: "col" }, view.title(m))); });
    tbl.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    function line(parent, cells, scope) {
      const tr = el("tr");
      cells.forEach(function (c, k) { tr.appendChild(el(k === 0 ? "th" : "td", k === 0 ? { scope: scope } : { "class": "sx-num" }, c)); });
      parent.appendChild(tr);
    }
    function cellsOf(first, g) {
      const cells = [first, fmtInt(g.rows)];
      if (status) { cells.push(fmtInt(g.counted)); }
      money.forEach(function (m) { cells.push(moneyText(g.sums[m], view.unitOf(m).base)); });
      return cells;
    }
    list.forEach(function (g) { line(body, cellsOf(g.key === "" ? "（空）/ (empty)" : view.label(f, g.key), g), "row"); });
    tbl.appendChild(body);
    line(tbl.appendChild(el("tfoot")), cellsOf("合计 / Total", t), "row");
    const wrap = el("div", { "class": "sx-table-wrap" });
    wrap.appendChild(tbl);
    groupBox.appendChild(wrap);
    const groupDl = el("button", { type: "button", "class": "sx-group-download" }, "下载分组表 CSV / Download this table");
    groupDl.addEventListener("click", downloadGroups);
    groupBox.appendChild(groupDl);
    groupBox.hidden = false;
  }
  function downloadGroups() {
    const f = state.group;
    if (!f || !lastGroups) { return; }
    saveCsv(groupsCsv(view, state, lastGroups, totals(view, state, rowsNow())), fileName(view, state, base, ["按" + view.zhTitle(f)]));
  }
  function updateSelects() {
    filters.forEach(function (f) {
      const o = optionCounts(view, state, f);
      const sel = selects[f];
      sel.textContent = "";
      sel.appendChild(el("option", { value: "" }, "全部 / All (" + o.total + ")"));
      o.keys.forEach(function (k) {
        const opt = el("option", { value: k }, (k === "" ? "（空）/ (empty)" : view.label(f, k)) + " (" + o.counts[k] + ")");
        if (state.filters[f] === k) { opt.selected = true; }
        sel.appendChild(opt);
      });
      sel.value = state.filters[f] || "";
    });
    const active = filterWords(view, state).length;
    toggle.textContent = "筛选与分组 / Filters" + (active ? "（" + active + "）" : "");
    if (groupSel) { groupSel.value = state.group; }
  }
  function cell(row, f) {
    const v = row[idx[f]];
    const td = el("td", { "class": view.cellClass(f) });
    if (f === data.link.field) {
      const target = data.link.key ? row[idx[data.link.key]] : v;  /* e.g. a company page without a credit code */
      td.appendChild(el("a", { href: root + data.link.prefix + encodeURIComponent(target) + "/" }, v));
    } else if (v === "") {
      td.appendChild(el("span", { "class": "sx-empty" }, "—"));
    } else if (status && f === status.field) {
      const k = view.kind(row);
      td.appendChild(el("span", { "class": "sx-status sx-status-" + (k === "other" ? "wait" : k) }, v));
    } else if (money.indexOf(f) >= 0) {
      td.textContent = moneyText(shiftDec(v, view.unitOf(f).shift) || v, view.unitOf(f).base);
      td.setAttribute("data-label", view.zhTitle(f));
    } else if (units[f]) {
      td.textContent = moneyText(shiftDec(v, units[f].shift) || v, units[f].base);
    } else {
      td.textContent = view.label(f, String(v));
    }
    return td;
  }
  function pageButton(number, current) {
    const b = el("button", { type: "button", "class": "sx-pg", "data-key": "p" + number, "aria-label": "第 " + number + " 页 / page " + number }, number);
    if (current) { b.setAttribute("aria-current", "page"); }
    b.addEventListener("click", function () { go(number - 1); });
    return b;
  }
  function go(p) { state.page = p; update(true); }
  function drawPager(pages) {
    const key = document.activeElement && pager.contains(document.activeElement) ? document.activeElement.getAttribute("data-key") : null;
    pager.textContent = "";
    const prev = el("button", { type: "button", "class": "sx-prev", "data-key": "prev" }, "‹ 上一页 / Previous");
    const next = el("button", { type: "button", "class": "sx-next", "data-key": "next" }, "下一页 / Next ›");
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    prev.addEventListener("click", function () { go(state.page - 1); });
    next.addEventListener("click", function () { go(state.page + 1); });
    pager.appendChild(prev);
    const numbers = el("span", { "class": "sx-pages" });
    let last = 0;
    pageNumbers(state.page, pages).forEach(function (p) {
      if (p > last + 1) { numbers.appendChild(el("span", { "class": "sx-gap", "aria-hidden": "true" }, "…")); }
      numbers.appendChild(pageButton(p, p === state.page + 1));
      last = p;
    });
    pager.appendChild(numbers);
    pager.appendChild(next);
    pager.appendChild(el("span", { "class": "sx-page-no" }, "第 " + (state.page + 1) + " / " + pages + " 页 / page " + (state.page + 1) + " of " + pages));
    if (pages > 1) {
      const jl = el("label", { "for": "sx-jump", "class": "sx-jump" }, "跳至 / Go to page");
      const jump = el("input", { id: "sx-jump", type: "number", min: "1", max: String(pages), inputmode: "numeric", "data-key": "jump" });
      jl.appendChild(jump);
      const goB = el("button", { type: "button", "class": "sx-go", "data-key": "go" }, "跳转 / Go");
      const doJump = function () {
        const p = parseInt(jump.value, 10);
        if (p >= 1) { go(Math.min(p, pages) - 1); }
      };
      goB.addEventListener("click", doJump);
      jump.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); doJump(); } });
      pager.appendChild(jl);
      pager.appendChild(goB);
    }
    const sl = el("label", { "for": "sx-size", "class": "sx-size" }, "每页 / Per page");
    const size = el("select", { id: "sx-size", "data-key": "size" });
    sizeChoices(baseSize).forEach(function (s) {
      const o = el("option", { value: String(s) }, s);
      if (s === state.size) { o.selected = true; }
      size.appendChild(o);
    });
    size.addEventListener("change", function () { state.size = Number(size.value); state.page = 0; update(); });
    sl.appendChild(size);
    pager.appendChild(sl);
    if (key) {
      let again = pager.querySelector("[data-key='" + key + "']");
      if (!again || again.disabled) { again = pager.querySelector("[aria-current='page']"); }
      if (again) { again.focus(); }
    }
  }
  let renders = 0;
  function update(paging) {
    const began = performance.now();
    const rows = rowsNow();
    const pg = pageOf(rows, state);
    state.page = pg.page;
    const start = pg.start, shown = pg.shown;
    tbody.textContent = "";
    shown.forEach(function (r) {
      const k = view.kind(r);
      const tr = el("tr", k === "off" ? { "class": "sx-row-withdrawn" } : k === "on" ? null : { "class": "sx-row-pending" });
      data.columns.forEach(function (f) { tr.appendChild(cell(r, f)); });
      tbody.appendChild(tr);
    });
    summary.textContent = "共 " + rows.length + " 条" + (rows.length !== data.rows.length ? "（全部 " + data.rows.length + " 条）" : "") +
      (rows.length ? "；显示第 " + (start + 1) + "—" + (start + shown.length) + " 条" : "") +
      " / " + rows.length + " of " + data.rows.length + " records" + (rows.length ? ", showing " + (start + 1) + "–" + (start + shown.length) : "");
    box.setAttribute("data-filtered", String(rows.length));
    const t = totals(view, state, rows);
    drawTotals(t);
    drawGroups(rows, t);
    Array.prototype.forEach.call(ths, function (th) {
      const f = th.getAttribute("data-field");
      const sorted = state.sort === f ? (state.dir > 0 ? "ascending" : "descending") : "none";
      th.setAttribute("aria-sort", sorted);
      th.querySelector(".sx-sort-arrow").className = "sx-sort-arrow sx-sort-" + sorted;
    });
    drawPager(pg.pages);
    updateSelects();
    writeHash();
    box.setAttribute("data-q", state.q);
    box.setAttribute("data-page", String(state.page + 1));
    renders += 1;
    box.setAttribute("data-renders", String(renders));  // how often the rows were drawn (the debounce test)
    box.setAttribute("data-update-ms", (performance.now() - began).toFixed(1));  // one pass (scripts/list_bench.py)
    box.setAttribute("data-ready", "1");
    if (paging && table.getBoundingClientRect().top < 0) { table.scrollIntoView(); }
  }

  // ---- the filtered rows as CSV: every field, the names beside the codes, the full Excel CSV's header
  const fulls = {};
  function fullOf(k) {
    if (!fulls[k]) { fulls[k] = getJson(new URL(data.sources[k].full, data.sources[k].src).href); }
    return fulls[k];
  }
  dl.addEventListener("click", function () {
    const rows = rowsNow();
    if (!data.full) {
      saveCsv(rowsCsv(view, data.fields, data.labels, data.delimiters || {}, rows.map(function (r) { return r.slice(0, n); })),
        fileName(view, state, base));
      return;
    }
    // every field of the filtered rows comes from the years' full files, fetched once, on the first download
    const needed = {};
    rows.forEach(function (r) { needed[r[n + 1]] = 1; });
    const keys = Object.keys(needed).length ? Object.keys(needed).map(Number) : [0];
    dl.disabled = true;
    Promise.all(keys.map(fullOf)).then(function (got) {
      const byKey = {};
      keys.forEach(function (k, i) { byKey[k] = got[i]; });
      const f = got[0];
      saveCsv(rowsCsv(view, f.fields, f.labels || {}, f.delimiters || {}, rows.map(function (r) { return byKey[r[n + 1]].rows[r[n]]; })),
        fileName(view, state, base));
    }).catch(function () { box.setAttribute("data-list-error", "download"); })
      .then(function () { dl.disabled = false; });
  });
  window.addEventListener("hashchange", function () {  // a link or an edited address changes the view
    if (!isView(window.location.hash)) { return; }  // the skip link's #sx-main, not a view
    state = readState(window.location.hash, view, baseSize);
    q.value = state.q;
    update();
  });
  update();
}

window.sxList = { csvCell: csvCell };  // exposed for the browser tests (same rule as scripts/formats.py)
function start() { Array.prototype.forEach.call(document.querySelectorAll("[data-list-src]"), init); }
if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
