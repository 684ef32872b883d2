"""Settings › What to record: three switches, off until the user turns them on,
saved by a form of their own."""

import pytest

from accounts.models import User
from tests.html import labels, text

SETTINGS = "/accounts/settings/"
URL = "/accounts/record/"


def test_everything_is_off_for_a_new_account(alice_client, alice):
    found = labels(alice_client.get(SETTINGS))
    for label in ("Pain before and after", "Which foot", "Where on the foot"):
        assert label in found
    assert (alice.record_pain, alice.record_foot, alice.record_where) == (False,) * 3
    assert "Save what to record" in text(alice_client.get(SETTINGS))


def test_switching_on_through_the_page(alice_client, alice):
    response = alice_client.post(URL, {"record_pain": "on", "record_where": "on"})
    assert response.status_code == 302
    assert response["Location"] == SETTINGS + "#record"
    alice.refresh_from_db()
    assert (alice.record_pain, alice.record_foot, alice.record_where) == (
        True,
        False,
        True,
    )
    page = alice_client.get(SETTINGS)
    assert "pain before and after, where on the foot" in text(page)
    html = page.content.decode()
    assert 'name="record_pain" id="id_record_pain" checked' in html
    assert 'name="record_foot" id="id_record_foot" aria' in html


def test_switching_off_again(alice_client, alice):
    User.objects.filter(pk=alice.pk).update(record_pain=True, record_foot=True)
    alice_client.post(URL, {})
    alice.refresh_from_db()
    assert (alice.record_pain, alice.record_foot, alice.record_where) == (False,) * 3


def test_it_leaves_the_other_settings_alone(alice_client, alice):
    alice_client.post(URL, {"record_foot": "on", "timezone": "Asia/Tokyo"})
    alice.refresh_from_db()
    assert alice.timezone == "Europe/London"
    assert alice.record_foot


def test_it_takes_only_posts(alice_client):
    assert alice_client.get(URL).status_code == 405


@pytest.mark.django_db
def test_it_asks_strangers_to_log_in(client):
    response = client.post(URL, {"record_pain": "on"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_needs_the_csrf_token(csrf_client, alice):
    csrf_client.force_login(alice)
    assert csrf_client.post(URL, {"record_pain": "on"}).status_code == 403
    alice.refresh_from_db()
    assert not alice.record_pain
