// Register the service worker (offline page, installable app). Without it, or
// without scripts, the site works the same online.
(function () {
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js").catch(function () {
      // Not installable here (a private window, an old browser): nothing to do.
    });
  });
})();
