/* 文字与数字格式（纯函数）/ Text and number formatting — pure functions, no DOM (unit tests: tests/js/format.test.mjs).
   The money rule is the one of scripts/units.py (money_text) and the CSV cell rule the one of scripts/formats.py. */

const COLLATOR = (function () {
  try { return new Intl.Collator("zh-u-co-pinyin", { numeric: true }); } catch (e) { return null; }
})();

/** Order two texts as a Chinese reader expects (pinyin, numbers by value); code-unit order without Intl. */
export function compareText(a, b) { return COLLATOR ? COLLATOR.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0); }

/** An integer with zh-CN digit grouping ("1,234"); text that is not a number stays as it is. */
export function fmtInt(v) {
  const n = Number(v);
  return v === "" || isNaN(n) ? String(v) : n.toLocaleString("zh-CN");
}

const TEXT_TYPES = { string: 1, list: 1, date: 1 };
const NUMERIC = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** One CSV cell, the same rule as the full downloads (scripts/formats.py): formula-leading text gets an apostrophe
    (a number of a numeric field does not), and a cell holding a quote, comma or line break is quoted. */
export function csvCell(v, type) {
  let s = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s) && (TEXT_TYPES[type || "string"] || !NUMERIC.test(s))) { s = "'" + s; }
  if (/[",\n\r]/.test(s)) { s = '"' + s.replace(/"/g, '""') + '"'; }
  return s;
}

/** The decimal text of v times 10^k, exactly (never a float rounding); null when v is not a plain decimal. */
export function shiftDec(v, k) {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(String(v).trim());
  if (!m || !(m[2] || m[3])) { return null; }
  let digits = (m[2] || "") + (m[3] || ""), point = (m[2] || "").length + k;
  while (point < 0) { digits = "0" + digits; point += 1; }
  while (digits.length < point) { digits += "0"; }
  const ip = digits.slice(0, point).replace(/^0+/, "") || "0", fp = digits.slice(point).replace(/0+$/, "");
  return (m[1] === "-" && (ip !== "0" || fp) ? "-" : "") + ip + (fp ? "." + fp : "");
}

/** Decimal text with its integer part grouped by thousands: "1234567.5" → "1,234,567.5". */
export function groupDigits(dec) {
  const p = dec.split(".");
  return p[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (p[1] ? "." + p[1] : "");
}

/** Money by the site's one rule (scripts/units.py money_text): the amount in its base unit, and from 1万 up its exact
    万 figure: moneyText("308000", "元") → "308,000 元（30.8 万元）". v: an amount in the base unit (text or number). */
export function moneyText(v, base) {
  const dec = shiftDec(typeof v === "number" && Math.floor(v) !== v ? Number(v.toFixed(8)) : v, 0);
  if (dec === null) { return String(v); }
  const text = groupDigits(dec) + " " + base;
  return dec.replace(/^-/, "").split(".")[0].length >= 5 ? text + "（" + groupDigits(shiftDec(dec, -4)) + " 万" + base + "）" : text;
}

/** A piece of a download's file name: no path or control characters, no leading dots, at most 60 characters. */
export function fileSafe(s) {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return String(s).replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, "_").replace(/^[.\s]+|\s+$/g, "").slice(0, 60);
}
