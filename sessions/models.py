import datetime as dt
import secrets
import uuid
import zoneinfo
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import localtime, words
from accounts.models import validate_timezone
from sessions import bulk, engine


def _remove(rows, user, pk, day_field, *more):
    """Delete row `pk` of `user` among `rows` (sessions, rest days, pauses) and
    refresh the figures from its day, the row's `day_field`. Returns the row's
    (day_field, *more) values, or None when there is no such row (another
    user's, or deleted meanwhile in another tab)."""
    from sessions import days  # which reads these models

    with transaction.atomic():
        weekly_target = days.lock(user)
        row = rows.filter(user=user, pk=pk)
        found = row.values_list(day_field, *more).first()
        if found is not None:
            row.delete()
            days.refresh(user, found[0], weekly_target)
    return found


class TechniqueQuerySet(models.QuerySet):
    def available_to(self, user):
        """The built-in catalog plus the user's own techniques."""
        return self.filter(models.Q(user__isnull=True) | models.Q(user=user))

    def active(self):
        return self.filter(archived=False)


class Technique(models.Model):
    # Built-in techniques have no user and are edited only in the admin.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="techniques",
    )
    name = models.CharField(max_length=80)
    # The name as Technique.fold makes it: what "the same name" compares, in the
    # constraints below, the forms and the importer. Stored, so that both
    # databases compare exactly the string Python made: PostgreSQL's lower(),
    # SQLite's (ASCII only) and Python's casefold() disagree ("İ", "É").
    # casefold() turns one character into at most three.
    folded_name = models.CharField(max_length=3 * 80, editable=False)
    how_to = models.TextField("how to", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=1000)
    # Stable key for built-ins, so data migrations can find them again.
    key = models.SlugField(max_length=40, blank=True)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TechniqueQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "folded_name"],
                condition=models.Q(user__isnull=False),
                name="logbook_technique_unique_own_name",
            ),
            models.UniqueConstraint(
                fields=["folded_name"],
                condition=models.Q(user__isnull=True),
                name="logbook_technique_unique_builtin_name",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        self.folded_name = self.fold(self.name)
        if update_fields is not None and "name" in update_fields:
            update_fields = {*update_fields, "folded_name"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @staticmethod
    def fold(name):
        """The one rule for "the same technique name": spaces collapsed, then
        Python's casefold(). "Arch  press" and "ARCH PRESS" are one technique;
        "I" and "İ" are two, on every database. (Characters that show nothing
        never reach a name: accounts.forms.NameField and the importer drop
        them.)"""
        return " ".join(name.split()).casefold()

    @property
    def is_builtin(self):
        return self.user_id is None


# Newest first; a day imported without a time sorts after the timed sessions of
# its day on every database (PostgreSQL puts NULLs first in a DESC order).
NEWEST_FIRST = ["-local_date", models.F("started_at").desc(nulls_last=True), "-pk"]

# A session's length in minutes (a database constraint, the form and its input).
MIN_MINUTES, MAX_MINUTES = 1, 180

# The 0-10 numeric rating scale of pain (a database constraint, the forms, the
# API and the importer).
PAIN_MIN, PAIN_MAX = 0, 10


class Zone(models.IntegerChoices):
    """Where on the foot a session massaged: one bit each, so several fit in one
    integer column (MassageSession.zones), the same on every database."""

    HEEL = 1, "Heel"
    ARCH = 2, "Arch"
    BALL = 4, "Ball of the foot"
    TOES = 8, "Toes"
    ANKLE = 16, "Ankle"


ALL_ZONES = sum(Zone.values)


class SessionRows(NamedTuple):
    """Sessions made into database rows ahead of writing them (bulk_rows)."""

    entries: list  # as given; their technique_ids are read when written
    rows: list  # values in the order of FIELDS

    FIELDS = (
        *("user", "started_at", "timezone", "local_date", "duration_minutes"),
        *("comfort", "pressure", "notes", "submission_token"),
        *("created_at", "updated_at"),
        *("pain_before", "pain_after", "foot", "zones", "local_time"),
    )


def placed(started_at, tz, day_start_hour):
    """Where an aware start falls for a session logged in zone `tz`: the
    instant in UTC, the practice day it counts for and the wall-clock time (the
    rules are accounts.localtime's). For a session made or moved one at a time;
    an import, which knows its days, takes the wall clock alone (bulk_rows)."""
    return (
        started_at.astimezone(dt.UTC),
        localtime.practice_day(started_at, day_start_hour, tz),
        localtime.wall_clock(started_at, tz),
    )


class MassageSessionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def build(self, user, started_at, tz, local_date=None, **fields):
        """An unsaved session of `user` that started at the aware `started_at`,
        logged in zone `tz` (a ZoneInfo or its name). Its practice day is
        computed unless `local_date` is given (an import that knows only the
        day). For ``bulk_create``; ``log`` saves one with its techniques."""
        tz = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
        local_time = None
        if started_at is None:
            # A day imported from an app that keeps no time: "not recorded".
            if local_date is None:
                raise ValueError("A session without a start needs its local_date.")
        else:
            started_at, day, local_time = placed(started_at, tz, user.day_start_hour)
            local_date = local_date or day
        return self.model(
            user=user,
            started_at=started_at,
            timezone=tz.key,
            local_date=local_date,
            local_time=local_time,
            **fields,
        )

    def log(self, user, started_at, tz, techniques=(), **fields):
        """Create a session (see ``build``) with its techniques, and refresh
        its day's figures: the one way sessions come to be. In a caller's
        transaction it takes no savepoint of its own (a failure here leaves
        that transaction to roll back whole)."""
        from sessions import days  # which reads these models

        session = self.build(user, started_at, tz, **fields)
        with transaction.atomic(savepoint=False):
            weekly_target = days.lock(user)
            session.save()
            session.techniques.add(*techniques)
            days.refresh(user, session.local_date, weekly_target)
        return session

    def remove(self, user, pk):
        """Delete session `pk` of `user`: the day it counted for, or None. Its
        submission token is kept (DeletedSession), so that a late retry of the
        request that logged it does not log it again (see sent_with)."""
        with transaction.atomic():
            found = _remove(self, user, pk, "local_date", "submission_token")
            if found is None:
                return None
            day, token = found
            # get_or_create: sent_with keeps a deleted token from logging again,
            # but a tombstone already there must not make this deletion fail.
            DeletedSession.objects.get_or_create(user=user, submission_token=token)
        return day

    def sent_with(self, user, token):
        """`user`'s session logged with submission `token` (the log form's
        hidden token, the API's Idempotency-Key, a "Done as usual" link), or
        None when the token is new. When that session was deleted since, raise
        SessionDeleted: the same token never brings it back."""
        session = self.filter(user=user, submission_token=token).first()
        if session is None:
            deleted = DeletedSession.objects.filter(user=user, submission_token=token)
            if deleted.exists():
                raise SessionDeleted
        return session

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def rows(self, *more):
        """Each session as a plain tuple, in this order, then the fields named in
        `more`: what the sessions list and the export read, without building
        model instances."""
        return self.values_list(
            "pk",
            "local_date",
            "started_at",
            "timezone",
            "duration_minutes",
            "comfort",
            "pressure",
            "notes",
            *more,
        )

    def bulk_rows(self, user, entries):
        """`entries` (see bulk_log) made into the rows bulk_log writes. An import
        makes them before its transaction opens and hands them to bulk_log, so
        that the write lock is held for the writing alone: on SQLite every
        other writer waits for it."""
        ops = connections[self.db].ops
        stamp = ops.adapt_datetimefield_value(timezone.now())
        # Tokens of 32 hex digits (the column's form on SQLite, and a form of
        # uuid PostgreSQL reads), counting up from a random start: unique, and in
        # order, so the unique index on (user, token) takes them at one place
        # rather than all over a large table. bulk_log finds the new ids by them.
        first = secrets.randbits(80) << 48
        rows = [
            (
                user.pk,
                None
                if entry.get("started_at") is None
                else ops.adapt_datetimefield_value(entry["started_at"]),
                entry["timezone"],
                ops.adapt_datefield_value(entry["local_date"]),
                entry.get("duration_minutes"),
                entry.get("comfort"),
                entry.get("pressure") or "",
                entry.get("notes") or "",
                f"{first + number:032x}",
                stamp,
                stamp,
                entry.get("pain_before"),
                entry.get("pain_after"),
                entry.get("foot") or "",
                entry.get("zones") or 0,
                None
                if entry.get("started_at") is None
                else ops.adapt_timefield_value(
                    localtime.wall_clock(
                        entry["started_at"], zoneinfo.ZoneInfo(entry["timezone"])
                    )
                ),
            )
            for number, entry in enumerate(entries)
        ]
        return SessionRows(entries, rows)

    def bulk_log(self, user, entries, batch_size=2000):
        """Create many sessions of `user` at once (the importer's path): a list of
        dicts with the model's fields (`local_date` and `timezone` required,
        `started_at` aware or absent, the rest optional) and `technique_ids`, or
        what bulk_rows made of them. The caller runs it in its transaction,
        between ``days.lock`` and ``days.refresh``. Returns the number created.

        The rows go to the database as plain values (sessions.bulk), not
        through bulk_create."""
        prepared = (
            entries
            if isinstance(entries, SessionRows)
            else self.bulk_rows(user, entries)
        )
        connection = connections[self.db]
        ops = connection.ops
        meta = self.model._meta
        links = self.model.techniques.through._meta
        fields = [meta.get_field(name) for name in SessionRows.FIELDS]
        token = SessionRows.FIELDS.index("submission_token")
        table, pk = ops.quote_name(meta.db_table), ops.quote_name(meta.pk.column)
        with (
            transaction.atomic(using=self.db, savepoint=False),
            connection.wrap_database_errors,
            connection.cursor() as cursor,
        ):
            cursor.execute(f"SELECT MAX({pk}) FROM {table}")
            before = cursor.fetchone()[0] or 0
            for start in range(0, len(prepared.rows), batch_size):
                bulk.insert(
                    cursor,
                    meta.db_table,
                    fields,
                    prepared.rows[start : start + batch_size],
                )
            # The new sessions' ids, by the token each was given.
            cursor.execute(
                f"SELECT {ops.quote_name(fields[token].column)}, {pk} FROM {table} "
                f"WHERE {ops.quote_name(fields[0].column)} = %s AND {pk} > %s",
                [user.pk, before],
            )
            ids = {
                found if isinstance(found, str) else found.hex: pk
                for found, pk in cursor.fetchall()
            }
            bulk.insert(
                cursor,
                links.db_table,
                [links.get_field("massagesession"), links.get_field("technique")],
                [
                    (ids[row[token]], technique_id)
                    for entry, row in zip(prepared.entries, prepared.rows, strict=True)
                    for technique_id in entry.get("technique_ids", ())
                ],
            )
        return len(prepared.rows)


class MassageSession(models.Model):
    class Comfort(models.IntegerChoices):
        PAINFUL = 1, "1 · Painful"
        UNCOMFORTABLE = 2, "2 · Uncomfortable"
        OKAY = 3, "3 · Okay"
        COMFORTABLE = 4, "4 · Comfortable"
        VERY_COMFORTABLE = 5, "5 · Very comfortable"

    class Pressure(models.TextChoices):
        LIGHT = "light", "Light"
        MEDIUM = "medium", "Medium"
        FIRM = "firm", "Firm"

    class Foot(models.TextChoices):
        BOTH = "both", "Both"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"

    Zone = Zone  # beside Comfort, Pressure and Foot

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="massage_sessions",
    )
    # UTC. Empty ("not recorded") for days imported from apps that keep only the
    # day; such sessions still count as practice through `local_date`.
    started_at = models.DateTimeField("started at", null=True, blank=True)
    # The zone it was logged in.
    timezone = models.CharField(
        "time zone", max_length=64, validators=[validate_timezone]
    )
    # The practice day it counts for: local date in `timezone`, shifted by the
    # owner's day-start hour. Stored so a later move or setting change never
    # rewrites the past.
    local_date = models.DateField("day")
    # The time the clock showed where it started (`started_at` in `timezone`),
    # so pages group by morning and evening in SQL. Empty with `started_at`.
    local_time = models.TimeField("local start time", null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)],
    )
    techniques = models.ManyToManyField(Technique, related_name="sessions")
    comfort = models.PositiveSmallIntegerField(choices=Comfort, null=True, blank=True)
    pressure = models.CharField(max_length=6, choices=Pressure, blank=True)
    notes = models.TextField(max_length=2000, blank=True)
    # What the user chose to record (accounts.User.record_*); empty when not.
    pain_before = models.PositiveSmallIntegerField(
        "pain before",
        null=True,
        blank=True,
        validators=[MinValueValidator(PAIN_MIN), MaxValueValidator(PAIN_MAX)],
    )
    pain_after = models.PositiveSmallIntegerField(
        "pain after",
        null=True,
        blank=True,
        validators=[MinValueValidator(PAIN_MIN), MaxValueValidator(PAIN_MAX)],
    )
    foot = models.CharField(max_length=5, choices=Foot, blank=True)
    # The sum of the Zone bits massaged; 0 when not recorded.
    zones = models.PositiveSmallIntegerField(
        "where", default=0, validators=[MaxValueValidator(ALL_ZONES)]
    )
    # One per submitted form: a resubmitted form finds its session instead of
    # creating a second one.
    submission_token = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MassageSessionQuerySet.as_manager()

    class Meta:
        ordering = NEWEST_FIRST
        constraints = [
            models.CheckConstraint(
                condition=models.Q(comfort__isnull=True)
                | models.Q(comfort__gte=1, comfort__lte=5),
                name="logbook_session_comfort_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__isnull=True)
                | models.Q(
                    duration_minutes__gte=MIN_MINUTES, duration_minutes__lte=MAX_MINUTES
                ),
                name="logbook_session_duration_1_180",
            ),
            models.CheckConstraint(
                condition=models.Q(pain_before__isnull=True)
                | models.Q(pain_before__gte=PAIN_MIN, pain_before__lte=PAIN_MAX),
                name="logbook_session_pain_before_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(pain_after__isnull=True)
                | models.Q(pain_after__gte=PAIN_MIN, pain_after__lte=PAIN_MAX),
                name="logbook_session_pain_after_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(zones__gte=0, zones__lte=ALL_ZONES),
                name="logbook_session_zones_known",
            ),
            models.UniqueConstraint(
                fields=["user", "submission_token"],
                name="logbook_session_unique_submission",
            ),
        ]
        indexes = [
            # Streaks, heatmap and day filters: a user's sessions by day.
            models.Index(
                fields=["user", "local_date"], name="logbook_session_user_day"
            ),
            # The sessions list, newest first (NEWEST_FIRST). On SQLite, where
            # NULLs sort last in a descending index as NULLS LAST asks, the index
            # gives the whole order, with no sort of the user's sessions.
            # PostgreSQL puts NULLs first here, so it uses the index for the user
            # and day and sorts each day's few sessions itself.
            models.Index(
                fields=["user", "-local_date", "-started_at", "-id"],
                name="logbook_session_newest_first",
            ),
        ]

    def __str__(self):
        if self.duration_minutes is None:
            return f"{self.local_date} · time not recorded"
        return f"{self.local_date} · {self.duration_minutes} min"

    def get_absolute_url(self):
        return reverse("sessions:edit", args=[self.pk])

    # Each range the check constraints above hold is also its field's choices or
    # validators, which full_clean checks in Python before the constraints.
    RANGES_CHECKED_BY_FIELDS = (
        "comfort",
        "duration_minutes",
        "pain_before",
        "pain_after",
        "zones",
    )

    def validate_constraints(self, exclude=None):
        """The constraints, but not the ranges again: Django asks the database
        about each check constraint (a query each, on every form save). The
        database still enforces them all on the write."""
        super().validate_constraints(
            exclude={*(exclude or ()), *self.RANGES_CHECKED_BY_FIELDS}
        )

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def zone_list(self):
        return zones_from_mask(self.zones)

    @property
    def local_start(self):
        """The start as the clock on the wall showed it where it was logged, or
        None when it was not recorded."""
        if self.started_at is None:
            return None
        return self.started_at.astimezone(self.tzinfo)


def zones_from_mask(mask):
    """The zones in the bits of `mask`, in the order of the choices."""
    return [zone for zone in Zone if mask & zone]


def zone_names(mask):
    """The zones in `mask` by the names exports and the API write ("heel")."""
    return [zone.name.lower() for zone in zones_from_mask(mask)]


ZONES_BY_NAME = {zone.name.lower(): zone for zone in Zone}


def mask_from_zones(zones):
    """Zones (members or their values) as the integer `zones` stores."""
    mask = 0
    for zone in zones:
        mask |= Zone(int(zone))
    return mask


class SessionDeleted(Exception):
    """The session sent with this submission token was deleted since."""


class DeletedSession(models.Model):
    """The submission token of a deleted session. A form sent again (the
    offline queue resending after a lost answer) or an API request retried with
    its Idempotency-Key after the session was deleted finds it here, and the
    session stays deleted instead of coming back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    submission_token = models.UUIDField()
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "submission_token"],
                name="logbook_deleted_session_unique",
            )
        ]

    def __str__(self):
        return f"{self.submission_token} (deleted {self.deleted_at:%Y-%m-%d})"


class GuidePreference(models.Model):
    """How someone likes their guided session: remembered for next time."""

    class Tool(models.TextChoices):
        NONE = "", "No roller or ball"
        ROLLER = "roller", "Foot roller"
        BALL = "ball", "Massage ball"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guide_preference",
    )
    soak = models.BooleanField("warm soak first", default=False)
    oil = models.BooleanField("oil or cream", default=False)
    tool = models.CharField(
        "roller or ball", max_length=6, choices=Tool, blank=True, default=""
    )
    # Seconds per step (per foot where the step is done on each foot), keyed by
    # the step's slot in sessions.guide.STEPS; a missing slot takes its default.
    durations = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Guided-session choices of {self.user}"


class RestDayQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def mark(self, user, day, reason=""):
        """Make `day` a rest day of `user`, and refresh its figures. Raises
        IntegrityError when it is one already."""
        from sessions import days  # which reads these models

        with transaction.atomic():
            weekly_target = days.lock(user)
            rest_day = self.create(user=user, date=day, reason=reason)
            days.refresh(user, since=day, weekly_target=weekly_target)
        return rest_day

    def remove(self, user, pk):
        """Undo rest day `pk` of `user`: the day, or None."""
        found = _remove(self, user, pk, "date")
        return None if found is None else found[0]


class RestDay(models.Model):
    """A day off by choice: it bridges a streak without adding to it."""

    class Reason(models.TextChoices):
        TRAVEL = "travel", "Travel"
        SKIN_CARE = "skin", "Skin care"
        INJURY = "injury", "Injury"
        ILLNESS = "illness", "Illness"
        OTHER = "other", "Other"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rest_days"
    )
    date = models.DateField()
    reason = models.CharField(max_length=10, choices=Reason, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestDayQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            # Also serves "a user's rest days by date".
            models.UniqueConstraint(
                fields=["user", "date"], name="logbook_restday_unique_day"
            ),
        ]

    def __str__(self):
        return f"{self.date} (rest)"


class PauseQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def overlapping(self, first, last):
        """Pauses with at least one day from `first` to `last`."""
        return self.filter(start__lte=last, end__gte=first)

    def add(self, user, start, end, reason, note=""):
        """Pause `user`'s habit from `start` to `end` (both included) and
        refresh the figures from its first day. The rules are checked again
        under the user's lock (Pause.problem), so two tabs never make a pause
        over a session or another pause: ValidationError then, nothing written."""
        from sessions import days  # which reads these models

        with transaction.atomic():
            weekly_target = days.lock(user)
            problem = Pause.problem(user, start, end)
            if problem:
                raise ValidationError(problem)
            pause = self.create(
                user=user, start=start, end=end, reason=reason, note=note
            )
            days.refresh(user, since=start, weekly_target=weekly_target)
        return pause

    def end_early(self, user, pk, today):
        """End pause `pk` of `user` with yesterday, so today is an ordinary
        day again, and refresh the figures: the pause, or None when there is
        no such pause or it has not started yet (delete that one instead) or
        is over already."""
        from sessions import days  # which reads these models

        with transaction.atomic():
            weekly_target = days.lock(user)
            pause = (
                self.filter(user=user, pk=pk, start__lt=today, end__gte=today)
                .select_for_update()
                .first()
            )
            if pause is None:
                return None
            pause.end = today - dt.timedelta(days=1)
            self.filter(pk=pk).update(end=pause.end)
            days.refresh(user, since=today, weekly_target=weekly_target)
        return pause

    def remove(self, user, pk):
        """Delete pause `pk` of `user`: its first day, or None."""
        found = _remove(self, user, pk, "start")
        return None if found is None else found[0]

    def dates(self, first=None):
        """Every paused date of these pauses (from `first` on, if given)."""
        found = set()
        for start, end in self.values_list("start", "end"):
            day = max(start, first) if first else start
            while day <= end:
                found.add(day)
                day += dt.timedelta(days=1)
        return found


class Pause(models.Model):
    """Days away from the habit (illness, injury, travel): like rest days they
    bridge a streak without adding to it, and no reminder is sent for them. A
    pause never covers a day with a session."""

    class Reason(models.TextChoices):
        ILLNESS = "illness", "Illness"
        INJURY = "injury", "Injury"
        TRAVEL = "travel", "Travel"
        OTHER = "other", "Other"

    MAX_DAYS = 366  # the longest pause

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pauses"
    )
    start = models.DateField("first day")
    end = models.DateField("last day")
    reason = models.CharField(max_length=10, choices=Reason)
    note = models.CharField("note", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PauseQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="logbook_pause_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "start"], name="logbook_pause_user_start"),
        ]

    def __str__(self):
        return f"{self.start} to {self.end} (paused)"

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @classmethod
    def problem(cls, user, start, end):
        """Why `user` cannot pause from `start` to `end`, in words, or "": the
        one home of a pause's rules (the form and ``add`` ask it; the form
        also limits how early and how far ahead)."""
        if end < start:
            return "The last day must be on or after the first day."
        if (end - start).days + 1 > cls.MAX_DAYS:
            return f"A pause lasts at most {cls.MAX_DAYS} days."
        practised = (
            MassageSession.objects.for_user(user)
            .filter(local_date__gte=start, local_date__lte=end)
            .order_by("local_date")
            .values_list("local_date", flat=True)
            .first()
        )
        if practised is not None:
            return (
                f"You practised on {words.full_date(practised)}: a pause cannot "
                "cover a day with a session. End it the day before, or start it "
                "the day after."
            )
        other = cls.objects.for_user(user).overlapping(start, end).first()
        if other is not None:
            return (
                f"Those days overlap your pause from {words.long_date(other.start)} "
                f"to {words.long_date(other.end)}."
            )
        return ""


class DayQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def active(self):
        """Days practised, rested or paused (a paused day is a rest day too):
        the days a streak counts, and that no reminder is sent for."""
        return self.filter(models.Q(sessions__gt=0) | models.Q(rest=True))


class Day(models.Model):
    """One of a user's days: what was logged on it and the streak figures at
    its end (sessions.engine). There is a row for every day from the first
    active day to the last one, practised, rested or neither; sessions.days
    keeps them in step with the logbook, in the transaction of every write."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField()
    # What was logged. Sessions imported without a duration or comfort add 0
    # minutes and no rating.
    sessions = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)
    comfort_sum = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)  # sessions with a comfort rating
    # A day without a session that bridges a streak: a rest day or a paused day.
    rest = models.BooleanField(default=False)
    paused = models.BooleanField(default=False)  # of those, a day in a pause
    # The figures at the end of the day (see engine.Day).
    streak = models.PositiveIntegerField(default=0)
    run_start = models.DateField(null=True, blank=True)
    run_end = models.DateField(null=True, blank=True)
    weekly_streak = models.PositiveIntegerField(default=0)
    strength = models.FloatField(default=0)
    last_gap = models.DateField(null=True, blank=True)
    longest_start = models.DateField(null=True, blank=True)
    longest_end = models.DateField(null=True, blank=True)
    longest_days = models.PositiveIntegerField(default=0)  # 0: no run yet
    first_practice = models.DateField(null=True, blank=True)

    objects = DayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            # Also serves every read of a user's days by date.
            models.UniqueConstraint(fields=["user", "date"], name="logbook_day_unique"),
        ]

    def __str__(self):
        return f"{self.date} of {self.user_id}"

    @property
    def practised(self):
        return self.sessions > 0

    def figures(self):
        return engine.Day(
            date=self.date,
            practised=self.practised,
            rest=self.rest,
            streak=self.streak,
            run_start=self.run_start,
            run_end=self.run_end,
            weekly_streak=self.weekly_streak,
            strength=self.strength,
            last_gap=self.last_gap,
            longest=(
                engine.Run(self.longest_start, self.longest_end, self.longest_days)
                if self.longest_days
                else None
            ),
            first_practice=self.first_practice,
        )
