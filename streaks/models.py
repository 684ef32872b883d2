from django.conf import settings
from django.db import models


class ReminderSend(models.Model):
    """One reminder email for one user, slot and practice day.

    The row is the claim: it is inserted before the email goes out, and the
    unique constraint lets only one run of send_reminders own it. A failed send
    keeps its row with status "failed", and a later run may claim it again.
    """

    class Status(models.TextChoices):
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
    status = models.CharField(max_length=7, choices=Status, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    error = models.TextField(blank=True)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the email's unsubscribe link is used: each link works once.
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            # The claim; also serves "this run's reminders already claimed".
            models.UniqueConstraint(
                fields=["user", "slot", "date"], name="streaks_remindersend_once"
            ),
        ]

    def __str__(self):
        return f"reminder {self.date} slot {self.slot_id}: {self.status}"
