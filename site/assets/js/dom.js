/* 页面上的小工具（唯一的 el()）/ The DOM helpers of every page script — the one el(), JSON fetch, CSV save.
   Data is only ever inserted with textContent or as attribute values: nothing from the data becomes HTML. */

/** A new element: attributes from `attrs` (an object, values set as text), text content `text` (when given). */
export function el(tag, attrs, text) {
  const e = document.createElement(tag);
  if (attrs) { for (const k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { e.setAttribute(k, attrs[k]); } } }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
}

/** The JSON at a same-origin URL (a promise; rejects on an HTTP error). */
export function getJson(url) {
  return fetch(url, { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) { throw new Error(r.status); }
    return r.json();
  });
}

/** Save CSV lines as a UTF-8 file with a byte-order mark (Excel reads it) and CRLF line ends. */
export function saveCsv(lines, name) {
  const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}
