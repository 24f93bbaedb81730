/* The countdown on a competition's page: the server writes the time left when the page
 * is made; this keeps it ticking each second in the page's language (Intl), and says
 * the milestone is reached when it is. No inline script: the CSP allows only files. */
(function () {
  "use strict";
  var UNITS = ["day", "hour", "minute", "second"];
  var SIZES = [86400, 3600, 60, 1];

  function parts(seconds, lang) {
    var shown = [];
    UNITS.forEach(function (unit, i) {
      var n = Math.floor(seconds / SIZES[i]);
      seconds -= n * SIZES[i];
      if (n > 0 || shown.length > 0 || unit === "second") {  // no leading zeros
        shown.push(new Intl.NumberFormat(lang, { style: "unit", unit: unit, unitDisplay: "long" }).format(n));
      }
    });
    return new Intl.ListFormat(lang, { style: "long", type: "unit" }).format(shown);
  }

  function start(box) {
    var at = Date.parse(box.getAttribute("data-countdown"));
    var left = box.querySelector("[data-countdown-left]");
    var lang = document.documentElement.lang || "ko";
    function tick() {
      var seconds = Math.max(0, Math.round((at - Date.now()) / 1000));
      if (seconds === 0) {
        box.textContent = box.getAttribute("data-msg-done");
        return;
      }
      left.textContent = parts(seconds, lang);
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-countdown]").forEach(start);
  });
})();
