"""Preferred session times: when a slot next starts, how often it was kept, and
which slots clash. The rules only: sentences live with the pages that show them.

Pure Python: no ORM, no settings, no clock. Callers pass the slots, the user's
zone (through an aware ``now_local`` or a ``tzinfo``) and the day-start hour.

Definitions
-----------
- A slot is a ``(label, time, weekdays)`` tuple: a wall-clock ``datetime.time``
  and a set of weekdays, 0 = Monday .. 6 = Sunday (``Slot`` is one, but any
  3-tuple does). Slots are read in the user's *current* zone, so someone who
  moves keeps "21:00 local".
- An occurrence is a slot on one calendar date whose weekday it lists. Its start
  is that date and time in the zone (``localtime.aware`` with ``GAP_END``: a
  time the clocks skip starts when the gap ends; calendar apps following RFC
  5545 show that one occurrence an hour later instead). It counts for the
  practice day of its start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from accounts import localtime
from accounts.localtime import ALL_DAYS, practice_day

MAX_SLOTS = 4
# A slot stays "due" on the dashboard this long after it starts.
DUE_WINDOW = dt.timedelta(minutes=60)
# A session this close to a slot's start (either side) kept that slot.
ON_TIME_WINDOW = dt.timedelta(minutes=60)


class Slot(NamedTuple):
    label: str
    time: dt.time
    weekdays: frozenset[int]


# Offered on a first visit: a morning session wakes up the circulation, an
# evening one helps to unwind before sleep.
SUGGESTED_SLOTS = (
    Slot("Morning", dt.time(7, 30), ALL_DAYS),
    Slot("Evening", dt.time(21, 0), ALL_DAYS),
)


class Occurrence(NamedTuple):
    index: int  # position of the slot in the list the caller passed
    start: dt.datetime  # aware, in the zone the occurrences were computed in
    day: dt.date  # the practice day it counts for


def _utc(moment: dt.datetime) -> dt.datetime:
    # Aware datetimes sharing a tzinfo subtract and compare by wall clock, which
    # is wrong across a DST change: real elapsed time needs UTC.
    return moment.astimezone(dt.UTC)


def _occurrences(
    slots: Sequence[Sequence], first: dt.date, last: dt.date, tz, day_start_hour
) -> list[Occurrence]:
    """Every occurrence on calendar dates first..last, in start order."""
    found = []
    day = first
    while day <= last:
        for index, slot in enumerate(slots):
            # A preferred time is a setting on the clock: in the hour the
            # clocks repeat, the first one, whatever fold it was made with.
            time, weekdays = slot[1].replace(fold=0), slot[2]
            if day.weekday() in weekdays:
                start = localtime.aware(day, time, tz, on_gap=localtime.GAP_END)
                found.append(
                    Occurrence(index, start, practice_day(start, day_start_hour))
                )
        day += dt.timedelta(days=1)
    found.sort(key=lambda o: (o.start.timestamp(), o.index))
    return found


def recent_starts(
    slots: Sequence[Sequence],
    now_local: dt.datetime,
    day_start_hour: int,
    window: dt.timedelta,
) -> list[Occurrence]:
    """Occurrences of today's practice day that started in the `window` up to
    now: ``0 <= now - start < window``. Reminders and "due" both use it."""
    today = practice_day(now_local, day_start_hour)
    first = min(today, (now_local - window).date()) - dt.timedelta(days=1)
    last = now_local.date() + dt.timedelta(days=1)
    tz = now_local.tzinfo
    now = _utc(now_local)
    return [
        o
        for o in _occurrences(slots, first, last, tz, day_start_hour)
        if o.day == today and dt.timedelta(0) <= now - _utc(o.start) < window
    ]


@dataclass(frozen=True)
class NextSlot:
    """The preferred time the dashboard talks about (streaks.presentation puts
    it into words).

    ``state`` is "due" (a slot of today started under an hour ago and nothing is
    logged today), "next" (the next start, today or later) or "done" (practised
    today: the first slot of a later practice day). ``start`` is aware, in the
    user's zone; ``day`` is the practice day it counts for; ``today`` and ``now``
    are the user's practice day and aware time when it was worked out.
    """

    state: str
    label: str
    start: dt.datetime
    day: dt.date
    today: dt.date
    now: dt.datetime


# How far next_slot looks, in calendar days past today's practice day (or the
# date the clock shows, when later): callers that tell it of days off ahead
# cover one day more (streaks.history.days_off_ahead).
LOOKAHEAD = dt.timedelta(days=8)


def next_slot(
    slots: Sequence[Sequence],
    now_local: dt.datetime,
    day_start_hour: int,
    settled: bool,
    days_off: Collection[dt.date] = (),
) -> NextSlot | None:
    """The dashboard's line about preferred times, or None without any slot.

    `slots`: ``(label, time, weekdays)`` tuples (``user.preferred_slots()``).
    `now_local`: aware, in the user's zone (``user.local_now()``).
    `settled`: whether today's practice day needs no session (it has one, or
    it is a rest day or paused): then nothing is due today and no reminder
    comes (streaks.reminders), so the next time is a later day's.
    `days_off`: later practice days marked as rest or paused, which have no
    next session either.
    """
    if not now_local.tzinfo:
        raise ValueError("now_local must be aware, in the user's zone")
    tz = now_local.tzinfo
    today = practice_day(now_local, day_start_hour)

    def make(state, occurrence):
        return NextSlot(
            state=state,
            label=slots[occurrence.index][0],
            start=occurrence.start,
            day=occurrence.day,
            today=today,
            now=now_local,
        )

    if not settled:
        due = recent_starts(slots, now_local, day_start_hour, DUE_WINDOW)
        if due:
            return make("due", due[-1])
    # A practice day spans at most two calendar dates; a week and a day past
    # today reaches every weekday of the next seven practice days.
    first = min(today, now_local.date())
    last = max(today, now_local.date()) + LOOKAHEAD
    now = _utc(now_local)
    for occurrence in _occurrences(slots, first, last, tz, day_start_hour):
        if _utc(occurrence.start) <= now:
            continue
        if (settled and occurrence.day <= today) or occurrence.day in days_off:
            continue
        return make("done" if settled else "next", occurrence)
    return None


def on_time_rate(
    session_starts: Iterable[dt.datetime],
    slots: Sequence[Sequence],
    tzinfo: dt.tzinfo,
) -> tuple[int | None, str | None, dict[str, int]]:
    """How many sessions started within an hour of a preferred time.

    `session_starts`: aware datetimes (the caller picks the period, e.g. 90
    days). Slots are read in `tzinfo`, the user's current zone. A session counts
    for the nearest occurrence within ``ON_TIME_WINDOW`` either side (earlier
    slot on a tie). Returns ``(rate, best_label, counts)``: the whole percent of
    sessions on time (None without sessions or slots), the label kept most often
    (None if none was; a tie goes to the earlier slot in `slots`), and the
    on-time count per label, every label present.
    """
    counts = {slot[0]: 0 for slot in slots}
    starts = list(session_starts)
    if not starts or not slots:
        return None, None, counts
    on_time = 0
    for start in starts:
        local = start.astimezone(tzinfo)
        start = _utc(start)
        # A session near midnight may keep the previous or the next day's slot.
        around = _occurrences(
            slots,
            local.date() - dt.timedelta(days=1),
            local.date() + dt.timedelta(days=1),
            tzinfo,
            0,
        )
        gaps = [(abs(start - _utc(o.start)), o.index) for o in around]
        near = [gap for gap in gaps if gap[0] <= ON_TIME_WINDOW]
        if near:
            nearest = min(near)
            counts[slots[nearest[1]][0]] += 1
            on_time += 1
    total = len(starts)
    rate = (200 * on_time + total) // (2 * total)  # whole percent, half up
    best = None
    for label, count in counts.items():  # dict order = slot order: ties go first
        if count and (best is None or count > counts[best]):
            best = label
    return rate, best, counts


def clashes(slots: Sequence[Sequence]) -> list[tuple[int, int, dt.time, int]]:
    """Slots at the same minute on the same weekday, as ``(earlier index, later
    index, time, weekday)``: one per later slot, on its first clashing weekday."""
    found = []
    seen = {}
    for index, slot in enumerate(slots):
        time = slot[1].replace(second=0, microsecond=0)
        for day in sorted(slot[2]):
            other = seen.setdefault((time, day), index)
            if other != index:
                found.append((other, index, time, day))
                break
    return found


def in_quiet_hours(time: dt.time, start: dt.time, end: dt.time) -> bool:
    """Whether wall-clock `time` falls in quiet hours from `start` (included) to
    `end` (excluded). A span whose end comes before its start crosses midnight:
    22:00-07:00 holds 23:30 and 06:59, not 07:00. Equal ends hold nothing."""
    time, start, end = (t.replace(tzinfo=None) for t in (time, start, end))
    if start <= end:
        return start <= time < end
    return time >= start or time < end


def recent_clock(
    now: dt.datetime, tz: dt.tzinfo, window: dt.timedelta
) -> tuple[dt.time, dt.time]:
    """The wall-clock times, in `tz`, that a slot ``recent_starts`` finds at
    `now` can have: from the clock `window` and an hour before now (a time the
    clocks skip starts when they jump, up to an hour late) to the clock now. A
    start after the end means the span crosses midnight. A superset, for a
    database to narrow the slots down before recent_starts."""
    start = (now - window - dt.timedelta(hours=1)).astimezone(tz).time()
    return start.replace(tzinfo=None), now.astimezone(tz).time().replace(tzinfo=None)
