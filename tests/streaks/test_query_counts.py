"""Dashboard and statistics run a fixed number of queries, whatever the history."""

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import localtime
from sessions import days
from sessions.models import MassageSession, RestDay, Technique
from tests.html import figures, form_values, text

NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)
QUERY_BUDGET = 12
LONDON = zoneinfo.ZoneInfo("Europe/London")


def add_daily_sessions(user, count):
    """`count` consecutive daily sessions ending today, in bulk, and a rest day
    every third day of the month before them."""
    first = NOW.date() - dt.timedelta(days=count - 1)
    sessions = MassageSession.objects.bulk_create(
        MassageSession.objects.build(
            user,
            localtime.aware(first + dt.timedelta(days=i), dt.time(20, 0), LONDON),
            LONDON,
            duration_minutes=10,
            comfort=1 + i % 5,
            pressure=["", "light", "firm"][i % 3],
        )
        for i in range(count)
    )
    techniques = list(Technique.objects.filter(user=None))
    Through = MassageSession.techniques.through
    Through.objects.bulk_create(
        Through(massagesession_id=s.pk, technique_id=techniques[i % len(techniques)].pk)
        for i, s in enumerate(sessions)
    )
    RestDay.objects.bulk_create(
        RestDay(user=user, date=first - dt.timedelta(days=d)) for d in range(1, 30, 3)
    )
    days.refresh(user)


def move_sessions(source, target):
    """Hand all of `source`'s sessions to `target`, in bulk."""
    MassageSession.objects.filter(user=source).update(user=target)
    days.refresh(source)
    days.refresh(target)


@pytest.mark.parametrize("url", ["/", "/streaks/"])
def test_the_same_number_of_queries_for_1_or_3650_sessions(
    alice_client, alice, charlie, django_assert_max_num_queries, url
):
    add_daily_sessions(alice, 1)
    with time_machine.travel(NOW, tick=False):
        with CaptureQueriesContext(connection) as small:
            assert alice_client.get(url).status_code == 200
        assert len(small.captured_queries) <= QUERY_BUDGET

        add_daily_sessions(charlie, 3650)
        RestDay.objects.filter(user=charlie).delete()
        move_sessions(charlie, alice)
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = alice_client.get(url)
    assert response.status_code == 200
    assert figures(response)["Current streak"] == "3650 days"


def test_the_dashboard_not_yet_done_with_undo_runs_the_same_queries(
    alice_client, alice, charlie, django_assert_max_num_queries
):
    """The other state of the dashboard: not yet today, "Done as usual" offered,
    and the Undo of the one just logged."""
    add_daily_sessions(alice, 1)
    tomorrow = NOW + dt.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        with CaptureQueriesContext(connection) as small:
            assert "Done as usual" in alice_client.get("/").content.decode()
        count = len(small.captured_queries)  # read now: the query log rolls over
        assert count <= QUERY_BUDGET
        add_daily_sessions(charlie, 3650)
        move_sessions(charlie, alice)
        alice_client.post("/sessions/as-usual/", {"token": str(uuid.uuid4())})
        with django_assert_max_num_queries(count):
            response = alice_client.get("/")
    assert "/undo/" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/streaks/?span=month",
        "/streaks/?span=year",
        "/streaks/when/",
        "/streaks/insights/",
        "/streaks/year/2026/",
        "/sessions/",
        "/sessions/?page=100",
        "/sessions/?date=2026-11-25",
        "/sessions/?month=2026-11",
        "/streaks/report/?from=2016-11-28&to=2026-11-25&notes=on",
        # The pages with forms.
        "/sessions/new/",
        "edit",
        "/sessions/techniques/",
        "/sessions/guide/",
        "/sessions/rest-days/",
        "/accounts/times/",
        "/accounts/settings/",
        "/accounts/export/",
    ],
)
def test_every_page_runs_the_same_queries_for_1_or_3650_sessions(
    alice_client, alice, charlie, django_assert_max_num_queries, url
):
    add_daily_sessions(alice, 1)
    add_daily_sessions(charlie, 3650)
    if url == "edit":
        url = MassageSession.objects.get(user=alice).get_absolute_url()
    with time_machine.travel(NOW, tick=False):
        with CaptureQueriesContext(connection) as small:
            first = alice_client.get(url)
        assert first.status_code == 200
        assert len(small.captured_queries) <= QUERY_BUDGET

        move_sessions(charlie, alice)
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = alice_client.get(url)
    assert response.status_code == 200


def test_every_change_to_the_logbook_shows_at_once(alice_client, alice):
    add_daily_sessions(alice, 30)
    with time_machine.travel(NOW, tick=False):
        assert figures(alice_client.get("/"))["Current streak"] == "30 days"
        first = MassageSession.objects.filter(user=alice).order_by("started_at")[0]
        alice_client.post(f"/sessions/{first.pk}/delete/")
        assert figures(alice_client.get("/"))["Current streak"] == "29 days"
        today = MassageSession.objects.get(user=alice, local_date=NOW.date())
        alice_client.post(f"/sessions/{today.pk}/delete/")
        assert "Not yet today" in text(alice_client.get("/"))
        alice_client.post("/sessions/rest-days/", {"date": NOW.date().isoformat()})
        assert "Rest day today" in text(alice_client.get("/"))


def test_a_new_weekly_target_changes_the_figures_at_once(alice_client, alice):
    add_daily_sessions(alice, 3)
    with time_machine.travel(NOW, tick=False):
        assert figures(alice_client.get("/"))["Weekly streak"] == "0 weeks"
        alice_client.post("/sessions/weekly-target/", {"weekly_target": "3"})
        # This week: 3 practice days; last week's 3 rest days alone (16, 19,
        # 22 Nov) bridge without adding a week.
        assert figures(alice_client.get("/"))["Weekly streak"] == "1 week"


def test_the_dashboard_form_posts_with_a_valid_csrf_token(csrf_client, alice):
    csrf_client.force_login(alice)
    with time_machine.travel(NOW, tick=False):
        data = form_values(csrf_client.get("/"), action="/sessions/new/")
        data["comfort"] = "4"
        response = csrf_client.post("/sessions/new/", data)
    assert response.status_code == 302
    assert MassageSession.objects.filter(user=alice).count() == 1


def test_a_built_in_technique_renamed_in_the_admin_shows_at_once(alice_client, alice):
    add_daily_sessions(alice, 2)
    with time_machine.travel(NOW, tick=False):
        alice_client.get("/")
        arch = Technique.objects.get(key="arch")
        arch.name = "Arch circles"
        arch.save()
        assert "Arch circles" in alice_client.get("/").content.decode()
