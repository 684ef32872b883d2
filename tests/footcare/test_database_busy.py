"""A database that cannot answer for a moment (an SQLite file locked by a long
write, PostgreSQL restarting or out of connections) gets 503 with Retry-After
and "nothing was saved", never a 500 page, and nothing half-written stays."""

import datetime as dt
import uuid
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.views.defaults import server_error

from sessions.models import MassageSession
from tests.api.conftest import Api, make_token
from tests.factories import builtin

LOCKED = OperationalError("database is locked")


@pytest.fixture
def alice_browser(alice, catalog):
    """Alice signed in, with a client that answers errors as a server does."""
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return client


def log_form(user):
    yesterday = user.today() - dt.timedelta(days=1)
    return {
        "date": yesterday.isoformat(),
        "start_time": "07:30",
        "duration_minutes": "10",
        "techniques": [builtin("arch").pk],
        "token": str(uuid.uuid4()),
    }


# Transactional: the write's own transaction must be the outermost, as it is
# in a request, for its rollback to be seen.
@pytest.mark.django_db(transaction=True)
def test_a_locked_database_while_saving_a_session_answers_503_and_saves_nothing(
    alice_browser, alice
):
    # The session row is written, then working out its day meets the lock:
    # the transaction goes back whole.
    with mock.patch("sessions.days.refresh", side_effect=LOCKED):
        response = alice_browser.post("/sessions/new/", log_form(alice))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    text = response.content.decode()
    assert "nothing was saved" in text
    assert "Busy for a moment" in text
    assert not MassageSession.objects.filter(user=alice).exists()
    # Once the database answers again, the same form saves.
    assert alice_browser.post("/sessions/new/", log_form(alice)).status_code == 302
    assert MassageSession.objects.filter(user=alice).count() == 1


def test_a_page_that_cannot_read_answers_503(alice_browser):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=LOCKED
    ):
        response = alice_browser.get("/")
    assert response.status_code == 503
    assert "try again" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_503_in_json_and_logs_nothing(alice, catalog):
    api = Api(make_token(alice), client=Client(raise_request_exception=False))
    with mock.patch("sessions.days.refresh", side_effect=LOCKED):
        response = api.post("sessions", {"duration_minutes": 12})
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "nothing was saved" in response.json()["message"]
    assert response["Retry-After"] == "5"
    assert not MassageSession.objects.filter(user=alice).exists()


def test_any_other_failure_is_still_a_500(alice_browser):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=RuntimeError("a bug"),
    ):
        response = alice_browser.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Retry-After" not in response


def test_the_error_page_without_context_is_the_plain_500_page(rf):
    """Django renders 500.html with no context of its own (its default handler,
    tests with DEBUG off): the page's defaults are the 500 wording."""
    text = server_error(rf.get("/")).content.decode()
    assert "Something went wrong on our side" in text
    assert "Busy for a moment" not in text
