// Pre-select the browser's time zone in any select marked data-timezone-select,
// unless the page already shows a choice the user made (a redisplayed form).
(function () {
  var legacy = JSON.parse(document.getElementById("timezone-legacy-names").textContent);
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  zone = legacy[zone] || zone;
  document.querySelectorAll("select[data-timezone-select]").forEach(function (select) {
    if (select.dataset.userChosen === "true") return;
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
    if (option) select.value = zone;
  });
})();
