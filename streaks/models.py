from django.conf import settings
from django.db import models


class RestDayQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class RestDay(models.Model):
    """A day the user chose not to practise: it bridges a streak without adding to it."""

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
            models.UniqueConstraint(fields=["user", "date"], name="streaks_restday_unique_day"),
        ]

    def __str__(self):
        return f"{self.date} (rest)"
