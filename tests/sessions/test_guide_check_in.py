"""The guided session's end carried into the log: its check-in ("Good" or
"Something hurt") picks the comfort, and "Something hurt" asks for a note first."""

import datetime as dt

import pytest
import time_machine

from sessions.models import MassageSession
from tests.factories import builtin

URL = "/sessions/new/"
NOW = dt.datetime(2026, 11, 25, 21, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def guided_query(felt):
    return {"minutes": "9", "techniques": [builtin("arch").pk], "felt": felt}


def checked_comfort(html):
    """The value of the comfort radio that is checked, or None."""
    for part in html.split('name="comfort"')[1:]:
        tag = part.split(">")[0]
        if " checked" in tag:
            return tag.split('value="')[1].split('"')[0]
    return None


def test_good_picks_comfortable_and_folds_the_details(alice_client):
    response = alice_client.get(URL, guided_query("good"))
    html = response.content.decode()
    assert response.context["form"].initial["comfort"] == 4
    assert checked_comfort(html) == "4"
    assert "Log your guided session" in html
    assert "From the guide: 9 min, 1 technique." in html
    # Save in the first screen: the details are folded, not open.
    assert '<details class="more-details mb-3">' in html
    assert "What hurt?" not in html


def test_something_hurt_picks_uncomfortable_and_asks_what_hurt_first(alice_client):
    html = alice_client.get(URL, guided_query("hurt")).content.decode()
    assert checked_comfort(html) == "2"
    assert html.index("What hurt? (optional)") < html.index("more-details-summary")
    assert html.count('name="notes"') == 1


def test_the_picked_comfort_can_be_changed_and_the_note_is_kept(alice_client, alice):
    form = alice_client.get(URL, guided_query("hurt")).context["form"]
    data = {
        "date": form.initial["date"].isoformat(),
        "start_time": form.initial["start_time"].strftime("%H:%M"),
        "duration_minutes": "9",
        "techniques": [builtin("arch").pk],
        "token": form["token"].value(),
        "felt": "hurt",
        "comfort": "3",
        "notes": "Left heel, during the heel press",
    }
    assert alice_client.post(URL, data).status_code == 302
    session = MassageSession.objects.get(user=alice)
    assert (session.comfort, session.notes) == (3, "Left heel, during the heel press")


def test_an_error_keeps_the_note_prompt(alice_client, alice):
    data = {"felt": "hurt", "duration_minutes": "900", "notes": "the arch"}
    response = alice_client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "What hurt? (optional)" in html
    assert "the arch" in html
    assert not MassageSession.objects.filter(user=alice).exists()


@pytest.mark.parametrize("felt", ["", "great", "HURT", "x" * 5000, "hurt\x00"])
def test_another_check_in_is_ignored(alice_client, felt):
    response = alice_client.get(URL, guided_query(felt))
    assert response.status_code == 200
    assert "comfort" not in response.context["form"].initial
    assert "Log a session" in response.content.decode()
