// The heatmap names the day under the pointer or the keyboard focus in a line
// below the grid (sighted users' counterpart of each day's aria-label), and
// clears it when the pointer or focus leaves the days.
document.querySelectorAll(".heatmap").forEach(function (map) {
  var line = map.querySelector(".heatmap-day");
  var grid = map.querySelector(".heatmap-grid");
  if (!line || !grid) {
    return;
  }
  function show(event) {
    var day = event.target.closest(".heatmap-grid a");
    line.textContent = day ? day.getAttribute("aria-label") : "";
  }
  function clear() {
    line.textContent = "";
  }
  grid.addEventListener("pointerover", show);
  grid.addEventListener("focusin", show);
  grid.addEventListener("pointerleave", clear);
  grid.addEventListener("focusout", clear);
});
