import datetime as dt
from urllib.parse import quote

import pytest
import time_machine

from sessions.models import MassageSession, Technique
from tests.factories import builtin, log_session


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(dt.datetime(2026, 11, 25, 20, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def session(alice):
    return log_session(
        alice, dt.datetime(2026, 11, 20, 21, 0), notes="first", comfort=3
    )


def edit_data(session, **overrides):
    data = {
        "date": "2026-11-20",
        "start_time": "21:00",
        "duration_minutes": "20",
        "techniques": [builtin("toes").pk],
        "comfort": "5",
        "pressure": "firm",
        "notes": "changed",
        "token": str(session.submission_token),
    }
    data.update(overrides)
    return data


def test_the_edit_form_shows_the_session(alice_client, session):
    form = alice_client.get(f"/sessions/{session.pk}/edit/").context["form"]
    assert form.initial["date"] == dt.date(2026, 11, 20)
    assert form.initial["start_time"] == dt.time(21, 0)
    assert form.initial["comfort"] == 3


def test_a_session_logged_in_another_zone_is_edited_on_that_zones_clock(
    alice_client, alice
):
    away = log_session(alice, dt.datetime(2026, 11, 20, 21, 0), tz="Asia/Tokyo")
    home = log_session(alice, dt.datetime(2026, 11, 21, 21, 0))
    help_of = {
        session: alice_client.get(f"/sessions/{session.pk}/edit/")
        .context["form"]
        .fields["start_time"]
        .help_text
        for session in (away, home)
    }
    assert help_of[away].startswith("In Asia/Tokyo, where it was logged.")
    assert help_of[home].startswith("In your time zone.")


def test_editing_saves_and_recomputes_the_day(alice_client, session):
    response = alice_client.post(
        f"/sessions/{session.pk}/edit/", edit_data(session, date="2026-11-18")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.local_date == dt.date(2026, 11, 18)
    assert (session.duration_minutes, session.comfort, session.pressure) == (
        20,
        5,
        "firm",
    )
    assert list(session.techniques.values_list("key", flat=True)) == ["toes"]
    assert MassageSession.objects.count() == 1


def test_an_edit_that_keeps_the_start_keeps_the_day_whatever_the_day_start_now(
    alice_client, alice
):
    """Logged at 01:30 when days began at midnight, the session counts for the
    20th; after the day start moved to 04:00, correcting its comfort must not
    move it to the 19th (that could break a streak), while a new start is
    placed by the day start of now, as a new session would be."""
    # Seconds, as the API, "Done as usual" and a reminder's button store them.
    night = log_session(alice, dt.datetime(2026, 11, 20, 1, 30, 42))
    alice.day_start_hour = 4
    alice.save()
    edit = edit_data(night, start_time="01:30")
    assert alice_client.post(f"/sessions/{night.pk}/edit/", edit).status_code == 302
    night.refresh_from_db()
    assert (night.comfort, night.local_date) == (5, dt.date(2026, 11, 20))
    edit = edit_data(night, start_time="01:45")
    assert alice_client.post(f"/sessions/{night.pk}/edit/", edit).status_code == 302
    night.refresh_from_db()
    assert night.local_date == dt.date(2026, 11, 19)


def test_an_edit_of_a_session_early_on_1_january_2000_keeping_its_start_is_taken(
    alice_client, alice
):
    first = log_session(alice, dt.datetime(2000, 1, 1, 1, 30))
    alice.day_start_hour = 4  # 01:30 would now count for 1999
    alice.save()
    edit = edit_data(first, date="2000-01-01", start_time="01:30")
    assert alice_client.post(f"/sessions/{first.pk}/edit/", edit).status_code == 302
    first.refresh_from_db()
    assert (first.comfort, first.local_date) == (5, dt.date(2000, 1, 1))


def test_bad_edits_change_nothing(alice_client, session):
    response = alice_client.post(
        f"/sessions/{session.pk}/edit/",
        edit_data(session, comfort="9", duration_minutes="0"),
    )
    assert response.status_code == 200
    assert {"comfort", "duration_minutes"} <= set(response.context["form"].errors)
    session.refresh_from_db()
    assert (session.duration_minutes, session.comfort, session.notes) == (
        10,
        3,
        "first",
    )


def test_an_archived_technique_stays_on_the_sessions_that_used_it(alice_client, alice):
    own = Technique.objects.create(user=alice, name="Old trick")
    session = log_session(alice, dt.datetime(2026, 11, 20, 21, 0))
    session.techniques.add(own)
    own.archived = True
    own.save()
    form = alice_client.get(f"/sessions/{session.pk}/edit/").context["form"]
    assert (own.pk, own.name) in form.fields["techniques"].choices
    response = alice_client.post(
        f"/sessions/{session.pk}/edit/", edit_data(session, techniques=[own.pk])
    )
    assert response.status_code == 302
    assert list(session.techniques.all()) == [own]
    # ...but a new session cannot pick it.
    new_form = alice_client.get("/sessions/new/").context["form"]
    assert (own.pk, own.name) not in new_form.fields["techniques"].choices


@pytest.mark.parametrize("path", ["edit", "delete"])
def test_strangers_get_a_404_and_change_nothing(client, charlie, session, path):
    client.force_login(charlie)
    url = f"/sessions/{session.pk}/{path}/"
    assert client.get(url).status_code == 404
    assert client.post(url, edit_data(session)).status_code == 404
    session.refresh_from_db()
    assert session.notes == "first"


def test_edit_and_delete_go_back_to_the_list_page_they_came_from(alice_client, session):
    day = "/sessions/?date=2026-11-20"
    edit = f"/sessions/{session.pk}/edit/?next={quote(day, safe='/')}"
    assert f'href="{edit}"' in alice_client.get(day).content.decode()
    page = alice_client.get(edit).content.decode()
    assert f'<input type="hidden" name="next" value="{day}">' in page
    response = alice_client.post(edit, {**edit_data(session), "next": day})
    assert response["Location"] == day
    keep = alice_client.get(f"/sessions/{session.pk}/delete/?next={quote(day)}")
    assert f'href="{day}">Keep it' in keep.content.decode()
    response = alice_client.post(f"/sessions/{session.pk}/delete/", {"next": day})
    assert response["Location"] == day
    assert not MassageSession.objects.filter(pk=session.pk).exists()


def test_a_next_address_elsewhere_goes_back_to_the_list(alice_client, session):
    response = alice_client.post(
        f"/sessions/{session.pk}/delete/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/sessions/"


# Not a path: redirect() would read it as a page's name and fail (a 500 after
# the write was made).
@pytest.mark.parametrize("next_", ["foo", "-1", "ab\x00cd", "<b>x</b>"])
def test_a_next_that_is_not_a_path_goes_back_to_the_list(alice_client, session, next_):
    edited = alice_client.post(
        f"/sessions/{session.pk}/edit/?next={quote(next_)}",
        {**edit_data(session), "next": next_},
    )
    assert edited["Location"] == "/sessions/"
    deleted = alice_client.post(f"/sessions/{session.pk}/delete/", {"next": next_})
    assert deleted["Location"] == "/sessions/"
    assert not MassageSession.objects.filter(pk=session.pk).exists()


def test_get_on_delete_asks_and_deletes_nothing(alice_client, session):
    response = alice_client.get(f"/sessions/{session.pk}/delete/")
    assert response.status_code == 200
    assert "Delete this session?" in response.content.decode()
    assert MassageSession.objects.filter(pk=session.pk).exists()


def test_post_on_delete_deletes(alice_client, session):
    response = alice_client.post(f"/sessions/{session.pk}/delete/")
    assert response.status_code == 302
    assert not MassageSession.objects.filter(pk=session.pk).exists()
    assert Technique.objects.filter(key="warm-up").exists()


def test_deleting_without_a_csrf_token_is_refused(csrf_client, alice, session):
    csrf_client.force_login(alice)
    assert csrf_client.post(f"/sessions/{session.pk}/delete/").status_code == 403
    assert MassageSession.objects.filter(pk=session.pk).exists()


@pytest.mark.django_db
def test_anonymous_edit_goes_to_login(client, session):
    response = client.get(f"/sessions/{session.pk}/edit/")
    assert response["Location"].startswith("/accounts/login/")


def test_a_missing_session_is_a_404(alice_client):
    assert alice_client.get("/sessions/999999/edit/").status_code == 404


def test_the_edit_page_leads_back_without_saving(alice_client, alice):
    """The edit page's only way out was the browser's Back button."""
    session = log_session(alice, dt.datetime(2026, 11, 20, 8))
    back = "/sessions/?date=2026-11-20"
    page = alice_client.get(f"/sessions/{session.pk}/edit/", {"next": back})
    html = page.content.decode()
    assert (
        '<a href="/sessions/?date=2026-11-20" class="tap-link">Back without saving</a>'
        in html
    )
    # Somewhere else than this site is never a way back.
    page = alice_client.get(
        f"/sessions/{session.pk}/edit/", {"next": "https://evil.example/"}
    )
    assert '<a href="/sessions/" class="tap-link">Back without saving</a>' in (
        page.content.decode()
    )
