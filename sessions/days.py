"""The user's days (models.Day), kept in step with the logbook.

Every write to a user's logbook (a session logged, edited or deleted, a rest
day or a pause marked, ended or removed, an import, a new weekly target) runs
like this:

    with transaction.atomic():
        weekly_target = days.lock(user)
        ...write...
        days.refresh(user, the first day it changed, weekly_target)

`lock` takes the user's row lock, so one write per user runs at a time and
`refresh` sees every session committed before it; it returns the weekly
target, which `refresh` reads again when not given it (a write that changes
the target itself leaves it out). `refresh` recomputes the
figures of the days from `since` on (sessions.engine holds the rules). There
is a row for every day from the first active day to the last one. A page then
reads the few rows it shows, whatever the length of the history, and never
needs a cache to be right or fast.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Count, Max, Sum
from django.db.models.functions import Coalesce

from sessions import bulk, engine
from sessions.models import Day, MassageSession, Pause, RestDay


class AccountGone(PermissionDenied):
    """The user's row went (the account was deleted, in another tab or by
    the API) while a write of theirs was under way: nothing is written."""


def lock(user):
    """Lock `user`'s row until the transaction ends and return their weekly
    target as it is now. No key update: it leaves other rows free to point at
    the user (a session being inserted) and only waits for another write."""
    users = get_user_model().objects.select_for_update(no_key=True)
    try:
        return users.values_list("weekly_target", flat=True).get(pk=user.pk)
    except get_user_model().DoesNotExist:
        raise AccountGone("This account no longer exists.") from None


def refresh(user, since=None, weekly_target=None):
    """Recompute `user`'s days from `since` (a date) on, or all of them.
    Call it in the transaction of the write, after `lock`, with the weekly
    target `lock` returned (read again here when not given)."""
    if weekly_target is None:
        weekly_target = lock(user)
    stored = Day.objects.for_user(user)
    # The week of rows before `since` (the rows run without a gap): the
    # engine carries on from them. None before it: every day again.
    before = (
        list(reversed(stored.filter(date__lt=since).order_by("-date")[:7]))
        if since is not None
        else []
    )
    if before:
        # Days after the last stored one were empty until now: from there on.
        start = min(since, before[-1].date + dt.timedelta(days=1))
        before = [day.figures() for day in before]
    else:
        start = None

    sessions = MassageSession.objects.for_user(user)
    rest_days = RestDay.objects.for_user(user)
    pauses = Pause.objects.for_user(user)
    if start is not None:
        sessions = sessions.filter(local_date__gte=start)
        rest_days = rest_days.filter(date__gte=start)
        pauses = pauses.filter(end__gte=start)
    logged = {
        day: {"sessions": n, "minutes": minutes, "comfort_sum": comfort, "rated": rated}
        for day, n, minutes, comfort, rated in sessions.order_by()
        .values("local_date")
        .annotate(
            n=Count("id"),
            total=Coalesce(Sum("duration_minutes"), 0),
            comfort_total=Coalesce(Sum("comfort"), 0),
            rated=Count("comfort"),
        )
        .values_list("local_date", "n", "total", "comfort_total", "rated")
    }
    # Paused days bridge a streak as rest days do: the engine takes them as rest.
    paused = pauses.dates(first=start)
    rested = set(rest_days.values_list("date", flat=True)) | paused

    if not logged and not rested:
        # The latest activity went: the days now end with the last active one.
        last_active = (
            stored.active().filter(date__lt=start).aggregate(last=Max("date"))["last"]
            if start
            else None
        )
        (stored.filter(date__gt=last_active) if last_active else stored).delete()
        return
    (stored.filter(date__gte=start) if start else stored).delete()
    start = start or min(logged.keys() | rested)
    last = max(logged.keys() | rested)
    figures = engine.days(logged, rested, start, last, weekly_target, before)
    with connections[Day.objects.db].cursor() as cursor:
        bulk.insert(
            cursor,
            Day._meta.db_table,
            [Day._meta.get_field(name) for name in COLUMNS],
            _rows(user, figures, logged, paused, cursor.db.ops.adapt_datefield_value),
        )


# A Day row's columns, in the order _rows gives their values.
COLUMNS = (
    *("user", "date", "sessions", "minutes", "comfort_sum", "rated", "rest", "paused"),
    *("streak", "run_start", "run_end", "weekly_streak", "strength", "last_gap"),
    *("longest_start", "longest_end", "longest_days", "first_practice"),
)
NOTHING_LOGGED = {"sessions": 0, "minutes": 0, "comfort_sum": 0, "rated": 0}


def _rows(user, figures, logged, paused, date):
    """Each day's row: its figures (engine.Day), what was `logged` on it and
    whether it is `paused`, as the database takes the values (`date` adapts a
    date)."""
    for day in figures:
        totals = logged.get(day.date, NOTHING_LOGGED)
        longest = day.longest or engine.Run(None, None, 0)
        yield (
            user.pk,
            date(day.date),
            totals["sessions"],
            totals["minutes"],
            totals["comfort_sum"],
            totals["rated"],
            day.rest,
            day.rest and day.date in paused,
            day.streak,
            date(day.run_start),
            date(day.run_end),
            day.weekly_streak,
            day.strength,
            date(day.last_gap),
            date(longest.start),
            date(longest.end),
            longest.days,
            date(day.first_practice),
        )
