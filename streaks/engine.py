"""Streak engine: pure functions from practice/rest dates to streak figures.

No Django, no I/O. Inputs are iterables of ``datetime.date`` (duplicates and any
order allowed); dates after ``today`` are ignored everywhere.

Definitions
-----------
- Practice day: a date with at least one session. Rest day: a rest date that is
  not also a practice day (practice wins). An *active* day is either.
- Anchor: today if today is active, else yesterday. Today is still open, so not
  having practised yet never breaks a streak.
- Current streak: walk back from the anchor over consecutive active days; the
  streak is the number of practice days met. Rest days bridge, they don't add.
- Run: a maximal block of consecutive active days holding at least one practice
  day. ``start``/``end`` are its first/last practice day, ``days`` its practice
  day count. Longest run: largest ``days``; ties go to the most recent run.
- Weekly streak (target N): a Monday-Sunday week meets the target when it holds
  at least N active days. Count consecutive such weeks ending with the current
  week if it already meets the target, else ending with last week.
- Consistency over W days: the W days ending today if today is a practice day,
  else ending yesterday, but never starting before the first practice day (a
  first day is 100%, not 1 in 30); practice days / (days in the window - rest
  days), as a whole percent rounded half up; None when every day of the window
  is a rest day.
- Habit strength (after the Loop Habit Tracker score): m = 0.5 ** (sqrt(N/7)/13);
  from the first practice day to the anchor, a rest day leaves the score alone,
  any other day does score = score * m + v * (1 - m) where
  v = min(1, practice days in the 7 days ending that day / N). The figure is
  the anchor's score as a whole percent; ``strength_by_day`` keeps every day's.
- Last break: with no current streak, how the most recent run ended; with a
  current streak, how the run before it ended. ``gap_day`` is the first day
  after the run's trailing rest days that is not active; ``ended_on`` is the
  day after, when the streak was found broken.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = ["Break", "Run", "Stats", "compute", "current_streak", "strength_percent"]

CONSISTENCY_WINDOWS = (7, 30, 365)


@dataclass(frozen=True)
class Run:
    start: date  # first practice day of the run
    end: date  # last practice day of the run
    days: int  # practice days in the run (rest days bridge but do not count)


@dataclass(frozen=True)
class Break:
    gap_day: date  # first day after the run (and its trailing rest days) not active
    ended_on: date  # gap_day + 1 day: when the streak was found broken


@dataclass(frozen=True)
class Stats:
    """All figures for one day. ``consistency`` maps 7/30/365 to a whole percent
    (None: every day of the window was a rest day); ``habit_strength`` is 0..100;
    ``week_progress`` counts active days so far in the current Monday-Sunday week.
    """

    today: date
    done_today: bool
    rest_today: bool
    current_streak: int
    current_run: Run | None
    longest: Run | None
    weekly_streak: int
    week_progress: int
    consistency: dict[int, int | None]
    habit_strength: int
    runs: list[Run]
    last_break: Break | None
    # The strength (0..1) at the end of each day from `strength_from`, the first
    # practice day (None without practice), to the anchor.
    strength_from: date | None
    strength_by_day: list[float]


@dataclass(frozen=True)
class _Block:
    """A maximal stretch of active days, as ordinals."""

    first: int  # first active day
    last: int  # last active day
    first_practice: int | None
    last_practice: int | None
    practice_days: int

    def as_run(self) -> Run:
        assert self.first_practice is not None
        assert self.last_practice is not None
        return Run(
            date.fromordinal(self.first_practice),
            date.fromordinal(self.last_practice),
            self.practice_days,
        )


def _week(ordinal: int) -> int:
    """Index of the Monday-Sunday week holding ``ordinal`` (day 1 is a Monday)."""
    return (ordinal - 1) // 7


def _check_target(weekly_target: int) -> None:
    if (
        isinstance(weekly_target, bool)
        or not isinstance(weekly_target, int)
        or not 1 <= weekly_target <= 7
    ):
        raise ValueError(
            f"weekly_target must be an int from 1 to 7, not {weekly_target!r}"
        )


class _Dates:
    """Inputs normalised once: ordinal sets and sorted lists, blocks of active days."""

    def __init__(
        self, practice_dates: Iterable[date], rest_dates: Iterable[date], today: date
    ) -> None:
        self.today = today.toordinal()
        t = self.today
        practice = {o for o in map(date.toordinal, practice_dates) if o <= t}
        rest = {o for o in map(date.toordinal, rest_dates) if o <= t}
        rest -= practice
        self.practice = practice
        self.rest = rest
        self.practice_sorted = sorted(practice)
        self.rest_sorted = sorted(rest)
        self.active_sorted = sorted(practice | rest)
        self.anchor = t if (t in practice or t in rest) else t - 1
        self.blocks = self._blocks()

    def _blocks(self) -> list[_Block]:
        practice = self.practice
        blocks: list[_Block] = []
        first = prev = None
        first_p = last_p = None
        count = 0
        for o in self.active_sorted:
            if prev is None or o != prev + 1:
                if prev is not None:
                    blocks.append(_Block(first, prev, first_p, last_p, count))
                first, first_p, last_p, count = o, None, None, 0
            if o in practice:
                if first_p is None:
                    first_p = o
                last_p = o
                count += 1
            prev = o
        if prev is not None:
            blocks.append(_Block(first, prev, first_p, last_p, count))
        return blocks

    # -- figures ---------------------------------------------------------------

    def current_block(self) -> _Block | None:
        """The block holding the anchor, if it has any practice day."""
        if self.blocks:
            block = self.blocks[-1]
            if block.last == self.anchor and block.practice_days:
                return block
        return None

    def runs(self) -> list[Run]:
        return [b.as_run() for b in self.blocks if b.practice_days]

    def last_break(self) -> Break | None:
        run_blocks = [b for b in self.blocks if b.practice_days]
        # The current block, when there is one, is always the last block.
        index = -2 if self.current_block() is not None else -1
        if len(run_blocks) < -index:
            return None
        gap = run_blocks[index].last + 1
        return Break(date.fromordinal(gap), date.fromordinal(gap + 1))

    def active_in_week(self, week: int) -> int:
        """Active days in the Monday-Sunday week with index `week` (see _week)."""
        first = 7 * week + 1
        days = self.active_sorted
        return bisect_right(days, first + 6) - bisect_left(days, first)

    def weekly_streak(self, weekly_target: int) -> int:
        week = _week(self.today)
        if self.active_in_week(week) < weekly_target:
            week -= 1
        streak = 0
        while self.active_in_week(week) >= weekly_target:
            streak += 1
            week -= 1
        return streak

    def consistency(self, window: int) -> int | None:
        end = self.today if self.today in self.practice else self.today - 1
        start = end - window + 1
        if self.practice_sorted:
            # Days before someone began are not days they missed.
            start = max(start, self.practice_sorted[0])

        def in_window(days: list[int]) -> int:
            return bisect_right(days, end) - bisect_left(days, start)

        denominator = end - start + 1 - in_window(self.rest_sorted)
        if denominator == 0:
            return None
        # Exact round half up of 100 * practice / denominator, in integers.
        practised = in_window(self.practice_sorted)
        return (200 * practised + denominator) // (2 * denominator)

    def strength_by_day(self, weekly_target: int) -> list[float]:
        """The habit strength (0..1) at the end of every day from the first
        practice day to the anchor; empty without practice."""
        if not self.practice_sorted:
            return []
        practice, rest = self.practice, self.rest
        m = 0.5 ** (math.sqrt(weekly_target / 7) / 13)
        # step[k]: the v * (1 - m) term when k practice days fall in the 7-day window.
        step = [min(1, k / weekly_target) * (1 - m) for k in range(8)]
        score = 0.0
        in_week = 0
        scores = []
        for day in range(self.practice_sorted[0], self.anchor + 1):
            if day in practice:
                in_week += 1
            if day - 7 in practice:
                in_week -= 1
            if day not in rest:
                score = score * m + step[in_week]
            scores.append(score)
        return scores


# -- public API ----------------------------------------------------------------


def strength_percent(score: float) -> int:
    """A strength score (0..1) as the whole percent the pages show."""
    return min(100, max(0, round(score * 100)))


def compute(
    practice_dates: Iterable[date],
    rest_dates: Iterable[date],
    today: date,
    weekly_target: int,
) -> Stats:
    """Every streak figure for one user, from a single normalisation pass."""
    _check_target(weekly_target)
    dates = _Dates(practice_dates, rest_dates, today)
    t = dates.today
    all_runs = dates.runs()
    current = dates.current_block()
    longest = None
    for run in all_runs:  # ">=" so ties go to the most recent run
        if longest is None or run.days >= longest.days:
            longest = run
    strength_by_day = dates.strength_by_day(weekly_target)
    first_practice = (
        date.fromordinal(dates.practice_sorted[0]) if dates.practice_sorted else None
    )
    return Stats(
        today=today,
        done_today=t in dates.practice,
        rest_today=t in dates.rest,
        current_streak=current.practice_days if current else 0,
        current_run=current.as_run() if current else None,
        longest=longest,
        weekly_streak=dates.weekly_streak(weekly_target),
        week_progress=dates.active_in_week(_week(t)),
        consistency={w: dates.consistency(w) for w in CONSISTENCY_WINDOWS},
        habit_strength=strength_percent(strength_by_day[-1] if strength_by_day else 0),
        runs=all_runs,
        last_break=dates.last_break(),
        strength_from=first_practice,
        strength_by_day=strength_by_day,
    )


def current_streak(
    practice_dates: Iterable[date], rest_dates: Iterable[date], today: date
) -> int:
    """Practice days in the run of active days ending at the anchor."""
    current = _Dates(practice_dates, rest_dates, today).current_block()
    return current.practice_days if current else 0
