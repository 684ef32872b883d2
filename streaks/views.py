import datetime as dt
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from accounts import schedule
from sessions import as_usual, listing
from sessions.forms import new_session_form
from sessions.models import MassageSession
from streaks import charts, history, insights, pictures, presentation

RECENT_SESSIONS = 5


def home(request):
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    return dashboard(request)


def dashboard(request):
    user = request.user
    today = user.today()
    days = history.recent(user, today)
    stats = days.stats
    recent = listing.session_rows(
        MassageSession.objects.for_user(user)
        .newest_first()
        .rows(*listing.RECORDED)[:RECENT_SESSIONS],
        user.timezone,
    )
    status, status_text = presentation.today_status(stats, today in days.paused)
    years = pictures.year_links(days.first_practice, user.date_joined, today)
    first = pictures.heatmap_start(today)
    rest = history.rest_days(user, first, today)
    context = {
        "log_form": new_session_form(
            user, last_techniques=recent[0]["offered_ids"] if recent else None
        ),
        # Once today is done, progress comes first and the form folds away.
        "done_today": stats.done_today,
        # "Done as usual": like the last session, once there is one.
        "usual": recent[0] if recent and not stats.done_today else None,
        "usual_techniques": as_usual.technique_names(recent[0]) if recent else "",
        "usual_minutes": as_usual.minutes(recent[0]["minutes"]) if recent else 0,
        "usual_token": uuid.uuid4(),
        "undo": undo_offer(request),
        "status": status,
        "status_text": status_text,
        "figures": presentation.figures(stats, days.weekly_target),
        "break_reason": ""
        if stats.current_streak
        else presentation.break_reason(stats),
        "rest_today_id": rest.get(today, (None, None))[1],
        "history_today": today,
        "heatmap": pictures.heatmap(
            days.days,
            rest,
            first,
            today,
            "Your year",
            years,
            today=today,
            paused=days.paused,
        ),
        "recent": recent,
        "next_slot": presentation.next_slot_text(
            schedule.next_slot(
                user.preferred_slots(),
                user.local_now(),
                user.day_start_hour,
                settled=stats.done_today or stats.rest_today,
                days_off=history.days_off_ahead(user, today),
            )
        ),
    }
    return render(request, "streaks/dashboard.html", context)


def undo_offer(request):
    """The session just logged "as usual", while it can still be undone (kept
    in the login session by sessions.views.session_as_usual): its id and the
    whole seconds left to undo it, or None."""
    offer = request.session.get(as_usual.UNDO_KEY)
    if not isinstance(offer, dict):
        return None
    left = int(offer.get("until", 0) - timezone.now().timestamp())
    return {"pk": offer.get("pk"), "seconds": left} if left > 0 else None


@login_required
def statistics(request):
    user = request.user
    today = user.today()
    span = request.GET.get("span")
    if span not in charts.SPANS:
        span = "week"
    days = history.recent(user, today)
    stats = days.stats
    first = days.first_practice
    strengths = {}
    if first is not None and stats.anchor >= first:
        # Stored days, and the empty days since the last of them.
        strengths = history.strengths_on(
            user, charts.strength_days(first, stats.anchor)
        )
        strengths.update((day.date, day.strength) for day in days.figures)
    # Every year's minutes only for their chart: the other spans need a year.
    years = history.years(user, today) if span == "year" else ()
    sessions, minutes, run_count = history.totals(user, today)
    runs = history.best_runs(user, today)
    insights = presentation.comfort_insights(*history.recent_comfort(user, today))
    context = {
        "today": today,
        "weekly_target": days.weekly_target,
        "figures": presentation.figures(stats, days.weekly_target),
        "consistency": presentation.consistency(stats),
        "break_reason": presentation.break_reason(stats),
        "current_streak": stats.current_streak,
        "comfort_trend": presentation.comfort_trend(days.days, today),
        "insights": insights,
        "total_sessions": sessions,
        "total_minutes": minutes,
        "pictures": pictures.statistics(
            days,
            span=span,
            years=years,
            strengths=strengths,
            runs=runs,
            run_count=run_count,
            first_practice=first,
            insights=insights,
        ),
    }
    return render(request, "streaks/stats.html", context)


@login_required
def when(request):
    """When the user practises: weekday and hour, keeping their preferred
    times, and practice by weekday."""
    user = request.user
    today = user.today()
    days = history.recent(user, today)
    slots = user.preferred_slots()
    starts = history.session_starts(user, today)
    context = {
        "on_time": _on_time(slots, starts, today, user.tzinfo),
        "pictures": pictures.when(days, starts=starts, slots=slots),
        "first_practice": days.first_practice,
    }
    return render(request, "streaks/when.html", context)


def _on_time(slots, starts, today, tz):
    """Share of the last 90 days' sessions that kept a preferred time."""
    if not slots:
        return None
    since = today - dt.timedelta(days=history.INSIGHT_DAYS)
    recent = [start for day, start in starts if day > since]
    rate, best, counts = schedule.on_time_rate(recent, slots, tz)
    return {"rate": presentation.percent(rate), "best": best, "counts": counts}


@login_required
def year(request, year):
    """One calendar year of days, each a link to that day's sessions."""
    user = request.user
    today = user.today()
    last = history.figures(user, today, count=1)
    began = last[0].first_practice if last else None
    years = pictures.year_links(began, user.date_joined, today)
    if year not in years:
        raise Http404("Nothing logged that year.")
    days, rest, paused = history.year(user, year, today)
    context = pictures.year_page(days, rest, year, today, years, paused)
    context["first_practice"] = began
    return render(request, "streaks/year.html", context)


@login_required
def what_works(request):
    """What works for me: comfort and pain change by technique, zone, pressure,
    foot and time of day, ranked, and pain per foot over the last 12 weeks."""
    user = request.user
    groups, everything = history.insight_groups(user)
    sections, by = insights.what_works(groups, everything)
    today = user.today()
    ratings = history.pain_ratings(user, insights.trend_start(today))
    context = {
        "sections": [
            {
                "key": key,
                "title": section["title"],
                "ranked": [_group_row(g) for g in section["ranked"]],
                "unranked": [_group_row(g) for g in section["unranked"]],
            }
            for key, section in sections.items()
        ],
        "by_pain": by == insights.PAIN,
        "min_sessions": insights.MIN_SESSIONS,
        "has_sessions": bool(everything.sessions),
        "trend": charts.pain_trend_chart(*insights.pain_by_week(ratings, today)),
        "trend_weeks": insights.TREND_WEEKS,
    }
    return render(request, "streaks/what_works.html", context)


def _group_row(group):
    comfort, change = group.comfort, group.change
    return {
        "rank": group.rank,
        "label": group.label,
        "sessions": group.sessions,
        "comfort": None if comfort is None else f"{float(comfort):.1f}",
        "rated": group.rated,
        "change": None if change is None else f"{float(change):+.1f}",
        "changed": group.changed,
    }
