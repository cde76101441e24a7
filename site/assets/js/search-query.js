/* 搜索查询的解码（纯函数）/ Search query decoding — pure, no DOM, no fetch (tests/js/search.test.mjs).
   The same text rules and keys as scripts/search_keys.py: a query is normalised, cut into grams whose posting lists
   the index holds (hashed into shards by FNV-1a), and posting lists are delta-encoded base-36 runs. */

export const MAX_GRAMS = 8;  // a long query reads at most this many gram lists (same as scripts/search.py)

/** ASCII letters to lower case, nothing else (the index lower-cases only ASCII). */
export function asciiLower(s) {
  return s.replace(/[A-Z]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) + 32); });
}

/** Same as scripts/search.py normalize_query: NFKC, ASCII lower case, no zero-width or bidi controls, trimmed. */
export function normalizeQuery(s) {
  return asciiLower(String(s).normalize("NFKC")).replace(/[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]/g, "").trim();
}

/** 32-bit FNV-1a of the UTF-8 bytes of `key` (the shard of a key is fnv1a(key) % shards). */
export function fnv1a(key) {
  const bytes = new TextEncoder().encode(key);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A posting list's numbers from its text: comma-separated base-36 tokens "gap" or "gap+run", where gap is the
    distance from the previous number minus one and run how many consecutive numbers follow: "0,2+3" → [0, 3, 4, 5, 6]. */
export function decode(text) {
  const out = [];
  if (!text) { return out; }
  let prev = -1;
  const tokens = text.split(",");
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const plus = t.indexOf("+");
    const start = prev + 1 + parseInt(plus < 0 ? t : t.slice(0, plus), 36);
    const end = start + (plus < 0 ? 0 : parseInt(t.slice(plus + 1), 36));
    for (let n = start; n <= end; n++) { out.push(n); }
    prev = end;
  }
  return out;
}

/** The items in first-seen order, each once. */
export function unique(items) {
  const seen = new Set();
  return items.filter(function (x) { if (seen.has(x)) { return false; } seen.add(x); return true; });
}

/** The index keys of a normalised query (scripts/search.py query_keys): its grams ("g:"; bigrams, trigrams for an
    ASCII query of 3+ characters, the character itself for one; at most MAX_GRAMS spread over the query), the
    prefix key ("p:" first two characters), the exact key ("e:" the query) and the query's length in characters. */
export function queryKeys(q) {
  const cps = Array.from(q);
  let grams = [];
  if (cps.length === 1) {
    grams.push(cps[0]);
  } else {
    // eslint-disable-next-line no-control-regex -- the whole ASCII range
    const size = cps.length >= 3 && /^[\x00-\x7f]*$/.test(q) ? 3 : 2;
    for (let i = 0; i + size <= cps.length; i++) { grams.push(cps.slice(i, i + size).join("")); }
    grams = unique(grams);
    if (grams.length > MAX_GRAMS) {
      const n = grams.length, spread = [];
      for (let j = 0; j < MAX_GRAMS; j++) {
        spread.push(grams[Math.floor((j * (n - 1) + Math.floor((MAX_GRAMS - 1) / 2)) / (MAX_GRAMS - 1))]);
      }
      grams = unique(spread);
    }
  }
  return { grams: grams.map(function (g) { return "g:" + g; }), prefix: "p:" + cps.slice(0, 2).join(""),
    exact: "e:" + q, length: cps.length };
}
