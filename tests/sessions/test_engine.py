"""Tests for sessions.engine: hand-worked examples plus a naive reference model."""

import math
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessions import engine
from sessions.engine import Break, Run, Stats, compute

ONE = timedelta(days=1)


def figures(practice, rest, today, target=7):
    """Every day's figures, from the first active day to today."""
    practice = {day for day in practice if day <= today}
    rest = {day for day in rest if day <= today}
    if not practice | rest:
        return []
    return engine.days(practice, rest, min(practice | rest), today, target)


# The single figures the hand-worked examples below look at.
def runs(practice, rest, today):
    return engine.runs(figures(practice, rest, today))


def current_streak(practice, rest, today):
    return compute(practice, rest, today, 7).current_streak


def weekly_streak(practice, rest, today, target):
    return compute(practice, rest, today, target).weekly_streak


def consistency(practice, rest, today, window):
    return compute(practice, rest, today, 7).consistency[window]


def habit_strength(practice, rest, today, target):
    """The anchor's unrounded score (compute rounds it to a percent)."""
    by_day = {day.date: day for day in figures(practice, rest, today, target)}
    anchor = by_day.get(today)
    if anchor is None or not anchor.active:
        anchor = by_day.get(today - ONE)
    return anchor.strength if anchor else 0.0


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def span(first: date, last: date) -> list[date]:
    """Every date from first to last inclusive."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def m_for(target: int) -> float:
    return 0.5 ** (math.sqrt(target / 7) / 13)


# A Wednesday, far from month/year ends, used by most examples.
T = d("2024-05-15")


# -- naive reference model ----------------------------------------------------
# Straight from the definitions: walk day by day, recount every window from
# scratch. Slow and obvious on purpose.


def naive_stats(practice_dates, rest_dates, today, target):
    practice = set()
    for day in practice_dates:
        if day <= today:
            practice.add(day)
    rest = set()
    for day in rest_dates:
        if day <= today and day not in practice:
            rest.add(day)

    def active(day):
        return day in practice or day in rest

    anchor = today if active(today) else today - ONE

    # Current streak: walk back from the anchor.
    streak = 0
    first_p = last_p = None
    day = anchor
    while active(day):
        if day in practice:
            streak += 1
            if last_p is None:
                last_p = day
            first_p = day
        day -= ONE
    current_run = Run(first_p, last_p, streak) if streak else None

    # Runs: walk every day from the earliest active day to today.
    all_runs = []
    block = []  # active days of the block being walked
    everything = practice | rest
    day = min(everything) if everything else today + ONE
    while day <= today + ONE:  # today + 1 is never active: closes the last block
        if day <= today and active(day):
            block.append(day)
        else:
            practised = [b for b in block if b in practice]
            if practised:
                all_runs.append(Run(practised[0], practised[-1], len(practised)))
            block = []
        day += ONE

    longest = None
    for run in all_runs:
        if longest is None or run.days >= longest.days:
            longest = run

    # Weekly streak: count active and practice days of each week one day at a
    # time; a met week without a practice day bridges (neither breaks nor adds).
    def week_count(monday):
        active_days = practised = 0
        for i in range(7):
            day = monday + timedelta(days=i)
            if day <= today and active(day):
                active_days += 1
                practised += day in practice
        return active_days, practised

    monday = today - timedelta(days=today.weekday())
    week_progress = week_count(monday)[0]
    if week_progress < target:
        monday -= timedelta(days=7)
    weeks = 0
    while week_count(monday)[0] >= target:
        weeks += week_count(monday)[1] > 0
        monday -= timedelta(days=7)

    # Consistency.
    end = today if today in practice else today - ONE
    percents = {}
    for window in (7, 30, 365):
        practised = rested = days = 0
        for i in range(window):
            day = end - timedelta(days=i)
            if practice and day < min(practice):
                break  # never before the first practice day
            days += 1
            if day in practice:
                practised += 1
            if day in rest:
                rested += 1
        if days - rested == 0:
            percents[window] = None
        else:
            exact = Fraction(practised * 100, days - rested)
            percents[window] = math.floor(exact + Fraction(1, 2))

    # Habit strength: a rest day keeps the score, between what an empty day
    # and what a practice day would make of it.
    m = 0.5 ** (math.sqrt(target / 7) / 13)
    score = 0.0
    if practice:
        day = min(practice)
        while day <= anchor:
            count = 0
            for i in range(7):
                if day - timedelta(days=i) in practice:
                    count += 1
            empty = score * m + min(1, count / target) * (1 - m)
            if day in rest:
                practised = score * m + min(1, (count + 1) / target) * (1 - m)
                score = min(max(score, empty), practised)
            else:
                score = empty
            day += ONE

    # Last break.
    if streak:
        earlier = [r for r in all_runs if r.end < current_run.start]
        broken = earlier[-1] if earlier else None
    else:
        broken = all_runs[-1] if all_runs else None
    last_break = None
    if broken is not None:
        day = broken.end + ONE
        while active(day):
            day += ONE
        last_break = Break(day, day + ONE)

    return (
        Stats(
            today=today,
            done_today=today in practice,
            rest_today=today in rest,
            current_streak=streak,
            current_run=current_run,
            longest=longest,
            weekly_streak=weeks,
            week_progress=week_progress,
            consistency=percents,
            habit_strength=min(100, max(0, round(score * 100))),
            last_break=last_break,
        ),
        score,
        all_runs,
    )


# -- property tests -----------------------------------------------------------

todays = st.dates(min_value=d("2000-01-01"), max_value=d("2035-12-31"))
# Offsets in days before today; negative offsets land after today.
offsets = st.lists(st.integers(min_value=-10, max_value=120), max_size=130)
dense_offsets = st.lists(st.integers(min_value=-3, max_value=25), max_size=30)
targets = st.integers(min_value=1, max_value=7)


def to_dates(today, offs):
    return [today - timedelta(days=o) for o in offs]


@settings(max_examples=300, deadline=None)
@given(today=todays, p=offsets, r=offsets, target=targets)
def test_compute_matches_naive_reference(today, p, r, target):
    practice, rest = to_dates(today, p), to_dates(today, r)
    expected, _, expected_runs = naive_stats(practice, rest, today, target)
    assert compute(practice, rest, today, target) == expected
    assert engine.runs(figures(practice, rest, today, target)) == expected_runs


@settings(max_examples=300, deadline=None)
@given(today=todays, p=dense_offsets, r=dense_offsets, target=targets)
def test_compute_matches_naive_reference_on_short_dense_histories(today, p, r, target):
    practice, rest = to_dates(today, p), to_dates(today, r)
    expected, _, expected_runs = naive_stats(practice, rest, today, target)
    assert compute(practice, rest, today, target) == expected
    assert engine.runs(figures(practice, rest, today, target)) == expected_runs


@settings(max_examples=200, deadline=None)
@given(today=todays, p=offsets, r=offsets, target=targets)
def test_current_streak_and_the_raw_score_agree_with_compute(today, p, r, target):
    practice, rest = to_dates(today, p), to_dates(today, r)
    stats = compute(practice, rest, today, target)
    _, score, _ = naive_stats(practice, rest, today, target)
    assert current_streak(practice, rest, today) == stats.current_streak
    assert habit_strength(practice, rest, today, target) == pytest.approx(score)
    assert 0.0 <= habit_strength(practice, rest, today, target) <= 1.0


@settings(max_examples=200, deadline=None)
@given(today=todays, p=offsets, r=offsets, target=targets)
def test_invariants_between_figures(today, p, r, target):
    practice, rest = to_dates(today, p), to_dates(today, r)
    stats = compute(practice, rest, today, target)
    all_runs = runs(practice, rest, today)
    if stats.current_streak:
        assert stats.current_run == all_runs[-1]
        assert stats.longest.days >= stats.current_streak
    else:
        assert stats.current_run is None
    if all_runs:
        assert stats.longest.days == max(run.days for run in all_runs)
        assert stats.last_break is None or stats.last_break.ended_on <= today
    else:
        assert stats.longest is None
        assert stats.last_break is None
    assert sum(run.days for run in all_runs) == len(
        {day for day in practice if day <= today}
    )
    assert 0 <= stats.week_progress <= today.weekday() + 1


# -- empty history and single days -------------------------------------------


def test_empty_history_has_no_streak_and_zero_figures():
    stats = compute([], [], T, 3)
    assert stats == Stats(
        today=T,
        done_today=False,
        rest_today=False,
        current_streak=0,
        current_run=None,
        longest=None,
        weekly_streak=0,
        week_progress=0,
        consistency={7: 0, 30: 0, 365: 0},
        habit_strength=0,
        last_break=None,
    )


def test_session_today_is_a_streak_of_one():
    stats = compute([T], [], T, 3)
    assert stats.done_today is True
    assert stats.current_streak == 1
    assert stats.current_run == Run(T, T, 1)
    assert stats.longest == Run(T, T, 1)
    assert stats.last_break is None


def test_session_yesterday_keeps_the_streak_while_today_is_open():
    stats = compute([T - ONE], [], T, 3)
    assert stats.done_today is False
    assert stats.current_streak == 1
    assert stats.current_run == Run(T - ONE, T - ONE, 1)
    assert stats.last_break is None


def test_session_two_days_ago_means_the_streak_is_broken():
    day = T - 2 * ONE
    stats = compute([day], [], T, 3)
    assert stats.current_streak == 0
    assert stats.current_run is None
    assert runs([day], [], T) == [Run(day, day, 1)]
    assert stats.longest == Run(day, day, 1)
    # Yesterday was the gap; the streak was found broken today.
    assert stats.last_break == Break(gap_day=T - ONE, ended_on=T)


def test_streak_kept_over_several_days_when_today_not_yet_practised():
    practice = span(T - 5 * ONE, T - ONE)
    assert current_streak(practice, [], T) == 5
    assert current_streak(practice + [T], [], T) == 6


# -- gaps and runs ----------------------------------------------------------------


def test_gaps_split_history_into_runs():
    # 1-3 May, gap on the 4th, 5-6 May, gaps 7-8, 9 May; today 9 May.
    practice = [d("2024-05-01"), d("2024-05-02"), d("2024-05-03")]
    practice += [d("2024-05-05"), d("2024-05-06"), d("2024-05-09")]
    today = d("2024-05-09")
    stats = compute(practice, [], today, 3)
    assert runs(practice, [], today) == [
        Run(d("2024-05-01"), d("2024-05-03"), 3),
        Run(d("2024-05-05"), d("2024-05-06"), 2),
        Run(d("2024-05-09"), d("2024-05-09"), 1),
    ]
    assert stats.current_streak == 1
    assert stats.longest == Run(d("2024-05-01"), d("2024-05-03"), 3)
    assert stats.last_break == Break(d("2024-05-07"), d("2024-05-08"))


def test_longest_run_ties_go_to_the_most_recent():
    practice = [d("2024-05-01"), d("2024-05-02"), d("2024-05-05"), d("2024-05-06")]
    stats = compute(practice, [], d("2024-05-10"), 3)
    assert stats.longest == Run(d("2024-05-05"), d("2024-05-06"), 2)


def test_longest_run_can_be_in_the_past():
    practice = span(d("2024-04-01"), d("2024-04-10")) + [d("2024-05-14")]
    stats = compute(practice, [], d("2024-05-15"), 3)
    assert stats.current_streak == 1
    assert stats.longest == Run(d("2024-04-01"), d("2024-04-10"), 10)


# -- rest days -------------------------------------------------------------------


def test_rest_days_bridge_but_do_not_count():
    # rest 10, practice 11-12, rest 13, practice 14, rest 15 (today); 9 May empty.
    rest = [d("2024-05-10"), d("2024-05-13"), d("2024-05-15")]
    practice = [d("2024-05-11"), d("2024-05-12"), d("2024-05-14")]
    stats = compute(practice, rest, T, 3)
    assert stats.rest_today is True
    assert stats.done_today is False
    assert stats.current_streak == 3
    # start/end are practice days, not the rest days at either end.
    assert stats.current_run == Run(d("2024-05-11"), d("2024-05-14"), 3)
    assert runs(practice, rest, T) == [stats.current_run]


def test_rest_day_today_anchors_the_streak_on_today():
    # Today is a rest day, yesterday a gap: the streak is gone even though today
    # is "open", because the anchor is today.
    stats = compute([T - 2 * ONE], [T], T, 3)
    assert stats.current_streak == 0
    assert stats.last_break == Break(T - ONE, T)


def test_run_of_only_rest_days_is_not_a_streak():
    stats = compute([], span(T - 3 * ONE, T), T, 3)
    assert stats.current_streak == 0
    assert runs([], span(T - 3 * ONE, T), T) == []
    assert stats.longest is None
    assert stats.last_break is None


def test_practice_wins_over_rest_on_the_same_day():
    stats = compute([T - 6 * ONE, T], [T], T, 3)
    assert stats.done_today is True
    assert stats.rest_today is False
    assert stats.current_streak == 1
    # As a practice day it is in the numerator, not removed from the denominator.
    assert stats.consistency[7] == 29  # 2/7 = 28.6%


def test_dates_after_today_are_ignored():
    future = span(T + ONE, T + 10 * ONE)
    with_future = compute([T - ONE, *future], future, T, 2)
    without = compute([T - ONE], [], T, 2)
    assert with_future == without
    assert with_future.current_streak == 1
    assert with_future.week_progress == 1


# -- calendar edges --------------------------------------------------------------


def test_streak_crosses_the_year_boundary():
    practice = span(d("2023-12-30"), d("2024-01-02"))
    stats = compute(practice, [], d("2024-01-02"), 3)
    assert stats.current_streak == 4
    assert stats.current_run == Run(d("2023-12-30"), d("2024-01-02"), 4)


def test_29_february_is_a_day_in_the_run():
    practice = [d("2028-02-27"), d("2028-02-28"), d("2028-02-29"), d("2028-03-01")]
    stats = compute(practice, [], d("2028-03-01"), 3)
    assert stats.current_streak == 4
    assert stats.current_run == Run(d("2028-02-27"), d("2028-03-01"), 4)


def test_missing_29_february_breaks_the_run():
    practice = [d("2028-02-27"), d("2028-02-28"), d("2028-03-01")]
    stats = compute(practice, [], d("2028-03-01"), 3)
    assert stats.current_streak == 1
    assert stats.last_break == Break(d("2028-02-29"), d("2028-03-01"))


# -- weekly streak ---------------------------------------------------------------
# 2024-01-01 is a Monday.


@pytest.mark.parametrize(
    ("target", "expected"),
    [(1, 3), (2, 3), (3, 3), (4, 2), (5, 2), (6, 2), (7, 2)],
)
def test_weekly_streak_for_each_target(target, expected):
    # Daily from Mon 1 Jan to Wed 17 Jan: two full weeks, then 3 days this week.
    # Targets up to 3 are already met this week; higher ones count from last week.
    practice = span(d("2024-01-01"), d("2024-01-17"))
    stats = compute(practice, [], d("2024-01-17"), target)
    assert stats.weekly_streak == expected
    assert stats.week_progress == 3


def test_week_with_three_days_meets_target_three_but_not_four():
    # Last week (8-14 Jan): Mon, Wed, Fri. This week: Mon, Wed, Fri; today Sun 21.
    practice = [d("2024-01-08"), d("2024-01-10"), d("2024-01-12")]
    practice += [d("2024-01-15"), d("2024-01-17"), d("2024-01-19")]
    today = d("2024-01-21")
    assert weekly_streak(practice, [], today, 3) == 2
    assert weekly_streak(practice, [], today, 4) == 0


def test_current_week_not_yet_meeting_target_counts_from_last_week():
    # Three full weeks of 4 days (1-21 Jan), this week only Monday so far.
    practice = []
    for monday in (d("2024-01-01"), d("2024-01-08"), d("2024-01-15")):
        practice += span(monday, monday + 3 * ONE)
    practice.append(d("2024-01-22"))
    stats = compute(practice, [], d("2024-01-24"), 4)
    assert stats.week_progress == 1
    assert stats.weekly_streak == 3


def test_weekly_streak_is_zero_when_last_week_missed_the_target():
    # Week of 1 Jan met N=2, week of 8 Jan has one day, this week one day.
    practice = [d("2024-01-01"), d("2024-01-02"), d("2024-01-09"), d("2024-01-15")]
    assert weekly_streak(practice, [], d("2024-01-16"), 2) == 0


def test_rest_days_count_towards_the_weekly_target():
    # This week (from Mon 13 May): practice Mon + Tue, rest Wed (today).
    practice = [d("2024-05-13"), d("2024-05-14")]
    stats = compute(practice, [T], T, 3)
    assert stats.week_progress == 3
    assert stats.weekly_streak == 1
    assert compute(practice, [], T, 3).weekly_streak == 0


def test_a_week_of_rest_days_alone_bridges_the_weekly_streak_without_adding():
    # Target 3: Mon-Wed of the week of 1 Jan practised, the week of 8 Jan all
    # rest (a pause), Mon-Wed of the week of 15 Jan practised; today Wed 17 Jan.
    practice = span(d("2024-01-01"), d("2024-01-03"))
    practice += span(d("2024-01-15"), d("2024-01-17"))
    rest = span(d("2024-01-08"), d("2024-01-14"))
    assert weekly_streak(practice, rest, d("2024-01-17"), 3) == 2
    # Without the rest week, the empty week breaks it.
    assert weekly_streak(practice, [], d("2024-01-17"), 3) == 1


def test_two_paused_weeks_do_not_count_as_two_weeks_met():
    # Target 3: practised Mon 9 - Wed 11 Nov 2026, paused 16-29 Nov, practised
    # only Sun 6 Dec (today) since: the week of 9 Nov, bridged twice, and the
    # week of 30 Nov still short of the target (it is not over).
    practice = span(d("2026-11-09"), d("2026-11-11")) + [d("2026-12-06")]
    paused = span(d("2026-11-16"), d("2026-11-29"))
    assert weekly_streak(practice, paused, d("2026-12-06"), 3) == 1
    practice += [d("2026-12-01"), d("2026-12-02")]
    assert weekly_streak(practice, paused, d("2026-12-06"), 3) == 2


def test_future_rest_days_do_not_fill_the_current_week():
    practice = [d("2024-05-13"), d("2024-05-14")]
    future_rest = [d("2024-05-16"), d("2024-05-17")]
    stats = compute(practice, future_rest, d("2024-05-14"), 3)
    assert stats.week_progress == 2
    assert stats.weekly_streak == 0


# -- consistency -----------------------------------------------------------------


def test_consistency_excludes_rest_days_from_the_denominator():
    # Today practised; window 9..15 May: 4 practice days, 2 rest days, 1 gap.
    practice = [d("2024-05-09"), d("2024-05-11"), d("2024-05-12"), T]
    rest = [d("2024-05-13"), d("2024-05-14")]
    stats = compute([d("2024-04-01"), *practice], rest, T, 3)
    assert stats.consistency == {
        7: 80,  # 4 / (7 - 2)
        30: 14,  # 4 / (30 - 2) = 14.29%, from 16 April
        365: 12,  # 5 / (45 - 2) = 11.63%, from the first practice day, 1 April
    }


def test_consistency_window_ends_yesterday_when_today_not_practised():
    practice = span(T - 7 * ONE, T - ONE)
    assert consistency(practice, [], T, 7) == 100
    assert consistency(practice + [T], [], T, 7) == 100
    # Practised today but missed the day before yesterday: 6 of the last 7 days.
    practice = [*span(T - 6 * ONE, T - 3 * ONE), T - ONE, T]
    assert consistency(practice, [], T, 7) == 86


def test_consistency_window_ends_yesterday_when_today_is_a_rest_day():
    # The rest day today lies outside the window 8..14 May.
    practice = span(T - 7 * ONE, T - 5 * ONE)  # 8, 9, 10 May
    assert consistency(practice, [T], T, 7) == 43  # 3 / 7 = 42.9%


def test_consistency_of_an_all_rest_window_is_none():
    rest = span(T - 7 * ONE, T - ONE)
    stats = compute([], rest, T, 3)
    assert stats.consistency == {7: None, 30: 0, 365: 0}


def test_consistency_rounds_half_up():
    # 30-day window ending today with 22 rest days and 1 practice day: 1/8 = 12.5%.
    rest = span(T - 22 * ONE, T - ONE)
    assert consistency([T - 29 * ONE, T], rest, T, 30) == 25  # 2/8
    assert consistency([T - 29 * ONE], rest, T, 30) == 14  # 1/7, up to yesterday
    rest = span(T - 21 * ONE, T - ONE)
    assert consistency([T - 29 * ONE], rest, T, 30) == 13  # 1/8 = 12.5%
    # 365-day window with 324 rest days and 1 practice day: 1/40 = 2.5%.
    rest = span(T - 324 * ONE, T - ONE)
    assert consistency([T - 364 * ONE], rest, T, 365) == 3


def test_consistency_never_counts_days_before_the_first_practice_day():
    # A newcomer's first day is 100%, not 1 in 30.
    assert compute([T], [], T, 3).consistency == {7: 100, 30: 100, 365: 100}
    # 3 practice days in the first 4 days: 75%, in every window.
    practice = [T - 3 * ONE, T - 2 * ONE, T]
    assert compute(practice, [], T, 3).consistency == {7: 75, 30: 75, 365: 75}
    # Not practised yet today: the window ends yesterday.
    assert consistency([T - 3 * ONE, T - 2 * ONE], [], T, 30) == 67
    # Rest days marked before the first practice day change nothing.
    early_rest = span(T - 20 * ONE, T - 4 * ONE)
    assert consistency(practice, early_rest, T, 30) == 75


# -- habit strength --------------------------------------------------------------


def test_habit_strength_is_zero_without_history():
    assert habit_strength([], [], T, 3) == 0.0
    assert habit_strength([], span(T - 9 * ONE, T), T, 3) == 0.0
    assert compute([], [], T, 3).habit_strength == 0


def test_habit_strength_of_a_single_session_is_one_step():
    # N=2, one session today: v = 1/2, score = 0.5 * (1 - m).
    m = m_for(2)
    assert habit_strength([T], [], T, 2) == pytest.approx(0.5 * (1 - m))
    # Tomorrow is still open, so the score does not move yet.
    assert habit_strength([T], [], T + ONE, 2) == pytest.approx(0.5 * (1 - m))
    # The day after, the missed day counts: v = 1/2 still (session in window).
    assert habit_strength([T], [], T + 2 * ONE, 2) == pytest.approx(
        0.5 * (1 - m) * m + 0.5 * (1 - m)
    )


def test_habit_strength_strictly_increases_during_a_daily_streak():
    start = d("2024-01-01")
    scores = [
        habit_strength(span(start, start + i * ONE), [], start + i * ONE, 7)
        for i in range(60)
    ]
    assert scores[0] > 0
    assert all(a < b for a, b in pairwise(scores))


@pytest.mark.parametrize("n_days", [7, 8, 13, 30, 100, 365])
def test_habit_strength_of_daily_streak_follows_the_closed_form(n_days):
    # N=7: v = k/7 on day k <= 7 and 1 afterwards, so
    #   1 - m**(n - 6) <= score_n <= 1 - m**n.
    start = d("2024-01-01")
    today = start + (n_days - 1) * ONE
    score = habit_strength(span(start, today), [], today, 7)
    m = m_for(7)  # 0.5 ** (1 / 13): the score's distance to 1 halves every 13 days
    assert 1 - m ** (n_days - 6) <= score <= 1 - m**n_days


def test_habit_strength_passes_99_percent_within_93_days_of_daily_practice():
    # From the lower bound: 1 - m**(n - 6) > 0.99 once (n - 6) / 13 > log2(100),
    # i.e. n >= 93. Day 30 is still well below: score_30 <= 1 - 0.5 ** (30 / 13).
    start = d("2024-01-01")
    day_30, day_93 = start + 29 * ONE, start + 92 * ONE
    assert habit_strength(span(start, day_30), [], day_30, 7) < 0.8
    assert habit_strength(span(start, day_93), [], day_93, 7) > 0.99


def test_habit_strength_reaches_100_percent_after_a_year_of_daily_practice():
    start = d("2024-01-01")
    today = start + 364 * ONE
    # 1 - m**359 with m = 0.5 ** (1/13) is about 1 - 5e-9.
    assert habit_strength(span(start, today), [], today, 7) > 0.999999
    assert compute(span(start, today), [], today, 7).habit_strength == 100


def test_habit_strength_stays_at_most_one_over_three_years_of_daily_practice():
    # 1 - m**1095 is 1.0 in floating point; the score settles just below it.
    start = d("2024-01-01")
    today = start + (3 * 365 - 1) * ONE
    score = habit_strength(span(start, today), [], today, 7)
    assert 1 - 1e-12 < score <= 1.0


def test_habit_strength_with_target_one_is_exactly_one_minus_m_to_the_n():
    # N=1: any session in the 7-day window gives v = 1 from day one.
    start = d("2024-01-01")
    today = start + 19 * ONE
    m = m_for(1)
    assert habit_strength(span(start, today), [], today, 1) == pytest.approx(1 - m**20)


def score_on(day, practice, rest, target):
    """The score at the end of `day`."""
    return figures(practice, rest, day, target)[-1].strength


def test_rest_day_after_a_missed_week_leaves_habit_strength_alone():
    # Target 7, one session eight days ago: an empty day would pull the score
    # down, a session would lift it; a rest day keeps it where it was.
    practice = [T - 8 * ONE]
    before = score_on(T - ONE, practice, [], 7)
    assert score_on(T, practice, [], 7) < before  # left empty
    assert score_on(T, practice + [T], [], 7) > before  # practised
    assert score_on(T, practice, [T], 7) == before  # rested


def test_rest_day_never_scores_below_the_same_day_left_empty():
    # Target 3 with five sessions in the week: an empty day still raises the
    # score, so a rest day must raise it as much (it used to stay put: 19% ->
    # 18% on the day a missed day was marked as rest while the streak grew).
    practice = span(T - 5 * ONE, T - ONE)
    empty = habit_strength(practice, [], T - ONE, 3)  # today open: anchor yesterday
    left_empty = habit_strength(practice, [], T + ONE, 3)  # anchor: today, empty
    rested = habit_strength(practice, [T], T, 3)
    assert rested > empty
    assert rested == pytest.approx(
        empty * m_for(3) + (1 - m_for(3))  # v = 1: five sessions in the window
    )
    assert left_empty == pytest.approx(rested)


def test_rest_day_with_the_target_met_scores_like_a_practice_day():
    # N=1: practice 1-2 May, rest 3 May, practice 4 May is four updates with
    # v=1, exactly like practising 1-4 May: with a session in the window an
    # empty day already scores v = 1.
    practice = [d("2024-05-01"), d("2024-05-02"), d("2024-05-04")]
    with_rest = habit_strength(practice, [d("2024-05-03")], d("2024-05-04"), 1)
    straight = habit_strength(
        span(d("2024-05-01"), d("2024-05-04")), [], d("2024-05-04"), 1
    )
    assert with_rest == pytest.approx(straight)
    assert with_rest == pytest.approx(1 - m_for(1) ** 4)


@settings(max_examples=200, deadline=None)
@given(today=todays, p=offsets, r=offsets, target=targets, gap=st.integers(0, 60))
def test_a_rest_day_scores_between_an_empty_day_and_a_practice_day(
    today, p, r, target, gap
):
    """Marking a day as rest never leaves strength, on that day or any later
    one, below the same day left empty nor above the same day practised."""
    practice, rest = to_dates(today, p), to_dates(today, r)
    day = today - gap * ONE
    practice = [x for x in practice if x != day]
    rest = [x for x in rest if x != day]
    if not practice:
        practice = [day - 30 * ONE]
    first = min(practice + rest + [day])

    def scores(p, r):
        return [
            f.strength for f in engine.days(p, r, first, today, target) if f.date >= day
        ]

    empty, rested = scores(practice, rest), scores(practice, rest + [day])
    practised = scores(practice + [day], rest)
    for low, middle, high in zip(empty, rested, practised, strict=True):
        assert low - 1e-12 <= middle <= high + 1e-12


def test_missed_days_pull_habit_strength_down():
    practice = span(d("2024-04-01"), d("2024-04-30"))
    after_streak = habit_strength(practice, [], d("2024-04-30"), 7)
    after_week_off = habit_strength(practice, [], d("2024-05-08"), 7)
    assert after_week_off < after_streak


# -- last break --------------------------------------------------------------------


def test_last_break_skips_trailing_rest_days_of_a_finished_run():
    # Practice 1-2 May, rest 3-4 May, 5 May empty; nothing since.
    practice = [d("2024-05-01"), d("2024-05-02")]
    rest = [d("2024-05-03"), d("2024-05-04")]
    stats = compute(practice, rest, T, 3)
    assert stats.current_streak == 0
    assert stats.last_break == Break(gap_day=d("2024-05-05"), ended_on=d("2024-05-06"))


def test_last_break_describes_the_run_before_the_current_one():
    # Run 1-3 May + rest 4 May; gaps 5-6 May; current run 7-15 May.
    practice = span(d("2024-05-01"), d("2024-05-03")) + span(d("2024-05-07"), T)
    stats = compute(practice, [d("2024-05-04")], T, 3)
    assert stats.current_streak == 9
    assert stats.last_break == Break(gap_day=d("2024-05-05"), ended_on=d("2024-05-06"))


def test_no_last_break_while_the_only_run_continues():
    stats = compute(span(T - 4 * ONE, T - ONE), [], T, 3)
    assert stats.current_streak == 4
    assert stats.last_break is None


# -- input handling ----------------------------------------------------------------


def test_duplicates_and_unsorted_input_are_handled():
    practice = [T, T - 2 * ONE, T, T - ONE, T - 2 * ONE, T - ONE]
    rest = [T - 3 * ONE, T - 3 * ONE]
    messy = compute(iter(practice), iter(rest), T, 3)
    clean = compute(sorted(set(practice)), sorted(set(rest)), T, 3)
    assert messy == clean
    assert messy.current_streak == 3
    assert runs(iter(practice), iter(rest), T) == [Run(T - 2 * ONE, T, 3)]


def test_inputs_may_be_generators_consumed_once():
    stats = compute((day for day in [T]), (day for day in []), T, 1)
    assert stats.current_streak == 1


@pytest.mark.parametrize("target", [0, 8, -1, 3.0, "3", True, None])
def test_invalid_weekly_target_raises_value_error(target):
    with pytest.raises(ValueError, match="weekly_target must be an int from 1 to 7"):
        compute([T], [], T, target)


def test_ten_years_of_daily_practice():
    start = d("2015-01-01")
    today = d("2024-12-31")
    practice = span(start, today)
    stats = compute(practice, [], today, 5)
    assert stats.current_streak == len(practice) == 3653
    assert runs(practice, [], today) == [Run(start, today, 3653)]
    # 2015-01-01 is a Thursday, so its week has only 4 days and misses N=5; the
    # current week (from Mon 30 Dec) has 2. Weeks from Mon 5 Jan 2015 to Mon 23 Dec
    # 2024: 3640 days / 7 + 1 = 521.
    assert stats.weekly_streak == 521
    assert stats.consistency == {7: 100, 30: 100, 365: 100}
    assert stats.habit_strength == 100
