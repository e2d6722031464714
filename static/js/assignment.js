// Saves the assignment text to the server as the learner types (2 s after the last key), so a closed tab or a
// lost connection loses little. The page works without this script: "Save draft" does the same with a page load.
(function () {
  "use strict";
  var form = document.getElementById("assignment-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var text = form.querySelector("textarea[name=text]");
  var status = form.querySelector(".autosave-status");
  var timer = null;
  var sent = text.value;
  function save() {
    if (text.value === sent) { return; }
    var data = new FormData();
    data.set("csrf_token", form.querySelector("input[name=csrf_token]").value);
    data.set("text", text.value);
    var value = text.value;
    fetch(form.dataset.autosave, { method: "POST", body: data, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.saved) { sent = value; }
        if (status) { status.textContent = answer.message || ""; }
      })
      .catch(function () { /* offline: the next key or the Save draft button tries again */ });
  }
  text.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 2000); });
})();
