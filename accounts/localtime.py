"""Local wall-clock time: the one module that turns a date and time on a clock in
some zone into an instant, gives the practice day of an instant, and stores
weekdays as a bit mask. Pure Python: no ORM, no settings, no clock.

- A wall time the clocks show twice (DST ends) means the first, earlier instant,
  unless the time's ``fold`` is 1: a time read off an instant (the API's
  ``start`` with its offset) knows which of the two it was.
- A wall time the clocks skip (DST starts) has no instant. ``on_gap`` says what
  to do: ``RAISE`` (a form asks for another time) or ``GAP_END`` (a preferred
  time starts when the gap ends: 02:30 in New York on 8 March 2026 starts at
  03:00 EDT, when the clocks jump).
- The practice day of an instant is its local date after stepping back the
  user's day-start hour: with a day start of 4, 00:40 on a Tuesday counts for
  Monday.
- Its half of that day: morning from the day's start until noon, evening from
  noon until the next day starts (so 00:40 with a day start of 4 is Monday
  evening).
"""

import datetime as dt
from collections.abc import Iterable

RAISE = "raise"
GAP_END = "gap-end"

ALL_DAYS = frozenset(range(7))


class SkippedTime(ValueError):
    """A wall time the clocks skip that day (a DST gap)."""


def is_skipped(day: dt.date, time: dt.time, tz: dt.tzinfo) -> bool:
    naive = dt.datetime.combine(day, time.replace(tzinfo=None))
    there = naive.replace(tzinfo=tz)
    return there.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != naive


def is_repeated(day: dt.date, time: dt.time, tz: dt.tzinfo) -> bool:
    """Whether the clocks show this wall time twice that day (a DST overlap)."""
    naive = dt.datetime.combine(day, time.replace(tzinfo=None))
    return (
        naive.replace(tzinfo=tz, fold=0).utcoffset()
        != naive.replace(tzinfo=tz, fold=1).utcoffset()
    )


def aware(day: dt.date, time: dt.time, tz: dt.tzinfo, on_gap=RAISE) -> dt.datetime:
    """The instant wall-clock `time` on `day` in `tz` means, aware in `tz`
    (``.astimezone(dt.UTC)`` for storage). See the module docstring for DST."""
    naive = dt.datetime.combine(day, time.replace(tzinfo=None))  # keeps time.fold
    if not is_skipped(day, time, tz):
        return naive.replace(tzinfo=tz)
    if on_gap == RAISE:
        raise SkippedTime(f"{naive} does not exist in {tz}")
    return _gap_end(naive, tz)


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


def practice_day(
    moment: dt.datetime, day_start_hour: int, tz: dt.tzinfo | None = None
) -> dt.date:
    """The practice day an aware `moment` counts for, read in `tz` (default: the
    zone `moment` carries)."""
    local = moment.astimezone(tz) if tz is not None else moment
    # Wall-clock arithmetic on the aware local time: an hour before 04:00 is
    # 03:00 on the same clock, whatever DST does that night.
    return (local - dt.timedelta(hours=day_start_hour)).date()


MORNING, EVENING = "morning", "evening"


def morning(day_start_hour: int) -> tuple[dt.time, dt.time]:
    """The wall-clock times from the first up to (not including) the second
    that are MORNING of the practice day: from the day's start to noon. Every
    other time is EVENING (with a day start at noon or later, all of them). The
    one home of this rule; pages compare sessions' stored local times with it."""
    return dt.time(day_start_hour), dt.time(12)


def wall_clock(moment: dt.datetime, tz: dt.tzinfo) -> dt.time:
    """The time the clock on the wall showed in `tz` at the aware `moment`."""
    return moment.astimezone(tz).time()


def mask_from_days(days: Iterable[int]) -> int:
    """Weekdays (0 = Monday .. 6 = Sunday) as the bit mask the database stores."""
    mask = 0
    for day in days:
        if not 0 <= int(day) <= 6:
            raise ValueError(f"weekday must be 0..6, not {day!r}")
        mask |= 1 << int(day)
    return mask


def days_from_mask(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))
