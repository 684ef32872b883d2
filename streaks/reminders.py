"""Reminder emails at the users' preferred session times.

``manage.py send_reminders`` runs ``send_due_reminders`` every five minutes
(from cron or a timer), or ``--loop`` keeps running it every minute. A
reminder is due for a user who turned email reminders on, has an email address,
has a preferred time of today's practice day that started in the last
``REMINDER_WINDOW``, and has no session on today's practice day yet and has not
marked it as a rest day (today is ``user.today()``; see accounts.schedule for how
times and days are read).

Exactly once: a ``ReminderSend`` row per (user, slot, practice day) is inserted
*before* the email goes out, in its own transaction, and a unique constraint
lets only one run own it, however many runs overlap. A failed send marks its
row "failed"; a later run inside the window claims it back with a conditional
UPDATE (at most ``MAX_ATTEMPTS`` in all). A run that dies between claiming and
sending leaves its row "sending" and that reminder is skipped: never twice
beats always.
"""

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import schedule
from accounts.models import PreferredTime, User
from sessions.models import Day, MassageSession, RestDay
from streaks.models import ReminderSend

logger = logging.getLogger(__name__)

REMINDER_WINDOW = timedelta(minutes=15)
MAX_ATTEMPTS = 3
UNSUBSCRIBE_SALT = "streaks.reminders.unsubscribe"


@dataclass
class Reminder:
    user: User
    slot: PreferredTime
    start: datetime  # when the slot started, aware, in the user's zone
    day: date  # the user's practice day: today for them
    retry: bool = False  # an earlier attempt failed
    streak: int = 0
    last_attempt: bool = False  # failed for the last time: no run tries again

    def __str__(self):
        return (
            f"{self.user.username} <{self.user.email}>: {self.slot.label} "
            f"{self.start:%H:%M} ({self.day.isoformat()})"
        )


@dataclass
class Outcome:
    sent: list[Reminder] = field(default_factory=list)
    failed: list[Reminder] = field(default_factory=list)
    # Claimed by another run between our look and our claim.
    taken: list[Reminder] = field(default_factory=list)
    would_send: list[Reminder] = field(default_factory=list)


def due_reminders(now=None):
    """Every reminder to send at `now`, without writing anything. A fixed number
    of queries, however many users there are."""
    now = now or timezone.now()
    slots_by_user = defaultdict(list)
    opted_in = (
        PreferredTime.objects.filter(user__email_reminders=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "time", "pk")
    )
    for slot in opted_in:
        slots_by_user[slot.user_id].append(slot)

    candidates = []
    for slots in slots_by_user.values():
        user = slots[0].user
        started = schedule.recent_starts(
            [slot.as_slot() for slot in slots],
            user.local_now(now),
            user.day_start_hour,
            REMINDER_WINDOW,
        )
        for occurrence in started:
            slot = slots[occurrence.index]
            candidates.append(Reminder(user, slot, occurrence.start, occurrence.day))
    if not candidates:
        return []

    user_ids = {r.user.pk for r in candidates}
    days = {r.day for r in candidates}
    # Days already practised, or marked as rest: nothing to remind of.
    settled = set(
        MassageSession.objects.filter(user_id__in=user_ids, local_date__in=days)
        .order_by()
        .values_list("user_id", "local_date")
    ) | set(
        RestDay.objects.filter(user_id__in=user_ids, date__in=days)
        .order_by()
        .values_list("user_id", "date")
    )
    claims = {
        (user_id, slot_id, day): (status, attempts)
        for user_id, slot_id, day, status, attempts in ReminderSend.objects.filter(
            user_id__in=user_ids, date__in=days
        ).values_list("user_id", "slot_id", "date", "status", "attempts")
    }
    due = []
    for reminder in candidates:
        if (reminder.user.pk, reminder.day) in settled:
            continue
        claim = claims.get((reminder.user.pk, reminder.slot.pk, reminder.day))
        if claim is not None:
            status, attempts = claim
            if status != ReminderSend.Status.FAILED or attempts >= MAX_ATTEMPTS:
                continue
            reminder.retry = True
        due.append(reminder)
    _add_streaks(due)
    return due


def _add_streaks(reminders):
    """Each reminder's current streak: its day is not done yet, so the streak
    is the one that ended yesterday (sessions.engine's anchor), read from the
    stored days."""
    yesterday = {
        (user_id, day): streak
        for user_id, day, streak in Day.objects.filter(
            user_id__in={r.user.pk for r in reminders},
            date__in={r.day - timedelta(days=1) for r in reminders},
        ).values_list("user_id", "date", "streak")
    }
    for reminder in reminders:
        key = (reminder.user.pk, reminder.day - timedelta(days=1))
        reminder.streak = yesterday.get(key, 0)


def claim(reminder, now=None):
    """Take the right to send `reminder`: its ReminderSend row, or None when
    another run has it (or it was sent, or it failed too often)."""
    now = now or timezone.now()
    key = {"user": reminder.user, "slot": reminder.slot, "date": reminder.day}
    if not reminder.retry:
        try:
            with transaction.atomic():
                return ReminderSend.objects.create(**key, claimed_at=now)
        except IntegrityError:
            pass  # someone has the row; it may be a failure we can take over
    retried = ReminderSend.objects.filter(
        **key, status=ReminderSend.Status.FAILED, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=ReminderSend.Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
    )
    if retried:
        return ReminderSend.objects.get(**key)
    return None


def send_due_reminders(now=None, dry_run=False):
    """Send every due reminder once. With `dry_run`, only list them."""
    now = now or timezone.now()
    outcome = Outcome()
    due = due_reminders(now)
    if dry_run:
        outcome.would_send = due
        return outcome
    connection = get_connection()
    connection.open()  # one SMTP session for the whole run, not one per email
    try:
        for reminder in due:
            row = claim(reminder, now)
            if row is None:
                outcome.taken.append(reminder)
                continue
            try:
                build_message(reminder, row, connection).send()
            except Exception as exc:
                # Whatever the backend raised (SMTP refusal, timeout, DNS), record
                # it for the next run and carry on with the other users.
                logger.exception("Reminder to user %s failed", reminder.user.pk)
                connection.close()  # the next send reconnects from scratch
                ReminderSend.objects.filter(pk=row.pk).update(
                    status=ReminderSend.Status.FAILED,
                    error=f"{type(exc).__name__}: {exc}"[:2000],
                )
                reminder.last_attempt = row.attempts >= MAX_ATTEMPTS
                outcome.failed.append(reminder)
            else:
                ReminderSend.objects.filter(pk=row.pk).update(
                    status=ReminderSend.Status.SENT, sent_at=timezone.now()
                )
                outcome.sent.append(reminder)
    finally:
        connection.close()
    return outcome


def run_loop(stop, interval=60, clock=None):
    """Send due reminders every `interval` seconds until `stop` (a
    threading.Event) is set; a pass under way when it is set is finished first.
    A failing pass (database or mail server down) is logged and the loop goes
    on. Returns the number of passes. Any number of loops may run, on any
    number of machines: the claim in the database sends each reminder once."""
    passes = 0
    while not stop.is_set():
        started = time.monotonic()
        try:
            outcome = send_due_reminders(now=clock() if clock else None)
        except Exception:
            logger.exception("Reminder pass failed; trying again next pass")
        else:
            if outcome.sent or outcome.failed or outcome.taken:
                logger.info(
                    "Reminder pass: %s sent, %s failed, %s taken by another run",
                    len(outcome.sent),
                    len(outcome.failed),
                    len(outcome.taken),
                    extra={
                        "sent": len(outcome.sent),
                        "failed": len(outcome.failed),
                        "taken": len(outcome.taken),
                    },
                )
        finally:
            # A long-running process must not keep a connection the database
            # dropped, nor one older than CONN_MAX_AGE.
            close_old_connections()
        passes += 1
        stop.wait(max(0.0, interval - (time.monotonic() - started)))
    return passes


def build_message(reminder, send, connection=None):
    """The email for `reminder`; `send` is its claimed ReminderSend row."""
    user = reminder.user
    unsubscribe_url = settings.SITE_URL + reverse(
        "streaks:reminder_unsubscribe", args=[unsubscribe_token(send)]
    )
    context = {
        "user": user,
        "label": reminder.slot.label,
        "time": f"{reminder.start:%H:%M}",
        "streak": reminder.streak,
        "log_url": settings.SITE_URL + "/#log",
        "times_url": settings.SITE_URL + reverse("accounts:times"),
        "unsubscribe_url": unsubscribe_url,
    }
    subject = render_to_string("streaks/email/reminder_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("streaks/email/reminder_body.txt", context),
        to=[user.email],
        connection=connection,
        headers={
            # RFC 2369 and RFC 8058: mail apps offer their own one-click
            # "Unsubscribe", which POSTs to this URL.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("streaks/email/reminder_body.html", context), "text/html"
    )
    return message


# -- unsubscribe links ---------------------------------------------------------


def unsubscribe_token(send):
    """A signed (user id, ReminderSend id) pair: the link of one email. The row
    records its use, so the link works once."""
    return signing.dumps([send.user_id, send.pk], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user id, ReminderSend id) from a token; BadSignature if it was not ours."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(type(part) is int for part in value)
    ):
        raise signing.BadSignature("Unexpected unsubscribe payload")
    return value[0], value[1]


def _unused(user_id, send_id):
    return ReminderSend.objects.filter(
        pk=send_id, user_id=user_id, unsubscribed_at__isnull=True
    )


def unsubscribe_link_works(user_id, send_id):
    return _unused(user_id, send_id).exists()


def unsubscribe(user_id, send_id, now=None):
    """Turn reminders off for the link's user and spend the link. False when it
    was used already, or its user or email is gone."""
    with transaction.atomic():
        # The conditional UPDATE is the claim: of two clicks at once, one wins.
        if not _unused(user_id, send_id).update(unsubscribed_at=now or timezone.now()):
            return False
        User.objects.filter(pk=user_id).update(email_reminders=False)
    return True
