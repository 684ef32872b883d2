"""Days imported from apps that keep only the day: no time, duration or comfort.
Lists leave those parts out, they count as practice and stay out of averages."""

import datetime as dt

import pytest
import time_machine

from sessions import days
from sessions.models import MassageSession
from tests.factories import log_session
from tests.html import text

NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def imported(user, *dates):
    """Days imported as the importer writes them."""
    MassageSession.objects.bulk_log(
        user, [{"local_date": day, "timezone": user.timezone} for day in dates]
    )
    days.refresh(user, since=min(dates))
    return MassageSession.objects.filter(user=user, started_at=None)


def test_the_list_leaves_out_what_is_unknown_and_sorts_by_day(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 20, 8, 0), minutes=12, comfort=5)
    log_session(alice, dt.datetime(2026, 11, 18, 8, 0))
    imported(alice, dt.date(2026, 11, 20), dt.date(2026, 11, 19))
    response = alice_client.get("/sessions/")
    page = text(response)
    assert "not recorded" not in page
    assert "08:00 · 12 min · comfort 5/5" in page
    rows = response.context["rows"]
    assert [row["iso"][-2:] for row in rows] == ["20", "20", "19", "18"]
    assert rows[0]["facts"][0] == "08:00"  # the timed session first on its day
    assert rows[1]["facts"] == []
    # Each row still has its day and its own Edit and Delete links.
    html = response.content.decode()
    for row in rows:
        assert f'<time datetime="{row["iso"]}">' in html
        assert f'href="{row["edit"]}?next=/sessions/"' in html
        assert f'href="{row["delete"]}?next=/sessions/"' in html


def test_the_dashboard_counts_them_for_the_streak(alice_client, alice):
    imported(alice, *(dt.date(2026, 11, d) for d in (23, 24, 25)))
    response = alice_client.get("/")
    html = response.content.decode()
    assert "Done today" in html
    assert "3 days" in html
    assert "not recorded" not in text(response)


def test_statistics_leave_them_out_of_averages(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 23, 20), minutes=10, comfort=2)
    imported(alice, dt.date(2026, 11, 24), dt.date(2026, 11, 25))
    response = alice_client.get("/streaks/")
    assert response.status_code == 200
    pictures = response.context["pictures"]
    week = pictures["minutes"]["rows"][-1]
    assert week["sessions"] == 3
    assert week["minutes"] == 10
    assert pictures["comfort"]["rows"][-1]["value"] == 2.0  # not 2/3
    assert response.context["total_sessions"] == 3


def test_editing_an_imported_day_asks_for_the_details(alice_client, alice):
    (session,) = imported(alice, dt.date(2026, 11, 24))
    response = alice_client.get(f"/sessions/{session.pk}/edit/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["date"] == dt.date(2026, 11, 24)
    response = alice_client.post(
        f"/sessions/{session.pk}/edit/",
        {"date": "2026-11-24", "start_time": "", "duration_minutes": "", "token": "x"},
    )
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.started_at is None


def test_the_delete_page_of_an_imported_day(alice_client, alice):
    (session,) = imported(alice, dt.date(2026, 11, 24))
    html = alice_client.get(f"/sessions/{session.pk}/delete/").content.decode()
    assert "time not recorded" in html
    assert "duration not recorded" in html


def test_the_calendar_length_ignores_them(alice):
    from streaks.feeds import typical_minutes

    log_session(alice, dt.datetime(2026, 11, 20, 8, 0), minutes=14)
    imported(alice, dt.date(2026, 11, 24))
    assert typical_minutes(alice) == 14
