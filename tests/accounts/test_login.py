import pytest
from django.test import override_settings

from tests.conftest import PASSWORD, make_user

URL = "/accounts/login/"


@pytest.mark.parametrize(
    "login", ["alice", "Alice", "ALICE", "alice@example.com", "ALICE@Example.com"]
)
def test_login_accepts_username_or_email(client, alice, login):
    response = client.post(URL, {"username": login, "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == alice.pk


def test_a_username_in_another_case_that_two_accounts_share_logs_in_neither(client, db):
    """Sign-up refuses a name that differs from another only in case; two such
    older accounts are matched only as written."""
    sam = make_user("Sam", email="sam1@example.com")
    sam_lower = make_user("sam", email="sam2@example.com")
    assert (
        client.post(URL, {"username": "SAM", "password": PASSWORD}).status_code == 200
    )
    assert "_auth_user_id" not in client.session
    for login, user in (("Sam", sam), ("sam", sam_lower)):
        client.post(URL, {"username": login, "password": PASSWORD})
        assert int(client.session["_auth_user_id"]) == user.pk
        client.post("/accounts/logout/")


def test_the_lockout_counts_every_case_of_a_username_together(client, db):
    """Stored with a capital, the account was counted apart from "alice":
    five failures in different cases now lock it."""
    make_user("Alice")
    for login in ["alice", "ALICE", "Alice", "aLICE", "alice"]:
        client.post(URL, {"username": login, "password": "wrong"})
    response = client.post(URL, {"username": "Alice", "password": PASSWORD})
    assert response.status_code == 429


def test_wrong_password_is_refused_with_a_message(client, alice):
    response = client.post(URL, {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert response.content.decode().count("Please enter a correct") == 1  # said once
    assert "_auth_user_id" not in client.session


def test_login_returns_to_the_page_asked_for(client, alice):
    response = client.post(
        URL + "?next=/accounts/settings/",
        {"username": "alice", "password": PASSWORD, "next": "/accounts/settings/"},
    )
    assert response["Location"] == "/accounts/settings/"


def test_logout_is_post_only(alice_client):
    assert alice_client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in alice_client.session
    response = alice_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in alice_client.session


def test_five_failures_lock_the_username_out_even_with_the_right_password(
    client, alice
):
    for _ in range(5):
        client.post(URL, {"username": "alice", "password": "wrong"})
    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_counts_email_and_username_attempts_together(client, alice):
    for login in ["alice", "alice@example.com"] * 3:
        client.post(URL, {"username": login, "password": "wrong"})
    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429


def test_four_failures_do_not_lock_out(client, alice):
    for _ in range(4):
        client.post(URL, {"username": "alice", "password": "wrong"})
    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_a_lockout_of_one_user_leaves_another_alone(client, alice, charlie):
    for _ in range(6):
        client.post(URL, {"username": "alice", "password": "wrong"})
    response = client.post(URL, {"username": "charlie", "password": PASSWORD})
    assert response.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_failure_limit_is_configurable(client, alice):
    for _ in range(2):
        client.post(URL, {"username": "alice", "password": "wrong"})
    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.parametrize(
    "url", ["/accounts/settings/", "/accounts/delete/", "/accounts/password_change/"]
)
@pytest.mark.django_db
def test_private_pages_send_anonymous_visitors_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_signed_in_pages_are_never_stored_by_browsers(alice_client):
    response = alice_client.get("/accounts/settings/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_may_be_cached(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
