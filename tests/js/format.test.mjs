// Formatting: the money rule of scripts/units.py, the CSV cell rule of scripts/formats.py, file names, ordering.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareText, csvCell, fileSafe, fmtInt, groupDigits, moneyText, shiftDec } from "../../site/assets/js/format.js";

test("shiftDec moves the decimal point exactly, in text", () => {
  assert.equal(shiftDec("100", 4), "1000000");  // a 万元 field's 100 is 1,000,000 元
  assert.equal(shiftDec("12.35", 4), "123500");
  assert.equal(shiftDec("0.0001", 4), "1");
  assert.equal(shiftDec("308000", -4), "30.8");
  assert.equal(shiftDec("007", 0), "7");
  assert.equal(shiftDec("-0.0", 0), "0");  // no negative zero
  assert.equal(shiftDec("123456789012345678", 0), "123456789012345678");  // past 2^53, no float
  assert.equal(shiftDec("abc", 0), null);
  assert.equal(shiftDec("", 0), null);
  assert.equal(shiftDec("1e5", 0), null);
});

test("groupDigits groups the integer part only", () => {
  assert.equal(groupDigits("1234567.891"), "1,234,567.891");
  assert.equal(groupDigits("999"), "999");
});

test("moneyText: base unit, and its exact 万 figure from 10,000 up (scripts/units.py money_text)", () => {
  assert.equal(moneyText("8500", "元"), "8,500 元");
  assert.equal(moneyText("308000", "元"), "308,000 元（30.8 万元）");
  assert.equal(moneyText(shiftDec("100", 4), "元"), "1,000,000 元（100 万元）");
  assert.equal(moneyText("-308000", "元"), "-308,000 元（-30.8 万元）");
  assert.equal(moneyText("0.5", "元"), "0.5 元");
  assert.equal(moneyText(0, "元"), "0 元");
  assert.equal(moneyText(0.1 + 0.2, "元"), "0.3 元");  // a float sum is read to 8 places, not as 0.30000000000000004
  assert.equal(moneyText("n/a", "元"), "n/a");
  assert.equal(moneyText("12000", "元/年"), "12,000 元/年（1.2 万元/年）");
});

test("csvCell neutralises formulas in text but not numbers of numeric fields, and quotes", () => {
  assert.equal(csvCell("=SUM(A1)"), "'=SUM(A1)");
  assert.equal(csvCell("@cmd"), "'@cmd");
  assert.equal(csvCell("-5", "integer"), "-5");
  assert.equal(csvCell("-5", "string"), "'-5");
  assert.equal(csvCell("-x", "integer"), "'-x");
  assert.equal(csvCell('a "b", c'), '"a ""b"", c"');
  assert.equal(csvCell("=1,2"), "\"'=1,2\"");
  assert.equal(csvCell(null), "");
  assert.equal(csvCell(undefined), "");
  assert.equal(csvCell(12), "12");
});

test("fileSafe removes path and control characters and leading dots, keeps 60 characters", () => {
  assert.equal(fileSafe("../a/b:c*?\u0001"), "_a_b_c_");
  assert.equal(fileSafe("  南湖区  "), "南湖区");
  assert.equal(fileSafe("x".repeat(80)).length, 60);
});

test("fmtInt groups numbers and leaves other text alone", () => {
  assert.equal(fmtInt("1234567"), "1,234,567");
  assert.equal(fmtInt(12), "12");
  assert.equal(fmtInt(""), "");
  assert.equal(fmtInt("abc"), "abc");
});

test("compareText orders numbers inside text by value", () => {
  assert.ok(compareText("第2批", "第10批") < 0);
  assert.equal(compareText("嘉兴", "嘉兴"), 0);
  const sorted = ["b", "a", "c"].sort(compareText);
  assert.deepEqual(sorted, ["a", "b", "c"]);
});
