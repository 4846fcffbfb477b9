// "In hoặc lưu PDF": the browser's print dialog (print CSS hides the shell; "Save as PDF" saves it).
// The printed page ends with its source; the print date is today's, set here (the page may be cached).
(function () {
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function stampPrintDate() {
    var now = new Date();
    var iso = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    var shown = pad(now.getDate()) + "/" + pad(now.getMonth() + 1) + "/" + now.getFullYear();
    document.querySelectorAll("[data-print-date]").forEach(function (line) {
      var time = line.querySelector("time");
      time.setAttribute("datetime", iso);
      time.textContent = shown;
      line.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", stampPrintDate);
  window.addEventListener("beforeprint", stampPrintDate);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { stampPrintDate(); window.print(); }
  });
})();
