import datetime as dt

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from sessions.models import MassageSession, Technique
from tests.factories import builtin, log_session, rest_day
from tests.html import day_links, figures, text

TERMS = [
    "Current streak",
    "Longest streak",
    "Weekly streak",
    "Consistency (30 days)",
    "Habit strength",
]


def at(year, month, day, hour=12, minute=0, tz=dt.UTC):
    return dt.datetime(year, month, day, hour, minute, tzinfo=tz)


def dashboard(client):
    response = client.get("/")
    assert response.status_code == 200
    return response


def test_a_new_user_sees_zeroes_and_not_yet_today(alice_client):
    with time_machine.travel(at(2026, 11, 25), tick=False):
        response = dashboard(alice_client)
    found = figures(response)
    assert [term for term in found if term in TERMS] == TERMS
    assert found["Current streak"] == "0 days"
    assert found["Longest streak"] == "0 days"
    assert found["Weekly streak"] == "0 weeks"
    assert found["Consistency (30 days)"] == "0%"
    assert found["Habit strength"] == "0%"
    assert "Not yet today" in text(response)


def test_three_days_in_a_row(alice_client, alice):
    for day in (23, 24, 25):
        log_session(alice, dt.datetime(2026, 11, day, 20, 0))
    with time_machine.travel(at(2026, 11, 25, 21), tick=False):
        response = dashboard(alice_client)
    found = figures(response)
    assert found["Current streak"] == "3 days"
    assert found["Longest streak"] == "3 days"
    # Counted from the first practice day: 3 of 3, not 3 of 30.
    assert found["Consistency (30 days)"] == "100%"
    assert "Done today" in text(response)


def test_a_newcomers_first_day_is_fully_consistent(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 25, 8, 0))
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        found = figures(dashboard(alice_client))
    assert found["Consistency (30 days)"] == "100%"


def test_three_practice_days_in_the_first_four_are_75_percent(alice_client, alice):
    for day in (22, 23, 25):
        log_session(alice, dt.datetime(2026, 11, day, 8, 0))
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        found = figures(dashboard(alice_client))
    assert found["Consistency (30 days)"] == "75%"


def test_today_still_open_keeps_yesterdays_streak(alice_client, alice):
    for day in (23, 24):
        log_session(alice, dt.datetime(2026, 11, day, 20, 0))
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        response = dashboard(alice_client)
    assert figures(response)["Current streak"] == "2 days"
    assert "Not yet today: your streak is safe until the day ends" in text(response)


def test_a_missed_day_ends_the_streak_and_says_why(alice_client, alice):
    for day in (20, 21, 22):
        log_session(alice, dt.datetime(2026, 11, day, 20, 0))
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        response = dashboard(alice_client)
    found = figures(response)
    assert found["Current streak"] == "0 days"
    assert found["Longest streak"] == "3 days"
    assert "Broken on Mon 23 Nov: no session and no rest day" in text(response)


def test_rest_days_bridge_the_streak_without_adding(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 22, 20, 0))
    rest_day(alice, dt.date(2026, 11, 23))
    log_session(alice, dt.datetime(2026, 11, 24, 20, 0))
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        found = figures(dashboard(alice_client))
    assert found["Current streak"] == "2 days"


def test_the_weekly_streak_follows_the_weekly_target(alice_client, alice):
    alice.weekly_target = 2
    alice.save()
    # Weeks of 9, 16 and 23 Nov 2026 (Mondays): two practice days each.
    for day in (10, 12, 17, 19, 23, 24):
        log_session(alice, dt.datetime(2026, 11, day, 20, 0))
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        found = figures(dashboard(alice_client))
    assert found["Weekly streak"] == "3 weeks"


def test_habit_strength_grows_with_practice(alice_client, alice):
    start = dt.datetime(2026, 10, 1, 20, 0)
    for offset in range(55):
        log_session(alice, start + dt.timedelta(days=offset))
    with time_machine.travel(at(2026, 11, 25, 21), tick=False):
        found = figures(dashboard(alice_client))
    strength = int(found["Habit strength"].rstrip("%"))
    assert 80 < strength < 100


@pytest.fixture
def new_yorker(db):
    return User.objects.create_user(
        "nyc", timezone="America/New_York", day_start_hour=4, email="nyc@example.com"
    )


def test_new_york_day_start_4_around_midnight_and_spring_forward(new_yorker):
    """00:30 and 03:30 belong to the day before; the spring-forward night too."""
    ny = "America/New_York"
    log_session(new_yorker, dt.datetime(2026, 3, 6, 23, 30), tz=ny)  # Fri 6 Mar
    log_session(new_yorker, dt.datetime(2026, 3, 8, 0, 30), tz=ny)  # counts Sat 7
    log_session(
        new_yorker, dt.datetime(2026, 3, 9, 3, 30), tz=ny
    )  # counts Sun 8 (after DST)
    log_session(new_yorker, dt.datetime(2026, 3, 9, 23, 0), tz=ny)  # Mon 9
    client = Client()
    client.force_login(new_yorker)
    # 02:00 EDT on Tue 10 Mar: still Monday 9 Mar for a 4 am day start.
    with time_machine.travel(dt.datetime(2026, 3, 10, 6, 0, tzinfo=dt.UTC), tick=False):
        response = dashboard(client)
    assert figures(response)["Current streak"] == "4 days"
    assert "Done today" in text(response)


def test_new_york_fall_back_night_keeps_the_streak(new_yorker):
    ny = "America/New_York"
    log_session(new_yorker, dt.datetime(2026, 10, 31, 23, 30), tz=ny)  # Sat 31 Oct
    log_session(new_yorker, dt.datetime(2026, 11, 2, 1, 30), tz=ny)  # counts Sun 1 Nov
    client = Client()
    client.force_login(new_yorker)
    # 03:59 EST on Tue 3 Nov: Monday 2 Nov is still open; the streak stands at 2.
    with time_machine.travel(
        dt.datetime(2026, 11, 3, 8, 59, tzinfo=dt.UTC), tick=False
    ):
        found = figures(dashboard(client))
    assert found["Current streak"] == "2 days"
    # One minute later Tuesday begins: Monday is missed, the streak is over.
    with time_machine.travel(dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        found = figures(dashboard(client))
    assert found["Current streak"] == "0 days"


def test_a_move_from_tokyo_to_los_angeles_keeps_the_streak(db):
    user = User.objects.create_user(
        "kei", timezone="Asia/Tokyo", email="kei@example.com"
    )
    for day in (1, 2, 3):
        log_session(user, dt.datetime(2026, 6, day, 21, 0), tz="Asia/Tokyo")
    # Flies east over the date line on the 4th; logs at 09:00 local in LA on 3 June.
    user.timezone = "America/Los_Angeles"
    user.save()
    log_session(user, dt.datetime(2026, 6, 3, 9, 0), tz="America/Los_Angeles")
    log_session(user, dt.datetime(2026, 6, 4, 20, 0), tz="America/Los_Angeles")
    client = Client()
    client.force_login(user)
    with time_machine.travel(dt.datetime(2026, 6, 5, 16, 0, tzinfo=dt.UTC), tick=False):
        found = figures(dashboard(client))  # 09:00 on 5 June in LA: not yet today
    assert found["Current streak"] == "4 days"
    assert found["Longest streak"] == "4 days"


def test_one_users_sessions_never_appear_in_anothers_figures(
    alice_client, alice, charlie
):
    for day in range(1, 25):
        log_session(charlie, dt.datetime(2026, 11, day, 12, 0), notes="charlie's")
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        response = dashboard(alice_client)
    found = figures(response)
    assert found["Current streak"] == "0 days"
    assert found["Longest streak"] == "0 days"
    assert "charlie&#x27;s" not in response.content.decode()


def test_each_heatmap_day_links_to_its_sessions_by_name(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 24, 20, 0), minutes=15)
    log_session(alice, dt.datetime(2026, 11, 24, 21, 0), minutes=3)
    log_session(alice, dt.datetime(2026, 11, 25, 8, 0), minutes=1)
    rest_day(alice, dt.date(2026, 11, 23), "travel")
    rest_day(alice, dt.date(2026, 11, 20))
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        response = dashboard(alice_client)
    links = day_links(response)
    day = "/sessions/?date="
    assert links[day + "2026-11-25"] == "Wed 25 Nov 2026: 1 session, 1 minute"
    assert links[day + "2026-11-24"] == "Tue 24 Nov 2026: 2 sessions, 18 minutes"
    assert links[day + "2026-11-23"] == "Mon 23 Nov 2026: rest day (travel)"
    assert links[day + "2026-11-20"] == "Fri 20 Nov 2026: rest day"
    assert links[day + "2026-11-22"] == "Sun 22 Nov 2026: no session"
    # 52 full weeks from Monday 24 Nov 2025, and Monday to Wednesday of this one.
    assert len(links) == 52 * 7 + 3
    assert min(links) == day + "2025-11-24"
    assert day + "2026-11-26" not in links
    html = response.content.decode()
    assert 'href="#heatmap-end"' in html  # a skip link past the 367 days
    assert 'href="/streaks/year/2026/"' in html


def test_the_dashboard_shows_the_five_most_recent_sessions(alice_client, alice):
    for day in range(1, 9):
        log_session(alice, dt.datetime(2026, 11, day, 20, 0), notes=f"note {day}")
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        page = text(dashboard(alice_client))
    recent = page.split("Recent sessions", 1)[1]
    shown = [day for day in range(1, 9) if f"note {day}" in recent]
    assert shown == [4, 5, 6, 7, 8]
    assert recent.index("note 8") < recent.index("note 4")  # newest first


def test_the_heatmap_marks_today_and_only_today(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 24, 20, 0), minutes=15)
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        html = dashboard(alice_client).content.decode()
    assert html.count('aria-current="date"') == 1
    today = html.split('aria-current="date"')[0].rsplit("<a ", 1)[1]
    assert 'href="/sessions/?date=2026-11-25"' in today
    # Drawn by the stylesheet: no inline style the CSP would refuse.
    heatmap = html.split('class="heatmap-grid"')[1].split("</section>")[0]
    assert "style=" not in heatmap


def test_once_today_is_done_progress_comes_first_and_the_form_folds(
    alice_client, alice
):
    log_session(alice, dt.datetime(2026, 11, 24, 20, 0))
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        before = dashboard(alice_client).content.decode()
        log_session(alice, dt.datetime(2026, 11, 25, 8, 0))
        response = dashboard(alice_client)
    html = response.content.decode()
    # Not yet today: the log form leads.
    assert before.index('id="log"') < before.index('id="today-heading"')
    # Done: today's progress first, then the form folded as "Log another session".
    assert html.index('id="today-heading"') < html.index('id="log"')
    assert '<details class="card dash-form log-another" id="log">' in html
    assert "Log another session</summary>" in html
    assert text(response).count("Done today") == 1
    assert figures(response)["Current streak"] == "2 days"


def test_done_as_usual_names_only_the_techniques_it_will_log(alice_client, alice):
    roller = Technique.objects.create(user=alice, name="Roller under the arch")
    last = log_session(alice, dt.datetime(2026, 11, 24, 20, 0), techniques=("toes",))
    last.techniques.add(roller)
    roller.archived = True  # no longer offered: "as usual" leaves it out
    roller.save()
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        response = dashboard(alice_client)
    caption = text(response).split("Done as usual", 1)[1].split("unrated")[0]
    assert builtin("toes").name in caption
    assert "Roller" not in caption


def test_done_as_usual_names_the_basic_routine_when_nothing_is_left(
    alice_client, alice
):
    roller = Technique.objects.create(user=alice, name="Roller under the arch")
    last = log_session(alice, dt.datetime(2026, 11, 24, 20, 0), techniques=())
    last.techniques.add(roller)
    roller.archived = True
    roller.save()
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        response = dashboard(alice_client)
        caption = text(response).split("Done as usual", 1)[1].split("unrated")[0]
        alice_client.post(
            "/sessions/as-usual/", {"token": "6b1f0f4e-4c1e-4a8e-9a53-1d1f3e2b7c10"}
        )
    logged = MassageSession.objects.get(user=alice, local_date=dt.date(2026, 11, 25))
    names = list(logged.techniques.order_by("position").values_list("name", flat=True))
    assert len(names) > 1
    assert ", ".join(names) in caption


def test_done_as_usual_says_the_minutes_it_logs_after_a_session_without_any(
    alice_client, alice
):
    """A session imported without its minutes: "Done as usual" logs ten, and
    says so."""
    log_session(alice, dt.datetime(2026, 11, 24, 20, 0), minutes=None)
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        caption = text(dashboard(alice_client)).split("Done as usual", 1)[1]
        alice_client.post(
            "/sessions/as-usual/", {"token": "6b1f0f4e-4c1e-4a8e-9a53-1d1f3e2b7c11"}
        )
    logged = MassageSession.objects.get(user=alice, local_date=dt.date(2026, 11, 25))
    assert caption.startswith(f" {logged.duration_minutes} min: ")
    assert logged.duration_minutes == 10


def test_without_a_previous_session_there_is_no_done_as_usual(alice_client):
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        html = dashboard(alice_client).content.decode()
    assert "Done as usual" not in html
    assert 'id="log-heading"' in html
