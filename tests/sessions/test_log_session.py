import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client

from sessions.models import MassageSession, Technique
from tests.factories import builtin, log_session
from tests.html import form_values, labels

URL = "/sessions/new/"
NOW = dt.datetime(2026, 11, 25, 21, 30, tzinfo=dt.UTC)  # 21:30 in London


def form_data(**overrides):
    data = {
        "date": "2026-11-25",
        "start_time": "21:00",
        "duration_minutes": "10",
        "techniques": [builtin("warm-up").pk, builtin("arch").pk],
        "comfort": "4",
        "pressure": "medium",
        "notes": "Felt good.",
        "token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_form_has_the_labelled_fields_with_defaults(alice_client):
    response = alice_client.get(URL)
    found = labels(response)
    for label in ("Date", "Start time", "Duration (minutes)", "Notes (optional)"):
        assert label in found
    html = response.content.decode()
    assert "<legend" in html
    assert "Comfort" in html
    assert "Techniques" in html
    form = response.context["form"]
    assert form.initial["date"] == dt.date(2026, 11, 25)
    assert form.initial["start_time"] == dt.time(21, 30)
    assert form.initial["duration_minutes"] == 10


def test_a_newcomer_starts_with_the_basic_routine_ticked(alice_client):
    form = alice_client.get(URL).context["form"]
    ticked = set(
        Technique.objects.filter(pk__in=form.initial["techniques"]).values_list(
            "key", flat=True
        )
    )
    assert ticked == {"warm-up", "arch", "toes", "ankle"}


def test_the_last_sessions_techniques_are_ticked_next_time(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 20, 8), techniques=["roller", "heel"])
    log_session(alice, dt.datetime(2026, 11, 24, 8), techniques=["ball"])
    form = alice_client.get(URL).context["form"]
    assert form.initial["techniques"] == [builtin("ball").pk]


@pytest.mark.parametrize("page", ["/", URL], ids=["dashboard", "log page"])
def test_what_was_archived_since_is_not_ticked_and_if_nothing_is_left_the_routine_is(
    alice_client, alice, page
):
    roll = Technique.objects.create(user=alice, name="Heel roll")
    last = log_session(alice, dt.datetime(2026, 11, 24, 8), techniques=[])
    last.techniques.add(roll)
    roll.archived = True
    roll.save()
    form = alice_client.get(page).context["form" if page == URL else "log_form"]
    ticked = Technique.objects.filter(pk__in=form.initial["techniques"])
    assert set(ticked.values_list("key", flat=True)) == {
        "warm-up",
        "arch",
        "toes",
        "ankle",
    }


@pytest.mark.parametrize("page", ["/", URL], ids=["dashboard", "log page"])
def test_of_last_times_techniques_those_still_offered_are_ticked(
    alice_client, alice, page
):
    roll = Technique.objects.create(user=alice, name="Heel roll")
    last = log_session(alice, dt.datetime(2026, 11, 24, 8), techniques=["ball"])
    last.techniques.add(roll)
    roll.archived = True
    roll.save()
    form = alice_client.get(page).context["form" if page == URL else "log_form"]
    assert form.initial["techniques"] == [builtin("ball").pk]


def test_logging_a_session_stores_it_in_utc_with_its_day(alice_client, alice):
    response = alice_client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == "/"
    session = MassageSession.objects.get()
    assert session.user == alice
    assert session.started_at == dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)
    assert session.timezone == "Europe/London"
    assert session.local_date == dt.date(2026, 11, 25)
    assert (session.duration_minutes, session.comfort, session.pressure) == (
        10,
        4,
        "medium",
    )
    assert set(session.techniques.values_list("key", flat=True)) == {"warm-up", "arch"}
    assert session.notes == "Felt good."


def test_the_message_names_the_day_it_counted_for(alice_client, alice):
    alice.day_start_hour = 4
    alice.save()
    response = alice_client.post(
        URL, form_data(start_time="00:30", date="2026-11-25"), follow=True
    )
    assert "counted for Tuesday 24 November 2026" in response.content.decode()


def test_the_dashboard_form_logs_with_two_taps(alice_client):
    data = form_values(alice_client.get("/"), action=URL)
    assert data["date"] == "2026-11-25"
    assert data["start_time"] == "21:30"
    assert data["duration_minutes"] == "10"
    assert "comfort" not in data  # the one choice left to the user
    data["comfort"] = "5"
    response = alice_client.post(URL, data)
    assert response.status_code == 302
    session = MassageSession.objects.get()
    assert session.comfort == 5
    assert set(session.techniques.values_list("key", flat=True)) == {
        "warm-up",
        "arch",
        "toes",
        "ankle",
    }


def test_each_dashboard_visit_gets_a_fresh_one_time_token(alice_client):
    first = form_values(alice_client.get("/"), action=URL)["token"]
    second = form_values(alice_client.get("/"), action=URL)["token"]
    assert first != second
    assert uuid.UUID(first)
    assert uuid.UUID(second)


def test_an_own_technique_can_be_used(alice_client, alice):
    mine = Technique.objects.create(user=alice, name="Tennis ball")
    alice_client.post(URL, form_data(techniques=[mine.pk]))
    assert list(MassageSession.objects.get().techniques.all()) == [mine]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2026-11-25", "start_time": "21:36"}, "start_time"),  # > 5 min ahead
        ({"date": "2026-11-26", "start_time": "08:00"}, "date"),  # tomorrow
        ({"date": "1999-12-31"}, "date"),
        ({"date": "9999-12-31", "start_time": "23:59"}, "date"),  # no overflow
        ({"date": "2026-11-27"}, "date"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "not a date"}, "date"),
        ({"start_time": "25:00"}, "start_time"),
        ({"duration_minutes": "0"}, "duration_minutes"),
        ({"duration_minutes": "181"}, "duration_minutes"),
        ({"duration_minutes": "-5"}, "duration_minutes"),
        ({"duration_minutes": "ten"}, "duration_minutes"),
        ({"comfort": "0"}, "comfort"),
        ({"comfort": "6"}, "comfort"),
        ({"comfort": "good"}, "comfort"),
        ({"techniques": []}, "techniques"),
        ({"techniques": ["999999"]}, "techniques"),
        ({"techniques": ["abc"]}, "techniques"),
        ({"pressure": "extreme"}, "pressure"),
        ({"notes": "x" * 2001}, "notes"),
        ({"token": "not-a-uuid"}, "token"),
    ],
)
def test_bad_input_shows_an_error_and_saves_nothing(alice_client, overrides, field):
    data = form_data()
    data.update(overrides)
    response = alice_client.post(URL, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    assert MassageSession.objects.count() == 0


def test_save_without_comfort_logs_it_unrated(alice_client, alice):
    data = form_data()
    del data["comfort"]
    response = alice_client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == "/"
    session = MassageSession.objects.get(user=alice)
    assert session.comfort is None
    message = next(iter(get_messages(response.wsgi_request))).message
    assert message.startswith("Saved unrated: 10 minutes")


def test_the_date_picker_offers_the_days_a_session_can_be_logged_for(alice_client):
    html = alice_client.get(URL).content.decode()
    (field,) = re.findall(r'<input type="date" name="date"[^>]*>', html)
    assert 'min="2000-01-01"' in field
    assert 'max="2026-11-26"' in field  # tomorrow


@pytest.mark.parametrize("minutes", ["", "0", "181", "7.5", "ten"])
def test_minutes_out_of_range_get_one_clear_message(alice_client, minutes):
    response = alice_client.post(URL, form_data(duration_minutes=minutes))
    assert response.context["form"].errors["duration_minutes"] == [
        "Enter the minutes as a whole number, 1 to 180."
    ]
    assert MassageSession.objects.count() == 0


@pytest.mark.parametrize(("minutes", "said"), [(1, "1 minute,"), (2, "2 minutes,")])
def test_the_confirmation_counts_minutes_in_words(alice_client, minutes, said):
    response = alice_client.post(URL, form_data(duration_minutes=minutes))
    message = next(iter(get_messages(response.wsgi_request))).message
    assert message.startswith(f"Saved: {said} counted for")


def test_four_minutes_ahead_is_accepted_for_a_slow_clock(alice_client):
    response = alice_client.post(URL, form_data(start_time="21:34"))
    assert response.status_code == 302
    assert MassageSession.objects.count() == 1


def test_exactly_2000_characters_of_notes_are_fine(alice_client):
    alice_client.post(URL, form_data(notes="x" * 2000))
    assert len(MassageSession.objects.get().notes) == 2000


def test_an_archived_technique_is_refused(alice_client, alice):
    old = Technique.objects.create(user=alice, name="Old trick", archived=True)
    response = alice_client.post(URL, form_data(techniques=[old.pk]))
    assert "techniques" in response.context["form"].errors
    assert MassageSession.objects.count() == 0


def test_another_users_technique_is_refused(alice_client, charlie):
    theirs = Technique.objects.create(user=charlie, name="Secret move")
    response = alice_client.post(URL, form_data(techniques=[theirs.pk]))
    assert "techniques" in response.context["form"].errors
    assert MassageSession.objects.count() == 0


def test_submitting_the_same_form_twice_creates_one_session(alice_client):
    data = form_data()
    first = alice_client.post(URL, data)
    second = alice_client.post(URL, data, follow=True)
    assert first.status_code == 302
    assert MassageSession.objects.count() == 1
    assert "already saved" in second.content.decode()


@pytest.mark.parametrize(
    ("date", "start", "field"),
    [("2026-11-26", "21:00", "date"), ("2026-11-25", "22:30", "start_time")],
)
def test_a_start_ahead_is_refused_under_the_field_that_is_ahead(
    alice_client, date, start, field
):
    """Tomorrow's date is what is wrong, not its time; today's time ahead is."""
    response = alice_client.post(URL, form_data(date=date, start_time=start))
    errors = response.context["form"].errors
    assert "in the future" in " ".join(errors[field])
    assert list(errors) == [field]
    assert MassageSession.objects.count() == 0


def test_a_form_sent_again_after_its_session_was_deleted_saves_nothing(alice_client):
    """The offline queue sends a session, the answer is lost, the user deletes
    it on another tab; the queue's resend must not bring it back."""
    data = form_data()
    alice_client.post(URL, data)
    session = MassageSession.objects.get()
    alice_client.post(f"/sessions/{session.pk}/delete/")
    again = alice_client.post(URL, data, follow=True)
    assert MassageSession.objects.count() == 0
    assert "you deleted it since" in again.content.decode()
    # A fresh form (a new token) logs as ever.
    alice_client.post(URL, form_data())
    assert MassageSession.objects.count() == 1


def test_a_token_only_counts_for_its_own_user(alice_client, charlie):
    data = form_data(start_time="15:00")  # past in London and in New York
    alice_client.post(URL, data)
    other = Client()
    other.force_login(charlie)
    other.post(URL, data)
    assert MassageSession.objects.count() == 2


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert MassageSession.objects.count() == 0


def test_posting_without_a_csrf_token_is_refused(csrf_client, alice):
    csrf_client.force_login(alice)
    response = csrf_client.post(URL, form_data())
    assert response.status_code == 403
    assert MassageSession.objects.count() == 0
