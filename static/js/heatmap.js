// The heatmap names the day under the pointer or the keyboard focus in a line
// below the grid (sighted users' counterpart of each day's aria-label).
document.querySelectorAll(".heatmap").forEach(function (map) {
  var line = map.querySelector(".heatmap-day");
  function show(event) {
    var day = event.target.closest(".heatmap-grid a");
    if (day && line) {
      line.textContent = day.getAttribute("aria-label");
    }
  }
  map.addEventListener("pointerover", show);
  map.addEventListener("focusin", show);
});
