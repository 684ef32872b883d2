""" "Save and log the day before" on /sessions/new/: it saves, then the form comes
back for the previous day with the time, minutes and techniques kept."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from sessions.models import MassageSession
from tests.factories import builtin
from tests.sessions.test_log_session import NOW, URL, form_data


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def backfill(client, **overrides):
    return client.post(URL, form_data(then="day_before", **overrides))


def test_the_form_offers_it(alice_client):
    html = alice_client.get(URL).content.decode()
    assert 'name="then" value="day_before"' in html
    assert "Save and log the day before</button>" in html


def test_it_saves_then_opens_the_form_for_the_day_before(alice_client, alice):
    response = backfill(alice_client, date="2026-11-24", duration_minutes="12")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert url.path == URL
    query = parse_qs(url.query)
    assert query["day"] == ["2026-11-23"]
    assert query["start"] == ["21:00"]
    assert query["minutes"] == ["12"]
    arch, warm_up = builtin("arch").pk, builtin("warm-up").pk
    assert sorted(query["techniques"]) == sorted([str(arch), str(warm_up)])
    session = MassageSession.objects.get(user=alice)
    assert session.local_date == dt.date(2026, 11, 24)
    # The form it lands on is filled in for that day, techniques kept.
    page = alice_client.get(response["Location"])
    initial = page.context["form"].initial
    assert initial["date"] == dt.date(2026, 11, 23)
    assert initial["duration_minutes"] == 12
    assert sorted(initial["techniques"]) == sorted([arch, warm_up])
    assert "Now Monday 23 November 2026:" in page.content.decode()


def test_a_week_backfilled_in_a_row(alice_client, alice):
    location = URL
    for _ in range(7):
        form = alice_client.get(location).context["form"]
        data = form_data(
            date=form.initial["date"].isoformat() if location != URL else "2026-11-25",
            token=form["token"].value(),
        )
        location = alice_client.post(URL, {**data, "then": "day_before"})["Location"]
    days = MassageSession.objects.filter(user=alice).values_list(
        "local_date", flat=True
    )
    assert sorted(days) == [dt.date(2026, 11, 19 + i) for i in range(7)]


def test_plain_save_still_goes_to_the_dashboard(alice_client):
    assert alice_client.post(URL, form_data())["Location"] == "/"


def test_a_bad_form_saves_nothing_and_stays(alice_client, alice):
    response = backfill(alice_client, duration_minutes="0")
    assert response.status_code == 200
    assert "duration_minutes" in response.context["form"].errors
    assert not MassageSession.objects.filter(user=alice).exists()


def test_the_same_form_twice_saves_once_and_still_goes_back_a_day(alice_client):
    data = form_data(then="day_before", date="2026-11-24")
    alice_client.post(URL, data)
    again = alice_client.post(URL, data)
    assert MassageSession.objects.count() == 1
    assert "day=2026-11-23" in again["Location"]


def test_it_needs_the_csrf_token(csrf_client, alice):
    csrf_client.force_login(alice)
    response = csrf_client.post(URL, form_data(then="day_before"))
    assert response.status_code == 403
    assert not MassageSession.objects.exists()


def test_after_midnight_with_a_later_day_start_the_day_before_is_one_practice_day_back(
    alice_client, alice
):
    """Days start at 04:00: 00:30 on the 24th counts for the 23rd, so the day
    before is the 22nd, and the form must open on a date and time that count
    for the 22nd (00:30 on the 23rd), not skip to the 21st."""
    alice.day_start_hour = 4
    alice.save()
    response = backfill(alice_client, date="2026-11-24", start_time="00:30")
    page = alice_client.get(response["Location"])
    assert "Now Sunday 22 November 2026:" in page.content.decode()
    form = page.context["form"]
    assert (form.initial["date"], form.initial["start_time"]) == (
        dt.date(2026, 11, 23),
        dt.time(0, 30),
    )
    backfill(alice_client, date="2026-11-23", start_time="00:30")
    days = sorted(MassageSession.objects.values_list("local_date", flat=True))
    assert days == [dt.date(2026, 11, 22), dt.date(2026, 11, 23)]
