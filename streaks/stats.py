"""What a user's logbook means: gathers their history in a fixed number of
queries, runs the engine, and shapes the figures the pages show."""

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Avg, Count, Sum
from django.utils.html import escape
from django.utils.safestring import mark_safe

from accounts.localtime import DAY_NAMES
from sessions.models import MassageSession, Technique
from streaks import engine
from streaks.models import RestDay

HEATMAP_WEEKS = 53
CELL = 11  # heatmap cell pitch in SVG units
CHART_WEEKS = 12
CHART_HEIGHT = 80
BAR_PITCH = 30
INSIGHT_DAYS = 90
LOW_COMFORT = 3


class Day(NamedTuple):
    """One practice day: how many sessions, minutes and comfort points."""

    date: dt.date
    sessions: int
    minutes: int
    comfort_sum: int


@dataclass
class History:
    today: dt.date
    days: dict[dt.date, Day]
    rest: dict[dt.date, tuple[str, int]]  # date -> (reason, rest day id)
    weekly_target: int
    stats: engine.Stats = field(init=False)

    def __post_init__(self):
        self.stats = engine.compute(
            self.days, self.rest, self.today, self.weekly_target
        )


def load_history(user, today=None):
    """Two queries: one row per practice day (aggregated in SQL), and the rest days."""
    today = today or user.today()
    rows = (
        MassageSession.objects.for_user(user)
        .values("local_date")
        .annotate(
            n=Count("id"), minutes=Sum("duration_minutes"), comfort_sum=Sum("comfort")
        )
        .order_by("local_date")
        .values_list("local_date", "n", "minutes", "comfort_sum")
    )
    days = {row[0]: Day._make(row) for row in rows}
    rest = {
        day: (reason, pk)
        for day, reason, pk in RestDay.objects.for_user(user).values_list(
            "date", "reason", "pk"
        )
    }
    return History(today=today, days=days, rest=rest, weekly_target=user.weekly_target)


def plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def percent(value):
    return "—" if value is None else f"{value}%"


def short_date(day, with_year=False):
    return f"{day.day} {day:%b}" + (f" {day.year}" if with_year else "")


def date_range(start, end):
    same_year = start.year == end.year
    if start == end:
        return short_date(start, with_year=True)
    first = short_date(start, with_year=not same_year)
    return f"{first} – {short_date(end, with_year=True)}"


def break_reason(stats):
    """Why the last streak ended, in plain words, or ''."""
    gap = stats.last_break
    if gap is None:
        return ""
    return (
        f"Ended {short_date(gap.ended_on)}: no session and no rest day on "
        f"{short_date(gap.gap_day)}"
    )


def today_status(history):
    stats = history.stats
    if stats.done_today:
        return "done", "Done today"
    if stats.rest_today:
        return "rest", "Rest day today: your streak is safe"
    if stats.current_streak:
        return "open", "Not yet today: your streak is safe until the day ends"
    return "open", "Not yet today: log a session to start a streak"


def figures(history):
    """The dashboard's term/value pairs, with an optional detail line each."""
    stats = history.stats
    longest = stats.longest
    target = history.weekly_target
    return [
        (
            "Current streak",
            plural(stats.current_streak, "day"),
            date_range(stats.current_run.start, stats.current_run.end)
            if stats.current_run
            else "",
        ),
        (
            "Longest streak",
            plural(longest.days if longest else 0, "day"),
            date_range(longest.start, longest.end) if longest else "",
        ),
        (
            "Weekly streak",
            plural(stats.weekly_streak, "week"),
            f"This week {stats.week_progress} of {target}",
        ),
        ("Consistency (30 days)", percent(stats.consistency[30]), ""),
        ("Habit strength", f"{stats.habit_strength}%", ""),
    ]


def heatmap(history, weeks=HEATMAP_WEEKS):
    """The last `weeks` weeks as SVG, one column a week (Monday at the top), each
    day a square shaded by minutes with its own text alternative.

    Built here rather than in a template: 371 cells through the template engine
    cost ~9 ms, the first dashboard view after every change pays it."""
    today = history.today
    first = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    reasons = dict(RestDay.Reason.choices)
    parts = []
    for week in range(weeks):
        x = week * CELL
        monday = first + dt.timedelta(weeks=week)
        if monday.day <= 7 and week < weeks - 2:
            parts.append(
                f'<text x="{x}" y="9" class="heatmap-month" aria-hidden="true">'
                f"{monday:%b}</text>"
            )
        for weekday in range(7):
            day = monday + dt.timedelta(days=weekday)
            if day > today:
                break
            practice = history.days.get(day)
            if practice:
                level, what = (
                    _level(practice.minutes),
                    plural(practice.minutes, "minute"),
                )
            elif day in history.rest:
                reason = reasons.get(history.rest[day][0])
                level, what = (
                    "rest",
                    "rest day" + (f" ({reason.lower()})" if reason else ""),
                )
            else:
                level, what = "0", "no session"
            label = escape(f"{day:%a} {short_date(day, True)}: {what}")
            parts.append(
                f'<rect x="{x}" y="{14 + weekday * CELL}" width="9" height="9" rx="2" '
                f'class="level-{level}" role="img" aria-label="{label}">'
                f"<title>{label}</title></rect>"
            )
    width, height = weeks * CELL, 14 + 7 * CELL
    return mark_safe(  # every interpolated text above is escaped
        f'<svg viewBox="0 0 {width} {height}" class="heatmap-grid" role="group" '
        f'aria-labelledby="heatmap-heading">{"".join(parts)}</svg>'
    )


def _level(minutes):
    if minutes <= 5:
        return "1"
    if minutes <= 10:
        return "2"
    if minutes <= 20:
        return "3"
    return "4"


def weekly_totals(history, weeks=CHART_WEEKS):
    """Sessions and minutes for each of the last `weeks` Monday-Sunday weeks."""
    monday = history.today - dt.timedelta(days=history.today.weekday())
    totals = []
    for back in range(weeks - 1, -1, -1):
        start = monday - dt.timedelta(weeks=back)
        days = [history.days.get(start + dt.timedelta(days=i)) for i in range(7)]
        totals.append(
            {
                "start": start,
                "sessions": sum(d.sessions for d in days if d),
                "minutes": sum(d.minutes for d in days if d),
                "comfort": _mean(
                    sum(d.comfort_sum for d in days if d),
                    sum(d.sessions for d in days if d),
                ),
            }
        )
    # Bar geometry for the server-rendered SVG chart (minutes per week).
    tallest = max(week["minutes"] for week in totals) or 1
    for i, week in enumerate(totals):
        height = round(CHART_HEIGHT * week["minutes"] / tallest)
        week.update(x=i * BAR_PITCH, y=12 + CHART_HEIGHT - height, height=height)
    return totals


def _mean(total, count):
    return round(total / count, 1) if count else None


def comfort_trend(weeks):
    """Recent comfort against the weeks before it, in words, or ''."""
    recent = [w["comfort"] for w in weeks[-4:] if w["comfort"] is not None]
    earlier = [w["comfort"] for w in weeks[:-4] if w["comfort"] is not None]
    if not recent or not earlier:
        return ""
    now, before = sum(recent) / len(recent), sum(earlier) / len(earlier)
    direction = (
        "rising"
        if now - before >= 0.3
        else "falling"
        if before - now >= 0.3
        else "steady"
    )
    return (
        f"Comfort is {direction}: {now:.1f} on average over the last 4 weeks, "
        f"{before:.1f} over the 8 weeks before."
    )


def by_weekday(history):
    counts = [0] * 7
    for day in history.days:
        counts[day.weekday()] += 1
    most = max(counts) or 1
    return [
        {
            "name": DAY_NAMES[i],
            "days": counts[i],
            "share": round(100 * counts[i] / most),
        }
        for i in range(7)
    ]


def comfort_insights(user, today):
    """Average comfort by technique and by pressure, last 90 days (two queries)."""
    since = today - dt.timedelta(days=INSIGHT_DAYS - 1)
    techniques = list(
        Technique.objects.filter(
            sessions__user=user,
            sessions__local_date__gte=since,
            sessions__local_date__lte=today,
        )
        .annotate(avg=Avg("sessions__comfort"), n=Count("sessions"))
        .order_by("-avg", "name")
    )
    pressures = list(
        MassageSession.objects.for_user(user)
        .filter(local_date__gte=since, local_date__lte=today)
        .exclude(pressure="")
        .values("pressure")
        .annotate(avg=Avg("comfort"), n=Count("id"))
        .order_by("-avg")
    )
    labels = dict(MassageSession.Pressure.choices)
    return {
        "techniques": [
            {"name": t.name, "avg": round(t.avg, 1), "n": t.n} for t in techniques
        ],
        "pressures": [
            {"name": labels[p["pressure"]], "avg": round(p["avg"], 1), "n": p["n"]}
            for p in pressures
        ],
        "uncomfortable": [t.name for t in techniques if t.avg < LOW_COMFORT],
    }


def streak_history(stats):
    """Runs of two days or more, longest first (most recent first among equals)."""
    runs = [run for run in stats.runs if run.days >= 2]
    runs.sort(key=lambda run: (run.days, run.end), reverse=True)
    return [
        {
            "days": plural(run.days, "day"),
            "dates": date_range(run.start, run.end),
        }
        for run in runs
    ]
