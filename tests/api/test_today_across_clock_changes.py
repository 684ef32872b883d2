"""Today and the streak agree across DST nights
with a 04:00 day start, on the dashboard and in the API."""

import datetime as dt

import time_machine

from accounts.models import User
from tests.api.conftest import Api, body, make_token
from tests.factories import log_session, pause, rest_day


def test_dashboard_and_api_agree_after_midnight_on_the_fall_back_night(client, db):
    ny = User.objects.create_user("ny", timezone="America/New_York", day_start_hour=4)
    for day in (28, 29, 30):
        log_session(ny, dt.datetime(2026, 10, day, 21, 0))
    rest_day(ny, dt.date(2026, 10, 31))
    api = Api(make_token(ny))
    # 01:30 EST, the second 01:30 of 1 November: still 31 October's practice day.
    with time_machine.travel(
        dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC), tick=False
    ):
        summary = body(api.get("summary"))
        assert summary["today"] == "2026-10-31"
        assert summary["current_streak"] == 3
        client.force_login(ny)
        page = client.get("/")
        assert page.context["history_today"] == dt.date(2026, 10, 31)
        logged = api.post("sessions", {"start": "2026-11-01T01:35:00-05:00"})
        assert body(logged)["day"] == "2026-10-31"
        assert body(logged)["current_streak"] == 4
    with time_machine.travel(
        dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC), tick=False
    ):
        summary = body(api.get("summary"))
        assert (summary["today"], summary["current_streak"]) == ("2026-11-01", 4)


def test_spring_forward_night_with_a_day_start_keeps_the_streak(db):
    ny = User.objects.create_user("ny", timezone="America/New_York", day_start_hour=4)
    log_session(ny, dt.datetime(2026, 3, 6, 21, 0))
    api = Api(make_token(ny))
    # 03:30 EDT on 8 March (the clocks skipped 02:00-03:00): 7 March's day.
    with time_machine.travel(dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC), tick=False):
        logged = api.post("sessions", {})
        assert body(logged)["day"] == "2026-03-07"
        assert body(logged)["current_streak"] == 2
    with time_machine.travel(dt.datetime(2026, 3, 8, 22, 0, tzinfo=dt.UTC), tick=False):
        assert body(api.get("summary"))["current_streak"] == 2


def test_a_pause_and_a_move_east_keep_the_streak(client, db):
    kei = User.objects.create_user("kei", timezone="Europe/London", email="k@x.org")
    log_session(kei, dt.datetime(2026, 11, 20, 21, 0))
    pause(kei, dt.date(2026, 11, 21), dt.date(2026, 11, 23), "travel")
    client.force_login(kei)
    with time_machine.travel(
        dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC), tick=False
    ):
        client.post(
            "/accounts/settings/",
            {"email": "k@x.org", "timezone": "Asia/Tokyo", "day_start_hour": "0"},
        )
        kei.refresh_from_db()
        assert kei.timezone == "Asia/Tokyo"
        api = Api(make_token(kei))
        assert body(api.get("summary"))["today"] == "2026-11-24"
        assert body(api.get("summary"))["current_streak"] == 1
        assert body(api.post("sessions", {}))["current_streak"] == 2
