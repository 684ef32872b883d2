"""Every form, sent what an attacker sends: each field in turn empty, huge,
negative, past the largest integer, a malformed date or time, with NUL bytes or
lone surrogates, an id that is not the user's, several values at once; and the
whole form with extra fields. Never a 500, and never a partial write: a request
that does not succeed (anything but a redirect) leaves every table as it was, and
nothing stored ever breaks a limit the page shows. The same for every query
parameter of every page (the admin's change lists included) and every value in
an address: never a 500, and a GET writes nothing."""

import datetime as dt
import re
import uuid
from urllib.parse import urlencode

import pytest
from django.db import models

from accounts.models import CalendarFeed, PreferredTime, User
from sessions.models import (
    GuidePreference,
    MassageSession,
    Pause,
    RestDay,
    Technique,
)
from streaks.models import ReportLink
from tests.conftest import PASSWORD
from tests.factories import builtin, log_session, pause, rest_day
from tests.test_every_page import MENU

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
    "year 1": "0001-01-01",
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
        for model in (
            User,
            MassageSession,
            through,
            Technique,
            RestDay,
            PreferredTime,
            GuidePreference,
            CalendarFeed,
            Pause,
            ReportLink,
        )
    }


def assert_within_limits():
    """Nothing stored breaks a limit: lengths the page shows, no NUL bytes, and
    every session has its techniques."""
    for model in (User, MassageSession, Technique, RestDay, PreferredTime, Pause):
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
    rest = rest_day(alice, yesterday - dt.timedelta(days=3))
    slot = PreferredTime.objects.create(user=alice, label="Morning", time=dt.time(7))
    paused = pause(
        alice, yesterday - dt.timedelta(days=2), yesterday - dt.timedelta(days=1)
    )
    return {
        "pause": paused,
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


def recording_session_data(w):
    """A session with pain, foot and where, from an account that records them
    all (switched on here, before the form is sent)."""
    User.objects.filter(username="alice").update(
        record_pain=True, record_foot=True, record_where=True
    )
    return {
        **session_data(w),
        "pain_before": "6",
        "pain_after": "2",
        "foot": "each",
        "zones": ["1", "16"],
    }


GUIDE_SLOTS = ("soak", "oil", "warm_up", "arch", "toes", "ankle", "heel", "tool")

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
    "new session, recording everything": (
        True,
        "post",
        lambda w: "/sessions/new/",
        recording_session_data,
    ),
    "edit session, recording everything": (
        True,
        "post",
        lambda w: f"/sessions/{w['session'].pk}/edit/",
        lambda w: {**recording_session_data(w), "foot": "left"},
    ),
    "what to record": (
        True,
        "post",
        lambda w: "/accounts/record/",
        lambda w: {"record_pain": "on", "record_foot": "on", "record_where": "on"},
    ),
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
        lambda w: "/sessions/rest-days/",
        lambda w: {"date": w["yesterday"].isoformat(), "reason": "travel"},
    ),
    "delete rest day": (
        True,
        "post",
        lambda w: f"/sessions/rest-days/{w['rest'].pk}/delete/",
        lambda w: {"next": "dashboard"},
    ),
    "guided session choices": (
        True,
        "post",
        lambda w: "/sessions/guide/",
        lambda w: {
            "soak": "on",
            "oil": "on",
            "tool": "ball",
            **{f"seconds_{slot}": "60" for slot in GUIDE_SLOTS},
        },
    ),
    "email reminders": (
        True,
        "post",
        lambda w: "/accounts/times/reminders/",
        lambda w: {"email_reminders": "on"},
    ),
    "add suggested times": (
        True,
        "post",
        lambda w: "/accounts/times/suggested/",
        lambda w: {"confirm": "1"},
    ),
    "new calendar link": (
        True,
        "post",
        lambda w: "/accounts/times/calendar/",
        lambda w: {"confirm": "1"},
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
    "pause": (
        True,
        "post",
        lambda w: "/sessions/pauses/new/",
        lambda w: {
            "pause-start": (w["yesterday"] - dt.timedelta(days=12)).isoformat(),
            "pause-end": (w["yesterday"] - dt.timedelta(days=5)).isoformat(),
            "pause-reason": "travel",
            "pause-note": "Away",
        },
    ),
    "end pause": (
        True,
        "post",
        lambda w: f"/sessions/pauses/{w['pause'].pk}/end/",
        lambda w: {},
    ),
    "report": (
        True,
        "get",
        lambda w: "/streaks/report/",
        lambda w: {
            "from": "2026-01-01",
            "to": w["yesterday"].isoformat(),
            "notes": "on",
        },
    ),
    "share report": (
        True,
        "post",
        lambda w: "/streaks/report/share/",
        lambda w: {
            "from": "2026-01-01",
            "to": w["yesterday"].isoformat(),
            "notes": "on",
            "days": "30",
            "show_name": "on",
        },
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


# --- Every GET parameter of every page ------------------------------------
# Each page fetched with each parameter it reads (and two it does not read)
# spoilt in turn, and with query strings broken throughout: never a 500, and a
# GET writes nothing.

# Sent to every query parameter, on top of what every form field gets.
BAD_QUERY_VALUES = {
    **BAD_VALUES,
    **BAD_NUMBERS_AND_DATES,
    "5,000 digits": "1" * 5000,
    "below the smallest integer": str(-(10**30)),
    "exponent": "1e308",
    "not a number": "NaN",
    "fullwidth digits": "１２",
    "repeated 500 times": ["1"] * 500,
    "a URL elsewhere": "https://evil.example/",
    "a scheme-relative URL": "//evil.example",
}
# Whole query strings whose keys are as broken as their values.
RAW_QUERIES = {
    "a lone percent sign": "%",
    "bad escapes": "%ZZ=%ZZ&%=%",
    "NUL key and value": "%00=%00",
    "lone surrogate key": "%ED%A0%80=%ED%A0%80",
    "no values": "=&&==&",
    "a long key": "k" * 10_000 + "=1",
    "more fields than Django reads": "&".join(f"k{n}=1" for n in range(1_100)),
}
# Read by no page, so every page must ignore them.
STRAY_PARAMETERS = ("next", "page")

# Each page: (signed in?, address, the query it reads, the status that query
# gets). "{name}" is filled in from query_world. A page that reads no query
# parameter has an empty one.
PAGES = {
    "landing": (False, "/", {}, 200),
    "log in": (False, "/accounts/login/", {"next": "/sessions/"}, 200),
    "log in, signed in already": (
        True,
        "/accounts/login/",
        {"next": "/sessions/"},
        302,
    ),
    "sign up": (False, "/accounts/signup/", {}, 200),
    "password reset": (False, "/accounts/password_reset/", {}, 200),
    "password reset sent": (False, "/accounts/password_reset/done/", {}, 200),
    "reset link": (False, "/accounts/reset/MQ/set-password/", {}, 200),
    "password reset done": (False, "/accounts/reset/done/", {}, 200),
    "offline": (False, "/offline/", {}, 200),
    "manifest": (False, "/manifest.webmanifest", {}, 200),
    "service worker": (False, "/sw.js", {}, 200),
    "calendar feed": (False, "/calendar/{feed}.ics", {}, 200),
    "unsubscribe": (False, "/reminders/unsubscribe/{unsubscribe}/", {}, 200),
    "health": (False, "/healthz", {}, 200),
    "dashboard": (True, "/", {}, 200),
    "statistics": (True, "/streaks/", {"span": "month"}, 200),
    "when": (True, "/streaks/when/", {}, 200),
    "what works for me": (True, "/streaks/insights/", {}, 200),
    "year": (True, "/streaks/year/{year}/", {}, 200),
    "rest days": (True, MENU["Rest days"], {"all": "1"}, 200),
    "report": (
        True,
        "/streaks/report/",
        {"from": "{yesterday}", "to": "{yesterday}", "notes": "on"},
        200,
    ),
    "sessions of a day": (
        True,
        "/sessions/",
        {"date": "{yesterday}", "technique": "{warm_up}", "page": "1"},
        200,
    ),
    "sessions of a month": (
        True,
        "/sessions/",
        {"month": "{month}", "technique": "{own}", "page": "1"},
        200,
    ),
    "log form": (
        True,
        "/sessions/new/",
        {
            "date": "{yesterday}",
            "start": "07:05",
            "minutes": "12",
            "techniques": ["{arch}", "{own}"],
        },
        200,
    ),
    "edit form": (True, "/sessions/{session}/edit/", {}, 200),
    "delete form": (True, "/sessions/{session}/delete/", {}, 200),
    "guide": (True, "/sessions/guide/", {}, 200),
    "techniques": (True, "/sessions/techniques/", {}, 200),
    "rename technique": (True, "/sessions/techniques/{own}/rename/", {}, 200),
    "settings": (True, "/accounts/settings/", {}, 200),
    "preferred times": (True, "/accounts/times/", {}, 200),
    "password change": (True, "/accounts/password_change/", {}, 200),
    "delete account": (True, "/accounts/delete/", {}, 200),
    "export": (True, "/accounts/export/", {}, 200),
    "export CSV": (True, "/accounts/export/sessions.csv", {}, 200),
    "export pauses CSV": (True, "/accounts/export/pauses.csv", {}, 200),
    "export JSON": (True, "/accounts/export/footcare.json", {}, 200),
    "import": (True, "/accounts/import/", {}, 200),
    # With a file of three habits waiting (query_world), so ?habit= is read.
    "import preview": (True, "/accounts/import/preview/", {"habit": "2"}, 200),
}


def get_cases():
    """(page, parameter): each page's own parameters, the stray ones, and the
    broken query strings (parameter None)."""
    for page, (_, _, query, _) in PAGES.items():
        for name in dict.fromkeys([*query, *STRAY_PARAMETERS, None]):
            yield pytest.param(page, name, id=f"{page}-{name or 'raw'}")


@pytest.fixture
def query_world(world, client, settings, tmp_path):
    """The pages' addresses and valid values, filled in; alice signed in with a
    Loop file of three habits waiting to be imported."""
    from streaks import reminder_messages
    from streaks.models import ReminderSend
    from tests.transfer.files import LOOP_ROOT_CSV, upload

    settings.FOOTCARE_IMPORT_DIR = str(tmp_path / "imports")
    # A cache that keeps what it is given, so /healthz answers 200 here whatever
    # cache the suite runs with.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    alice = User.objects.get(username="alice")
    sent = ReminderSend.objects.create(
        user=alice,
        slot=world["slot"],
        date=world["yesterday"],
        status=ReminderSend.Status.SENT,
        claimed_at=dt.datetime(2026, 1, 5, 7, tzinfo=dt.UTC),
    )
    client.force_login(alice)
    file = upload(LOOP_ROOT_CSV, "Checkmarks.csv")
    assert client.post("/accounts/import/", {"file": file}).status_code == 302
    return {
        "feed": CalendarFeed.make_new_link(alice),
        "unsubscribe": reminder_messages.unsubscribe_token(sent),
        "yesterday": world["yesterday"].isoformat(),
        "year": world["yesterday"].year,
        "month": f"{world['yesterday']:%Y-%m}",
        "session": world["session"].pk,
        "own": world["own"].pk,
        "arch": builtin("arch").pk,
        "warm_up": builtin("warm-up").pk,
    }


def fill(value, w):
    if isinstance(value, list):
        return [item.format(**w) for item in value]
    return value.format(**w)


@pytest.mark.parametrize(("page", "parameter"), list(get_cases()))
def test_every_query_parameter_survives_hostile_input(
    client, query_world, page, parameter
):
    signed_in, address, query, status = PAGES[page]
    if not signed_in:
        client.logout()
    address = fill(address, query_world)
    valid = {name: fill(value, query_world) for name, value in query.items()}
    response = client.get(f"{address}?{encode(valid)}")
    assert response.status_code == status, "the valid query"
    if parameter is None:
        cases = RAW_QUERIES.items()
    else:
        cases = [
            (label, encode({**valid, parameter: value}))
            for label, value in BAD_QUERY_VALUES.items()
        ]
        if parameter in valid:
            rest = {name: value for name, value in valid.items() if name != parameter}
            cases.append(("left out", encode(rest)))
    failures = []
    for case, raw in cases:
        before = snapshot()
        response = client.get(f"{address}?{raw}")
        if response.status_code >= 500:
            failures.append(f"{case}: {response.status_code}")
        elif snapshot() != before:
            failures.append(f"{case}: {response.status_code} but wrote something")
    assert failures == []


def admin_cases():
    """Every model in the admin: its change list's own parameters, the date
    hierarchy's, its filters, a lookup on its first text field, and ids."""
    from django.apps import apps
    from django.contrib import admin

    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        names = ["q", "o", "p", "all", "e", "_popup", "_to_field", "pk__in"]
        if model_admin.date_hierarchy:
            names += [
                f"{model_admin.date_hierarchy}__{part}"
                for part in ("year", "month", "day")
            ]
        for spec in model_admin.list_filter:
            names.append(spec[0] if isinstance(spec, tuple) else spec)
        text = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField)
        ]
        names += [f"{name}__startswith" for name in text[:1]]
        meta = model._meta
        yield pytest.param(
            f"/admin/{meta.app_label}/{meta.model_name}/",
            names,
            id=f"{meta.app_label}.{meta.model_name}",
        )


# Date filters handed "9999-12-31" warn that it has no zone; that is all.
@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime")
@pytest.mark.parametrize(("changelist", "names"), list(admin_cases()))
def test_every_admin_change_list_survives_hostile_input(
    client, world, changelist, names
):
    staff = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client.force_login(staff)
    assert client.get(changelist).status_code == 200
    before = snapshot()
    failures = []
    for name in dict.fromkeys(names):
        for label, value in BAD_QUERY_VALUES.items():
            response = client.get(f"{changelist}?{encode({name: value})}")
            if response.status_code >= 500:
                failures.append(f"{name}={label}: {response.status_code}")
    assert failures == []
    assert snapshot() == before


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
        ("post", "/sessions/rest-days/{}/delete/"),
        ("post", "/sessions/pauses/{}/end/"),
        ("post", "/sessions/pauses/{}/delete/"),
        ("post", "/streaks/report/links/{}/revoke/"),
        ("post", "/accounts/push/subscriptions/{}/delete/"),
        ("post", "/reminders/devices/{}/test/"),
    ],
)
def test_ids_in_urls_that_are_nobodys_are_404(alice_client, world, method, path, pk):
    before = snapshot()
    response = getattr(alice_client, method)(path.format(pk))
    assert response.status_code == 404
    assert snapshot() == before


# Percent-encoded, as they stand in an address.
BAD_PATH_VALUES = {
    "5,000 letters": "x" * 5000,
    "5,000 digits": "1" * 5000,
    "overflow": str(10**30),
    "largest id + 1": str(2**63),
    "zero": "0",
    "negative": "-1",
    "other digits": "%D9%A1%D9%A2",
    "NUL": "%00",
    "lone surrogate": "%ED%A0%80",
    "a path": "..%2F..%2Fetc",
}


@pytest.mark.parametrize(
    ("path", "statuses"),
    [
        ("/calendar/{}.ics", (404,)),
        ("/reminders/unsubscribe/{}/", (400, 404)),
        ("/reminders/done/{}/", (400, 404, 410)),
        ("/reminders/snooze/{}/", (400, 404, 410)),
        ("/streaks/year/{}/", (404,)),
        ("/report/{}/", (404,)),
        ("/sessions/{}/edit/", (404,)),
        ("/accounts/reset/{}/set-password/", (200, 404)),  # "the link is not valid"
        ("/accounts/reset/MQ/{}/", (200, 404)),
    ],
)
@pytest.mark.parametrize("value", BAD_PATH_VALUES.values(), ids=BAD_PATH_VALUES)
def test_nonsense_in_an_address_is_refused(alice_client, world, path, statuses, value):
    before = snapshot()
    assert alice_client.get(path.format(value)).status_code in statuses
    assert snapshot() == before


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


# Every upload format, sent what an attacker sends: each file is refused at the
# upload with a message and nothing written, or its preview shows and "Import"
# writes it, storing only what every database accepts.


def _footcare(**parts):
    from tests.transfer.files import footcare_json

    return footcare_json(**parts).encode()


def _session(**fields):
    from tests.transfer.files import session_entry

    return session_entry(**fields)


def _zip(members, stored=False):
    import io
    import zipfile

    compression = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _database(tmp_path, rows=None, **options):
    from tests.transfer.files import loop_database

    return loop_database(tmp_path / f"loop-{uuid.uuid4().hex}.db", rows, **options)


def _unreadable_database(tmp_path):
    from tests.transfer.files import loop_database_with_unreadable_schema

    return loop_database_with_unreadable_schema(tmp_path / "damaged.db")


def _with_flags(content, bits):
    from tests.transfer.files import with_flag_bits

    return with_flag_bits(content, bits)


def _json(document):
    import json

    return json.dumps(document).encode()


def _loop_zip(habits=None):
    from tests.transfer.files import loop_zip

    return loop_zip(habits)


DAY = dt.date(2024, 3, 2)
HABIT_CSV = "Date,Value,Notes\n2024-03-01,YES_MANUAL,ok\n"
# Each case: the file's name and a function of a temporary folder giving its bytes.
HOSTILE_FILES = {
    # Footcare JSON
    "footcare: pressure a list": (
        "f.json",
        lambda t: _footcare(sessions=[_session(pressure=["firm"])]),
    ),
    "footcare: pressure an object": (
        "f.json",
        lambda t: _footcare(sessions=[_session(pressure={"a": 1})]),
    ),
    "footcare: reason a list": (
        "f.json",
        lambda t: _footcare(rest_days=[{"date": "2024-05-03", "reason": ["x"]}]),
    ),
    "footcare: reason an object": (
        "f.json",
        lambda t: _footcare(rest_days=[{"date": "2024-05-03", "reason": {}}]),
    ),
    "footcare: start year 1 +05:00": (
        "f.json",
        lambda t: _footcare(sessions=[_session(start="0001-01-01T00:00:00+05:00")]),
    ),
    "footcare: start year 9999 -05:00": (
        "f.json",
        lambda t: _footcare(sessions=[_session(start="9999-12-31T23:59:00-05:00")]),
    ),
    "footcare: start in 1990": (
        "f.json",
        lambda t: _footcare(sessions=[_session(start="1990-01-01T00:00:00+00:00")]),
    ),
    "footcare: start a number": (
        "f.json",
        lambda t: _footcare(sessions=[_session(start=20240501)]),
    ),
    "footcare: 5,000-digit comfort": (
        "f.json",
        lambda t: _footcare().replace(b'"comfort": 4', b'"comfort": ' + b"9" * 5000),
    ),
    "footcare: 5,000-digit version": (
        "f.json",
        lambda t: _footcare().replace(b'"version": 1', b'"version": ' + b"1" * 5000),
    ),
    "footcare: comfort 10**30": (
        "f.json",
        lambda t: _footcare(sessions=[_session(comfort=10**30)]),
    ),
    "footcare: time with an offset": (
        "f.json",
        lambda t: _footcare(
            preferred_times=[{"label": "M", "time": "07:30+05:00", "weekdays": [0]}]
        ),
    ),
    "footcare: time a number": (
        "f.json",
        lambda t: _footcare(
            preferred_times=[{"label": "M", "time": 730, "weekdays": [0]}]
        ),
    ),
    "footcare: weekdays floats": (
        "f.json",
        lambda t: _footcare(
            preferred_times=[{"label": "M", "time": "07:30", "weekdays": [1.0, True]}]
        ),
    ),
    "footcare: NUL everywhere": (
        "f.json",
        lambda t: _footcare(
            techniques=[{"name": "Ball\u0000 roll", "how_to": "\u0000"}],
            preferred_times=[{"label": "Eve\u0000", "time": "21:00", "weekdays": [1]}],
            sessions=[
                _session(notes="a\u0000b", techniques=["Ball roll", "Heel\u0000 press"])
            ],
        ),
    ),
    "footcare: only NUL as a name": (
        "f.json",
        lambda t: _footcare(techniques=[{"name": "\u0000"}]),
    ),
    "footcare: lone surrogates": (
        "f.json",
        lambda t: _footcare(
            sessions=[_session(notes="\ud800x", techniques=["a\udfffb"])]
        ),
    ),
    "footcare: I and İ and i": (
        "f.json",
        lambda t: _footcare(
            techniques=[{"name": "I"}, {"name": "İ"}],
            sessions=[_session(techniques=["i", "İ", "ı"])],
        ),
    ),
    "footcare: a name twice in one session": (
        "f.json",
        lambda t: _footcare(sessions=[_session(techniques=["Arch", "ARCH ", " arch"])]),
    ),
    "footcare: name of 81 characters": (
        "f.json",
        lambda t: _footcare(techniques=[{"name": "x" * 81}]),
    ),
    "footcare: notes of 2,001 characters": (
        "f.json",
        lambda t: _footcare(sessions=[_session(notes="x" * 2001)]),
    ),
    "footcare: version a nested list": ("f.json", lambda t: _footcare(version=[[[1]]])),
    "footcare: settings null": ("f.json", lambda t: _footcare(settings=None)),
    "footcare: unknown zone": (
        "f.json",
        lambda t: _footcare(settings={"timezone": "Mars/Olympus"}),
    ),
    "footcare: nested 100,000 deep": (
        "f.json",
        lambda t: (
            b'{"format": "footcare", "version": 1, "x": '
            + b"[" * 100_000
            + b"]" * 100_000
            + b"}"
        ),
    ),
    "footcare: 50,001 rest days": (
        "f.json",
        lambda t: _footcare(rest_days=[{"date": "2024-01-01"}] * 50_001),
    ),
    "footcare: 1,001 techniques": (
        "f.json",
        lambda t: _footcare(techniques=[{"name": f"T{n}"} for n in range(1001)]),
    ),
    # Beaver Habit Tracker JSON
    "beaver: NUL in text and name": (
        "b.json",
        lambda t: _json(
            {
                "habits": [
                    {
                        "name": "Feet\u0000",
                        "records": [
                            {"day": "2024-02-01", "done": True, "text": "x\u0000y"}
                        ],
                    }
                ]
            }
        ),
    ),
    "beaver: name only NUL": (
        "b.json",
        lambda t: _json({"habits": [{"name": "\u0000", "records": []}]}),
    ),
    "beaver: done a string": (
        "b.json",
        lambda t: (
            b'{"habits": [{"name": "F", "records": '
            b'[{"day": "2024-02-01", "done": "yes"}]}]}'
        ),
    ),
    "beaver: day a list": (
        "b.json",
        lambda t: (
            b'{"habits": [{"name": "F", "records": [{"day": [[]], "done": true}]}]}'
        ),
    ),
    "beaver: records an object": (
        "b.json",
        lambda t: b'{"habits": [{"name": "F", "records": {}}]}',
    ),
    "beaver: 1,001 habits": (
        "b.json",
        lambda t: _json({"habits": [{"name": "F", "records": []}] * 1001}),
    ),
    # A habit's Checkmarks.csv
    "csv: NUL in notes": (
        "c.csv",
        lambda t: b"Date,Value,Notes\n2024-03-01,YES_MANUAL,a\x00b\n",
    ),
    "csv: Loop 1.x without a header": (
        "c.csv",
        lambda t: b"2024-03-02,2\n2024-03-01,3\n",
    ),
    "csv: Loop 1.x with a bad value": (
        "c.csv",
        lambda t: b"2024-03-02,2\n2024-03-01,9\n",
    ),
    "csv: 5,000-digit value": (
        "c.csv",
        lambda t: b"Date,Value,Notes\n2024-03-01," + b"2" * 5000 + b",\n",
    ),
    "csv: a field over 128 KB": (
        "c.csv",
        lambda t: (
            b'Date,Value,Notes\n2024-03-01,YES_MANUAL,"' + b"x" * 200_000 + b'"\n'
        ),
    ),
    "csv: year 9999": (
        "c.csv",
        lambda t: b"Date,Value,Notes\n9999-12-31,YES_MANUAL,\n",
    ),
    "csv: UTF-16": ("c.csv", lambda t: HABIT_CSV.encode("utf-16")),
    "csv: latin-1 notes": (
        "c.csv",
        lambda t: b"Date,Value,Notes\n2024-03-01,YES_MANUAL,\xe9\n",
    ),
    "csv: unclosed quote": (
        "c.csv",
        lambda t: b'Date,Value,Notes\n2024-03-01,YES_MANUAL,"open\n',
    ),
    # Loop's root Checkmarks.csv
    "root csv: 1,001 habits": (
        "r.csv",
        lambda t: ("Date," + ",".join(f"H{n}" for n in range(1001)) + ",\n").encode(),
    ),
    "root csv: NUL in a habit's name": (
        "r.csv",
        lambda t: b"Date,Feet\x00,\n2024-03-01,2,\n",
    ),
    "root csv: only measurable habits": (
        "r.csv",
        lambda t: b"Date,Steps,\n2024-03-01,5000,\n",
    ),
    # Loop's zip
    "zip: member flagged encrypted": ("l.zip", lambda t: _with_flags(_loop_zip(), 0x1)),
    "zip: member flagged strongly encrypted": (
        "l.zip",
        lambda t: _with_flags(_loop_zip(), 0x41),
    ),
    "zip: unknown compression": (
        "l.zip",
        lambda t: _zip({"Checkmarks.csv": HABIT_CSV}).replace(b"\x08\x00", b"\x63\x00"),
    ),
    "zip: damaged member": (
        "l.zip",
        lambda t: _zip({"001 F/Checkmarks.csv": HABIT_CSV * 50})[:-120] + b"\x00" * 120,
    ),
    "zip: truncated": ("l.zip", lambda t: _loop_zip()[:200]),
    "zip: 2,001 members": (
        "l.zip",
        lambda t: _zip({f"{n}.txt": "" for n in range(2001)}, stored=True),
    ),
    "zip: bomb": (
        "l.zip",
        lambda t: _zip({"Checkmarks.csv": "Date,Value,Notes\n" + "0" * 5_000_000}),
    ),
    "zip: Loop 1.x habit files": (
        "l.zip",
        lambda t: _loop_zip({"Feet": "2024-03-02,2\n2024-03-01,3\n"}),
    ),
    "zip: non-UTF-8 member": (
        "l.zip",
        lambda t: _zip(
            {"001 F/Checkmarks.csv": b"Date,Value,Notes\n2024-03-01,2,\xe9\n"}
        ),
    ),
    "zip: NUL in notes": (
        "l.zip",
        lambda t: _loop_zip({"Feet": "Date,Value,Notes\n2024-03-01,2,a\x00b\n"}),
    ),
    # Loop's .db backup
    "db: non-UTF-8 error message": ("l.db", lambda t: _unreadable_database(t)),
    "db: NUL in notes": ("l.db", lambda t: _database(t, [(2, DAY, 2, "a\x00b")])),
    "db: blob notes": (
        "l.db",
        lambda t: _database(t, [(2, DAY, 2, b"\x00\xff")]).replace(b"", b""),
    ),
    "db: truncated": ("l.db", lambda t: _database(t)[:1500]),
    "db: header only": ("l.db", lambda t: b"SQLite format 3\x00" + b"\xff" * 84),
}


# The cases that import (their text cleaned, their time made wall-clock); every
# other one is refused at the upload.
IMPORTED = {
    "footcare: time with an offset",
    "footcare: NUL everywhere",
    "footcare: lone surrogates",
    "footcare: I and İ and i",
    "footcare: a name twice in one session",
    "beaver: NUL in text and name",
    "csv: NUL in notes",
    "csv: Loop 1.x without a header",
    "root csv: NUL in a habit's name",
    "zip: Loop 1.x habit files",
    "zip: NUL in notes",
    "db: NUL in notes",
    "db: blob notes",
}


def _storable():
    """Nothing stored holds NUL or a lone surrogate (PostgreSQL refuses them),
    or more characters than its column (PostgreSQL refuses that too)."""
    from transfer.formats import _UNSTORABLE

    for model in (MassageSession, Technique, RestDay, PreferredTime):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                for value in model.objects.values_list(field.attname, flat=True):
                    assert not _UNSTORABLE.search(value), (model, field.name)
                    assert len(value) <= field.max_length, (model, field.name)


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_every_upload_format_survives_hostile_files(
    alice_client, world, settings, tmp_path, case
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.transfer.pages import press_import

    settings.FOOTCARE_IMPORT_DIR = str(tmp_path / "imports")
    name, build = HOSTILE_FILES[case]
    before = snapshot()
    response = alice_client.post(
        "/accounts/import/", {"file": SimpleUploadedFile(name, build(tmp_path))}
    )
    assert response.status_code == (302 if case in IMPORTED else 200)
    if response.status_code == 200:
        assert "Nothing was imported." in response.content.decode()
        assert snapshot() == before
        return
    response = press_import(alice_client)
    assert response.status_code == 302
    assert response["Location"] == "/sessions/"
    _storable()


def test_an_upload_declared_over_the_limit_is_413(alice_client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = snapshot()
    response = alice_client.post(
        "/accounts/import/",
        {"file": SimpleUploadedFile("c.csv", HABIT_CSV.encode())},
        CONTENT_LENGTH=str(21 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "The file is larger than 20 MB." in response.content.decode()
    assert snapshot() == before
