// After a failed submit, move focus to the error summary so screen readers read it.
(function () {
  var summary = document.getElementById("form-errors");
  if (summary) summary.focus();
})();
