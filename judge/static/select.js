/* Select the whole value of fields marked data-select-on-focus (e.g. a new API token). */
(function () {
  "use strict";
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    ["focus", "click"].forEach(function (name) {
      field.addEventListener(name, function () {
        field.select();
      });
    });
  });
})();
