// Footcare's service worker (served at /sw.js after a few constants: VERSION,
// OFFLINE_URL, STATIC_URL, PRECACHE). Static files come from the cache; pages
// always come from the network, and when it is down a friendly offline page
// answers instead. Pages are never cached: a signed-in page is private.
const CACHE = "footcare-" + VERSION;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // Without cookies: the offline page must be the same for everyone.
      return cache.addAll(
        PRECACHE.map(function (url) {
          return new Request(url, { credentials: "omit" });
        })
      );
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) {
            return name.startsWith("footcare-") && name !== CACHE;
          })
          .map(function (name) {
            return caches.delete(name);
          })
      );
    }).then(function () {
      return self.clients.claim();
    })
  );
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(function () {
        return caches.match(OFFLINE_URL);
      })
    );
  } else if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(
      caches.match(request).then(function (cached) {
        return cached || fetch(request);
      })
    );
  }
});
