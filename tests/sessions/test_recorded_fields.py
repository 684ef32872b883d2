"""Pain before and after, foot and where: on the log and edit forms only when the
user switched them on (Settings › What to record), checked, and kept."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.models import User
from sessions.models import Day, MassageSession
from tests.conftest import make_user
from tests.factories import builtin, log_session
from tests.html import labels, text

URL = "/sessions/new/"
NOW = dt.datetime(2026, 11, 25, 21, 30, tzinfo=dt.UTC)  # 21:30 in London
NEW_LABELS = ("Pain before", "Pain after")
NEW_LEGENDS = ("Foot", "Where")


def form_data(**overrides):
    data = {
        "date": "2026-11-25",
        "start_time": "21:00",
        "duration_minutes": "10",
        "techniques": [builtin("warm-up").pk],
        "comfort": "4",
        "token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def legends(response):
    return re.findall(r"<legend[^>]*>([^<]*)</legend>", response.content.decode())


def switch_on(user, **switches):
    User.objects.filter(pk=user.pk).update(**switches)
    user.refresh_from_db()


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def everything_on(alice):
    switch_on(alice, record_pain=True, record_foot=True, record_where=True)


def test_with_everything_off_the_form_asks_none_of_it(alice_client):
    for url in (URL, "/"):
        response = alice_client.get(url)
        assert not set(NEW_LABELS) & set(labels(response))
        assert not set(NEW_LEGENDS) & set(legends(response))
        assert "no pain" not in text(response)


def test_with_everything_on_the_log_form_asks_it(alice_client, everything_on):
    for url in (URL, "/"):
        response = alice_client.get(url)
        assert set(NEW_LABELS) <= set(labels(response))
        assert set(NEW_LEGENDS) <= set(legends(response))
        page = text(response)
        assert "0 = no pain" in page
        assert "10 = worst imaginable" in page
        for zone in ("Heel", "Arch", "Ball of the foot", "Toes", "Ankle"):
            assert zone in labels(response)
        for foot in ("Both", "Left", "Right"):
            assert foot in labels(response)


def test_each_switch_brings_only_its_own_fields(alice_client, alice):
    switch_on(alice, record_foot=True)
    response = alice_client.get(URL)
    assert not set(NEW_LABELS) & set(labels(response))
    assert "Foot" in legends(response)
    assert "Where" not in legends(response)


def test_a_session_logged_with_everything(alice_client, alice, everything_on):
    response = alice_client.post(
        URL,
        form_data(pain_before="6", pain_after="3", foot="left", zones=["1", "2"]),
    )
    assert response.status_code == 302
    session = MassageSession.objects.get(user=alice)
    assert (session.pain_before, session.pain_after, session.foot) == (6, 3, "left")
    assert session.zone_list == [MassageSession.Zone.HEEL, MassageSession.Zone.ARCH]
    assert Day.objects.get(user=alice, date=dt.date(2026, 11, 25)).sessions == 1


def test_everything_new_may_be_left_out(alice_client, alice, everything_on):
    assert alice_client.post(URL, form_data()).status_code == 302
    session = MassageSession.objects.get(user=alice)
    assert (session.pain_before, session.pain_after, session.foot) == (None, None, "")
    assert session.zones == 0


def test_with_the_switches_off_sent_values_are_ignored(alice_client, alice):
    alice_client.post(URL, form_data(pain_before="6", foot="left", zones=["1"]))
    session = MassageSession.objects.get(user=alice)
    assert (session.pain_before, session.foot, session.zones) == (None, "", 0)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain_before", "11"),
        ("pain_before", "-1"),
        ("pain_after", "abc"),
        ("pain_after", "5.5"),
        ("pain_after", "1e1"),
        ("foot", "middle"),
        ("foot", "Left"),
        ("zones", "32"),
        ("zones", "3"),
        ("zones", "heel"),
    ],
)
def test_a_bad_value_is_a_form_error_and_nothing_is_written(
    alice_client, alice, everything_on, field, value
):
    response = alice_client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not MassageSession.objects.filter(user=alice).exists()
    assert not Day.objects.filter(user=alice).exists()


def test_the_edit_form_shows_and_changes_them(alice_client, alice, everything_on):
    session = log_session(
        alice,
        dt.datetime(2026, 11, 24, 8, 0),
        pain_before=7,
        pain_after=4,
        foot="right",
        zones=MassageSession.Zone.BALL | MassageSession.Zone.TOES,
    )
    url = f"/sessions/{session.pk}/edit/"
    page = alice_client.get(url).content.decode()
    assert '<option value="7" selected>7</option>' in page
    assert '<option value="4" selected>4</option>' in page
    assert re.search(r'value="right" checked', page)
    assert re.search(r'name="zones" id="id_zones_2"\s+value="4" checked', page)
    assert re.search(r'name="zones" id="id_zones_3"\s+value="8" checked', page)
    data = form_data(
        date="2026-11-24",
        start_time="08:00",
        token=str(session.submission_token),
        pain_before="5",
        pain_after="0",
        foot="both",
        zones=["16"],
    )
    assert alice_client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert (session.pain_before, session.pain_after, session.foot) == (5, 0, "both")
    assert session.zone_list == [MassageSession.Zone.ANKLE]


def test_editing_with_the_switches_off_keeps_what_was_recorded(alice_client, alice):
    session = log_session(
        alice, dt.datetime(2026, 11, 24, 8, 0), pain_before=7, foot="left", zones=1
    )
    data = form_data(
        date="2026-11-24",
        start_time="08:00",
        token=str(session.submission_token),
        comfort="2",
    )
    assert alice_client.post(f"/sessions/{session.pk}/edit/", data).status_code == 302
    session.refresh_from_db()
    assert (session.comfort, session.pain_before, session.foot, session.zones) == (
        2,
        7,
        "left",
        1,
    )


def test_a_bad_value_on_the_edit_form_changes_nothing(
    alice_client, alice, everything_on
):
    session = log_session(alice, dt.datetime(2026, 11, 24, 8, 0), pain_before=7)
    data = form_data(
        date="2026-11-24", token=str(session.submission_token), pain_before="11"
    )
    response = alice_client.post(f"/sessions/{session.pk}/edit/", data)
    assert response.status_code == 200
    assert "pain_before" in response.context["form"].errors
    session.refresh_from_db()
    assert session.pain_before == 7


def test_another_users_session_is_not_found(alice_client, charlie, everything_on):
    session = log_session(charlie, dt.datetime(2026, 11, 24, 8, 0), pain_before=3)
    url = f"/sessions/{session.pk}/edit/"
    assert alice_client.get(url).status_code == 404
    data = form_data(token=str(session.submission_token), pain_before="9")
    assert alice_client.post(url, data).status_code == 404
    session.refresh_from_db()
    assert session.pain_before == 3


class TestAnyInput(TestCase):
    """Whatever is sent as pain, foot or where: a session with exactly the valid
    values, or a form error and nothing written; never a 500."""

    @settings(max_examples=60, deadline=None)
    @given(
        pain=st.one_of(
            st.integers(-5, 15).map(str),
            st.text(max_size=5),
            st.integers(0, 10).map(lambda n: f" {n}"),
        ),
        foot=st.one_of(st.sampled_from(["", "both", "left", "right"]), st.text()),
        zones=st.lists(st.one_of(st.integers(-1, 40).map(str), st.text(max_size=3))),
    )
    def test_it(self, pain, foot, zones):
        user = make_user("dora", record_pain=True, record_foot=True, record_where=True)
        self.client.force_login(user)
        with time_machine.travel(NOW, tick=False):
            data = form_data(pain_after=pain, foot=foot, zones=zones)
            response = self.client.post(URL, data)
        valid_pain = pain == "" or pain in [str(level) for level in range(11)]
        valid_foot = foot in ("", "both", "left", "right")
        valid_zones = all(z in ("1", "2", "4", "8", "16") for z in zones)
        sessions = MassageSession.objects.filter(user=user)
        if valid_pain and valid_foot and valid_zones:
            assert response.status_code == 302
            session = sessions.get()
            expected = None if pain == "" else int(pain)
            assert session.pain_after == expected
            assert session.foot == foot
            assert session.zones == sum({int(z) for z in zones})
        else:
            assert response.status_code == 200
            assert not sessions.exists()
        user.delete()


def test_a_link_fills_in_pain_and_foot_by_the_forms_rules(alice_client, everything_on):
    form = alice_client.get(
        URL + "?pain_before=7&pain_after=11&foot=each&felt=hurt"
    ).context["form"]
    assert form.initial["pain_before"] == 7
    assert "pain_after" not in form.initial  # 11 is off the scale: ignored
    assert form.initial["foot"] == "each"


def test_a_link_fills_in_nothing_the_user_does_not_record(alice_client, alice):
    form = alice_client.get(URL + "?pain_before=7&foot=left").context["form"]
    assert "pain_before" not in form.initial
    assert "foot" not in form.initial


def test_each_foot_apart_logs_two_sessions_sharing_the_minutes(
    alice_client, alice, everything_on
):
    data = form_data(duration_minutes="11", foot="each", pain_before="6")
    response = alice_client.post(URL, data)
    assert response.status_code == 302
    sessions = MassageSession.objects.filter(user=alice).order_by("foot")
    assert [(s.foot, s.duration_minutes, s.pain_before) for s in sessions] == [
        ("left", 6, 6),
        ("right", 5, 6),
    ]
    assert Day.objects.get(user=alice, date=dt.date(2026, 11, 25)).sessions == 2
    # The same form sent again adds nothing.
    alice_client.post(URL, data)
    assert MassageSession.objects.filter(user=alice).count() == 2


def test_each_foot_apart_needs_two_minutes(alice_client, alice, everything_on):
    response = alice_client.post(URL, form_data(duration_minutes="1", foot="each"))
    assert response.status_code == 200
    assert "duration_minutes" in response.context["form"].errors
    assert not MassageSession.objects.filter(user=alice).exists()


def test_an_edited_session_stays_one_foot(alice_client, alice, everything_on):
    session = log_session(alice, dt.datetime(2026, 11, 24, 8, 0), foot="left")
    data = form_data(
        date="2026-11-24", token=str(session.submission_token), foot="each"
    )
    response = alice_client.post(f"/sessions/{session.pk}/edit/", data)
    assert response.status_code == 200
    assert "foot" in response.context["form"].errors


def test_the_guide_asks_pain_before_and_after_when_pain_is_on(alice_client, alice):
    page = alice_client.get("/sessions/guide/")
    assert "Pain before" not in labels(page)
    switch_on(alice, record_pain=True, record_foot=True)
    page = alice_client.get("/sessions/guide/")
    found = labels(page)
    assert found["Pain before"] == "guide-pain-before"
    assert found["Pain after"] == "guide-pain-after"
    assert 'data-each-foot="each"' in page.content.decode()


def test_the_sessions_list_shows_what_was_recorded(alice_client, alice):
    log_session(
        alice,
        dt.datetime(2026, 11, 24, 8, 0),
        pain_before=6,
        pain_after=3,
        foot="left",
        zones=MassageSession.Zone.HEEL | MassageSession.Zone.BALL,
    )
    log_session(alice, dt.datetime(2026, 11, 23, 8, 0), pain_after=2)
    page = text(alice_client.get("/sessions/"))
    assert "pain 6 → 3 · left foot · heel, ball of the foot" in page
    assert "pain after 2" in page
    assert "pain 6 → 3" in text(alice_client.get("/"))
