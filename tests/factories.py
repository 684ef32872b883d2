"""Small builders for test data; each says what it makes."""

import datetime as dt
import zoneinfo

from sessions.models import MassageSession, Technique


def builtin(key):
    return Technique.objects.get(user=None, key=key)


def log_session(
    user, local, tz=None, minutes=10, comfort=4, techniques=("warm-up",), **extra
):
    """A session that started at naive wall-clock `local` in `tz` (default: the
    user's zone), with its day computed the way the app does."""
    zone = zoneinfo.ZoneInfo(tz or user.timezone)
    started_at = local.replace(tzinfo=zone).astimezone(dt.UTC)
    session = MassageSession.objects.create(
        user=user,
        started_at=started_at,
        timezone=zone.key,
        local_date=user.day_of(started_at, tz=zone),
        duration_minutes=minutes,
        comfort=comfort,
        **extra,
    )
    session.techniques.set([builtin(key) for key in techniques])
    return session
