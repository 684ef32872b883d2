"""The older days cached by history.load: logging today's session keeps them,
every other change to them is seen at once, and a cached load always equals
one read from the database."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from sessions.models import MassageSession
from streaks import history
from streaks.models import RestDay
from streaks.signals import bump_data_version
from tests.conftest import make_user
from tests.factories import log_session
from tests.html import figures

NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def versions(user):
    return User.objects.values_list("data_version", "history_version").get(pk=user.pk)


def fresh(user):
    """The history as read from the database alone."""
    cache.clear()
    return history.load(User.objects.get(pk=user.pk), TODAY)


def at(days_ago, hour=20):
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(hour))


def test_the_older_days_start_at_the_first_of_last_month_at_least_four_weeks_back():
    for offset in range(366 * 2):
        today = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        start = history.older_days_end(today)
        assert start.day == 1
        assert 28 <= (today - start).days <= 62


@pytest.mark.django_db
def test_logging_a_recent_session_keeps_the_older_days_and_shows_at_once(
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
        assert figures(alice_client.get("/"))["Current streak"] == "90 days"
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
        # Deleting an old session, or marking an old rest day, bumps them too: the
        # rest day bridges the gap (and, being rest, adds no day to the streak).
        moved.delete()
        RestDay.objects.create(user=alice, date=TODAY - dt.timedelta(days=100))
        assert versions(alice)[1] == older + 3
        assert figures(alice_client.get("/"))["Longest streak"] == "119 days"
        # Bulk writes (imports, seed_demo) bump both by hand.
        bump_data_version(alice.pk)
        assert versions(alice)[1] == older + 4


# One operation on the logbook: what, and on which day (days before TODAY).
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
@given(operations)
def test_a_cached_history_always_equals_one_read_from_the_database(steps):
    with time_machine.travel(NOW, tick=False):
        user = make_user(f"u{User.objects.count()}", timezone="Europe/London")
        for days_ago in (3, 40, 70, 100):
            log_session(user, at(days_ago))
        for kind, days_ago, pick in steps:
            history.load(User.objects.get(pk=user.pk), TODAY)  # fill the cache
            day = TODAY - dt.timedelta(days=days_ago)
            sessions = list(MassageSession.objects.filter(user=user).order_by("pk"))
            rests = list(RestDay.objects.filter(user=user).order_by("pk"))
            if kind == "log":
                log_session(user, at(days_ago))
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
            cached = history.load(User.objects.get(pk=user.pk), TODAY)
            assert cached == fresh(user)
