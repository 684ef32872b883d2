import datetime as dt

import pytest
import time_machine

from streaks.models import RestDay
from tests.factories import log_session
from tests.html import figures, text

URL = "/streaks/"
NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_page_explains_the_definitions(alice_client):
    page = text(alice_client.get(URL))
    assert "How these are counted" in page
    assert "Rest days keep the streak going but do not add to it" in page


def test_streak_history_lists_runs_of_two_or_more_longest_first(alice_client, alice):
    for day in (1, 2):
        log_session(alice, dt.datetime(2026, 11, day, 20))
    for day in (5, 6, 7, 8):
        log_session(alice, dt.datetime(2026, 11, day, 20))
    log_session(alice, dt.datetime(2026, 11, 12, 20))  # a single day: not listed
    for day in (20, 21, 22):
        log_session(alice, dt.datetime(2026, 11, day, 20))
    response = alice_client.get(URL)
    runs = [(item["days"], item["dates"]) for item in response.context["runs"]]
    assert runs == [
        ("4 days", "5 Nov – 8 Nov 2026"),
        ("3 days", "20 Nov – 22 Nov 2026"),
        ("2 days", "1 Nov – 2 Nov 2026"),
    ]


def test_consistency_for_7_30_and_365_days(alice_client, alice):
    for day in (19, 20, 22, 23, 24, 25):  # today (25th) practised: windows end today
        log_session(alice, dt.datetime(2026, 11, day, 20))
    RestDay.objects.create(user=alice, date=dt.date(2026, 11, 21))
    consistency = dict(alice_client.get(URL).context["consistency"])
    assert consistency[7] == "100%"  # 6 practice days / (7 - 1 rest day)
    assert consistency[30] == "21%"  # 6 / 29 = 20.7%
    assert consistency[365] == "2%"  # 6 / 364


def test_weekly_chart_and_weekday_counts(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 23, 20), minutes=10)  # Monday
    log_session(alice, dt.datetime(2026, 11, 23, 21), minutes=5)
    log_session(alice, dt.datetime(2026, 11, 17, 20), minutes=20)  # Tuesday, last week
    response = alice_client.get(URL)
    weeks = response.context["weeks"]
    assert len(weeks) == 12
    assert (weeks[-1]["start"], weeks[-1]["sessions"], weeks[-1]["minutes"]) == (
        dt.date(2026, 11, 23),
        2,
        15,
    )
    assert (weeks[-2]["sessions"], weeks[-2]["minutes"]) == (1, 20)
    weekdays = {d["name"]: d["days"] for d in response.context["weekdays"]}
    assert (weekdays["Monday"], weekdays["Tuesday"], weekdays["Sunday"]) == (1, 1, 0)
    assert "<svg" in response.content.decode()


def test_average_comfort_by_technique_and_pressure_with_a_gentle_note(
    alice_client, alice
):
    log_session(
        alice,
        dt.datetime(2026, 11, 20, 20),
        comfort=2,
        techniques=["heel"],
        pressure="firm",
    )
    log_session(
        alice,
        dt.datetime(2026, 11, 21, 20),
        comfort=1,
        techniques=["heel"],
        pressure="firm",
    )
    log_session(
        alice,
        dt.datetime(2026, 11, 22, 20),
        comfort=5,
        techniques=["arch"],
        pressure="light",
    )
    # Older than 90 days: left out.
    log_session(alice, dt.datetime(2026, 6, 1, 20), comfort=5, techniques=["heel"])
    response = alice_client.get(URL)
    insights = response.context["insights"]
    assert insights["techniques"] == [
        {"name": "Arch thumb pressure", "avg": 5.0, "n": 1},
        {"name": "Heel press", "avg": 1.5, "n": 2},
    ]
    assert insights["pressures"] == [
        {"name": "Light", "avg": 5.0, "n": 1},
        {"name": "Firm", "avg": 1.5, "n": 2},
    ]
    page = text(response)
    assert "Listen to your body." in page
    assert "Heel press averaged below 3" in page


def test_no_note_when_everything_feels_fine(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 22, 20), comfort=4)
    assert "Listen to your body." not in text(alice_client.get(URL))


def test_the_figures_match_the_dashboard(alice_client, alice):
    for day in (23, 24, 25):
        log_session(alice, dt.datetime(2026, 11, day, 20))
    assert figures(alice_client.get(URL))["Current streak"] == "3 days"
    assert figures(alice_client.get("/"))["Current streak"] == "3 days"


@pytest.mark.django_db
def test_anonymous_visitors_go_to_login(client):
    assert client.get(URL)["Location"] == f"/accounts/login/?next={URL}"


def test_the_comfort_trend_compares_recent_weeks_with_earlier_ones(alice_client, alice):
    for day in range(1, 29, 2):  # weeks of 5 Oct to 26 Oct: comfort 2
        log_session(
            alice, dt.datetime(2026, 10, 5, 20) + dt.timedelta(days=day), comfort=2
        )
    for day in range(0, 24, 2):  # 2 to 25 Nov: comfort 4
        log_session(
            alice, dt.datetime(2026, 11, 2, 20) + dt.timedelta(days=day), comfort=4
        )
    page = text(alice_client.get(URL))
    assert "Comfort is rising: 4.0 on average over the last 4 weeks, 2.0 over" in page
