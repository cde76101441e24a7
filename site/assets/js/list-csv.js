/* 列表下载：筛选结果与分组表的 CSV（纯函数）/ A list's downloads as CSV lines — pure, no DOM (tests/js/list.test.mjs).
   The cells follow scripts/formats.py (csvCell), the headers the full Excel CSV's (中文 / English), and a coded field
   gets its name column beside it as the full downloads have (scripts/code_names.py). */

import { csvCell, fileSafe } from "./format.js";
import { hasNames } from "./list-view.js";
import { filterWords } from "./list-rows.js";

/** The file name of a download: the list's base name, the filter words, 含撤销 with the withdrawn rows, `extra`. */
export function fileName(view, state, base, extra) {
  const parts = [base].concat(filterWords(view, state).map(fileSafe), state.withdrawn ? ["含撤销"] : [], (extra || []).map(fileSafe));
  return parts.filter(Boolean).join("-") + ".csv";
}

/** CSV lines (header first) of `rows`, arrays in the order of `fields`: every field, and beside each coded field
    the names of its codes (a list field's items joined by its delimiter; an unknown code's name is empty). */
export function rowsCsv(view, fields, labels, delims, rows) {
  const cols = [];
  fields.forEach(function (f) {
    cols.push({ f: f, head: view.headerLabel(f), type: view.data.types[f] });
    if (hasNames(labels[f])) { cols.push({ f: f, head: view.nameHeader(f), type: "string", names: labels[f], delim: delims[f] }); }
  });
  const pos = {};
  fields.forEach(function (f, i) { pos[f] = i; });
  const lines = [cols.map(function (c) { return csvCell(c.head); }).join(",")];
  rows.forEach(function (r) {
    lines.push(cols.map(function (c) {
      let v = r[pos[c.f]];
      if (c.names) {
        const items = c.delim && v !== "" ? String(v).split(c.delim) : [String(v)];
        v = items.map(function (x) { return c.names[x] !== undefined ? c.names[x] : ""; }).join(c.delim || "");
      }
      return csvCell(v, c.type);
    }).join(","));
  });
  return lines;
}

/** CSV lines of the grouped table (groupRows) with its total row (totals): the group value (and its name), the
    record count, the counted records (with a status role) and each money field's sum in its base unit. */
export function groupsCsv(view, state, groups, total) {
  const f = state.group, status = view.status;
  const named = hasNames(view.data.labels[f]);
  const head = [view.headerLabel(f)].concat(named ? [view.nameHeader(f)] : [], ["条数 / Records"], status ? ["计入合计的条数 / Counted records"] : [],
    view.money.map(function (m) { const u = view.unitOf(m); return view.headerLabel(m) + (u.unit === u.base ? "（合计）" : "（合计，" + u.base + "）"); }));
  const lines = [head.map(function (h) { return csvCell(h); }).join(",")];
  groups.forEach(function (g) {
    const cells = [csvCell(g.key, view.data.types[f])].concat(named ? [csvCell(view.name(f, g.key))] : [], [String(g.rows)],
      status ? [String(g.counted)] : [], view.money.map(function (m) { return String(g.sums[m]); }));
    lines.push(cells.join(","));
  });
  lines.push([csvCell("合计 / Total")].concat(named ? [""] : [], [String(total.rows)], status ? [String(total.counted)] : [],
    view.money.map(function (m) { return String(total.sums[m]); })).join(","));
  return lines;
}
