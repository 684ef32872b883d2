"""The streak figures in words and pictures: what the dashboard and the
statistics page show, from a ``history.History`` and the engine's ``Stats``."""

import datetime as dt
import math

from accounts import words
from accounts.words import DAY_NAMES, date_range, plural, short_date
from sessions import engine
from streaks import charts, history

LOW_COMFORT = 3  # an average below this suggests easing off


def percent(value):
    return "—" if value is None else f"{value}%"


def break_reason(stats):
    """Why the last streak ended, in plain words, or ''."""
    gap = stats.last_break
    if gap is None:
        return ""
    # The day that broke it, not the day after, when the break was noticed.
    day = gap.gap_day
    return f"Broken on {day:%a} {short_date(day)}: no session and no rest day"


def today_status(stats, paused=False):
    if stats.done_today:
        return "done", "Done today"
    # With no streak to keep, "your streak is safe" would be a puzzle.
    safe = "your streak is safe" if stats.current_streak else "nothing is due"
    if stats.rest_today and paused:
        return "paused", f"Paused today: {safe}, and no reminders come"
    if stats.rest_today:
        return "rest", f"Rest day today: {safe}"
    if stats.current_streak:
        return "open", "Not yet today: your streak is safe until the day ends"
    return "open", "Not yet today: log a session to start a streak"


def week_progress_text(progress, weekly_target):
    """This week's active days against the target; past the target it says so
    rather than "7 of 5"."""
    if progress > weekly_target:
        return (
            f"This week {progress} active days, past the target of {weekly_target} "
            "(practice or rest days)"
        )
    return (
        f"This week {progress} of {weekly_target} active days (practice or rest days)"
    )


def run_dates(run):
    """A streak's dates, and the rest or paused days it bridged (its length
    counts the days of practice, not those): "28 Nov – 7 Dec 2026 (1 day
    off)"."""
    if run is None:
        return ""
    off = (run.end - run.start).days + 1 - run.days
    dates = date_range(run.start, run.end)
    return f"{dates} ({plural(off, 'day')} off)" if off > 0 else dates


def figures(stats, weekly_target):
    """The dashboard's term/value pairs, with an optional detail line each."""
    longest = stats.longest
    return [
        (
            "Current streak",
            plural(stats.current_streak, "day"),
            run_dates(stats.current_run),
        ),
        (
            "Longest streak",
            plural(longest.days if longest else 0, "day"),
            run_dates(longest),
        ),
        (
            "Weekly streak",
            plural(stats.weekly_streak, "week"),
            week_progress_text(stats.week_progress, weekly_target),
        ),
        ("Consistency (30 days)", percent(stats.consistency[30]), ""),
        ("Habit strength", f"{stats.habit_strength}%", ""),
    ]


def next_slot_text(slot):
    """The dashboard's line about a ``schedule.NextSlot``, or '' without one."""
    if slot is None:
        return ""
    time = f"{slot.start:%H:%M}"
    if slot.state == "due":
        return f"Due now ({time})"
    if slot.state == "done":
        # "Done today" is the status line just above: said once.
        return f"Next session: {_slot_day(slot)} at {time}"
    return f"Next session: {_slot_day(slot)} at {time} ({_slot_in(slot)})"


def _slot_day(slot):
    """Today, tomorrow (in practice days, like the rest of the app), else the
    weekday the clock shows; "next Monday" a week ahead."""
    ahead = (slot.day - slot.today).days
    if ahead <= 0:
        return "today"
    if ahead == 1:
        return "tomorrow"
    name = DAY_NAMES[slot.start.weekday()]
    return f"next {name}" if ahead >= 7 else name


def _slot_in(slot):
    """Time to the start: "in 2 h 10 min" under a day (whole minutes, rounded
    up), else "in 2 days"."""
    # Aware datetimes sharing a zone subtract by wall clock: count real time.
    wait = slot.start.astimezone(dt.UTC) - slot.now.astimezone(dt.UTC)
    minutes = max(0, math.ceil(wait.total_seconds() / 60))
    if minutes < 24 * 60:
        hours, minutes = divmod(minutes, 60)
        if not hours:
            return f"in {minutes} min"
        return f"in {hours} h {minutes} min" if minutes else f"in {hours} h"
    days = max(1, (slot.day - slot.today).days)
    return f"in {plural(days, 'day')}"


def consistency(stats):
    return [
        (window, percent(stats.consistency[window]))
        for window in engine.CONSISTENCY_WINDOWS
    ]


def comfort_trend(days, today):
    """Comfort over the last 4 weeks against the 8 weeks before, in words, or ''."""
    weeks = [avg for _, avg, _ in charts.comfort_by_week(days, today, weeks=12)]
    recent = [avg for avg in weeks[-4:] if avg is not None]
    earlier = [avg for avg in weeks[:-4] if avg is not None]
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


def comfort_insights(techniques, pressures):
    """`history.recent_comfort`'s rows as the statistics page shows them."""
    return {
        "techniques": [
            {"name": name, "avg": round(avg, 1), "n": n} for name, avg, n in techniques
        ],
        "pressures": [
            {"name": history.PRESSURES[pressure], "avg": round(avg, 1), "n": n}
            for pressure, avg, n in pressures
        ],
        "uncomfortable": words.listed(
            name for name, avg, _ in techniques if avg < LOW_COMFORT
        ),
        "low_comfort": LOW_COMFORT,
        "days": history.INSIGHT_DAYS,
    }
