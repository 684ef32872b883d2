"""Settings → Apps and shortcuts: make a token (shown once), see the list,
revoke. Tokens open the API only, never the pages."""

import hashlib
import re

import pytest
import time_machine

from accounts.models import User
from api.forms import MAX_TOKENS
from api.models import ApiToken
from tests.api.conftest import Api, make_token
from tests.html import labels, text

URL = "/accounts/apps/"


def new_token(response):
    found = re.search(
        r'<textarea id="new-token"[^>]*>([^<]*)</textarea>', response.content.decode()
    )
    return found[1] if found else None


def test_settings_link_to_apps_and_shortcuts(alice_client):
    html = alice_client.get("/accounts/settings/").content.decode()
    assert f'<a class="tap-link" href="{URL}">Apps and shortcuts</a>' in html


def test_the_page_has_a_labelled_form(alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 200
    found = labels(response)
    assert "Name" in found
    assert "Read only: your sessions and streaks" in found
    assert new_token(response) is None
    assert "No tokens." in text(response)


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(alice_client, alice):
    response = alice_client.post(URL, {"name": " iPhone  shortcut ", "scope": "log"})
    assert response.status_code == 302
    assert response["Location"] == URL
    page = alice_client.get(URL)
    token = new_token(page)
    assert len(token or "") >= 40
    assert 'data-copy-target="new-token"' in page.content.decode()
    row = ApiToken.objects.get()
    assert (row.user, row.name, row.scope) == (alice, "iPhone shortcut", "log")
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(ApiToken.objects.values_list()))
    assert new_token(alice_client.get(URL)) is None  # once
    assert Api(token).get("summary").status_code == 200


@pytest.mark.parametrize("name", ["\u200b", "\u2800 \u3164", "\u202e"])
def test_a_name_that_shows_nothing_is_refused(alice_client, alice, name):
    response = alice_client.post(URL, {"name": name, "scope": "log"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_tokens_are_listed_with_name_scope_and_dates(alice_client, alice):
    with time_machine.travel("2026-11-20 09:15Z", tick=False):
        make_token(alice, ApiToken.Scope.READ, name="Kitchen display")
    with time_machine.travel("2026-11-22 18:00Z", tick=False):
        shortcut = make_token(alice, name="Bedside NFC tag")
    with time_machine.travel("2026-11-24 21:05Z", tick=False):
        Api(shortcut).get("summary")
    page = text(alice_client.get(URL))
    assert (
        "Bedside NFC tag read and log Made 22 November 2026, 18:00 · last used "
        "24 November 2026, 21:05" in page
    )
    assert "Kitchen display read only Made 20 November 2026, 09:15 · never used" in page


def test_a_token_is_revoked(alice_client, alice):
    token = make_token(alice)
    row = ApiToken.objects.get()
    response = alice_client.post(f"{URL}{row.pk}/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert Api(token).get("summary").status_code == 401


def test_revoking_asks_first(alice_client, alice):
    """What uses a token stops working at once: the Revoke button opens a
    page that says so (a GET, which changes nothing), and its button revokes."""
    make_token(alice, name="Bedside tag")
    row = ApiToken.objects.get()
    page = alice_client.get(URL)
    assert f'href="{URL}{row.pk}/revoke/"' in page.content.decode()
    asked = alice_client.get(f"{URL}{row.pk}/revoke/")
    assert asked.status_code == 200
    assert "Revoke “Bedside tag”?" in text(asked)
    assert "stops working at once" in text(asked)
    assert ApiToken.objects.exists()
    assert alice_client.put(f"{URL}{row.pk}/revoke/").status_code == 405
    assert alice_client.post(f"{URL}{row.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.exists()


def test_another_users_token_cannot_be_revoked_or_seen(client, alice, charlie):
    make_token(charlie, name="Charlie's lamp")
    row = ApiToken.objects.get()
    client.force_login(alice)
    assert "Charlie's lamp" not in text(client.get(URL))
    for pk in (row.pk, 10**30):
        assert client.get(f"{URL}{pk}/revoke/").status_code == 404
        assert client.post(f"{URL}{pk}/revoke/").status_code == 404
    assert ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "scope": "log"}, "name"),
        ({"name": "x" * 61, "scope": "log"}, "name"),
        ({"name": "Lamp", "scope": "admin"}, "scope"),
    ],
)
def test_bad_input_makes_no_token(alice_client, data, field):
    response = alice_client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ApiToken.objects.exists()


def test_an_account_holds_at_most_twenty_tokens(alice_client, alice):
    for n in range(MAX_TOKENS):
        make_token(alice, name=f"Token {n}")
    response = alice_client.post(URL, {"name": "One more", "scope": "read"})
    assert "the most one account may hold" in text(response)
    assert ApiToken.objects.count() == MAX_TOKENS


def test_signed_out_people_go_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_token_never_signs_anyone_in_to_the_pages(client, alice):
    token = make_token(alice)
    headers = {"Authorization": f"Bearer {token}"}
    for url in ("/accounts/settings/", "/sessions/", URL):
        response = client.get(url, headers=headers)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    assert client.get("/", headers=headers).context["user"].is_anonymous


def test_an_administrator_sees_and_revokes_tokens_but_never_makes_one(client, alice):
    make_token(alice, name="Kitchen display")
    row = ApiToken.objects.get()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    listing = client.get("/admin/api/apitoken/")
    assert "Kitchen display" in listing.content.decode()
    detail = client.get(f"/admin/api/apitoken/{row.pk}/change/").content.decode()
    assert row.token_hash not in detail
    assert client.get("/admin/api/apitoken/add/").status_code == 403
    client.post(f"/admin/api/apitoken/{row.pk}/delete/", {"post": "yes"})
    assert not ApiToken.objects.exists()
