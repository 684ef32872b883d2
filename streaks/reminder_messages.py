"""What a reminder says and what its buttons do: the push message and the email
(with the links they carry, worked out once per run), the test notification,
"Done as usual" and "Snooze" behind their signed single-use tokens, and the
email's one-click unsubscribe link. The reminder run (streaks.reminders) decides
who gets a reminder and sends it exactly once; this module only makes it.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from accounts import push as devices
from accounts import words
from accounts.models import PushSubscription, User
from sessions.as_usual import DAY_DONE, DELETED, log_as_usual
from sessions.models import Day, MassageSession
from streaks import push
from streaks.models import ReminderSend

Status = ReminderSend.Status

SNOOZE = timedelta(minutes=15)
MAX_SNOOZES = 4
# How long the links of a reminder ("Done as usual", "Snooze") work.
ACTION_MAX_AGE = timedelta(hours=24)
ACTIONS = {"done": "Done as usual", "snooze": "Snooze 15 min"}
# The salts keep their first module's name: links already sent must still work.
UNSUBSCRIBE_SALT = "streaks.reminders.unsubscribe"
ACTION_SALT = "streaks.reminders.action."
# Sessions logged by "Done as usual" take a submission token made from their
# reminder, so a replay finds the session it made.
DONE_NAMESPACE = uuid.UUID("6f1c1c46-58e4-4d7e-9b5b-9a59b0f5e0a1")


# -- what a reminder says -------------------------------------------------------------


def _streak_line(streak):
    if streak:
        days = words.plural(streak, "day")
        return f"Your current streak: {days}. Today keeps it going."
    return "Today is a good day to start a streak."


@dataclass(frozen=True)
class Links:
    """The absolute addresses a reminder carries, worked out once per run rather
    than once per message (make bench-reminders)."""

    home: str
    icon: str
    actions: dict  # action -> its address, with TOKEN where the token goes

    TOKEN = "TOKEN"

    @classmethod
    def make(cls):
        return cls(
            home=settings.SITE_URL + reverse("home"),
            icon=settings.SITE_URL + static("img/icon-192.png"),
            actions={
                action: settings.SITE_URL
                + reverse("streaks:reminder_action", args=[action, cls.TOKEN])
                for action in ACTIONS
            },
        )

    def action(self, send, action):
        return self.actions[action].replace(self.TOKEN, action_token(send, action))


def push_payload(reminder, send, links):
    """The message a device gets (JSON, bytes): what the service worker shows,
    with the dashboard to open on a tap and an action per button (`links`: the
    run's Links)."""
    label = f"{reminder.slot.label} at {reminder.start:%H:%M}"
    if reminder.round:
        label = f"Snoozed: {label}"
    data = {
        "title": "Foot massage time",
        "body": f"{label}. {_streak_line(reminder.streak)}",
        "url": links.home,
        "tag": f"reminder-{send.user_id}-{send.date.isoformat()}",
        "icon": links.icon,
        "actions": [
            {"action": action, "title": title, "url": links.action(send, action)}
            for action, title in ACTIONS.items()
        ],
    }
    return json.dumps(data, separators=(",", ":")).encode()


def trial_payload():
    links = Links.make()
    return json.dumps(
        {
            "title": "Footcare",
            "body": "Notifications work on this device.",
            "url": links.home,
            "tag": "test",
            "icon": links.icon,
            "actions": [],
        }
    ).encode()


def send_test_notification(subscription):
    """Send a test message to one device now; the push.Result. A device its
    push service no longer knows is removed."""
    sender = push.Sender(devices.vapid(), devices.vapid_subject())
    try:
        result = sender.send(
            subscription.as_subscription_info(), trial_payload(), ttl=60, urgency="high"
        )
    finally:
        sender.close()
    if result.outcome == push.SENT:
        PushSubscription.objects.filter(pk=subscription.pk).update(
            last_used_at=timezone.now()
        )
    elif result.outcome == push.GONE:
        PushSubscription.objects.filter(pk=subscription.pk).delete()
    return result


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
        "done_url": action_url(send, "done"),
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


# -- "Done as usual" and "Snooze" ---------------------------------------------------


def action_token(send, action):
    """A signed, timestamped (user id, ReminderSend id) for one action of one
    reminder: it opens that action and nothing else, for ACTION_MAX_AGE."""
    return signing.dumps([send.user_id, send.pk], salt=ACTION_SALT + action)


def action_url(send, action):
    return Links.make().action(send, action)


@dataclass(frozen=True)
class Answer:
    """What an action did, in words: a page, or the notification that replaces
    the reminder. `status` is the HTTP status."""

    status: int
    title: str
    message: str
    usable: bool = False  # the token may still be used (a GET shows the button)


class Refused(Exception):
    def __init__(self, answer):
        super().__init__(answer.message)
        self.answer = answer


def _refuse(status, title, message):
    raise Refused(Answer(status, title, message))


def read_action(action, token, now=None, signed_in=None):
    """The ReminderSend row (with its user and slot) a token of `action` opens,
    or Refused with the answer to give. `signed_in`: the user whose browser
    sent it, if any."""
    now = now or timezone.now()
    try:
        value = signing.loads(token, salt=ACTION_SALT + action, max_age=ACTION_MAX_AGE)
    except signing.SignatureExpired:
        _refuse(
            410,
            "This reminder has expired",
            "Its buttons work for 24 hours. Log today's session from the dashboard.",
        )
    except signing.BadSignature:
        _refuse(
            400,
            "This link is not valid",
            "It may have been cut short when it was copied. Log today's session "
            "from the dashboard.",
        )
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(type(part) is int for part in value)
    ):
        _refuse(
            400, "This link is not valid", "Log today's session from the dashboard."
        )
    user_id, send_id = value
    if signed_in is not None and signed_in.is_authenticated and signed_in.pk != user_id:
        _refuse(
            403,
            "This reminder is for another account",
            "Nothing was changed. Sign out first to use it for that account.",
        )
    send = (
        ReminderSend.objects.select_related("user", "slot")
        .filter(pk=send_id, user_id=user_id, user__is_active=True)
        .first()
    )
    if send is None:
        _refuse(404, "This reminder no longer exists", "Nothing was changed.")
    today = send.user.today(now)
    if send.date != today:
        _refuse(
            410,
            f"That reminder was for {words.day_name(send.date)}",
            "That day is over, so nothing was changed. Log a session from the "
            "dashboard.",
        )
    return send


def describe(session):
    minutes = session.duration_minutes
    start = session.local_start
    at = f" at {start:%H:%M}" if start else ""
    length = words.plural(minutes, "minute") if minutes else "a session"
    return f"{length}{at}, {words.day_name(session.local_date)}"


def done_token(send):
    return uuid.uuid5(DONE_NAMESPACE, f"reminder-{send.pk}")


def already_done(send):
    """The answer to "Done as usual" of a reminder whose button was used."""
    session = MassageSession.objects.filter(
        user=send.user_id, submission_token=done_token(send)
    ).first()
    if session is None:
        return Answer(200, "Already used", "This button was used already.")
    return Answer(200, "Already saved", f"Saved before: {describe(session)}.")


def done_as_usual(send, now=None):
    """ "Done as usual" for the reminder `send`: log the session, once."""
    now = now or timezone.now()
    user = send.user
    with transaction.atomic():
        first_use = ReminderSend.objects.filter(
            pk=send.pk, done_at__isnull=True
        ).update(done_at=now)
        if not first_use:
            return already_done(send)
        result = log_as_usual(user, done_token(send), now)
    if result.state == DELETED:
        return already_done(send)
    if result.state == DAY_DONE:
        return Answer(
            200,
            "Today is already logged",
            f"{describe(result.session)}. Nothing more was added.",
        )
    return Answer(
        200, "Saved. Well done!", f"Logged as usual: {describe(result.session)}."
    )


def snooze(send, now=None):
    """ "Snooze 15 min": one more reminder SNOOZE from now, unless the day gets
    done meanwhile (a ReminderSend of the next round, sent by the reminder run)."""
    now = now or timezone.now()
    user = send.user
    day = (
        Day.objects.for_user(user)
        .active()
        .filter(date=send.date)
        .values_list("sessions", "paused")
        .first()
    )
    if day is not None:
        sessions, paused = day
        if sessions:
            title = "Today is already done"
        elif paused:
            title = "Today is paused"
        else:
            title = "Today is a rest day"
        return Answer(200, title, "No more reminders today.")
    if send.round >= MAX_SNOOZES:
        return Answer(
            200,
            "No more snoozes",
            f"This reminder was snoozed {MAX_SNOOZES} times already.",
        )
    due = now + SNOOZE
    at = f"{due.astimezone(user.tzinfo):%H:%M}"
    if user.in_quiet_hours(due):
        return Answer(
            200, "Not snoozed", f"{at} is in your quiet hours, so no reminder then."
        )
    try:
        with transaction.atomic():
            ReminderSend.objects.create(
                user=user,
                slot=send.slot,
                date=send.date,
                round=send.round + 1,
                status=Status.WAITING,
                attempts=0,
                due_at=due,
                claimed_at=now,
            )
    except IntegrityError:
        later = ReminderSend.objects.get(
            user=user, slot=send.slot, date=send.date, round=send.round + 1
        )
        at = f"{later.due_at.astimezone(user.tzinfo):%H:%M}"
        return Answer(200, "Already snoozed", f"We'll remind you again at {at}.")
    return Answer(200, "Snoozed", f"We'll remind you again at {at}.")


def act(action, token, now=None, signed_in=None):
    """Do `action` ("done" or "snooze") for the reminder `token` opens."""
    try:
        send = read_action(action, token, now, signed_in)
    except Refused as refused:
        return refused.answer
    if action == "done":
        return done_as_usual(send, now)
    return snooze(send, now)


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
