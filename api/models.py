import datetime as dt
import secrets

from django.conf import settings
from django.db import connection, models

from accounts.models import hash_token

# The rate limit counts each token's requests in windows of this length.
RATE_WINDOW = dt.timedelta(minutes=1)


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def find(self, token):
        """The token a bearer string opens, with its user, or None."""
        try:
            return self.select_related("user").get(
                token_hash=hash_token(token), user__is_active=True
            )
        except ApiToken.DoesNotExist:
            return None


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
        revoked meanwhile. Written in SQL: through the ORM's Case and When, building
        the statement cost many times running it (bench/load.py --pages)."""
        adapt = connection.ops.adapt_datetimefield_value
        at, expired_at = adapt(now), adapt(now - RATE_WINDOW)
        with connection.cursor() as cursor:
            cursor.execute(
                COUNT_REQUEST,
                [expired_at, expired_at, at, at, self.pk, expired_at, limit],
            )
            counted = cursor.rowcount
        if counted:
            return None
        row = ApiToken.objects.filter(pk=self.pk)
        started = row.values_list("window_started_at", flat=True).get()
        return (started + RATE_WINDOW - now).total_seconds()


# A new window when there is none or it has ended (then this request is its
# first), else one more request in it, as long as it is under the limit.
COUNT_REQUEST = """
    UPDATE api_apitoken SET
        window_requests = CASE
            WHEN window_started_at IS NULL OR window_started_at <= %s THEN 1
            ELSE window_requests + 1 END,
        window_started_at = CASE
            WHEN window_started_at IS NULL OR window_started_at <= %s THEN %s
            ELSE window_started_at END,
        last_used_at = %s
    WHERE id = %s AND (
        window_started_at IS NULL OR window_started_at <= %s OR window_requests < %s
    )
"""
