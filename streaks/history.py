"""What a user logged, loaded in a fixed number of queries whatever its length.

``History`` holds the practice days and rest days; ``engine.compute`` turns
them into streak figures (``History.streaks``); ``presentation`` puts those
into words and pictures. Nothing here computes a figure or writes a sentence.
"""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
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


# Sessions and rest days added or removed this many days back or later leave the
# older days (before older_days_end) as they were: signals.py bumps the user's
# history_version for any other change.
RECENT_DAYS = 7


def is_recent(day):
    """Whether a new or deleted session or rest day on `day` keeps the older days
    cached. UTC's date, not the user's: older_days_end leaves weeks of margin."""
    return day >= timezone.now().date() - dt.timedelta(days=RECENT_DAYS)


def older_days_end(today):
    """The first day after the cached older days: the first of last month, at
    least 28 days before today, so far from RECENT_DAYS."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def load(user, today):
    """Every practice day (aggregated in SQL) and rest day, in two queries.

    The first page after logging a session rebuilds its figures, and at ten
    years reading every day took most of that time. So the days before
    older_days_end come from the cache (cache.py) and only the weeks since are
    read; a cache miss reads everything."""
    since = older_days_end(today)
    older = cache.get_older_days(user, since)
    if older is None:
        days, rest = _days(user), _rest(user)
        older = (
            {day: row for day, row in days.items() if day < since},
            {day: row for day, row in rest.items() if day < since},
        )
        cache.set_older_days(user, since, older)
    else:
        days = older[0] | _days(user, since)
        rest = older[1] | _rest(user, since)
    return History(today=today, days=days, rest=rest, weekly_target=user.weekly_target)


def _days(user, since=None):
    """Practice days, oldest first, read straight from the cursor. Through the
    queryset Django converts each value with a call of its own, which doubled
    the cost of ten years; the only conversion needed is SQLite's dates, which
    come as ISO text."""
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
    with connection.cursor() as cursor:
        cursor.execute(*rows.query.sql_with_params())
        rows = cursor.fetchall()
    if rows and isinstance(rows[0][0], str):
        rows = [(dt.date.fromisoformat(row[0]), *row[1:]) for row in rows]
    return {row[0]: Day._make(row) for row in rows}


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
