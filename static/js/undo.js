// "Undo" after "Done as usual" works for a minute: when that minute is up,
// the button goes and the line says so (without a script, the server answers
// "Too late to undo" to a late tap).
document.querySelectorAll("form.undo[data-seconds]").forEach(function (form) {
  var seconds = parseInt(form.dataset.seconds, 10);
  if (!(seconds > 0)) {
    return;
  }
  window.setTimeout(function () {
    var line = document.createElement("p");
    line.className = "small text-body-secondary mb-3";
    line.setAttribute("role", "status");
    line.textContent =
      "Logged as usual. Too late to undo now: you can delete it from the sessions list.";
    form.replaceWith(line);
  }, seconds * 1000);
});
