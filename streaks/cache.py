"""Per-user cache of derived pages. A key holds everything the value depends on:
the user's data version (bumped on every write, see signals.py), their day, zone,
day start and weekly target. The version lives on the user row, which the auth
middleware loads anyway, so a cache hit costs no query, and a stale entry can
never be served, even from another worker's local-memory cache."""

from django.core.cache import cache

TIMEOUT = 60 * 60


def key(user, today, part):
    return ":".join(
        str(bit)
        for bit in (
            "streaks",
            part,
            user.pk,
            int(user.date_joined.timestamp()),
            user.data_version,
            today.isoformat(),
            user.timezone,
            user.day_start_hour,
            user.weekly_target,
        )
    )


def get_or_build(user, today, part, build):
    cache_key = key(user, today, part)
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, TIMEOUT)
    return value
