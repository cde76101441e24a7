// Fixture loading for the JavaScript unit tests: the real list JSON and search index files in tests/js/fixtures/.
import { readFileSync } from "node:fs";

const FIXTURES = new URL("./fixtures/", import.meta.url);

/** A fresh copy of a list data file (merge() and the tests change them). */
export function listData(name) {
  return JSON.parse(readFileSync(new URL("list/" + name + ".json", FIXTURES), "utf-8"));
}

/** A search index file by its path under assets/search/ (what search.js fetches). */
export function indexFile(rel) {
  return JSON.parse(readFileSync(new URL("search/" + rel, FIXTURES), "utf-8"));
}

/** A view state with defaults, as readState returns it. */
export function stateOf(extra, size) {
  return Object.assign({ filters: {}, q: "", sort: null, dir: 1, page: 0, size: size || 50, group: "", withdrawn: false }, extra);
}

/** Exact decimal sum (as a string) of decimal texts scaled by 10^shift, with BigInt: the oracle for the totals. */
export function exactSum(values, shift) {
  let total = 0n;
  values.forEach(function (v) { total += BigInt(v) * 10n ** BigInt(shift); });
  return total.toString();
}
