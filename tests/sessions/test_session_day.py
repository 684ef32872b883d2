"""A session's day: its local date where it was logged, shifted by the day start."""

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from accounts import localtime
from accounts.models import User
from sessions.models import MassageSession
from tests.factories import builtin, log_session

URL = "/sessions/new/"
LATER = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def post_session(client, day, time):
    return client.post(
        URL,
        {
            "date": day,
            "start_time": time,
            "duration_minutes": "10",
            "techniques": [builtin("warm-up").pk],
            "comfort": "4",
            "token": str(uuid.uuid4()),
        },
        follow=True,
    )


@pytest.fixture
def later():
    with time_machine.travel(LATER, tick=False):
        yield


@pytest.mark.usefixtures("later")
@pytest.mark.parametrize(
    ("zone", "day", "time", "day_start", "expected"),
    [
        # Ordinary days, both sides of midnight.
        ("America/New_York", "2026-06-10", "23:30", 0, "2026-06-10"),
        ("America/New_York", "2026-06-11", "00:30", 0, "2026-06-11"),
        ("America/New_York", "2026-06-10", "23:30", 4, "2026-06-10"),
        ("America/New_York", "2026-06-11", "00:30", 4, "2026-06-10"),
        ("Pacific/Auckland", "2026-06-10", "23:30", 0, "2026-06-10"),
        ("Pacific/Auckland", "2026-06-11", "00:30", 0, "2026-06-11"),
        ("Pacific/Auckland", "2026-06-10", "23:30", 4, "2026-06-10"),
        ("Pacific/Auckland", "2026-06-11", "00:30", 4, "2026-06-10"),
        # New York springs forward on 8 March 2026 (02:00 -> 03:00)...
        ("America/New_York", "2026-03-07", "23:30", 4, "2026-03-07"),
        ("America/New_York", "2026-03-08", "00:30", 0, "2026-03-08"),
        ("America/New_York", "2026-03-08", "00:30", 4, "2026-03-07"),
        ("America/New_York", "2026-03-08", "03:30", 4, "2026-03-07"),
        ("America/New_York", "2026-03-08", "04:00", 4, "2026-03-08"),
        # ...and falls back on 1 November 2026 (02:00 -> 01:00).
        ("America/New_York", "2026-10-31", "23:30", 0, "2026-10-31"),
        ("America/New_York", "2026-11-01", "00:30", 0, "2026-11-01"),
        ("America/New_York", "2026-11-01", "01:30", 4, "2026-10-31"),
        ("America/New_York", "2026-11-01", "04:30", 4, "2026-11-01"),
        # Auckland falls back on 5 April 2026 (03:00 -> 02:00)...
        ("Pacific/Auckland", "2026-04-04", "23:30", 0, "2026-04-04"),
        ("Pacific/Auckland", "2026-04-05", "00:30", 4, "2026-04-04"),
        ("Pacific/Auckland", "2026-04-05", "02:30", 0, "2026-04-05"),
        # ...and springs forward on 27 September 2026 (02:00 -> 03:00).
        ("Pacific/Auckland", "2026-09-26", "23:30", 4, "2026-09-26"),
        ("Pacific/Auckland", "2026-09-27", "00:30", 4, "2026-09-26"),
        ("Pacific/Auckland", "2026-09-27", "03:30", 4, "2026-09-26"),
        ("Pacific/Auckland", "2026-09-27", "04:30", 4, "2026-09-27"),
    ],
)
def test_a_session_counts_for_its_local_day_shifted_by_the_day_start(
    client, db, zone, day, time, day_start, expected
):
    user = User.objects.create_user(
        "traveller", timezone=zone, day_start_hour=day_start
    )
    client.force_login(user)
    response = post_session(client, day, time)
    assert response.status_code == 200
    session = MassageSession.objects.get()
    assert session.local_date.isoformat() == expected
    local = session.started_at.astimezone(zoneinfo.ZoneInfo(zone))
    assert (local.date().isoformat(), local.strftime("%H:%M")) == (day, time)


@pytest.mark.usefixtures("later")
def test_a_time_the_clocks_skip_is_refused(client, db):
    user = User.objects.create_user("nyc", timezone="America/New_York")
    client.force_login(user)
    response = post_session(client, "2026-03-08", "02:30")
    assert "does not exist" in response.context["form"].errors["start_time"][0]
    assert MassageSession.objects.count() == 0


@pytest.mark.usefixtures("later")
def test_a_time_the_clocks_show_twice_counts_as_the_earlier_instant(client, db):
    user = User.objects.create_user("nyc", timezone="America/New_York")
    client.force_login(user)
    response = post_session(client, "2026-11-01", "01:30")
    session = MassageSession.objects.get()
    # 01:30 EDT (UTC-4), not 01:30 EST (UTC-5).
    assert session.started_at == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)
    assert "we counted the earlier one" in response.content.decode()


@pytest.mark.usefixtures("later")
def test_a_session_logged_in_tokyo_keeps_its_day_after_a_move(client, db):
    user = User.objects.create_user(
        "kei", timezone="Asia/Tokyo", email="kei@example.com"
    )
    client.force_login(user)
    post_session(client, "2026-06-10", "08:00")  # 2026-06-09 23:00 UTC
    session = MassageSession.objects.get()
    assert session.local_date == dt.date(2026, 6, 10)

    client.post(
        "/accounts/settings/",
        {
            "email": "kei@example.com",
            "timezone": "America/Los_Angeles",
            "day_start_hour": "0",
            "weekly_target": "7",
        },
    )
    user.refresh_from_db()
    assert user.timezone == "America/Los_Angeles"
    session.refresh_from_db()
    assert session.local_date == dt.date(2026, 6, 10)

    # The list shows the wall-clock time where it happened.
    listing = client.get("/sessions/").content.decode()
    assert "08:00" in listing
    assert "Asia/Tokyo" in listing

    # Editing reads the date and time in the session's own zone.
    edit = client.get(f"/sessions/{session.pk}/edit/")
    assert edit.context["form"].initial["start_time"] == dt.time(8, 0)
    client.post(
        f"/sessions/{session.pk}/edit/",
        {
            "date": "2026-06-10",
            "start_time": "08:00",
            "duration_minutes": "15",
            "techniques": [builtin("arch").pk],
            "comfort": "5",
            "token": edit.context["form"].initial["token"],
        },
    )
    session.refresh_from_db()
    assert session.duration_minutes == 15
    assert session.timezone == "Asia/Tokyo"
    assert session.local_date == dt.date(2026, 6, 10)
    assert session.started_at == dt.datetime(2026, 6, 9, 23, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_the_factory_agrees_with_the_form(alice_client, alice, later):
    alice.timezone, alice.day_start_hour = "America/New_York", 4
    alice.save()
    post_session(alice_client, "2026-06-11", "00:30")
    logged = MassageSession.objects.get(user=alice)
    made = log_session(alice, dt.datetime(2026, 6, 11, 0, 30))
    assert (made.started_at, made.timezone, made.local_date) == (
        logged.started_at,
        logged.timezone,
        logged.local_date,
    )
    assert made.local_date == dt.date(2026, 6, 10)  # before the 04:00 day start


ZONES = [
    "UTC",
    "America/New_York",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Europe/London",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
]


@given(
    instant=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2040, 1, 1),
        timezones=st.just(dt.UTC),
    ),
    zone=st.sampled_from(ZONES),
    day_start=st.integers(0, 23),
)
def test_the_practice_day_matches_the_plain_rule(instant, zone, day_start):
    tz = zoneinfo.ZoneInfo(zone)
    local = instant.astimezone(tz)
    expected = local.date() - dt.timedelta(days=1 if local.hour < day_start else 0)
    assert localtime.practice_day(instant, day_start, tz) == expected
    user = User(timezone=zone, day_start_hour=day_start)
    assert user.today(now=instant) == expected
