import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When

from accounts.models import hash_token

# The rate limit counts each token's requests in windows of this length.
RATE_WINDOW = dt.timedelta(minutes=1)


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def find(self, token):
        """The token a bearer string opens, with its user, or None."""
        return (
            self.select_related("user")
            .filter(token_hash=hash_token(token), user__is_active=True)
            .first()
        )


class ApiToken(models.Model):
    """A personal token for the API. Only its SHA-256 is kept, so it is shown
    once, when it is made; revoking deletes the row."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        LOG = "log", "Read and log"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("name", max_length=60)
    scope = models.CharField("scope", max_length=4, choices=Scope, default=Scope.LOG)
    token_hash = models.CharField(max_length=64, unique=True)  # serves the lookup
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField("last used", null=True, blank=True)
    # The rate limit: requests in the window that started at window_started_at.
    window_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    window_requests = models.PositiveIntegerField(default=0, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.get_scope_display().lower()})"

    @property
    def can_log(self):
        return self.scope == self.Scope.LOG

    @classmethod
    def make(cls, user, name, scope):
        """A new token of `user`: the saved row, and the token itself, which
        exists nowhere else."""
        token = secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user, name=name, scope=scope, token_hash=hash_token(token)
        )
        return row, token

    def count_request(self, now, limit):
        """Count one request against the rate limit and note the token as used,
        in one UPDATE (exact across every worker and server, and atomic on both
        databases). Returns None when the request may go ahead, else the seconds
        until the window ends; raises ApiToken.DoesNotExist when the token was
        revoked meanwhile."""
        expired = Q(window_started_at__isnull=True) | Q(
            window_started_at__lte=now - RATE_WINDOW
        )
        row = ApiToken.objects.filter(pk=self.pk)
        counted = row.filter(expired | Q(window_requests__lt=limit)).update(
            window_requests=Case(
                When(expired, then=Value(1)), default=F("window_requests") + 1
            ),
            window_started_at=Case(
                When(expired, then=Value(now)), default=F("window_started_at")
            ),
            last_used_at=now,
        )
        if counted:
            return None
        started = row.values_list("window_started_at", flat=True).get()
        return (started + RATE_WINDOW - now).total_seconds()
