// Saves quiz answers as the learner goes, so that a lost connection or a closed tab loses nothing.
// The quiz works without this script: "Save and finish later" does the same with a full page load.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector(".autosave-status");
  // Not form.action: the buttons named "action" shadow that property (it would be a RadioNodeList).
  var target = form.getAttribute("action");
  var timer = null;
  function save() {
    var data = new FormData(form);
    data.set("action", "save");
    fetch(target, { method: "POST", body: data, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { if (status) { status.textContent = response.ok ? status.dataset.saved || "✓" : ""; } })
      .catch(function () { /* offline: the next change or the submit button tries again */ });
  }
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 800); });
})();
