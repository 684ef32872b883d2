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
  is that date and time in the zone:
    * a time the clocks show twice (DST ends) starts at the first of the two;
    * a time the clocks skip (DST starts) starts at the instant the gap ends:
      a 02:30 slot in New York on 8 March 2026 starts at 03:00 EDT, when the
      clocks jump. (Calendar apps following RFC 5545 show that one occurrence
      at 03:30 instead; it is a single day a year, for times inside the gap.)
- An occurrence counts for the practice day ``user.day_of`` gives its start:
  the local date shifted back by the day-start hour. With a day start of 4, a
  Tuesday 01:00 slot belongs to Monday's practice day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "ALL_DAYS",
    "DAY_NAMES",
    "DUE_WINDOW",
    "MAX_SLOTS",
    "ON_TIME_WINDOW",
    "SUGGESTED_SLOTS",
    "NextSlot",
    "Occurrence",
    "Slot",
    "days_from_mask",
    "mask_from_days",
    "next_slot",
    "occurrence_start",
    "on_time_rate",
    "recent_starts",
    "slot_conflicts",
]

MAX_SLOTS = 4
DAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
ALL_DAYS = frozenset(range(7))
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


def mask_from_days(days: Iterable[int]) -> int:
    """Weekdays as the bit mask the database stores (bit 0 = Monday)."""
    mask = 0
    for day in days:
        if not 0 <= int(day) <= 6:
            raise ValueError(f"weekday must be 0..6, not {day!r}")
        mask |= 1 << int(day)
    return mask


def days_from_mask(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def _utc(moment: dt.datetime) -> dt.datetime:
    # Aware datetimes sharing a tzinfo subtract and compare by wall clock, which
    # is wrong across a DST change: real elapsed time needs UTC.
    return moment.astimezone(dt.UTC)


def practice_day(moment: dt.datetime, day_start_hour: int) -> dt.date:
    # Wall-clock arithmetic on the aware local time, exactly as User.day_of does.
    return (moment - dt.timedelta(hours=day_start_hour)).date()


def _gap_end(naive: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The first instant after the DST gap that swallows the wall time `naive`."""
    # Read with the offset after the gap, the wall time lands before the
    # transition; with the offset before it, after. Bisect between the two to
    # the second at which the offset changes.
    lo = int(naive.replace(tzinfo=tz, fold=1).timestamp())
    hi = int(naive.replace(tzinfo=tz, fold=0).timestamp())
    before = dt.datetime.fromtimestamp(lo, tz).utcoffset()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if dt.datetime.fromtimestamp(mid, tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return dt.datetime.fromtimestamp(hi, tz)


def occurrence_start(day: dt.date, time: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """When wall-clock `time` on `day` happens in `tz` (see the module docstring
    for the DST rules). The result is aware, in `tz`."""
    naive = dt.datetime.combine(day, time.replace(tzinfo=None))
    start = naive.replace(tzinfo=tz, fold=0)
    if start.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != naive:
        return _gap_end(naive, tz)
    return start


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
                start = occurrence_start(day, time, tz)
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
