"""The dashboard's "Done as usual" (POST /sessions/as-usual/) and its Undo for a
minute (POST /sessions/<id>/undo/), through the test client."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.contrib.messages import get_messages

from sessions.models import Day, MassageSession
from tests.factories import log_session
from tests.html import figures, text

URL = "/sessions/as-usual/"
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)  # 09:00 in London


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def yesterday(alice):
    return log_session(
        alice,
        dt.datetime(2026, 11, 24, 20, 0),
        minutes=12,
        comfort=4,
        techniques=("arch", "heel"),
    )


def done_as_usual(client, token=None):
    return client.post(URL, {"token": str(token or uuid.uuid4())})


def said(response):
    return [message.message for message in get_messages(response.wsgi_request)]


def keys(session):
    return sorted(session.techniques.values_list("key", flat=True))


def todays(user):
    return MassageSession.objects.filter(user=user, local_date=dt.date(2026, 11, 25))


def test_the_dashboard_offers_it_once_there_is_a_last_session(alice_client, alice):
    html = alice_client.get("/").content.decode()
    assert "Done as usual" not in html  # nothing to copy yet
    log_session(alice, dt.datetime(2026, 11, 24, 20, 0), minutes=12)
    html = alice_client.get("/").content.decode()
    assert f'action="{URL}"' in html
    assert "Done as usual</button>" in html
    assert "12 min" in text(alice_client.get("/"))


@pytest.mark.usefixtures("yesterday")
def test_it_saves_today_like_last_time_at_once(alice_client, alice):
    response = done_as_usual(alice_client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    session = todays(alice).get()
    assert session.duration_minutes == 12
    assert keys(session) == ["arch", "heel"]
    assert session.comfort is None  # nobody rated this one
    assert said(response)[-1:] == [
        "Done as usual: 12 minutes, counted for Wednesday 25 November 2026."
    ]
    # The stored day counts it: a two-day streak.
    assert Day.objects.get(user=alice, date=dt.date(2026, 11, 25)).sessions == 1
    assert figures(alice_client.get("/"))["Current streak"] == "2 days"


@pytest.mark.usefixtures("yesterday")
def test_the_dashboard_then_offers_undo_and_no_second_done_as_usual(
    alice_client, alice
):
    done_as_usual(alice_client)
    html = alice_client.get("/").content.decode()
    session = todays(alice).get()
    assert f'action="/sessions/{session.pk}/undo/"' in html
    assert "Done as usual</button>" not in html


@pytest.mark.usefixtures("yesterday")
def test_the_undo_offer_says_how_long_it_lasts(alice_client):
    done_as_usual(alice_client)
    with time_machine.travel(NOW + dt.timedelta(seconds=20), tick=False):
        html = alice_client.get("/").content.decode()
    # static/js/undo.js takes the button away when they are up.
    assert 'data-seconds="40"' in html


@pytest.mark.usefixtures("yesterday")
def test_the_undo_offer_goes_after_a_minute(alice_client):
    done_as_usual(alice_client)
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        html = alice_client.get("/").content.decode()
    assert "/undo/" not in html


@pytest.mark.usefixtures("yesterday")
def test_the_same_form_twice_saves_once(alice_client, alice):
    token = uuid.uuid4()
    done_as_usual(alice_client, token)
    second = done_as_usual(alice_client, token)
    assert todays(alice).count() == 1
    assert said(second)[-1:] == [
        "That session was already saved for Wednesday 25 November 2026."
    ]


@pytest.mark.usefixtures("yesterday")
def test_a_day_already_done_is_left_as_it_is(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 25, 7, 0), minutes=5)
    response = done_as_usual(alice_client)
    assert todays(alice).count() == 1
    assert said(response) == ["Today already has a session: nothing was added."]


@pytest.mark.usefixtures("yesterday")
@pytest.mark.parametrize("token", ["", "not-a-uuid", "x" * 5000, "\x00"])
def test_a_bad_token_saves_nothing_and_says_so(alice_client, alice, token):
    response = alice_client.post(URL, {"token": token})
    assert response.status_code == 302
    assert not todays(alice).exists()
    assert said(response) == ["That form was out of date: nothing was saved."]


def test_get_is_not_allowed(alice_client):
    assert alice_client.get(URL).status_code == 405


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.post(URL, {"token": str(uuid.uuid4())})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not MassageSession.objects.exists()


@pytest.mark.usefixtures("yesterday")
def test_it_needs_the_csrf_token(csrf_client, alice):
    csrf_client.force_login(alice)
    response = done_as_usual(csrf_client)
    assert response.status_code == 403
    assert not todays(alice).exists()
    # The dashboard's form carries one.
    html = csrf_client.get("/").content.decode()
    form = html.split(f'action="{URL}"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form


# -- Undo ----------------------------------------------------------------------


def undo_url(session):
    return f"/sessions/{session.pk}/undo/"


@pytest.mark.usefixtures("yesterday")
def test_undo_within_a_minute_takes_it_back_and_the_days_with_it(alice_client, alice):
    done_as_usual(alice_client)
    session = todays(alice).get()
    with time_machine.travel(NOW + dt.timedelta(seconds=59), tick=False):
        response = alice_client.post(undo_url(session))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not todays(alice).exists()
    assert MassageSession.objects.filter(user=alice).count() == 1  # yesterday's
    assert said(response)[-1:] == [
        "Undone: the session of Wednesday 25 November 2026 is gone."
    ]
    # The stored days followed: today has no session, the streak is one day.
    today = Day.objects.filter(user=alice, date=dt.date(2026, 11, 25)).first()
    assert today is None or today.sessions == 0
    page = alice_client.get("/")
    assert figures(page)["Current streak"] == "1 day"
    assert "/undo/" not in page.content.decode()


@pytest.mark.usefixtures("yesterday")
def test_the_same_button_again_after_undo_logs_nothing(alice_client, alice):
    """The dashboard from before the undo (the Back button), its button pressed
    again: the undone session stays undone."""
    token = uuid.uuid4()
    done_as_usual(alice_client, token)
    alice_client.post(undo_url(todays(alice).get()))
    response = done_as_usual(alice_client, token)
    assert not todays(alice).exists()
    assert said(response)[-1:] == [
        "That session was undone, so nothing was saved again."
    ]


@pytest.mark.usefixtures("yesterday")
def test_undo_after_a_minute_deletes_nothing(alice_client, alice):
    done_as_usual(alice_client)
    session = todays(alice).get()
    with time_machine.travel(NOW + dt.timedelta(seconds=60), tick=False):
        response = alice_client.post(undo_url(session))
    assert response.status_code == 302
    assert todays(alice).exists()
    assert said(response)[-1:] == [
        "Too late to undo: it is over a minute old. You can delete it from the "
        "sessions list."
    ]


def test_undo_of_someone_elses_session_is_404(alice_client, charlie):
    theirs = log_session(charlie, dt.datetime(2026, 11, 25, 3, 59))
    response = alice_client.post(undo_url(theirs))
    assert response.status_code == 404
    assert MassageSession.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("pk", [10**30, 2**63, 0, 987654321])
def test_undo_of_no_session_is_404(alice_client, pk):
    assert alice_client.post(f"/sessions/{pk}/undo/").status_code == 404


@pytest.mark.usefixtures("yesterday")
def test_undo_needs_post_and_the_csrf_token(alice_client, csrf_client, alice):
    done_as_usual(alice_client)
    session = todays(alice).get()
    assert alice_client.get(undo_url(session)).status_code == 405
    csrf_client.force_login(alice)
    assert csrf_client.post(undo_url(session)).status_code == 403
    assert todays(alice).exists()
