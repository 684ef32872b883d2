"""Streak engine: pure rules from the days someone practised or rested to the
streak figures. No Django, no I/O.

Why it lives in the logbook app: every write to the logbook recomputes the
figures of the days it changed, in the same transaction (sessions/days.py),
and the logbook may not import the apps above it. The pages in streaks/ read
the stored figures and turn them into words and pictures.

Definitions
-----------
- Practice day: a date with at least one session. Rest day: a rest date that is
  not also a practice day (practice wins). An *active* day is either.
- Dates after today are ignored everywhere: the figures at the end of a day
  depend only on that day and the days before it.
- Anchor: today if today is active, else yesterday. Today is still open, so not
  having practised yet never breaks a streak.
- Current streak: walk back from the anchor over consecutive active days; the
  streak is the number of practice days met. Rest days bridge, they don't add.
- Run: a maximal block of consecutive active days holding at least one practice
  day. ``start``/``end`` are its first/last practice day, ``days`` its practice
  day count. Longest run: largest ``days``; ties go to the most recent run.
- Weekly streak (target N): a Monday-Sunday week meets the target when it holds
  at least N active days, at least one of them a practice day. A week of N
  active days without one (all rest or paused days) bridges, as a rest day
  does: it neither breaks the weekly streak nor adds to it. Count the weeks
  meeting the target in a row up to the current week if it already meets the
  target, else up to last week.
- Consistency over W days: the W days ending today if today is a practice day,
  else ending yesterday, but never starting before the first practice day (a
  first day is 100%, not 1 in 30); practice days / (days in the window - rest
  days), as a whole percent rounded half up; None when every day of the window
  is a rest day.
- Habit strength (after the Loop Habit Tracker score): m = 0.5 ** (sqrt(N/7)/13);
  the score starts at 0 and each day moves it: an empty day or a practice day
  to score * m + v * (1 - m), where v = min(1, practice days in the 7 days
  ending that day / N). A rest day keeps the score where it was, but never
  lower than the same day left empty would leave it, nor higher than a
  practice day would take it. The figure is the anchor's score as a whole
  percent.
- Last break: with no current streak, how the most recent run ended; with a
  current streak, how the run before it ended. ``gap_day`` is the first day
  after the run's trailing rest days that is not active; ``ended_on`` is the
  day after, when the streak was found broken.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

CONSISTENCY_WINDOWS = (7, 30, 365)
# The stored days a page hands to `stats`: enough for the longest window.
WINDOW = 371
ONE_DAY = timedelta(days=1)


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
class Day:
    """The figures at the end of one day, as sessions.models.Day stores them."""

    date: date
    practised: bool
    rest: bool  # a rest day without practice
    streak: int  # practice days in the run of active days ending here (0 if none)
    run_start: date | None  # that run's first practice day
    run_end: date | None  # that run's last practice day so far
    weekly_streak: int  # as of this day
    strength: float  # habit strength, 0..1
    last_gap: date | None  # the gap day of the last run that ended before this day
    longest: Run | None  # the longest run so far
    first_practice: date | None  # the first practice day so far

    @property
    def active(self) -> bool:
        return self.practised or self.rest


@dataclass(frozen=True)
class Stats:
    """Today's figures. ``consistency`` maps 7/30/365 to a whole percent (None:
    every day of the window was a rest day); ``habit_strength`` is 0..100;
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
    last_break: Break | None

    @property
    def anchor(self) -> date:
        """Today if today is active, else yesterday: today is still open."""
        return (
            self.today if self.done_today or self.rest_today else self.today - ONE_DAY
        )


def _check_target(weekly_target: int) -> None:
    if (
        isinstance(weekly_target, bool)
        or not isinstance(weekly_target, int)
        or not 1 <= weekly_target <= 7
    ):
        raise ValueError(
            f"weekly_target must be an int from 1 to 7, not {weekly_target!r}"
        )


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def days(
    practice: Iterable[date],
    rest: Iterable[date],
    first: date,
    last: date,
    weekly_target: int,
    before: Sequence[Day] = (),
) -> list[Day]:
    """The figures at the end of every day from `first` to `last`.

    `practice` and `rest` hold the practice and rest dates (others are ignored).
    `before` carries the figures on: the figures of the days just before
    `first`, oldest first, the last seven of them at least when there are that
    many; leave it empty to start a history at `first`."""
    _check_target(weekly_target)
    practice = set(practice)
    rest = set(rest) - practice
    before = list(before)[-7:]
    if before and before[-1].date != first - ONE_DAY:
        raise ValueError("`before` must end the day before `first`")
    m = 0.5 ** (math.sqrt(weekly_target / 7) / 13)
    step = [min(1, k / weekly_target) * (1 - m) for k in range(8)]

    # The day before `first`, an empty one when the history starts there.
    previous = before[-1] if before else _empty(first - ONE_DAY)
    practised_recently = {day.date for day in before if day.practised}
    this_week = [day for day in before if monday(day.date) == monday(first)]
    week_active = sum(1 for day in this_week if day.active)
    week_practised = sum(1 for day in this_week if day.practised)

    def adds(active, practised):
        """Whether a week adds to the weekly streak (see the definition)."""
        return active >= weekly_target and practised > 0

    # Weeks meeting the target in a row, ending with the week before.
    if monday(previous.date) == monday(first):
        weeks_before = previous.weekly_streak - adds(week_active, week_practised)
    else:  # `first` is a Monday: last week's figure is the one to carry on
        last_week = sum(
            1
            for day in before
            if day.active and monday(day.date) == monday(previous.date)
        )
        weeks_before = previous.weekly_streak if last_week >= weekly_target else 0

    figures = []
    day = first
    while day <= last:
        if day.weekday() == 0 and day != first:
            if week_active >= weekly_target:
                weeks_before += adds(week_active, week_practised)
            else:
                weeks_before = 0
            week_active = week_practised = 0
        practised = day in practice
        rested = day in rest
        active = practised or rested

        if practised:
            practised_recently.add(day)
        practised_recently.discard(day - timedelta(days=7))
        in_window = len(practised_recently)

        if not active:
            streak, run_start, run_end = 0, None, None
        elif previous.active:
            streak = previous.streak + practised
            run_start = previous.run_start or (day if practised else None)
            run_end = day if practised else previous.run_end
        else:
            streak = int(practised)
            run_start = run_end = day if practised else None

        last_gap = previous.last_gap
        if not active and previous.active and previous.streak:
            last_gap = day  # the run before ends here
        longest = previous.longest
        if practised and (longest is None or streak >= longest.days):
            longest = Run(run_start, day, streak)  # ">=": ties go to the latest
        first_practice = previous.first_practice
        if practised and first_practice is None:
            first_practice = day

        week_active += active
        week_practised += practised
        score = previous.strength
        if rested:
            left_empty = score * m + step[in_window]
            practising = score * m + step[in_window + 1]
            score = min(max(score, left_empty), practising)
        else:
            score = score * m + step[in_window]

        previous = Day(
            date=day,
            practised=practised,
            rest=rested,
            streak=streak,
            run_start=run_start,
            run_end=run_end,
            weekly_streak=weeks_before + adds(week_active, week_practised),
            strength=score,
            last_gap=last_gap,
            longest=longest,
            first_practice=first_practice,
        )
        figures.append(previous)
        day += ONE_DAY
    return figures


def _empty(day: date) -> Day:
    """A day with nothing before it and nothing logged."""
    return Day(day, False, False, 0, None, None, 0, 0.0, None, None, None)


def carry_on(figures: Sequence[Day], today: date, weekly_target: int) -> list[Day]:
    """Consecutive days' figures up to today: those after today dropped, and
    the empty days since the last one added."""
    figures = [day for day in figures if day.date <= today]
    if figures and figures[-1].date < today:
        start = figures[-1].date + ONE_DAY
        figures += days((), (), start, today, weekly_target, figures)
    return figures


def runs(figures: Iterable[Day]) -> list[Run]:
    """Every run in consecutive days' figures, oldest first."""
    found: dict[date, Run] = {}
    for day in figures:
        if day.practised:
            found[day.run_start] = Run(day.run_start, day.date, day.streak)
    return list(found.values())


def stats(
    recent: Sequence[Day],
    practice: Iterable[date],
    rest: Iterable[date],
    today: date,
    weekly_target: int,
) -> Stats:
    """Today's figures. `recent` holds the figures of consecutive days up to
    today at most, the last seven at least (or all there are); `practice` and
    `rest` the practice and rest days of the last WINDOW days at least."""
    recent = carry_on(recent, today, weekly_target)
    by_date = {day.date: day for day in recent[-2:]}
    now = by_date.get(today)
    anchor = now if now is not None and now.active else by_date.get(today - ONE_DAY)
    current = anchor if anchor is not None and anchor.streak else None
    practice = {day for day in practice if day <= today}
    rest = {day for day in rest if day <= today} - practice
    this_monday = monday(today)
    first = now.first_practice if now is not None else None
    return Stats(
        today=today,
        done_today=today in practice,
        rest_today=today in rest,
        current_streak=current.streak if current else 0,
        current_run=(
            Run(current.run_start, current.run_end, current.streak) if current else None
        ),
        longest=now.longest if now is not None else None,
        weekly_streak=now.weekly_streak if now is not None else 0,
        week_progress=sum(1 for day in practice | rest if day >= this_monday),
        consistency={
            window: _consistency(practice, rest, today, window, first)
            for window in CONSISTENCY_WINDOWS
        },
        habit_strength=strength_percent(anchor.strength if anchor else 0.0),
        last_break=(
            Break(anchor.last_gap, anchor.last_gap + ONE_DAY)
            if anchor is not None and anchor.last_gap is not None
            else None
        ),
    )


def _consistency(practice, rest, today, window, first_practice):
    end = today if today in practice else today - ONE_DAY
    start = end - timedelta(days=window - 1)
    if first_practice is not None:
        # Days before someone began are not days they missed.
        start = max(start, first_practice)
    denominator = (end - start).days + 1 - sum(start <= day <= end for day in rest)
    if denominator <= 0:
        return None
    practised = sum(start <= day <= end for day in practice)
    # Exact round half up of 100 * practised / denominator, in integers.
    return (200 * practised + denominator) // (2 * denominator)


def strength_percent(score: float) -> int:
    """A strength score (0..1) as the whole percent the pages show."""
    return min(100, max(0, round(score * 100)))


def compute(
    practice_dates: Iterable[date],
    rest_dates: Iterable[date],
    today: date,
    weekly_target: int,
) -> Stats:
    """Today's figures from a whole history at once: the same figures a page
    reads from the stored days."""
    _check_target(weekly_target)
    practice = {day for day in practice_dates if day <= today}
    rest = {day for day in rest_dates if day <= today}
    active = practice | rest
    figures = days(practice, rest, min(active), today, weekly_target) if active else []
    return stats(figures[-7:], practice, rest, today, weekly_target)
