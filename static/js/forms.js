// After a form comes back with errors, move the focus to its error summary, so that screen readers read
// the list of problems and keyboard users start from it; a link in the summary puts the focus in its field.
// Without this script the summary and the messages next to the fields are still there.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    var field = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (!field) { return; }
    event.preventDefault();
    field.focus();
    if (field.scrollIntoView) { field.scrollIntoView({ block: "center" }); }
  });
})();
