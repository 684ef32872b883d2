// "Notify this device": asks for permission, subscribes with the Push API and
// registers the subscription with the server. Without JavaScript, or in a
// browser without the Push API, the button stays hidden and the page says how
// to get notifications; everything else on the page works the same.
(function () {
  var box = document.querySelector("[data-push]");
  if (!box) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) ||
      !("Notification" in window)) {
    return;
  }
  var button = box.querySelector("[data-push-subscribe]");
  var status = box.querySelector("[data-push-status]");
  var hint = document.querySelector("[data-push-unsupported]");
  box.hidden = false;
  if (hint) hint.hidden = true;

  function say(text) {
    status.textContent = text;
  }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function subscribe(registration) {
    var options = {
      userVisibleOnly: true,
      applicationServerKey: keyBytes(box.dataset.pushKey)
    };
    return registration.pushManager.getSubscription().then(function (old) {
      // A subscription made with another server key cannot be reused.
      if (!old) return registration.pushManager.subscribe(options);
      return registration.pushManager.subscribe(options).catch(function () {
        return old.unsubscribe().then(function () {
          return registration.pushManager.subscribe(options);
        });
      });
    });
  }

  function register(subscription) {
    return fetch(box.dataset.pushUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(subscription)
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer.error || "The server said no.");
        return answer;
      });
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    say("Asking for permission…");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        throw new Error("Notifications are blocked for this site: allow them in " +
                        "the browser's site settings, then try again.");
      }
      say("Subscribing…");
      return navigator.serviceWorker.register("/sw.js").then(function () {
        return navigator.serviceWorker.ready;
      });
    }).then(subscribe).then(register).then(function (device) {
      say((device.created ? "Done: " : "Already on: ") + device.name +
          " gets notifications.");
      window.setTimeout(function () { window.location.reload(); }, 1200);
    }).catch(function (error) {
      say("Could not turn notifications on. " + error.message);
      button.disabled = false;
    });
  });
})();
