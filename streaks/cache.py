"""Per-user cache of what the dashboard and statistics page derive from the
history (figures and rendered fragments), through Django's cache framework.

Why versions: deleting the right keys on every write would have to know every
page that shows the data, and cannot reach another worker's local-memory cache.
Instead a key holds everything the value depends on: the user's data version
(one atomic UPDATE on every write, see signals.py), their day, zone, day start
and weekly target. The versions live on the user row, which the auth middleware
loads anyway, so a cache hit costs no query and a stale entry is never served;
old entries simply expire.

The days before last month (history.load) have a version of their own, which
logging a recent session leaves alone: the first page after it then reads
weeks, not years. And a value that depends on a few known inputs only (the log
form's rendered parts) is keyed by those inputs, whatever the data version."""

import hashlib

from django.core.cache import cache

TIMEOUT = 60 * 60
# Bump when the shape of what is cached changes (History's Day, a fragment's
# template), so app servers on a new release never read an old release's entries.
SCHEMA = 2


def _key(user, *bits):
    return ":".join(
        str(bit)
        for bit in (
            "streaks",
            SCHEMA,
            user.pk,
            int(user.date_joined.timestamp()),
            *bits,
        )
    )


def _get_or_set(key, build):
    # Not cache.get_or_set: on a miss it reads the value back once more, a
    # second unpickling on exactly the requests this cache is here to speed up.
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def get_or_build(user, today, part, build):
    key = _key(
        user,
        part,
        user.data_version,
        today.isoformat(),
        user.timezone,
        user.day_start_hour,
        user.weekly_target,
    )
    return _get_or_set(key, build)


def get_or_build_by_content(user, part, inputs, build):
    """Like get_or_build, for a value that depends only on `inputs` (plain
    values with a stable repr), whatever the data version: a write that leaves
    them as they were keeps it."""
    digest = hashlib.sha256(repr(inputs).encode()).hexdigest()[:32]
    return _get_or_set(_key(user, part, digest), build)


def _older_key(user, before):
    return _key(user, "older", user.history_version, before.isoformat())


def get_older_days(user, before):
    """The user's days before the date `before` (history.load), or None."""
    return cache.get(_older_key(user, before))


def set_older_days(user, before, days):
    cache.set(_older_key(user, before), days, TIMEOUT)
