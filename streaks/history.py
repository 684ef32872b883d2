"""What a user logged, loaded in a fixed number of queries whatever its length.

``History`` holds the practice days and rest days; ``engine.compute`` turns
them into streak figures (``History.streaks``); ``presentation`` puts those
into words and pictures. Nothing here computes a figure or writes a sentence.
"""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Avg, Count, Sum
from django.db.models.functions import Coalesce

from sessions.models import MassageSession, Technique
from streaks import engine
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


def load(user, today):
    """Two queries: one row per practice day (aggregated in SQL), and the rest days."""
    rows = (
        MassageSession.objects.for_user(user)
        .values("local_date")
        .annotate(
            n=Count("id"),
            minutes=Coalesce(Sum("duration_minutes"), 0),
            comfort_sum=Coalesce(Sum("comfort"), 0),
            rated=Count("comfort"),
        )
        .order_by("local_date")
        .values_list("local_date", "n", "minutes", "comfort_sum", "rated")
    )
    rest = RestDay.objects.for_user(user).values_list("date", "reason", "pk")
    return History(
        today=today,
        days={row[0]: Day._make(row) for row in rows},
        rest={day: (reason, pk) for day, reason, pk in rest},
        weekly_target=user.weekly_target,
    )


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


def recent_starts(user, today):
    """When the last INSIGHT_DAYS days' sessions started (one query)."""
    return list(
        MassageSession.objects.for_user(user)
        .filter(local_date__gt=today - dt.timedelta(days=INSIGHT_DAYS))
        .exclude(started_at__isnull=True)
        .values_list("started_at", flat=True)
    )
