"""GET /api/v1/sessions (paged, by practice day) and DELETE /api/v1/sessions/{id}."""

import datetime as dt

import pytest
import time_machine

from sessions.models import MassageSession
from tests.api.conftest import Api, body
from tests.factories import builtin, log_session

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def days(answer):
    return [item["day"] for item in answer["items"]]


def test_sessions_come_newest_first_with_their_details(reader_api, alice):
    log_session(alice, dt.datetime(2026, 11, 23, 7, 45), techniques=("arch", "toes"))
    log_session(
        alice, dt.datetime(2026, 11, 24, 21, 0), minutes=15, comfort=2, notes="Sore"
    )
    response = reader_api.get("sessions")
    assert response.status_code == 200
    answer = body(response)
    assert (answer["count"], answer["page"], answer["pages"]) == (2, 1, 1)
    assert answer["next"] is None
    newest, oldest = answer["items"]
    assert newest["day"] == "2026-11-24"
    assert newest["start"] == "2026-11-24T21:00:00Z"
    assert (newest["duration_minutes"], newest["comfort"], newest["notes"]) == (
        15,
        2,
        "Sore",
    )
    assert [t["id"] for t in oldest["techniques"]] == [
        builtin("arch").pk,
        builtin("toes").pk,
    ]
    assert oldest["techniques"][1]["name"] == builtin("toes").name


def test_from_and_to_pick_practice_days_both_included(reader_api, alice):
    for day in range(1, 26):
        log_session(alice, dt.datetime(2026, 11, day, 8, 0))
    answer = body(
        reader_api.get("sessions", {"from": "2026-11-10", "to": "2026-11-12"})
    )
    assert days(answer) == ["2026-11-12", "2026-11-11", "2026-11-10"]
    assert body(reader_api.get("sessions", {"from": "2026-11-24"}))["count"] == 2
    assert body(reader_api.get("sessions", {"to": "2026-11-02"}))["count"] == 2


def test_pages_hold_fifty_and_link_the_next(reader_api, alice):
    start = dt.datetime(2026, 7, 1, 8, 0)
    for n in range(120):
        log_session(alice, start + dt.timedelta(days=n))
    first = body(reader_api.get("sessions", {"from": "2026-07-01"}))
    assert (first["count"], first["pages"], len(first["items"])) == (120, 3, 50)
    assert first["next"] == "http://testserver/api/v1/sessions?from=2026-07-01&page=2"
    third = body(reader_api.get("sessions", {"from": "2026-07-01", "page": 3}))
    assert len(third["items"]) == 20
    assert third["next"] is None
    assert third["items"][-1]["day"] == "2026-07-01"
    beyond = body(reader_api.get("sessions", {"page": 9}))
    assert (beyond["items"], beyond["count"]) == ([], 120)


def test_a_day_imported_without_a_time_has_no_start(reader_api, alice):
    MassageSession.objects.log(
        alice, None, "Europe/London", local_date=dt.date(2026, 11, 2)
    )
    (item,) = body(reader_api.get("sessions"))["items"]
    assert (item["start"], item["duration_minutes"], item["comfort"]) == (
        None,
        None,
        None,
    )


def test_other_peoples_sessions_are_never_listed(reader_api, alice, charlie):
    log_session(charlie, dt.datetime(2026, 11, 24, 8, 0))
    assert body(reader_api.get("sessions"))["count"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-30"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-11-20", "to": "2026-11-10"}, "from"),
        ({"page": "0"}, "page"),
        ({"page": str(10**30)}, "page"),
    ],
)
def test_bad_filters_are_refused(reader_api, params, field):
    response = reader_api.get("sessions", params)
    assert response.status_code == 422
    answer = body(response)
    assert list(answer["errors"]) == [field]
    assert answer["message"].startswith(f"Not valid: {field}:")  # nothing to save


def test_the_list_takes_the_same_queries_for_one_session_or_many(
    reader_api, alice, django_assert_max_num_queries
):
    log_session(alice, dt.datetime(2026, 11, 24, 8, 0))
    with django_assert_max_num_queries(6) as one:
        reader_api.get("sessions")
    for n in range(60):
        log_session(alice, dt.datetime(2026, 9, 1, 8, 0) + dt.timedelta(days=n))
    with django_assert_max_num_queries(len(one.captured_queries)):
        reader_api.get("sessions")


def test_a_session_is_deleted_by_its_id(alice_api, alice):
    session = log_session(alice, dt.datetime(2026, 11, 24, 8, 0))
    response = alice_api.delete(f"sessions/{session.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert not MassageSession.objects.exists()
    assert not MassageSession.techniques.through.objects.exists()
    again = alice_api.delete(f"sessions/{session.pk}")
    assert again.status_code == 404
    assert body(again)["message"] == "You have no session with that id."


def test_another_users_session_is_a_404_and_stays(alice_api, charlie):
    theirs = log_session(charlie, dt.datetime(2026, 11, 24, 8, 0))
    for pk in (theirs.pk, 0, 2**63, 10**30):
        response = alice_api.delete(f"sessions/{pk}")
        assert response.status_code == 404, pk
        assert body(response)["message"]
    assert MassageSession.objects.filter(pk=theirs.pk).exists()


def test_a_read_only_token_cannot_delete(reader_api, alice):
    session = log_session(alice, dt.datetime(2026, 11, 24, 8, 0))
    response = reader_api.delete(f"sessions/{session.pk}")
    assert response.status_code == 403
    assert MassageSession.objects.filter(pk=session.pk).exists()


def test_reading_needs_a_token(alice_client):
    for path in ("sessions", "summary"):
        response = Api(client=alice_client).get(path)
        assert response.status_code == 401
