// The guided session's timer as pure functions of plain data: no DOM, no clock of
// its own. Every function takes the wall-clock time `now` (milliseconds, as from
// Date.now()) and returns a new state, so the page can keep the state in
// localStorage and a reload or a locked phone loses nothing: time passed while
// away is caught up from the wall clock. Tests pass their own `now`
// (tests/js/guide-timer.test.js). Used by static/js/guide.js.
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.GuideTimer = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var VERSION = 1;
  // "Too much? Ease off" leaves this much of the step, or skips it if less is left.
  var EASED_MS = 20 * 1000;
  // A step counts as done (its technique is logged) after this long, or all of it
  // if it is shorter.
  var DONE_MS = 10 * 1000;
  // A session left alone this long is over: a later visit starts afresh.
  var STALE_MS = 6 * 60 * 60 * 1000;

  function copy(state) {
    return JSON.parse(JSON.stringify(state));
  }

  // steps: [{technique, name, how_to, foot, seconds}], from the page.
  function start(steps, now) {
    return {
      version: VERSION,
      steps: steps,
      durations: steps.map(function (step) { return step.seconds * 1000; }),
      spent: steps.map(function () { return 0; }),
      eased: steps.map(function () { return false; }),
      index: 0,
      offset: 0, // ms of the current visit to this step before `runningSince`
      runningSince: now, // null while paused
      startedAt: now,
      finishedAt: null
    };
  }

  function isValid(state) {
    if (!state || state.version !== VERSION || !Array.isArray(state.steps)) return false;
    var n = state.steps.length;
    return (
      n > 0 &&
      Array.isArray(state.durations) && state.durations.length === n &&
      Array.isArray(state.spent) && state.spent.length === n &&
      Array.isArray(state.eased) && state.eased.length === n &&
      Number.isInteger(state.index) && state.index >= 0 && state.index < n &&
      typeof state.startedAt === "number" && typeof state.offset === "number"
    );
  }

  function isStale(state, now) {
    return now - state.startedAt > STALE_MS || now < state.startedAt - STALE_MS;
  }

  function isRunning(state) {
    return state.runningSince !== null && state.finishedAt === null;
  }

  function isFinished(state) {
    return state.finishedAt !== null;
  }

  function stepElapsed(state, now) {
    var running = isRunning(state) ? Math.max(0, now - state.runningSince) : 0;
    return state.offset + running;
  }

  // Close the running segment at `at`: its time counts for the current step.
  function closeSegment(state, at) {
    if (!isRunning(state)) return;
    var ms = Math.max(0, at - state.runningSince);
    state.spent[state.index] += ms;
    state.offset += ms;
    state.runningSince = at;
  }

  // Move to step `index` at time `at`, or finish after the last step.
  function moveTo(state, index, at) {
    var running = isRunning(state);
    closeSegment(state, at);
    state.offset = 0;
    if (index >= state.steps.length) {
      state.finishedAt = at;
      state.runningSince = null;
      return;
    }
    state.index = Math.max(0, index);
    state.runningSince = running ? at : null;
  }

  // Catch up with the wall clock: every step whose time ran out ends when it ran
  // out, however long the page was away.
  function tick(state, now) {
    var next = copy(state);
    while (isRunning(next)) {
      var left = next.durations[next.index] - stepElapsed(next, now);
      if (left > 0) break;
      var endedAt = now + left; // left <= 0: the moment the step ran out
      moveTo(next, next.index + 1, endedAt);
    }
    return next;
  }

  function pause(state, now) {
    var next = tick(state, now);
    if (isRunning(next)) {
      closeSegment(next, now);
      next.runningSince = null;
    }
    return next;
  }

  function resume(state, now) {
    var next = tick(state, now);
    if (!isFinished(next) && next.runningSince === null) next.runningSince = now;
    return next;
  }

  function skip(state, now) {
    var next = tick(state, now);
    if (!isFinished(next)) moveTo(next, next.index + 1, now);
    return next;
  }

  // Back to the start of the previous step (the first step restarts).
  function back(state, now) {
    var next = tick(state, now);
    if (isFinished(next)) {
      next.finishedAt = null;
      next.offset = 0;
      next.runningSince = now;
      return next;
    }
    moveTo(next, next.index - 1, now);
    return next;
  }

  // "Too much? Ease off": shorten the step to EASED_MS from now, or skip it when
  // less than that is left.
  function easeOff(state, now) {
    var next = tick(state, now);
    if (isFinished(next)) return next;
    var elapsed = stepElapsed(next, now);
    next.eased[next.index] = true;
    if (next.durations[next.index] - elapsed > EASED_MS) {
      next.durations[next.index] = elapsed + EASED_MS;
    } else {
      moveTo(next, next.index + 1, now);
    }
    return next;
  }

  function view(state, now) {
    var current = tick(state, now);
    var total = current.durations.reduce(function (a, b) { return a + b; }, 0);
    var index = current.index;
    var stepLeft = 0;
    var totalLeft = 0;
    if (!isFinished(current)) {
      stepLeft = Math.max(0, current.durations[index] - stepElapsed(current, now));
      totalLeft = stepLeft;
      for (var i = index + 1; i < current.durations.length; i++) {
        totalLeft += current.durations[i];
      }
    }
    return {
      state: current,
      index: index,
      count: current.steps.length,
      step: current.steps[index],
      next: isFinished(current) ? null : current.steps[index + 1] || null,
      stepLeft: stepLeft,
      totalLeft: totalLeft,
      progress: total ? (total - totalLeft) / total : 1,
      paused: !isFinished(current) && current.runningSince === null,
      finished: isFinished(current)
    };
  }

  // What the log form gets: when it started, the minutes actually done (time
  // spent, pauses left out) and the techniques of the steps actually done.
  function summary(state, now) {
    var current = tick(state, now);
    if (isRunning(current)) closeSegment(current, now);
    var spent = current.spent.reduce(function (a, b) { return a + b; }, 0);
    var techniques = [];
    current.steps.forEach(function (step, i) {
      var enough = Math.min(DONE_MS, current.durations[i]);
      if (current.spent[i] >= enough && techniques.indexOf(step.technique) === -1) {
        techniques.push(step.technique);
      }
    });
    return {
      startedAt: current.startedAt,
      spentMs: spent,
      minutes: Math.max(1, Math.min(180, Math.round(spent / 60000))),
      techniques: techniques
    };
  }

  // What "Too much? Ease off" did, in words for the screen: `before` is the step
  // it was pressed on, `view` the view after it; "" once the session is over.
  function easedWords(before, view) {
    if (view.finished) return "";
    if (view.index === before) {
      return "Eased off: this step now ends in " + clock(view.stepLeft) + ". Go gently.";
    }
    return "Eased off: on to the next step. Go gently.";
  }

  // "1:05" for 65,000 ms; a started second counts as a whole one.
  function clock(ms) {
    var seconds = Math.ceil(Math.max(0, ms) / 1000);
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // "1 minute 30 seconds" for screen readers.
  function spoken(ms) {
    var seconds = Math.ceil(Math.max(0, ms) / 1000);
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    var parts = [];
    if (minutes) parts.push(minutes + (minutes === 1 ? " minute" : " minutes"));
    if (rest || !minutes) parts.push(rest + (rest === 1 ? " second" : " seconds"));
    return parts.join(" ");
  }

  return {
    EASED_MS: EASED_MS,
    DONE_MS: DONE_MS,
    STALE_MS: STALE_MS,
    start: start,
    isValid: isValid,
    isStale: isStale,
    tick: tick,
    pause: pause,
    resume: resume,
    skip: skip,
    back: back,
    easeOff: easeOff,
    easedWords: easedWords,
    view: view,
    summary: summary,
    clock: clock,
    spoken: spoken
  };
});
