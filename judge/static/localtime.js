/* Beside each moment shown in the competition's zone (<time data-tz>), the same moment in the
 * reader's own zone, when the browser is elsewhere: "(your time: Dec 1, 2026, 10:00 AM GMT+1)".
 * The label comes from the script tag (translated by the server); no inline script. */
(function () {
  "use strict";
  var label = document.currentScript.getAttribute("data-label");

  function readerTime(when, lang, zone) {
    return new Intl.DateTimeFormat(lang, {
      year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit",
      timeZone: zone, timeZoneName: "short"
    }).format(when);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var lang = document.documentElement.lang || "ko";
    document.querySelectorAll("time[data-tz]").forEach(function (shown) {
      var when = new Date(shown.getAttribute("datetime"));
      if (!zone || shown.getAttribute("data-tz") === zone || isNaN(when.getTime())) {
        return;
      }
      var mine = document.createElement("span");
      mine.className = "reader-time muted";
      mine.textContent = " (" + label + " " + readerTime(when, lang, zone) + ")";
      shown.after(mine);
    });
  });
})();
