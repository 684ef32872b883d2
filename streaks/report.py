"""The report to share: one range of a user's days in figures and tables, for
the owner (/streaks/report/) and for whoever holds a link to it. Everything it
reads is filtered to the range, so a link reveals nothing outside it. A fixed
number of queries whatever the length of the range."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, CharField, Count, Min, Q, Sum
from django.db.models.functions import Cast, Substr
from django.utils.html import format_html_join

from accounts import words
from sessions import engine
from sessions.models import Day, MassageSession, Pause, Technique, zones_from_mask
from streaks import charts

# The longest range a report covers: ten years and their leap days.
MAX_DAYS = 3653
DEFAULT_DAYS = 30


@dataclass
class Average:
    """A mean: the total and how many values went into it."""

    total: int = 0
    n: int = 0

    @property
    def mean(self):
        return self.total / self.n if self.n else None


@dataclass
class Period:
    """One week, month or year of the range."""

    label: str
    sessions: int = 0
    minutes: int = 0
    comfort: Average = field(default_factory=Average)
    # foot -> (pain before, pain after)
    pain: dict = field(default_factory=lambda: defaultdict(_before_after))


def _before_after():
    return Average(), Average()


def period_kind(first, last):
    """Weeks for up to twelve weeks, months for up to two years, else years."""
    days = (last - first).days + 1
    if days <= 84:
        return "week"
    if days <= 731:
        return "month"
    return "year"


def _period_of(day, kind):
    """The first day of `day`'s week, month or year."""
    if kind == "week":
        return engine.monday(day)
    if kind == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _period_label(first, kind):
    if kind == "week":  # under the column "Week of": short enough for a phone
        return words.short_date(first, with_year=True)
    if kind == "month":
        return words.month_name(first)
    return str(first.year)


def _axis_label(first, kind):
    """A period's name under a chart's axis: "23 Nov", "Nov 2026" or "2026"."""
    if kind == "week":
        return words.short_date(first)
    if kind == "month":
        return charts.month_year(first)
    return str(first.year)


def trend_charts(periods, kind, feet):
    """The report's two charts: comfort, and the pain before per foot, by
    period (None where nothing was rated)."""
    labels = [_axis_label(start, kind) for start in periods]
    return {
        "comfort": charts.lines_chart(
            labels,
            [("Comfort", [p.comfort.mean for p in periods.values()])],
            5,
            [1, 2, 3, 4, 5],
            y_min=1,
        ),
        "pain": charts.lines_chart(
            labels,
            [
                (
                    name,
                    [
                        p.pain[foot][0].mean if foot in p.pain else None
                        for p in periods.values()
                    ],
                )
                for foot, name in feet
            ],
            10,
            charts.ticks(10, 5),
        ),
    }


def _techniques(user, first, last):
    """(name, sessions, average comfort) of each technique ticked in the range,
    most used first (two queries: grouped by id, then the names)."""
    through = MassageSession.techniques.through
    counts = list(
        through.objects.filter(
            massagesession__user=user,
            massagesession__local_date__gte=first,
            massagesession__local_date__lte=last,
        )
        .order_by()
        .values("technique_id")
        .annotate(n=Count("pk"), avg=Avg("massagesession__comfort"))
        .values_list("technique_id", "n", "avg")
    )
    names = dict(
        Technique.objects.filter(pk__in=[pk for pk, _, _ in counts]).values_list(
            "pk", "name"
        )
    )
    found = [(names[pk], n, avg) for pk, n, avg in counts]
    return sorted(found, key=lambda item: (-item[1], item[0].casefold()))


def build(user, first, last, notes=False):
    """The report of `user`'s days from `first` to `last` (both included), with
    the sessions' notes when `notes` is true (eight queries, seven without
    the notes)."""
    days_in_range = (last - first).days + 1
    totals = (
        Day.objects.for_user(user)
        .filter(date__gte=first, date__lte=last)
        .aggregate(
            practised_days=Count("pk", filter=Q(sessions__gt=0)),
            paused_days=Count("pk", filter=Q(paused=True)),
            rest_days=Count("pk", filter=Q(rest=True, paused=False)),
            session_count=Sum("sessions"),
            minute_count=Sum("minutes"),
            # Each row knows the first day of practice so far (None before it).
            began=Min("first_practice"),
        )
    )
    # Days before the first session are not days missed (the statistics page's
    # consistency begins there too): the share of days practised counts from it.
    began = totals["began"]
    counted_from = began if began is not None and began > first else None
    counted_days = (last - (counted_from or first)).days + 1
    kind = period_kind(first, last)
    sessions = MassageSession.objects.for_user(user).filter(
        local_date__gte=first, local_date__lte=last
    )
    # Grouped in SQL by the first characters of the ISO date (the year, the
    # month, or the day, which Python then gathers into weeks).
    prefix = {"year": 4, "month": 7, "week": 10}[kind]
    by_period = sessions.order_by().annotate(
        key=Substr(Cast("local_date", CharField()), 1, prefix)
    )
    periods = {}

    def period_at(key):
        day = dt.date.fromisoformat(key + "-01-01"[: 10 - len(key)])
        start = _period_of(day, kind)
        if start not in periods:
            periods[start] = Period(_period_label(start, kind))
        return periods[start]

    for key, n, minutes, comfort_total, rated in (
        by_period.values("key")
        .annotate(
            n=Count("pk"),
            total=Sum("duration_minutes"),
            comfort_total=Sum("comfort"),
            rated=Count("comfort"),
        )
        .values_list("key", "n", "total", "comfort_total", "rated")
    ):
        period = period_at(key)
        period.sessions += n
        period.minutes += minutes or 0
        period.comfort.total += comfort_total or 0
        period.comfort.n += rated
    feet = set()
    for key, foot, *pain in (
        by_period.filter(Q(pain_before__isnull=False) | Q(pain_after__isnull=False))
        .values("key", "foot")
        .annotate(
            before_total=Sum("pain_before"),
            before_n=Count("pain_before"),
            after_total=Sum("pain_after"),
            after_n=Count("pain_after"),
        )
        .values_list(
            "key", "foot", "before_total", "before_n", "after_total", "after_n"
        )
    ):
        feet.add(foot)
        before, after = period_at(key).pain[foot]
        before.total += pain[0] or 0
        before.n += pain[1]
        after.total += pain[2] or 0
        after.n += pain[3]
    periods = dict(sorted(periods.items()))
    comfort = Average(
        sum(p.comfort.total for p in periods.values()),
        sum(p.comfort.n for p in periods.values()),
    )
    zones = defaultdict(int)
    for mask, n in (
        sessions.order_by()
        .values("zones")
        .annotate(n=Count("pk"))
        .values_list("zones", "n")
    ):
        for zone in zones_from_mask(mask):
            zones[zone.label] += n
    foot_names = dict(MassageSession.Foot.choices)
    foot_order = [foot for foot in ("left", "right", "both", "") if foot in feet]
    columns = [(foot, foot_names.get(foot, "Foot not recorded")) for foot in foot_order]
    techniques = _techniques(user, first, last)
    pauses = [
        (max(start, first), min(end, last), reason)
        for start, end, reason in Pause.objects.for_user(user)
        .overlapping(first, last)
        .order_by("start")
        .values_list("start", "end", "reason")
    ]
    reasons = dict(Pause.Reason.choices)
    return {
        "first": first,
        "last": last,
        "days": days_in_range,
        "practised": totals["practised_days"],
        "practised_percent": round(100 * totals["practised_days"] / counted_days),
        "counted_days": counted_days,
        "counted_from": counted_from,
        "paused_days": totals["paused_days"],
        "rest_days": totals["rest_days"],
        "sessions": totals["session_count"] or 0,
        "minutes": totals["minute_count"] or 0,
        "comfort": comfort.mean,
        "comfort_n": comfort.n,
        "period_kind": kind,
        "periods": [
            {
                "label": period.label,
                "sessions": period.sessions,
                "minutes": period.minutes,
                "comfort": period.comfort.mean,
                "pain": [
                    (before.mean, after.mean, max(before.n, after.n))
                    for before, after in (period.pain[foot] for foot in foot_order)
                ],
            }
            for period in periods.values()
        ],
        "feet": columns,
        "charts": trend_charts(periods, kind, columns),
        "techniques": techniques,
        "zones": sorted(zones.items(), key=lambda item: (-item[1], item[0])),
        "pauses": [
            (start, end, (end - start).days + 1, reasons.get(reason, reason))
            for start, end, reason in pauses
        ],
        "notes": notes_html(sessions) if notes else None,
    }


def notes_html(sessions):
    """The sessions' notes as <dt>day</dt><dd>note</dd> pairs: years of notes are
    many hundreds, written by format_html_join rather than a template loop
    (bench/load.py --pages times the report; the line breaks stay: the
    list's style keeps them)."""
    noted = (
        sessions.exclude(notes="")
        .order_by("local_date", "started_at", "pk")
        .values_list("local_date", "notes")
    )
    return format_html_join(
        "", "<dt>{}</dt><dd>{}</dd>", ((words.day_name(d), n) for d, n in noted)
    )
