""" "Done as usual": today's session like the last one, exactly once."""

import datetime as dt
import uuid

import time_machine

from sessions.as_usual import DAY_DONE, REPLAYED, SAVED, log_as_usual
from sessions.models import MassageSession, Technique
from tests.factories import builtin, log_session

NOW = dt.datetime(2026, 6, 10, 20, 0, tzinfo=dt.UTC)  # 21:00 in London


def test_it_copies_the_duration_and_techniques_of_the_last_session(alice):
    log_session(alice, dt.datetime(2026, 6, 1, 8, 0), minutes=30, techniques=("toes",))
    log_session(
        alice, dt.datetime(2026, 6, 9, 8, 0), minutes=14, techniques=("arch", "toes")
    )
    result = log_as_usual(alice, uuid.uuid4(), NOW)
    assert result.state == SAVED
    session = result.session
    assert session.duration_minutes == 14
    assert set(session.techniques.all()) == {builtin("arch"), builtin("toes")}
    assert session.started_at == NOW
    assert session.local_date == dt.date(2026, 6, 10)
    assert session.timezone == "Europe/London"
    assert (session.comfort, session.pressure, session.notes) == (None, "", "")


def test_a_newcomer_gets_ten_minutes_of_the_basic_routine(alice):
    session = log_as_usual(alice, uuid.uuid4(), NOW).session
    assert session.duration_minutes == 10
    assert {t.key for t in session.techniques.all()} == {
        "warm-up",
        "arch",
        "toes",
        "ankle",
    }


def test_an_archived_technique_is_left_out(alice):
    own = Technique.objects.create(user=alice, name="Golf ball roll")
    last = log_session(alice, dt.datetime(2026, 6, 9, 8, 0), techniques=("arch",))
    last.techniques.add(own)
    own.archived = True
    own.save()
    session = log_as_usual(alice, uuid.uuid4(), NOW).session
    assert list(session.techniques.all()) == [builtin("arch")]


def test_a_last_session_with_nothing_left_to_copy_gets_the_basics(alice):
    own = Technique.objects.create(user=alice, name="Golf ball roll")
    last = log_session(alice, dt.datetime(2026, 6, 9, 8, 0), techniques=())
    last.techniques.set([own])
    last.duration_minutes = None  # imported without a length
    last.save()
    own.archived = True
    own.save()
    session = log_as_usual(alice, uuid.uuid4(), NOW).session
    assert session.duration_minutes == 10
    assert len(session.techniques.all()) == 4


def test_the_same_token_twice_finds_the_first_session(alice):
    token = uuid.uuid4()
    first = log_as_usual(alice, token, NOW)
    again = log_as_usual(alice, token, NOW + dt.timedelta(minutes=1))
    assert again.state == REPLAYED
    assert again.session == first.session
    assert MassageSession.objects.count() == 1


def test_a_day_that_has_a_session_is_left_as_it_is(alice):
    done = log_session(alice, dt.datetime(2026, 6, 10, 7, 30))
    result = log_as_usual(alice, uuid.uuid4(), NOW)
    assert (result.state, result.session) == (DAY_DONE, done)
    assert MassageSession.objects.count() == 1


def test_it_counts_for_todays_practice_day_after_the_day_start(alice):
    alice.day_start_hour = 4
    alice.save()
    log_session(alice, dt.datetime(2026, 6, 9, 21, 0))  # yesterday evening
    late = dt.datetime(2026, 6, 10, 1, 30, tzinfo=dt.UTC)  # 02:30 London
    result = log_as_usual(alice, uuid.uuid4(), late)
    assert result.state == DAY_DONE  # 02:30 still belongs to the 9th


def test_it_uses_the_clock_when_no_time_is_given(alice):
    with time_machine.travel(NOW, tick=False):
        session = log_as_usual(alice, uuid.uuid4()).session
    assert session.started_at == NOW
