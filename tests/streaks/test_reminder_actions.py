""" "Done as usual" and "Snooze 15 min", replayed from the reminder's payload as
the service worker posts them (no cookie, no CSRF token) and as the email's link
opens them: once, whatever happens, and never a 500."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client

from accounts.models import User
from sessions.models import MassageSession
from streaks.models import ReminderSend
from tests.factories import builtin, log_session, pause, rest_day
from tests.streaks.test_push_reminders import register, run
from tests.streaks.test_send_reminders import EVENING, add_slot, opt_in

JSON = {"accept": "application/json"}


@pytest.fixture
def phone(alice_client, alice, push_service):
    add_slot(alice)
    device = push_service.device("phone")
    register(alice_client, device)
    return device


@pytest.fixture
def actions(phone, push_service):
    """The reminder's actions as the phone got them: {"done": url, ...}."""
    run()
    (message,) = push_service.received(phone)
    return {a["action"]: a["url"] for a in phone.decrypt(message)["actions"]}


def post(url, when=EVENING + dt.timedelta(minutes=2), client=None, headers=JSON):
    """Post as the service worker does: no cookie, no CSRF token."""
    client = client or Client(enforce_csrf_checks=True)
    with time_machine.travel(when, tick=False):
        return client.post(url, headers=headers)


def sessions_of(user):
    return list(MassageSession.objects.filter(user=user))


def test_done_as_usual_logs_a_session_like_the_last_one(alice, actions):
    log_session(
        alice,
        dt.datetime(2026, 6, 9, 8, 0),
        minutes=14,
        comfort=2,
        techniques=("arch", "toes"),
        pressure="firm",
        notes="Sore heel",
    )
    response = post(actions["done"])
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "title": "Saved. Well done!",
        "body": "Logged as usual: 14 minutes at 21:07, Wed 10 Jun 2026.",
    }
    session = MassageSession.objects.for_user(alice).newest_first().first()
    assert session.local_date == dt.date(2026, 6, 10)
    assert session.duration_minutes == 14
    assert set(session.techniques.all()) == {builtin("arch"), builtin("toes")}
    # How it felt is not copied: nobody rated this session.
    assert (session.comfort, session.pressure, session.notes) == (None, "", "")


def test_tapping_twice_or_replaying_logs_one_session(alice, actions):
    first = post(actions["done"])
    second = post(actions["done"], EVENING + dt.timedelta(minutes=3))
    third = post(actions["done"], EVENING + dt.timedelta(hours=2))
    assert len(sessions_of(alice)) == 1
    assert first.json()["title"] == "Saved. Well done!"
    assert second.json()["title"] == third.json()["title"] == "Already saved"
    assert "10 minutes at 21:07" in third.json()["body"]


def test_a_day_done_meanwhile_gets_no_second_session(alice, actions):
    log_session(alice, dt.datetime(2026, 6, 10, 21, 1), minutes=20)
    response = post(actions["done"])
    assert response.status_code == 200
    assert response.json()["title"] == "Today is already logged"
    assert "20 minutes at 21:01" in response.json()["body"]
    assert len(sessions_of(alice)) == 1


def test_after_24_hours_the_link_has_expired(alice, actions):
    response = post(actions["done"], EVENING + dt.timedelta(hours=24, minutes=1))
    assert response.status_code == 410
    assert response.json()["title"] == "This reminder has expired"
    assert sessions_of(alice) == []


def test_once_the_day_is_over_nothing_is_logged(alice, actions):
    response = post(actions["done"], EVENING + dt.timedelta(hours=4))  # 01:05
    assert response.status_code == 410
    assert response.json()["title"] == "That reminder was for Wed 10 Jun 2026"
    assert sessions_of(alice) == []


@pytest.mark.parametrize(
    "mangle",
    [
        lambda url: url.replace("/done/", "/snooze/"),  # a done token as snooze
        lambda url: url[:-6] + "x" + url[-5:],
        lambda url: url.rsplit("/", 2)[0] + "/" + "A" * 400 + "/",
    ],
    ids=["other action", "one character changed", "made up"],
)
def test_a_changed_token_does_nothing(alice, actions, mangle):
    response = post(mangle(actions["done"]))
    assert response.status_code == 400
    assert response.json()["title"] == "This link is not valid"
    assert sessions_of(alice) == []
    assert ReminderSend.objects.count() == 1


def test_another_users_token_does_nothing_to_you(alice, charlie, actions):
    """Signed in as charlie, alice's link changes nothing for either of them."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(charlie)
    response = post(actions["done"], client=client)
    assert response.status_code == 403
    assert response.json()["title"] == "This reminder is for another account"
    assert MassageSession.objects.count() == 0
    # And charlie's own reminder is his alone: it never touches alice.
    assert post(actions["done"]).status_code == 200
    assert sessions_of(charlie) == []


def test_the_token_opens_nothing_else(actions):
    token = actions["done"].rstrip("/").rsplit("/", 1)[1]
    client = Client()
    for url in ("/", "/sessions/", "/accounts/settings/", f"/?token={token}"):
        response = client.get(url, headers={"authorization": f"Bearer {token}"})
        assert response.status_code in (200, 302)
        assert "alice" not in response.content.decode()


def test_a_get_only_asks_and_writes_nothing(alice, actions):
    """Mail scanners and link previews open links: GET shows one button."""
    with time_machine.travel(EVENING + dt.timedelta(minutes=2), tick=False):
        page = Client().get(actions["done"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Yes, done as usual" in html
    assert '<form method="post">' in html
    assert sessions_of(alice) == []
    assert ReminderSend.objects.get().done_at is None
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "no-referrer"


def test_a_used_link_says_so_instead_of_offering_its_button_again(alice, actions):
    post(actions["done"])
    with time_machine.travel(EVENING + dt.timedelta(minutes=5), tick=False):
        page = Client().get(actions["done"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Already saved" in html
    assert "Yes, done as usual" not in html
    assert len(sessions_of(alice)) == 1


def test_the_emails_link_opens_the_page_and_its_button_logs(alice, evening_email):
    (email,) = mail.outbox
    link = next(
        line.split(": ", 1)[1] for line in email.body.splitlines() if "Done as" in line
    )
    assert link.startswith("http://testserver/reminders/done/")
    html = email.alternatives[0][0]
    assert f'href="{link}"' in html
    response = post(link, headers={}, client=Client(enforce_csrf_checks=True))
    assert response.status_code == 200
    assert "Saved. Well done!" in response.content.decode()
    assert len(sessions_of(alice)) == 1


@pytest.fixture
def evening_email(alice):
    opt_in(alice)
    add_slot(alice)
    run()


def test_an_account_deleted_since_gets_a_clear_answer(alice, actions):
    User.objects.filter(pk=alice.pk).delete()
    response = post(actions["done"])
    assert response.status_code == 404
    assert response.json()["title"] == "This reminder no longer exists"


def test_the_page_answers_in_html_for_a_browser(alice, actions):
    response = post(actions["done"], headers={"accept": "text/html"})
    assert response.status_code == 200
    assert '<h1 class="h3">Saved. Well done!</h1>' in response.content.decode()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(actions, method):
    assert getattr(Client(), method)(actions["done"]).status_code == 405


# -- snooze ------------------------------------------------------------------------


def test_snooze_sends_one_more_reminder_15_minutes_later(
    alice, actions, phone, push_service
):
    response = post(actions["snooze"])  # at 21:07
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "title": "Snoozed",
        "body": "We'll remind you again at 21:22.",
    }
    assert post(actions["snooze"]).json()["title"] == "Already snoozed"
    run(EVENING + dt.timedelta(minutes=16))  # 21:21
    assert len(push_service.received(phone)) == 1
    run(EVENING + dt.timedelta(minutes=17))  # 21:22
    run(EVENING + dt.timedelta(minutes=20))
    messages = push_service.received(phone)
    assert len(messages) == 2
    payload = phone.decrypt(messages[1])
    assert payload["body"].startswith("Snoozed: Evening at 21:22.")
    assert {a["action"] for a in payload["actions"]} == {"done", "snooze"}
    # The snoozed reminder's "Done as usual" works like the first one's.
    done = next(a["url"] for a in payload["actions"] if a["action"] == "done")
    assert post(done, EVENING + dt.timedelta(minutes=18)).status_code == 200
    assert len(sessions_of(alice)) == 1


def test_a_snooze_is_not_sent_when_the_day_got_done_meanwhile(
    alice, actions, phone, push_service
):
    post(actions["snooze"])
    log_session(alice, dt.datetime(2026, 6, 10, 21, 10))
    run(EVENING + dt.timedelta(minutes=17))
    assert len(push_service.received(phone)) == 1


def test_a_snooze_is_not_sent_by_email(alice, actions, push_service):
    opt_in(alice)
    post(actions["snooze"])
    run(EVENING + dt.timedelta(minutes=17))
    assert len(push_service.received()) == 2
    assert mail.outbox == []


def test_snoozing_into_quiet_hours_says_so(alice, actions):
    alice.quiet_hours = True
    alice.quiet_from, alice.quiet_until = dt.time(21, 15), dt.time(7, 0)
    alice.save()
    response = post(actions["snooze"])
    assert response.json() == {
        "ok": True,
        "title": "Not snoozed",
        "body": "21:22 is in your quiet hours, so no reminder then.",
    }
    assert ReminderSend.objects.count() == 1


@pytest.mark.parametrize(
    ("settle", "title"),
    [
        (lambda a: rest_day(a, dt.date(2026, 6, 10)), "Today is a rest day"),
        (
            lambda a: pause(a, dt.date(2026, 6, 9), dt.date(2026, 6, 11)),
            "Today is paused",
        ),
        (
            lambda a: log_session(a, dt.datetime(2026, 6, 10, 8)),
            "Today is already done",
        ),
    ],
    ids=["rest day", "paused", "done"],
)
def test_snoozing_a_settled_day_schedules_nothing_and_says_why(
    alice, actions, settle, title
):
    settle(alice)
    assert post(actions["snooze"]).json() == {
        "ok": True,
        "title": title,
        "body": "No more reminders today.",
    }
    assert ReminderSend.objects.count() == 1


def test_snoozes_stop_after_four(alice, actions, phone, push_service):
    url = actions["snooze"]
    when = EVENING
    for _ in range(4):
        when += dt.timedelta(minutes=16)
        assert post(url, when - dt.timedelta(minutes=15)).json()["title"] == "Snoozed"
        run(when)
        message = push_service.received(phone)[-1]
        actions_now = phone.decrypt(message)["actions"]
        url = next(a["url"] for a in actions_now if a["action"] == "snooze")
    assert post(url, when).json()["title"] == "No more snoozes"
    assert len(push_service.received(phone)) == 5
