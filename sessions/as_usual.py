""" "Done as usual": log today's session like the last one, in one tap.

The one home of this rule: the dashboard's button and the reminder's action
(streaks) call it. It logs through MassageSession.objects.log, like every other
session.

What "as usual" copies: the last session's duration and its techniques (those
still offered: an archived technique is left out), or, for a first session, ten
minutes of the basic routine, as the log form would offer. Comfort, pressure and
notes stay empty: they describe how one session felt, and a copied comfort would
tell the statistics (and the "ease off" advice) about a session nobody rated.

Exactly once: the caller passes a `submission_token` (a UUID) of its own, which
the logbook keeps unique per user; the same token again finds the first
session. And a day that already has a session is left as it is.

Undo: for a minute after it was logged, a session can be taken back (the
dashboard's "Undo"); it goes through MassageSession.objects.remove like any
deletion, so the stored days are refreshed with it.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sessions import days
from sessions.forms import DEFAULT_MINUTES, basic_routine, default_techniques
from sessions.models import MassageSession, SessionDeleted, Technique

SAVED = "saved"  # a new session, just logged
REPLAYED = "replayed"  # this token logged it before
DELETED = "deleted"  # this token logged it before, and it was deleted since
DAY_DONE = "day_done"  # today already had a session; nothing logged
UNDO_WITHIN = dt.timedelta(minutes=1)
# Where the dashboard finds the session it offers to undo (the login session).
UNDO_KEY = "footcare_undo"


@dataclass(frozen=True)
class AsUsual:
    state: str
    session: MassageSession | None  # None when DELETED


def log_as_usual(user, submission_token, now=None):
    """Log a session like `user`'s last one, started `now`, on today's practice
    day (see the module docstring); an AsUsual says what happened."""
    now = now or timezone.now()
    with transaction.atomic():
        # One writer per user: two taps at once wait for each other here, and
        # the second finds the first one's session.
        days.lock(user)
        mine = MassageSession.objects.for_user(user)
        try:
            earlier = MassageSession.objects.sent_with(user, submission_token)
        except SessionDeleted:  # undone, then sent again
            return AsUsual(DELETED, None)
        if earlier is not None:
            return AsUsual(REPLAYED, earlier)
        today = mine.filter(local_date=user.today(now)).newest_first().first()
        if today is not None:
            return AsUsual(DAY_DONE, today)
        last = mine.newest_first().first()
        session = MassageSession.objects.log(
            user,
            now,
            user.tzinfo,
            techniques=default_techniques(user),
            duration_minutes=minutes(last and last.duration_minutes),
            submission_token=submission_token,
        )
    return AsUsual(SAVED, session)


def minutes(last_minutes):
    """The minutes "Done as usual" logs after a session of `last_minutes` (None
    for a first session, or one imported without them): the same, else ten."""
    return last_minutes or DEFAULT_MINUTES


def technique_names(last):
    """What "Done as usual" will tick after the session `last` (a row of
    sessions.listing.session_rows), by name: its techniques still offered, or
    else the basic routine, as log_as_usual picks them."""
    if last["offered"]:
        return last["offered"]
    routine = Technique.objects.filter(pk__in=basic_routine()).order_by("position")
    return ", ".join(routine.values_list("name", flat=True))


def undo_until(session):
    """The moment `session` can no longer be undone."""
    return session.created_at + UNDO_WITHIN


def undo(user, session, now=None):
    """Delete `user`'s `session` if it was logged under a minute ago; whether
    it was (False: too late, or already gone)."""
    now = now or timezone.now()
    if session.user_id != user.pk or now >= undo_until(session):
        return False
    return MassageSession.objects.remove(user, session.pk) is not None
