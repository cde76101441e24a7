/* 列表页：筛选、合计、分组、排序、分页、下载筛选结果（原生 JS，无框架、无外部请求）
   List pages: filters with counts, totals of the money columns, a group-by table, sort, paging, and CSV downloads
   of exactly the filtered rows and of the grouped table. The whole view (filters, text, sort, page, page size,
   group, withdrawn rows) lives in the address (#…), so a link or Back reproduces it.
   Data is inserted with textContent only; links are built from ids, never from HTML in the data. */
(function () {
  "use strict";
  var SIZES = [25, 50, 100, 200];
  var RESERVED = { q: 1, sort: 1, page: 1, size: 1, group: 1, withdrawn: 1 };
  var COLLATOR = (function () {
    try { return new Intl.Collator("zh-u-co-pinyin", { numeric: true }); } catch (e) { return null; }
  })();
  function compareText(a, b) { return COLLATOR ? COLLATOR.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { e.setAttribute(k, attrs[k]); } } }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  var TEXT_TYPES = { string: 1, list: 1, date: 1 };
  var NUMERIC = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
  // the same rule as the full downloads (scripts/formats.py): formula-leading text gets an apostrophe
  function csvCell(v, type) {
    var s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s) && (TEXT_TYPES[type || "string"] || !NUMERIC.test(s))) { s = "'" + s; }
    if (/[",\n\r]/.test(s)) { s = '"' + s.replace(/"/g, '""') + '"'; }
    return s;
  }
  function fmtInt(v) {
    var n = Number(v);
    return v === "" || isNaN(n) ? String(v) : n.toLocaleString("zh-CN");
  }
  // money: the one rule of scripts/units.py (money_text), on exact decimal text (never a float rounding): the amount
  // in its base unit, and from 1万 up its exact 万 figure: "308,000 元（30.8 万元）"; a 万元 field's 100 is 1,000,000 元
  function shiftDec(v, k) {  // the decimal text of v times 10^k, exactly; null when v is not a plain decimal
    var m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(String(v).trim());
    if (!m || !(m[2] || m[3])) { return null; }
    var digits = (m[2] || "") + (m[3] || ""), point = (m[2] || "").length + k;
    while (point < 0) { digits = "0" + digits; point += 1; }
    while (digits.length < point) { digits += "0"; }
    var ip = digits.slice(0, point).replace(/^0+/, "") || "0", fp = digits.slice(point).replace(/0+$/, "");
    return (m[1] === "-" && (ip !== "0" || fp) ? "-" : "") + ip + (fp ? "." + fp : "");
  }
  function grouped(dec) { var p = dec.split("."); return p[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (p[1] ? "." + p[1] : ""); }
  function moneyText(v, base) {  // v: an amount in the base unit (元, or 元/年 for rates)
    var dec = shiftDec(typeof v === "number" && Math.floor(v) !== v ? Number(v.toFixed(8)) : v, 0);
    if (dec === null) { return String(v); }
    var text = grouped(dec) + " " + base;
    return dec.replace(/^-/, "").split(".")[0].length >= 5 ? text + "（" + grouped(shiftDec(dec, -4)) + " 万" + base + "）" : text;
  }
  function fileSafe(s) {
    return String(s).replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, "_").replace(/^[.\s]+|\s+$/g, "").slice(0, 60);
  }
  function parseHash() {
    var out = {};
    var h = window.location.hash.replace(/^#/, "");
    if (!h) { return out; }
    h.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i > 0) {
        try { out[decodeURIComponent(part.slice(0, i))] = decodeURIComponent(part.slice(i + 1)); } catch (e) { /* ignore */ }
      }
    });
    return out;
  }
  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }
  function saveCsv(lines, name) {
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function init(box) {
    // one data file per year: the all-years list names several and joins them
    var srcs = box.getAttribute("data-list-src").split(" ").filter(Boolean).map(function (u) {
      return new URL(u, window.location.href).href;
    });
    Promise.all(srcs.map(getJson))
      .then(function (parts) { setup(box, merge(parts, srcs)); })
      .catch(function () { box.setAttribute("data-list-error", "1"); });
  }
  function merge(parts, srcs) {
    var data = parts[0];
    var rows = [];
    parts.forEach(function (p, k) { p.rows.forEach(function (r) { r.push(k); rows.push(r); }); });
    data.rows = rows;  // row = [shown fields…, position in its year's full file, number of its year's file]
    data.sources = parts.map(function (p, k) { return { src: srcs[k], full: p.full }; });
    data.multi = parts.length > 1;
    return data;
  }
  function setup(box, data) {
    var root = box.getAttribute("data-root") || "";
    var baseSize = parseInt(box.getAttribute("data-page-size"), 10) || 50;
    var base = box.getAttribute("data-file") || data.dataset;
    var n = data.fields.length;
    var idx = {};
    data.fields.forEach(function (f, i) { idx[f] = i; });
    var yearField = data.year_field;  // the year role's field (the all-years list filters by it)
    var filters = (data.multi && yearField && idx[yearField] !== undefined ? [yearField] : []).concat(data.filters);
    var groups = (data.group || []).filter(function (f) { return idx[f] !== undefined && (f !== yearField || data.multi); });
    var money = data.money.filter(function (f) { return idx[f] !== undefined; });
    var units = data.units || {};  // money field -> {unit, base, shift}: its declared unit (scripts/list_data.py)
    function unitOf(f) { return units[f] || { unit: "元", base: "元", shift: 0 }; }
    function inBase(f, v) { var d = shiftDec(v, unitOf(f).shift); return d === null ? NaN : Number(d); }
    var status = data.status;
    var roles = data.roles || {};
    function set(list) { var o = {}; (list || []).forEach(function (v) { o[v] = 1; }); return o; }
    var inForce = set(status && status.in_force), waiting = set(status && status.pending), gone = set(status && status.withdrawn);
    function kind(row) {
      if (!status) { return "on"; }
      var v = row[idx[status.field]];
      return gone[v] ? "off" : inForce[v] ? "on" : waiting[v] ? "wait" : "other";
    }
    function label(field, value) {
      var l = data.labels[field];
      return l && l[value] !== undefined && l[value] !== value ? l[value] + "（" + value + "）" : value;
    }
    function name(field, value) {
      var l = data.labels[field];
      return l && l[value] !== undefined ? l[value] : value;
    }
    function title(field) { var t = data.titles[field] || [field, ""]; return t[0] + (t[1] ? " / " + t[1] : ""); }
    // the header of the full Excel CSV (scripts/formats.py header_label): 中文标题 / English label
    function headerLabel(field) {
      var t = data.titles[field] || [field, ""];
      var zh = t[0] || field, en = t[1] || field;
      return zh === en ? zh : zh + " / " + en;
    }
    function nameHeader(field) {
      var t = data.titles[field] || [field, ""];
      return (t[0] || field) + "名称 / " + (t[1] || field) + " (name)";  // the downloads' form (scripts/code_names.py)
    }
    function cellClass(f) {
      if (f === data.link.field) { return data.link.key ? "sx-c-link" : "sx-c-link sx-c-id"; }
      if (f === roles.title) { return "sx-c-title"; }
      if (f === roles.company) { return "sx-c-company"; }
      if (f === roles.status) { return "sx-c-status"; }
      return money.indexOf(f) >= 0 ? "sx-c-money" : "sx-c-other";
    }

    // ---- state, read from and written to the address
    var state;
    function readState() {
      var h = parseHash();
      var s = { filters: {}, q: h.q || "", sort: null, dir: 1, page: 0, size: baseSize, group: "", withdrawn: h.withdrawn === "1" };
      filters.forEach(function (f) { if (h[f] && !RESERVED[f]) { s.filters[f] = h[f]; } });
      if (status && gone[s.filters[status.field]]) { s.withdrawn = true; }
      if (h.sort) {
        var desc = h.sort.charAt(0) === "-";
        var f = desc ? h.sort.slice(1) : h.sort;
        if (data.columns.indexOf(f) >= 0) { s.sort = f; s.dir = desc ? -1 : 1; }
      }
      if (/^[1-9][0-9]{0,6}$/.test(h.page || "")) { s.page = parseInt(h.page, 10) - 1; }
      if (SIZES.indexOf(Number(h.size)) >= 0) { s.size = Number(h.size); }
      if (groups.indexOf(h.group) >= 0) { s.group = h.group; }
      return s;
    }
    function writeHash() {
      var parts = [];
      function add(k, v) { parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(v)); }
      filters.forEach(function (f) { if (state.filters[f]) { add(f, state.filters[f]); } });
      if (state.q) { add("q", state.q); }
      if (state.withdrawn) { add("withdrawn", "1"); }
      if (state.group) { add("group", state.group); }
      if (state.sort) { add("sort", (state.dir < 0 ? "-" : "") + state.sort); }
      if (state.size !== baseSize) { add("size", state.size); }
      if (state.page > 0) { add("page", state.page + 1); }
      var h = parts.length ? "#" + parts.join("&") : "";
      if (!parts.length && window.location.hash.indexOf("=") < 0) { return; }  // an anchor (#sx-main) is not a view
      if (window.location.hash !== h) { history.replaceState(history.state, "", window.location.pathname + window.location.search + h); }
    }
    state = readState();

    // ---- controls
    var controls = box.querySelector(".sx-controls");
    var summary = box.querySelector(".sx-summary");
    var totalsBox = box.querySelector(".sx-totals");
    var groupBox = box.querySelector(".sx-groups");
    var table = box.querySelector("table");
    var tbody = table.querySelector("tbody");
    var pager = box.querySelector(".sx-pager");
    var selects = {};
    var qLabel = el("label", { "for": "sx-q", "class": "sx-q" }, "筛选文字 / Filter text");
    var q = el("input", { id: "sx-q", type: "search", autocomplete: "off" });
    q.value = state.q;
    qLabel.appendChild(q);
    controls.appendChild(qLabel);
    var toggle = el("button", { type: "button", "class": "sx-filter-toggle", "aria-expanded": "false", "aria-controls": "sx-panel" });
    controls.appendChild(toggle);
    var panel = el("div", { id: "sx-panel", "class": "sx-filter-panel" });
    controls.appendChild(panel);
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      box.classList.toggle("sx-open", open);
    });
    filters.forEach(function (f) {
      var lab = el("label", { "for": "sx-f-" + f }, title(f));
      var sel = el("select", { id: "sx-f-" + f, "data-filter": f });
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
    var groupSel = null;
    if (groups.length) {
      var gl = el("label", { "for": "sx-group" }, "分组统计 / Group by");
      groupSel = el("select", { id: "sx-group" });
      groupSel.appendChild(el("option", { value: "" }, "不分组 / none"));
      groups.forEach(function (f) { groupSel.appendChild(el("option", { value: f }, title(f))); });
      gl.appendChild(groupSel);
      panel.appendChild(gl);
      groupSel.addEventListener("change", function () { state.group = groupSel.value; update(); });
    }
    var reset = el("button", { type: "button", "class": "sx-reset" }, "清除筛选 / Clear");
    reset.addEventListener("click", function () {
      state.filters = {}; state.q = ""; q.value = ""; state.page = 0; state.withdrawn = false; state.group = "";
      update();
    });
    panel.appendChild(reset);
    var dl = el("button", { type: "button", "class": "sx-download" }, "下载筛选结果 CSV / Download filtered rows");
    controls.appendChild(dl);
    controls.hidden = false;
    var typing = null;
    q.addEventListener("input", function () {  // debounced: one filtering pass after the typing pauses
      clearTimeout(typing);
      typing = setTimeout(function () { state.q = q.value; state.page = 0; update(); }, 200);
    });
    // totals, with the withdrawn rows' switch
    var totalsText = el("p", { "class": "sx-totals-text" });
    totalsBox.appendChild(totalsText);
    var wdBox = null, wdLabelText = null;
    if (status && Object.keys(gone).length) {
      var wl = el("label", { "for": "sx-withdrawn", "class": "sx-withdrawn" });
      wdBox = el("input", { id: "sx-withdrawn", type: "checkbox" });
      wdLabelText = el("span");
      wl.appendChild(wdBox);
      wl.appendChild(wdLabelText);
      totalsBox.appendChild(wl);
      wdBox.addEventListener("change", function () { state.withdrawn = wdBox.checked; state.page = 0; update(); });
    }
    totalsBox.hidden = false;
    // sortable headers
    var ths = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(ths, function (th) {
      var f = th.getAttribute("data-field");
      var b = el("button", { type: "button" });
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

    // ---- rows
    function matches(row, skip, withdrawnToo) {
      for (var f in state.filters) {
        if (f !== skip && state.filters[f] && String(row[idx[f]]) !== state.filters[f]) { return false; }
      }
      if (!state.withdrawn && !withdrawnToo && kind(row) === "off") { return false; }
      if (state.q) {
        var needle = state.q.toLowerCase();
        var hit = data.search.some(function (s) { return String(row[idx[s]]).toLowerCase().indexOf(needle) >= 0; });
        if (!hit) { return false; }
      }
      return true;
    }
    function sortKey(f) {
      var i = idx[f];
      var numeric = data.types[f] === "integer" || data.types[f] === "number";
      if (numeric) { return function (r) { return r[i] === "" ? -Infinity : Number(r[i]); }; }
      if (data.labels[f]) { return function (r) { return label(f, String(r[i])); }; }
      return function (r) { return String(r[i]); };
    }
    function filtered() {
      var rows = data.rows.filter(function (r) { return matches(r, null); });
      if (state.sort) {
        var key = sortKey(state.sort);
        var numeric = data.types[state.sort] === "integer" || data.types[state.sort] === "number";
        var keyed = rows.map(function (r, k) { return { r: r, k: key(r), o: k }; });
        keyed.sort(function (a, b) {
          var c = numeric ? (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) : compareText(a.k, b.k);
          return c * state.dir || a.o - b.o;
        });
        rows = keyed.map(function (x) { return x.r; });
      }
      return rows;
    }
    function counted(row) { var k = kind(row); return k === "on" || (k === "off" && state.withdrawn); }
    function addMoney(sums, row) {
      money.forEach(function (m) {
        var v = row[idx[m]];
        var b = v === "" ? NaN : inBase(m, v);
        if (isFinite(b)) { sums[m] += b; }
      });
    }
    function zeroSums() { var o = {}; money.forEach(function (m) { o[m] = 0; }); return o; }
    function totals(rows) {
      var t = { rows: rows.length, counted: 0, other: 0, sums: zeroSums(), hidden: 0 };
      rows.forEach(function (r) {
        if (counted(r)) { t.counted += 1; addMoney(t.sums, r); } else { t.other += 1; }
      });
      if (status && !state.withdrawn) {
        data.rows.forEach(function (r) { if (kind(r) === "off" && matches(r, null, true)) { t.hidden += 1; } });
      }
      return t;
    }
    function stageWords(list) { return (list || []).join("、"); }
    function drawTotals(t) {
      totalsText.textContent = "";
      totalsText.appendChild(el("strong", null, "合计 / Totals: "));
      var rule = status ? stageWords(status.in_force) + (state.withdrawn ? "、" + stageWords(status.withdrawn) : "") : "";
      if (status) {
        totalsText.appendChild(el("span", { "class": "sx-counted" }, "计入 " + fmtInt(t.counted) + " 条（" + rule + "）/ " +
          t.counted + " counted"));
      }
      money.forEach(function (m, k) {
        totalsText.appendChild(document.createTextNode((status || k ? " · " : "") + title(m) + ": "));
        totalsText.appendChild(el("strong", { "class": "sx-sum", "data-field": m }, moneyText(t.sums[m], unitOf(m).base)));
      });
      if (t.other) {
        totalsText.appendChild(el("span", { "class": "sx-uncounted" }, " · 未计入 " + t.other + " 条（" +
          stageWords(status.pending) + "等）/ " + t.other + " not counted (pending)"));
      }
      box.setAttribute("data-counted", String(t.counted));
      money.forEach(function (m) { box.setAttribute("data-sum-" + m, String(t.sums[m])); });
      if (wdBox) {
        wdBox.checked = state.withdrawn;
        var words = stageWords(status.withdrawn);
        wdLabelText.textContent = state.withdrawn ? "显示并计入" + words + "的记录 / show and count withdrawn rows" :
          "显示并计入" + words + "的记录（" + t.hidden + " 条，已隐藏）/ show and count withdrawn rows (" + t.hidden + " hidden)";
      }
    }
    function groupRows(rows) {
      var f = state.group, delim = data.delimiters && data.delimiters[f];
      var map = {}, list = [];
      rows.forEach(function (r) {
        var raw = String(r[idx[f]]);
        var keys = delim && raw ? raw.split(delim) : [raw];
        var c = counted(r);
        keys.forEach(function (k) {
          var g = map[k];
          if (!g) { g = map[k] = { key: k, rows: 0, counted: 0, sums: zeroSums() }; list.push(g); }
          g.rows += 1;
          if (c) { g.counted += 1; addMoney(g.sums, r); }
        });
      });
      var first = money[0];
      list.sort(function (a, b) {
        return (first ? b.sums[first] - a.sums[first] : 0) || b.counted - a.counted || b.rows - a.rows ||
          compareText(label(f, a.key), label(f, b.key));
      });
      return list;
    }
    function filterWords() {
      var parts = [];
      filters.forEach(function (f) { if (state.filters[f]) { parts.push(name(f, state.filters[f])); } });
      if (state.q) { parts.push(state.q); }
      return parts;
    }
    var groupDl = null, lastGroups = null;
    function drawGroups(rows, t) {
      groupBox.textContent = "";
      lastGroups = null;
      if (!state.group) { groupBox.hidden = true; return; }
      var f = state.group;
      var list = lastGroups = groupRows(rows);
      var tbl = el("table", { "class": "sx-table sx-group-table" });
      var words = filterWords();
      tbl.appendChild(el("caption", null, "按" + (data.titles[f] || [f])[0] + "分组" + (words.length ? "（" + words.join("，") + "）" : "") +
        " / grouped by " + ((data.titles[f] || [f, f])[1] || f)));
      var head = el("tr");
      head.appendChild(el("th", { scope: "col" }, title(f)));
      head.appendChild(el("th", { scope: "col" }, "条数 / Records"));
      if (status) { head.appendChild(el("th", { scope: "col" }, "计入合计 / Counted")); }
      money.forEach(function (m) { head.appendChild(el("th", { scope: "col" }, title(m))); });
      tbl.appendChild(el("thead")).appendChild(head);
      var body = el("tbody");
      function line(parent, cells, scope) {
        var tr = el("tr");
        cells.forEach(function (c, k) { tr.appendChild(el(k === 0 ? "th" : "td", k === 0 ? { scope: scope } : { "class": "sx-num" }, c)); });
        parent.appendChild(tr);
      }
      function cellsOf(first, g) {
        var cells = [first, fmtInt(g.rows)];
        if (status) { cells.push(fmtInt(g.counted)); }
        money.forEach(function (m) { cells.push(moneyText(g.sums[m], unitOf(m).base)); });
        return cells;
      }
      list.forEach(function (g) { line(body, cellsOf(g.key === "" ? "（空）/ (empty)" : label(f, g.key), g), "row"); });
      tbl.appendChild(body);
      line(tbl.appendChild(el("tfoot")), cellsOf("合计 / Total", t), "row");
      var wrap = el("div", { "class": "sx-table-wrap" });
      wrap.appendChild(tbl);
      groupBox.appendChild(wrap);
      groupDl = el("button", { type: "button", "class": "sx-group-download" }, "下载分组表 CSV / Download this table");
      groupDl.addEventListener("click", downloadGroups);
      groupBox.appendChild(groupDl);
      groupBox.hidden = false;
    }
    function downloadGroups() {
      var f = state.group;
      if (!f || !lastGroups) { return; }
      var named = hasNames(data.labels[f]);
      var head = [headerLabel(f)].concat(named ? [nameHeader(f)] : [], ["条数 / Records"], status ? ["计入合计的条数 / Counted records"] : [],
        money.map(function (m) { var u = unitOf(m); return headerLabel(m) + (u.unit === u.base ? "（合计）" : "（合计，" + u.base + "）"); }));
      var lines = [head.map(function (h) { return csvCell(h); }).join(",")];
      var all = { key: "合计 / Total", rows: 0, counted: 0, sums: zeroSums() };
      lastGroups.forEach(function (g) {
        var cells = [csvCell(g.key, data.types[f])].concat(named ? [csvCell(name(f, g.key))] : [], [String(g.rows)],
          status ? [String(g.counted)] : [], money.map(function (m) { return String(g.sums[m]); }));
        lines.push(cells.join(","));
      });
      var t = totals(filtered());
      all.rows = t.rows; all.counted = t.counted; all.sums = t.sums;
      lines.push([csvCell(all.key)].concat(named ? [""] : [], [String(all.rows)], status ? [String(all.counted)] : [],
        money.map(function (m) { return String(all.sums[m]); })).join(","));
      saveCsv(lines, fileName(["按" + (data.titles[f] || [f])[0]]));
    }
    function hasNames(map) {
      if (!map) { return false; }
      for (var k in map) { if (Object.prototype.hasOwnProperty.call(map, k) && map[k] !== k) { return true; } }
      return false;
    }
    function fileName(extra) {
      var parts = [base].concat(filterWords().map(fileSafe), state.withdrawn ? ["含撤销"] : [], (extra || []).map(fileSafe));
      return parts.filter(Boolean).join("-") + ".csv";
    }
    function updateSelects() {
      filters.forEach(function (f) {
        var counts = {};
        data.rows.forEach(function (r) { if (matches(r, f)) { var v = String(r[idx[f]]); counts[v] = (counts[v] || 0) + 1; } });
        var sel = selects[f];
        if (state.filters[f] && counts[state.filters[f]] === undefined) { counts[state.filters[f]] = 0; }
        var keys = Object.keys(counts).sort(function (a, b) { return compareText(label(f, a), label(f, b)); });
        var total = 0;
        keys.forEach(function (k) { total += counts[k]; });
        sel.textContent = "";
        sel.appendChild(el("option", { value: "" }, "全部 / All (" + total + ")"));
        keys.forEach(function (k) {
          var o = el("option", { value: k }, (k === "" ? "（空）/ (empty)" : label(f, k)) + " (" + counts[k] + ")");
          if (state.filters[f] === k) { o.selected = true; }
          sel.appendChild(o);
        });
        sel.value = state.filters[f] || "";
      });
      var active = filterWords().length;
      toggle.textContent = "筛选与分组 / Filters" + (active ? "（" + active + "）" : "");
      if (groupSel) { groupSel.value = state.group; }
    }
    function cell(row, f) {
      var v = row[idx[f]];
      var td = el("td", { "class": cellClass(f) });
      if (f === data.link.field) {
        var target = data.link.key ? row[idx[data.link.key]] : v;  /* e.g. a company page without a credit code */
        td.appendChild(el("a", { href: root + data.link.prefix + encodeURIComponent(target) + "/" }, v));
      } else if (v === "") {
        td.appendChild(el("span", { "class": "sx-empty" }, "—"));
      } else if (status && f === status.field) {
        var k = kind(row);
        td.appendChild(el("span", { "class": "sx-status sx-status-" + (k === "other" ? "wait" : k) }, v));
      } else if (money.indexOf(f) >= 0) {
        td.textContent = moneyText(shiftDec(v, unitOf(f).shift) || v, unitOf(f).base);
        td.setAttribute("data-label", (data.titles[f] || [f])[0]);
      } else if (units[f]) {
        td.textContent = moneyText(shiftDec(v, units[f].shift) || v, units[f].base);
      } else {
        td.textContent = label(f, String(v));
      }
      return td;
    }
    function pageButton(number, current) {
      var b = el("button", { type: "button", "class": "sx-pg", "data-key": "p" + number, "aria-label": "第 " + number + " 页 / page " + number }, number);
      if (current) { b.setAttribute("aria-current", "page"); }
      b.addEventListener("click", function () { go(number - 1); });
      return b;
    }
    function go(p) { state.page = p; update(true); }
    function drawPager(pages) {
      var key = document.activeElement && pager.contains(document.activeElement) ? document.activeElement.getAttribute("data-key") : null;
      pager.textContent = "";
      var prev = el("button", { type: "button", "class": "sx-prev", "data-key": "prev" }, "‹ 上一页 / Previous");
      var next = el("button", { type: "button", "class": "sx-next", "data-key": "next" }, "下一页 / Next ›");
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      prev.addEventListener("click", function () { go(state.page - 1); });
      next.addEventListener("click", function () { go(state.page + 1); });
      pager.appendChild(prev);
      var numbers = el("span", { "class": "sx-pages" });
      var shown = {};
      [1, 2, state.page, state.page + 1, state.page + 2, pages - 1, pages].forEach(function (p) { if (p >= 1 && p <= pages) { shown[p] = 1; } });
      var last = 0;
      Object.keys(shown).map(Number).sort(function (a, b) { return a - b; }).forEach(function (p) {
        if (p > last + 1) { numbers.appendChild(el("span", { "class": "sx-gap", "aria-hidden": "true" }, "…")); }
        numbers.appendChild(pageButton(p, p === state.page + 1));
        last = p;
      });
      pager.appendChild(numbers);
      pager.appendChild(next);
      pager.appendChild(el("span", { "class": "sx-page-no" }, "第 " + (state.page + 1) + " / " + pages + " 页 / page " + (state.page + 1) + " of " + pages));
      if (pages > 1) {
        var jl = el("label", { "for": "sx-jump", "class": "sx-jump" }, "跳至 / Go to page");
        var jump = el("input", { id: "sx-jump", type: "number", min: "1", max: String(pages), inputmode: "numeric", "data-key": "jump" });
        jl.appendChild(jump);
        var goB = el("button", { type: "button", "class": "sx-go", "data-key": "go" }, "跳转 / Go");
        var doJump = function () {
          var p = parseInt(jump.value, 10);
          if (p >= 1) { go(Math.min(p, pages) - 1); }
        };
        goB.addEventListener("click", doJump);
        jump.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); doJump(); } });
        pager.appendChild(jl);
        pager.appendChild(goB);
      }
      var sl = el("label", { "for": "sx-size", "class": "sx-size" }, "每页 / Per page");
      var size = el("select", { id: "sx-size", "data-key": "size" });
      SIZES.concat(SIZES.indexOf(baseSize) < 0 ? [baseSize] : []).sort(function (a, b) { return a - b; }).forEach(function (s) {
        var o = el("option", { value: String(s) }, s);
        if (s === state.size) { o.selected = true; }
        size.appendChild(o);
      });
      size.addEventListener("change", function () { state.size = Number(size.value); state.page = 0; update(); });
      sl.appendChild(size);
      pager.appendChild(sl);
      if (key) {
        var again = pager.querySelector("[data-key='" + key + "']");
        if (!again || again.disabled) { again = pager.querySelector("[aria-current='page']"); }
        if (again) { again.focus(); }
      }
    }
    var renders = 0;
    function update(paging) {
      var began = performance.now();
      var rows = filtered();
      var pages = Math.max(1, Math.ceil(rows.length / state.size));
      if (state.page >= pages) { state.page = pages - 1; }
      var start = state.page * state.size;
      var shown = rows.slice(start, start + state.size);
      tbody.textContent = "";
      shown.forEach(function (r) {
        var k = kind(r);
        var tr = el("tr", k === "off" ? { "class": "sx-row-withdrawn" } : k === "on" ? null : { "class": "sx-row-pending" });
        data.columns.forEach(function (f) { tr.appendChild(cell(r, f)); });
        tbody.appendChild(tr);
      });
      summary.textContent = "共 " + rows.length + " 条" + (rows.length !== data.rows.length ? "（全部 " + data.rows.length + " 条）" : "") +
        (rows.length ? "；显示第 " + (start + 1) + "—" + (start + shown.length) + " 条" : "") +
        " / " + rows.length + " of " + data.rows.length + " records" + (rows.length ? ", showing " + (start + 1) + "–" + (start + shown.length) : "");
      box.setAttribute("data-filtered", String(rows.length));
      var t = totals(rows);
      drawTotals(t);
      drawGroups(rows, t);
      Array.prototype.forEach.call(ths, function (th) {
        var f = th.getAttribute("data-field");
        var sorted = state.sort === f ? (state.dir > 0 ? "ascending" : "descending") : "none";
        th.setAttribute("aria-sort", sorted);
        th.querySelector(".sx-sort-arrow").className = "sx-sort-arrow sx-sort-" + sorted;
      });
      drawPager(pages);
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
    var fulls = {};
    function fullOf(k) {
      if (!fulls[k]) { fulls[k] = getJson(new URL(data.sources[k].full, data.sources[k].src).href); }
      return fulls[k];
    }
    function csvOf(fields, labels, delims, rowsOf) {
      var cols = [];
      fields.forEach(function (f) {
        cols.push({ f: f, head: headerLabel(f), type: data.types[f] });
        if (hasNames(labels[f])) { cols.push({ f: f, head: nameHeader(f), type: "string", names: labels[f], delim: delims[f] }); }
      });
      var pos = {};
      fields.forEach(function (f, i) { pos[f] = i; });
      var lines = [cols.map(function (c) { return csvCell(c.head); }).join(",")];
      rowsOf.forEach(function (r) {
        lines.push(cols.map(function (c) {
          var v = r[pos[c.f]];
          if (c.names) {
            var items = c.delim && v !== "" ? String(v).split(c.delim) : [String(v)];
            v = items.map(function (x) { return c.names[x] !== undefined ? c.names[x] : ""; }).join(c.delim || "");
          }
          return csvCell(v, c.type);
        }).join(","));
      });
      return lines;
    }
    dl.addEventListener("click", function () {
      var rows = filtered();
      if (!data.full) {
        saveCsv(csvOf(data.fields, data.labels, data.delimiters || {}, rows.map(function (r) { return r.slice(0, n); })), fileName());
        return;
      }
      // every field of the filtered rows comes from the years' full files, fetched once, on the first download
      var needed = {};
      rows.forEach(function (r) { needed[r[n + 1]] = 1; });
      var keys = Object.keys(needed).length ? Object.keys(needed).map(Number) : [0];
      dl.disabled = true;
      Promise.all(keys.map(fullOf)).then(function (got) {
        var byKey = {};
        keys.forEach(function (k, i) { byKey[k] = got[i]; });
        var f = got[0];
        saveCsv(csvOf(f.fields, f.labels || {}, f.delimiters || {}, rows.map(function (r) { return byKey[r[n + 1]].rows[r[n]]; })), fileName());
      }).catch(function () { box.setAttribute("data-list-error", "download"); })
        .then(function () { dl.disabled = false; });
    });
    window.addEventListener("hashchange", function () {  // a link or an edited address changes the view
      if (window.location.hash.indexOf("=") < 0) { return; }  // the skip link's #sx-main, not a view
      state = readState();
      q.value = state.q;
      update();
    });
    update();
  }
  window.sxList = { csvCell: csvCell };  // exposed for the browser tests (same rule as scripts/formats.py)
  function start() { Array.prototype.forEach.call(document.querySelectorAll("[data-list-src]"), init); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
