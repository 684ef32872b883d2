"""Editing a session keeps it where it was logged: on the night the clocks go
back, and a day imported without a time that is given one after midnight."""

import datetime as dt

import pytest
import time_machine

from sessions import days
from sessions.models import Day, MassageSession
from tests.api.conftest import Api, make_token
from tests.factories import builtin, log_session

NOW = dt.datetime(2026, 11, 25, 20, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def edit_data(session, **overrides):
    local = session.local_start
    data = {
        "date": local.date().isoformat() if local else session.local_date.isoformat(),
        "start_time": f"{local:%H:%M}" if local else "",
        "duration_minutes": "20",
        "techniques": [builtin("toes").pk],
        "comfort": "5",
        "notes": "only the notes changed",
        "token": str(session.submission_token),
    }
    data.update(overrides)
    return data


def save_edit(client, session, **fields):
    """Post the edit form as the browser sends it back, with `fields` changed;
    the session as saved."""
    response = client.post(
        f"/sessions/{session.pk}/edit/", edit_data(session, **fields)
    )
    assert response.status_code == 302
    session.refresh_from_db()
    return session


def test_editing_the_notes_of_a_session_in_the_repeated_hour_keeps_its_start(
    client, charlie
):
    """Charlie (New York) logs through the API at 01:30 EST, the second 01:30
    of 1 November 2026. Editing only its notes on the page must not move it."""
    api = Api(make_token(charlie))
    assert (
        api.post("sessions", {"start": "2026-11-01T01:30:00-05:00"}).status_code == 201
    )
    session = MassageSession.objects.get()
    assert session.started_at == dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)
    client.force_login(charlie)
    form = client.get(f"/sessions/{session.pk}/edit/").context["form"]
    # The page shows 01:30 on 1 November, which is what the browser sends back.
    assert form.initial["date"] == dt.date(2026, 11, 1)
    assert form.initial["start_time"].strftime("%H:%M") == "01:30"
    save_edit(client, session, date="2026-11-01", start_time="01:30")
    assert session.notes == "only the notes changed"
    # Expected: the instant the API stored (06:30 UTC); not an hour earlier.
    assert session.started_at == dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)


def test_a_repeated_hour_session_keeps_its_day_after_a_day_start_change(
    client, charlie
):
    """As above, but charlie moved the day start to 04:00 since: the session
    (day 1 November) must keep its day when only its notes change, as every
    other session does (test_an_edit_that_keeps_the_start_keeps_the_day...)."""
    api = Api(make_token(charlie))
    api.post("sessions", {"start": "2026-11-01T01:30:00-05:00"})
    session = MassageSession.objects.get()
    assert session.local_date == dt.date(2026, 11, 1)
    charlie.day_start_hour = 4
    charlie.save()
    client.force_login(charlie)
    save_edit(client, session, date="2026-11-01", start_time="01:30")
    assert session.local_date == dt.date(2026, 11, 1)


def imported(user, *dates):
    MassageSession.objects.bulk_log(
        user, [{"local_date": day, "timezone": user.timezone} for day in dates]
    )
    days.refresh(user, since=min(dates))
    return list(MassageSession.objects.filter(user=user, started_at=None))


def test_adding_an_after_midnight_time_to_an_imported_day_keeps_it_on_its_day(
    alice_client, alice
):
    """Alice's day starts at 04:00. A day imported without a time (20 Nov) is
    edited to add the time she practised: 00:30, after midnight. The form opens
    on 20 November; 00:30 that night counts for the 20th, and the session must
    stay on the 20th (between practised 19th and 21st: a streak of 3)."""
    alice.day_start_hour = 4
    alice.save()
    log_session(alice, dt.datetime(2026, 11, 19, 21, 0))
    log_session(alice, dt.datetime(2026, 11, 21, 21, 0))
    (session,) = imported(alice, dt.date(2026, 11, 20))
    form = alice_client.get(f"/sessions/{session.pk}/edit/").context["form"]
    assert form.initial["date"] == dt.date(2026, 11, 20)
    save_edit(alice_client, session, date="2026-11-20", start_time="00:30")
    assert session.local_date == dt.date(2026, 11, 20)
    assert Day.objects.get(user=alice, date=dt.date(2026, 11, 21)).streak == 3
