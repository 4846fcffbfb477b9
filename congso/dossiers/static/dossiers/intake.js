// Counter intake's procedure picker: filter the list as the clerk types, without diacritics (the same
// folding as core.text.fold on the server, which answers the search when JavaScript is off).
(function () {
  "use strict";
  var input = document.querySelector("[data-intake-filter]");
  if (!input) return;
  var box = document.getElementById(input.getAttribute("data-intake-filter"));
  var none = document.getElementById("intake-no-match");
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase().replace(/[^0-9a-z\s.]/g, " ").replace(/\s+/g, " ").trim();
  }
  function filter() {
    var words = fold(input.value).split(" ").filter(Boolean);
    var shown = 0;
    box.querySelectorAll(".intake-group").forEach(function (group) {
      var inGroup = 0;
      group.querySelectorAll("li[data-folded]").forEach(function (li) {
        var text = li.getAttribute("data-folded");
        var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
        li.hidden = !ok;
        if (ok) inGroup += 1;
      });
      group.hidden = inGroup === 0;
      shown += inGroup;
    });
    if (none) none.hidden = shown !== 0;
  }
  input.addEventListener("input", filter);
})();
