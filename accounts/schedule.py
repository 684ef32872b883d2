"""Preferred session times: when a slot next starts, and how often it was kept.

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
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from accounts import localtime
from accounts.localtime import ALL_DAYS, DAY_NAMES, practice_day

MAX_SLOTS = 4
# A slot stays "due" on the dashboard this long after it starts.
DUE_WINDOW = dt.timedelta(minutes=60)
# A session this close to a slot's start (either side) kept that slot.
ON_TIME_WINDOW = dt.timedelta(minutes=60)


class Slot(NamedTuple):
    label: str
    time: dt.time
    weekdays: frozenset[int]


# The source article's two suggestions, offered on a first visit.
SUGGESTED_SLOTS = (
    Slot("Morning", dt.time(7, 30), ALL_DAYS),  # to wake up circulation
    Slot("Evening", dt.time(21, 0), ALL_DAYS),  # to unwind before sleep
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
            time, weekdays = slot[1], slot[2]
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
    """What the dashboard says about the preferred times.

    ``state`` is "due" (a slot of today started under an hour ago and nothing is
    logged today), "next" (the next start, today or later) or "done" (practised
    today: the first slot of a later practice day). ``start`` is aware, in the
    user's zone; ``day`` is the practice day it counts for.
    """

    state: str
    label: str
    start: dt.datetime
    day: dt.date
    today: dt.date
    now: dt.datetime

    @property
    def time_text(self) -> str:
        return self.start.strftime("%H:%M")

    @property
    def day_text(self) -> str:
        """Today, tomorrow (in practice days, like the rest of the app), else the
        weekday the clock shows; "next Monday" a week ahead."""
        ahead = (self.day - self.today).days
        if ahead <= 0:
            return "today"
        if ahead == 1:
            return "tomorrow"
        name = DAY_NAMES[self.start.weekday()]
        return f"next {name}" if ahead >= 7 else name

    @property
    def in_text(self) -> str:
        """Time to the start: "in 2 h 10 min" under a day (whole minutes, rounded
        up), else "in 2 days"."""
        seconds = (_utc(self.start) - _utc(self.now)).total_seconds()
        minutes = max(0, math.ceil(seconds / 60))
        if minutes < 24 * 60:
            hours, minutes = divmod(minutes, 60)
            if not hours:
                return f"in {minutes} min"
            return f"in {hours} h {minutes} min" if minutes else f"in {hours} h"
        days = max(1, (self.day - self.today).days)
        return f"in {days} day{'s' if days != 1 else ''}"

    @property
    def text(self) -> str:
        if self.state == "due":
            return f"Due now ({self.time_text})"
        if self.state == "done":
            return f"Done today · next: {self.day_text} at {self.time_text}"
        return f"Next session: {self.day_text} at {self.time_text} ({self.in_text})"

    def __str__(self):
        return self.text


def next_slot(
    slots: Sequence[Sequence],
    now_local: dt.datetime,
    day_start_hour: int,
    done_today: bool,
) -> NextSlot | None:
    """The dashboard's line about preferred times, or None without any slot.

    `slots`: ``(label, time, weekdays)`` tuples (``user.preferred_slots()``).
    `now_local`: aware, in the user's zone (``user.local_now()``).
    `done_today`: whether the user has a session on today's practice day.
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

    if not done_today:
        due = recent_starts(slots, now_local, day_start_hour, DUE_WINDOW)
        if due:
            return make("due", due[-1])
    # A practice day spans at most two calendar dates; a week and a day past
    # today reaches every weekday of the next seven practice days.
    first = min(today, now_local.date())
    last = max(today, now_local.date()) + dt.timedelta(days=8)
    now = _utc(now_local)
    for occurrence in _occurrences(slots, first, last, tz, day_start_hour):
        if _utc(occurrence.start) <= now:
            continue
        if done_today and occurrence.day <= today:
            continue
        return make("done" if done_today else "next", occurrence)
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


def slot_conflicts(slots: Sequence[Sequence]) -> list[str]:
    """What makes a set of slots invalid: more than MAX_SLOTS, no weekday, or two
    slots at the same time on the same weekday. Empty when the set is fine."""
    problems = []
    if len(slots) > MAX_SLOTS:
        problems.append(f"You can keep up to {MAX_SLOTS} preferred times.")
    seen = {}
    for index, slot in enumerate(slots):
        label, time, weekdays = slot[0], slot[1], slot[2]
        if not weekdays:
            problems.append(f"“{label}” needs at least one day.")
        key_time = time.replace(second=0, microsecond=0)
        for day in sorted(weekdays):
            other = seen.setdefault((key_time, day), index)
            if other != index:
                problems.append(
                    f"“{slots[other][0]}” and “{label}” are both at "
                    f"{key_time:%H:%M} on {DAY_NAMES[day]}."
                )
                break
    return problems
