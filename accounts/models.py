import datetime as dt
import hashlib
import secrets
import uuid
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts import localtime, schedule, timezones


def validate_timezone(value):
    if not timezones.is_valid(value):
        raise ValidationError(
            "“%(value)s” is not a known time zone.",
            code="invalid",
            params={"value": value},
        )


class User(AbstractUser):
    email = models.EmailField("email", blank=True)
    timezone = models.CharField(
        "time zone", max_length=64, default="UTC", validators=[validate_timezone]
    )
    day_start_hour = models.PositiveSmallIntegerField(
        "day starts at",
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="A session before this hour counts for the previous day.",
    )
    weekly_target = models.PositiveSmallIntegerField(
        "weekly target",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text="Active days (practice or rest days) per week you aim for.",
    )
    email_reminders = models.BooleanField("email reminders", default=False)
    # No reminder, by email or on a device, between these local times (the span
    # may cross midnight). Off until the user switches it on.
    quiet_hours = models.BooleanField("quiet hours", default=False)
    quiet_from = models.TimeField("quiet from", default=dt.time(22, 0))
    quiet_until = models.TimeField("quiet until", default=dt.time(7, 0))
    # What to record with each session, beyond the two taps; all off until the
    # user switches them on.
    record_pain = models.BooleanField("pain before and after", default=False)
    record_foot = models.BooleanField("which foot", default=False)
    record_where = models.BooleanField("where on the foot", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(day_start_hour__lte=23),
                name="accounts_user_day_start_hour_range",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_target__gte=1, weekly_target__lte=7),
                name="accounts_user_weekly_target_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(quiet_from=models.F("quiet_until")),
                name="accounts_user_quiet_hours_span",
            ),
        ]

    def __str__(self):
        return self.username

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(timezones.canonical(self.timezone))

    def local_now(self, now=None):
        return (now or timezone.now()).astimezone(self.tzinfo)

    def today(self, now=None):
        """The user's practice day now, in their current time zone."""
        return localtime.practice_day(
            now or timezone.now(), self.day_start_hour, self.tzinfo
        )

    def in_quiet_hours(self, now=None):
        """Whether `now` (default: this moment) falls in the user's quiet hours,
        on their current clock."""
        return self.quiet_hours and schedule.in_quiet_hours(
            self.local_now(now).time(), self.quiet_from, self.quiet_until
        )

    def is_silenced(self, time):
        """Whether a preferred time at wall-clock `time` is inside the quiet
        hours: no reminder goes out for it, not even once they end."""
        return self.quiet_hours and schedule.in_quiet_hours(
            time, self.quiet_from, self.quiet_until
        )

    def silenced_times(self):
        """The preferred times inside the quiet hours (one query, none without
        quiet hours)."""
        if not self.quiet_hours:
            return []
        return [
            slot
            for slot in PreferredTime.objects.for_user(self).order_by("time", "pk")
            if self.is_silenced(slot.time)
        ]

    def preferred_slots(self):
        """The user's preferred times as ``schedule.Slot`` tuples, in one query."""
        return PreferredTime.objects.for_user(self).as_slots()


class PreferredTimeQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def as_slots(self):
        """``schedule.Slot`` tuples, earliest time first: what the pure functions in
        accounts.schedule take."""
        return [
            schedule.Slot(label, time, localtime.days_from_mask(mask))
            for label, time, mask in self.order_by("time", "pk").values_list(
                "label", "time", "weekdays"
            )
        ]


class PreferredTime(models.Model):
    """A time of day the user means to practise: local wall-clock time plus
    weekdays, read in the user's current zone (a move keeps "21:00 local")."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="preferred_times"
    )
    label = models.CharField("label", max_length=40)
    time = models.TimeField("time")
    # Bit 0 = Monday .. bit 6 = Sunday (see localtime.mask_from_days).
    weekdays = models.PositiveSmallIntegerField("days", default=0b1111111)
    # The calendar feed's UID: stable across edits, says nothing about the user.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PreferredTimeQuerySet.as_manager()

    class Meta:
        ordering = ["time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekdays__gte=1, weekdays__lte=0b1111111),
                name="accounts_preferredtime_weekdays_range",
            ),
        ]
        indexes = [
            # A user's slots in time order (settings page, dashboard, reminders).
            models.Index(fields=["user", "time"], name="accounts_preftime_user_time"),
        ]

    def __str__(self):
        return f"{self.label} {self.time:%H:%M}"

    @property
    def days(self):
        return localtime.days_from_mask(self.weekdays)

    def as_slot(self):
        return schedule.Slot(self.label, self.time, self.days)


def lock_account(user):
    """Lock `user`'s row until the transaction ends, so that a limit a request
    counts (devices, API tokens, report links) still holds when it writes: a
    second request for the same account waits. False when the account was
    deleted meanwhile."""
    return User.objects.select_for_update().filter(pk=user.pk).exists()


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """The secret behind a user's private calendar link. Only its SHA-256 is
    kept, so the link is shown once, when it is made."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)  # serves the lookup
    created_at = models.DateTimeField()

    def __str__(self):
        return f"calendar feed of {self.user}"

    @classmethod
    def make_new_link(cls, user):
        """Give `user` a fresh token and return it. Any older link stops working
        at once: the row holds one hash per user."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            user=user,
            defaults={"token_hash": hash_token(token), "created_at": timezone.now()},
        )
        return token

    @classmethod
    def find(cls, token):
        """The feed a token opens, with its user, or None."""
        return (
            cls.objects.select_related("user")
            .filter(token_hash=hash_token(token), user__is_active=True)
            .first()
        )


class PushSubscriptionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class PushSubscription(models.Model):
    """A browser or installed app that asked to be notified: the Push API's
    PushSubscription (its push service endpoint and the keys that encrypt
    messages for it). Like the email address, a way to reach the user, so it
    lives with the user; sending is the streaks app's business.

    One browser shared by two accounts may hold a row for each: both asked to
    be notified there, and each removes only their own."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.CharField(max_length=1000)
    # The browser's P-256 public key and auth secret, base64url (RFC 8291).
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    name = models.CharField("device", max_length=80)
    created_at = models.DateTimeField("added", auto_now_add=True)
    last_used_at = models.DateTimeField("last used", null=True, blank=True)

    objects = PushSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Registering the same browser again updates its row; also serves
            # "a user's devices" (the settings pages, the reminder run).
            models.UniqueConstraint(
                fields=["user", "endpoint"], name="accounts_pushsubscription_once"
            ),
        ]

    def __str__(self):
        return self.name

    def as_subscription_info(self):
        """The dict streaks.push.Sender.send takes, as the browser's
        PushSubscription.toJSON()."""
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }


class VapidKey(models.Model):
    """The server's own Web Push key pair (VAPID, RFC 8292), made once when the
    VAPID_PRIVATE_KEY setting is empty (see accounts.push.vapid). In the
    database, not a file, so every app server and reminder process of a site
    signs with the same key, and a restored backup keeps its devices working.
    One row at most (primary key 1)."""

    # The raw P-256 private key, base64url: the format web-push tools print.
    private_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return "VAPID key"
