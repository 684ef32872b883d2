"""What the pages read of a user's days: a few queries each, whatever the
length of the history. The rows (sessions.models.Day) and their figures are
kept in step with every write by sessions.days; nothing here writes."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Avg, Count, Max, Sum
from django.db.models.functions import ExtractYear

from sessions import engine
from sessions.models import Day, MassageSession, RestDay, Technique

INSIGHT_DAYS = 90
FIGURES = (
    "date",
    "sessions",
    "rest",
    "streak",
    "run_start",
    "run_end",
    "weekly_streak",
    "strength",
    "last_gap",
)


class Totals(NamedTuple):
    """One practice day: how many sessions, minutes and comfort points. Sessions
    imported without a duration or comfort add 0 minutes and no rating."""

    date: dt.date
    sessions: int
    minutes: int
    comfort_sum: int
    rated: int  # sessions with a comfort rating


@dataclass(frozen=True)
class History:
    """The last year of a user's days, up to today."""

    today: dt.date
    weekly_target: int
    days: dict[dt.date, Totals]  # the practice days
    figures: list[engine.Day]  # every day's figures, the last of them today's
    first_practice: dt.date | None  # of the whole history
    stats: engine.Stats


def recent(user, today):
    """Today's figures and the days of the last engine.WINDOW days (three
    queries)."""
    mine = Day.objects.for_user(user).filter(date__lte=today)
    rows = list(
        mine.order_by("-date").values_list(*FIGURES, "minutes", "comfort_sum", "rated")[
            : engine.WINDOW
        ]
    )
    rows.reverse()
    figures = engine.carry_on(
        [
            engine.Day(date, sessions > 0, rest, *more)
            for date, sessions, rest, *more, _, _, _ in rows
        ],
        today,
        user.weekly_target,
    )
    began = first_practice(user, today)
    stats = engine.stats(
        figures, today, user.weekly_target, began, longest_run(user, today)
    )
    return History(
        today=today,
        weekly_target=user.weekly_target,
        days={row[0]: Totals(row[0], row[1], *row[-3:]) for row in rows if row[1] > 0},
        figures=figures,
        first_practice=began,
        stats=stats,
    )


def first_practice(user, today):
    return (
        Day.objects.for_user(user)
        .filter(date__lte=today, sessions__gt=0)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )


def longest_run(user, today):
    """The longest run up to today, the most recent among equals (engine.longest):
    the practice day where a run's streak is highest is its last."""
    found = (
        Day.objects.for_user(user)
        .filter(date__lte=today, sessions__gt=0)
        .order_by("-streak", "-date")
        .values_list("run_start", "date", "streak")
        .first()
    )
    return engine.Run(*found) if found else None


def best_runs(user, today):
    """Every run of two days or more up to today, longest first (the most
    recent first among equals)."""
    return [
        engine.Run(start, end, days)
        for start, end, days in Day.objects.for_user(user)
        .filter(date__lte=today, sessions__gt=0, streak__gte=2)
        .values("run_start")
        .annotate(end=Max("date"), days=Max("streak"))
        .order_by("-days", "-end")
        .values_list("run_start", "end", "days")
    ]


def rest_days(user, first, last):
    """Rest days from `first` to `last`: date -> (reason, id)."""
    return {
        day: (reason, pk)
        for day, reason, pk in RestDay.objects.for_user(user)
        .filter(date__gte=first, date__lte=last)
        .values_list("date", "reason", "pk")
    }


def year(user, year, today):
    """The practice days and rest days of one calendar year, up to today."""
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    days = {
        row[0]: Totals(*row)
        for row in Day.objects.for_user(user)
        .filter(date__gte=first, date__lte=last, sessions__gt=0)
        .values_list("date", "sessions", "minutes", "comfort_sum", "rated")
    }
    return days, rest_days(user, first, last)


def years(user, today):
    """(year, sessions, minutes) of every year with a practice day, oldest first."""
    return list(
        Day.objects.for_user(user)
        .filter(date__lte=today, sessions__gt=0)
        .annotate(year=ExtractYear("date"))
        .order_by("year")
        .values("year")
        .annotate(n=Sum("sessions"), total=Sum("minutes"))
        .values_list("year", "n", "total")
    )


def first_year(user):
    """The first year with a row, or None."""
    first = Day.objects.for_user(user).order_by("date").values_list("date", flat=True)
    found = first.first()
    return found.year if found else None


def strengths_on(user, days):
    """The stored habit strength at the end of each of `days` that has a row."""
    return dict(
        Day.objects.for_user(user).filter(date__in=days).values_list("date", "strength")
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


def session_starts(user, today, days=365):
    """(practice day, local start) of the last `days` days' sessions that have
    a start, on the clock of the zone each was logged in (one query)."""
    return [
        (day, started_at.astimezone(zoneinfo.ZoneInfo(zone)))
        for day, started_at, zone in MassageSession.objects.for_user(user)
        .filter(local_date__gt=today - dt.timedelta(days=days), local_date__lte=today)
        .exclude(started_at__isnull=True)  # imported days with no time
        .values_list("local_date", "started_at", "timezone")
    ]
