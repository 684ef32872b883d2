"""Every form, sent what an attacker sends: each field in turn empty, huge,
negative, past the largest integer, a malformed date or time, with NUL bytes or
lone surrogates, an id that is not the user's, several values at once; and the
whole form with extra fields. Never a 500, and never a partial write: a request
that does not succeed (anything but a redirect) leaves every table as it was, and
nothing stored ever breaks a limit the page shows."""

import datetime as dt
import re
import uuid
from urllib.parse import urlencode

import pytest
from django.db import models

from accounts.models import PreferredTime, User
from sessions.models import MassageSession, Technique
from streaks.models import RestDay
from tests.conftest import PASSWORD
from tests.factories import builtin, log_session

# Sent to every field.
BAD_VALUES = {
    "empty": "",
    "huge": "9" * 100_000,
    "overflow": str(10**30),
    "NUL": "ab\x00cd",
    "lone surrogate": "\ud800x",
    "several": ["1", str(10**30), "x"],
}
# Sent as well to fields that hold a number, an id, a date or a time.
BAD_NUMBERS_AND_DATES = {
    "negative": "-1",
    "largest id + 1": str(2**63),
    "not a date": "2026-02-30",
    "year 9999": "9999-12-31",
    "not a time": "25:61",
    "other digits": "١٢",
}


def encode(pairs):
    """A urlencoded body, lone surrogates included (as a broken browser or a
    script might send them)."""
    return urlencode(pairs, doseq=True, encoding="utf-8", errors="surrogatepass")


def rows(model):
    fields = [f.attname for f in model._meta.concrete_fields]
    fields = [name for name in fields if name != "last_login"]
    return list(model.objects.order_by("pk").values_list(*fields))


def snapshot():
    through = MassageSession.techniques.through
    return {
        model.__name__: rows(model)
        for model in (User, MassageSession, through, Technique, RestDay, PreferredTime)
    }


def assert_within_limits():
    """Nothing stored breaks a limit: lengths the page shows, no NUL bytes, and
    every session has its techniques."""
    for model in (User, MassageSession, Technique, RestDay, PreferredTime):
        text_fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for obj in model.objects.all():
            for field in text_fields:
                value = getattr(obj, field.attname)
                assert "\x00" not in value, (model, field.name)
                if field.max_length:
                    assert len(value) <= field.max_length, (model, field.name)
    assert not MassageSession.objects.filter(techniques=None).exists()


@pytest.fixture
def world(alice, charlie):
    yesterday = alice.today() - dt.timedelta(days=1)
    session = log_session(alice, dt.datetime.combine(yesterday, dt.time(7, 30)))
    own = Technique.objects.create(user=alice, name="Ball roll", how_to="Roll it.")
    theirs = Technique.objects.create(user=charlie, name="Secret move")
    rest = RestDay.objects.create(user=alice, date=yesterday - dt.timedelta(days=3))
    slot = PreferredTime.objects.create(user=alice, label="Morning", time=dt.time(7))
    return {
        "yesterday": yesterday,
        "session": session,
        "own": own,
        "theirs": theirs,
        "their_session": log_session(charlie, dt.datetime(2026, 1, 5, 8, 0)),
        "rest": rest,
        "slot": slot,
    }


def session_data(w):
    return {
        "date": w["yesterday"].isoformat(),
        "start_time": "21:15",
        "duration_minutes": "12",
        "techniques": [str(builtin("arch").pk), str(w["own"].pk)],
        "comfort": "4",
        "pressure": "firm",
        "notes": "Fine.",
        "token": str(uuid.uuid4()),
    }


# Each form: (signed in?, method, url, its valid data).
FORMS = {
    "signup": (
        False,
        "post",
        lambda w: "/accounts/signup/",
        lambda w: {
            "username": "newbie",
            "email": "newbie@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "timezone": "Europe/Paris",
        },
    ),
    "login": (
        False,
        "post",
        lambda w: "/accounts/login/",
        lambda w: {"username": "alice", "password": PASSWORD, "next": "/"},
    ),
    "password reset": (
        False,
        "post",
        lambda w: "/accounts/password_reset/",
        lambda w: {"email": "alice@example.com"},
    ),
    "settings": (
        True,
        "post",
        lambda w: "/accounts/settings/",
        lambda w: {
            "email": "alice@example.com",
            "timezone": "Asia/Tokyo",
            "day_start_hour": "4",
            "weekly_target": "5",
            "email_reminders": "on",
        },
    ),
    "password change": (
        True,
        "post",
        lambda w: "/accounts/password_change/",
        lambda w: {
            "old_password": "not-the-password",
            "new_password1": "another-Long-passphrase-7",
            "new_password2": "another-Long-passphrase-7",
        },
    ),
    "delete account": (
        True,
        "post",
        lambda w: "/accounts/delete/",
        lambda w: {"password": "not-the-password"},
    ),
    "preferred times": (
        True,
        "post",
        lambda w: "/accounts/times/",
        lambda w: {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(w["slot"].pk),
            "form-0-label": "Early",
            "form-0-time": "06:30",
            "form-0-weekdays": ["0", "1", "2"],
            "form-1-label": "Evening",
            "form-1-time": "21:00",
            "form-1-weekdays": ["5", "6"],
        },
    ),
    "new session": (True, "post", lambda w: "/sessions/new/", session_data),
    "edit session": (
        True,
        "post",
        lambda w: f"/sessions/{w['session'].pk}/edit/",
        session_data,
    ),
    "delete session": (
        True,
        "post",
        lambda w: f"/sessions/{w['session'].pk}/delete/",
        lambda w: {"confirm": "1"},
    ),
    "add technique": (
        True,
        "post",
        lambda w: "/sessions/techniques/",
        lambda w: {"name": "Heel press", "how_to": "Press the heel."},
    ),
    "rename technique": (
        True,
        "post",
        lambda w: f"/sessions/techniques/{w['own'].pk}/rename/",
        lambda w: {"name": "Ball roll slow", "how_to": "Slowly."},
    ),
    "archive technique": (
        True,
        "post",
        lambda w: f"/sessions/techniques/{w['own'].pk}/archive/",
        lambda w: {"archived": "1"},
    ),
    "rest day": (
        True,
        "post",
        lambda w: "/streaks/rest-days/",
        lambda w: {"date": w["yesterday"].isoformat(), "reason": "travel"},
    ),
    "delete rest day": (
        True,
        "post",
        lambda w: f"/streaks/rest-days/{w['rest'].pk}/delete/",
        lambda w: {"next": "dashboard"},
    ),
    "import upload": (
        True,
        "post",
        lambda w: "/accounts/import/",
        lambda w: {"file": "not a file"},
    ),
    "import preview": (
        True,
        "get",
        lambda w: "/accounts/import/preview/",
        lambda w: {"habit": "0"},
    ),
    "import confirm": (
        True,
        "post",
        lambda w: "/accounts/import/confirm/",
        lambda w: {"habit": "0", "action": "import"},
    ),
    "session filter": (
        True,
        "get",
        lambda w: "/sessions/",
        lambda w: {"month": "2026-01", "technique": str(w["own"].pk), "page": "1"},
    ),
}

EXTRA_FIELDS = {
    "user": "2",
    "user_id": "2",
    "id": "1",
    "pk": "1",
    "is_staff": "on",
    "is_superuser": "on",
    "data_version": "999",
    "submission_token": str(uuid.uuid4()),
    "local_date": "2001-01-01",
    "archived": "0",
}


def variants(data, w):
    """The valid data with one field spoilt at a time, then with extra fields."""
    unknown_ids = {
        "someone else's technique": str(w["theirs"].pk),
        "someone else's session": str(w["their_session"].pk),
    }
    for field, valid in data.items():
        values = BAD_VALUES
        if isinstance(valid, list) or re.fullmatch(r"[\d:-]+", valid):
            values = {**BAD_VALUES, **BAD_NUMBERS_AND_DATES, **unknown_ids}
        for name, value in values.items():
            yield f"{field}={name}", {**data, field: value}
        yield f"{field} left out", {k: v for k, v in data.items() if k != field}
    yield "extra fields", {**EXTRA_FIELDS, **data}


@pytest.mark.parametrize("form", FORMS)
def test_every_form_survives_hostile_input(client, world, form):
    signed_in, method, url, valid = FORMS[form]
    alice = User.objects.get(username="alice")
    failures = []
    signed_in_as_alice = False
    for case, data in variants(valid(world), world):
        # A case that succeeded may have signed the client in or out (sign-up,
        # password change): start the next one as the form expects.
        if signed_in and not signed_in_as_alice:
            client.force_login(User.objects.get(pk=alice.pk))
            signed_in_as_alice = True
        before = snapshot()
        body = encode(data)
        if method == "get":
            response = client.get(f"{url(world)}?{body}")
        else:
            response = client.post(
                url(world), body, content_type="application/x-www-form-urlencoded"
            )
        if response.status_code >= 500:
            failures.append(f"{case}: {response.status_code}")
        elif response.status_code != 302 and snapshot() != before:
            failures.append(f"{case}: {response.status_code} but wrote something")
        if response.status_code == 302:
            client.logout()
            signed_in_as_alice = False
        if not User.objects.filter(pk=alice.pk).exists():
            failures.append(f"{case}: deleted the account")
            break
        if form == "delete session" and response.status_code == 302:
            break  # the session is gone; the rest would only test the 404
    assert failures == []
    assert_within_limits()


def test_extra_fields_never_reach_the_record(alice_client, alice, world):
    data = {**EXTRA_FIELDS, **session_data(world), "user": str(world["theirs"].user_id)}
    response = alice_client.post("/sessions/new/", data)
    assert response.status_code == 302
    session = MassageSession.objects.latest("created_at")
    assert session.user == alice
    assert session.local_date == world["yesterday"]
    alice.refresh_from_db()
    assert not alice.is_staff
    assert not alice.is_superuser


@pytest.mark.parametrize(
    "pk", [10**30, 2**63, 2**63 - 1, 0, 987654321], ids=lambda pk: f"pk={pk}"
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/sessions/{}/edit/"),
        ("post", "/sessions/{}/edit/"),
        ("get", "/sessions/{}/delete/"),
        ("post", "/sessions/{}/delete/"),
        ("get", "/sessions/techniques/{}/rename/"),
        ("post", "/sessions/techniques/{}/rename/"),
        ("post", "/sessions/techniques/{}/archive/"),
        ("post", "/streaks/rest-days/{}/delete/"),
        ("post", "/accounts/push/subscriptions/{}/delete/"),
        ("post", "/reminders/devices/{}/test/"),
    ],
)
def test_ids_in_urls_that_are_nobodys_are_404(alice_client, world, method, path, pk):
    before = snapshot()
    response = getattr(alice_client, method)(path.format(pk))
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/{}.ics",
        "/reminders/unsubscribe/{}/",
        "/reminders/done/{}/",
        "/reminders/snooze/{}/",
    ],
)
@pytest.mark.parametrize("token", ["x" * 5000, "%00", "%ED%A0%80", "..%2F..%2Fetc"])
def test_token_urls_answer_404_for_nonsense(client, db, path, token):
    assert client.get(path.format(token)).status_code in (400, 404)


@pytest.mark.parametrize("value", [str(10**30), "-5", "１", "1 OR 1=1"])
def test_an_impossible_technique_id_is_a_form_error(alice_client, world, value):
    data = {**session_data(world), "techniques": [value]}
    response = alice_client.post("/sessions/new/", data)
    assert response.status_code == 200
    assert "not available" in response.content.decode()


def test_a_how_to_longer_than_the_page_allows_is_refused(alice_client, world):
    limit = Technique._meta.get_field("how_to").max_length
    response = alice_client.post(
        "/sessions/techniques/", {"name": "Long", "how_to": "x" * (limit + 1)}
    )
    assert response.status_code == 200
    assert f'maxlength="{limit}"' in response.content.decode()
    assert not Technique.objects.filter(name="Long").exists()
    response = alice_client.post(
        "/sessions/techniques/", {"name": "Long", "how_to": "x" * limit}
    )
    assert response.status_code == 302


def test_a_megabyte_how_to_is_not_stored(alice_client, world):
    url = f"/sessions/techniques/{world['own'].pk}/rename/"
    response = alice_client.post(url, {"name": "Ball roll", "how_to": "x" * 2**20})
    assert response.status_code == 200
    world["own"].refresh_from_db()
    assert world["own"].how_to == "Roll it."
