"""The stored days (sessions.days) always hold what the engine makes of the
whole logbook, whatever sequence of writes came before; and the pages read
today's figures from them exactly as the engine computes them."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions import days, engine
from sessions.models import Day, MassageSession, Pause, RestDay
from streaks import history
from tests.conftest import make_user
from tests.factories import builtin, log_session, rest_day

NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)  # 21:00 in London
TODAY = dt.date(2026, 11, 25)
users = itertools.count()


def whole_history(user):
    """The engine's figures for every day of `user`'s logbook, from scratch."""
    practice = set(
        MassageSession.objects.for_user(user).values_list("local_date", flat=True)
    )
    rest = set(RestDay.objects.for_user(user).values_list("date", flat=True))
    rest |= Pause.objects.for_user(user).dates()  # paused days bridge like rest
    if not practice | rest:
        return []
    user.refresh_from_db()
    first, last = min(practice | rest), max(practice | rest)
    return engine.days(practice, rest, first, last, user.weekly_target)


def stored(user):
    return [day.figures() for day in Day.objects.for_user(user).order_by("date")]


def check(user):
    figures = whole_history(user)
    assert stored(user) == figures
    paused = Pause.objects.for_user(user).dates()
    for row in Day.objects.for_user(user):
        assert row.paused == (row.rest and row.date in paused)
        sessions = MassageSession.objects.for_user(user).filter(local_date=row.date)
        assert row.sessions == sessions.count()
        assert row.minutes == sum(s.duration_minutes or 0 for s in sessions)
    user.refresh_from_db()
    practice = {day.date for day in figures if day.practised}
    rest = {day.date for day in figures if day.rest}
    expected = engine.compute(practice, rest, TODAY, user.weekly_target)
    assert history.recent(user, TODAY).stats == expected


offsets = st.integers(min_value=-1, max_value=45)  # days before today
step = st.one_of(
    st.tuples(st.just("log"), offsets, st.integers(1, 180)),
    st.tuples(st.just("edit"), st.integers(0, 20), offsets),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("rest"), offsets),
    st.tuples(st.just("unrest"), st.integers(0, 20)),
    st.tuples(st.just("pause"), offsets, st.integers(0, 12)),
    st.tuples(st.just("end pause"), st.integers(0, 20)),
    st.tuples(st.just("unpause"), st.integers(0, 20)),
    st.tuples(st.just("import"), st.lists(offsets, min_size=1, max_size=5)),
    st.tuples(st.just("target"), st.integers(1, 7)),
    st.tuples(st.just("zone"), st.sampled_from(["Asia/Tokyo", "America/Denver"])),
    st.tuples(st.just("day start"), st.integers(0, 23)),
)


def run(client, user, action, *args):
    mine = MassageSession.objects.for_user(user).order_by("pk")
    rests = RestDay.objects.for_user(user).order_by("pk")
    pauses = Pause.objects.for_user(user).order_by("pk")
    if action == "log":
        back, minutes = args
        start = dt.datetime.combine(TODAY - dt.timedelta(days=back), dt.time(20, 30))
        log_session(user, min(start, dt.datetime(2026, 11, 25, 21, 0)), minutes=minutes)
    elif action == "edit" and mine.exists():
        session = mine[args[0] % mine.count()]
        day = TODAY - dt.timedelta(days=args[1])
        client.post(
            f"/sessions/{session.pk}/edit/",
            {
                "date": day.isoformat(),
                "start_time": "07:15",
                "duration_minutes": "12",
                "techniques": [builtin("arch").pk],
                "comfort": "3",
                "token": str(session.submission_token),
            },
        )
    elif action == "delete" and mine.exists():
        client.post(f"/sessions/{mine[args[0] % mine.count()].pk}/delete/")
    elif action == "rest":
        client.post(
            "/sessions/rest-days/",
            {"date": (TODAY - dt.timedelta(days=args[0])).isoformat()},
        )
    elif action == "unrest" and rests.exists():
        client.post(f"/sessions/rest-days/{rests[args[0] % rests.count()].pk}/delete/")
    elif action == "pause":
        start = TODAY - dt.timedelta(days=args[0])
        client.post(
            "/sessions/pauses/new/",
            {
                "pause-start": start.isoformat(),
                "pause-end": (start + dt.timedelta(days=args[1])).isoformat(),
                "pause-reason": "illness",
            },
        )
    elif action in ("end pause", "unpause") and pauses.exists():
        which = pauses[args[0] % pauses.count()].pk
        verb = "end" if action == "end pause" else "delete"
        client.post(f"/sessions/pauses/{which}/{verb}/")
    elif action == "import":
        # As transfer.importer writes an import: in bulk, then the days from
        # the first one it adds.
        dates = sorted({TODAY - dt.timedelta(days=back) for back in args[0]})
        with transaction.atomic():
            days.lock(user)
            MassageSession.objects.bulk_log(
                user, [{"local_date": day, "timezone": user.timezone} for day in dates]
            )
            days.refresh(user, since=dates[0])
    elif action == "target":
        client.post("/sessions/weekly-target/", {"weekly_target": args[0]})
    elif action == "zone":
        client.post(
            "/accounts/settings/",
            {"email": user.email, "timezone": args[0], "day_start_hour": "0"},
        )
    elif action == "day start":
        client.post(
            "/accounts/settings/",
            {
                "email": user.email,
                "timezone": "Europe/London",
                "day_start_hour": args[0],
            },
        )


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, max_size=14))
def test_the_stored_days_are_the_engines_after_any_writes(steps):
    user = make_user(f"walker{next(users)}", timezone="Europe/London")
    client = Client()
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        for action, *args in steps:
            run(client, user, action, *args)
            user.refresh_from_db()
        check(user)


@pytest.mark.django_db
def test_a_long_gap_then_a_session_fills_the_empty_days(alice):
    with time_machine.travel(NOW, tick=False):
        log_session(alice, dt.datetime(2026, 9, 1, 20, 0))
        log_session(alice, dt.datetime(2026, 11, 25, 20, 0))
        rows = list(Day.objects.for_user(alice).order_by("date"))
        assert [rows[0].date, rows[-1].date, len(rows)] == [
            dt.date(2026, 9, 1),
            TODAY,
            86,
        ]
        assert [row.sessions for row in rows[1:-1]] == [0] * 84
        check(alice)


@pytest.mark.django_db
def test_a_rest_day_planned_ahead_is_stored_and_ignored_until_it_comes(alice):
    with time_machine.travel(NOW, tick=False):
        log_session(alice, dt.datetime(2026, 11, 24, 20, 0))
        rest_day(alice, dt.date(2026, 12, 3))
        assert Day.objects.for_user(alice).order_by("date").last().rest
        check(alice)
        assert history.recent(alice, TODAY).stats.current_streak == 1


@pytest.mark.django_db
def test_deleting_the_last_session_leaves_no_days(alice_client, alice):
    with time_machine.travel(NOW, tick=False):
        session = log_session(alice, dt.datetime(2026, 11, 25, 20, 0))
        alice_client.post(f"/sessions/{session.pk}/delete/")
    assert not Day.objects.for_user(alice).exists()


@pytest.mark.django_db
def test_another_users_writes_leave_my_days_alone(alice, charlie):
    with time_machine.travel(NOW, tick=False):
        log_session(alice, dt.datetime(2026, 11, 24, 20, 0))
        before = stored(alice)
        log_session(charlie, dt.datetime(2026, 11, 24, 20, 0))
        rest_day(charlie, dt.date(2026, 11, 25))
    assert stored(alice) == before
