/* 静态搜索索引的查询 / Querying the static search index written by scripts/search.py (assets/search/) — no DOM;
   the files come from the `fetchJSON(relativePath)` given to openIndex (the browser fetches them, the unit tests
   read them from disk: tests/js/search.test.mjs).

   For a query it fetches only the hash shards of its grams, intersects the posting lists, verifies candidates
   against the document chunks and returns exact matches first, then prefix, then substring matches (the order of
   scripts/search.py order_key). Every record containing the query is found. */

import { decode, fnv1a, normalizeQuery, queryKeys } from "./search-query.js";
import { chunkCount, datasetRuns, difference, inRuns, intersect, mergeSorted, tierOf } from "./search-rank.js";

export const PAGE_SIZE = 10;  // results per page on /search/ (and the least a verification batch takes)
const VERIFY_SKIP = 256;      // skip downloading big lists once this few candidates are left
const VERIFY_ALL_CHUNKS = 12; // verify every candidate up front (exact count) when they sit in this few chunks
const CHUNK_BUDGET = 16;      // at most this many document chunks fetched before showing what was found

/** A query interface over the index files: {meta(), search(raw, dataset)}; files are fetched once each. */
export function openIndex(fetchFile) {
  const cache = {};
  let metaPromise = null;

  function fetchJSON(rel) {
    if (!cache[rel]) {
      cache[rel] = Promise.resolve().then(function () { return fetchFile(rel); });
      cache[rel].catch(function () { delete cache[rel]; });
    }
    return cache[rel];
  }

  function meta() {
    if (!metaPromise) { metaPromise = fetchJSON("meta.json"); }
    return metaPromise;
  }

  /* a t: key (grams of the primary values) lives in the shard of the g: key of the same gram */
  function entry(m, key) {
    const hashed = key.indexOf("t:") === 0 ? "g:" + key.slice(2) : key;
    return fetchJSON("g/" + (fnv1a(hashed) % m.shards) + ".json").then(function (shard) {
      return Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : null;
    });
  }

  function list(e) {
    if (e === null) { return Promise.resolve([]); }
    if (typeof e === "object") { return fetchJSON("l/" + e.f + ".json").then(decode); }
    return Promise.resolve(decode(e));
  }

  function loadDocs(m, numbers) {
    const chunks = {};
    numbers.forEach(function (n) { chunks[Math.floor(n / m.chunk)] = 1; });
    return Promise.all(Object.keys(chunks).map(function (c) { return fetchJSON("d/" + c + ".json"); }))
      .then(function () {
        return Promise.all(numbers.map(function (n) {
          return fetchJSON("d/" + Math.floor(n / m.chunk) + ".json").then(function (rows) { return rows[n % m.chunk]; });
        }));
      });
  }

  /* A result set in the order of scripts/search.py order_key: the exact docs (companies first), then the
   * stages prefix (tier 1), primary substring (tier 2), other text (tier 3), each verified in index order; a
   * candidate whose verified tier is later than its stage moves into that later stage (not started yet).
   * next(k) resolves to the next k results; total is exact when `exactCount`. */
  function Results(m, q, info, cand, exact, prefix, primary) {
    this.m = m; this.q = q; this.shown = 0;
    this.exactCount = info.length <= 2;  // unigram/bigram lists are exact for 1–2 character queries
    this.trusted = this.exactCount;
    this.total = cand.length;
    const companies = datasetRuns(m, "companies");
    this.queue = inRuns(exact, companies).concat(difference(exact, inRuns(exact, companies)));
    this.tiers = exact.map(function () { return 0; });
    const rest = difference(cand, exact);
    const pre = intersect(prefix, rest);
    const prim = difference(intersect(primary, rest), pre);
    this.stages = [pre, prim, difference(difference(rest, pre), prim)];  // tiers 1, 2, 3
  }

  Results.prototype.verify = function (numbers) {
    const self = this;
    return loadDocs(this.m, numbers).then(function (rows) {
      return rows.map(function (row) { return tierOf(self.m, row, self.q); });
    });
  };

  /* Verify candidates (stage order) until k results are queued, the candidates run out, or `budget` chunk files
   * have been fetched in this call (then the rest is verified when more results are asked for). */
  Results.prototype.fill = function (k, budget) {
    const self = this;
    if (budget === undefined) { budget = Infinity; }
    if (this.queue.length >= k || budget <= 0) { return Promise.resolve(); }
    let stage = 0;
    while (stage < 3 && !this.stages[stage].length) { stage++; }
    if (stage >= 3) { this.exactCount = true; return Promise.resolve(); }
    const batch = this.stages[stage].splice(0, Math.max(k - this.queue.length, PAGE_SIZE));
    if (this.trusted) {  // 1–2 characters: the lists are exact, so each stage's tier is known without fetching
      batch.forEach(function (n) { self.queue.push(n); self.tiers.push(stage + 1); });
      return this.fill(k, budget);
    }
    const cost = chunkCount(this.m, batch);
    return this.verify(batch).then(function (tiers) {
      const later = [[], [], []];
      batch.forEach(function (n, i) {
        const t = tiers[i];
        if (t === null) {
          if (!self.exactCount) { self.total -= 1; }
        } else if (t > stage + 1) {
          later[t - 1].push(n);
        } else {
          self.queue.push(n); self.tiers.push(t);
        }
      });
      for (let s = stage + 1; s < 3; s++) { if (later[s].length) { self.stages[s] = mergeSorted(later[s], self.stages[s]); } }
      return self.fill(k, budget - cost);
    });
  };

  /* The next k results: [{row, n, tier}] */
  Results.prototype.next = function (k) {
    const self = this;
    const want = this.shown + k;
    return this.fill(want, CHUNK_BUDGET).then(function () {
      const numbers = self.queue.slice(self.shown, want);
      const tiers = self.tiers.slice(self.shown, want);
      self.shown += numbers.length;
      return loadDocs(self.m, numbers).then(function (rows) {
        return rows.map(function (row, i) { return { row: row, n: numbers[i], tier: tiers[i] }; });
      });
    });
  };

  Results.prototype.more = function () {
    return this.shown < this.queue.length || this.stages.some(function (s) { return s.length > 0; });
  };

  /* Intersect posting lists: inline ones first, then external ones by length, skipping external lists once the
   * candidates are VERIFY_SKIP or fewer (verification decides). */
  function intersectAll(entries) {
    const sized = entries.map(function (e, i) {
      return { ext: typeof e === "object" ? e.n : null, i: i, e: e };
    }).sort(function (a, b) {
      const ax = a.ext === null ? 0 : 1, bx = b.ext === null ? 0 : 1;
      if (ax !== bx) { return ax - bx; }
      if (ax && a.ext !== b.ext) { return a.ext - b.ext; }
      return a.i - b.i;
    });
    let cand = null;
    const step = function (idx) {
      if (idx >= sized.length) { return Promise.resolve(cand || []); }
      const s = sized[idx];
      if (cand !== null && s.ext !== null && cand.length <= VERIFY_SKIP) { return step(idx + 1); }
      return list(s.e).then(function (nums) {
        cand = cand === null ? nums : intersect(cand, nums);
        return step(idx + 1);
      });
    };
    return step(0);
  }

  /* Resolve to a Results object for the raw query text (or null for an empty query); `dataset` (a name, optional)
   * keeps only that dataset's documents (a range intersection: counts stay exact). */
  function search(raw, dataset) {
    const q = normalizeQuery(raw);
    if (!q) { return Promise.resolve(null); }
    const info = queryKeys(q);
    return meta().then(function (m) {
      const g = info.grams.length;
      const primaryKeys = info.grams.map(function (k) { return "t:" + k.slice(2); });
      const keys = info.grams.concat(primaryKeys, [info.prefix, info.exact]);
      const only = dataset ? datasetRuns(m, dataset) : null;
      const keep = function (nums) { return only ? inRuns(nums, only) : nums; };
      return Promise.all(keys.map(function (k) { return entry(m, k); })).then(function (entries) {
        const gramEntries = entries.slice(0, g), primaryEntries = entries.slice(g, 2 * g);
        if (gramEntries.some(function (e) { return e === null; })) { return new Results(m, q, info, [], [], [], []); }
        const hasPrimary = !primaryEntries.some(function (e) { return e === null; });
        return Promise.all([intersectAll(gramEntries), hasPrimary ? intersectAll(primaryEntries) : Promise.resolve([]),
          list(entries[2 * g + 1]), list(entries[2 * g])]).then(function (lists) {
          const candidates = keep(lists[0]);
          const primary = intersect(lists[1], candidates);
          const exact = intersect(lists[2], candidates);
          const prefix = intersect(lists[3], candidates);
          const res = new Results(m, q, info, candidates, exact, prefix, primary);
          if (!res.trusted && chunkCount(m, candidates) <= VERIFY_ALL_CHUNKS) {
            return res.fill(candidates.length).then(function () {
              res.total = res.queue.length;
              res.exactCount = true;
              return res;
            });
          }
          return res;
        });
      });
    });
  }

  return { meta: meta, search: search };
}
