// Show a <time data-local-time> in the reader's own time zone and in the page's language. Without this script
// the server's text stays: the same moment in UTC, with "UTC" written out.
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) { return; }
  var lang = document.documentElement.lang || undefined;
  var times = document.querySelectorAll("time[data-local-time]");
  for (var i = 0; i < times.length; i++) {
    var when = new Date(times[i].getAttribute("datetime"));
    if (isNaN(when.getTime())) { continue; }
    try {
      times[i].textContent = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short", timeZoneName: "short" }).format(when);
    } catch (error) { /* an old browser without these options keeps the server's text */ }
  }
})();
