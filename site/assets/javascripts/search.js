/* 嘉兴“三新”开放数据 — site search (vanilla JS, no dependencies, no third-party requests).
 *
 * Reads the static bigram index written by scripts/search.py (assets/search/): for a query it fetches only the
 * hash shards of its grams, intersects the posting lists, verifies candidates against the document chunks and
 * shows exact matches first, then prefix, then substring matches. Every record containing the query is found.
 * All data is inserted with textContent: nothing from the index or the query becomes HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var SRC = script ? script.src : "";
  var BASE = SRC.replace(/assets\/javascripts\/search\.js(?:[?#].*)?$/, "");
  var INDEX = BASE + "assets/search/";
  var PAGE_SIZE = 10;          // results per page on /search/
  var DROPDOWN_SIZE = 8;       // results in the header drop-down
  var VERIFY_SKIP = 256;       // skip downloading big lists once this few candidates are left
  var VERIFY_ALL_CHUNKS = 12;  // verify every candidate up front (exact count) when they sit in this few chunks (16 docs each)
  var CHUNK_BUDGET = 16;       // at most this many document chunks fetched before showing what was found
  var MAX_GRAMS = 8;           // a long query reads at most this many bigram lists (same as scripts/search.py)
  var DEBOUNCE_MS = 120;
  var LOOKAHEAD_CHUNKS = 4;    // chunks verified after a page to know whether "show more" would add anything

  var cache = {};
  var metaPromise = null;

  function fetchJSON(rel) {
    if (!cache[rel]) {
      cache[rel] = fetch(INDEX + rel, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("search index: " + rel + " " + r.status);
        return r.json();
      });
      cache[rel].catch(function () { delete cache[rel]; });
    }
    return cache[rel];
  }

  function meta() {
    if (!metaPromise) metaPromise = fetchJSON("meta.json").then(function (m) { metaValue = m; return m; });
    return metaPromise;
  }

  function asciiLower(s) {
    return s.replace(/[A-Z]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) + 32); });
  }

  /* same as scripts/search.py normalize_query: NFKC, ASCII lower case, no zero-width or bidi controls, trimmed */
  function normalizeQuery(s) {
    return asciiLower(String(s).normalize("NFKC")).replace(/[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]/g, "").trim();
  }

  function fnv1a(key) {
    var bytes = new TextEncoder().encode(key);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function decode(text) {
    var out = [];
    if (!text) return out;
    var prev = -1;
    var tokens = text.split(",");
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i];
      var plus = t.indexOf("+");
      var start = prev + 1 + parseInt(plus < 0 ? t : t.slice(0, plus), 36);
      var end = start + (plus < 0 ? 0 : parseInt(t.slice(plus + 1), 36));
      for (var n = start; n <= end; n++) out.push(n);
      prev = end;
    }
    return out;
  }

  function queryKeys(q) {
    var cps = Array.from(q);
    var grams = [];
    if (cps.length === 1) {
      grams.push(cps[0]);
    } else {
      // ASCII queries of 3+ characters (ids, codes, English) use trigrams, like scripts/search.py query_keys
      var size = cps.length >= 3 && /^[\x00-\x7f]*$/.test(q) ? 3 : 2;
      for (var i = 0; i + size <= cps.length; i++) grams.push(cps.slice(i, i + size).join(""));
      grams = unique(grams);
      if (grams.length > MAX_GRAMS) {
        var n = grams.length, spread = [];
        for (var j = 0; j < MAX_GRAMS; j++) {
          spread.push(grams[Math.floor((j * (n - 1) + Math.floor((MAX_GRAMS - 1) / 2)) / (MAX_GRAMS - 1))]);
        }
        grams = unique(spread);
      }
    }
    return { grams: grams.map(function (g) { return "g:" + g; }), prefix: "p:" + cps.slice(0, 2).join(""),
             exact: "e:" + q, length: cps.length };
  }

  function unique(items) {
    var seen = new Set();
    return items.filter(function (x) { if (seen.has(x)) return false; seen.add(x); return true; });
  }

  /* a t: key (grams of the primary values) lives in the shard of the g: key of the same gram */
  function entry(m, key) {
    var hashed = key.indexOf("t:") === 0 ? "g:" + key.slice(2) : key;
    return fetchJSON("g/" + (fnv1a(hashed) % m.shards) + ".json").then(function (shard) {
      return Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : null;
    });
  }

  function list(e) {
    if (e === null) return Promise.resolve([]);
    if (typeof e === "object") return fetchJSON("l/" + e.f + ".json").then(decode);
    return Promise.resolve(decode(e));
  }

  /* row: [dataset, year, values, number of primary values, status, {index: normalised value}?, [label sets]?];
   * the names of the row's codes (meta.labels, normalised in meta.labels_norm where that differs) follow values */
  var metaValue = null;
  function rawValues(row) {
    var out = row[2];
    (row[6] || []).forEach(function (i) { out = out.concat(metaValue.labels[i]); });
    return out;
  }

  function docValues(row) {
    var norm = row[5] || {};
    var out = row[2].map(function (v, i) {
      return Object.prototype.hasOwnProperty.call(norm, String(i)) ? norm[String(i)] : asciiLower(v);
    });
    (row[6] || []).forEach(function (i) {
      var n = metaValue.labels_norm[String(i)];
      out = out.concat(n || metaValue.labels[i].map(asciiLower));
    });
    return out;
  }

  /* same as scripts/search.py rank: 0 exact, 1 prefix, 2 substring of a primary value (id, title, company),
   * 3 substring of other text, null no match */
  function tierOf(row, q) {
    var best = null;
    var values = docValues(row);
    var primary = row[3];
    for (var i = 0; i < primary; i++) {
      var v = values[i];
      if (v === q) return 0;
      if (v.indexOf(q) === 0) best = 1;
      else if (best === null && v.indexOf(q) >= 0) best = 2;
    }
    if (best !== null) return best;
    for (var j = primary; j < values.length; j++) if (values[j].indexOf(q) >= 0) return 3;
    return null;
  }

  function chunkCount(m, numbers) {
    return new Set(numbers.map(function (n) { return Math.floor(n / m.chunk); })).size;
  }

  function loadDocs(m, numbers) {
    var chunks = {};
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
    var companies = datasetRuns(m, "companies");
    this.queue = inRuns(exact, companies).concat(difference(exact, inRuns(exact, companies)));
    this.tiers = exact.map(function () { return 0; });
    var rest = difference(cand, exact);
    var pre = intersect(prefix, rest);
    var prim = difference(intersect(primary, rest), pre);
    this.stages = [pre, prim, difference(difference(rest, pre), prim)];  // tiers 1, 2, 3
  }

  function datasetRuns(m, name) {
    for (var i = 0; i < m.datasets.length; i++) if (m.datasets[i].name === name) return m.datasets[i].ranges || [];
    return [];
  }

  /* the sorted numbers that fall in the [start, end) runs */
  function inRuns(numbers, runs) {
    return numbers.filter(function (n) {
      for (var i = 0; i < runs.length; i++) if (n >= runs[i][0] && n < runs[i][1]) return true;
      return false;
    });
  }

  Results.prototype.verify = function (numbers) {
    var self = this;
    return loadDocs(this.m, numbers).then(function (rows) {
      return rows.map(function (row) { return tierOf(row, self.q); });
    });
  };

  /* Verify candidates (stage order) until k results are queued, the candidates run out, or `budget` chunk files
   * have been fetched in this call (then the rest is verified when more results are asked for). */
  Results.prototype.fill = function (k, budget) {
    var self = this;
    if (budget === undefined) budget = Infinity;
    if (this.queue.length >= k || budget <= 0) return Promise.resolve();
    var stage = 0;
    while (stage < 3 && !this.stages[stage].length) stage++;
    if (stage >= 3) { this.exactCount = true; return Promise.resolve(); }
    var batch = this.stages[stage].splice(0, Math.max(k - this.queue.length, PAGE_SIZE));
    if (this.trusted) {  // 1–2 characters: the lists are exact, so each stage's tier is known without fetching
      batch.forEach(function (n) { self.queue.push(n); self.tiers.push(stage + 1); });
      return this.fill(k, budget);
    }
    var cost = chunkCount(this.m, batch);
    return this.verify(batch).then(function (tiers) {
      var later = [[], [], []];
      batch.forEach(function (n, i) {
        var t = tiers[i];
        if (t === null) { if (!self.exactCount) self.total -= 1; }
        else if (t > stage + 1) later[t - 1].push(n);
        else { self.queue.push(n); self.tiers.push(t); }
      });
      for (var s = stage + 1; s < 3; s++) if (later[s].length) self.stages[s] = mergeSorted(later[s], self.stages[s]);
      return self.fill(k, budget - cost);
    });
  };

  /* The next k results: [{row, n, tier}] */
  Results.prototype.next = function (k) {
    var self = this;
    var want = this.shown + k;
    return this.fill(want, CHUNK_BUDGET).then(function () {
      var numbers = self.queue.slice(self.shown, want);
      var tiers = self.tiers.slice(self.shown, want);
      self.shown += numbers.length;
      return loadDocs(self.m, numbers).then(function (rows) {
        return rows.map(function (row, i) { return { row: row, n: numbers[i], tier: tiers[i] }; });
      });
    });
  };

  Results.prototype.more = function () {
    return this.shown < this.queue.length || this.stages.some(function (s) { return s.length > 0; });
  };

  function mergeSorted(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]); else out.push(b[j++]);
    }
    return out;
  }

  /* sorted ascending number arrays: a ∩ b and a − b by merging (no hashing: lists can hold 100,000+ numbers) */
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  function difference(a, b) {
    if (!b.length) return a.slice();
    var out = [], j = 0;
    for (var i = 0; i < a.length; i++) {
      while (j < b.length && b[j] < a[i]) j++;
      if (j >= b.length || b[j] !== a[i]) out.push(a[i]);
    }
    return out;
  }

  /* Intersect posting lists: inline ones first, then external ones by length, skipping external lists once the
   * candidates are VERIFY_SKIP or fewer (verification decides). */
  function intersectAll(entries) {
    var sized = entries.map(function (e, i) {
      return { ext: typeof e === "object" ? e.n : null, i: i, e: e };
    }).sort(function (a, b) {
      var ax = a.ext === null ? 0 : 1, bx = b.ext === null ? 0 : 1;
      if (ax !== bx) return ax - bx;
      if (ax && a.ext !== b.ext) return a.ext - b.ext;
      return a.i - b.i;
    });
    var cand = null;
    var step = function (idx) {
      if (idx >= sized.length) return Promise.resolve(cand || []);
      var s = sized[idx];
      if (cand !== null && s.ext !== null && cand.length <= VERIFY_SKIP) return step(idx + 1);
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
    var q = normalizeQuery(raw);
    if (!q) return Promise.resolve(null);
    var info = queryKeys(q);
    return meta().then(function (m) {
      var g = info.grams.length;
      var primaryKeys = info.grams.map(function (k) { return "t:" + k.slice(2); });
      var keys = info.grams.concat(primaryKeys, [info.prefix, info.exact]);
      var only = dataset ? datasetRuns(m, dataset) : null;
      var keep = function (nums) { return only ? inRuns(nums, only) : nums; };
      return Promise.all(keys.map(function (k) { return entry(m, k); })).then(function (entries) {
        var gramEntries = entries.slice(0, g), primaryEntries = entries.slice(g, 2 * g);
        if (gramEntries.some(function (e) { return e === null; })) return new Results(m, q, info, [], [], [], []);
        var hasPrimary = !primaryEntries.some(function (e) { return e === null; });
        return Promise.all([intersectAll(gramEntries), hasPrimary ? intersectAll(primaryEntries) : Promise.resolve([]),
                            list(entries[2 * g + 1]), list(entries[2 * g])]).then(function (lists) {
          var candidates = keep(lists[0]);
          var primary = intersect(lists[1], candidates);
          var exact = intersect(lists[2], candidates);
          var prefix = intersect(lists[3], candidates);
          var res = new Results(m, q, info, candidates, exact, prefix, primary);
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

  /* ------------------------------------------------------------------------------------------------ rendering */

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* text with the first occurrence of q (normalised comparison, same length mapping) wrapped in <mark> */
  function highlighted(text, q) {
    var span = el("span");
    var norm = asciiLower(text);
    var at = norm.indexOf(q);
    if (!q || at < 0) { span.textContent = text; return span; }
    span.appendChild(document.createTextNode(text.slice(0, at)));
    span.appendChild(el("mark", null, text.slice(at, at + q.length)));
    span.appendChild(document.createTextNode(text.slice(at + q.length)));
    return span;
  }

  var TIER_LABEL = ["完全匹配 / exact", "前缀匹配 / prefix", "包含 / contains", "内容包含 / in the text"];
  var SNIPPET = 24;  // characters of context either side of a match in other text

  /* a long value cut around the match at `at` (code units of a normalised value of the same length) */
  function snippet(text, at, length) {
    var start = Math.max(0, at - SNIPPET), end = Math.min(text.length, at + length + SNIPPET);
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  function resultItem(m, r, q) {
    var ds = m.datasets[r.row[0]];
    var values = rawValues(r.row);
    var li = el("li", "srch-result");
    li.setAttribute("data-tier", String(r.tier));
    var a = el("a", "srch-link");
    a.href = BASE + encodeURIComponent(ds.name) + "/" + encodeURIComponent(values[0]) + "/";
    var head = el("span", "srch-head");
    head.appendChild(el("span", "srch-dataset", (ds.icon ? ds.icon + " " : "") + ds.title));
    head.appendChild(el("span", "srch-id", values[0]));
    if (r.row[1] !== null && r.row[1] !== undefined) head.appendChild(el("span", "srch-year", r.row[1] + "年"));
    if (r.row[4]) {
      var stage = el("span", "srch-stage", r.row[4]);
      if (ds.withdrawn && ds.withdrawn.indexOf(r.row[4]) >= 0) stage.className += " srch-withdrawn";
      head.appendChild(stage);
    }
    a.appendChild(head);
    var title = el("span", "srch-title");
    title.appendChild(highlighted(values[1] || values[0], q));
    a.appendChild(title);
    var primary = r.row[3];
    var extra = values.slice(2, primary).filter(function (v) { return v; });
    if (extra.length) {
      var sub = el("span", "srch-sub");
      extra.forEach(function (v, i) {
        if (i) sub.appendChild(document.createTextNode(" · "));
        sub.appendChild(highlighted(v, q));
      });
      a.appendChild(sub);
    }
    if (r.tier === 3) {  // the match is in other text: show where
      var norm = docValues(r.row);
      for (var i = primary; i < values.length; i++) {
        if (norm[i].indexOf(q) >= 0) {
          var where = el("span", "srch-where");
          where.appendChild(highlighted(snippet(values[i], norm[i].indexOf(q), q.length), q));
          a.appendChild(where);
          break;
        }
      }
    }
    a.appendChild(el("span", "srch-visually-hidden", "（" + TIER_LABEL[r.tier] + "）"));
    li.appendChild(a);
    return li;
  }

  function statusText(res, rawQuery) {
    if (!res) return "";
    if (res.total === 0) return "没有找到“" + rawQuery + "” / No results for “" + rawQuery + "”";
    var n = res.total.toLocaleString("zh-CN");
    // without exactCount the number is the candidate count: every match is among them (an upper bound)
    return (res.exactCount ? "找到 " + n + " 条结果" : "最多 " + n + " 条结果") +
      " / " + (res.exactCount ? "" : "up to ") + n + (res.total === 1 ? " result" : " results");
  }

  /* the first results; when the fetch budget ran out before any candidate proved a match, try a few more times */
  function firstPage(res, size, rounds) {
    return res.next(size).then(function (items) {
      return items.length || rounds <= 1 || !res.more() ? items : firstPage(res, size, rounds - 1);
    });
  }

  function debounce(fn, ms) {
    var t = null;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function enhance(form) {
    if (form.getAttribute("data-srch-ready")) return;
    form.setAttribute("data-srch-ready", "1");
    var mode = form.getAttribute("data-srch-mode") || "page";
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector(".srch-results");
    var status = form.querySelector(".srch-status");
    var filter = form.querySelector("select[name=type]");  // page mode: one dataset or all
    var size = mode === "header" ? DROPDOWN_SIZE : PAGE_SIZE;
    var generation = 0;
    var current = null;
    var moreButton = null;

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a.srch-link, button.srch-more")); }

    function clear() {
      list.textContent = "";
      if (mode === "header") list.hidden = true;
      form.removeAttribute("data-srch-done");
    }

    function render(res, m, items, q, raw, append) {
      if (!append) list.textContent = "";
      var holder = moreButton && moreButton.parentNode;
      if (holder && holder.parentNode) holder.parentNode.removeChild(holder);
      moreButton = null;
      items.forEach(function (r) { list.appendChild(resultItem(m, r, q)); });
      if (mode === "header") {
        if (res.total > 0) {
          var li = el("li", "srch-all");
          var all = el("a", "srch-link srch-all-link", "查看全部结果 / All results");
          all.href = BASE + "search/?q=" + encodeURIComponent(raw);
          li.appendChild(all);
          list.appendChild(li);
        }
        list.hidden = res.total === 0 && !raw;
      } else if (res.more()) {
        holder = el("li", "srch-more-item");
        moreButton = el("button", "srch-more", "显示更多 / Show more");
        moreButton.type = "button";
        moreButton.addEventListener("click", function () {
          var gen = generation;
          var focusIndex = list.querySelectorAll("a.srch-link").length;
          // a fetch budget can end a call before any candidate verified: keep going until something shows
          var page = function () {
            return res.next(PAGE_SIZE).then(function (items) {
              return items.length || !res.more() || gen !== generation ? items : page();
            });
          };
          page().then(function (more) {
            return res.fill(res.shown + 1, LOOKAHEAD_CHUNKS).then(function () { return more; });
          }).then(function (more) {
            if (gen !== generation) return;
            render(res, m, more, q, raw, true);
            var next = list.querySelectorAll("a.srch-link")[focusIndex];
            if (next) next.focus();
          });
        });
        holder.appendChild(moreButton);
        list.appendChild(holder);
      }
      status.textContent = statusText(res, raw);
      form.setAttribute("data-srch-done", "1");
    }

    function run() {
      var raw = input.value;
      var gen = ++generation;
      form.removeAttribute("data-srch-done");
      var only = filter ? filter.value : "";
      if (mode === "page" && window.history && window.history.replaceState) {
        var url = new URL(window.location.href);
        if (raw.trim()) url.searchParams.set("q", raw); else url.searchParams.delete("q");
        if (only) url.searchParams.set("type", only); else url.searchParams.delete("type");
        window.history.replaceState(null, "", url.toString());
      }
      if (!normalizeQuery(raw)) { clear(); status.textContent = ""; current = null; return; }
      search(raw, only).then(function (res) {
        if (gen !== generation) return null;
        current = res;
        return Promise.all([meta(), firstPage(res, size, 3)]).then(function (both) {
          // know whether "show more" would add anything before offering it
          return mode === "page" ? res.fill(res.shown + 1, LOOKAHEAD_CHUNKS).then(function () { return both; }) : both;
        }).then(function (both) {
          if (gen !== generation) return;
          if (mode === "header") list.hidden = false;
          render(res, both[0], both[1], normalizeQuery(raw), raw, false);
        });
      }).catch(function (err) {
        if (gen !== generation) return;
        list.textContent = "";
        status.textContent = "搜索索引加载失败 / Search index failed to load";
        form.setAttribute("data-srch-done", "1");
        if (window.console) console.error(err);
      });
    }

    var debounced = debounce(run, DEBOUNCE_MS);
    input.addEventListener("focus", function () { meta().catch(function () {}); });
    input.addEventListener("input", function () {
      generation++;  // results of an earlier, still running query are stale from now on
      form.removeAttribute("data-srch-done");
      debounced();
    });

    form.addEventListener("submit", function (ev) {
      if (mode === "page") { ev.preventDefault(); run(); }
    });

    form.addEventListener("keydown", function (ev) {
      var items = links();
      var idx = items.indexOf(document.activeElement);
      if (ev.key === "ArrowDown") {
        if (!items.length) return;
        ev.preventDefault();
        if (mode === "header") list.hidden = false;
        items[Math.min(idx + 1, items.length - 1)].focus();
      } else if (ev.key === "ArrowUp") {
        if (idx < 0) return;
        ev.preventDefault();
        if (idx === 0) input.focus(); else items[idx - 1].focus();
      } else if (ev.key === "Escape") {
        if (mode === "header" && !list.hidden) { ev.preventDefault(); input.focus(); list.hidden = true; }
        else if (document.activeElement === input && input.value) { ev.preventDefault(); input.value = ""; run(); }
        else if (idx >= 0) { ev.preventDefault(); input.focus(); }
      } else if (ev.key === "Home" && idx >= 0) {
        ev.preventDefault(); items[0].focus();
      } else if (ev.key === "End" && idx >= 0) {
        ev.preventDefault(); items[items.length - 1].focus();
      }
    });

    if (mode === "header") {
      document.addEventListener("click", function (ev) {
        if (!form.contains(ev.target)) list.hidden = true;
      });
      input.addEventListener("focus", function () { if (list.children.length) list.hidden = false; });
    }

    if (mode === "page") {
      var params = new URLSearchParams(window.location.search);
      var initial = params.get("q");
      var ready = Promise.resolve();
      if (filter) {
        ready = meta().then(function (m) {
          m.datasets.forEach(function (d) {
            var option = el("option", null, d.title + " / " + d.title_en);
            option.value = d.name;
            filter.appendChild(option);
          });
          if (params.get("type")) filter.value = params.get("type");
          if (filter.value !== (params.get("type") || "")) filter.value = "";
        }).catch(function () {});
        filter.addEventListener("change", function () { run(); });
      }
      if (initial) { input.value = initial; ready.then(run); }
    }
  }

  /* The header box is rendered after the theme's header; move it into the header bar when the theme has one
   * (MkDocs Material: .md-header__inner). Without JavaScript it stays a plain GET form to /search/. */
  function placeHeaderBox() {
    var box = document.querySelector("form.srch-header-box");
    var inner = document.querySelector(".md-header__inner");
    if (!box || !inner || inner.contains(box)) return;
    inner.insertBefore(box, inner.querySelector(".md-header__source"));
    box.classList.add("srch-in-header");
  }

  function init() {
    placeHeaderBox();
    Array.prototype.forEach.call(document.querySelectorAll("form.srch-search"), enhance);
  }

  window.SanxinSearch = { search: search, normalize: normalizeQuery, init: init, index: INDEX };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
