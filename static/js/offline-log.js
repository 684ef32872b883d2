// Logging without a connection. With the network gone, Save on the dashboard's
// log form (and on the offline page's small form) keeps the session in this
// browser (IndexedDB): its fields, the moment it was saved and an id made here.
// When the dashboard is next open and online (a page load or the `online`
// event), each waiting session is posted to the log form's own address with
// its id as the form's `token`: the server keeps one session per token
// (MassageSession.submission_token), so a resend after a reload, in a second
// tab or after a lost answer finds the session the first one made. A session
// the server refuses stays, shown with its reason, until dismissed. Once all
// are sent, the dashboard loads itself again (it would still say "Not yet
// today" and offer "Done as usual") and says what was sent, unless the user is
// filling in its form meanwhile: then a link offers the updated page.
//
// The queue belongs to the account whose page saved it (`data-offline-account`
// on the dashboard): only that account's dashboard sends it, with that page's
// CSRF token, which a later sign-in as anyone else invalidates. Log out clears
// it. Nothing of a page is stored: only what was typed into the form.
//
// The pure part (times, fields) is tested by tests/js/offline-log.test.js.
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.OfflineLog = api;
    api.start(root);
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var DB_NAME = "footcare-offline";
  var STORE = "sessions";
  var ACCOUNT_KEY = "footcare-offline-account";
  var LOCK = "footcare-offline-send";
  // How many were sent before the dashboard loaded itself again (sessionStorage).
  var SENT_KEY = "footcare-offline-sent";
  // Never kept with a waiting session, and given afresh when it is sent.
  var NOT_KEPT = ["csrfmiddlewaretoken", "token"];

  // -- pure helpers ----------------------------------------------------------

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // The wall clock in `zone` at the ISO instant `iso`: {date: "YYYY-MM-DD",
  // time: "HH:MM"}, the form's own formats.
  function wallClock(iso, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(iso))
      .forEach(function (part) {
        parts[part.type] = part.value;
      });
    return { date: parts.year + "-" + parts.month + "-" + parts.day, time: parts.hour + ":" + parts.minute };
  }

  // The fields of a form as [name, value] pairs, without the ones never kept.
  function kept(pairs) {
    return pairs.filter(function (pair) {
      return NOT_KEPT.indexOf(pair[0]) === -1;
    });
  }

  // What to post for a waiting `entry`: its own fields; any field it lacks from
  // `defaults` (the dashboard form as the server rendered it); date and time,
  // if it lacks them, from the moment it was saved, read in `zone`.
  function postFields(entry, defaults, zone) {
    var given = kept(entry.fields);
    var names = given.map(function (pair) {
      return pair[0];
    });
    var fields = given.slice();
    if (entry.at && names.indexOf("date") === -1) {
      var clock = wallClock(entry.at, zone);
      fields.push(["date", clock.date], ["start_time", clock.time]);
      names.push("date", "start_time");
    }
    kept(defaults).forEach(function (pair) {
      if (names.indexOf(pair[0]) === -1) fields.push(pair);
    });
    fields.push(["token", entry.id]);
    return fields;
  }

  // When the session was logged, in words for the list of refused ones.
  function loggedWhen(entry, zone) {
    var date = null;
    var time = null;
    entry.fields.forEach(function (pair) {
      if (pair[0] === "date") date = pair[1];
      if (pair[0] === "start_time") time = pair[1];
    });
    if (date === null && entry.at) {
      var clock = wallClock(entry.at, zone);
      date = clock.date;
      time = clock.time;
    }
    return (date || "") + (time ? " " + time : "");
  }

  function sessions(n) {
    return n === 1 ? "1 session is" : n + " sessions are";
  }

  // -- storage (IndexedDB) ---------------------------------------------------

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function open() {
    var req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = function () {
      req.result.createObjectStore(STORE, { keyPath: "id" });
    };
    return request(req);
  }

  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () {
          db.close();
          resolve(result);
        };
        tx.onerror = tx.onabort = function () {
          db.close();
          reject(tx.error);
        };
      });
    });
  }

  var store = {
    all: function () {
      return withStore("readonly", function (s) {
        return request(s.getAll());
      });
    },
    get: function (id) {
      return withStore("readonly", function (s) {
        return request(s.get(id));
      });
    },
    put: function (entry) {
      return withStore("readwrite", function (s) {
        s.put(entry);
      });
    },
    remove: function (id) {
      return withStore("readwrite", function (s) {
        s.delete(id);
      });
    },
    clear: function () {
      return withStore("readwrite", function (s) {
        s.clear();
      });
    },
  };

  function mine(account) {
    return store.all().then(function (entries) {
      return entries
        .filter(function (entry) {
          return entry.account === account;
        })
        .sort(function (a, b) {
          return a.savedAt < b.savedAt ? -1 : a.savedAt > b.savedAt ? 1 : 0;
        });
    });
  }

  function newId() {
    return self.crypto.randomUUID();
  }

  // -- the page --------------------------------------------------------------

  function pairsOf(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      pairs.push([name, String(value)]);
    });
    return pairs;
  }

  // The form as the server rendered it: checked boxes and values at load time.
  function defaultsOf(form) {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled) return;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.defaultChecked) pairs.push([field.name, field.value]);
      } else if (field.type !== "submit" && field.type !== "button") {
        pairs.push([field.name, field.defaultValue]);
      }
    });
    return pairs;
  }

  function reasonIn(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var errors = Array.prototype.map.call(
      page.querySelectorAll(".invalid-feedback, #form-errors"),
      function (element) {
        return element.textContent.replace(/\s+/g, " ").trim();
      }
    );
    errors = errors.filter(function (text, i) {
      return text && errors.indexOf(text) === i;
    });
    return errors.join(" ") || "The server did not accept it.";
  }

  function Status(element) {
    this.element = element;
  }

  Status.prototype.show = function (text, refused, onDismiss, link) {
    var element = this.element;
    if (!element) return;
    element.textContent = "";
    if (text) {
      var line = document.createElement("p");
      line.className = "mt-3 mb-0";
      line.textContent = text;
      if (link) {
        line.append(" ");
        var a = document.createElement("a");
        a.href = link.href;
        a.textContent = link.text;
        line.append(a);
      }
      element.append(line);
    }
    (refused || []).forEach(function (item) {
      var row = document.createElement("p");
      row.className = "mt-2 mb-0 text-danger-emphasis";
      row.textContent = "Not saved (" + item.when + "): " + item.reason + " ";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      button.textContent = "Dismiss";
      button.addEventListener("click", function () {
        onDismiss(item.id);
      });
      row.append(button);
      element.append(row);
    });
  };

  // The dashboard: queue when offline, send when online.
  function Dashboard(section) {
    this.account = section.dataset.offlineAccount;
    this.zone = section.dataset.offlineTimezone;
    this.form = section.querySelector("form");
    this.status = new Status(section.querySelector("[data-offline-status]"));
    this.sent = 0;
    this.saving = false;
    this.reloaded = false;
  }

  // Whether anything was typed or chosen in `form` since the page loaded
  // (static/js/form-changes.js; without it, say yes: nothing is reloaded).
  function touched(form) {
    return !self.FormChanges || self.FormChanges.changed(form).length > 0;
  }

  // Save pressed again on the fresh form an offline save left: a tired thumb
  // (nothing on the page changed) more often than a second session. Held once,
  // saying so; pressed again, it logs another. (Online, the page a Save brings
  // shows today as done instead.)
  var SAVED_ALREADY = "That session is saved on this phone. To log another one, press Save again.";

  function isRepeat(page) {
    return page.justKept && !touched(page.form);
  }

  // Whether this Save is held (and says so); the next one is not.
  function holdRepeat(page) {
    var repeat = isRepeat(page);
    page.justKept = false;
    if (repeat) page.render(SAVED_ALREADY);
    return repeat;
  }

  // A line at the top of the page, where its messages are.
  function announce(text) {
    var main = document.getElementById("main");
    if (!main) return;
    var line = document.createElement("div");
    line.className = "alert alert-success";
    line.setAttribute("role", "status");
    line.textContent = text;
    main.insertBefore(line, main.firstChild);
  }

  function sentText(n) {
    return "Sent " + (n === 1 ? "the session" : n + " sessions") + " saved on this phone.";
  }

  Dashboard.prototype.start = function () {
    var page = this;
    try {
      localStorage.setItem(ACCOUNT_KEY, this.account);
    } catch (error) {
      // Storage off: the offline page's form then asks to sign in first.
    }
    this.form.addEventListener("submit", function (event) {
      if (navigator.onLine) return; // the ordinary post
      event.preventDefault();
      page.keep();
    });
    window.addEventListener("online", function () {
      page.send();
    });
    var sentBefore = null;
    try {
      sentBefore = sessionStorage.getItem(SENT_KEY);
      sessionStorage.removeItem(SENT_KEY);
    } catch (error) {
      sentBefore = null;
    }
    if (sentBefore) {
      this.reloaded = true;
      announce(sentText(Number(sentBefore)));
    }
    this.send();
  };

  Dashboard.prototype.keep = function () {
    var page = this;
    if (this.saving || holdRepeat(this)) return;
    this.saving = true;
    var entry = {
      id: newId(),
      account: this.account,
      savedAt: new Date().toISOString(),
      fields: kept(pairsOf(this.form)),
      refused: null,
    };
    store
      .put(entry)
      .then(function () {
        page.form.reset(); // as a Save online leaves a fresh form
        page.justKept = true;
        return page.render("Saved on this phone; it will be sent when you are back online.");
      })
      .catch(function () {
        page.status.show("This browser cannot keep sessions while offline: try again once you are online.");
      })
      .then(function () {
        page.saving = false;
      });
  };

  Dashboard.prototype.render = function (saved) {
    var page = this;
    return mine(this.account).then(function (entries) {
      var waiting = entries.filter(function (entry) {
        return !entry.refused;
      });
      var refused = entries
        .filter(function (entry) {
          return entry.refused;
        })
        .map(function (entry) {
          return { id: entry.id, when: loggedWhen(entry, page.zone), reason: entry.refused };
        });
      var text = saved ? saved + " " : "";
      var link = null;
      if (waiting.length) {
        text += sessions(waiting.length) + " waiting to be sent.";
      } else if (page.sent) {
        if (!refused.length && !page.reloaded && !touched(page.form)) {
          // The page still shows the day as it was (perhaps "Not yet today",
          // inviting a second log): load it again, saying what was sent. Once.
          try {
            sessionStorage.setItem(SENT_KEY, String(page.sent));
            window.location.replace(window.location.pathname);
            return;
          } catch (error) {
            // No sessionStorage: the link below does it.
          }
        }
        text = sentText(page.sent);
        link = { href: window.location.pathname, text: "Show the updated dashboard" };
      }
      page.status.show(text.trim(), refused, function (id) {
        store.remove(id).then(function () {
          page.render();
        });
      }, link);
    });
  };

  // Post each waiting session once, oldest first; stop at the first answer
  // that is not "saved" or "refused" (no connection, signed out, an old page).
  Dashboard.prototype.send = function () {
    var page = this;
    if (!navigator.onLine) return this.render();
    var run = function () {
      return mine(page.account).then(function (entries) {
        var waiting = entries.filter(function (entry) {
          return !entry.refused;
        });
        return waiting.reduce(function (previous, entry) {
          return previous.then(function (goOn) {
            return goOn && page.sendOne(entry);
          });
        }, Promise.resolve(true));
      });
    };
    var sending = navigator.locks ? navigator.locks.request(LOCK, run) : run();
    return sending
      .catch(function () {
        // Storage or network trouble: the sessions stay for the next try.
      })
      .then(function () {
        return page.render();
      });
  };

  Dashboard.prototype.sendOne = function (entry) {
    var page = this;
    // Another tab may have sent it meanwhile.
    return store.get(entry.id).then(function (current) {
      if (!current || current.refused) return true;
      var body = new FormData();
      body.append("csrfmiddlewaretoken", page.form.elements.csrfmiddlewaretoken.value);
      postFields(current, defaultsOf(page.form), page.zone).forEach(function (pair) {
        body.append(pair[0], pair[1]);
      });
      return fetch(page.form.action, { method: "POST", body: body, credentials: "same-origin" }).then(
        function (response) {
          var path = new URL(response.url).pathname;
          // The log form sends a saved session home: this very dashboard.
          if (response.ok && response.redirected && path === window.location.pathname) {
            // Saved, now or by an earlier try whose answer was lost.
            page.sent += 1;
            return store.remove(current.id).then(function () {
              return true;
            });
          }
          if (response.ok && !response.redirected) {
            return response.text().then(function (html) {
              current.refused = reasonIn(html);
              return store.put(current).then(function () {
                return true;
              });
            });
          }
          return false;
        },
        function () {
          return false;
        }
      );
    });
  };

  // The offline page's small form: the account that last had its dashboard
  // open in this browser, the moment of Save and the comfort chosen; the rest
  // comes from the dashboard's form when it is sent.
  function OfflineForm(section) {
    this.section = section;
    this.form = section.querySelector("form");
    this.status = new Status(section.querySelector("[data-offline-status]"));
    this.saving = false;
  }

  OfflineForm.prototype.start = function () {
    var page = this;
    var account = null;
    try {
      account = localStorage.getItem(ACCOUNT_KEY);
    } catch (error) {
      account = null;
    }
    if (!account || !window.indexedDB) {
      var signedOut = document.querySelector("[data-offline-signed-out]");
      if (signedOut) signedOut.hidden = false;
      return;
    }
    this.account = account;
    this.section.hidden = false;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      page.keep();
    });
    this.render();
  };

  OfflineForm.prototype.keep = function () {
    var page = this;
    if (this.saving || holdRepeat(this)) return;
    this.saving = true;
    var now = new Date().toISOString();
    store
      .put({
        id: newId(),
        account: this.account,
        savedAt: now,
        at: now,
        fields: kept(pairsOf(this.form)),
        refused: null,
      })
      .then(function () {
        page.form.reset();
        page.justKept = true;
        return page.render("Saved on this phone; it will be sent when you are back online.");
      })
      .catch(function () {
        page.status.show("This browser cannot keep sessions while offline.");
      })
      .then(function () {
        page.saving = false;
      });
  };

  OfflineForm.prototype.render = function (saved) {
    var page = this;
    return mine(this.account).then(function (entries) {
      var waiting = entries.filter(function (entry) {
        return !entry.refused;
      }).length;
      var text = (saved ? saved + " " : "") + (waiting ? sessions(waiting) + " waiting to be sent." : "");
      page.status.show(text.trim());
    });
  };

  // Log out empties the queue before the form goes.
  function clearOnLogOut(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.cleared) return;
      event.preventDefault();
      try {
        localStorage.removeItem(ACCOUNT_KEY);
      } catch (error) {
        // Nothing stored.
      }
      var cleared = window.indexedDB ? store.clear() : Promise.resolve();
      cleared
        .catch(function () {
          // Nothing to clear, or storage off.
        })
        .then(function () {
          form.dataset.cleared = "1";
          form.submit();
        });
    });
  }

  function start(root) {
    if (typeof document === "undefined") return;
    document.querySelectorAll("[data-offline-logout]").forEach(clearOnLogOut);
    if (!root.indexedDB || !root.crypto || !root.crypto.randomUUID) return;
    var dashboard = document.querySelector("[data-offline-account]");
    if (dashboard && dashboard.querySelector("form")) new Dashboard(dashboard).start();
    var offline = document.querySelector("[data-offline-form]");
    if (offline) new OfflineForm(offline).start();
  }

  return {
    wallClock: wallClock,
    postFields: postFields,
    loggedWhen: loggedWhen,
    kept: kept,
    start: start,
  };
});
