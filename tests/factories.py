"""Small builders for test data; each says what it makes."""

import zoneinfo

from accounts import localtime
from accounts.models import PushSubscription
from sessions.models import MassageSession, Pause, RestDay, Technique


def builtin(key):
    return Technique.objects.get(user=None, key=key)


def log_session(
    user, local, tz=None, minutes=10, comfort=4, techniques=("warm-up",), **extra
):
    """A session that started at naive wall-clock `local` in `tz` (default: the
    user's zone), logged the way the app logs one."""
    zone = zoneinfo.ZoneInfo(tz or user.timezone)
    return MassageSession.objects.log(
        user,
        localtime.aware(local.date(), local.time(), zone, on_gap=localtime.GAP_END),
        zone,
        techniques=[builtin(key) for key in techniques],
        duration_minutes=minutes,
        comfort=comfort,
        **extra,
    )


def rest_day(user, day, reason=""):
    """A rest day, marked the way the app marks one."""
    return RestDay.objects.mark(user, day, reason)


def pause(user, start, end, reason="illness", note=""):
    """A pause from `start` to `end`, made the way the app makes one."""
    return Pause.objects.add(user, start, end, reason, note)


def push_device(user, device=None, name="Phone", **fields):
    """A device registered for notifications, saved directly (the registration
    view's checks are its own tests' business). With `device`, a
    tests.push_service.Device, the row has its endpoint and keys, so a message
    reaches it and it can read it; without one, placeholders no message can be
    encrypted for. `fields` override any column (another endpoint, last_used_at)."""
    if device is None:
        row = {
            "endpoint": "https://fcm.googleapis.com/fcm/send/test",
            "p256dh": "x",
            "auth": "y",
        }
    else:
        row = {
            "endpoint": device.endpoint,
            "p256dh": device.p256dh,
            "auth": device.auth,
        }
    return PushSubscription.objects.create(user=user, name=name, **(row | fields))
