"""accounts.schedule: the next preferred time, on-time rate, slot rules. Pure."""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.localtime import ALL_DAYS
from accounts.schedule import Slot, next_slot, on_time_rate
from streaks.presentation import next_slot_text

NY = zoneinfo.ZoneInfo("America/New_York")
LONDON = zoneinfo.ZoneInfo("Europe/London")
MORNING = Slot("Morning", dt.time(8, 0), ALL_DAYS)
EVENING = Slot("Evening", dt.time(21, 0), ALL_DAYS)
BOTH = [MORNING, EVENING]


def at(*parts, tz=NY):
    return dt.datetime(*parts, tzinfo=tz)


def text(now, slots=BOTH, day_start=0, done=False):
    found = next_slot(slots, now, day_start, done)
    return next_slot_text(found) if found else None


# -- next_slot: before, during and after a slot ----------------------------------


@pytest.mark.parametrize(
    ("now", "done", "expected"),
    [
        (
            at(2026, 6, 10, 18, 50),
            False,
            "Next session: today at 21:00 (in 2 h 10 min)",
        ),
        (at(2026, 6, 10, 20, 59), False, "Next session: today at 21:00 (in 1 min)"),
        (at(2026, 6, 10, 21, 0), False, "Due now (21:00)"),
        (at(2026, 6, 10, 21, 59), False, "Due now (21:00)"),
        (at(2026, 6, 10, 22, 0), False, "Next session: tomorrow at 08:00 (in 10 h)"),
        (
            at(2026, 6, 10, 22, 55),
            False,
            "Next session: tomorrow at 08:00 (in 9 h 5 min)",
        ),
        (at(2026, 6, 10, 21, 30), True, "Next session: tomorrow at 08:00"),
        (at(2026, 6, 10, 6, 0), True, "Next session: tomorrow at 08:00"),
        (at(2026, 6, 10, 6, 0), False, "Next session: today at 08:00 (in 2 h)"),
    ],
)
def test_before_during_and_after_a_slot(now, done, expected):
    assert text(now, done=done) == expected


def test_seconds_round_the_wait_up_to_the_next_minute():
    assert (
        text(at(2026, 6, 10, 20, 58, 30)) == "Next session: today at 21:00 (in 2 min)"
    )


def test_a_slot_on_some_weekdays_is_named_by_its_day():
    weekend = [Slot("Weekend", dt.time(8, 0), frozenset({5, 6}))]
    thursday = at(2026, 6, 11, 9, 0)
    assert text(thursday, weekend) == "Next session: Saturday at 08:00 (in 2 days)"
    found = next_slot(weekend, thursday, 0, False)
    assert (found.state, found.label, found.start) == (
        "next",
        "Weekend",
        at(2026, 6, 13, 8, 0),
    )


def test_the_same_weekday_a_week_ahead_says_next():
    mondays = [Slot("Monday", dt.time(8, 0), frozenset({0}))]
    monday_noon = at(2026, 6, 8, 12, 0)
    assert (
        text(monday_noon, mondays) == "Next session: next Monday at 08:00 (in 7 days)"
    )
    assert text(monday_noon, mondays, done=True) == (
        "Next session: next Monday at 08:00"
    )


def test_no_slots_means_nothing_to_show():
    assert next_slot([], at(2026, 6, 10, 12, 0), 0, False) is None


def test_now_must_be_aware():
    with pytest.raises(ValueError, match="must be aware"):
        next_slot(BOTH, dt.datetime(2026, 6, 10, 12, 0), 0, False)  # noqa: DTZ001


def test_the_latest_started_slot_is_the_one_due():
    close = [Slot("A", dt.time(20, 30), ALL_DAYS), Slot("B", dt.time(21, 0), ALL_DAYS)]
    assert text(at(2026, 6, 10, 21, 10), close) == "Due now (21:00)"


# -- across midnight and with a day start ----------------------------------------


def test_a_slot_just_after_midnight_is_today_until_it_starts():
    late = [Slot("Late", dt.time(0, 30), ALL_DAYS)]
    assert text(at(2026, 6, 10, 23, 50), late) == (
        "Next session: tomorrow at 00:30 (in 40 min)"
    )
    assert text(at(2026, 6, 11, 0, 45), late) == "Due now (00:30)"


def test_with_a_day_start_of_4_a_late_slot_belongs_to_the_evening_before():
    late = [Slot("Late", dt.time(1, 0), ALL_DAYS)]
    # Tuesday 23:00 with the day starting at 04:00: the 01:00 slot of Wednesday
    # morning is part of Tuesday's practice day.
    assert text(at(2026, 6, 9, 23, 0), late, day_start=4) == (
        "Next session: today at 01:00 (in 2 h)"
    )
    # Practised at 22:00: the next slot of a later practice day is Thursday 01:00.
    found = next_slot(late, at(2026, 6, 9, 23, 0), 4, True)
    assert next_slot_text(found) == "Next session: tomorrow at 01:00"
    assert found.start == at(2026, 6, 11, 1, 0)
    # At 01:30 the slot is due; it is still Tuesday's practice day.
    assert text(at(2026, 6, 10, 1, 30), late, day_start=4) == "Due now (01:00)"


def test_with_a_day_start_of_4_done_at_one_in_the_morning_means_yesterday():
    found = next_slot(BOTH, at(2026, 6, 10, 1, 0), 4, True)
    # 01:00 Wednesday is still Tuesday: the next slot of a later day is 08:00.
    assert next_slot_text(found) == "Next session: tomorrow at 08:00"
    assert found.start == at(2026, 6, 10, 8, 0)


def test_a_slot_before_the_day_start_is_not_due_for_the_new_day():
    early = [Slot("Early", dt.time(3, 50), ALL_DAYS)]
    # 04:10: the 03:50 start belonged to yesterday, which is over.
    found = next_slot(early, at(2026, 6, 10, 4, 10), 4, False)
    assert found.state == "next"
    assert found.start == at(2026, 6, 11, 3, 50)


# -- across DST changes ----------------------------------------------------------


def test_a_slot_stays_at_its_wall_clock_time_across_dst():
    # New York falls back on 1 November 2026 and springs forward on 14 March 2027.
    assert next_slot(BOTH, at(2026, 10, 31, 22, 0), 0, False).start == at(
        2026, 11, 1, 8, 0
    )
    sunday_evening = next_slot(BOTH, at(2026, 11, 1, 12, 0), 0, False)
    assert sunday_evening.start == at(2026, 11, 1, 21, 0)
    assert sunday_evening.start.utcoffset() == dt.timedelta(hours=-5)
    # 18:50 to 21:00 is 2 h 10 min by the clock and by the stopwatch.
    assert (
        text(at(2026, 11, 1, 18, 50)) == "Next session: today at 21:00 (in 2 h 10 min)"
    )


def test_the_hours_until_a_slot_count_real_time_over_a_dst_night():
    # 22:00 Saturday to 08:00 Sunday is 11 real hours when the clocks go back.
    assert text(at(2026, 10, 31, 22, 0)) == "Next session: tomorrow at 08:00 (in 11 h)"
    # And 9 when they go forward.
    assert text(at(2027, 3, 13, 22, 0)) == "Next session: tomorrow at 08:00 (in 9 h)"


def test_a_time_the_clocks_skip_starts_when_the_gap_ends():
    gap = [Slot("Night", dt.time(2, 30), ALL_DAYS)]
    found = next_slot(gap, at(2026, 3, 8, 1, 0), 0, False)
    assert found.start == dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC)  # 03:00 EDT
    assert next_slot_text(found) == "Next session: today at 03:00 (in 1 h)"
    assert text(at(2026, 3, 8, 3, 10), gap) == "Due now (03:00)"


# -- property test against a minute-by-minute reference -------------------------

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Europe/Dublin",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/Santiago",
    "Asia/Kolkata",
    "Pacific/Apia",
]


def reference(slots, now, day_start, done):
    """Walk the clock a minute at a time, from a day before `now`, and note when
    each slot's wall-clock time is first reached: that is when it starts (a
    skipped time is reached when the clocks jump past it)."""
    tz = now.tzinfo
    shift = dt.timedelta(hours=day_start)
    today = (now.replace(tzinfo=None) - shift).date()
    fired = set()
    due = None
    now_utc = now.astimezone(dt.UTC)
    moment = now_utc.replace(second=0, microsecond=0)
    moment -= dt.timedelta(days=1)
    end = now_utc + dt.timedelta(days=10)
    while moment <= end:
        wall = moment.astimezone(tz).replace(tzinfo=None)
        starting = []
        for day in (wall.date() - dt.timedelta(days=1), wall.date()):
            for index, (label, time, weekdays) in enumerate(slots):
                key = (day, index)
                if (
                    day.weekday() in weekdays
                    and key not in fired
                    and wall >= dt.datetime.combine(day, time)
                ):
                    fired.add(key)
                    starting.append((index, label))
        start_day = (wall - shift).date()
        for _, label in sorted(starting):  # slots starting together: list order
            just_started = dt.timedelta(0) <= now_utc - moment < dt.timedelta(hours=1)
            if not done and start_day == today and just_started:
                due = ("due", label, moment)
            if moment > now_utc and (not done or start_day > today):
                if due:
                    return due
                return ("done" if done else "next", label, moment)
        moment += dt.timedelta(minutes=1)
    return due


def summary(found):
    """What the reference computes: state, label and the start in UTC."""
    return (found.state, found.label, found.start.astimezone(dt.UTC))


# Whole-minute times, often the ones DST changes skip or repeat, and midnight.
EDGE_TIMES = st.sampled_from(
    [dt.time(0, 0), dt.time(0, 30), dt.time(1, 30), dt.time(2, 0), dt.time(2, 30)]
    + [dt.time(3, 0), dt.time(3, 59), dt.time(23, 30), dt.time(23, 59)]
)
ANY_TIME = st.times().map(lambda t: t.replace(second=0, microsecond=0))


def slot_lists(times):
    return st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "D"]),
            times,
            st.frozensets(st.integers(0, 6), min_size=1),
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda s: s[1],
    )


@st.composite
def cases(draw, zones, days, times=ANY_TIME | EDGE_TIMES):
    """Slots, and a moment near one of their starts (where the edges are)."""
    slots = [Slot(*slot) for slot in draw(slot_lists(times))]
    tz = zoneinfo.ZoneInfo(draw(zones))
    near = draw(st.sampled_from(slots)).time
    edges = st.sampled_from([-61, -60, -59, -1, 0, 1, 59, 60, 61])
    minutes = draw(edges | st.integers(-150, 150))
    seconds = draw(st.just(0) | st.integers(0, 59))
    base = dt.datetime.combine(draw(days), near, tzinfo=tz).replace(
        fold=draw(st.sampled_from([0, 1]))
    )
    # Offset in real time, through UTC: `now` may fall in either pass of a
    # repeated hour, and never in a skipped one.
    offset = dt.timedelta(minutes=minutes, seconds=seconds)
    now = (base.astimezone(dt.UTC) + offset).astimezone(tz)
    return slots, now, draw(st.sampled_from([0, 4, 23])), draw(st.booleans())


@settings(max_examples=150, deadline=None)
@given(
    cases(
        st.sampled_from(ZONES),
        st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2035, 12, 31)),
    )
)
def test_next_slot_matches_a_minute_by_minute_walk(case):
    slots, now, day_start, done = case
    assert summary(next_slot(slots, now, day_start, done)) == reference(
        slots, now, day_start, done
    )


# The days New York changes its clocks (twice the weight), and the days around.
DST_DAYS = [dt.date(2026, 3, d) for d in (7, 8, 8, 9)] + [
    dt.date(2026, 10, 31),
    dt.date(2026, 11, 1),
    dt.date(2026, 11, 1),
    dt.date(2026, 11, 2),
]


@settings(max_examples=150, deadline=None)
@given(
    cases(
        st.just("America/New_York"),
        st.sampled_from(DST_DAYS),
        times=EDGE_TIMES | EDGE_TIMES | ANY_TIME,
    )
)
def test_next_slot_around_new_york_dst_changes(case):
    slots, now, day_start, done = case
    assert summary(next_slot(slots, now, day_start, done)) == reference(
        slots, now, day_start, done
    )


# -- on-time rate ----------------------------------------------------------------


def test_on_time_rate_on_a_constructed_history():
    starts = [
        at(2026, 6, 1, 8, 30, tz=LONDON),  # Morning, 30 min late
        at(2026, 6, 2, 7, 0, tz=LONDON),  # Morning, 60 min early: still on time
        at(2026, 6, 3, 6, 59, tz=LONDON),  # 61 min early: not on time
        at(2026, 6, 3, 21, 5, tz=LONDON),  # Evening
        at(2026, 6, 4, 8, 0, tz=LONDON),  # Morning, on the dot
        at(2026, 6, 4, 14, 0, tz=LONDON),  # no slot near
        # Saturday 09:30: the weekday slot is off on Saturdays, the weekend slot
        # is at 10:00.
        at(2026, 6, 6, 9, 30, tz=LONDON),
        at(2026, 6, 8, 22, 1, tz=LONDON),  # Evening, 61 min late: not on time
    ]
    slots = [
        Slot("Morning", dt.time(8, 0), frozenset(range(5))),
        Slot("Evening", dt.time(21, 0), ALL_DAYS),
        Slot("Weekend", dt.time(10, 0), frozenset({5, 6})),
    ]
    rate, best, counts = on_time_rate(starts, slots, LONDON)
    assert counts == {"Morning": 3, "Evening": 1, "Weekend": 1}
    assert best == "Morning"
    assert rate == 63  # 5 of 8, 62.5 rounded half up


def test_on_time_rate_reads_slots_in_the_current_zone():
    # 21:00 in London is 16:00 in New York: a New York 16:00 session is on time
    # for a London user, a London 16:00 one is not.
    in_new_york = at(2026, 6, 10, 16, 0)
    rate, best, _ = on_time_rate([in_new_york], [EVENING], LONDON)
    assert (rate, best) == (100, "Evening")
    assert on_time_rate([in_new_york], [EVENING], NY)[:2] == (0, None)


def test_a_session_after_midnight_keeps_the_slot_of_the_day_before():
    sunday_only = [Slot("Late", dt.time(23, 30), frozenset({6}))]
    monday_0020 = at(2026, 6, 8, 0, 20)
    assert on_time_rate([monday_0020], sunday_only, NY)[0] == 100


def test_a_session_between_two_slots_counts_for_the_nearer_once():
    close = [Slot("A", dt.time(20, 0), ALL_DAYS), Slot("B", dt.time(21, 0), ALL_DAYS)]
    rate, best, counts = on_time_rate([at(2026, 6, 10, 20, 40)], close, NY)
    assert (rate, best, counts) == (100, "B", {"A": 0, "B": 1})


def test_a_tie_for_most_kept_goes_to_the_earlier_slot():
    starts = [at(2026, 6, 10, 8, 0), at(2026, 6, 10, 21, 0)]
    assert on_time_rate(starts, BOTH, NY) == (
        100,
        "Morning",
        {"Morning": 1, "Evening": 1},
    )


def test_no_sessions_or_no_slots_give_no_rate():
    assert on_time_rate([], BOTH, NY) == (None, None, {"Morning": 0, "Evening": 0})
    assert on_time_rate([at(2026, 6, 10, 8, 0)], [], NY) == (None, None, {})


# -- slot rules and storage ------------------------------------------------------
