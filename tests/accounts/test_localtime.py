"""accounts.localtime: wall-clock time to instants, practice days, weekday masks."""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import localtime
from accounts.localtime import (
    ALL_DAYS,
    GAP_END,
    SkippedTime,
    aware,
    days_from_mask,
    is_repeated,
    mask_from_days,
    practice_day,
)

NY = zoneinfo.ZoneInfo("America/New_York")


def test_a_plain_time_is_that_time_there():
    start = aware(dt.date(2026, 6, 10), dt.time(21, 0), NY)
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 6, 11, 1, 0, tzinfo=dt.UTC)
    assert not is_repeated(dt.date(2026, 6, 10), dt.time(21, 0), NY)


def test_a_time_the_clocks_skip_raises_or_starts_when_the_gap_ends():
    day, time = dt.date(2026, 3, 8), dt.time(2, 30)
    with pytest.raises(SkippedTime):
        aware(day, time, NY)
    start = aware(day, time, NY, on_gap=GAP_END)
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC)


def test_a_time_the_clocks_show_twice_starts_at_the_first():
    start = aware(dt.date(2026, 11, 1), dt.time(1, 30), NY)
    assert is_repeated(dt.date(2026, 11, 1), dt.time(1, 30), NY)
    assert start.utcoffset() == dt.timedelta(hours=-4)
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)


def test_a_time_read_off_an_instant_keeps_which_of_the_two_it_was():
    second = dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC).astimezone(NY)
    start = aware(second.date(), second.time(), NY)
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)


def test_a_day_a_zone_skipped_entirely():
    # Samoa skipped 30 December 2011; that day's slot starts when the gap ends.
    apia = zoneinfo.ZoneInfo("Pacific/Apia")
    start = aware(dt.date(2011, 12, 30), dt.time(21, 0), apia, on_gap=GAP_END)
    assert start == dt.datetime(2011, 12, 31, 0, 0, tzinfo=apia)


def test_the_practice_day_steps_back_the_day_start_hour():
    late = dt.datetime(2026, 6, 10, 4, 40, tzinfo=dt.UTC)  # 00:40 in New York
    assert practice_day(late, 0, NY) == dt.date(2026, 6, 10)
    assert practice_day(late, 4, NY) == dt.date(2026, 6, 9)
    assert practice_day(late.astimezone(NY), 1) == dt.date(2026, 6, 9)


def test_weekday_masks_round_trip():
    assert mask_from_days([0, 6]) == 0b1000001
    assert days_from_mask(0b1000001) == {0, 6}
    assert days_from_mask(mask_from_days(ALL_DAYS)) == ALL_DAYS
    with pytest.raises(ValueError, match="weekday must be 0..6"):
        mask_from_days([7])


def half_of_day(moment, day_start):
    first, end = localtime.morning(day_start)
    return "morning" if first <= moment.time() < end else "evening"


@given(
    moment=st.datetimes(
        min_value=dt.datetime(2000, 1, 2), max_value=dt.datetime(2099, 12, 30)
    ),
    day_start=st.integers(0, 23),
)
def test_morning_is_the_first_half_of_the_practice_day(moment, day_start):
    # Slowly: the hours since the practice day began, and whether noon is ahead.
    day = localtime.practice_day(moment.replace(tzinfo=dt.UTC), day_start)
    began = dt.datetime.combine(day, dt.time(day_start))
    noon = dt.datetime.combine(day, dt.time(12))
    expected = "morning" if began <= moment < noon else "evening"
    assert half_of_day(moment, day_start) == expected


def test_a_session_after_midnight_before_the_day_starts_is_the_evening_before():
    at = dt.date(2026, 11, 25)
    assert half_of_day(dt.datetime.combine(at, dt.time(0, 40)), 4) == "evening"
    assert half_of_day(dt.datetime.combine(at, dt.time(4, 0)), 4) == "morning"
    assert half_of_day(dt.datetime.combine(at, dt.time(11, 59)), 4) == "morning"
    assert half_of_day(dt.datetime.combine(at, dt.time(12, 0)), 0) == "evening"
