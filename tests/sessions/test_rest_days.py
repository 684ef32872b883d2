import datetime as dt

import pytest
import time_machine

from sessions.models import RestDay
from tests.factories import log_session, pause, rest_day
from tests.html import figures, form_values, text

URL = "/sessions/rest-days/"
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_marking_today_from_the_dashboard_bridges_the_streak(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 24, 20))
    page = alice_client.get("/").content.decode()
    assert "Mark today as rest day" in page
    response = alice_client.post(URL, {"date": "2026-11-25", "next": "dashboard"})
    assert response["Location"] == "/"
    assert RestDay.objects.get(user=alice).date == dt.date(2026, 11, 25)
    dashboard = alice_client.get("/")
    assert "Rest day today: your streak is safe" in dashboard.content.decode()
    assert figures(dashboard)["Current streak"] == "1 day"


def test_a_streak_names_the_days_off_it_bridged(alice_client, alice):
    """Two days of practice over three calendar days: the dates say why."""
    log_session(alice, dt.datetime(2026, 11, 23, 20))
    rest_day(alice, dt.date(2026, 11, 24))
    log_session(alice, dt.datetime(2026, 11, 25, 8))
    dashboard = alice_client.get("/")
    assert figures(dashboard)["Current streak"] == "2 days"
    assert "(1 day off)" in text(dashboard)


def test_a_rest_day_with_no_streak_to_keep_says_nothing_is_due(alice_client, alice):
    alice_client.post(URL, {"date": "2026-11-25", "next": "dashboard"})
    page = alice_client.get("/").content.decode()
    assert "Rest day today: nothing is due" in page
    assert "streak is safe" not in page


def test_a_rest_day_in_the_past_with_a_reason(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 22, 20))
    log_session(alice, dt.datetime(2026, 11, 24, 20))
    response = alice_client.post(URL, {"date": "2026-11-23", "reason": "travel"})
    assert response.status_code == 302
    rest = RestDay.objects.get(user=alice)
    assert (rest.date, rest.reason) == (dt.date(2026, 11, 23), "travel")
    assert figures(alice_client.get("/"))["Current streak"] == "2 days"
    assert "Travel" in alice_client.get(URL).content.decode()


def test_a_planned_rest_day_shows_under_today_and_ahead(alice_client, alice):
    alice_client.post(URL, {"date": "2026-12-24", "reason": "other"})
    lists = dict(alice_client.get(URL).context["lists"])
    assert [d.date for d in lists["Today and ahead"]] == [dt.date(2026, 12, 24)]


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2026-11-20"},  # already a rest day
        {"date": "1999-12-31"},
        {"date": "2028-01-01"},
        {"date": "2026-02-30"},
        {"date": ""},
        {"date": "2026-11-21", "reason": "holiday-in-space"},
    ],
)
def test_bad_input_changes_nothing(alice_client, alice, data):
    rest_day(alice, dt.date(2026, 11, 20))
    response = alice_client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert RestDay.objects.count() == 1


def test_removing_a_rest_day(alice_client, alice):
    rest = rest_day(alice, dt.date(2026, 11, 20))
    response = alice_client.post(f"{URL}{rest.pk}/delete/")
    assert response.status_code == 302
    assert not RestDay.objects.exists()


def test_remove_is_post_only_and_strangers_get_404(
    alice_client, alice, client, charlie
):
    rest = rest_day(alice, dt.date(2026, 11, 20))
    assert alice_client.get(f"{URL}{rest.pk}/delete/").status_code == 405
    other = type(client)()
    other.force_login(charlie)
    assert other.post(f"{URL}{rest.pk}/delete/").status_code == 404
    assert RestDay.objects.filter(pk=rest.pk).exists()


def test_other_peoples_rest_days_stay_private(alice_client, charlie):
    rest_day(charlie, dt.date(2026, 11, 20), "injury")
    lists = dict(alice_client.get(URL).context["lists"])
    assert lists == {"Today and ahead": [], "Past": []}


def test_marking_without_a_csrf_token_is_refused(csrf_client, alice):
    csrf_client.force_login(alice)
    assert csrf_client.post(URL, {"date": "2026-11-25"}).status_code == 403
    assert not RestDay.objects.exists()


def test_the_date_field_opens_on_today_in_the_format_date_inputs_take(alice_client):
    html = alice_client.get(URL).content.decode()
    assert 'type="date" name="date" value="2026-11-25"' in html


def add_past_rest_days(user, count):
    RestDay.objects.bulk_create(
        RestDay(user=user, date=dt.date(2026, 11, 24) - dt.timedelta(days=i))
        for i in range(count)
    )


def test_years_of_rest_days_show_the_latest_30_and_a_link_to_all(alice_client, alice):
    add_past_rest_days(alice, 40)
    response = alice_client.get(URL)
    past = dict(response.context["lists"])["Past"]
    assert len(past) == 30
    assert past[0].date == dt.date(2026, 11, 24)  # newest first
    html = response.content.decode()
    assert 'href="?all=1">Show all 40 past rest days' in html
    assert "(10 older not shown)" in html
    response = alice_client.get(URL + "?all=1")
    assert len(dict(response.context["lists"])["Past"]) == 40
    assert "Show all" not in response.content.decode()


def test_thirty_past_rest_days_need_no_link(alice_client, alice):
    add_past_rest_days(alice, 30)
    response = alice_client.get(URL)
    assert len(dict(response.context["lists"])["Past"]) == 30
    assert "Show all" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 700])
def test_the_page_takes_the_same_queries_for_1_or_700_rest_days(
    alice_client, alice, count, django_assert_max_num_queries
):
    add_past_rest_days(alice, count)
    # session, user, the week's sessions and rest days (the form's date),
    # ahead, past, pauses ahead, past pauses (and the count of past rest days
    # when there are more than are shown)
    with django_assert_max_num_queries(8 if count < 31 else 9):
        response = alice_client.get(URL)
    assert response.content.decode().count("Remove<span") == min(count, 30)


def test_a_practised_day_cannot_become_a_rest_day(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 24, 20))
    response = alice_client.post(URL, {"date": "2026-11-24", "reason": "travel"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "You practised on Tuesday 24 November 2026: a day with a session cannot be "
        "a rest day. Delete its session first if it was logged by mistake."
    ]
    assert "a day with a session cannot be a rest day" in response.content.decode()
    assert not RestDay.objects.exists()


def test_another_users_session_does_not_block_a_rest_day(alice_client, charlie):
    log_session(charlie, dt.datetime(2026, 11, 24, 20))
    assert alice_client.post(URL, {"date": "2026-11-24"}).status_code == 302
    assert RestDay.objects.get().date == dt.date(2026, 11, 24)


def test_a_session_on_a_rest_day_says_the_day_is_now_practice(alice_client, alice):
    rest_day(alice, dt.date(2026, 11, 23))
    data = form_values(alice_client.get("/sessions/new/"), action="/sessions/new/")
    data.update(date="2026-11-23", start_time="08:00", comfort="4")
    response = alice_client.post("/sessions/new/", data, follow=True)
    page = response.content.decode()
    assert "Monday 23 November was a rest day: with this session it is now a " in page
    assert figures(response)["Longest streak"] == "1 day"  # practice, not rest


def test_a_session_on_an_ordinary_day_says_nothing_of_rest(alice_client, alice):
    rest_day(alice, dt.date(2026, 11, 23))
    data = form_values(alice_client.get("/sessions/new/"), action="/sessions/new/")
    data.update(comfort="4")
    page = alice_client.post("/sessions/new/", data, follow=True).content.decode()
    assert "was a rest day" not in page


def test_moving_a_session_onto_a_rest_day_says_so_too(alice_client, alice):
    session = log_session(alice, dt.datetime(2026, 11, 24, 20))
    rest_day(alice, dt.date(2026, 11, 22))
    edit = f"/sessions/{session.pk}/edit/"
    data = form_values(alice_client.get(edit), action=edit)
    data.update(date="2026-11-22")
    page = alice_client.post(edit, data, follow=True).content.decode()
    assert "Sunday 22 November was a rest day: with this session it is now a " in page


@pytest.mark.parametrize(
    ("taken", "offered"),
    [
        ((), "2026-11-25"),
        (("session 25",), "2026-11-26"),
        (("session 25", "rest 26", "session 26"), "2026-11-27"),
        (("rest 25", "rest 26", "rest 27"), "2026-11-28"),
        (("pause 25",), "2026-11-25"),  # a pause may end early: Save takes it
        (tuple(f"session {day}" for day in range(25, 32)), ""),  # a week done
    ],
)
def test_the_form_offers_the_first_day_that_can_still_be_a_rest_day(
    alice_client, alice, taken, offered
):
    """Practised today (or rested already), one tap on "Mark as rest day" used
    to answer with an error: the form offered today all the same."""
    for what in taken:
        kind, day = what.split()
        day = dt.date(2026, 11, 25) + dt.timedelta(days=int(day) - 25)
        if kind == "session":
            log_session(alice, dt.datetime.combine(day, dt.time(8)))
        elif kind == "pause":
            pause(alice, day, day + dt.timedelta(days=2))
        else:
            rest_day(alice, day)
    response = alice_client.get(URL)
    assert form_values(response, action=URL)["date"] == offered
    if offered:
        before = RestDay.objects.count()
        assert alice_client.post(URL, {"date": offered}).status_code == 302
        assert RestDay.objects.count() == before + 1
