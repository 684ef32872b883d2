"""Preferred times as the dashboard and statistics page show them."""

import datetime as dt

import pytest
import time_machine

from accounts.models import PreferredTime
from tests.factories import log_session, pause, rest_day
from tests.html import figures, text

# 18:50 in London.
LONDON_EVENING = dt.datetime(2026, 11, 25, 18, 50, tzinfo=dt.UTC)


@pytest.fixture
def evening(alice):
    return PreferredTime.objects.create(
        user=alice, label="Evening", time=dt.time(21, 0)
    )


def dashboard_text(client, now):
    with time_machine.travel(now, tick=False):
        return text(client.get("/"))


def test_no_times_set_shows_just_a_link(alice_client):
    page = dashboard_text(alice_client, LONDON_EVENING)
    assert "Set your preferred session times" in page
    assert "Next session" not in page


@pytest.mark.usefixtures("evening")
def test_the_next_session_counts_down(alice_client):
    page = dashboard_text(alice_client, LONDON_EVENING)
    assert "Next session: today at 21:00 (in 2 h 10 min)" in page


@pytest.mark.usefixtures("evening")
def test_a_slot_that_started_is_due_now(alice_client):
    page = dashboard_text(alice_client, LONDON_EVENING.replace(hour=21, minute=20))
    assert "Due now (21:00)" in page


@pytest.mark.usefixtures("evening")
def test_once_done_the_next_slot_is_tomorrows(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 25, 21, 5))
    page = dashboard_text(alice_client, LONDON_EVENING.replace(hour=21, minute=30))
    assert "Next session: tomorrow at 21:00" in page


@pytest.mark.usefixtures("evening")
def test_a_pause_or_rest_day_ahead_has_no_next_session(alice_client, alice):
    """No reminder comes on them, so no session is announced for them."""
    log_session(alice, dt.datetime(2026, 11, 25, 21, 5))
    with time_machine.travel(LONDON_EVENING, tick=False):
        pause(alice, dt.date(2026, 11, 26), dt.date(2026, 11, 28))
        rest_day(alice, dt.date(2026, 11, 29))
    page = dashboard_text(alice_client, LONDON_EVENING.replace(hour=21, minute=30))
    assert "Next session: Monday at 21:00" in page
    assert "tomorrow" not in page


def test_changing_the_times_shows_at_once(alice_client, alice, evening):
    dashboard_text(alice_client, LONDON_EVENING)  # fills the cache
    evening.time = dt.time(20, 0)
    evening.save()
    page = dashboard_text(alice_client, LONDON_EVENING)
    assert "Next session: today at 20:00 (in 1 h 10 min)" in page


def test_the_when_page_shows_the_on_time_rate(alice_client, alice, evening):
    PreferredTime.objects.create(user=alice, label="Morning", time=dt.time(7, 30))
    log_session(alice, dt.datetime(2026, 11, 20, 21, 40))  # evening, on time
    log_session(alice, dt.datetime(2026, 11, 21, 20, 15))  # evening, on time
    log_session(alice, dt.datetime(2026, 11, 22, 7, 0))  # morning, on time
    log_session(alice, dt.datetime(2026, 11, 23, 14, 0))  # neither
    with time_machine.travel(LONDON_EVENING, tick=False):
        response = alice_client.get("/streaks/when/")
    found = figures(response)
    assert found["On-time rate (90 days)"] == "75%"
    assert found["Kept most often"] == "Evening"
    assert "Morning: 1 session on time" in text(response)


def test_the_when_page_invites_setting_times(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 20, 21, 40))
    with time_machine.travel(LONDON_EVENING, tick=False):
        page = text(alice_client.get("/streaks/when/"))
    assert "Set your preferred session times to see how often you keep them" in page
