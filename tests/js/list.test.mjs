// List pages' pure parts on the real list JSON: merging years, filtering, sorting, totals (the one money rule),
// grouping, filter options, the address state round trip, paging and the CSV downloads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { moneyText } from "../../site/assets/js/format.js";
import { hasNames, listView, merge } from "../../site/assets/js/list-view.js";
import { counted, filterRows, filterWords, groupRows, matches, optionCounts, pageOf, totals } from "../../site/assets/js/list-rows.js";
import { hashOf, isView, pageNumbers, parseHash, readState, sizeChoices } from "../../site/assets/js/list-state.js";
import { fileName, groupsCsv, rowsCsv } from "../../site/assets/js/list-csv.js";
import { exactSum, listData, stateOf } from "./helpers.mjs";

function one(name) { return listView(merge([listData(name)], [name + ".json"])); }
function allYears() { return listView(merge([listData("awards-2025"), listData("awards-2026")], ["a.json", "b.json"])); }
const col = (view, row, f) => row[view.idx[f]];

test("merge joins the year files and numbers each row's file", () => {
  const a = listData("awards-2025"), b = listData("awards-2026");
  const view = allYears();
  assert.equal(view.data.rows.length, a.rows.length + b.rows.length);
  assert.ok(view.data.multi);
  assert.deepEqual(view.data.rows.map((r) => r[r.length - 1]), a.rows.map(() => 0).concat(b.rows.map(() => 1)));
  assert.deepEqual(view.data.sources.map((s) => s.full), [a.full, b.full]);
  // the position in the year's full file comes just before the file number
  view.data.rows.forEach((r) => assert.equal(r.length, view.n + 2));
});

test("the year is a filter and a group only in the all-years list", () => {
  const single = one("awards-2025"), multi = allYears();
  const year = single.data.year_field;
  assert.ok(!single.filters.includes(year) && !single.groups.includes(year));
  assert.equal(multi.filters[0], year);
  assert.ok(multi.groups.includes(year));
});

test("row kinds follow the status role; a list without one is all in force", () => {
  const view = one("awards-2025"), st = view.data.status;
  view.data.rows.forEach((r) => {
    const v = col(view, r, st.field);
    const want = st.withdrawn.includes(v) ? "off" : st.in_force.includes(v) ? "on" : st.pending.includes(v) ? "wait" : "other";
    assert.equal(view.kind(r), want);
  });
  const companies = one("companies");
  assert.ok(companies.data.rows.every((r) => companies.kind(r) === "on"));
});

test("filters keep exactly the rows with the chosen value, withdrawn rows only with the switch", () => {
  const view = one("awards-2025");
  for (const f of view.filters) {
    for (const value of new Set(view.data.rows.map((r) => String(col(view, r, f))))) {
      const want = view.data.rows.filter((r) => String(col(view, r, f)) === value);
      const shown = filterRows(view, stateOf({ filters: { [f]: value }, withdrawn: true }));
      assert.deepEqual(shown, want, f + "=" + value);
      const hidden = filterRows(view, stateOf({ filters: { [f]: value } }));
      assert.deepEqual(hidden, want.filter((r) => view.kind(r) !== "off"));
    }
  }
});

test("the filter text matches any searched field, ignoring case", () => {
  const view = one("awards-2025");
  const code = col(view, view.data.rows[0], "credit_code");
  const needle = code.slice(2, 9).toLowerCase();
  const want = view.data.rows.filter((r) => view.kind(r) !== "off" &&
    view.data.search.some((f) => String(col(view, r, f)).toLowerCase().includes(needle)));
  assert.ok(want.length >= 1);
  assert.deepEqual(filterRows(view, stateOf({ q: needle.toUpperCase() })), want);
  assert.deepEqual(filterRows(view, stateOf({ q: "不会出现的文字" })), []);
  assert.ok(!matches(view, stateOf({ q: "不会出现的文字" }), view.data.rows[0], null));
});

test("sorting: numbers by value, both directions, stable", () => {
  const view = one("awards-2025");
  const asc = filterRows(view, stateOf({ sort: "amount_yuan", withdrawn: true }));
  const amounts = asc.map((r) => Number(col(view, r, "amount_yuan")));
  assert.deepEqual(amounts, amounts.slice().sort((a, b) => a - b));
  const desc = filterRows(view, stateOf({ sort: "amount_yuan", dir: -1, withdrawn: true }));
  assert.deepEqual(desc.map((r) => Number(col(view, r, "amount_yuan"))), amounts.slice().reverse());
  // equal amounts keep the file's order in both directions
  const order = (rows) => rows.map((r) => view.data.rows.indexOf(r));
  for (const rows of [asc, desc]) {
    for (let i = 1; i < rows.length; i++) {
      if (col(view, rows[i], "amount_yuan") === col(view, rows[i - 1], "amount_yuan")) {
        assert.ok(order(rows)[i] > order(rows)[i - 1]);
      }
    }
  }
});

test("totals count rows in force (and withdrawn ones with the switch) and sum their money exactly", () => {
  const view = allYears();
  for (const withdrawn of [false, true]) {
    const state = stateOf({ withdrawn });
    const rows = filterRows(view, state);
    const t = totals(view, state, rows);
    const countedRows = rows.filter((r) => view.kind(r) === "on" || (withdrawn && view.kind(r) === "off"));
    assert.equal(t.rows, rows.length);
    assert.equal(t.counted, countedRows.length);
    assert.equal(t.other, rows.length - countedRows.length);
    assert.equal(String(t.sums.amount_yuan), exactSum(countedRows.map((r) => col(view, r, "amount_yuan")), 0));
    assert.equal(t.hidden, withdrawn ? 0 : view.data.rows.filter((r) => view.kind(r) === "off").length);
  }
});

test("a 万元 field is summed in 元 (shift 4) and shown by the one money rule", () => {
  const view = one("pilot-sites-all");
  assert.equal(view.unitOf("funding_wan").shift, 4);
  const state = stateOf({});
  const rows = filterRows(view, state);
  const t = totals(view, state, rows);
  const inForce = rows.filter((r) => counted(view, state, r));
  const wan = exactSum(inForce.map((r) => col(view, r, "funding_wan")), 0);
  assert.equal(String(t.sums.funding_wan), exactSum(inForce.map((r) => col(view, r, "funding_wan")), 4));
  assert.equal(String(t.sums.grant), exactSum(inForce.map((r) => col(view, r, "grant")), 0));
  const yuan = BigInt(wan) * 10000n;
  const grouped = (n) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  assert.equal(moneyText(t.sums.funding_wan, view.unitOf("funding_wan").base), grouped(yuan) + " 元（" + grouped(BigInt(wan)) + " 万元）");
});

test("groups partition the rows; their sums add up to the totals; largest first", () => {
  const view = allYears();
  for (const group of view.groups) {
    const state = stateOf({ group, withdrawn: true });
    const rows = filterRows(view, state);
    const groups = groupRows(view, state, rows);
    const t = totals(view, state, rows);
    assert.equal(groups.reduce((n, g) => n + g.rows, 0), rows.length, group);
    assert.equal(groups.reduce((n, g) => n + g.counted, 0), t.counted, group);
    assert.equal(groups.reduce((n, g) => n + g.sums.amount_yuan, 0), t.sums.amount_yuan, group);
    for (const g of groups) {
      const mine = rows.filter((r) => String(col(view, r, group)) === g.key);
      assert.equal(g.rows, mine.length);
      assert.equal(String(g.sums.amount_yuan), exactSum(mine.filter((r) => counted(view, state, r)).map((r) => col(view, r, "amount_yuan")), 0));
    }
    for (let i = 1; i < groups.length; i++) { assert.ok(groups[i - 1].sums.amount_yuan >= groups[i].sums.amount_yuan); }
  }
});

test("a list field is grouped by each of its items", () => {
  const data = listData("awards-2025");
  data.delimiters = { district: ";" };  // two districts in one cell, as a list field holds them
  data.rows[0][data.fields.indexOf("district")] = "330402;330411";
  const view = listView(merge([data], ["x.json"]));
  const state = stateOf({ group: "district", withdrawn: true });
  const groups = groupRows(view, state, filterRows(view, state));
  assert.equal(groups.reduce((n, g) => n + g.rows, 0), view.data.rows.length + 1);
  assert.ok(groups.some((g) => g.key === "330411") && !groups.some((g) => g.key.includes(";")));
});

test("filter options count the rows under the other filters and keep the chosen value", () => {
  const view = one("awards-2025");
  const state = stateOf({ filters: { status: "已拨付" } });
  const o = optionCounts(view, state, "district");
  const want = filterRows(view, state);
  assert.equal(o.total, want.length);
  for (const k of o.keys) { assert.equal(o.counts[k], want.filter((r) => col(view, r, "district") === k).length); }
  const gone = optionCounts(view, stateOf({ filters: { district: "999999" } }), "district");
  assert.equal(gone.counts["999999"], 0);
  assert.deepEqual(filterWords(view, stateOf({ filters: { district: "330402" }, q: "传感" })), [view.name("district", "330402"), "传感"]);
});

test("labels: a code with a name reads name（code）; titles in both languages", () => {
  const view = one("awards-2025");
  assert.equal(view.label("district", "330402"), view.data.labels.district["330402"] + "（330402）");
  assert.equal(view.label("award_type", "浙江制造精品"), "浙江制造精品");
  assert.equal(view.title("amount_yuan"), view.data.titles.amount_yuan.join(" / "));
  assert.ok(hasNames(view.data.labels.district));
  assert.ok(!hasNames(view.data.labels.award_type));
  assert.equal(view.cellClass(view.data.link.field), "sx-c-link sx-c-id");
  assert.equal(one("companies").cellClass("name"), "sx-c-link");
  assert.equal(view.cellClass("amount_yuan"), "sx-c-money");
});

test("the address state round-trips, and the default view has no hash", () => {
  const view = allYears();
  const states = [
    stateOf({}),
    stateOf({ filters: { district: "330402", year: "2026" }, q: "a&b=c #传感", withdrawn: true, group: "district", sort: "amount_yuan", dir: -1, size: 100, page: 3 }),
    stateOf({ filters: { award_type: "国内“三首”产品" }, sort: "title", page: 1, size: 25 }),
  ];
  assert.equal(hashOf(states[0], view, 50), "");
  for (const s of states) {
    const h = hashOf(s, view, 50);
    assert.deepEqual(readState(h, view, 50), s, h);
    assert.equal(isView(h), h !== "");
  }
});

test("the address state ignores what it does not know", () => {
  const view = one("awards-2025");
  const s = readState("#sort=nosuch&size=7&page=0&group=nosuch&q=%E4%BC%A0&district=%ZZ&foo=1", view, 50);
  assert.deepEqual(s, stateOf({ q: "传" }));
  assert.deepEqual(readState("#sx-main", view, 50), stateOf({}));
  assert.ok(!isView("#sx-main"));
  assert.deepEqual(parseHash("#a=1&b&=2&c=x=y"), { a: "1", c: "x=y" });
  // choosing a withdrawn status value shows withdrawn rows
  assert.equal(readState("#status=" + encodeURIComponent(view.data.status.withdrawn[0]), view, 50).withdrawn, true);
});

test("paging: the last page when past the end; the pager's numbers", () => {
  const rows = Array.from({ length: 120 }, (_, i) => i);
  assert.deepEqual(pageOf(rows, stateOf({ page: 9 }, 50)), { pages: 3, page: 2, start: 100, shown: rows.slice(100) });
  assert.deepEqual(pageOf([], stateOf({ page: 4 })).pages, 1);
  assert.deepEqual(pageNumbers(0, 1), [1]);
  assert.deepEqual(pageNumbers(5, 20), [1, 2, 5, 6, 7, 19, 20]);
  assert.deepEqual(pageNumbers(19, 20), [1, 2, 19, 20]);
  assert.deepEqual(sizeChoices(30), [25, 30, 50, 100, 200]);
  assert.deepEqual(sizeChoices(50), [25, 50, 100, 200]);
});

test("downloads: the filtered rows with the name columns; the group table with its total; file names", () => {
  const view = one("awards-2025");
  const state = stateOf({ filters: { district: "330402" }, group: "award_type" });
  const rows = filterRows(view, state);
  const lines = rowsCsv(view, view.data.fields, view.data.labels, {}, rows.map((r) => r.slice(0, view.n)));
  const head = lines[0].split(",");
  assert.equal(lines.length, rows.length + 1);
  assert.equal(head[view.data.fields.indexOf("district") + 1], "所在地区名称 / District (name)");  // beside the code
  assert.ok(lines.slice(1).every((l) => l.includes(",330402," + view.data.labels.district["330402"] + ",")));
  const groups = groupRows(view, state, rows);
  const t = totals(view, state, rows);
  const g = groupsCsv(view, state, groups, t);
  assert.equal(g.length, groups.length + 2);
  assert.equal(g[g.length - 1], ["合计 / Total", t.rows, t.counted, t.sums.amount_yuan].join(","));
  assert.equal(fileName(view, state, "awards-2025"), "awards-2025-" + view.data.labels.district["330402"] + ".csv");
  assert.equal(fileName(view, stateOf({ withdrawn: true, q: "a/b" }), "awards", ["按类型"]), "awards-a_b-含撤销-按类型.csv");
});
