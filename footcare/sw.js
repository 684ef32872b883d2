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

// -- Notifications (Web Push): a reminder with "Done as usual" and "Snooze" ----
// The server sends JSON: {title, body, url, tag, icon, actions: [{action,
// title, url}]}. Tapping the notification opens `url`; an action POSTs to its
// own url, whose token is the whole permission (no cookie is sent), and the
// answer replaces the notification. Separate from the caching above.

function sameOrigin(url) {
  try {
    return new URL(url, self.location.href).origin === self.location.origin;
  } catch (e) {
    return false;
  }
}

self.addEventListener("push", function (event) {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : "" };
  }
  const actions = (Array.isArray(data.actions) ? data.actions : []).filter(
    function (action) {
      return action && action.action && action.title && sameOrigin(action.url);
    }
  );
  event.waitUntil(
    self.registration.showNotification(data.title || "Footcare", {
      body: data.body || "",
      tag: data.tag || "footcare",
      icon: data.icon,
      data: { url: sameOrigin(data.url) ? data.url : "/", actions: actions },
      actions: actions.map(function (action) {
        return { action: action.action, title: action.title };
      }),
    })
  );
});

function openPage(url) {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(
    function (windows) {
      for (const client of windows) {
        if (client.url === url && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(url);
    }
  );
}

// A named function, so a browser test can hand it an event (headless Chromium
// has no notification to click).
function onNotificationClick(event) {
  const notification = event.notification;
  const data = notification.data || {};
  notification.close();
  const action = (data.actions || []).find(function (a) {
    return a.action === event.action;
  });
  if (!action) {
    event.waitUntil(openPage(data.url || "/"));
    return;
  }
  event.waitUntil(
    fetch(action.url, {
      method: "POST",
      credentials: "omit",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        return self.registration.showNotification(answer.title, {
          body: answer.body || "",
          tag: notification.tag,
          icon: notification.icon,
          data: { url: data.url || "/", actions: [] },
        });
      })
      .catch(function () {
        // Offline or the server is away: the action's page has the same button.
        return openPage(action.url);
      })
  );
}

self.addEventListener("notificationclick", onNotificationClick);
