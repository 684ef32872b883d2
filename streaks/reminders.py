"""Reminders at the users' preferred session times, by email and on their
devices (Web Push), with "Done as usual" and "Snooze 15 min".

``manage.py send_reminders`` runs ``send_due_reminders`` every five minutes
(from cron or a timer), or ``--loop`` keeps running it every minute. A
reminder is due for a user who can be reached (email reminders on and an email
address, or at least one device), has a preferred time of today's practice day
that started in the last ``REMINDER_WINDOW``, has no session on today's practice
day yet, has not marked it as a rest day or paused it, and is not in their quiet
hours now (today is ``user.today()``; see accounts.schedule for how times and
days are read). A preferred time that is itself inside the quiet hours is not
reminded of, not even once they end (the settings page lists those). A snoozed
reminder is due 15 minutes after the tap, on the same terms.

Exactly once, over every channel: a ``ReminderSend`` row per (user, slot,
practice day, round) is inserted before anything goes out, and a unique
constraint lets only one run own it, however many runs overlap. With it come
its ``ReminderDelivery`` rows: the email and one per device. Each delivery is
marked "sending" just before it goes out and "sent" once the mail server or
push service took it. A run holds its reminders under a lease it keeps
renewing; when a run dies (``kill -9``), another takes its reminders over once
the lease has run out and sends what was still to send. What was "sending" may
have arrived: a device gets it again, the same message under the same Topic and
notification tag, so the push service and the phone put it in the first one's
place and it shows once (a missed reminder is the worse failure); an email is
not sent again, since a second email cannot replace the first ("unknown").

A failed delivery (mail server down, push service 429 or 5xx, network error)
is kept "pending" and its reminder "failed"; a later run inside the window
claims it back (the first retry after ``RETRY_AFTER``, then doubling, or
after the push service's Retry-After when later; at most ``MAX_ATTEMPTS`` in
all) and sends only what did not arrive, never again to a device that got it.
A push service that answers 404 or 410 has forgotten the device: its
subscription is removed. One device's failure never holds up another's.
"""

import logging
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import wait
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import get_connection
from django.db import close_old_connections, transaction
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
)
from django.utils import timezone

from accounts import push as devices
from accounts import schedule, timezones
from accounts.models import PreferredTime, PushSubscription, User
from sessions.models import Day
from streaks import push
from streaks.models import ReminderDelivery, ReminderSend
from streaks.reminder_messages import Links, build_message, push_payload

logger = logging.getLogger(__name__)

REMINDER_WINDOW = timedelta(minutes=15)
# A failed reminder is tried again after RETRY_AFTER, doubled for each attempt,
# or later if the push service asked (Retry-After), like a push client: a busy
# service is asked again soon, then less and less often, MAX_ATTEMPTS times at
# most. A retry that would come after the reminder's REMINDER_WINDOW is not
# made: it was the last attempt.
RETRY_AFTER = timedelta(seconds=5)
MAX_ATTEMPTS = 6
# How long a run's claim holds without being renewed: a run that died frees its
# reminders this long after its last renewal.
LEASE = timedelta(seconds=20)
# Reminders claimed (and users looked up) at once.
CHUNK = 500
# Messages marked "sending" at once (one UPDATE), then posted side by side and
# recorded together: a run killed mid-batch leaves at most this many for the
# run that takes over to post again.
PUSH_BATCH = 128

Status = ReminderSend.Status
Delivery = ReminderDelivery.Status
Channel = ReminderDelivery.Channel

# What a reminder reads of its preferred time and user: the rest (the password
# hash, the dates of joining and of the last login, ...) is left in the
# database (make bench-reminders).
SLOT_FIELDS = ("label", "time", "weekdays", "user_id")
USER_FIELDS = (
    *("username", "email", "email_reminders", "timezone", "day_start_hour"),
    *("quiet_hours", "quiet_from", "quiet_until"),
)


@dataclass
class Reminder:
    user: User
    slot: PreferredTime
    start: datetime  # when it became due, aware, in the user's zone
    day: date  # the user's practice day: today for them
    retry: bool = False  # its row exists already: a retry, a takeover, a snooze
    streak: int = 0
    last_attempt: bool = False  # failed for the last time: no run tries again
    round: int = 0  # 0 at the slot's time, then one more per snooze
    send_id: int | None = None

    def __str__(self):
        snoozed = f", snoozed ({self.round})" if self.round else ""
        return (
            f"{self.user.username} <{self.user.email}>: {self.slot.label} "
            f"{self.start:%H:%M} ({self.day.isoformat()}){snoozed}"
        )

    @property
    def key(self):
        return (self.user.pk, self.slot.pk, self.day, self.round)


@dataclass
class Outcome:
    sent: list[Reminder] = field(default_factory=list)
    failed: list[Reminder] = field(default_factory=list)
    # Claimed by another run between our look and our claim.
    taken: list[Reminder] = field(default_factory=list)
    would_send: list[Reminder] = field(default_factory=list)
    # Deliveries by outcome: sent, retry, failed, gone (device removed).
    deliveries: Counter = field(default_factory=Counter)
    # The first retry this pass planned: a loop runs its next pass by then.
    next_retry: datetime | None = None


def batched(items, size):
    """Lists of `size` items at most, lazily (itertools.batched is Python 3.12)."""
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


# -- what is due --------------------------------------------------------------------


def due_reminders(now=None):
    """Every reminder to send at `now`, without writing anything. A fixed number
    of queries per CHUNK preferred times, however many users there are."""
    now = now or timezone.now()
    return [reminder for chunk in due_in_chunks(now) for reminder in chunk]


def due_in_chunks(now):
    """The due reminders, a page of users at a time, each page looked at just
    before it is sent: a run starts sending at once, and what another run sent
    meanwhile is seen as claimed (and costs nothing more)."""
    for page in batched(_snoozed(now), CHUNK):
        if due := _still_due(page, now):
            yield due
    for page in _slot_pages(now):
        if due := _at_preferred_times(page, now):
            yield due


def _slot_pages(now):
    """The preferred times of users who can be reached (email reminders on and
    an address, or a device) that may have started lately on their clock, and
    were not reminded of already, CHUNK users at a time (by id range: a page
    costs the same wherever it is)."""
    ids = User.objects.aggregate(first=Min("pk"), last=Max("pk"))
    if ids["first"] is None:
        return
    lately = _lately(now)
    for first in range(ids["first"], ids["last"] + 1, CHUNK):
        # Every table asked about is bounded by the page's range: the
        # subqueries read a page's rows, not the whole table (PostgreSQL does
        # not carry the range across the join by itself).
        users = {"user_id__gte": first, "user_id__lt": first + CHUNK}
        # The page's users themselves, for the join: without it PostgreSQL may
        # hash the whole user table for every page (it did at 40,000 users).
        page_users = User.objects.filter(pk__gte=first, pk__lt=first + CHUNK)
        has_device = Exists(
            PushSubscription.objects.filter(user=OuterRef("user"), **users)
        )
        # A slot reminded of in the last two hours has no other start in the
        # window: its next one is a day later. Nor is one worth a look while
        # its reminder cannot be claimed (another run is sending it, or it
        # waits for its next try): two runs do not both work out each page.
        reminded = ReminderSend.objects.filter(
            user=OuterRef("user"),
            slot=OuterRef("pk"),
            round=0,
            claimed_at__gte=now - timedelta(hours=2),
            **users,
        ).exclude(_claimable(now))
        page = list(
            PreferredTime.objects.filter(
                user__in=page_users, user__is_active=True, **users
            )
            .filter(Q(user__email_reminders=True) & ~Q(user__email="") | has_device)
            .filter(lately)
            .exclude(Exists(reminded))
            .select_related("user")
            .only(*SLOT_FIELDS, *(f"user__{name}" for name in USER_FIELDS))
            .order_by("user_id", "time", "pk")
        )
        if page:
            yield page


def _lately(now):
    """Preferred times whose wall-clock time may have started lately on their
    user's clock (schedule.recent_clock): one condition per clock reading."""
    zones = (
        User.objects.filter(is_active=True)
        .order_by()
        .values_list("timezone", flat=True)
        .distinct()
    )
    by_window = defaultdict(list)
    for name in zones:
        zone = ZoneInfo(timezones.canonical(name))
        by_window[schedule.recent_clock(now, zone, REMINDER_WINDOW)].append(name)
    lately = Q(pk__in=[])
    for (start, end), names in by_window.items():
        if start <= end:
            clock = Q(time__gte=start, time__lte=end)
        else:  # across midnight
            clock = Q(time__gte=start) | Q(time__lte=end)
        lately |= Q(user__timezone__in=names) & clock
    return lately


def _at_preferred_times(slots, now):
    """Reminders due at `slots` (PreferredTime rows with their user). The cheap
    questions first (quiet hours, a day already done, a claim already made),
    then when each remaining slot started."""
    by_user = defaultdict(list)
    for slot in slots:
        by_user[slot.user_id].append(slot)
    today = {}
    for user_id, user_slots in by_user.items():
        user = user_slots[0].user
        if not user.in_quiet_hours(now):
            today[user_id] = user.today(now)
    settled = _settled(today.items())
    claims = _claims(today.keys(), set(today.values()), now)
    due = []
    for user_id, day in today.items():
        if (user_id, day) in settled:
            continue
        open_slots = []
        for slot in by_user[user_id]:
            claim = claims.get((user_id, slot.pk, day, 0))
            if (claim is None or claim[1]) and not slot.user.is_silenced(slot.time):
                open_slots.append(slot)
        if not open_slots:
            continue
        user = open_slots[0].user
        started = schedule.recent_starts(
            [slot.as_slot() for slot in open_slots],
            user.local_now(now),
            user.day_start_hour,
            REMINDER_WINDOW,
        )
        for occurrence in started:
            reminder = Reminder(
                user, open_slots[occurrence.index], occurrence.start, occurrence.day
            )
            claim = claims.get(reminder.key)
            if claim is not None:
                reminder.retry, reminder.send_id = True, claim[0]
            due.append(reminder)
    _add_streaks(due)
    return due


def _snoozed(now):
    """Snoozes that came due in the last REMINDER_WINDOW (whatever their state:
    the claims decide)."""
    rows = ReminderSend.objects.filter(
        round__gt=0,
        due_at__lte=now,
        due_at__gt=now - REMINDER_WINDOW,
        user__is_active=True,
    ).select_related("user", "slot")
    rows = rows.only(
        *("user_id", "slot_id", "due_at", "date", "round"),
        *(f"user__{name}" for name in USER_FIELDS),
        *(f"slot__{name}" for name in SLOT_FIELDS),
    )
    return [
        Reminder(
            row.user,
            row.slot,
            row.due_at.astimezone(row.user.tzinfo),
            row.date,
            round=row.round,
        )
        for row in rows
    ]


def _still_due(candidates, now):
    """Those of `candidates` (snoozes) not in quiet hours, on a day not done,
    and claimable."""
    candidates = [r for r in candidates if not r.user.in_quiet_hours(now)]
    settled = _settled((r.user.pk, r.day) for r in candidates)
    claims = _claims({r.user.pk for r in candidates}, {r.day for r in candidates}, now)
    due = []
    for reminder in candidates:
        if (reminder.user.pk, reminder.day) in settled:
            continue
        claim = claims.get(reminder.key)
        if claim is not None:
            if not claim[1]:
                continue
            reminder.retry, reminder.send_id = True, claim[0]
        due.append(reminder)
    _add_streaks(due)
    return due


def _settled(user_days):
    """Which (user id, day) pairs were practised, marked as rest or paused:
    the stored days know (sessions.days keeps them in step with every write)."""
    user_days = set(user_days)
    if not user_days:
        return set()
    user_ids = {user_id for user_id, _ in user_days}
    days = {day for _, day in user_days}
    return user_days & set(
        Day.objects.filter(user_id__in=user_ids, date__in=days)
        .active()
        .order_by()
        .values_list("user_id", "date")
    )


def _claims(user_ids, days, now):
    """{(user, slot, day, round): (pk, whether it can be claimed at `now`)}; the
    database answers None for "unknown" (a failed reminder with no retry
    time), which reads as no."""
    if not user_ids:
        return {}
    rows = (
        ReminderSend.objects.filter(user_id__in=list(user_ids), date__in=days)
        .annotate(claimable=ExpressionWrapper(_claimable(now), BooleanField()))
        .values_list("user_id", "slot_id", "date", "round", "pk", "claimable")
    )
    return {tuple(row[:4]): tuple(row[4:]) for row in rows}


def _claimable(now):
    """The reminders a run may claim at `now`: never tried yet, failed with
    attempts left once their retry is due, or left "sending" by a run that
    stopped renewing its lease."""
    return Q(status=Status.WAITING) | Q(attempts__lt=MAX_ATTEMPTS) & (
        Q(status=Status.FAILED, retry_at__lte=now)
        | Q(status=Status.SENDING, lease_until__lt=now)
    )


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


# -- claiming -----------------------------------------------------------------------


def claim_many(reminders, now, token):
    """Take the right to send `reminders` under the claim `token` (a UUID), with
    their deliveries; those another run has are left out. Returns {send id:
    (reminder, its ReminderSend row)}, the row a named tuple of pk, user_id,
    slot_id, date, round and attempts."""
    new = [r for r in reminders if r.send_id is None]
    known = {r.send_id: r for r in reminders if r.send_id is not None}
    holding = {
        "status": Status.SENDING,
        "claimed_by": token,
        "claimed_at": now,
        "lease_until": now + LEASE,
    }
    with transaction.atomic():
        ReminderSend.objects.bulk_create(
            [
                ReminderSend(
                    user=r.user, slot=r.slot, date=r.day, due_at=r.start, **holding
                )
                for r in new
            ],
            ignore_conflicts=True,
        )
        was = dict(
            ReminderSend.objects.filter(pk__in=list(known)).values_list("pk", "status")
        )
        if known:
            # The same conditions the look made, now in one conditional UPDATE:
            # of two runs that both saw them due, one gets each.
            ReminderSend.objects.filter(pk__in=list(known)).filter(
                _claimable(now)
            ).update(attempts=F("attempts") + 1, error="", **holding)
        # What we now hold, as plain rows: the sending needs these values, not
        # model instances.
        rows = ReminderSend.objects.filter(claimed_by=token).values_list(
            "pk", "user_id", "slot_id", "date", "round", "attempts", named=True
        )
        by_key = {r.key: r for r in reminders}
        claimed = {
            row.pk: (by_key[(row.user_id, row.slot_id, row.date, row.round)], row)
            for row in rows
        }
        _add_deliveries(
            [
                (reminder, row)
                for pk, (reminder, row) in claimed.items()
                if pk not in was or was[pk] == Status.WAITING
            ]
        )
        # What a run that died was sending may have arrived (see the module's
        # docstring): a push is sent again, an email is not.
        stale = [pk for pk in claimed if was.get(pk) == Status.SENDING]
        if stale:
            cut_off = ReminderDelivery.objects.filter(
                send_id__in=stale, status=Delivery.SENDING
            )
            cut_off.filter(channel=Channel.PUSH).update(status=Delivery.PENDING)
            cut_off.update(status=Delivery.UNKNOWN)
    return claimed


def _add_deliveries(claimed):
    """The channels of newly claimed reminders: the email (not for a snooze,
    which answers a tap on a device) and every device."""
    users = {reminder.user.pk for reminder, _ in claimed}
    devices_of = defaultdict(list)
    for pk, user_id in PushSubscription.objects.filter(user_id__in=users).values_list(
        "pk", "user_id"
    ):
        devices_of[user_id].append(pk)
    rows = []
    for reminder, send in claimed:
        user = reminder.user
        if user.email_reminders and user.email and not reminder.round:
            rows.append(ReminderDelivery(send_id=send.pk, channel="email"))
        rows += [
            ReminderDelivery(send_id=send.pk, channel="push", subscription_id=pk)
            for pk in devices_of[user.pk]
        ]
    ReminderDelivery.objects.bulk_create(rows)


# -- sending ------------------------------------------------------------------------


def send_due_reminders(now=None, dry_run=False):
    """Send every due reminder once. With `dry_run`, only list them."""
    now = now or timezone.now()
    outcome = Outcome()
    if dry_run:
        outcome.would_send = due_reminders(now)
        return outcome
    with Run(now, outcome) as run:
        for due in due_in_chunks(now):
            run.send(due)
    return outcome


class Run:
    """One pass of sending: the claims it holds (renewing their lease), one SMTP
    connection, and one push.Sender (many posts under way at once)."""

    def __init__(self, now, outcome):
        self.now = now
        self.started = time.monotonic()
        self.outcome = outcome
        self.tokens = []
        self.renewed = self.started
        self.sender = None
        self.mail = None
        self.links = Links.make()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.sender is not None:
            self.sender.close()
        if self.mail is not None:
            self.mail.close()

    def clock(self):
        """The run's `now`, moved on by the time it has taken so far."""
        return self.now + timedelta(seconds=time.monotonic() - self.started)

    def renew(self):
        """Keep our claims while we work on them; others may take them over
        once LEASE passes without a renewal."""
        if time.monotonic() - self.renewed < LEASE.total_seconds() / 4:
            return
        self.renewed = time.monotonic()
        ReminderSend.objects.filter(
            claimed_by__in=self.tokens, status=Status.SENDING
        ).update(lease_until=self.clock() + LEASE)

    def send(self, reminders):
        token = uuid.uuid4()
        claimed = claim_many(reminders, self.clock(), token)
        claimed_keys = {reminder.key for reminder, _ in claimed.values()}
        self.outcome.taken += [r for r in reminders if r.key not in claimed_keys]
        if not claimed:
            return
        self.tokens.append(token)
        deliveries = list(
            ReminderDelivery.objects.filter(
                send_id__in=list(claimed), status=Delivery.PENDING
            )
            .order_by("send_id", "pk")
            .values_list(
                "pk",
                "send_id",
                "channel",
                "subscription_id",
                "subscription__endpoint",
                "subscription__p256dh",
                "subscription__auth",
                named=True,
            )
        )
        waits = {}  # send id -> seconds the push service asked us to wait
        used = []  # devices that took a message
        gone = []  # devices their push service no longer knows
        pushes = [d for d in deliveries if d.channel == "push"]
        # A batch is posted and recorded before the next is marked: what a
        # kill -9 leaves "sending" but not posted is at most part of one batch.
        for batch in batched(pushes, PUSH_BATCH):
            posting = self._post_batch(batch, claimed, token)
            if posting is not None:
                self._record_batch(posting, waits, used, gone)
        PushSubscription.objects.filter(pk__in=used).update(last_used_at=self.clock())
        if gone:
            # The push service forgot the device (unsubscribed, app removed):
            # so do we, and its deliveries with it.
            PushSubscription.objects.filter(pk__in=gone).delete()
        for delivery in deliveries:
            if delivery.channel == "email":
                self._email(delivery, token, *claimed[delivery.send_id])
        self._settle(claimed, waits)
        self.tokens.remove(token)

    def _mark(self, deliveries, claim):
        """Mark `deliveries` "sending" for this run, while it holds their
        reminder's `claim`; the mark and those it got."""
        mark = uuid.uuid4()
        ids = [d.pk for d in deliveries]
        # Only deliveries whose reminder is still ours: one primary-key lookup
        # of each delivery's reminder, a plan that stays cheap whatever the
        # tables' statistics (README, "What the database spent").
        held = ReminderSend.objects.filter(
            pk=OuterRef("send_id"), claimed_by=claim, status=Status.SENDING
        )
        got = ReminderDelivery.objects.filter(
            Exists(held), pk__in=ids, status=Delivery.PENDING
        ).update(status=Delivery.SENDING, claimed_by=mark, attempts=F("attempts") + 1)
        if got == len(ids):
            return mark, deliveries
        # Another run took some over (ours outlived its lease): not those.
        mine = set(
            ReminderDelivery.objects.filter(pk__in=ids, claimed_by=mark).values_list(
                "pk", flat=True
            )
        )
        return mark, [d for d in deliveries if d.pk in mine]

    def _record(self, token, ids, status, **fields):
        if ids:
            ReminderDelivery.objects.filter(
                pk__in=ids, claimed_by=token, status=Delivery.SENDING
            ).update(status=status, **fields)

    def _post_batch(self, batch, claimed, claim):
        """Mark `batch` "sending", then hand its messages to the push sender;
        (mark, deliveries, future of their Results), or None when another run
        has them all."""
        mark, batch = self._mark(batch, claim)
        if not batch:
            return None
        if self.sender is None:
            self.sender = push.Sender(
                devices.vapid(),
                devices.vapid_subject(),
                max(1, settings.FOOTCARE_PUSH_CONCURRENCY),
            )
        ttl = int(REMINDER_WINDOW.total_seconds())
        payloads = {}
        messages = []
        for delivery in batch:
            if delivery.send_id not in payloads:
                reminder, send = claimed[delivery.send_id]
                payloads[delivery.send_id] = push_payload(reminder, send, self.links)
            subscription = {
                "endpoint": delivery.subscription__endpoint,
                "keys": {
                    "p256dh": delivery.subscription__p256dh,
                    "auth": delivery.subscription__auth,
                },
            }
            messages.append((subscription, payloads[delivery.send_id]))
        return mark, batch, self.sender.submit(messages, ttl=ttl, topic="reminder")

    def _record_batch(self, posting, waits, used, gone):
        """Wait for the posts of a batch (renewing the lease meanwhile) and
        record how each went."""
        mark, batch, posted = posting
        while wait([posted], timeout=LEASE.total_seconds() / 4).not_done:
            self.renew()
        self.renew()
        results = defaultdict(list)
        for delivery, result in zip(batch, posted.result(), strict=True):
            results[result.outcome].append((delivery, result))
            self.outcome.deliveries[result.outcome] += 1
            if result.outcome == push.RETRY:
                waits[delivery.send_id] = max(
                    waits.get(delivery.send_id, 0), result.retry_after or 0
                )
        sent = [d.pk for d, _ in results[push.SENT]]
        self._record(mark, sent, Delivery.SENT, sent_at=self.clock(), error="")
        used += [d.subscription_id for d, _ in results[push.SENT]]
        for outcome, status in (
            (push.RETRY, Delivery.PENDING),
            (push.FAILED, Delivery.FAILED),
        ):
            by_error = defaultdict(list)
            for delivery, result in results[outcome]:
                by_error[result.error].append(delivery.pk)
            for error, ids in by_error.items():
                self._record(mark, ids, status, error=error)
        gone += [d.subscription_id for d, _ in results[push.GONE]]

    def _email(self, delivery, claim, reminder, send):
        token, marked = self._mark([delivery], claim)
        if not marked:
            return
        if self.mail is None:
            self.mail = get_connection()
            self.mail.open()  # one SMTP session for the whole run
        self.renew()
        try:
            build_message(reminder, send, self.mail).send()
        except Exception as exc:
            # Whatever the backend raised (SMTP refusal, timeout, DNS), record
            # it for the next run and carry on with the other users.
            logger.exception("Reminder to user %s failed", reminder.user.pk)
            self.mail.close()  # the next send reconnects from scratch
            self._record(token, [delivery.pk], Delivery.PENDING, error=_error_text(exc))
            self.outcome.deliveries[push.RETRY] += 1
        else:
            self._record(token, [delivery.pk], Delivery.SENT, sent_at=self.clock())
            self.outcome.deliveries[push.SENT] += 1

    def _settle(self, claimed, waits):
        """Each reminder "sent" once every channel is settled, else "failed" (to
        retry while a channel waits and attempts are left)."""
        left = defaultdict(list)
        for send_id, status, error in ReminderDelivery.objects.filter(
            send_id__in=list(claimed), status__in=[Delivery.PENDING, Delivery.FAILED]
        ).values_list("send_id", "status", "error"):
            left[send_id].append((status, error))
        at = self.clock()
        done = [pk for pk in claimed if pk not in left]
        ReminderSend.objects.filter(pk__in=done, claimed_by__in=self.tokens).update(
            status=Status.SENT, sent_at=at, lease_until=None
        )
        self.outcome.sent += [claimed[pk][0] for pk in done]
        failed = defaultdict(list)  # (retry_at, error) -> send ids: one UPDATE each
        for pk, channels in left.items():
            reminder, send = claimed[pk]
            to_retry = any(status == Delivery.PENDING for status, _ in channels)
            retry_at = None
            if to_retry and send.attempts < MAX_ATTEMPTS:
                backoff = RETRY_AFTER * 2 ** (send.attempts - 1)
                retry_at = at + max(backoff, timedelta(seconds=waits.get(pk, 0)))
                if retry_at >= reminder.start + REMINDER_WINDOW:
                    retry_at = None  # no longer due by then: given up now
            error = "; ".join(sorted({error for _, error in channels if error}))
            failed[(retry_at, error[:2000])].append(pk)
            reminder.last_attempt = retry_at is None
            if retry_at is not None:
                planned = self.outcome.next_retry
                self.outcome.next_retry = min(planned or retry_at, retry_at)
            self.outcome.failed.append(reminder)
        for (retry_at, error), pks in failed.items():
            ReminderSend.objects.filter(pk__in=pks, claimed_by__in=self.tokens).update(
                status=Status.FAILED, retry_at=retry_at, lease_until=None, error=error
            )


def _error_text(exc):
    return f"{type(exc).__name__}: {exc}"[:2000]


def run_loop(stop, interval=60, clock=None):
    """Send due reminders every `interval` seconds until `stop` (a
    threading.Event) is set; a pass under way when it is set is finished first.
    A failing pass (database or mail server down) is logged and the loop goes
    on. A pass that planned a retry sooner than the next pass (a busy push
    service) has the next pass start then. Returns the number of passes. Any
    number of loops may run, on any number of machines: the claim in the
    database sends each reminder once."""
    passes = 0
    while not stop.is_set():
        started = time.monotonic()
        retry_in = interval
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
                        "deliveries": dict(outcome.deliveries),
                    },
                )
            if outcome.next_retry is not None:
                now = clock() if clock else timezone.now()
                retry_in = (outcome.next_retry - now).total_seconds()
        finally:
            # A long-running process must not keep a connection the database
            # dropped, nor one older than CONN_MAX_AGE.
            close_old_connections()
        passes += 1
        next_pass = interval - (time.monotonic() - started)
        stop.wait(max(0.0, min(next_pass, retry_in)))
    return passes
