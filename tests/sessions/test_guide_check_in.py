"""The guided session's end carried into the log: its check-in ("Good" or
"Something hurt") picks the comfort, and "Something hurt" asks for a note first.
Pain, which the guide asks, stays up front; foot and where, which it does not,
fold under "More details" with what the guide filled in."""

import datetime as dt
import uuid

import pytest
import time_machine

from accounts.models import User
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
    # What the guide filled in, summed up on the folded details (Save in the
    # first screen).
    assert '<details class="more-details mb-3">' in html
    summary = html.split('<summary class="more-details-summary more-details-from">')[1]
    summary = " ".join(summary.split("</summary>")[0].split())
    assert ">More details</span>" in summary
    assert ">9 min, 1 technique</span>" in summary
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


def summary_and_details(html):
    """The form before "More details", and the details' folded part."""
    before, details = html.split('<summary class="more-details-summary', 1)
    return before, details.split("</details>")[0]


@pytest.fixture
def pain_and_foot(alice):
    User.objects.filter(pk=alice.pk).update(record_pain=True, record_foot=True)


def test_pain_stays_up_front_and_foot_folds_with_what_the_guide_filled_in(
    alice_client, pain_and_foot
):
    query = {**guided_query("hurt"), "pain_before": "6", "pain_after": "3"}
    html = alice_client.get(URL, {**query, "foot": "each"}).content.decode()
    before, details = summary_and_details(html)
    for asked in (
        'name="comfort"',
        "What hurt? (optional)",
        'name="pain_before"',
        'name="pain_after"',
        "0 = no pain, 10 = worst imaginable.",
    ):
        assert asked in before
    assert 'name="foot"' not in before
    assert 'name="foot"' in details
    assert "Each apart: a session for each foot" in details
    assert "9 min, 1 technique, each foot apart</span>" in " ".join(details.split())
    assert html.count('name="foot"') == 5  # not noted, both, left, right, each
    assert '<details class="more-details mb-3">' in html


def test_a_guided_log_without_each_foot_says_nothing_of_feet(
    alice_client, pain_and_foot
):
    html = alice_client.get(URL, guided_query("good")).content.decode()
    assert "each foot apart" not in html
    assert 'name="foot"' in summary_and_details(html)[1]


def test_a_foot_error_opens_the_details(alice_client, pain_and_foot):
    data = {
        "felt": "good",
        "duration_minutes": "10",
        "foot": "sideways",
        "techniques": [builtin("arch").pk],
        "token": str(uuid.uuid4()),
        "date": "2026-11-25",
        "start_time": "21:00",
    }
    response = alice_client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"foot"}
    assert '<details class="more-details mb-3" open>' in response.content.decode()


def test_without_the_guide_foot_stays_up_front(alice_client, pain_and_foot):
    for url in (URL, "/"):
        html = alice_client.get(url).content.decode()
        assert 'name="foot"' in summary_and_details(html)[0]
