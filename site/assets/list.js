/* 列表页：筛选、排序、分页、下载筛选结果（原生 JS，无框架、无外部请求）
   List pages: filters with counts, sort, paging and a CSV download of exactly the filtered rows.
   Data is inserted with textContent only; links are built from ids, never from HTML in the data. */
(function () {
  "use strict";
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
  function init(box) {
    var root = box.getAttribute("data-root") || "";
    var pageSize = parseInt(box.getAttribute("data-page-size"), 10) || 50;
    fetch(box.getAttribute("data-list-src"), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { setup(box, data, root, pageSize, new URL(box.getAttribute("data-list-src"), window.location.href).href); })
      .catch(function () { box.setAttribute("data-list-error", "1"); });
  }
  function setup(box, data, root, pageSize, src) {
    var idx = {};
    data.fields.forEach(function (f, i) { idx[f] = i; });
    var state = { filters: {}, q: "", sort: null, dir: 1, page: 0 };
    var hash = parseHash();
    data.filters.forEach(function (f) { if (hash[f]) { state.filters[f] = hash[f]; } });
    if (hash.q) { state.q = hash.q; }
    var controls = box.querySelector(".sx-controls");
    var summary = box.querySelector(".sx-summary");
    var table = box.querySelector("table");
    var tbody = table.querySelector("tbody");
    var pager = box.querySelector(".sx-pager");
    var selects = {};
    function label(field, value) {
      var l = data.labels[field];
      return l && l[value] !== undefined && l[value] !== value ? l[value] + "（" + value + "）" : value;
    }
    function title(field) { var t = data.titles[field] || [field, ""]; return t[0] + (t[1] ? " / " + t[1] : ""); }
    // controls
    var qLabel = el("label", { "for": "sx-q" }, "筛选文字 / Filter text");
    var q = el("input", { id: "sx-q", type: "search", value: state.q, autocomplete: "off" });
    qLabel.appendChild(q);
    controls.appendChild(qLabel);
    data.filters.forEach(function (f) {
      var lab = el("label", { "for": "sx-f-" + f }, title(f));
      var sel = el("select", { id: "sx-f-" + f, "data-filter": f });
      lab.appendChild(sel);
      controls.appendChild(lab);
      selects[f] = sel;
      sel.addEventListener("change", function () { state.filters[f] = sel.value; state.page = 0; update(); });
    });
    var reset = el("button", { type: "button", "class": "sx-reset" }, "清除筛选 / Clear");
    reset.addEventListener("click", function () { state.filters = {}; state.q = ""; q.value = ""; state.page = 0; update(); });
    controls.appendChild(reset);
    var dl = el("button", { type: "button", "class": "sx-download" }, "下载筛选结果 CSV / Download filtered rows");
    controls.appendChild(dl);
    controls.hidden = false;
    q.addEventListener("input", function () { state.q = q.value; state.page = 0; update(); });
    // sortable headers
    var ths = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(ths, function (th) {
      var f = th.getAttribute("data-field");
      var b = el("button", { type: "button" });
      while (th.firstChild) { b.appendChild(th.firstChild); }
      th.appendChild(b);
      th.setAttribute("aria-sort", "none");
      b.addEventListener("click", function () {
        if (state.sort === f) { state.dir = -state.dir; } else { state.sort = f; state.dir = 1; }
        update();
      });
    });
    function matches(row, skip) {
      for (var f in state.filters) {
        if (f !== skip && state.filters[f] && String(row[idx[f]]) !== state.filters[f]) { return false; }
      }
      if (state.q) {
        var needle = state.q.toLowerCase();
        var hit = data.search.some(function (s) { return String(row[idx[s]]).toLowerCase().indexOf(needle) >= 0; });
        if (!hit) { return false; }
      }
      return true;
    }
    function filtered() {
      var rows = data.rows.filter(function (r) { return matches(r, null); });
      if (state.sort) {
        var i = idx[state.sort];
        var numeric = data.types[state.sort] === "integer" || data.types[state.sort] === "number";
        rows = rows.slice().sort(function (a, b) {
          var x = a[i], y = b[i];
          if (numeric) { x = x === "" ? -Infinity : Number(x); y = y === "" ? -Infinity : Number(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * state.dir;
        });
      }
      return rows;
    }
    function updateSelects() {
      data.filters.forEach(function (f) {
        var counts = {};
        data.rows.forEach(function (r) { if (matches(r, f)) { var v = String(r[idx[f]]); counts[v] = (counts[v] || 0) + 1; } });
        var sel = selects[f];
        var keys = Object.keys(counts).sort();
        if (state.filters[f] && counts[state.filters[f]] === undefined) { counts[state.filters[f]] = 0; keys.push(state.filters[f]); }
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
    }
    function cell(row, f) {
      var v = row[idx[f]];
      var td = el("td");
      if (f === data.link.field) {
        var target = data.link.key ? row[idx[data.link.key]] : v;  /* e.g. a company page without a credit code */
        td.appendChild(el("a", { href: root + data.link.prefix + encodeURIComponent(target) + "/" }, v));
      } else if (v === "") {
        td.appendChild(el("span", { "class": "sx-empty" }, "—"));
      } else if (data.money.indexOf(f) >= 0) {
        td.textContent = fmtInt(v);
      } else {
        td.textContent = label(f, String(v));
      }
      return td;
    }
    function writeHash() {
      var parts = [];
      data.filters.forEach(function (f) { if (state.filters[f]) { parts.push(encodeURIComponent(f) + "=" + encodeURIComponent(state.filters[f])); } });
      if (state.q) { parts.push("q=" + encodeURIComponent(state.q)); }
      var h = parts.length ? "#" + parts.join("&") : "";
      if (window.location.hash !== h) { history.replaceState(null, "", window.location.pathname + window.location.search + h); }
    }
    function update() {
      var rows = filtered();
      var pages = Math.max(1, Math.ceil(rows.length / pageSize));
      if (state.page >= pages) { state.page = pages - 1; }
      var start = state.page * pageSize;
      var shown = rows.slice(start, start + pageSize);
      tbody.textContent = "";
      shown.forEach(function (r) {
        var tr = el("tr");
        data.columns.forEach(function (f) { tr.appendChild(cell(r, f)); });
        tbody.appendChild(tr);
      });
      summary.textContent = "共 " + rows.length + " 条" + (rows.length !== data.rows.length ? "（全部 " + data.rows.length + " 条）" : "") +
        (rows.length ? "；显示第 " + (start + 1) + "—" + (start + shown.length) + " 条" : "") +
        " / " + rows.length + " of " + data.rows.length + " records" + (rows.length ? ", showing " + (start + 1) + "–" + (start + shown.length) : "");
      box.setAttribute("data-filtered", String(rows.length));
      Array.prototype.forEach.call(ths, function (th) {
        var f = th.getAttribute("data-field");
        th.setAttribute("aria-sort", state.sort === f ? (state.dir > 0 ? "ascending" : "descending") : "none");
      });
      pager.textContent = "";
      var prev = el("button", { type: "button", "class": "sx-prev" }, "‹ 上一页 / Previous");
      var next = el("button", { type: "button", "class": "sx-next" }, "下一页 / Next ›");
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      prev.addEventListener("click", function () { state.page -= 1; update(); });
      next.addEventListener("click", function () { state.page += 1; update(); });
      pager.appendChild(prev);
      pager.appendChild(el("span", { "class": "sx-page-no" }, "第 " + (state.page + 1) + " / " + pages + " 页 / page " + (state.page + 1) + " of " + pages));
      pager.appendChild(next);
      updateSelects();
      writeHash();
      box.setAttribute("data-ready", "1");
    }
    var fullData = null;
    function save(fields, rows) {
      var lines = [fields.map(function (f) { return csvCell(f); }).join(",")];
      rows.forEach(function (r) {
        lines.push(fields.map(function (f, i) { return csvCell(r[i], data.types[f]); }).join(","));
      });
      var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      var a = el("a", { href: URL.createObjectURL(blob), download: data.file });
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }
    dl.addEventListener("click", function () {
      var rows = filtered();
      var n = data.fields.length;
      if (!data.full) { save(data.fields, rows.map(function (r) { return r.slice(0, n); })); return; }
      // every field of the filtered rows comes from the full file, fetched once, on the first download
      var ready = fullData ? Promise.resolve(fullData) :
        fetch(new URL(data.full, src).href, { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
          .then(function (f) { fullData = f; return f; });
      dl.disabled = true;
      ready.then(function (f) {
        save(f.fields, rows.map(function (r) { return f.rows[r[n]]; }));
      }).catch(function () { box.setAttribute("data-list-error", "download"); })
        .then(function () { dl.disabled = false; });
    });
    update();
  }
  window.sxList = { csvCell: csvCell };  // exposed for the browser tests (same rule as scripts/formats.py)
  function start() { Array.prototype.forEach.call(document.querySelectorAll("[data-list-src]"), init); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
