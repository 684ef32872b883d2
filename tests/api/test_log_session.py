"""POST /api/v1/sessions: a session logged from a shortcut, by the log form's
rules, exactly once per Idempotency-Key."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import ApiToken
from sessions.models import MassageSession, Pause, RestDay, Technique
from tests.api.conftest import Api, body, make_token
from tests.factories import builtin, log_session

NOW = dt.datetime(2026, 11, 25, 21, 30, tzinfo=dt.UTC)  # 21:30 in London


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def links():
    return MassageSession.techniques.through.objects.count()


def test_a_session_with_every_field_is_logged_and_answered_with_its_day(
    alice_api, alice
):
    response = alice_api.post(
        "sessions",
        {
            "start": "2026-11-25T21:05:00+00:00",
            "duration_minutes": 12,
            "techniques": ["warm-up STROKES", builtin("arch").pk],
            "comfort": 4,
            "pressure": "medium",
            "notes": "Before bed.",
        },
    )
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    session = MassageSession.objects.get()
    assert session.user == alice
    assert session.started_at == dt.datetime(2026, 11, 25, 21, 5, tzinfo=dt.UTC)
    assert session.timezone == "Europe/London"
    assert session.local_date == dt.date(2026, 11, 25)
    assert (session.duration_minutes, session.comfort, session.pressure) == (
        12,
        4,
        "medium",
    )
    assert session.notes == "Before bed."
    assert set(session.techniques.values_list("key", flat=True)) == {"warm-up", "arch"}
    answer = body(response)
    assert answer["day"] == "2026-11-25"
    assert answer["current_streak"] == 1
    assert answer["session"]["id"] == session.pk
    assert answer["session"]["day"] == "2026-11-25"
    assert answer["session"]["start"] == "2026-11-25T21:05:00Z"
    assert [t["name"] for t in answer["session"]["techniques"]] == [
        "Warm-up strokes",
        "Arch thumb pressure",
    ]


def test_an_empty_body_logs_now_with_the_log_forms_defaults(alice_api, alice):
    log_session(alice, dt.datetime(2026, 11, 24, 8, 0), techniques=["ball"])
    response = alice_api.post("sessions")
    assert response.status_code == 201
    session = MassageSession.objects.get(pk=body(response)["session"]["id"])
    assert session.started_at == NOW
    assert session.duration_minutes == 10
    assert list(session.techniques.values_list("key", flat=True)) == ["ball"]
    assert session.comfort is None  # not recorded
    assert (session.pressure, session.notes) == ("", "")
    assert body(response)["current_streak"] == 2


def test_the_default_techniques_are_the_latest_sessions_not_the_last_logged(
    alice_api, alice
):
    log_session(alice, dt.datetime(2026, 11, 24, 20, 0), techniques=["ball", "toes"])
    log_session(alice, dt.datetime(2026, 11, 24, 8, 0), techniques=["arch"])  # later
    response = alice_api.post("sessions")
    assert response.status_code == 201
    answer = body(response)["session"]["techniques"]
    session = MassageSession.objects.get(pk=body(response)["session"]["id"])
    keys = set(session.techniques.values_list("key", flat=True))
    assert keys == {"ball", "toes"}
    assert answer == [
        {"id": t.pk, "name": t.name}
        for t in session.techniques.order_by("position", "name")
    ]


def test_an_archived_technique_of_last_time_is_left_out_of_the_defaults(
    alice_api, alice
):
    """The shortcut by the bed sends nothing: archiving a technique last used
    must not make it fail."""
    mine = Technique.objects.create(user=alice, name="Heel roll")
    last = log_session(alice, dt.datetime(2026, 11, 24, 8, 0), techniques=["ball"])
    last.techniques.add(mine)
    mine.archived = True
    mine.save()
    response = alice_api.post("sessions")
    assert response.status_code == 201, body(response)
    session = MassageSession.objects.get(pk=body(response)["session"]["id"])
    assert list(session.techniques.all()) == [builtin("ball")]


@pytest.mark.parametrize("archived", [True, False], ids=["archived", "none at all"])
def test_when_nothing_of_last_time_is_offered_the_basic_routine_is_logged(
    alice_api, alice, archived
):
    last = log_session(alice, dt.datetime(2026, 11, 24, 8, 0), techniques=[])
    if archived:
        last.techniques.add(
            Technique.objects.create(user=alice, name="Old roll", archived=True)
        )
    response = alice_api.post("sessions")
    assert response.status_code == 201, body(response)
    session = MassageSession.objects.get(pk=body(response)["session"]["id"])
    keys = set(session.techniques.values_list("key", flat=True))
    assert keys == {"warm-up", "arch", "toes", "ankle"}


def test_a_built_in_technique_archived_in_the_admin_leaves_the_basic_routine(
    alice_api, alice
):
    Technique.objects.filter(user=None, key="toes").update(archived=True)
    response = alice_api.post("sessions")
    assert response.status_code == 201, body(response)
    keys = set(MassageSession.objects.get().techniques.values_list("key", flat=True))
    assert keys == {"warm-up", "arch", "ankle"}


def test_a_newcomers_session_gets_the_basic_routine(alice_api):
    assert alice_api.post("sessions", {"comfort": 5}).status_code == 201
    keys = set(MassageSession.objects.get().techniques.values_list("key", flat=True))
    assert keys == {"warm-up", "arch", "toes", "ankle"}


def test_the_start_is_that_instant_logged_in_the_users_current_zone(alice_api):
    response = alice_api.post("sessions", {"start": "2026-11-25T06:05:00+09:00"})
    assert response.status_code == 201
    session = MassageSession.objects.get()
    assert session.started_at == dt.datetime(2026, 11, 24, 21, 5, tzinfo=dt.UTC)
    assert session.timezone == "Europe/London"
    assert body(response)["day"] == "2026-11-24"


def test_the_day_start_hour_decides_the_day(alice_api, alice):
    alice.day_start_hour = 4
    alice.save()
    response = alice_api.post("sessions", {"start": "2026-11-25T00:40:00Z"})
    assert body(response)["day"] == "2026-11-24"


def test_no_session_counts_for_a_day_before_1_january_2000(alice_api, alice):
    """With days starting at 04:00, 02:00 on 1 January 2000 would count for
    31 December 1999, which no form, import or backup takes."""
    alice.day_start_hour = 4
    alice.save()
    response = alice_api.post("sessions", {"start": "2000-01-01T02:00:00Z"})
    assert response.status_code == 422
    assert body(response)["errors"]["start"] == [
        "Sessions can be logged from 1 January 2000 on."
    ]
    assert not MassageSession.objects.exists()
    later = alice_api.post("sessions", {"start": "2000-01-01T05:00:00Z"})
    assert body(later)["day"] == "2000-01-01"


def test_a_start_a_few_minutes_ahead_is_now_and_counts_for_today(alice_api, alice):
    """A phone clock running fast must not put 23:58's session on tomorrow."""
    with time_machine.travel(dt.datetime(2026, 11, 25, 23, 58, tzinfo=dt.UTC)):
        answer = body(alice_api.post("sessions", {"start": "2026-11-26T00:02:00Z"}))
        summary = body(alice_api.get("summary"))
    assert answer["day"] == summary["today"] == "2026-11-25"
    assert summary["status"] == "done"


def test_choices_are_taken_in_any_case(alice_api):
    """As techniques and zones are: "Medium" from a shortcut's menu."""
    response = alice_api.post("sessions", {"pressure": " Medium", "foot": "LEFT"})
    assert response.status_code == 201, body(response)
    session = MassageSession.objects.get()
    assert (session.pressure, session.foot) == ("medium", "left")
    rest = alice_api.post("rest-days", {"date": "2026-11-27", "reason": "Travel"})
    assert (rest.status_code, body(rest)["reason"]) == (201, "travel")


def test_a_time_the_clocks_show_twice_keeps_the_instant_sent(charlie):
    # 01:30 happens twice in New York on 1 November 2026: this is the second.
    api = Api(make_token(charlie))
    response = api.post("sessions", {"start": "2026-11-01T01:30:00-05:00"})
    assert response.status_code == 201
    session = MassageSession.objects.get()
    assert session.started_at == dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)
    assert body(response)["session"]["start"] == "2026-11-01T01:30:00-05:00"


def test_the_current_streak_counts_the_days_before(alice_api, alice):
    for day in (22, 23, 24):
        log_session(alice, dt.datetime(2026, 11, day, 8, 0))
    log_session(alice, dt.datetime(2026, 11, 20, 8, 0))
    response = alice_api.post("sessions", {"comfort": 4})
    assert body(response)["current_streak"] == 4


def test_a_session_long_ago_that_joins_two_runs_counts_in_the_streak(alice_api, alice):
    # The older days of the history may come from the cache: the answer still
    # sees a session logged there a moment ago.
    for day in range(1, 91):  # 28 August to today, 25 November
        if day != 30:
            log_session(alice, dt.datetime(2026, 8, 27, 8) + dt.timedelta(days=day))
    alice_api.get("summary")  # the older days are cached now
    response = alice_api.post("sessions", {"start": "2026-09-26T08:00:00Z"})
    assert response.status_code == 201
    assert body(response)["current_streak"] == 90


@pytest.mark.parametrize(
    ("history", "start", "streak"),
    [
        ("practised yesterday", None, 11),
        ("practised yesterday", "2026-11-20T08:00:00Z", 10),  # today still open
        ("rested today", "2026-11-24T08:00:00Z", 10),
        ("rested yesterday", None, 10),
        ("paused until today", "2026-11-10T08:00:00Z", 9),
        ("a gap yesterday", None, 1),
        ("a gap yesterday", "2026-11-22T08:00:00Z", 0),
    ],
)
def test_the_answers_current_streak_is_the_summarys(
    alice_api, alice, history, start, streak
):
    for day in range(15, 24):  # practised 15 to 23 November; today is the 25th
        log_session(alice, dt.datetime(2026, 11, day, 8, 0))
    if history == "practised yesterday":
        log_session(alice, dt.datetime(2026, 11, 24, 8, 0))
    elif history == "rested today":
        RestDay.objects.mark(alice, dt.date(2026, 11, 25))
    elif history == "rested yesterday":
        RestDay.objects.mark(alice, dt.date(2026, 11, 24))
    elif history == "paused until today":
        Pause.objects.add(alice, dt.date(2026, 11, 24), dt.date(2026, 11, 25), "travel")
    response = alice_api.post("sessions", {} if start is None else {"start": start})
    assert response.status_code == 201
    assert body(response)["current_streak"] == streak
    assert body(alice_api.get("summary"))["current_streak"] == streak


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"duration_minutes": 0}, "duration_minutes", "a whole number, 1 to 180"),
        ({"duration_minutes": 181}, "duration_minutes", "a whole number, 1 to 180"),
        ({"comfort": 6}, "comfort", "not one of the available choices"),
        ({"pressure": "hard"}, "pressure", "not one of the available choices"),
        ({"notes": "x" * 2001}, "notes", "at most 2000 characters"),
        ({"notes": "a\x00b"}, "notes", "Null characters are not allowed"),
        ({"techniques": []}, "techniques", "at least one technique"),
        ({"techniques": ["Moon walk"]}, "techniques", "no technique called"),
        ({"start": "2026-11-25T23:00:00Z"}, "start", "in the future"),
        ({"start": "1999-12-31T12:00:00Z"}, "start", "from 1 January 2000"),
        ({"start": "0001-01-01T00:00:00+14:00"}, "start", "out of range"),
        ({"start": "9999-12-31T23:00:00-12:00"}, "start", "out of range"),
        ({"start": "2026-11-25T21:00:00"}, "start", "timezone"),
        ({"start": "yesterday"}, "start", "datetime"),
        ({"duration_minutes": "ten"}, "duration_minutes", "integer"),
        ({"duration_minutes": True}, "duration_minutes", "integer"),
        ({"techniques": "Arch"}, "techniques", "list"),
        # Neither an id nor a name: under the field, not under the types tried.
        ({"techniques": [1.5]}, "techniques", "integer"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(
    alice_api, fields, field, message
):
    response = alice_api.post("sessions", fields)
    assert response.status_code == 422
    answer = body(response)
    assert answer["message"].startswith("Nothing was saved")
    assert list(answer["errors"]) == [field]
    assert message in " ".join(answer["errors"][field])
    assert not MassageSession.objects.exists()
    assert links() == 0


def test_archived_techniques_and_other_peoples_are_refused(alice_api, alice, charlie):
    old = Technique.objects.create(user=alice, name="Old roll", archived=True)
    theirs = Technique.objects.create(user=charlie, name="Their roll")
    for techniques in ([old.pk], ["old roll"], [theirs.pk], ["Their roll"]):
        response = alice_api.post("sessions", {"techniques": techniques})
        assert response.status_code == 422, techniques
        assert "techniques" in body(response)["errors"]
    assert not MassageSession.objects.exists()


def test_own_techniques_go_by_name_or_id(alice_api, alice):
    roll = Technique.objects.create(user=alice, name="Tennis ball roll")
    response = alice_api.post("sessions", {"techniques": ["  tennis BALL roll "]})
    assert response.status_code == 201
    response = alice_api.post("sessions", {"techniques": [str(roll.pk)]})
    assert response.status_code == 201
    for session in MassageSession.objects.all():
        assert list(session.techniques.all()) == [roll]


@pytest.mark.parametrize(
    "raw",
    ["[1, 2]", '"text"', "3", "{not json", '{"notes": "\\ud800"}', "9" * 5000],
)
def test_a_body_that_is_not_a_json_object_is_refused(alice_api, raw):
    response = alice_api.post("sessions", raw=raw)
    assert response.status_code == 400
    assert "JSON object" in body(response)["message"]
    assert not MassageSession.objects.exists()


# Idempotency-Key: a retry returns the first answer and never a second session.


def test_a_retry_with_the_same_key_returns_the_first_session(alice_api):
    key = {"Idempotency-Key": "nfc-tag-2026-11-25-evening"}
    first = alice_api.post("sessions", {"comfort": 4}, headers=key)
    again = alice_api.post("sessions", {"comfort": 4}, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert body(again)["session"] == body(first)["session"]
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert MassageSession.objects.count() == 1


def test_a_retry_after_the_session_was_deleted_does_not_bring_it_back(alice_api):
    """The answer to the first request was lost; meanwhile the user deleted
    the session (on the pages, or through the API). The shortcut's retry must
    not log it again."""
    key = {"Idempotency-Key": "bedside-tag-retry"}
    first = alice_api.post("sessions", {"comfort": 4}, headers=key)
    deleted = alice_api.delete(f"sessions/{body(first)['session']['id']}")
    assert deleted.status_code == 204
    again = alice_api.post("sessions", {"comfort": 4}, headers=key)
    assert again.status_code == 409
    assert "deleted" in body(again)["message"]
    assert not MassageSession.objects.exists()
    # A new key logs a new session, as ever.
    fresh = alice_api.post("sessions", {"comfort": 4}, headers={"Idempotency-Key": "x"})
    assert fresh.status_code == 201
    assert MassageSession.objects.count() == 1


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_key_is_no_key_and_each_request_logs_a_session(alice_api, empty):
    """A shortcut whose key variable came out empty must not turn every later
    tap into a replay of the first session."""
    for _ in range(2):
        response = alice_api.post("sessions", headers={"Idempotency-Key": empty})
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response
    assert MassageSession.objects.count() == 2


def test_whole_numbers_written_as_floats_are_taken(alice_api):
    """Home Assistant's number helpers send 4.0 for 4."""
    sent = {"comfort": 4.0, "duration_minutes": 12.0}
    sent |= {"pain_before": 6.0, "pain_after": 3.0}
    response = alice_api.post("sessions", sent)
    assert response.status_code == 201, body(response)
    session = MassageSession.objects.get()
    taken = ("comfort", "duration_minutes", "pain_before", "pain_after")
    assert [getattr(session, name) for name in taken] == [4, 12, 6, 3]


@pytest.mark.parametrize(
    "sent", [{"comfort": 4.5}, {"comfort": "4"}, {"comfort": True}]
)
def test_a_fraction_a_string_or_a_boolean_is_still_not_a_whole_number(alice_api, sent):
    response = alice_api.post("sessions", sent)
    assert response.status_code == 422
    assert "comfort" in body(response)["errors"]
    assert not MassageSession.objects.exists()


def test_a_retry_answers_with_the_first_session_even_if_its_body_differs(
    alice_api,
):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = alice_api.post("sessions", {"comfort": 4}, headers=key)
    again = alice_api.post("sessions", {"comfort": 2, "notes": "x"}, headers=key)
    assert body(again)["session"] == body(first)["session"]
    assert MassageSession.objects.get().comfort == 4


def test_other_keys_log_other_sessions(alice_api):
    for key in ("a", "b", str(uuid.uuid4())):
        response = alice_api.post("sessions", headers={"Idempotency-Key": key})
        assert response.status_code == 201
    assert alice_api.post("sessions").status_code == 201
    assert MassageSession.objects.count() == 4


def test_a_key_is_one_users_own(alice_api, charlie):
    key = {"Idempotency-Key": "same-key"}
    alice_api.post("sessions", headers=key)
    response = Api(make_token(charlie)).post("sessions", headers=key)
    assert response.status_code == 201
    assert MassageSession.objects.filter(user=charlie).count() == 1


def test_a_uuid_key_finds_the_session_the_log_form_saved_with_that_token(
    alice_api, alice_client
):
    token = str(uuid.uuid4())
    data = {
        "date": "2026-11-25",
        "start_time": "21:00",
        "duration_minutes": "10",
        "techniques": [builtin("warm-up").pk],
        "comfort": "4",
        "token": token,
    }
    assert alice_client.post("/sessions/new/", data).status_code == 302
    response = alice_api.post("sessions", headers={"Idempotency-Key": token})
    assert response.status_code == 201
    assert MassageSession.objects.count() == 1


def test_a_key_longer_than_255_characters_is_refused(alice_api):
    response = alice_api.post("sessions", headers={"Idempotency-Key": "k" * 256})
    assert response.status_code == 422
    assert not MassageSession.objects.exists()


# Who may log.


def test_a_read_only_token_cannot_log(reader_api):
    response = reader_api.post("sessions", {"comfort": 4})
    assert response.status_code == 403
    assert "may only read" in body(response)["message"]
    assert not MassageSession.objects.exists()


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Bearer not-a-token",
        "Basic YWxpY2U6cGFzcw==",
        "Bearer " + "x" * 500,
    ],
)
def test_without_a_valid_token_the_answer_is_401(alice, authorization):
    make_token(alice)
    headers = {"Authorization": authorization} if authorization else {}
    response = Api().post("sessions", {"comfort": 4}, headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert body(response)["message"]
    assert not MassageSession.objects.exists()


def test_a_revoked_token_stops_working_at_once(alice_client, alice):
    token = make_token(alice)
    api = Api(token)
    assert api.post("sessions").status_code == 201
    row = ApiToken.objects.get()
    alice_client.post(f"/accounts/apps/{row.pk}/revoke/")
    response = api.post("sessions")
    assert response.status_code == 401
    assert "revoked" in body(response)["message"]
    assert MassageSession.objects.count() == 1


def test_the_token_of_a_deactivated_account_stops_working(alice_api, alice):
    alice.is_active = False
    alice.save()
    assert alice_api.post("sessions").status_code == 401


def test_a_session_cookie_alone_is_never_enough(alice_client, csrf_client, alice):
    # The pages' cookie, with or without the CSRF token: the API never acts on it.
    assert Api(client=alice_client).post("sessions").status_code == 401
    csrf_client.force_login(alice)
    assert Api(client=csrf_client).post("sessions").status_code == 401
    assert not MassageSession.objects.exists()


def test_csrf_does_not_apply_to_a_bearer_token(csrf_client, alice):
    api = Api(make_token(alice), client=csrf_client)
    assert api.post("sessions", {"comfort": 4}).status_code == 201


def test_another_users_cookie_does_not_change_whose_session_it_is(
    alice_api, charlie, client
):
    client.force_login(charlie)
    alice_api.client = client
    assert alice_api.post("sessions").status_code == 201
    session = MassageSession.objects.get()
    assert session.user.username == "alice"
    assert session.timezone == "Europe/London"


def test_the_token_notes_when_it_was_last_used(alice_api):
    assert ApiToken.objects.get().last_used_at is None
    alice_api.post("sessions")
    assert ApiToken.objects.get().last_used_at == NOW


def test_a_session_is_logged_without_range_queries_or_a_savepoint_of_its_own(
    alice_api, alice
):
    """The model's check constraints are not asked of the database before the
    write (the form's and the model's fields check the ranges), and the write
    takes no savepoint inside its transaction."""
    for day in range(1, 20):
        log_session(alice, dt.datetime(2026, 11, day, 8, 0))
    with CaptureQueriesContext(connection) as post:
        assert alice_api.post("sessions", {"comfort": 4}).status_code == 201
    assert not [query for query in post if '"_check"' in query["sql"]]
    # Inside the test's own transaction, the write adds no savepoint.
    assert not [query for query in post if query["sql"].startswith("SAVEPOINT")]
