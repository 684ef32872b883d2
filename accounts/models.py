import zoneinfo
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts import timezones


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
        help_text="Practice days per week you aim for.",
    )

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
        ]

    def __str__(self):
        return self.username

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(timezones.canonical(self.timezone))

    def day_of(self, moment, tz=None):
        """The practice day a moment counts for: its local date in `tz` (the
        user's zone by default), shifted back by the day-start hour."""
        local = moment.astimezone(tz or self.tzinfo)
        return (local - timedelta(hours=self.day_start_hour)).date()

    def local_now(self, now=None):
        return (now or timezone.now()).astimezone(self.tzinfo)

    def today(self, now=None):
        """The user's practice day now, in their current time zone."""
        return self.day_of(now or timezone.now())
