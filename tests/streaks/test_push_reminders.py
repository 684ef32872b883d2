"""Reminders on devices (Web Push): a device registered over HTTP with keys
made here gets the reminder from a local push service, encrypted for it alone;
once, whatever fails around it."""

import datetime as dt
import json
import socket
import threading
import time
import uuid
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from accounts import push as devices
from accounts.models import PushSubscription
from streaks import push, reminders
from streaks.models import ReminderDelivery, ReminderSend
from tests.conftest import make_user
from tests.factories import log_session, pause, push_device, rest_day
from tests.push_service import vapid_signed
from tests.streaks.test_send_reminders import EVENING, add_slot, opt_in

PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)


def run(when=EVENING):
    with time_machine.travel(when, tick=False):
        out, err = StringIO(), StringIO()
        call_command("send_reminders", stdout=out, stderr=err)
        return out.getvalue() + err.getvalue()


def register(client, device, user_agent=PHONE_UA):
    response = client.post(
        "/accounts/push/subscriptions/",
        json.dumps(device.subscription()),
        content_type="application/json",
        headers={"user-agent": user_agent},
    )
    assert response.status_code == 201, response.content
    return PushSubscription.objects.get(pk=response.json()["id"])


@pytest.fixture
def evening(alice):
    """Alice with a 21:00 slot every day and no email reminders."""
    return add_slot(alice)


@pytest.fixture
def phone(alice_client, evening, push_service):
    device = push_service.device("phone")
    register(alice_client, device)
    return device


def test_a_registered_device_gets_the_reminder_encrypted_for_it(
    alice, phone, push_service
):
    assert "Sent 1 reminder(s), 0 failed." in run()
    (message,) = push_service.received(phone)
    assert message.path == "/push/phone"
    payload = phone.decrypt(message)
    assert payload["title"] == "Foot massage time"
    assert payload["body"] == (
        "Evening at 21:00. Today is a good day to start a streak."
    )
    assert payload["url"] == "http://testserver/"
    actions = {action["action"]: action for action in payload["actions"]}
    assert actions["done"]["title"] == "Done as usual"
    assert actions["snooze"]["title"] == "Snooze 15 min"
    for action in actions.values():
        assert set(action) == {"action", "title", "url"}
        assert action["url"].startswith(
            f"http://testserver/reminders/{action['action']}/"
        )
    # Signed by the server's own VAPID key, kept by the push service no longer
    # than the reminder matters, and a newer reminder replaces a waiting one.
    assert vapid_signed(message, devices.public_key(devices.vapid()))
    assert message.headers["ttl"] == "900"
    assert message.headers["topic"] == "reminder"
    assert mail.outbox == []  # email reminders are off
    assert ReminderSend.objects.get().status == "sent"
    device = PushSubscription.objects.get()
    assert dt.timedelta(0) <= device.last_used_at - EVENING < dt.timedelta(seconds=5)


def test_another_device_cannot_read_the_message(phone, push_service):
    run()
    (message,) = push_service.received(phone)
    stranger = push_service.device("other")
    with pytest.raises(Exception):  # noqa: B017, PT011 (http_ece's own errors)
        stranger.decrypt(message)


def test_a_second_run_sends_nothing_more(phone, push_service):
    run()
    run(EVENING + dt.timedelta(minutes=5))
    assert len(push_service.received()) == 1


def test_email_and_every_device_under_one_claim(
    alice, alice_client, phone, push_service
):
    opt_in(alice)
    tablet = push_service.device("tablet")
    register(alice_client, tablet)
    assert "Sent 1 reminder(s)" in run()
    assert len(push_service.received(phone)) == 1
    assert len(push_service.received(tablet)) == 1
    (email,) = mail.outbox
    done_link = phone.decrypt(push_service.received(phone)[0])["actions"][0]["url"]
    assert done_link in email.body  # the same "Done as usual" everywhere
    assert ReminderSend.objects.count() == 1
    assert sorted(ReminderDelivery.objects.values_list("channel", "status")) == [
        ("email", "sent"),
        ("push", "sent"),
        ("push", "sent"),
    ]


@pytest.mark.parametrize(
    "settle",
    [
        lambda alice: log_session(alice, dt.datetime(2026, 6, 10, 7, 30)),
        lambda alice: rest_day(alice, dt.date(2026, 6, 10)),
        lambda alice: pause(alice, dt.date(2026, 6, 8), dt.date(2026, 6, 12)),
    ],
    ids=["done day", "rest day", "paused day"],
)
def test_a_done_day_or_rest_day_sends_nothing(alice, phone, push_service, settle):
    settle(alice)
    run()
    assert push_service.messages == []
    assert not ReminderSend.objects.exists()


def test_quiet_hours_send_nothing_by_either_channel(alice, phone, push_service):
    opt_in(alice)
    alice.quiet_hours = True
    alice.quiet_from, alice.quiet_until = dt.time(21, 0), dt.time(7, 0)
    alice.save()
    assert "Sent 0 reminder(s)" in run()
    assert push_service.messages == []
    assert mail.outbox == []
    alice.quiet_from = dt.time(21, 30)  # the slot is before them now
    alice.save()
    run()
    assert len(push_service.received()) == 1
    assert len(mail.outbox) == 1


def test_a_time_inside_quiet_hours_is_not_reminded_of_when_they_end(
    alice, phone, push_service
):
    """The settings page says no reminder goes out for a 21:00 time inside
    quiet hours of 20:00-21:03: none goes out at 21:05 either, when the
    reminder would still be due."""
    alice.quiet_hours = True
    alice.quiet_from, alice.quiet_until = dt.time(20, 0), dt.time(21, 3)
    alice.save()
    assert [slot.time for slot in alice.silenced_times()] == [dt.time(21, 0)]
    assert "Sent 0 reminder(s)" in run()  # 21:05, after the quiet hours
    assert push_service.messages == []


def test_quiet_hours_are_read_on_the_users_clock(alice, phone, push_service):
    alice.quiet_hours = True
    alice.quiet_from, alice.quiet_until = dt.time(2, 0), dt.time(3, 0)
    alice.save()
    run()  # 21:05 in London is 20:05 UTC: quiet hours mean London's 02:00-03:00
    assert len(push_service.received()) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_the_push_service_forgot_is_removed(
    alice, phone, push_service, status
):
    push_service.answer(phone, status)
    output = run()
    assert not PushSubscription.objects.exists()
    assert push_service.received(phone, status=status)
    assert "Sent 1 reminder(s)" in output  # nothing left to retry
    run(EVENING + dt.timedelta(minutes=5))
    assert len(push_service.messages) == 1


def test_one_devices_failure_never_holds_up_another(
    alice, alice_client, phone, push_service
):
    tablet = push_service.device("tablet")
    register(alice_client, tablet)
    push_service.answer(phone, 503)
    output = run()
    assert "Failed, will retry" in output
    assert len(push_service.received(tablet)) == 1
    assert push_service.received(phone, status=503)


class DripService:
    """A push service that answers a byte at a time, every 0.2 s, for up to
    30 s: never slow enough for the read timeout, far too slow to wait for."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.cut_early = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self):
        connection, _ = self.listener.accept()
        with connection:
            connection.recv(65536)  # the request (a small one)
            try:
                connection.sendall(b"HTTP/1.1 ")
                for _ in range(150):  # its status line, never finished
                    time.sleep(0.2)
                    connection.sendall(b"2")
            except OSError:  # the poster cut the connection
                self.cut_early.set()

    def stop(self):
        self.listener.close()
        self.thread.join(timeout=40)


def test_a_push_service_answering_a_byte_at_a_time_is_cut_off(
    alice, alice_client, phone, push_service, settings, monkeypatch
):
    """One slow device must not hold up the others (nor the email after them):
    a post that has not got its whole answer in POST_TIMEOUT is given up, and
    the device is tried again later."""
    monkeypatch.setattr(push, "POST_TIMEOUT", 1)
    drip = DripService()
    settings.FOOTCARE_PUSH_HOSTS = [push_service.origin, drip.origin]
    push_device(alice, push_service.device("slow"), endpoint=f"{drip.origin}/slow")
    try:
        output = run()
        assert drip.cut_early.wait(5)
    finally:
        drip.stop()
    assert "Failed, will retry" in output
    assert len(push_service.received(phone)) == 1
    row = ReminderSend.objects.get()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "no whole answer in 1 s" in row.error
    assert row.retry_at > EVENING


@pytest.mark.parametrize("status", [429, 500, 503])
def test_busy_push_services_are_retried_and_a_device_that_got_it_is_not(
    alice, alice_client, phone, push_service, status
):
    tablet = push_service.device("tablet")
    register(alice_client, tablet)
    push_service.answer(phone, status)
    run()
    row = ReminderSend.objects.get()
    assert (row.status, row.attempts) == ("failed", 1)
    assert f"HTTP {status}" in row.error
    # Backing off: not retried at once (unless the service asked for less
    # than RETRY_AFTER: a 429 says 1 s), but soon.
    wait = row.retry_at - EVENING
    assert dt.timedelta(seconds=5) <= wait < dt.timedelta(seconds=6)
    run(EVENING + dt.timedelta(seconds=4))
    assert len(push_service.messages) == 2
    run(EVENING + dt.timedelta(seconds=6))
    assert len(push_service.received(phone)) == 1
    assert len(push_service.received(tablet)) == 1  # not sent to it again
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


def seconds_to_retry(row):
    row.refresh_from_db()
    return (row.retry_at - EVENING).total_seconds()


def test_a_503_is_tried_again_after_5_s_then_10_s_doubling_and_given_up_after_six(
    alice, phone, push_service
):
    push_service.answer(phone, *[503] * 7)
    outputs = [run()]
    row = ReminderSend.objects.get()
    waits, last = [], 0
    for _ in range(5):
        waits.append(seconds_to_retry(row) - last)
        last = seconds_to_retry(row)
        outputs.append(run(row.retry_at))  # each retry as soon as it may be
    # 5 s, then 10, 20, 40 and 80 s after each attempt: 155 s of trying.
    assert [round(w) for w in waits] == [5, 10, 20, 40, 80]
    assert reminders.MAX_ATTEMPTS == 6
    assert len(push_service.messages) == 6
    assert all("Failed, will retry" in o for o in outputs[:5])
    assert "Failed for the last time" in outputs[5]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.retry_at) == ("failed", 6, None)
    run(EVENING + dt.timedelta(minutes=5))
    assert len(push_service.messages) == 6


def test_a_pass_says_when_its_first_retry_is_due(alice, phone, push_service):
    """What a loop waits for before its next pass (see run_loop)."""
    push_service.answer(phone, 503)
    with time_machine.travel(EVENING, tick=False):
        outcome = reminders.send_due_reminders()
    assert outcome.next_retry == ReminderSend.objects.get().retry_at
    with time_machine.travel(outcome.next_retry, tick=False):
        assert reminders.send_due_reminders().next_retry is None  # it went out
    assert len(push_service.received(phone)) == 1


def test_retry_after_wins_when_later_than_the_backoff(alice, phone, push_service):
    push_service.answer(phone, (503, "120"))
    run()
    row = ReminderSend.objects.get()
    assert 120 <= seconds_to_retry(row) < 121
    run(EVENING + dt.timedelta(seconds=60))  # the backoff alone would retry
    assert len(push_service.messages) == 1
    run(EVENING + dt.timedelta(seconds=121))
    assert len(push_service.received(phone)) == 1


def test_the_backoff_wins_when_retry_after_is_sooner(alice, phone, push_service):
    push_service.answer(phone, (503, "1"))
    run()
    assert 5 <= seconds_to_retry(ReminderSend.objects.get()) < 6


def test_no_retry_is_planned_past_the_reminder_window(alice, phone, push_service):
    # Slot at 21:00, window to 21:15: a Retry-After of an hour, or a backoff
    # that ends after 21:15, is the last attempt, not a retry nobody makes.
    push_service.answer(phone, (503, "3600"))
    assert "Failed for the last time" in run()
    assert ReminderSend.objects.get().retry_at is None
    ReminderSend.objects.all().delete()
    push_service.answer(phone, 503)
    late = EVENING.replace(minute=14, second=57)
    assert "Failed for the last time" in run(late)
    assert len(push_service.messages) == 2


def test_a_redirect_is_not_followed(alice, phone, push_service, settings):
    push_service.answer(phone, 307)
    run()
    assert len(push_service.messages) == 1  # no second post anywhere
    delivery = ReminderDelivery.objects.get()
    assert delivery.status == "failed"
    assert "redirects are not followed" in delivery.error


def test_an_endpoint_no_longer_allowed_is_not_posted_to(
    alice, phone, push_service, settings
):
    settings.FOOTCARE_PUSH_HOSTS = ["https://fcm.googleapis.com"]
    run()
    assert push_service.messages == []
    assert "FOOTCARE_PUSH_HOSTS" in ReminderDelivery.objects.get().error
    assert PushSubscription.objects.exists()  # kept: the setting may come back


def test_a_host_name_that_resolves_to_a_private_address_is_refused(
    alice, evening, push_service, settings, monkeypatch
):
    """An allowed host name whose DNS answer is a loopback or private address
    (DNS rebinding) is refused once connected, before the request is sent."""
    port = push_service.server.server_address[1]
    settings.FOOTCARE_PUSH_HOSTS = [f"https://push.example.org:{port}"]
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "push.example.org":
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    device = push_service.device("phone")
    push_device(alice, device, endpoint=f"https://push.example.org:{port}/push/phone")
    run()
    assert push_service.messages == []
    delivery = ReminderDelivery.objects.get()
    assert delivery.status == "failed"
    assert "resolved to 127.0.0.1, not public" in delivery.error


def being_sent(user, slot, claim):
    """Today's reminder of `slot`, claimed at EVENING by the run `claim`."""
    return ReminderSend.objects.create(
        user=user,
        slot=slot,
        date=dt.date(2026, 6, 10),
        status="sending",
        claimed_at=EVENING,
        claimed_by=claim,
        lease_until=EVENING + reminders.LEASE,
        due_at=EVENING,
    )


def test_a_run_that_died_is_taken_over_and_what_it_was_posting_comes_again(
    alice, alice_client, evening, push_service
):
    """A run was killed after marking one device "sending" (it may have got the
    message) and before the other: the next run, once the lease is over, posts
    to both. The device that may have it gets the same message again, under the
    same Topic and notification tag, which the push service and the phone put
    in the first one's place."""
    sent_maybe, waiting = push_service.device("a"), push_service.device("b")
    first, second = register(alice_client, sent_maybe), register(alice_client, waiting)
    row = being_sent(alice, evening, uuid.uuid4())
    ReminderDelivery.objects.create(
        send=row, channel="push", subscription=first, status="sending"
    )
    ReminderDelivery.objects.create(send=row, channel="push", subscription=second)
    run(EVENING + reminders.LEASE - dt.timedelta(seconds=1))
    assert push_service.messages == []  # the lease still holds
    run(EVENING + reminders.LEASE + dt.timedelta(seconds=1))
    assert sorted(m.path for m in push_service.messages) == ["/push/a", "/push/b"]
    (again,) = push_service.received(sent_maybe)
    assert again.headers["topic"] == "reminder"
    assert sent_maybe.decrypt(again)["tag"] == f"reminder-{alice.pk}-2026-06-10"
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    run(EVENING + reminders.LEASE + dt.timedelta(minutes=1))
    assert len(push_service.messages) == 2  # and then never again


def test_an_email_a_run_that_died_was_sending_is_not_sent_again(
    alice, alice_client, evening, push_service
):
    """An email cannot replace one that arrived: it is left "unknown", and the
    device the dead run had not reached yet still gets its message."""
    opt_in(alice)
    device = push_service.device("phone")
    phone = register(alice_client, device)
    row = being_sent(alice, evening, uuid.uuid4())
    ReminderDelivery.objects.create(send=row, channel="email", status="sending")
    ReminderDelivery.objects.create(send=row, channel="push", subscription=phone)
    run(EVENING + reminders.LEASE + dt.timedelta(seconds=1))
    assert mail.outbox == []
    assert len(push_service.received(device)) == 1
    assert dict(ReminderDelivery.objects.values_list("channel", "status")) == {
        "email": "unknown",
        "push": "sent",
    }


def test_a_run_that_lost_its_claim_marks_none_of_its_deliveries(alice, evening):
    """A run that outlived its lease, and whose reminder another run took
    over, may not mark (and so not post) its deliveries; the run holding the
    claim may."""
    ours, theirs = uuid.uuid4(), uuid.uuid4()
    row = being_sent(alice, evening, theirs)
    ReminderDelivery.objects.create(
        send=row, channel="push", subscription=push_device(alice)
    )
    deliveries = list(ReminderDelivery.objects.values_list("pk", "send_id", named=True))
    run = reminders.Run(EVENING, reminders.Outcome())
    assert run._mark(deliveries, ours)[1] == []
    assert ReminderDelivery.objects.get().status == "pending"
    assert run._mark(deliveries, theirs)[1] == deliveries
    assert ReminderDelivery.objects.get().status == "sending"


def test_a_reminder_for_a_user_in_another_zone_waits_for_their_time(
    charlie, push_service, client
):
    add_slot(charlie)  # 21:00 in New York
    device = push_service.device("charlie")
    client.force_login(charlie)
    register(client, device)
    run()  # 21:05 in London
    assert push_service.messages == []
    run(EVENING + dt.timedelta(hours=5))  # 21:05 in New York
    assert len(push_service.received(device)) == 1


@pytest.mark.parametrize("count", [1, 20])
def test_a_run_makes_the_same_queries_for_1_or_20_users_with_a_device(
    db, count, push_service, django_assert_num_queries
):
    """Nothing a reminder needs of its user or preferred time is left for a
    query of its own (the run reads only some of their columns). (Each email
    costs two statements of its own: it is marked "sending" and "sent" alone.)"""
    for i in range(count):
        user = make_user(f"user{i}", timezone="Europe/London")
        add_slot(user)
        device = push_service.device(f"phone{i}")
        push_device(user, device)
    with time_machine.travel(EVENING, tick=False), django_assert_num_queries(19):
        outcome = reminders.send_due_reminders()
    assert len(outcome.sent) == count
    assert len(push_service.messages) == count
