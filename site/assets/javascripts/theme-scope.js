/* The theme's inline head script (Material for MkDocs 9 / Zensical partials/javascripts/base.html), moved to a file so
   the Content-Security-Policy can forbid inline scripts. Its base URL comes from the script tag's data-scope. */
(function () {
  var scope = new URL(document.currentScript.getAttribute("data-scope") || ".", location);
  if (!scope.pathname.endsWith("/")) scope = new URL(scope.pathname + "/", location);
  window.__md_scope = scope;
  window.__md_hash = function (e) {
    return Array.from(e).reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage; base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage; base = base || window.__md_scope;
    try { storage.setItem(base.pathname + "." + key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  };
  document.documentElement.setAttribute("data-platform", navigator.platform);
})();
