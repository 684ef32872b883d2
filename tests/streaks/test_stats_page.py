import datetime as dt
import re

import pytest
import time_machine

from accounts.models import PreferredTime
from tests.factories import log_session, pause, rest_day
from tests.html import figures, table, text

URL = "/streaks/"
WHEN = "/streaks/when/"
NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_page_explains_the_definitions(alice_client):
    page = text(alice_client.get(URL))
    assert "How these are counted" in page
    assert "Rest and paused days keep the streak going but do not add to it" in page
    assert "never starts before your first practice day" in page


def test_the_weekly_target_is_described_as_active_days(alice_client, alice):
    page = text(alice_client.get(URL))
    assert f"at least {alice.weekly_target} active days (practice or rest days)" in page
    assert "This week 0 of 7 active days (practice or rest days)" in page
    dashboard = text(alice_client.get("/"))
    assert "This week 0 of 7 active days (practice or rest days)" in dashboard


def test_past_the_weekly_target_the_week_says_so_not_7_of_5(alice_client, alice):
    alice.weekly_target = 2
    alice.save(update_fields=["weekly_target"])
    for day in (23, 24, 25):  # Monday to Wednesday of this week
        log_session(alice, dt.datetime(2026, 11, day, 20))
    for page in (text(alice_client.get(URL)), text(alice_client.get("/"))):
        assert "This week 3 active days, past the target of 2" in page
        assert "3 of 2" not in page
    alice.weekly_target = 3
    alice.save(update_fields=["weekly_target"])
    assert "This week 3 of 3 active days" in text(alice_client.get("/"))


def test_paused_weeks_keep_the_weekly_streak_without_adding_to_it(alice_client, alice):
    alice.weekly_target = 3
    alice.save(update_fields=["weekly_target"])
    for day in (2, 3, 4, 23, 24, 25):  # Mon-Wed of the week of 2 Nov and of this week
        log_session(alice, dt.datetime(2026, 11, day, 20))
    pause(alice, dt.date(2026, 11, 9), dt.date(2026, 11, 22))  # the two weeks between
    for page in (alice_client.get(URL), alice_client.get("/")):
        assert figures(page)["Weekly streak"] == "2 weeks"
    assert "A week of rest or paused days alone keeps the weekly streak going" in text(
        alice_client.get(URL)
    )


def test_streak_history_lists_runs_of_two_or_more_longest_first(alice_client, alice):
    for day in (1, 2):
        log_session(alice, dt.datetime(2026, 11, day, 20))
    for day in (5, 6, 7, 8):
        log_session(alice, dt.datetime(2026, 11, day, 20))
    log_session(alice, dt.datetime(2026, 11, 12, 20))  # a single day: not listed
    for day in (20, 21, 22):
        log_session(alice, dt.datetime(2026, 11, day, 20))
    response = alice_client.get(URL)
    listed = re.findall(
        r"<li><strong>(.*?)</strong> <span[^>]*>(.*?)</span></li>",
        response.content.decode(),
    )
    assert listed == [
        ("4 days", "5 Nov – 8 Nov 2026"),
        ("3 days", "20 Nov – 22 Nov 2026"),
        ("2 days", "1 Nov – 2 Nov 2026"),
    ]
    html = response.content.decode()
    assert "<title>4 days: 5 Nov – 8 Nov 2026</title>" in html


def test_best_streaks_show_ten_and_count_the_rest(alice_client, alice):
    start = dt.date(2026, 1, 1)
    for length in range(2, 14):  # 12 runs of 2 to 13 days, a gap after each
        for offset in range(length):
            day = start + dt.timedelta(days=offset)
            log_session(alice, dt.datetime.combine(day, dt.time(20)))
        start += dt.timedelta(days=length + 1)
    response = alice_client.get(URL)
    listed = re.findall(r"<li><strong>(\d+) days</strong>", response.content.decode())
    assert listed == [str(n) for n in range(13, 3, -1)]
    assert "and 2 shorter ones." in text(response)


def test_consistency_for_7_30_and_365_days(alice_client, alice):
    for day in (19, 20, 22, 23, 24, 25):  # today (25th) practised: windows end today
        log_session(alice, dt.datetime(2026, 11, day, 20))
    rest_day(alice, dt.date(2026, 11, 21))
    log_session(alice, dt.datetime(2026, 11, 1, 20))  # the first practice day
    consistency = dict(alice_client.get(URL).context["consistency"])
    assert consistency[7] == "100%"  # 6 practice days / (7 - 1 rest day)
    assert consistency[30] == "29%"  # 7 / (25 days from 1 Nov - 1 rest day) = 29.2%
    assert consistency[365] == "29%"  # no day before the first practice day counts


@pytest.fixture
def history(alice):
    """Hand-built: today is Wednesday 25 Nov 2026, London."""
    log_session(alice, dt.datetime(2026, 11, 23, 20), minutes=10, comfort=4)  # Mon
    log_session(alice, dt.datetime(2026, 11, 23, 21), minutes=5, comfort=2)
    log_session(alice, dt.datetime(2026, 11, 17, 20), minutes=20, comfort=5)  # Tue
    log_session(alice, dt.datetime(2026, 10, 2, 20), minutes=30, comfort=3)  # Fri
    log_session(alice, dt.datetime(2025, 3, 3, 7), minutes=15)  # over a year ago


def test_minutes_per_week_month_and_year_chosen_by_links(alice_client, history):
    weeks = alice_client.get(URL)
    rows = table(weeks, "Week", "Sessions", "Minutes")
    assert len(rows) == 12
    assert rows[-1] == ["Week of 23 Nov 2026", "2", "15"]
    assert rows[-2] == ["Week of 16 Nov 2026", "1", "20"]
    assert rows[0] == ["Week of 7 Sep 2026", "0", "0"]
    html = weeks.content.decode()
    assert 'href="?span=month#minutes"' in html
    assert 'href="?span=week#minutes" aria-current="page"' in html

    months = table(alice_client.get(URL + "?span=month"), "Month", "Sessions")
    assert len(months) == 12
    assert months[0] == ["December 2025", "0", "0"]
    assert months[-2:] == [["October 2026", "1", "30"], ["November 2026", "3", "35"]]

    years = table(alice_client.get(URL + "?span=year"), "Year", "Sessions")
    assert years == [["2025", "1", "15"], ["2026", "4", "65"]]
    # Anything else is the default, weeks.
    assert len(table(alice_client.get(URL + "?span=<b>"), "Week", "Sessions")) == 12


def test_practice_by_weekday_over_12_and_52_weeks(alice_client, history):
    rows = table(alice_client.get(WHEN), "Weekday", "Last 12 weeks", "Last 52 weeks")
    assert rows == [
        ["Mon", "1 of 12", "1 of 52"],
        ["Tue", "1 of 12", "1 of 52"],
        ["Wed", "0 of 12", "0 of 52"],  # today counts as a Wednesday so far
        ["Thu", "0 of 11", "0 of 51"],
        ["Fri", "1 of 11", "1 of 51"],  # 2 Oct: within 12 weeks
        ["Sat", "0 of 11", "0 of 51"],
        ["Sun", "0 of 11", "0 of 51"],
    ]


def test_when_sessions_happen_with_preferred_times_marked(alice_client, alice, history):
    PreferredTime.objects.create(
        user=alice,
        label="Evening",
        time=dt.time(20, 30),
        weekdays=0b0011111,  # Monday to Friday
    )
    response = alice_client.get(WHEN)
    rows = table(response, "Hour", "Mon", "Tue")
    # The session of March 2025 is older than a year: left out.
    assert rows == [
        ["20:00", "1", "1", "0", "0", "1", "0", "0"],
        ["21:00", "1", "0", "0", "0", "0", "0", "0"],
    ]
    assert response.content.decode().count('class="preferred"') == 5
    assert (
        "Most often: Mon 20:00 (1 session), Mon 21:00 (1 session), "
        "Tue 20:00 (1 session)."
    ) in text(response)


def test_weekly_comfort_and_habit_strength(alice_client, history):
    response = alice_client.get(URL)
    comfort = table(response, "Week", "Avg. comfort", "Sessions rated")
    assert len(comfort) == 26
    assert comfort[-1] == ["Week of 23 Nov 2026", "3.0", "2"]
    assert comfort[-2] == ["Week of 16 Nov 2026", "5.0", "1"]
    assert comfort[-3] == ["Week of 9 Nov 2026", "—", "0"]
    strength = figures(response)["Habit strength"]
    assert f"Now {strength}." in text(response)
    months = table(response, "Month", "Strength")
    assert months[-1] == ["November 2026", strength]
    assert len(months) == 12


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
    assert "Heel press averaged below 3 for comfort in the last 90 days" in page


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


@pytest.mark.parametrize(
    "path", ["/streaks/", "/streaks/when/", "/streaks/report/", "/streaks/year/2026/"]
)
def test_an_empty_page_leads_to_logging_a_first_session(alice_client, path):
    """A new account's statistics said there was nothing to show, and led
    nowhere."""
    html = alice_client.get(path).content.decode()
    assert '<a href="/sessions/new/">Log a session</a>' in html
    assert '<a href="/sessions/guide/">start a guided session</a>' in html


def test_a_new_users_weekdays_count_from_the_first_session(alice_client, alice):
    """Practised once, yesterday (Tuesday 24 November): Tuesday is 1 of 1, not
    1 of 12, and no weekday counts the weeks before it."""
    log_session(alice, dt.datetime(2026, 11, 24, 20, 0))
    page = text(alice_client.get("/streaks/when/"))
    assert "Tue 1 of 1 1 of 1" in page
    assert "Wed 0 of 1 0 of 1" in page
    assert "Mon not yet not yet" in page
    assert "of 0" not in page
    assert "of 12" not in page


@pytest.mark.parametrize("path", ["/streaks/year/2025/", "/streaks/when/"])
def test_a_page_empty_for_its_range_alone_does_not_offer_to_fill_it(
    alice_client, alice, path
):
    """Sessions in 2024 and 2026 leave 2025 empty: logging today cannot fill
    it, nor the last 12 months' weekday grid of someone who practised long
    ago."""
    log_session(alice, dt.datetime(2024, 6, 1, 20, 0))
    if path.startswith("/streaks/year/"):
        log_session(alice, dt.datetime(2026, 6, 1, 20, 0))
    html = alice_client.get(path).content.decode()
    assert "this page fills in from there" not in html
