// Pre-select the browser's time zone in any select marked data-timezone-select,
// unless the page already shows a choice the user made (a redisplayed form: the
// script tag then carries data-user-chosen).
(function () {
  if (document.currentScript && document.currentScript.dataset.userChosen === "true") return;
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
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
    if (option) select.value = zone;
  });
})();
