/* Progressive enhancement of the filing steps (the pages work without it):
   - fields with data-show-if are hidden while their condition is not met;
   - a submit button marked data-once is disabled after the first click (the server is idempotent anyway);
   - the error summary takes focus so screen readers announce it. */
(function () {
  "use strict";
  function valueOf(form, name) {
    var input = form.elements[name];
    if (!input) { return ""; }
    if (input.type === "checkbox") { return input.checked ? "true" : ""; }
    return input.value;
  }
  function matches(value, wanted) {
    var truthy = ["on", "true", "1", "yes", "co"];
    if (truthy.indexOf(wanted.toLowerCase()) >= 0) { return truthy.indexOf(value.toLowerCase()) >= 0; }
    return value === wanted;
  }
  function refresh(form) {
    var fields = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      f.hidden = !matches(valueOf(form, f.getAttribute("data-show-if")), f.getAttribute("data-show-value") || "");
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("step-form");
    if (form && form.querySelector("[data-show-if]")) {
      refresh(form);
      form.addEventListener("change", function () { refresh(form); });
    }
    var once = document.querySelectorAll("form [data-once]");
    for (var j = 0; j < once.length; j++) {
      once[j].form.addEventListener("submit", function (event) {
        var button = event.target.querySelector("[data-once]");
        if (button.getAttribute("aria-disabled") === "true") { event.preventDefault(); return; }
        button.setAttribute("aria-disabled", "true");
      });
    }
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
