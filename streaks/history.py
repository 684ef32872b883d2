"""What the pages read of a user's days: a few queries each, whatever the
length of the history. The rows (sessions.models.Day) and their figures are
kept in step with every write by sessions.days; nothing here writes."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    F,
    Max,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Substr

from accounts import localtime, schedule
from accounts.localtime import EVENING, MORNING
from sessions import engine
from sessions.models import (
    Day,
    MassageSession,
    RestDay,
    Technique,
    zones_from_mask,
)
from streaks import insights

INSIGHT_DAYS = 90
PRESSURES = dict(MassageSession.Pressure.choices)
FEET = dict(MassageSession.Foot.choices)
# Noon splits the day (accounts.localtime.morning): 15:40 is not "Evening", and
# 02:00 before a 04:00 day start is the night that ends the day before.
HALVES = {MORNING: "Morning", EVENING: "Afternoon, evening or night"}


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
    rested: set[dt.date]  # the rest days and paused days
    paused: set[dt.date]  # of those, the paused days
    figures: list[engine.Day]  # the last week's figures, the last of them today's
    stats: engine.Stats

    @property
    def first_practice(self):
        return self.figures[-1].first_practice if self.figures else None


def figures(user, today, count=7):
    """The figures of the last `count` days with a row, up to today."""
    newest = Day.objects.for_user(user).filter(date__lte=today).order_by("-date")
    return [day.figures() for day in reversed(newest[:count])]


def recent(user, today):
    """Today's figures and the days of the last engine.WINDOW days (two
    queries)."""
    first = today - dt.timedelta(days=engine.WINDOW - 1)
    days, rested, paused = {}, set(), set()
    for row in (
        Day.objects.for_user(user)
        .filter(date__gte=first, date__lte=today)
        .active()
        .values_list("date", "sessions", "minutes", "comfort_sum", "rated", "paused")
    ):
        if row[1]:
            days[row[0]] = Totals(*row[:5])
        else:
            rested.add(row[0])
            if row[5]:
                paused.add(row[0])
    last = engine.carry_on(figures(user, today), today, user.weekly_target)
    return History(
        today=today,
        weekly_target=user.weekly_target,
        days=days,
        rested=rested,
        paused=paused,
        figures=last,
        stats=engine.stats(last, days, rested, today, user.weekly_target),
    )


def days_off_ahead(user, today):
    """The rest days and paused days as far ahead as schedule.next_slot looks
    (no session is due on them, and no reminder comes)."""
    last = today + schedule.LOOKAHEAD + dt.timedelta(days=1)
    return set(
        Day.objects.for_user(user)
        .filter(date__gt=today, date__lte=last, rest=True)
        .values_list("date", flat=True)
    )


def best_runs(user, today, count=10):
    """The `count` longest runs of two days or more up to today, longest first
    (the most recent first among equals; one query)."""
    return [
        engine.Run(start, end, days)
        for start, end, days in Day.objects.for_user(user)
        .filter(date__lte=today, sessions__gt=0, streak__gte=2)
        .values("run_start")
        .annotate(end=Max("date"), days=Max("streak"))
        .order_by("-days", "-end")
        .values_list("run_start", "end", "days")[:count]
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
    """The practice days, rest days and paused days of one calendar year, up to
    today."""
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    days, paused = {}, set()
    for row in (
        Day.objects.for_user(user)
        .filter(date__gte=first, date__lte=last)
        .filter(Q(sessions__gt=0) | Q(paused=True))
        .values_list("date", "sessions", "minutes", "comfort_sum", "rated")
    ):
        if row[1]:
            days[row[0]] = Totals(*row)
        else:
            paused.add(row[0])
    return days, rest_days(user, first, last), paused


def years(user, today):
    """(year, sessions, minutes) of every year with a practice day, oldest first."""
    # The year from the date's ISO text: SQLite's ExtractYear runs in Python,
    # once a row.
    year = Substr(Cast("date", CharField()), 1, 4)
    return [
        (int(year), sessions, minutes)
        for year, sessions, minutes in Day.objects.for_user(user)
        .filter(date__lte=today, sessions__gt=0)
        .annotate(year=year)
        .order_by("year")
        .values("year")
        .annotate(n=Sum("sessions"), total=Sum("minutes"))
        .values_list("year", "n", "total")
    ]


def totals(user, today):
    """(sessions, minutes, runs) of the whole history up to today, where runs
    counts the runs of two days or more: each has one practice day with a
    streak of exactly 2 (one query)."""
    found = (
        Day.objects.for_user(user)
        .filter(date__lte=today)
        .aggregate(
            all_sessions=Sum("sessions"),
            all_minutes=Sum("minutes"),
            runs=Count("pk", filter=Q(sessions__gt=0, streak=2)),
        )
    )
    return found["all_sessions"] or 0, found["all_minutes"] or 0, found["runs"]


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


def insight_groups(user):
    """What works for me: every session of `user` summed per technique, zone,
    pressure, foot and half of the day ({dimension: [insights.Group...]}), and
    the group of them all. Two queries, summing in SQL: by technique, and by
    each combination of the other four, which the dimensions then add up."""
    mine = MassageSession.objects.for_user(user).order_by()
    change = F("pain_after") - F("pain_before")
    sums = {
        "sessions": Count("pk"),
        "comfort_sum": Coalesce(Sum("comfort"), 0),
        "rated": Count("comfort"),
        "change_sum": Coalesce(Sum(change), 0),
        "changed": Count(change),
    }
    first, end = localtime.morning(user.day_start_hour)
    half = Case(
        When(local_time=None, then=Value("")),  # imported without a time
        When(local_time__gte=first, local_time__lt=end, then=Value(MORNING)),
        default=Value(EVENING),
    )
    kinds = ("zones", "pressure", "foot", "half")
    combinations = []
    for row in mine.annotate(half=half).values(*kinds).annotate(**sums):
        values = {kind: row.pop(kind) for kind in kinds}
        combinations.append((values, insights.Group("", **row)))

    def added_up(kind, labels):
        """The groups of one dimension: each combination's sums added to the
        groups its `kind` value belongs to, named by labels(value)."""
        members = {}
        for values, group in combinations:
            for label in labels(values[kind]):
                members.setdefault(label, []).append(group)
        return [insights.Group.of(label, groups) for label, groups in members.items()]

    def named(names):
        """Labels of a column that holds one value, or "" when not noted."""
        return lambda value: [names[value]] if value else []

    techniques = []
    for row in (
        mine.filter(techniques__isnull=False)
        .values("techniques__name")
        .annotate(**sums)
    ):
        name = row.pop("techniques__name")
        techniques.append(insights.Group(name, **row))
    groups = {
        "technique": techniques,
        "zone": added_up(
            "zones", lambda mask: [zone.label for zone in zones_from_mask(mask)]
        ),
        "pressure": added_up("pressure", named(PRESSURES)),
        "foot": added_up("foot", named(FEET)),
        "half": added_up("half", named(HALVES)),
    }
    return groups, insights.Group.of("All", [group for _, group in combinations])


def pain_ratings(user, first):
    """(day, foot, pain before) of the sessions from `first` with a pain-before
    rating, the foot by its label ("" when not noted)."""
    return [
        (day, FEET.get(foot, ""), pain)
        for day, foot, pain in MassageSession.objects.for_user(user)
        .filter(local_date__gte=first, pain_before__isnull=False)
        .values_list("local_date", "foot", "pain_before")
    ]
