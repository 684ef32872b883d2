"""The unsubscribe link in reminder emails: no login, once, only its own user."""

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core import mail, signing
from django.core.management import call_command

from accounts.models import PreferredTime, User
from streaks import reminder_messages
from streaks.models import ReminderSend
from tests.html import text

EVENING = dt.datetime(2026, 6, 10, 21, 5, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def opt_in(user):
    user.email_reminders = True
    user.save()
    return user


def reminders_on(user):
    user.refresh_from_db()
    return user.email_reminders


def remind(when=EVENING):
    """Run send_reminders; the path of the last email's unsubscribe link."""
    with time_machine.travel(when, tick=False):
        call_command("send_reminders", stdout=StringIO())
    url = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>")
    return url.removeprefix("http://testserver")


@pytest.fixture
def emailed_link(alice):
    """The unsubscribe link from a reminder alice received, as a path."""
    opt_in(alice)
    PreferredTime.objects.create(user=alice, label="Evening", time=dt.time(21, 0))
    return remind()


def test_get_asks_first_and_changes_nothing(client, alice, emailed_link):
    response = client.get(emailed_link)
    assert response.status_code == 200
    assert "Stop reminder emails?" in text(response)
    assert '<button type="submit"' in response.content.decode()
    assert reminders_on(alice)
    # Asking again is fine: only the POST spends the link.
    assert client.get(emailed_link).status_code == 200


def test_the_button_turns_reminders_off_without_logging_in(client, alice, emailed_link):
    response = client.post(emailed_link)
    assert response.status_code == 200
    assert "Reminder emails are off" in text(response)
    assert not reminders_on(alice)


def test_one_click_from_the_mail_app_needs_no_csrf_token(
    csrf_client, alice, emailed_link
):
    response = csrf_client.post(
        emailed_link,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not reminders_on(alice)


def test_the_link_works_once(client, alice, emailed_link):
    client.post(emailed_link)
    opt_in(alice)  # she turns reminders back on in Settings
    again = client.post(emailed_link)
    assert again.status_code == 404
    assert "already been used" in text(again)
    assert reminders_on(alice)
    assert client.get(emailed_link).status_code == 404


def test_a_new_email_brings_a_new_link_that_works(client, alice, emailed_link):
    client.post(emailed_link)
    opt_in(alice)
    fresh = remind(EVENING + dt.timedelta(days=1))
    assert fresh != emailed_link
    assert client.post(fresh).status_code == 200
    assert not reminders_on(alice)
    assert ReminderSend.objects.filter(unsubscribed_at__isnull=False).count() == 2


def test_it_only_affects_its_own_user(client, alice, charlie, emailed_link):
    opt_in(charlie)
    client.post(emailed_link)
    assert reminders_on(charlie)
    assert not reminders_on(alice)


def test_a_link_changed_to_point_at_someone_else_is_refused(
    client, alice, charlie, emailed_link
):
    opt_in(charlie)
    send = ReminderSend.objects.get()
    token = emailed_link.split("/")[-2]
    _, rest = token.split(":", 1)
    forged = signing.b64_encode(f"[{charlie.pk},{send.pk}]".encode()).decode()
    response = client.post(f"/reminders/unsubscribe/{forged}:{rest}/")
    assert response.status_code == 400
    assert "not valid" in text(response)
    assert reminders_on(charlie)
    assert reminders_on(alice)


def test_even_a_signed_link_only_works_for_the_user_of_its_email(
    client, alice, charlie, emailed_link
):
    opt_in(charlie)
    send = ReminderSend.objects.get()
    mixed = signing.dumps(
        [charlie.pk, send.pk], salt=reminder_messages.UNSUBSCRIBE_SALT
    )
    assert client.post(f"/reminders/unsubscribe/{mixed}/").status_code == 404
    assert reminders_on(charlie)
    assert client.post(emailed_link).status_code == 200  # alice's still works


def test_a_token_signed_for_something_else_is_refused(client, alice, emailed_link):
    send = ReminderSend.objects.get()
    other = signing.dumps([alice.pk, send.pk])  # right shape, wrong salt
    assert client.post(f"/reminders/unsubscribe/{other}/").status_code == 400
    assert reminders_on(alice)


@pytest.mark.parametrize("token", ["garbage", "a:b:c", "W10:1abc:xyz"])
def test_garbage_is_a_400_not_a_500(client, db, token):
    assert client.get(f"/reminders/unsubscribe/{token}/").status_code == 400
    assert client.post(f"/reminders/unsubscribe/{token}/").status_code == 400


def test_a_well_signed_token_of_an_odd_shape_is_refused(db):
    token = signing.dumps({"user": 1}, salt=reminder_messages.UNSUBSCRIBE_SALT)
    with pytest.raises(signing.BadSignature):
        reminder_messages.read_unsubscribe_token(token)


def test_a_deleted_users_link_is_404(client, alice, emailed_link):
    User.objects.filter(pk=alice.pk).delete()
    assert client.post(emailed_link).status_code == 404


def test_other_methods_are_refused(client, emailed_link):
    assert client.put(emailed_link).status_code == 405
