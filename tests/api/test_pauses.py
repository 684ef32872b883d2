"""GET and POST /api/v1/pauses, POST /api/v1/pauses/{id}/end and
DELETE /api/v1/pauses/{id}: the pause form's rules through a token."""

import datetime as dt

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions.models import MassageSession, Pause
from tests.api.conftest import Api, body, make_token
from tests.factories import log_session, pause

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def pauses_of(user):
    return list(
        Pause.objects.for_user(user)
        .order_by("start")
        .values_list("start", "end", "reason", "note")
    )


def test_a_pause_is_made(alice_api, alice):
    response = alice_api.post(
        "pauses",
        {
            "start": "2026-11-26",
            "end": "2026-11-30",
            "reason": "illness",
            "note": "Flu",
        },
    )
    assert response.status_code == 201
    made = Pause.objects.get()
    assert body(response) == {
        "id": made.pk,
        "start": "2026-11-26",
        "end": "2026-11-30",
        "reason": "illness",
        "note": "Flu",
        "days": 5,
    }
    assert pauses_of(alice) == [
        (dt.date(2026, 11, 26), dt.date(2026, 11, 30), "illness", "Flu")
    ]


def test_the_note_may_be_left_out_and_a_day_is_a_pause(alice_api, alice):
    response = alice_api.post(
        "pauses", {"start": "2026-11-25", "end": "2026-11-25", "reason": "travel"}
    )
    assert response.status_code == 201
    assert (body(response)["note"], body(response)["days"]) == ("", 1)


def test_the_pauses_are_listed_newest_first_and_only_ones_own(
    reader_api, alice, charlie
):
    older = pause(alice, dt.date(2026, 10, 1), dt.date(2026, 10, 3), "travel")
    newer = pause(
        alice, dt.date(2026, 12, 10), dt.date(2026, 12, 24), "injury", "Ankle"
    )
    pause(charlie, dt.date(2026, 11, 1), dt.date(2026, 11, 2))
    response = reader_api.get("pauses")
    assert response.status_code == 200
    assert body(response) == [
        {
            "id": newer.pk,
            "start": "2026-12-10",
            "end": "2026-12-24",
            "reason": "injury",
            "note": "Ankle",
            "days": 15,
        },
        {
            "id": older.pk,
            "start": "2026-10-01",
            "end": "2026-10-03",
            "reason": "travel",
            "note": "",
            "days": 3,
        },
    ]


def test_no_pauses_is_an_empty_list(reader_api):
    response = reader_api.get("pauses")
    assert response.status_code == 200
    assert body(response) == []


def test_a_pause_bridges_the_streak_without_counting(alice_api, alice):
    for day in (18, 19, 20):
        log_session(alice, dt.datetime(2026, 11, day, 8, 0))
    assert alice_api.post("sessions").status_code == 201  # today, the 25th
    # 21-24 November without a session broke the run: today alone.
    assert body(alice_api.get("summary"))["current_streak"] == 1

    made = alice_api.post(
        "pauses", {"start": "2026-11-21", "end": "2026-11-24", "reason": "illness"}
    )
    assert made.status_code == 201
    answer = body(alice_api.get("summary"))
    # 18, 19, 20 and 25 November: the four paused days bridge, never count.
    assert answer["current_streak"] == 4
    assert answer["current_run"]["start"] == "2026-11-18"
    assert answer["current_run"]["end"] == "2026-11-25"

    deleted = alice_api.delete(f"pauses/{body(made)['id']}")
    assert deleted.status_code == 204
    assert body(alice_api.get("summary"))["current_streak"] == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"start": "2026-11-22", "end": "2026-11-24"},
            "a pause cannot cover a day with a session",
        ),
        ({"start": "2026-11-28", "end": "2026-11-27"}, "on or after the first day"),
        ({"start": "2026-11-30", "end": "2026-12-02"}, "overlap your pause"),
        ({"start": "2026-01-01", "end": "2027-01-05"}, "at most 366 days"),
        ({"start": "1999-12-31", "end": "2000-01-02"}, "from 2000 on"),
        ({"start": "2027-12-30", "end": "2028-01-01"}, "up to a year ahead"),
        ({"reason": "bored"}, "not one of the available choices"),
        ({"note": "x" * 201}, "at most 200 characters"),
        ({"note": "a\x00b"}, "Null characters are not allowed"),
        ({"start": "26/11/2026"}, "date"),
        ({"reason": None}, "reason"),
        ({"end": 12}, "end"),
    ],
)
def test_the_pause_forms_rules_apply_and_nothing_is_written(
    alice_api, alice, fields, message
):
    log_session(alice, dt.datetime(2026, 11, 24, 8, 0))
    pause(alice, dt.date(2026, 12, 1), dt.date(2026, 12, 3))
    before = pauses_of(alice)
    sent = {"start": "2026-11-26", "end": "2026-11-27", "reason": "illness"}
    response = alice_api.post("pauses", {**sent, **fields})
    assert response.status_code == 422
    answer = body(response)
    assert message in answer["message"]
    assert answer["message"].startswith("Nothing was saved")
    assert answer["errors"]
    assert pauses_of(alice) == before


@pytest.mark.parametrize("left_out", ["start", "end", "reason"])
def test_start_end_and_reason_are_required(alice_api, alice, left_out):
    sent = {"start": "2026-11-26", "end": "2026-11-27", "reason": "illness"}
    del sent[left_out]
    response = alice_api.post("pauses", sent)
    assert response.status_code == 422
    assert left_out in body(response)["errors"]
    assert not Pause.objects.exists()


def test_an_empty_body_is_refused(alice_api):
    response = alice_api.post("pauses")
    assert response.status_code == 422
    assert body(response)["errors"] == {"body": ["Field required"]}
    assert not Pause.objects.exists()


def test_a_body_that_is_not_a_json_object_is_a_400(alice_api):
    response = alice_api.post("pauses", raw="[1, 2]")
    assert response.status_code == 400
    assert "JSON object" in body(response)["message"]
    assert not Pause.objects.exists()


def test_a_pause_over_a_practised_day_is_refused_with_nothing_written(alice_api, alice):
    log_session(alice, dt.datetime(2026, 11, 20, 8, 0))
    days_before = list(alice.days.order_by("date").values_list("date", "paused"))
    response = alice_api.post(
        "pauses", {"start": "2026-11-19", "end": "2026-11-21", "reason": "travel"}
    )
    assert response.status_code == 422
    assert body(response)["errors"] == {
        "body": [
            "You practised on Friday 20 November 2026: a pause cannot cover a day "
            "with a session. End it the day before, or start it the day after."
        ]
    }
    assert not Pause.objects.exists()
    assert list(alice.days.order_by("date").values_list("date", "paused")) == (
        days_before
    )


def test_a_session_logged_while_the_pause_was_being_made_wins(
    alice_api, alice, monkeypatch
):
    """Another request logs a session on one of the days between the form's
    check and the save: the save checks again under the lock, refuses it,
    and nothing is written."""
    real_problem = Pause.problem.__func__
    calls = []

    def problem_then_a_session(cls, user, start, end):
        found = real_problem(cls, user, start, end)
        calls.append(found)
        if len(calls) == 1:  # the form's check: the other request logs now
            log_session(alice, dt.datetime(2026, 11, 23, 8, 0))
        return found

    monkeypatch.setattr(Pause, "problem", classmethod(problem_then_a_session))
    response = alice_api.post(
        "pauses", {"start": "2026-11-22", "end": "2026-11-24", "reason": "illness"}
    )
    assert response.status_code == 422
    assert "a pause cannot cover a day with a session" in body(response)["message"]
    assert len(calls) == 2
    assert not Pause.objects.exists()
    assert MassageSession.objects.count() == 1


def test_a_pause_under_way_ends_today(alice_api, alice):
    made = pause(alice, dt.date(2026, 11, 20), dt.date(2026, 11, 30), "injury")
    response = alice_api.post(f"pauses/{made.pk}/end")
    assert response.status_code == 200
    assert body(response) == {
        "id": made.pk,
        "start": "2026-11-20",
        "end": "2026-11-24",
        "reason": "injury",
        "note": "",
        "days": 5,
    }
    assert pauses_of(alice) == [
        (dt.date(2026, 11, 20), dt.date(2026, 11, 24), "injury", "")
    ]
    # Today is an ordinary day again: logging it is allowed.
    assert alice_api.post("sessions").status_code == 201


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2026, 11, 25), dt.date(2026, 11, 30)),  # starts today
        (dt.date(2026, 11, 27), dt.date(2026, 11, 30)),  # not started yet
        (dt.date(2026, 11, 10), dt.date(2026, 11, 12)),  # over
        (dt.date(2026, 11, 20), dt.date(2026, 11, 24)),  # ended yesterday
    ],
)
def test_only_a_pause_under_way_since_before_today_can_end(
    alice_api, alice, start, end
):
    made = pause(alice, start, end)
    response = alice_api.post(f"pauses/{made.pk}/end")
    assert response.status_code == 409
    assert "cannot end today" in body(response)["message"]
    assert pauses_of(alice) == [(start, end, "illness", "")]


def test_a_pause_is_deleted(alice_api, alice):
    made = pause(alice, dt.date(2026, 11, 27), dt.date(2026, 11, 30))
    response = alice_api.delete(f"pauses/{made.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert not Pause.objects.exists()
    assert alice_api.delete(f"pauses/{made.pk}").status_code == 404


@pytest.mark.parametrize("action", ["end", "delete"])
def test_another_users_or_a_missing_pause_is_a_404(alice_api, charlie, action):
    theirs = pause(charlie, dt.date(2026, 11, 20), dt.date(2026, 11, 30))
    before = pauses_of(charlie)
    for pause_id in (theirs.pk, theirs.pk + 1000, 2**70):
        if action == "end":
            response = alice_api.post(f"pauses/{pause_id}/end")
        else:
            response = alice_api.delete(f"pauses/{pause_id}")
        assert response.status_code == 404
        assert body(response)["message"] == "You have no pause with that id."
    assert pauses_of(charlie) == before


def test_a_read_only_token_may_list_but_not_write(reader_api, alice):
    made = pause(alice, dt.date(2026, 11, 20), dt.date(2026, 11, 30))
    before = pauses_of(alice)
    assert reader_api.get("pauses").status_code == 200
    for response in (
        reader_api.post(
            "pauses", {"start": "2026-12-05", "end": "2026-12-06", "reason": "travel"}
        ),
        reader_api.post(f"pauses/{made.pk}/end"),
        reader_api.delete(f"pauses/{made.pk}"),
    ):
        assert response.status_code == 403
        assert "may only read" in body(response)["message"]
    assert pauses_of(alice) == before


def test_without_a_token_it_is_a_401(alice):
    made = pause(alice, dt.date(2026, 11, 20), dt.date(2026, 11, 30))
    anonymous = Api()
    assert anonymous.get("pauses").status_code == 401
    assert (
        anonymous.post(
            "pauses", {"start": "2026-12-05", "end": "2026-12-06", "reason": "travel"}
        ).status_code
        == 401
    )
    assert anonymous.post(f"pauses/{made.pk}/end").status_code == 401
    assert anonymous.delete(f"pauses/{made.pk}").status_code == 401
    assert Api("wrong").get("pauses").status_code == 401
    assert Pause.objects.count() == 1


def test_pauses_count_against_the_rate_limit(alice_api, settings):
    settings.API_RATE_LIMIT = 2
    assert alice_api.get("pauses").status_code == 200
    assert alice_api.get("pauses").status_code == 200
    response = alice_api.post(
        "pauses", {"start": "2026-12-05", "end": "2026-12-06", "reason": "travel"}
    )
    assert response.status_code == 429
    assert response["Retry-After"]
    assert not Pause.objects.exists()


FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
json_values = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
dates = st.dates().map(dt.date.isoformat) | st.dates(
    dt.date(2026, 11, 1), dt.date(2026, 12, 31)
).map(dt.date.isoformat)


@pytest.mark.django_db
@FUZZ
@given(
    start=dates | json_values,
    end=dates | json_values,
    reason=st.sampled_from(["illness", "travel", "Travel", ""]) | json_values,
    note=st.text(max_size=220) | json_values,
    omit=st.sets(st.sampled_from(["start", "end", "reason", "note"])),
)
def test_making_a_pause_never_fails_and_writes_all_or_nothing(
    alice, start, end, reason, note, omit
):
    fields = {
        name: value
        for name, value in (
            ("start", start),
            ("end", end),
            ("reason", reason),
            ("note", note),
        )
        if name not in omit
    }
    Pause.objects.all().delete()
    log_session(alice, dt.datetime(2026, 11, 24, 8, 0))
    response = Api(make_token(alice)).post("pauses", fields)
    assert response.status_code in (201, 400, 422), response.content
    if response.status_code != 201:
        assert body(response)["message"]
        assert not Pause.objects.exists()
        return
    made = Pause.objects.get()
    assert made.start <= made.end
    assert not (made.start <= dt.date(2026, 11, 24) <= made.end)
    assert made.days <= Pause.MAX_DAYS


def test_the_schema_documents_the_pauses_answers(client):
    paths = body(client.get("/api/v1/openapi.json"))["paths"]
    made = paths["/api/v1/pauses"]["post"]["responses"]
    assert {"201", "401", "403", "422", "429"} <= set(made)
    ended = paths["/api/v1/pauses/{pause_id}/end"]["post"]["responses"]
    assert {"200", "403", "404", "409"} <= set(ended)
    deleted = paths["/api/v1/pauses/{pause_id}"]["delete"]["responses"]
    assert {"204", "403", "404"} <= set(deleted)
    assert "200" in paths["/api/v1/pauses"]["get"]["responses"]
