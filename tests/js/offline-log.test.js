// The offline queue's pure part (static/js/offline-log.js): what a waiting
// session posts. The browser journeys are in tests/e2e/test_offline.py.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const OfflineLog = require("../../static/js/offline-log.js");

const DEFAULTS = [
  ["csrfmiddlewaretoken", "page-token"],
  ["token", "page-made-uuid"],
  ["comfort", "3"],
  ["date", "2026-11-25"],
  ["start_time", "09:00"],
  ["duration_minutes", "10"],
  ["techniques", "1"],
  ["techniques", "2"],
  ["notes", ""],
];

test("the wall clock is read in the user's zone, not the device's", () => {
  const at = "2026-11-25T21:05:30.000Z";
  assert.deepEqual(OfflineLog.wallClock(at, "Europe/London"), { date: "2026-11-25", time: "21:05" });
  assert.deepEqual(OfflineLog.wallClock(at, "Asia/Kolkata"), { date: "2026-11-26", time: "02:35" });
  assert.deepEqual(OfflineLog.wallClock(at, "America/New_York"), { date: "2026-11-25", time: "16:05" });
});

test("a session saved on the dashboard posts what was typed, with its own id", () => {
  const entry = {
    id: "device-uuid",
    fields: [
      ["comfort", "5"],
      ["date", "2026-11-24"],
      ["start_time", "21:00"],
      ["duration_minutes", "15"],
      ["techniques", "7"],
      ["notes", "Bedtime"],
    ],
  };
  const posted = OfflineLog.postFields(entry, DEFAULTS, "Europe/London");
  assert.deepEqual(posted, [...entry.fields, ["token", "device-uuid"]]);
});

test("a session saved on the offline page takes its time from when it was saved", () => {
  const entry = { id: "device-uuid", at: "2026-11-25T21:05:00.000Z", fields: [["comfort", "4"]] };
  const posted = OfflineLog.postFields(entry, DEFAULTS, "Asia/Kolkata");
  assert.deepEqual(posted, [
    ["comfort", "4"],
    ["date", "2026-11-26"],
    ["start_time", "02:35"],
    ["duration_minutes", "10"],
    ["techniques", "1"],
    ["techniques", "2"],
    ["notes", ""],
    ["token", "device-uuid"],
  ]);
});

test("the page's CSRF token and form token are never kept with a session", () => {
  assert.deepEqual(OfflineLog.kept(DEFAULTS.slice(0, 3)), [["comfort", "3"]]);
});

test("a refused session says when it was logged", () => {
  const typed = { fields: [["date", "2026-11-24"], ["start_time", "21:00"]] };
  assert.equal(OfflineLog.loggedWhen(typed, "Europe/London"), "2026-11-24 21:00");
  const saved = { at: "2026-11-25T21:05:00.000Z", fields: [["comfort", "4"]] };
  assert.equal(OfflineLog.loggedWhen(saved, "Europe/London"), "2026-11-25 21:05");
});
