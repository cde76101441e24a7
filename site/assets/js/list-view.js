/* 列表数据的读法（纯函数）/ How a list data file reads — pure, no DOM (unit tests: tests/js/list.test.mjs).

   A list data file (listdata/*.json, written by scripts/list_data.py) holds `fields` and `rows` (one array per
   record, in field order, then the record's position in its year's full file) and what the page does with them:
   `columns` shown, `filters`, `group` fields, `money` fields summed (their `units`), `search`ed fields, `labels`
   (code → name), `titles` (field → [中文, English]), `types`, `delimiters` of list fields, the `status` role (which
   values are in force, pending, withdrawn), the `link` column and `roles` (title, company, status). */

import { shiftDec } from "./format.js";

/** One list from the year files of an all-years list: the rows of file k get k appended (row = [shown fields…,
    position in its year's full file, number of its year's file]); the first file gives everything else. */
export function merge(parts, srcs) {
  const data = parts[0];
  const rows = [];
  parts.forEach(function (p, k) { p.rows.forEach(function (r) { r.push(k); rows.push(r); }); });
  data.rows = rows;
  data.sources = parts.map(function (p, k) { return { src: srcs[k], full: p.full }; });
  data.multi = parts.length > 1;
  return data;
}

function set(list) { const o = {}; (list || []).forEach(function (v) { o[v] = 1; }); return o; }

/** The questions a page asks of its list data, answered once: index of a field, filters and group fields on offer,
    money fields with their units, the status kind of a row, labels and titles. */
export function listView(data) {
  const idx = {};
  data.fields.forEach(function (f, i) { idx[f] = i; });
  const yearField = data.year_field;  // the year role's field (the all-years list filters by it)
  const filters = (data.multi && yearField && idx[yearField] !== undefined ? [yearField] : []).concat(data.filters);
  const groups = (data.group || []).filter(function (f) { return idx[f] !== undefined && (f !== yearField || data.multi); });
  const money = data.money.filter(function (f) { return idx[f] !== undefined; });
  const units = data.units || {};  // money field -> {unit, base, shift}: its declared unit (scripts/list_data.py)
  const status = data.status;
  const roles = data.roles || {};
  const inForce = set(status && status.in_force), waiting = set(status && status.pending), gone = set(status && status.withdrawn);
  const view = {
    data: data, n: data.fields.length, idx: idx, filters: filters, groups: groups, money: money, units: units,
    status: status, roles: roles, gone: gone,
    unitOf: function (f) { return units[f] || { unit: "元", base: "元", shift: 0 }; },
    /** a money value in its base unit (元) as a number; NaN when it is not a decimal */
    inBase: function (f, v) { const d = shiftDec(v, view.unitOf(f).shift); return d === null ? NaN : Number(d); },
    /** "on" (in force or no status role), "wait" (pending), "off" (withdrawn) or "other" */
    kind: function (row) {
      if (!status) { return "on"; }
      const v = row[idx[status.field]];
      return gone[v] ? "off" : inForce[v] ? "on" : waiting[v] ? "wait" : "other";
    },
    /** a coded value as shown: "name（code）", or the value when it has no other name */
    label: function (field, value) {
      const l = data.labels[field];
      return l && l[value] !== undefined && l[value] !== value ? l[value] + "（" + value + "）" : value;
    },
    name: function (field, value) {
      const l = data.labels[field];
      return l && l[value] !== undefined ? l[value] : value;
    },
    title: function (field) { const t = data.titles[field] || [field, ""]; return t[0] + (t[1] ? " / " + t[1] : ""); },
    zhTitle: function (field) { return (data.titles[field] || [field])[0]; },
    enTitle: function (field) { return (data.titles[field] || [field, field])[1] || field; },
    /** the header of the full Excel CSV (scripts/formats.py header_label): 中文标题 / English label */
    headerLabel: function (field) {
      const t = data.titles[field] || [field, ""];
      const zh = t[0] || field, en = t[1] || field;
      return zh === en ? zh : zh + " / " + en;
    },
    /** the header of a code's name column, the downloads' form (scripts/code_names.py) */
    nameHeader: function (field) {
      const t = data.titles[field] || [field, ""];
      return (t[0] || field) + "名称 / " + (t[1] || field) + " (name)";
    },
    /** the cell class of a column (scripts/list_data.py column_class gives the same) */
    cellClass: function (f) {
      if (f === data.link.field) { return data.link.key ? "sx-c-link" : "sx-c-link sx-c-id"; }
      if (f === roles.title) { return "sx-c-title"; }
      if (f === roles.company) { return "sx-c-company"; }
      if (f === roles.status) { return "sx-c-status"; }
      return money.indexOf(f) >= 0 ? "sx-c-money" : "sx-c-other";
    },
    numeric: function (f) { return data.types[f] === "integer" || data.types[f] === "number"; },
  };
  return view;
}

/** Whether a label map names any code differently from the code itself (then downloads get a name column). */
export function hasNames(map) {
  if (!map) { return false; }
  for (const k in map) { if (Object.prototype.hasOwnProperty.call(map, k) && map[k] !== k) { return true; } }
  return false;
}
