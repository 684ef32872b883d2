"""The API takes pain before and after, foot and where when they are sent (by the
log form's rules), and gives them back."""

import datetime as dt

import pytest
import time_machine

from sessions.models import MassageSession
from tests.api.conftest import body
from tests.factories import log_session

NOW = dt.datetime(2026, 11, 25, 21, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_session_with_pain_foot_and_where(alice_api, alice):
    response = alice_api.post(
        "sessions",
        {
            "comfort": 4,
            "pain_before": 7,
            "pain_after": 2,
            "foot": "right",
            "where": ["Heel", "ball"],
        },
    )
    assert response.status_code == 201
    session = MassageSession.objects.get(user=alice)
    assert (session.pain_before, session.pain_after, session.foot) == (7, 2, "right")
    assert session.zone_list == [MassageSession.Zone.HEEL, MassageSession.Zone.BALL]
    logged = body(response)["session"]
    assert logged["pain_before"] == 7
    assert logged["pain_after"] == 2
    assert logged["foot"] == "right"
    assert logged["where"] == ["heel", "ball"]


def test_without_them_nothing_is_recorded(alice_api, alice):
    response = alice_api.post("sessions", {"comfort": 3})
    assert response.status_code == 201
    logged = body(response)["session"]
    assert (logged["pain_before"], logged["pain_after"]) == (None, None)
    assert (logged["foot"], logged["where"]) == ("", [])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"pain_before": 11}, "pain_before"),
        ({"pain_after": -1}, "pain_after"),
        ({"pain_after": "abc"}, "pain_after"),
        ({"pain_after": 2.5}, "pain_after"),
        ({"foot": "middle"}, "foot"),
        ({"where": ["knee"]}, "where"),
        ({"where": "heel"}, "where"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_written(
    alice_api, alice, payload, field
):
    response = alice_api.post("sessions", payload)
    assert response.status_code == 422
    assert field in body(response)["errors"]
    assert not MassageSession.objects.filter(user=alice).exists()


def test_the_sessions_list_gives_them(alice_api, alice, charlie):
    log_session(
        alice,
        dt.datetime(2026, 11, 24, 8, 0),
        pain_before=5,
        pain_after=5,
        foot="left",
        zones=MassageSession.Zone.ANKLE,
    )
    log_session(charlie, dt.datetime(2026, 11, 24, 8, 0), pain_before=9)
    items = body(alice_api.get("sessions"))["items"]
    assert len(items) == 1
    assert items[0]["pain_before"] == 5
    assert items[0]["foot"] == "left"
    assert items[0]["where"] == ["ankle"]
