"""/streaks/year/<yyyy>/: a calendar year of days, each a link to its sessions."""

import datetime as dt

import pytest
import time_machine

from tests.factories import log_session, rest_day
from tests.html import day_links, text

NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_past_year_has_every_day_with_its_totals(alice_client, alice, charlie):
    log_session(alice, dt.datetime(2024, 2, 29, 20), minutes=12)
    log_session(alice, dt.datetime(2024, 2, 29, 21), minutes=6)
    log_session(alice, dt.datetime(2024, 12, 31, 8), minutes=3)
    rest_day(alice, dt.date(2024, 3, 1), "skin")
    log_session(charlie, dt.datetime(2024, 3, 2, 20), minutes=40)
    response = alice_client.get("/streaks/year/2024/")
    assert response.status_code == 200
    links = day_links(response)
    assert len(links) == 366  # a leap year
    day = "/sessions/?date="
    assert links[day + "2024-02-29"] == "Thu 29 Feb 2024: 2 sessions, 18 minutes"
    assert links[day + "2024-03-01"] == "Fri 1 Mar 2024: rest day (skin care)"
    assert links[day + "2024-03-02"] == "Sat 2 Mar 2024: no session"
    assert links[day + "2024-12-31"] == "Tue 31 Dec 2024: 1 session, 3 minutes"
    page = text(response)
    assert "2 practice days, 3 sessions, 21 minutes, 1 rest day" in page
    # The year switcher: every year from the first session to this one.
    html = response.content.decode()
    assert 'href="/streaks/year/2025/"' in html
    assert 'href="/streaks/year/2026/"' in html
    assert '<span aria-current="page" class="fw-bold">2024</span>' in html


def test_this_year_stops_today(alice_client, alice):
    log_session(alice, dt.datetime(2026, 1, 1, 8))
    links = day_links(alice_client.get("/streaks/year/2026/"))
    assert max(links) == "/sessions/?date=2026-11-25"
    assert len(links) == 329


@pytest.mark.parametrize("year", [2023, 2027, 0, 99999])
def test_years_outside_the_history_are_not_found(alice_client, alice, year):
    log_session(alice, dt.datetime(2024, 6, 1, 8))
    assert alice_client.get(f"/streaks/year/{year}/").status_code == 404


def test_the_year_of_joining_exists_without_sessions(alice_client, alice):
    assert alice_client.get("/streaks/year/2026/").status_code == 200


@pytest.mark.django_db
def test_anonymous_visitors_go_to_login(client):
    response = client.get("/streaks/year/2026/")
    assert response["Location"] == "/accounts/login/?next=/streaks/year/2026/"
