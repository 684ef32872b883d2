"""The streak figures the API answers with: those the dashboard shows, read
from the stored days (streaks.history)."""

from accounts import schedule
from sessions import engine
from streaks import history, presentation


def current_streak(user, today) -> int:
    """The current streak (what logging a session answers with), in one query:
    it follows from the last week's stored days alone, so the year of practice
    and rest days the other figures need is not read (engine.stats' other
    figures come out wrong without them, and are not used)."""
    recent = history.figures(user, today)
    return engine.stats(recent, (), (), today, user.weekly_target).current_streak


def run(value):
    if value is None:
        return None
    return {"days": value.days, "start": value.start, "end": value.end}


def summary(user):
    """What GET /api/v1/summary answers (api.schemas.Summary)."""
    today = user.today()
    recent = history.recent(user, today)
    stats = recent.stats
    # As the dashboard says them (streaks.views.dashboard).
    status, status_text = presentation.today_status(stats, today in recent.paused)
    slot = schedule.next_slot(
        user.preferred_slots(),
        user.local_now(),
        user.day_start_hour,
        settled=stats.done_today or stats.rest_today,
        days_off=history.days_off_ahead(user, today),
    )
    return {
        "today": today,
        "status": status,
        "status_text": status_text,
        "current_streak": stats.current_streak,
        "current_run": run(stats.current_run),
        "longest_streak": stats.longest.days if stats.longest else 0,
        "longest_run": run(stats.longest),
        "weekly_streak": stats.weekly_streak,
        "week_progress": stats.week_progress,
        "weekly_target": user.weekly_target,
        "consistency": {str(days): value for days, value in stats.consistency.items()},
        "habit_strength": stats.habit_strength,
        "next_preferred_time": None
        if slot is None
        else {
            "label": slot.label,
            "start": slot.start,
            "state": slot.state,
            "text": presentation.next_slot_text(slot),
        },
    }
