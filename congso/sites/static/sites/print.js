// "In hoặc lưu PDF": the browser's print dialog (print CSS hides the shell; "Save as PDF" saves it).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) { window.print(); }
});
