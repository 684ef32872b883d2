import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts import schedule
from sessions.forms import SessionForm, default_techniques, new_session_initial
from sessions.models import MassageSession
from streaks import cache, stats
from streaks.forms import RestDayForm
from streaks.models import RestDay

RECENT_SESSIONS = 5


def home(request):
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    return dashboard(request)


def dashboard(request):
    user = request.user
    today = user.today()
    summary = cache.get_or_build(
        user, today, "dashboard", lambda: _dashboard_summary(user, today)
    )
    context = {
        "log_form": _fill_log_form(request, summary["log_form"]),
        "summary": summary,
        "history_today": today,
        # Minute by minute, so never cached; one query for the user's slots.
        "next_slot": schedule.next_slot(
            user.preferred_slots(),
            user.local_now(),
            user.day_start_hour,
            done_today=summary["card"]["status"] == "done",
        ),
        **summary["card"],
    }
    return render(request, "streaks/dashboard.html", context)


# The log form is the costliest part of the dashboard to render, and only these
# four values in it change from one request to the next: the form is cached with
# placeholders and they are filled in per request.
HOLES = {
    # Unguessable, so no text a user typed (a technique's name) can match one.
    name: f"@@{salted_hmac('log-form-hole', name).hexdigest()[:20]}@@"
    for name in ("csrf", "token", "date", "time")
}


def _render_log_form(user, techniques):
    initial = new_session_initial(
        user, HOLES["date"], HOLES["time"], techniques=techniques, token=HOLES["token"]
    )
    context = {
        "form": SessionForm(user=user, initial=initial),
        "action": reverse("sessions:new"),
        "submit": "Save session",
        "csrf_token": HOLES["csrf"],
    }
    return render_to_string("sessions/log_form.html", context)


def _fill_log_form(request, html):
    now = request.user.local_now()
    for hole, value in (
        ("csrf", get_token(request)),
        ("token", str(uuid.uuid4())),
        ("date", now.date().isoformat()),
        ("time", now.strftime("%H:%M")),
    ):
        html = html.replace(HOLES[hole], value)
    return mark_safe(html)  # our own template's output, with plain ASCII values


def _dashboard_summary(user, today):
    """Everything on the dashboard that derives from the history (four queries)."""
    history = stats.load_history(user, today)
    recent = list(
        MassageSession.objects.for_user(user)
        .order_by("-started_at")
        .prefetch_related("techniques")[:RECENT_SESSIONS]
    )
    status, status_text = stats.today_status(history)
    card = {
        "status": status,
        "status_text": status_text,
        "figures": stats.figures(history),
        "break_reason": (
            "" if history.stats.current_streak else stats.break_reason(history.stats)
        ),
        "rest_today_id": history.rest.get(today, (None, None))[1],
    }
    return {
        "card": card,
        "log_form": _render_log_form(
            user, default_techniques(user, recent[0] if recent else None)
        ),
        "heatmap": render_to_string(
            "streaks/heatmap.html", {"heatmap": stats.heatmap(history)}
        ),
        "recent": render_to_string(
            "streaks/recent_sessions.html", {"recent": recent, "user": user}
        ),
    }


@login_required
def statistics(request):
    user = request.user
    today = user.today()
    data, body = cache.get_or_build(
        user, today, "stats", lambda: _statistics(user, today)
    )
    return render(request, "streaks/stats.html", {"body": body, **data})


def _statistics(user, today):
    history = stats.load_history(user, today)
    weeks = stats.weekly_totals(history)
    data = {
        "today": today,
        "weekly_target": history.weekly_target,
        "figures": stats.figures(history),
        "consistency": [
            (window, stats.percent(history.stats.consistency[window]))
            for window in (7, 30, 365)
        ],
        "runs": stats.streak_history(history.stats),
        "break_reason": stats.break_reason(history.stats),
        "current_streak": history.stats.current_streak,
        "weeks": weeks,
        "chart": {
            "width": len(weeks) * stats.BAR_PITCH,
            "height": stats.CHART_HEIGHT + 26,
        },
        "weekdays": stats.by_weekday(history),
        "comfort_trend": stats.comfort_trend(weeks),
        "insights": stats.comfort_insights(user, today),
        "on_time": _on_time(user, today),
        "total_sessions": sum(day.sessions for day in history.days.values()),
        "total_minutes": sum(day.minutes for day in history.days.values()),
    }
    body = render_to_string("streaks/stats_body.html", {**data, "user": user})
    return data, body


def _on_time(user, today):
    """Share of the last 90 days' sessions that kept a preferred time (two queries)."""
    slots = user.preferred_slots()
    if not slots:
        return None
    starts = (
        MassageSession.objects.for_user(user)
        .filter(local_date__gt=today - dt.timedelta(days=stats.INSIGHT_DAYS))
        .values_list("started_at", flat=True)
    )
    rate, best, counts = schedule.on_time_rate(starts, slots, user.tzinfo)
    return {"rate": stats.percent(rate), "best": best, "counts": counts}


@login_required
def rest_days(request):
    user = request.user
    form = RestDayForm(request.POST or None, user=user, initial={"date": user.today()})
    if form.is_valid():
        try:
            with transaction.atomic():
                rest_day = form.save()
        except IntegrityError:
            # A double tap: the first request already marked it.
            messages.info(request, "That day is already a rest day.")
        else:
            messages.success(
                request,
                f"{rest_day.date:%A %-d %B} is a rest day: "
                "it keeps your streak going without counting as practice.",
            )
        return redirect(_back(request))
    today = user.today()
    days = list(RestDay.objects.for_user(user))
    context = {
        "form": form,
        "lists": [
            (
                "Today and ahead",
                sorted((d for d in days if d.date >= today), key=lambda d: d.date),
            ),
            ("Past", [d for d in days if d.date < today]),
        ],
    }
    return render(request, "streaks/rest_days.html", context)


@login_required
@require_POST
def rest_day_delete(request, pk):
    rest_day = get_object_or_404(RestDay, pk=pk, user=request.user)
    rest_day.delete()
    messages.success(request, f"{rest_day.date:%-d %B %Y} is no longer a rest day.")
    return redirect(_back(request))


def _back(request):
    """Rest-day forms live on the dashboard and on their own page: go back there."""
    return "home" if request.POST.get("next") == "dashboard" else "streaks:rest_days"
