"""The report to share: one range of a user's days in figures and tables, for
the owner (/streaks/report/) and for whoever holds a link to it. Everything it
reads is filtered to the range, so a link reveals nothing outside it. A fixed
number of queries whatever the length of the range."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, Sum

from accounts import words
from sessions.models import Day, MassageSession, Pause, Technique, zones_from_mask

# The longest range a report covers: ten years and their leap days.
MAX_DAYS = 3653
DEFAULT_DAYS = 30


@dataclass
class Average:
    """A running mean: the total and how many values went into it."""

    total: int = 0
    n: int = 0

    def add(self, value):
        if value is not None:
            self.total += value
            self.n += 1

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
    pain: dict = field(
        default_factory=lambda: defaultdict(lambda: [Average(), Average()])
    )


def _before_after():
    return [Average(), Average()]


def period_kind(first, last):
    """Weeks for up to twelve weeks, months for up to two years, else years."""
    days = (last - first).days + 1
    if days <= 84:
        return "week"
    if days <= 731:
        return "month"
    return "year"


def _period_of(day, kind):
    if kind == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, f"Week of {words.long_date(monday)}"
    if kind == "month":
        return (day.year, day.month), words.month_name(day)
    return day.year, str(day.year)


def build(user, first, last, notes=False):
    """The report of `user`'s days from `first` to `last` (both included), with
    the sessions' notes when `notes` is true (four queries)."""
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
        )
    )
    columns = ["local_date", "duration_minutes", "comfort", "pain_before"]
    columns += ["pain_after", "foot", "zones"]
    if notes:
        columns.append("notes")
    rows = (
        MassageSession.objects.for_user(user)
        .filter(local_date__gte=first, local_date__lte=last)
        .order_by("local_date", "started_at", "pk")
        .values_list(*columns)
    )
    kind = period_kind(first, last)
    periods = {}
    zones = defaultdict(int)
    comfort = Average()
    feet = set()
    noted = []
    foot_names = dict(MassageSession.Foot.choices)
    for row in rows:
        day, minutes, rating, before, after, foot, mask = row[:7]
        key, label = _period_of(day, kind)
        period = periods.get(key)
        if period is None:
            period = periods[key] = Period(label)
        period.sessions += 1
        period.minutes += minutes or 0
        period.comfort.add(rating)
        comfort.add(rating)
        if before is not None or after is not None:
            foot = foot or ""
            feet.add(foot)
            pain = period.pain[foot]
            pain[0].add(before)
            pain[1].add(after)
        for zone in zones_from_mask(mask):
            zones[zone.label] += 1
        if notes and row[7]:
            noted.append((day, row[7]))
    foot_order = [foot for foot in ("left", "right", "both", "") if foot in feet]
    techniques = list(
        Technique.objects.filter(
            sessions__user=user,
            sessions__local_date__gte=first,
            sessions__local_date__lte=last,
        )
        .annotate(n=Count("sessions"), avg=Avg("sessions__comfort"))
        .order_by("-n", "name")
        .values_list("name", "n", "avg")
    )
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
        "practised_percent": round(100 * totals["practised_days"] / days_in_range),
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
        "feet": [
            (foot, foot_names.get(foot, "Foot not recorded")) for foot in foot_order
        ],
        "techniques": techniques,
        "zones": sorted(zones.items(), key=lambda item: (-item[1], item[0])),
        "pauses": [
            (start, end, (end - start).days + 1, reasons.get(reason, reason))
            for start, end, reason in pauses
        ],
        "notes": noted if notes else None,
    }
