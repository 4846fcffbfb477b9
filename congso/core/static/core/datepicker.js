/* Date fields are text inputs in dd/mm/yyyy (the same on every browser locale; they work without
   JavaScript). Where the browser has a native date picker, this adds a "Chọn ngày" button next to
   each input[data-date-picker] that opens it and writes the chosen day back as dd/mm/yyyy. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function toIso(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
    return m ? m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]) : "";
  }
  function enhance(input) {
    var probe = document.createElement("input");
    probe.type = "date";
    if (probe.type !== "date" || typeof probe.showPicker !== "function") { return; }
    var wrap = document.createElement("div");
    wrap.className = "date-field";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    probe.className = "date-field__native";
    probe.tabIndex = -1;
    probe.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary date-field__button";
    button.textContent = input.getAttribute("data-picker-label") || "Chọn ngày";
    var label = document.querySelector('label[for="' + input.id + '"]');
    if (label) {  // which field it fills, for screen readers (text, not aria-label: the label stays the input's)
      var which = document.createElement("span");
      which.className = "visually-hidden";
      which.textContent = " — " + label.textContent.replace("*", "").replace("(bắt buộc)", "").trim();
      button.appendChild(which);
    }
    wrap.appendChild(button);
    wrap.appendChild(probe);
    button.addEventListener("click", function () {
      probe.value = toIso(input.value);
      try { probe.showPicker(); } catch (e) { input.focus(); }
    });
    probe.addEventListener("change", function () {
      var p = probe.value.split("-");
      if (p.length === 3) {
        input.value = p[2] + "/" + p[1] + "/" + p[0];
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      button.focus();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-date-picker]");
    for (var i = 0; i < inputs.length; i++) { enhance(inputs[i]); }
  });
})();
