"""The older days cached by history.load: logging a recent session keeps them,
every other change to them is seen at once, and a cached load always equals
one read from the database, in any zone and on any day."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import localtime
from accounts.models import User
from sessions.models import MassageSession
from streaks import history
from streaks.models import RestDay
from streaks.signals import bump_versions
from tests.conftest import make_user
from tests.factories import log_session
from tests.html import figures

NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
# The zones furthest ahead of and behind UTC, and one with summer time.
ZONES = ["Pacific/Kiritimati", "Pacific/Niue", "Europe/London"]


def versions(user):
    return User.objects.values_list("data_version", "history_version").get(pk=user.pk)


def load(user):
    user = User.objects.get(pk=user.pk)
    return history.load(user, user.today())


def fresh(user):
    """The history as read from the database alone."""
    cache.clear()
    return load(user)


def at(days_ago, hour=20, today=TODAY):
    return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour))


def test_the_recent_days_start_at_the_first_of_last_month_four_to_nine_weeks_back():
    for offset in range(366 * 2):
        today = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        start = history.first_recent_day(today)
        assert start.day == 1
        assert 28 <= (today - start).days <= 62


@settings(max_examples=300)
@given(
    now=st.datetimes(
        min_value=dt.datetime(2001, 1, 1), max_value=dt.datetime(2099, 12, 31)
    ),
    zone=st.sampled_from(ZONES),
    day_start=st.integers(0, 23),
)
def test_a_day_recent_enough_to_keep_the_older_days_is_never_one_of_them(
    now, zone, day_start
):
    now = now.replace(tzinfo=dt.UTC)
    user_today = localtime.practice_day(now, day_start, zoneinfo.ZoneInfo(zone))
    oldest_recent = now.date() - dt.timedelta(days=history.RECENT_DAYS)
    with time_machine.travel(now, tick=False):
        assert history.is_recent(oldest_recent)
        assert not history.is_recent(oldest_recent - dt.timedelta(days=1))
    assert oldest_recent >= history.first_recent_day(user_today)


@pytest.mark.django_db
def test_after_logging_a_session_only_the_recent_days_are_read_again(
    alice, alice_client
):
    for days_ago in range(1, 90):
        log_session(alice, at(days_ago))
    with time_machine.travel(NOW, tick=False):
        assert figures(alice_client.get("/"))["Current streak"] == "89 days"
        data, older = versions(alice)
        log_session(alice, at(0))
        assert versions(alice)[0] > data
        assert versions(alice)[1] == older
        with CaptureQueriesContext(connection) as queries:
            assert figures(alice_client.get("/"))["Current streak"] == "90 days"
        since = history.first_recent_day(TODAY).isoformat()
        day_queries = [q["sql"] for q in queries if "GROUP BY" in q["sql"]]
        assert len(day_queries) == 1
        assert since in day_queries[0]
        RestDay.objects.create(user=alice, date=TODAY + dt.timedelta(days=1))
        assert versions(alice)[1] == older


@pytest.mark.django_db
def test_changes_to_older_days_show_at_once(alice, alice_client):
    sessions = [log_session(alice, at(days_ago)) for days_ago in range(0, 120)]
    with time_machine.travel(NOW, tick=False):
        assert figures(alice_client.get("/"))["Longest streak"] == "120 days"
        # An edit may move a session from any day: it bumps the older days.
        _, older = versions(alice)
        moved = sessions[100]
        moved.local_date = TODAY - dt.timedelta(days=200)
        moved.save()
        assert versions(alice)[1] == older + 1
        assert figures(alice_client.get("/"))["Longest streak"] == "100 days"
        # Deleting a session, or marking an old rest day, bumps them too: the
        # rest day bridges the gap (and, being rest, adds no day to the streak).
        moved.delete()
        RestDay.objects.create(user=alice, date=TODAY - dt.timedelta(days=100))
        assert versions(alice)[1] == older + 3
        assert figures(alice_client.get("/"))["Longest streak"] == "119 days"
        # Bulk writes (imports, seed_demo) bump both by hand.
        bump_versions(alice.pk)
        assert versions(alice)[1] == older + 4


@pytest.mark.django_db
def test_deleting_through_a_stale_copy_of_a_moved_session_shows_at_once(alice):
    """Two tabs: one moves today's session back two years, the other, which
    loaded it before the move, deletes it."""
    with time_machine.travel(NOW, tick=False):
        session = log_session(alice, at(0))
        stale = MassageSession.objects.get(pk=session.pk)
        session.local_date = TODAY - dt.timedelta(days=730)
        session.save()
        load(alice)  # the older days, cached with the moved session
        stale.delete()
        assert load(alice) == fresh(alice)
        assert load(alice).days == {}


# One operation on the logbook: what, on which day (days before today), and
# which existing session or rest day it picks.
operations = st.lists(
    st.tuples(
        st.sampled_from(["log", "edit", "delete", "rest", "unrest"]),
        st.integers(min_value=-1, max_value=150),
        st.integers(min_value=0, max_value=1000),
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=operations,
    zone=st.sampled_from(ZONES),
    day_start=st.integers(0, 23),
    # Around the turn of a month, when the recent days start later.
    now=st.sampled_from(
        [
            dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC),
            dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC),
            dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC),
        ]
    ),
)
def test_a_cached_history_always_equals_one_read_from_the_database(
    steps, zone, day_start, now
):
    with time_machine.travel(now, tick=False):
        user = make_user(
            f"u{User.objects.count()}", timezone=zone, day_start_hour=day_start
        )
        today = user.today()
        for days_ago in (3, 40, 70, 100):
            log_session(user, at(days_ago, today=today))
        for kind, days_ago, pick in steps:
            load(user)  # fill the cache
            day = today - dt.timedelta(days=days_ago)
            sessions = list(MassageSession.objects.filter(user=user).order_by("pk"))
            rests = list(RestDay.objects.filter(user=user).order_by("pk"))
            if kind == "log":
                log_session(user, at(days_ago, today=today))
            elif kind == "edit" and sessions:
                session = sessions[pick % len(sessions)]
                session.local_date, session.duration_minutes = day, 5 + pick % 20
                session.save()
            elif kind == "delete" and sessions:
                sessions[pick % len(sessions)].delete()
            elif kind == "rest" and not RestDay.objects.filter(user=user, date=day):
                RestDay.objects.create(user=user, date=day)
            elif kind == "unrest" and rests:
                rests[pick % len(rests)].delete()
            assert load(user) == fresh(user)
