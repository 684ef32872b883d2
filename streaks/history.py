"""What a user logged, loaded in a fixed number of queries whatever its length.

``History`` holds the practice days and rest days; ``engine.compute`` turns
them into streak figures (``History.streaks``); ``presentation`` puts those
into words and pictures. Nothing here computes a figure or writes a sentence.
"""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connections
from django.db.models import Avg, Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from sessions.models import MassageSession, Technique
from streaks import cache, engine
from streaks.models import RestDay

INSIGHT_DAYS = 90


class Day(NamedTuple):
    """One practice day: how many sessions, minutes and comfort points. Sessions
    imported without a duration or comfort add 0 minutes and no rating."""

    date: dt.date
    sessions: int
    minutes: int
    comfort_sum: int
    rated: int = 0  # sessions with a comfort rating


@dataclass(frozen=True)
class History:
    today: dt.date
    days: dict[dt.date, Day]
    rest: dict[dt.date, tuple[str, int]]  # date -> (reason, rest day id)
    weekly_target: int

    def streaks(self) -> engine.Stats:
        """The engine's figures for this history."""
        return engine.compute(self.days, self.rest, self.today, self.weekly_target)


# A session or rest day added this many days back or later leaves the older days
# as they were: signals.py bumps the user's history_version for any other change.
RECENT_DAYS = 7


def is_recent(day):
    """Whether a session or rest day added on `day` leaves the older days alone.
    UTC's date, not the user's, which is at most two days off (zone and day
    start): first_recent_day is at least 28 days back."""
    return day >= timezone.now().date() - dt.timedelta(days=RECENT_DAYS)


def first_recent_day(today):
    """The first day load reads every time: the first of last month, 28 to 62
    days before today. The days before it are the cached older days."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def load(user, today):
    """Every practice day (aggregated in SQL) and rest day, in two queries.

    The first page after logging a session rebuilds its figures, and at ten
    years reading every day took most of that time. So the days before
    first_recent_day come from the cache (cache.py) and only the weeks since are
    read; a cache miss reads everything."""
    recent = first_recent_day(today)
    older = cache.get_older_days(user, before=recent)
    if older is None:
        days, rest = _days(user), _rest(user)
        older = (
            {day: row for day, row in days.items() if day < recent},
            {day: row for day, row in rest.items() if day < recent},
        )
        cache.set_older_days(user, recent, older)
    else:
        days = older[0] | _days(user, since=recent)
        rest = older[1] | _rest(user, since=recent)
    return History(today=today, days=days, rest=rest, weekly_target=user.weekly_target)


def _days(user, since=None):
    """Practice days, oldest first, read straight from the cursor: both
    databases give the dates and counts as Python values already, and the
    queryset's per-value converters cost half again as much at ten years."""
    sessions = MassageSession.objects.for_user(user)
    if since is not None:
        sessions = sessions.filter(local_date__gte=since)
    rows = (
        sessions.values("local_date")
        .annotate(
            n=Count("id"),
            minutes=Coalesce(Sum("duration_minutes"), 0),
            comfort_sum=Coalesce(Sum("comfort"), 0),
            rated=Count("comfort"),
        )
        .order_by("local_date")
        .values_list("local_date", "n", "minutes", "comfort_sum", "rated")
    )
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: Day._make(row) for row in cursor.fetchall()}


def _rest(user, since=None):
    rest = RestDay.objects.for_user(user).order_by("date")
    if since is not None:
        rest = rest.filter(date__gte=since)
    return {
        day: (reason, pk)
        for day, reason, pk in rest.values_list("date", "reason", "pk")
    }


def recent_comfort(user, today):
    """Average comfort and session count by technique and by pressure over the
    last INSIGHT_DAYS days, best first (two queries)."""
    since = today - dt.timedelta(days=INSIGHT_DAYS - 1)
    techniques = (
        Technique.objects.filter(
            sessions__user=user,
            sessions__local_date__gte=since,
            sessions__local_date__lte=today,
            sessions__comfort__isnull=False,
        )
        .annotate(avg=Avg("sessions__comfort"), n=Count("sessions"))
        .order_by("-avg", "name")
        .values_list("name", "avg", "n")
    )
    pressures = (
        MassageSession.objects.for_user(user)
        .filter(local_date__gte=since, local_date__lte=today)
        .exclude(pressure="")
        .exclude(comfort__isnull=True)
        .values("pressure")
        .annotate(avg=Avg("comfort"), n=Count("id"))
        .order_by("-avg")
        .values_list("pressure", "avg", "n")
    )
    return list(techniques), list(pressures)


def session_starts(user, today, days=365):
    """(practice day, start, zone) of the last `days` days' sessions that have a
    start, for the hour grid and the on-time rate (one query)."""
    return list(
        MassageSession.objects.for_user(user)
        .filter(local_date__gt=today - dt.timedelta(days=days))
        .exclude(started_at__isnull=True)  # imported days with no time
        .values_list("local_date", "started_at", "timezone")
    )
