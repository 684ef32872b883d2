"""Log-in under attack: over-long names stop at the form, lock-outs are keyed on
the client's real address (a forged X-Forwarded-For never locks out someone
else), and a name that looks like an email address means that email address."""

import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings

from accounts.models import User
from tests.conftest import PASSWORD, make_user

URL = "/accounts/login/"
VICTIM_IP = "198.51.100.7"
ATTACKER_IP = "203.0.113.66"
PROXY_IP = "10.0.0.1"

# What AXES_PROXY_COUNT=1 sets (test_the_proxy_count_setting checks it).
BEHIND_ONE_PROXY = override_settings(
    AXES_IPWARE_PROXY_COUNT=0,
    AXES_IPWARE_META_PRECEDENCE_ORDER=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
)


def log_in(username, password, **meta):
    return Client().post(URL, {"username": username, "password": password}, **meta)


@pytest.mark.parametrize("length", [255, 300, 2_000_000])
def test_an_over_long_name_is_a_form_error_and_records_nothing(db, alice, length):
    response = log_in("a" * length, "wrong")
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_name_of_254_characters_is_checked_and_counted(db, alice):
    name = "a" * 242 + "@example.com"
    response = log_in(name, "wrong")
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()
    assert AccessAttempt.objects.get().username == name


def test_direct_clients_are_keyed_on_their_connection_not_a_forged_header(db, alice):
    # No proxy configured: X-Forwarded-For is whatever the client wrote.
    for _ in range(6):
        log_in(
            "alice", "wrong", REMOTE_ADDR=ATTACKER_IP, HTTP_X_FORWARDED_FOR=VICTIM_IP
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        ATTACKER_IP
    }
    assert log_in("alice", PASSWORD, REMOTE_ADDR=VICTIM_IP).status_code == 302
    assert log_in("alice", PASSWORD, REMOTE_ADDR=ATTACKER_IP).status_code == 429


@BEHIND_ONE_PROXY
def test_behind_a_proxy_a_forged_header_locks_out_only_the_attacker(db, alice):
    # The proxy appends the address it was reached from to what the client sent.
    for _ in range(6):
        log_in(
            "alice",
            "wrong",
            REMOTE_ADDR=PROXY_IP,
            HTTP_X_FORWARDED_FOR=f"{VICTIM_IP}, {ATTACKER_IP}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        ATTACKER_IP
    }
    victim = log_in(
        "alice", PASSWORD, REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR=VICTIM_IP
    )
    assert victim.status_code == 302
    attacker = log_in(
        "alice", PASSWORD, REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR=ATTACKER_IP
    )
    assert attacker.status_code == 429


@BEHIND_ONE_PROXY
def test_behind_a_proxy_clients_are_not_all_one_address(db, alice):
    # Before django-ipware, every attempt counted against the proxy's address.
    for _ in range(6):
        log_in("alice", "wrong", REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR=ATTACKER_IP)
    assert AccessAttempt.objects.get().ip_address == ATTACKER_IP
    ok = log_in("alice", PASSWORD, REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR=VICTIM_IP)
    assert ok.status_code == 302


def test_lock_out_by_account_alone_stays_off():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


@pytest.mark.parametrize(
    ("env", "count", "order"),
    [
        ("", None, ["REMOTE_ADDR"]),
        ("1", 0, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]),
        ("2", 1, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]),
    ],
)
def test_the_proxy_count_setting(env, count, order):
    code = (
        "from footcare import settings as s; "
        "print(repr((s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER, "
        "s.IPWARE_STRICT)))"
    )
    environ = {**os.environ, "AXES_PROXY_COUNT": env, "DJANGO_SECRET_KEY": "x"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout
    assert out.strip() == repr((count, order, False))


def test_an_email_login_finds_the_email_before_a_username_like_it(db, alice):
    # An account from before usernames lost "@", named after alice's address.
    make_user("alice@example.com", email="mallory@example.org")
    response = Client().post(
        URL, {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(response.wsgi_request.session["_auth_user_id"]) == alice.pk


def test_failures_by_email_count_against_the_email_owner(db, alice):
    make_user("alice@example.com", email="mallory@example.org")
    for _ in range(5):
        log_in("alice@example.com", "wrong")
    assert AccessAttempt.objects.get().username == "alice"
    # The other account, logging in by its own username, is not locked out.
    assert log_in("mallory@example.org", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "username", ["charlie@example.com", "someone@example.org", "a@b"]
)
def test_a_username_cannot_look_like_an_email_address(client, charlie, username):
    response = client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": "new@example.net",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "timezone": "UTC",
        },
    )
    assert response.status_code == 200
    assert "cannot contain" in response.content.decode()
    assert not User.objects.filter(email="new@example.net").exists()


def test_an_email_equal_to_someones_username_is_refused_in_settings(db, alice):
    make_user("old@example.org", email="old-owner@example.net")
    client = Client()
    client.force_login(alice)
    response = client.post(
        "/accounts/settings/",
        {
            "email": "OLD@example.org",
            "timezone": "Europe/London",
            "day_start_hour": 0,
            "weekly_target": 7,
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
