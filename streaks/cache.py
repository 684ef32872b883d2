"""Per-user cache of what the dashboard and statistics page derive from the
history (figures and rendered fragments), through Django's cache framework.

Why a version: deleting the right keys on every write would have to know every
page that shows the data, and cannot reach another worker's local-memory cache.
Instead a key holds everything the value depends on: the user's data version
(one atomic UPDATE on every write, see signals.py), their day, zone, day start
and weekly target. The version lives on the user row, which the auth middleware
loads anyway, so a cache hit costs no query and a stale entry is never served;
old entries simply expire."""

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


def _history_key(user, since):
    return ":".join(
        str(bit)
        for bit in (
            "history",
            user.pk,
            int(user.date_joined.timestamp()),
            user.history_version,
            since.isoformat(),
        )
    )


def get_older_days(user, since):
    """The user's days before `since` (history.load), or None. They change only
    with the history version: not with every write, nor with the day or the
    settings."""
    return cache.get(_history_key(user, since))


def set_older_days(user, since, days):
    cache.set(_history_key(user, since), days, TIMEOUT)


def get_or_build(user, today, part, build):
    cache_key = key(user, today, part)
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, TIMEOUT)
    return value
