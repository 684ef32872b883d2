// Follow the system's light/dark setting (Bootstrap 5.3 colour modes).
(function () {
  // Scripts run: the menu button works (see .no-js in app.css).
  document.documentElement.classList.remove("no-js");
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", dark.matches ? "dark" : "light");
  }
  apply();
  if (dark.addEventListener) dark.addEventListener("change", apply);
})();
