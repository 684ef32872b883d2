"""send_reminders: one email per user, slot and day, only when it is due."""

import datetime as dt
import smtplib
import uuid
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from accounts.models import PreferredTime
from streaks import reminders
from streaks.models import ReminderSend
from tests.conftest import make_user
from tests.factories import log_session, rest_day

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Wednesday 10 June 2026, 21:05 in London (BST): five minutes into alice's slot.
EVENING = dt.datetime(2026, 6, 10, 21, 5, tzinfo=LONDON)


def add_slot(user, label="Evening", time=dt.time(21, 0), days=range(7)):
    return PreferredTime.objects.create(
        user=user, label=label, time=time, weekdays=sum(1 << d for d in days)
    )


def opt_in(user):
    user.email_reminders = True
    user.save()
    return user


def run(when=EVENING, *args):
    with time_machine.travel(when, tick=False):
        out = StringIO()
        call_command("send_reminders", *args, stdout=out)
        return out.getvalue()


@pytest.fixture
def evening(alice):
    """Alice, opted in, with a 21:00 slot every day."""
    opt_in(alice)
    return add_slot(alice)


def test_it_sends_one_reminder_with_everything_in_it(alice, evening):
    assert "Sent 1 reminder(s), 0 failed." in run()
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Foot massage time: Evening at 21:00"
    assert "It is 21:00, your Evening time" in message.body
    assert "Log your session: http://testserver/#log" in message.body
    assert "Today is a good day to start a streak." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://testserver/#log"' in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/reminders/unsubscribe/")
    assert unsubscribe.strip("<>") in message.body
    assert unsubscribe.strip("<>") in html
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    row = ReminderSend.objects.get()
    assert (row.user, row.slot, row.date, row.status, row.attempts) == (
        alice,
        evening,
        dt.date(2026, 6, 10),
        "sent",
        1,
    )
    assert row.sent_at is not None


def test_the_email_shows_the_current_streak(alice, evening):
    for day in (7, 8, 9):
        log_session(alice, dt.datetime(2026, 6, day, 8, 0))
    rest_day(alice, dt.date(2026, 6, 6))
    log_session(alice, dt.datetime(2026, 6, 5, 8, 0))
    run()
    # Practised on the 5th, 7th, 8th and 9th; the rest day on the 6th bridges.
    assert "Your current streak: 4 days." in mail.outbox[0].body


def test_a_second_run_sends_nothing(evening):
    run()
    assert "Sent 0 reminder(s)" in run(EVENING + dt.timedelta(minutes=5))
    assert len(mail.outbox) == 1
    assert ReminderSend.objects.count() == 1


def test_nothing_once_the_user_practised_today(alice, evening):
    log_session(alice, dt.datetime(2026, 6, 10, 7, 30))
    run()
    assert mail.outbox == []
    assert not ReminderSend.objects.exists()


def test_nothing_on_a_rest_day(alice, evening):
    rest_day(alice, dt.date(2026, 6, 10), "injury")
    run()
    assert mail.outbox == []
    assert not ReminderSend.objects.exists()


def test_a_rest_day_yesterday_does_not_silence_today(alice, evening):
    rest_day(alice, dt.date(2026, 6, 9))
    run()
    assert len(mail.outbox) == 1


def test_a_session_yesterday_does_not_count_for_today(alice, evening):
    log_session(alice, dt.datetime(2026, 6, 9, 21, 0))
    run()
    assert len(mail.outbox) == 1
    assert "Your current streak: 1 day." in mail.outbox[0].body


@pytest.mark.parametrize(
    ("minutes", "sent"),
    [(-1, 0), (0, 1), (5, 1), (14, 1), (15, 0), (60, 0)],
)
def test_only_within_15_minutes_of_the_start(evening, minutes, sent):
    run(dt.datetime(2026, 6, 10, 21, 0, tzinfo=LONDON) + dt.timedelta(minutes=minutes))
    assert len(mail.outbox) == sent


def test_only_for_users_who_opted_in_and_have_an_address(alice, charlie, db):
    add_slot(alice)  # not opted in
    opt_in(charlie)
    charlie.timezone = "Europe/London"
    charlie.email = ""
    charlie.save()
    add_slot(charlie)
    dora = opt_in(make_user("dora", timezone="Europe/London"))
    add_slot(dora)
    run()
    assert [m.to for m in mail.outbox] == [["dora@example.com"]]


def test_only_on_the_slots_weekdays(alice):
    opt_in(alice)
    add_slot(alice, days=[0, 4])  # Monday and Friday; EVENING is a Wednesday
    run()
    assert mail.outbox == []


def test_each_user_at_their_own_local_time(alice, charlie, evening):
    opt_in(charlie)
    add_slot(charlie)  # 21:00 in New York is 02:00 in London
    run()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    run(dt.datetime(2026, 6, 10, 21, 3, tzinfo=zoneinfo.ZoneInfo("America/New_York")))
    assert [m.to for m in mail.outbox] == [
        ["alice@example.com"],
        ["charlie@example.com"],
    ]


def test_a_user_who_moved_is_reminded_at_the_new_local_time(alice, evening):
    alice.timezone = "Asia/Tokyo"
    alice.save()
    run()  # 21:05 in London
    assert mail.outbox == []
    run(dt.datetime(2026, 6, 10, 21, 5, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo")))
    assert len(mail.outbox) == 1


def test_the_slot_keeps_its_wall_clock_time_after_dst_ends(charlie):
    opt_in(charlie)
    add_slot(charlie)
    new_york = zoneinfo.ZoneInfo("America/New_York")
    # Sunday 1 November 2026, after the clocks went back: 21:05 EST is 02:05 UTC.
    run(dt.datetime(2026, 11, 2, 2, 5, tzinfo=dt.UTC))
    assert len(mail.outbox) == 1
    assert "It is 21:00" in mail.outbox[0].body
    assert ReminderSend.objects.get().date == dt.date(2026, 11, 1)
    run(dt.datetime(2026, 11, 1, 20, 5, tzinfo=new_york))  # 20:05: an hour early
    assert len(mail.outbox) == 1


def test_with_a_day_start_a_late_slot_belongs_to_the_evening_before(alice):
    opt_in(alice)
    alice.day_start_hour = 4
    alice.save()
    add_slot(alice, "Late", dt.time(0, 30))
    # Practised at 22:00 on the 9th: 00:30 on the 10th is the same practice day.
    log_session(alice, dt.datetime(2026, 6, 9, 22, 0))
    run(dt.datetime(2026, 6, 10, 0, 35, tzinfo=LONDON))
    assert mail.outbox == []
    run(dt.datetime(2026, 6, 11, 0, 35, tzinfo=LONDON))
    assert len(mail.outbox) == 1
    assert ReminderSend.objects.get().date == dt.date(2026, 6, 10)


def test_two_slots_due_at_once_send_one_each(alice, evening):
    add_slot(alice, "Also", dt.time(21, 3))
    run()
    assert sorted(m.subject for m in mail.outbox) == [
        "Foot massage time: Also at 21:03",
        "Foot massage time: Evening at 21:00",
    ]


# -- overlapping runs --------------------------------------------------------------


def test_two_claims_for_the_same_reminder_only_one_wins(evening):
    with time_machine.travel(EVENING, tick=False):
        first, second = reminders.due_reminders(), reminders.due_reminders()
        now = timezone.now()
        assert len(reminders.claim_many(first, now, uuid.uuid4())) == 1
        assert reminders.claim_many(second, now, uuid.uuid4()) == {}
    assert ReminderSend.objects.count() == 1


def test_a_run_that_looked_before_another_claimed_sends_nothing(evening, monkeypatch):
    # Both runs list the reminder as due; the first one sends it.
    with time_machine.travel(EVENING, tick=False):
        seen_by_second_run = reminders.due_reminders()
    run()
    monkeypatch.setattr(reminders, "due_reminders", lambda now: seen_by_second_run)
    output = run()
    assert "Sent 0 reminder(s)" in output
    assert len(mail.outbox) == 1


def test_a_reminder_being_sent_by_another_run_is_left_alone(alice, evening):
    ReminderSend.objects.create(
        user=alice,
        slot=evening,
        date=dt.date(2026, 6, 10),
        status="sending",
        claimed_at=EVENING,
    )
    run()
    assert mail.outbox == []


# -- failures ------------------------------------------------------------------------


def failing_backend(monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)


def test_a_failed_send_is_recorded_and_retried_next_run(alice, evening, monkeypatch):
    with monkeypatch.context() as patch:
        failing_backend(patch)
        output = run()
    assert "Sent 0 reminder(s), 1 failed." in output
    row = ReminderSend.objects.get()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "Connection unexpectedly closed" in row.error
    assert mail.outbox == []

    assert "Sent 1 reminder(s), 0 failed." in run(EVENING + dt.timedelta(minutes=5))
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1
    run(EVENING + dt.timedelta(minutes=9))
    assert len(mail.outbox) == 1


def test_a_failure_for_one_user_does_not_stop_the_others(alice, evening, monkeypatch):
    dora = opt_in(make_user("dora", timezone="Europe/London"))
    add_slot(dora)
    real_send = EmailBackend.send_messages

    def refuse_alice(self, messages):
        if messages[0].to == ["alice@example.com"]:
            raise smtplib.SMTPRecipientsRefused({})
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_alice)
    run()
    assert [m.to for m in mail.outbox] == [["dora@example.com"]]
    assert dict(ReminderSend.objects.values_list("user__username", "status")) == {
        "alice": "failed",
        "dora": "sent",
    }


def test_it_backs_off_and_gives_up_after_max_attempts(evening, monkeypatch):
    failing_backend(monkeypatch)
    errors = []
    # Tried again 5, 10, 20, 40 and 80 s after each attempt: six in all.
    for seconds in (0, 6, 17, 38, 79, 160, 400):
        with time_machine.travel(EVENING + dt.timedelta(seconds=seconds), tick=False):
            err = StringIO()
            call_command("send_reminders", stdout=StringIO(), stderr=err)
            errors.append(err.getvalue())
    assert ReminderSend.objects.get().attempts == reminders.MAX_ATTEMPTS == 6
    assert [e.split(":")[0] for e in errors] == [
        *["Failed, will retry"] * 5,
        "Failed for the last time",
        "",
    ]


# -- dry run and query counts --------------------------------------------------------


def test_a_dry_run_lists_and_writes_nothing(evening):
    output = run(EVENING, "--dry-run")
    assert "Would send: alice <alice@example.com>: Evening 21:00 (2026-06-10)" in output
    assert "nothing sent or written" in output
    assert mail.outbox == []
    assert not ReminderSend.objects.exists()


def make_due_users(count):
    for i in range(count):
        user = opt_in(make_user(f"user{i}", timezone="Europe/London"))
        add_slot(user)
        log_session(user, dt.datetime(2026, 6, 8, 8, 0))
        rest_day(user, dt.date(2026, 6, 9))


@pytest.mark.parametrize("count", [1, 25])
def test_finding_due_reminders_takes_the_same_queries_for_1_or_25_users(
    db, count, django_assert_num_queries
):
    make_due_users(count)
    # Snoozes coming due, the users' zones, the last user id, the slots that
    # started lately with their users, today's stored days (practised, rest or
    # paused), claims, then yesterday's figures for the streak.
    with time_machine.travel(EVENING, tick=False), django_assert_num_queries(7):
        due = reminders.due_reminders()
    assert len(due) == count
    assert {r.streak for r in due} == {1}


@pytest.mark.parametrize("count", [1, 25])
def test_users_with_nothing_due_cost_no_queries_each(
    db, count, django_assert_num_queries
):
    for i in range(count):
        add_slot(opt_in(make_user(f"user{i}", timezone="Asia/Tokyo")))
    # Snoozes coming due, the users' zones, the last user id, and no slot that
    # started lately.
    with time_machine.travel(EVENING, tick=False), django_assert_num_queries(4):
        assert reminders.due_reminders() == []


def test_reminders_another_run_holds_are_left_to_it_until_its_lease_runs_out(
    db, django_assert_num_queries
):
    make_due_users(25)
    with time_machine.travel(EVENING, tick=False):
        held = reminders.claim_many(reminders.due_reminders(), EVENING, uuid.uuid4())
    assert len(held) == 25
    # Another run looks while the claims hold: the slots that started lately
    # come back empty, so no more is read (the four queries of a quiet minute).
    with time_machine.travel(EVENING, tick=False), django_assert_num_queries(4):
        assert reminders.due_reminders() == []
    # The run that held them died: once the lease is over they are due again.
    later = EVENING + reminders.LEASE + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        due = reminders.due_reminders()
    assert len(due) == 25
    assert all(reminder.retry for reminder in due)
