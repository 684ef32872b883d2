// The guided session's timer (static/js/guide-timer.js) with a clock the tests
// move by hand: nothing sleeps. Run: node --test tests/js/ (part of `make test`).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const Timer = require("../../static/js/guide-timer.js");

const T0 = Date.UTC(2026, 10, 25, 20, 0, 0);
const s = (seconds) => seconds * 1000;

// Warm-up on each foot (60 s), arch on each foot (90 s), a heel press (45 s).
function steps() {
  return [
    { technique: 1, name: "Warm-up strokes", how_to: "", foot: "Left foot", seconds: 60 },
    { technique: 1, name: "Warm-up strokes", how_to: "", foot: "Right foot", seconds: 60 },
    { technique: 2, name: "Arch thumb pressure", how_to: "", foot: "Left foot", seconds: 90 },
    { technique: 2, name: "Arch thumb pressure", how_to: "", foot: "Right foot", seconds: 90 },
    { technique: 5, name: "Heel press", how_to: "", foot: "Both feet", seconds: 45 },
  ];
}

test("a new session starts on the first step with all its time left", () => {
  const view = Timer.view(Timer.start(steps(), T0), T0);
  assert.equal(view.index, 0);
  assert.equal(view.stepLeft, s(60));
  assert.equal(view.totalLeft, s(345));
  assert.equal(view.next.foot, "Right foot");
  assert.equal(view.paused, false);
  assert.equal(view.finished, false);
});

test("time left follows the wall clock", () => {
  const state = Timer.start(steps(), T0);
  const view = Timer.view(state, T0 + s(25));
  assert.equal(view.stepLeft, s(35));
  assert.equal(view.totalLeft, s(320));
});

test("a step ends when its time is up and the next begins", () => {
  const state = Timer.start(steps(), T0);
  const view = Timer.view(state, T0 + s(60));
  assert.equal(view.index, 1);
  assert.equal(view.stepLeft, s(60));
});

test("coming back after a locked phone catches up across several steps", () => {
  const state = Timer.start(steps(), T0);
  // 60 + 60 + 90 = 210 s: the third step is over, the fourth 5 s in.
  const view = Timer.view(state, T0 + s(215));
  assert.equal(view.index, 3);
  assert.equal(view.stepLeft, s(85));
});

test("a paused session keeps its time, however long the pause", () => {
  let state = Timer.start(steps(), T0);
  state = Timer.pause(state, T0 + s(20));
  let view = Timer.view(state, T0 + s(3600));
  assert.equal(view.paused, true);
  assert.equal(view.index, 0);
  assert.equal(view.stepLeft, s(40));
  state = Timer.resume(state, T0 + s(3600));
  view = Timer.view(state, T0 + s(3610));
  assert.equal(view.stepLeft, s(30));
  assert.equal(view.paused, false);
});

test("pausing twice or resuming a running session changes nothing", () => {
  let state = Timer.start(steps(), T0);
  state = Timer.pause(state, T0 + s(10));
  state = Timer.pause(state, T0 + s(50));
  assert.equal(Timer.view(state, T0 + s(60)).stepLeft, s(50));
  state = Timer.resume(state, T0 + s(60));
  state = Timer.resume(state, T0 + s(70));
  assert.equal(Timer.view(state, T0 + s(70)).stepLeft, s(40));
});

test("skip moves on at once, keeping the time spent", () => {
  let state = Timer.start(steps(), T0);
  state = Timer.skip(state, T0 + s(5));
  const view = Timer.view(state, T0 + s(5));
  assert.equal(view.index, 1);
  assert.equal(view.stepLeft, s(60));
  assert.equal(state.spent[0], s(5));
});

test("skip while paused stays paused on the next step", () => {
  let state = Timer.start(steps(), T0);
  state = Timer.pause(state, T0 + s(5));
  state = Timer.skip(state, T0 + s(9));
  const view = Timer.view(state, T0 + s(100));
  assert.equal(view.index, 1);
  assert.equal(view.paused, true);
  assert.equal(view.stepLeft, s(60));
});

test("back restarts the previous step; on the first it restarts the first", () => {
  let state = Timer.start(steps(), T0);
  state = Timer.back(state, T0 + s(30));
  assert.equal(Timer.view(state, T0 + s(30)).stepLeft, s(60));
  state = Timer.skip(state, T0 + s(40));
  state = Timer.back(state, T0 + s(50));
  const view = Timer.view(state, T0 + s(50));
  assert.equal(view.index, 0);
  assert.equal(view.stepLeft, s(60));
});

test("ease off shortens a long step, then skips it", () => {
  let state = Timer.start(steps(), T0);
  state = Timer.easeOff(state, T0 + s(10));
  let view = Timer.view(state, T0 + s(10));
  assert.equal(view.index, 0);
  assert.equal(view.stepLeft, Timer.EASED_MS);
  assert.equal(view.totalLeft, Timer.EASED_MS + s(285));
  state = Timer.easeOff(state, T0 + s(12));
  view = Timer.view(state, T0 + s(12));
  assert.equal(view.index, 1);
  assert.deepEqual(state.eased.slice(0, 2), [true, false]);
});

test("after the last step the session is finished and stays so", () => {
  const state = Timer.start(steps(), T0);
  const view = Timer.view(state, T0 + s(345));
  assert.equal(view.finished, true);
  assert.equal(view.totalLeft, 0);
  assert.equal(view.progress, 1);
  assert.equal(view.next, null);
  assert.equal(Timer.view(Timer.skip(state, T0 + s(400)), T0 + s(400)).finished, true);
  assert.equal(Timer.summary(state, T0 + s(9999)).minutes, 6);
});

test("the summary counts time spent, without pauses, rounded to minutes", () => {
  let state = Timer.start(steps(), T0);
  state = Timer.pause(state, T0 + s(50));
  state = Timer.resume(state, T0 + s(1000));
  const summary = Timer.summary(state, T0 + s(1000 + 100));
  assert.equal(summary.spentMs, s(150));
  assert.equal(summary.minutes, 3);
  assert.equal(summary.startedAt, T0);
});

test("the summary lists the techniques of steps done, once each, not skipped ones", () => {
  let state = Timer.start(steps(), T0);
  state = Timer.skip(state, T0 + s(2)); // warm-up left: 2 s, not done
  state = Timer.skip(state, T0 + s(4)); // warm-up right: 2 s, not done
  // arch left runs out at 94 s, arch right 30 s in at 124 s, then skipped
  state = Timer.skip(state, T0 + s(124));
  state = Timer.pause(state, T0 + s(126)); // heel: 2 s, not done
  const summary = Timer.summary(state, T0 + s(500));
  assert.deepEqual(summary.techniques, [2]);
  assert.equal(summary.minutes, 2);
});

test("a very short session still logs one minute", () => {
  const state = Timer.start(steps(), T0);
  assert.equal(Timer.summary(state, T0 + s(5)).minutes, 1);
});

test("the state survives a trip through JSON (localStorage)", () => {
  let state = Timer.start(steps(), T0);
  state = Timer.pause(state, T0 + s(30));
  const restored = JSON.parse(JSON.stringify(state));
  assert.equal(Timer.isValid(restored), true);
  assert.deepEqual(Timer.view(restored, T0 + s(90)), Timer.view(state, T0 + s(90)));
});

test("a damaged or foreign stored state is refused", () => {
  const good = Timer.start(steps(), T0);
  for (const bad of [
    null,
    {},
    { ...good, version: 0 },
    { ...good, steps: [] },
    { ...good, index: 99 },
    { ...good, spent: [] },
    { ...good, startedAt: "yesterday" },
  ]) {
    assert.equal(Timer.isValid(bad), false, JSON.stringify(bad));
  }
});

test("a session left for hours is stale", () => {
  const state = Timer.start(steps(), T0);
  assert.equal(Timer.isStale(state, T0 + s(3600)), false);
  assert.equal(Timer.isStale(state, T0 + Timer.STALE_MS + 1), true);
});

test("the functions never change the state they are given", () => {
  const state = Timer.start(steps(), T0);
  const before = JSON.stringify(state);
  Timer.pause(state, T0 + s(10));
  Timer.skip(state, T0 + s(10));
  Timer.easeOff(state, T0 + s(10));
  Timer.back(state, T0 + s(10));
  Timer.view(state, T0 + s(500));
  assert.equal(JSON.stringify(state), before);
});

test("clock and spoken times", () => {
  assert.equal(Timer.clock(s(65)), "1:05");
  assert.equal(Timer.clock(s(59) + 1), "1:00");
  assert.equal(Timer.clock(0), "0:00");
  assert.equal(Timer.spoken(s(90)), "1 minute 30 seconds");
  assert.equal(Timer.spoken(s(120)), "2 minutes");
  assert.equal(Timer.spoken(s(1)), "1 second");
});

test("easing off says how long the step has left now", () => {
  const started = Timer.start(steps(), T0);
  const eased = Timer.easeOff(started, T0 + s(10));
  const view = Timer.view(eased, T0 + s(10));
  assert.equal(view.index, 0);
  assert.equal(
    Timer.easedWords(0, view),
    "Eased off: this step now ends in 0:20. Go gently."
  );
});

test("easing off near a step's end says it moved on", () => {
  const started = Timer.start(steps(), T0);
  const eased = Timer.easeOff(started, T0 + s(50));
  const view = Timer.view(eased, T0 + s(50));
  assert.equal(view.index, 1);
  assert.equal(Timer.easedWords(0, view), "Eased off: on to the next step. Go gently.");
});

test("easing off on the last step's end says nothing more", () => {
  const started = Timer.start(steps().slice(4), T0);
  const eased = Timer.easeOff(started, T0 + s(44));
  assert.equal(Timer.easedWords(0, Timer.view(eased, T0 + s(44))), "");
});
