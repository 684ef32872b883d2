import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import hash_token


class ReminderSend(models.Model):
    """One reminder for one user, slot and practice day, by every channel the
    user has (email and each device): the claim that makes it go out once.

    The row is inserted before anything is sent, and the unique constraint lets
    only one run of send_reminders own it, however many runs overlap. The run
    holds it "sending" under a lease it keeps renewing; a run that dies leaves
    it to be taken over once the lease runs out. Each channel's outcome is a
    ReminderDelivery, so a retry sends only to those that did not get it.
    "Snooze 15 min" adds a row of its own (the next `round`), "waiting" until
    it is due.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting (snoozed)"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    slot = models.ForeignKey(
        "accounts.PreferredTime", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField("practice day")
    # 0: the reminder at the slot's time; 1, 2...: each "Snooze 15 min" after it.
    round = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=7, choices=Status, default=Status.SENDING)
    # How many times a run claimed it (the first send and each retry).
    attempts = models.PositiveSmallIntegerField(default=1)
    error = models.TextField(blank=True)
    due_at = models.DateTimeField("due at", null=True, blank=True)
    claimed_at = models.DateTimeField()
    # The claim of one run (a random id per batch) and how long it holds.
    claimed_by = models.UUIDField(null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True)
    # A failed reminder is tried again from then on (empty: not again).
    retry_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the email's unsubscribe link is used: each link works once.
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Set when its "Done as usual" is used: each reminder logs one session.
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            # The claim; also serves "this run's reminders already claimed".
            models.UniqueConstraint(
                fields=["user", "slot", "date", "round"],
                name="streaks_remindersend_once",
            ),
        ]
        indexes = [
            # The reminder run: snoozes coming due (few rows: only snoozes are
            # in it), and a run's claims. No index on the status, which every
            # reminder changes twice: its old entries made PostgreSQL walk
            # through thousands of them to find the few reminders being sent.
            models.Index(
                fields=["due_at"],
                condition=models.Q(round__gt=0),
                name="streaks_remsend_snoozes_due",
            ),
            models.Index(fields=["claimed_by"], name="streaks_remsend_claimed_by"),
        ]

    def __str__(self):
        snooze = f" snooze {self.round}" if self.round else ""
        return f"reminder {self.date} slot {self.slot_id}{snooze}: {self.status}"


class ReminderDelivery(models.Model):
    """One channel of a reminder: its email, or one device. Marked "sending"
    just before it goes out; one left so by a run that died may have arrived:
    a device gets it again (streaks.reminders says why), an email does not
    ("unknown")."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        PUSH = "push", "Device"

    class Status(models.TextChoices):
        PENDING = "pending", "To send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Unknown (its run stopped)"

    send = models.ForeignKey(
        ReminderSend, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=5, choices=Channel)
    # The device; a device that is removed takes its deliveries with it.
    subscription = models.ForeignKey(
        "accounts.PushSubscription",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=7, choices=Status, default=Status.PENDING)
    # The batch that marked it "sending": only that batch records its outcome
    # (a run that outlived its lease finds its deliveries taken from it).
    claimed_by = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Also serves "a reminder's deliveries".
            models.UniqueConstraint(
                fields=["send", "subscription"],
                condition=models.Q(channel="push"),
                name="streaks_reminderdelivery_push_once",
            ),
            models.UniqueConstraint(
                fields=["send"],
                condition=models.Q(channel="email"),
                name="streaks_reminderdelivery_email_once",
            ),
            models.CheckConstraint(
                condition=models.Q(channel="email", subscription__isnull=True)
                | models.Q(channel="push", subscription__isnull=False),
                name="streaks_reminderdelivery_channel",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} of {self.send_id}: {self.status}"


class ReportLinkQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def working(self, now):
        """The links that open their report at `now` (ReportLink.works)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)

    def find(self, token):
        """The link a token opens (revoked and expired ones included: they
        answer "gone", not "unknown"), with its user, or None (a deactivated
        account's links open nothing, as its API tokens do)."""
        return (
            self.select_related("user")
            .filter(token_hash=hash_token(token), user__is_active=True)
            .first()
        )


class ReportLink(models.Model):
    """A read-only link to a user's report for one range of days. Like an API
    token (api.models.ApiToken), only the SHA-256 of its token is kept, so the
    link is shown once, when it is made. Revoking keeps the row, so a revoked
    link answers "gone" rather than "unknown"."""

    VALID_DAYS = (7, 30)
    # Links that still work, per account; the report page lists twice as many.
    MAX_WORKING = 20

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)  # serves the lookup
    start = models.DateField("first day")
    end = models.DateField("last day")
    notes = models.BooleanField("with the notes", default=False)
    show_name = models.BooleanField("with username and email", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ReportLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user", "-created_at"], name="streaks_reportlink_user"
            ),
        ]

    def __str__(self):
        return f"Report {self.start} to {self.end} of {self.user_id}"

    @classmethod
    def make(cls, user, start, end, days, notes=False, show_name=False, now=None):
        """A new link of `user` valid `days` days: the saved row, and the token
        itself, which exists nowhere else."""
        now = now or timezone.now()
        token = secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user,
            token_hash=hash_token(token),
            start=start,
            end=end,
            notes=notes,
            show_name=show_name,
            expires_at=now + dt.timedelta(days=days),
        )
        return row, token

    def works(self, now):
        return self.revoked_at is None and now < self.expires_at
