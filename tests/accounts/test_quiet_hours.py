"""Quiet hours: a span of the user's clock with no reminder, set on the
preferred-times page."""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from accounts import schedule
from accounts.models import PreferredTime
from tests.html import text

URL = "/accounts/times/"
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


def quiet_by_counting(time, start, end):
    """The slow obvious reference: walk the clock from `start` minute by minute
    until `end`, and see whether `time` is passed on the way."""
    minute = dt.datetime.combine(dt.date(2026, 1, 1), start)
    stop = end.hour * 60 + end.minute
    while minute.hour * 60 + minute.minute != stop:
        if minute.time() == time:
            return True
        minute += dt.timedelta(minutes=1)
    return False


@given(time=times, start=times, end=times)
def test_quiet_hours_hold_the_minutes_from_start_until_end(time, start, end):
    assert schedule.in_quiet_hours(time, start, end) == quiet_by_counting(
        time, start, end
    )


@pytest.mark.parametrize(
    ("time", "quiet"),
    [
        ((21, 59), False),
        ((22, 0), True),
        ((0, 0), True),
        ((6, 59), True),
        ((7, 0), False),
    ],
)
def test_a_span_across_midnight(time, quiet):
    assert schedule.in_quiet_hours(dt.time(*time), dt.time(22), dt.time(7)) is quiet


def test_they_are_off_until_switched_on(alice):
    assert alice.quiet_hours is False
    assert (alice.quiet_from, alice.quiet_until) == (dt.time(22), dt.time(7))
    assert not alice.in_quiet_hours(dt.datetime(2026, 6, 10, 23, tzinfo=dt.UTC))


def test_they_are_read_on_the_users_clock(alice):
    alice.quiet_hours = True
    # 22:30 UTC is 23:30 in London (summer time): quiet there.
    assert alice.in_quiet_hours(dt.datetime(2026, 6, 10, 22, 30, tzinfo=dt.UTC))
    assert not alice.in_quiet_hours(dt.datetime(2026, 6, 10, 20, 30, tzinfo=dt.UTC))


def test_the_page_sets_them(alice_client, alice):
    page = alice_client.get(URL)
    html = page.content.decode()
    assert 'name="quiet_hours"' in html
    assert 'name="quiet_from" value="22:00"' in html
    response = alice_client.post(
        "/accounts/times/reminders/",
        {"quiet_hours": "on", "quiet_from": "21:30", "quiet_until": "06:45"},
    )
    assert response["Location"] == URL + "#reminders"
    alice.refresh_from_db()
    assert alice.quiet_hours is True
    assert (alice.quiet_from, alice.quiet_until) == (dt.time(21, 30), dt.time(6, 45))
    assert "Quiet hours: 21:30 to 06:45." in text(alice_client.get(URL))


@pytest.mark.parametrize("page", [URL, "/accounts/settings/"])
def test_a_preferred_time_inside_them_is_pointed_out(alice_client, alice, page):
    for label, hour in (("Evening", dt.time(21, 30)), ("Morning", dt.time(7, 30))):
        PreferredTime.objects.create(user=alice, label=label, time=hour, weekdays=127)
    assert "No reminder goes out" not in text(alice_client.get(page))
    alice_client.post(
        "/accounts/times/reminders/",
        {"quiet_hours": "on", "quiet_from": "21:00", "quiet_until": "07:00"},
    )
    said = text(alice_client.get(page))
    assert "No reminder goes out at Evening (21:30): it is inside your quiet" in said
    assert "at Morning" not in said


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"quiet_hours": "on", "quiet_from": "22:00", "quiet_until": "22:00"},
            "Quiet hours must end at another time than they start.",
        ),
        (
            {"quiet_hours": "on", "quiet_from": "25:00", "quiet_until": "07:00"},
            "Enter a time like 22:00.",
        ),
    ],
)
@pytest.mark.parametrize("page", ["times", "settings"])
def test_a_bad_span_is_refused_and_nothing_saved(
    alice_client, alice, data, message, page
):
    response = alice_client.post("/accounts/times/reminders/", {**data, "page": page})
    assert response.status_code == 200
    # Said on the page the form was sent from.
    assert response.templates[0].name == f"accounts/{page}.html"
    assert message in text(response)
    assert "Nothing was saved." in text(response)
    alice.refresh_from_db()
    assert alice.quiet_hours is False
    assert (alice.quiet_from, alice.quiet_until) == (dt.time(22), dt.time(7))


ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]


@example(  # 02:30 is skipped in New York that night: it starts at 03:00
    zone="America/New_York",
    slot=dt.time(2, 30),
    day_start=0,
    now=dt.datetime(2026, 3, 8, 7, 10),
)
@example(  # 01:30 happens twice in London: the first one counts
    zone="Europe/London",
    slot=dt.time(1, 30),
    day_start=0,
    now=dt.datetime(2026, 10, 25, 0, 40),
)
@given(
    zone=st.sampled_from(ZONES),
    slot=times,
    day_start=st.integers(0, 23),
    now=st.datetimes(
        min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31)
    ),
)
def test_a_slot_that_just_started_is_inside_the_recent_clock(
    zone, slot, day_start, now
):
    """The reminder run asks the database only for slots inside recent_clock:
    it must never leave out one that recent_starts finds (DST nights too)."""
    tz = zoneinfo.ZoneInfo(zone)
    now = now.replace(tzinfo=dt.UTC).astimezone(tz)
    window = dt.timedelta(minutes=15)
    found = schedule.recent_starts(
        [schedule.Slot("Slot", slot, frozenset(range(7)))], now, day_start, window
    )
    if found:
        start, end = schedule.recent_clock(now, tz, window)
        assert schedule.in_quiet_hours(slot, start, end) or slot == end
