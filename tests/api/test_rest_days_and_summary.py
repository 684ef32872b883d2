"""POST /api/v1/rest-days and GET /api/v1/summary."""

import datetime as dt

import pytest
import time_machine

from accounts.models import PreferredTime
from sessions.models import RestDay
from tests.api.conftest import body
from tests.factories import log_session, pause, rest_day

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_rest_day_is_marked(alice_api, alice):
    response = alice_api.post("rest-days", {"date": "2026-11-28", "reason": "travel"})
    assert response.status_code == 201
    rest_day = RestDay.objects.get()
    assert (rest_day.user, rest_day.date, rest_day.reason) == (
        alice,
        dt.date(2026, 11, 28),
        "travel",
    )
    assert body(response) == {
        "id": rest_day.pk,
        "date": "2026-11-28",
        "reason": "travel",
    }


def test_without_a_date_today_is_the_rest_day(alice_api):
    response = alice_api.post("rest-days")
    assert response.status_code == 201
    assert body(response)["date"] == "2026-11-25"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2026-11-24"}, "a day with a session cannot be a rest day"),
        ({"date": "2026-11-20"}, "already a rest day"),
        ({"date": "1999-12-31"}, "from 2000 on"),
        ({"date": "2028-01-01"}, "up to a year ahead"),
        ({"reason": "bored"}, "not one of the available choices"),
        ({"date": "24/11/2026"}, "date"),
    ],
)
def test_the_rest_day_forms_rules_apply(alice_api, alice, fields, message):
    log_session(alice, dt.datetime(2026, 11, 24, 8, 0))
    rest_day(alice, dt.date(2026, 11, 20))
    response = alice_api.post("rest-days", fields)
    assert response.status_code == 422
    assert message in body(response)["message"]
    assert RestDay.objects.count() == 1


def test_a_read_only_token_cannot_mark_a_rest_day(reader_api):
    response = reader_api.post("rest-days", {"date": "2026-11-28"})
    assert response.status_code == 403
    assert not RestDay.objects.exists()


def test_the_summary_has_the_dashboards_figures(reader_api, alice):
    alice.weekly_target = 3
    alice.save()
    for day in (16, 17, 18, 19, 22, 23, 24, 25):
        log_session(alice, dt.datetime(2026, 11, day, 8, 0))
    rest_day(alice, dt.date(2026, 11, 21))
    PreferredTime.objects.create(user=alice, label="Evening", time=dt.time(21, 0))
    response = reader_api.get("summary")
    assert response.status_code == 200
    answer = body(response)
    assert answer["today"] == "2026-11-25"
    assert (answer["status"], answer["status_text"]) == ("done", "Done today")
    # 22-25 November, after 20 November broke the run of 16-19 November.
    assert answer["current_streak"] == 4
    assert answer["current_run"] == {
        "days": 4,
        "start": "2026-11-22",
        "end": "2026-11-25",
    }
    assert answer["longest_streak"] == 4
    assert answer["longest_run"]["start"] == "2026-11-22"
    assert (answer["week_progress"], answer["weekly_target"]) == (3, 3)
    assert answer["weekly_streak"] == 2
    # 19-25 November: 5 practice days of 6, the rest day left out.
    assert answer["consistency"]["7"] == 83
    assert 0 < answer["habit_strength"] <= 100
    assert answer["next_preferred_time"] == {
        "label": "Evening",
        "start": "2026-11-26T21:00:00Z",
        "state": "done",
        "text": "Next session: tomorrow at 21:00",
    }


@pytest.mark.parametrize("kind", ["rest day", "pause"])
def test_on_a_rest_or_paused_day_the_summary_says_what_the_dashboard_says(
    reader_api, alice, alice_client, kind
):
    """Nothing is due on such a day (no reminder comes): the next time is
    that of the first day after it (after the whole pause), and a pause is
    called a pause, on both."""
    if kind == "pause":
        pause(alice, dt.date(2026, 11, 24), dt.date(2026, 11, 27))
    else:
        rest_day(alice, dt.date(2026, 11, 25))
    PreferredTime.objects.create(user=alice, label="Noon", time=dt.time(11, 55))
    answer = body(reader_api.get("summary"))
    dashboard = alice_client.get("/")
    page = dashboard.content.decode()
    assert answer["status_text"] in page
    assert answer["status"] == ("paused" if kind == "pause" else "rest")
    assert answer["next_preferred_time"]["state"] == "done"
    after = "Saturday" if kind == "pause" else "tomorrow"
    assert answer["next_preferred_time"]["text"] == f"Next session: {after} at 11:55"
    assert dashboard.context["next_slot"] == answer["next_preferred_time"]["text"]
    assert "Due now" not in page


def test_a_newcomers_summary(reader_api):
    answer = body(reader_api.get("summary"))
    assert answer["status"] == "open"
    assert answer["status_text"] == "Not yet today: log a session to start a streak"
    assert (answer["current_streak"], answer["longest_streak"]) == (0, 0)
    assert (answer["current_run"], answer["longest_run"]) == (None, None)
    assert answer["consistency"] == {"7": 0, "30": 0, "365": 0}
    assert answer["next_preferred_time"] is None


def test_the_summary_is_the_token_owners(reader_api, alice, charlie, client):
    log_session(charlie, dt.datetime(2026, 11, 25, 8, 0))
    client.force_login(charlie)
    reader_api.client = client
    assert body(reader_api.get("summary"))["current_streak"] == 0
