// The guided session's running mode (templates/sessions/guide.html). Without this
// script the page shows the routine and a link to log it; with it, a timer runs
// the routine step by step and ends in the log form, filled in. The timing itself
// is GuideTimer (guide-timer.js); this file keeps its state in localStorage, draws
// it, and adds the tone, the vibration, the wake lock and the announcements.
(function () {
  "use strict";
  var root = document.getElementById("guide");
  var Timer = window.GuideTimer;
  if (!root || !Timer) return;

  var $ = function (id) { return document.getElementById(id); };
  var storageKey = root.dataset.storageKey;
  // Pain before, asked before the first step (Settings › What to record).
  var painKey = storageKey + "-pain-before";
  var mutedKey = "footcare-guide-muted";
  var sections = ["guide-setup", "guide-run", "guide-stopped", "guide-end"];
  var state = null;
  var shown = { index: -1, finished: false, paused: null };
  var interval = null;
  var audio = null;
  var wakeLock = null;
  var felt = ""; // the end's check-in: "good" or "hurt"

  function now() { return Date.now(); }

  // Storage --------------------------------------------------------------------
  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(storageKey));
      if (Timer.isValid(saved) && !Timer.isStale(saved, now())) return saved;
    } catch (error) { /* unreadable: start afresh */ }
    clear();
    return null;
  }
  function save() {
    try { localStorage.setItem(storageKey, JSON.stringify(state)); } catch (error) { /* private mode: works until reload */ }
  }
  function clear() {
    try { localStorage.removeItem(storageKey); } catch (error) { /* nothing kept */ }
    try { localStorage.removeItem(painKey); } catch (error) { /* nothing kept */ }
  }
  function isMuted() {
    try { return localStorage.getItem(mutedKey) === "1"; } catch (error) { return false; }
  }

  // Sound, vibration, wake lock -------------------------------------------------
  // Browsers let a page play sound only after a tap: every control calls this.
  function unlockAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      if (!audio) audio = new Context();
      if (audio.state === "suspended") audio.resume().catch(function () {});
    } catch (error) { audio = null; }
  }
  function cue() {
    if (isMuted()) return;
    if (navigator.vibrate && navigator.userActivation && navigator.userActivation.hasBeenActive) {
      navigator.vibrate(150);
    }
    if (!audio || audio.state !== "running") return;
    try {
      // A soft bell: a sine wave that swells and fades in under half a second.
      var at = audio.currentTime;
      var tone = audio.createOscillator();
      var volume = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = 660;
      volume.gain.setValueAtTime(0.0001, at);
      volume.gain.exponentialRampToValueAtTime(0.2, at + 0.03);
      volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.45);
      tone.connect(volume).connect(audio.destination);
      tone.start(at);
      tone.stop(at + 0.5);
    } catch (error) { /* no sound this time */ }
  }
  function keepAwake(on) {
    if (!("wakeLock" in navigator)) return;
    if (on && !wakeLock && document.visibilityState === "visible") {
      navigator.wakeLock.request("screen").then(function (lock) {
        wakeLock = lock;
        lock.addEventListener("release", function () { wakeLock = null; });
      }).catch(function () { /* refused (battery saver): the screen may dim */ });
    } else if (!on && wakeLock) {
      wakeLock.release().catch(function () {});
      wakeLock = null;
    }
  }

  // Drawing ----------------------------------------------------------------------
  function announce(text) {
    var region = $("guide-announce");
    region.textContent = "";
    // A fresh node each time, so the same words are read again.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }
  function show(id, focus) {
    sections.forEach(function (name) { $(name).hidden = name !== id; });
    if (focus) {
      var heading = $(id).querySelector("h2");
      if (heading) heading.focus();
    }
  }
  function stepWords(view) {
    return "Step " + (view.index + 1) + " of " + view.count + ": " + view.step.name +
      ", " + view.step.foot.toLowerCase() + ", " + Timer.spoken(view.stepLeft) + ".";
  }
  function render() {
    if (!state) return;
    var view = Timer.view(state, now());
    state = view.state;
    if (view.finished) {
      stopTicking();
      if (!shown.finished) {
        shown.finished = true;
        save();
        cue();
        showEnd(true);
        announce("Session complete. Listen to your body: how do your feet feel?");
      }
      return;
    }
    if (view.index !== shown.index) {
      var first = shown.index === -1;
      shown.index = view.index;
      save();
      $("guide-step-count").textContent = "Step " + (view.index + 1) + " of " + view.count;
      $("guide-step-name").textContent = view.step.name;
      $("guide-foot").textContent = view.step.foot;
      $("guide-how-to").textContent = view.step.how_to;
      root.querySelectorAll(".guide-picture").forEach(function (picture) {
        picture.hidden = picture.dataset.technique !== String(view.step.technique);
      });
      $("guide-next").textContent = view.next
        ? "Next: " + view.next.name + ", " + view.next.foot.toLowerCase()
        : "Next: the end, and your log";
      $("guide-eased").textContent = ""; // a new step: nothing eased yet
      $("guide-step-name").classList.remove("guide-step-changed");
      void $("guide-step-name").offsetWidth; // restart the (motion-safe) highlight
      $("guide-step-name").classList.add("guide-step-changed");
      if (!first) cue();
      announce(stepWords(view));
    }
    if (view.paused !== shown.paused) {
      shown.paused = view.paused;
      $("guide-pause").textContent = view.paused ? "Resume" : "Pause";
      $("guide-paused").hidden = !view.paused;
    }
    $("guide-step-left").textContent = Timer.clock(view.stepLeft);
    $("guide-total-left").textContent = Timer.clock(view.totalLeft);
    $("guide-progress").value = Math.round(view.progress * 1000);
  }
  function startTicking() {
    if (!interval) interval = window.setInterval(render, 250);
    keepAwake(true);
  }
  function stopTicking() {
    if (interval) window.clearInterval(interval);
    interval = null;
    keepAwake(false);
  }
  function showRun(focus) {
    shown = { index: -1, finished: false, paused: null };
    show("guide-run", focus);
    render();
    if (!Timer.view(state, now()).paused) startTicking();
  }

  // The log form, filled in: /sessions/new/?date=&start=&minutes=&techniques=
  function logUrl() {
    var summary = Timer.summary(state, now());
    var when = localParts(new Date(summary.startedAt), root.dataset.timezone);
    var query = new URLSearchParams();
    query.set("date", when.date);
    query.set("start", when.time);
    query.set("minutes", String(summary.minutes));
    summary.techniques.forEach(function (id) { query.append("techniques", String(id)); });
    if (felt) query.set("felt", felt);
    var before = painBefore();
    if (before) query.set("pain_before", before);
    if ($("guide-pain-after") && $("guide-pain-after").value) query.set("pain_after", $("guide-pain-after").value);
    if (root.dataset.eachFoot) query.set("foot", root.dataset.eachFoot); // the halves, one per foot
    return { url: root.dataset.logUrl + "?" + query.toString(), summary: summary };
  }
  // Date and time as the user's account zone shows them (the log form reads them so).
  function localParts(date, zone) {
    var options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-CA", Object.assign({ timeZone: zone }, options))
        .formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
    } catch (error) {
      new Intl.DateTimeFormat("en-CA", options)
        .formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
    }
    return { date: parts.year + "-" + parts.month + "-" + parts.day, time: parts.hour + ":" + parts.minute };
  }
  function showEnd(focus) {
    $("guide-log").href = logUrl().url;
    show("guide-end", focus);
  }
  function showStopped() {
    var log = logUrl();
    // Whole seconds done, not the started one.
    $("guide-done").textContent = Timer.spoken(Math.floor(log.summary.spentMs / 1000) * 1000);
    $("guide-log-partial").href = log.url;
    // Stopped because it hurt: the log picks comfort 2 and asks what hurt.
    var hurt = new URL(log.url, window.location.href);
    hurt.searchParams.set("felt", "hurt");
    $("guide-log-hurt").href = hurt.pathname + hurt.search;
    show("guide-stopped", true);
  }
  // The page again, as the server draws it with the choices saved at the start.
  function backToRoutine() {
    stopTicking();
    state = null;
    clear();
    window.location.reload();
  }

  // Controls ---------------------------------------------------------------------
  function act(change, words) {
    unlockAudio();
    state = change(state, now());
    save();
    render();
    var view = Timer.view(state, now());
    if (!view.finished) {
      if (view.paused) stopTicking(); else startTicking();
    }
    if (words) announce(words);
  }

  var form = $("guide-form");
  var startButton = $("guide-start");
  var embedded = JSON.parse(root.dataset.steps);

  function painBefore() {
    try { return localStorage.getItem(painKey) || ""; } catch (error) { return ""; }
  }
  ["guide-pain-before", "guide-pain-after"].forEach(function (id) {
    if ($(id)) $(id + "-group").hidden = false;
  });
  if ($("guide-pain-after")) {
    $("guide-pain-after").addEventListener("change", function () {
      if (state) $("guide-log").href = logUrl().url;
    });
  }

  function begin(steps) {
    if (!steps.length) return;
    if ($("guide-pain-before")) {
      try { localStorage.setItem(painKey, $("guide-pain-before").value); } catch (error) { /* not kept */ }
    }
    state = Timer.start(steps, now());
    save();
    showRun(true);
  }

  if (startButton && form) {
    startButton.hidden = false;
    form.addEventListener("submit", function (event) {
      if (event.submitter !== startButton) return;
      event.preventDefault();
      unlockAudio();
      startButton.disabled = true;
      // Save the choices as they stand and get the routine they make.
      var data = new FormData(form);
      fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (routine) {
        begin(routine.steps);
      }).catch(function () {
        begin(embedded); // offline: the routine as the page showed it
      }).then(function () {
        startButton.disabled = false;
      });
    });
  }

  $("guide-pause").addEventListener("click", function () {
    var paused = Timer.view(state, now()).paused;
    act(paused ? Timer.resume : Timer.pause, paused ? "Resumed." : "Paused.");
  });
  $("guide-skip").addEventListener("click", function () { act(Timer.skip); });
  $("guide-back").addEventListener("click", function () {
    shown.index = -1; // the same step again still gets its announcement
    act(Timer.back);
  });
  // Easing off says on screen what it did (the status line is read out too).
  $("guide-ease").addEventListener("click", function () {
    var before = Timer.view(state, now()).index;
    act(Timer.easeOff);
    $("guide-eased").textContent = Timer.easedWords(before, Timer.view(state, now()));
  });
  var muteButton = $("guide-mute");
  function drawMute() {
    var muted = isMuted();
    muteButton.setAttribute("aria-pressed", muted ? "true" : "false");
    muteButton.textContent = muted ? "Sound off" : "Mute";
  }
  muteButton.addEventListener("click", function () {
    unlockAudio();
    try { localStorage.setItem(mutedKey, isMuted() ? "0" : "1"); } catch (error) { /* not kept */ }
    drawMute();
  });
  drawMute();
  $("guide-stop").addEventListener("click", function () {
    state = Timer.pause(state, now());
    save();
    stopTicking();
    showStopped();
  });
  $("guide-continue").addEventListener("click", function () {
    unlockAudio();
    state = Timer.resume(state, now());
    save();
    showRun(true);
  });
  $("guide-discard").addEventListener("click", backToRoutine);
  $("guide-restart").addEventListener("click", backToRoutine);
  // The session is handed to the log form: a later visit starts afresh.
  $("guide-log").addEventListener("click", clear);
  $("guide-log-partial").addEventListener("click", clear);
  $("guide-log-hurt").addEventListener("click", clear);
  // The check-in goes into the log: comfort picked, and a note asked for after
  // "Something hurt" (the log form reads `felt`, sessions.forms.SessionForm.fill_in).
  ["good", "hurt"].forEach(function (answer) {
    $("guide-feel-" + answer).addEventListener("click", function () {
      ["good", "hurt"].forEach(function (other) {
        $("guide-feel-" + other).setAttribute("aria-pressed", other === answer ? "true" : "false");
        $("guide-advice-" + other).hidden = other !== answer;
      });
      felt = answer;
      $("guide-log").href = logUrl().url;
    });
  });

  // Back from a locked screen or another tab: catch up at once, keep the screen on.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible" || !state) return;
    render();
    if (interval) keepAwake(true);
  });

  // A session in progress (reload, or the phone was locked) carries on.
  state = load();
  if (state) {
    if (Timer.view(state, now()).finished) {
      shown.finished = true;
      showEnd(false);
    } else {
      showRun(false);
    }
  }
})();
