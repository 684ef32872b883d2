"""A session sent to the API, as the log form's data: the form (its fields and
rules, api.forms.ApiSessionForm) decides whether it is saved."""

import uuid

from django.utils import timezone

from sessions.forms import DEFAULT_MINUTES, default_techniques
from sessions.models import ZONES_BY_NAME, Technique

# Idempotency keys that are not UUIDs name a submission token through this.
KEY_NAMESPACE = uuid.UUID("1f5b2a0e-8c1d-4c53-9b7e-6a3f0c2d9e41")


class Refused(Exception):
    """Input the form never sees: `errors` maps a field to its messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def sent_key(header):
    """The Idempotency-Key header as a key, or None: none was sent, or an empty
    one (a shortcut whose variable came out empty), which would otherwise make
    every later request answer with the first session and log nothing."""
    return header if header and header.strip() else None


def submission_token(idempotency_key):
    """The submission token a session sent with this Idempotency-Key gets: the
    key itself when it is a UUID (the offline queue's ids, so the page and the
    API never log one twice), else a UUID made from it. The token is unique per
    user (logbook_session_unique_submission), so a retry finds the session the
    first request made, even when both arrive at once. Without a key, a new one."""
    if idempotency_key is None:
        return uuid.uuid4()
    try:
        return uuid.UUID(idempotency_key)
    except ValueError:
        return uuid.uuid5(KEY_NAMESPACE, idempotency_key)


def form_data(user, payload, token):
    """The log form's data for `payload` (api.schemas.SessionIn). What is left
    out takes the log form's defaults: now, its duration and last time's
    techniques; comfort, pressure and notes stay empty."""
    start = payload.start or timezone.now()
    try:
        # Read in the user's current zone; the time keeps its fold, so a time
        # the clocks show twice stays the instant that was sent.
        local = start.astimezone(user.tzinfo)
    except OverflowError:
        raise Refused({"start": ["That start is out of range."]}) from None
    techniques = (
        None if payload.techniques is None else technique_ids(user, payload.techniques)
    )
    duration = payload.duration_minutes
    if techniques is None:
        techniques = default_techniques(user)
    if duration is None:
        duration = DEFAULT_MINUTES
    return {
        "date": local.date(),
        "start_time": local.time(),
        "duration_minutes": duration,
        "techniques": techniques,
        "comfort": "" if payload.comfort is None else payload.comfort,
        "pressure": choice(payload.pressure),
        "notes": payload.notes or "",
        "pain_before": "" if payload.pain_before is None else payload.pain_before,
        "pain_after": "" if payload.pain_after is None else payload.pain_after,
        "foot": choice(payload.foot),
        "zones": zone_values(payload.where or ()),
        "token": token,
    }


def choice(value):
    """One of a form's choices as sent, in any case (the values are lower case,
    as "Medium" or "Travel" from a shortcut's menu are not)."""
    return (value or "").strip().lower()


def zone_values(names):
    """The log form's values for zone names, any case; an unknown one is refused."""
    values, unknown = [], []
    for name in names:
        zone = ZONES_BY_NAME.get(name.strip().casefold())
        if zone is None:
            unknown.append(f"“{name[:40]}”")
        else:
            values.append(zone.value)
    if unknown:
        raise Refused(
            {
                "where": [
                    f"Not a zone: {', '.join(unknown)}. Zones are "
                    f"{', '.join(ZONES_BY_NAME)}."
                ]
            }
        )
    return values


def technique_ids(user, techniques):
    """Ids for a list of technique ids and names. A name is matched, whatever
    its case, among the techniques the log form offers (the user's own and the
    built-in ones, not archived); a name that matches none, or more than one,
    is refused. Ids go to the form as they are: it checks them."""
    names = [item for item in techniques if isinstance(item, str)]
    found = {}
    if names:
        offered = Technique.objects.available_to(user).active()
        for pk, name in offered.values_list("pk", "name"):
            found.setdefault(Technique.fold(name), []).append(pk)
    ids, errors = [], []
    for item in techniques:
        if not isinstance(item, str):
            ids.append(item)
            continue
        matches = found.get(Technique.fold(item), [])
        if len(matches) == 1:
            ids.append(matches[0])
        elif item.strip().isdigit() and item.strip().isascii():
            ids.append(item.strip())  # an id sent as a string
        elif matches:
            errors.append(
                f"“{item[:80]}” names more than one of your techniques: send its id."
            )
        else:
            errors.append(
                f"You have no technique called “{item[:80]}” (archived ones "
                "cannot be logged)."
            )
    if errors:
        raise Refused({"techniques": errors})
    return ids
