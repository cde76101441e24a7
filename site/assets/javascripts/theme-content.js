/* The theme's inline content script (partials/javascripts/content.html), moved to a file for the CSP: a link to a
   content tab's anchor selects that tab. */
(function () {
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
