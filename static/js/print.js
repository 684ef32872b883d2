// "Print or save as PDF": shown only with JavaScript, since without it the
// browser's own Print menu does the same.
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
