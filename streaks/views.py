from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sessions.models import MassageSession
from sessions.views import new_session_form
from streaks import stats
from streaks.forms import RestDayForm
from streaks.models import RestDay

RECENT_SESSIONS = 5


def home(request):
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    return dashboard(request)


def dashboard(request):
    user = request.user
    history = stats.load_history(user)
    recent = list(
        MassageSession.objects.for_user(user)
        .order_by("-started_at")
        .prefetch_related("techniques")[:RECENT_SESSIONS]
    )
    status, status_text = stats.today_status(history)
    context = {
        "form": new_session_form(user, last_session=recent[0] if recent else None),
        "recent": recent,
        "history": history,
        "status": status,
        "status_text": status_text,
        "figures": stats.figures(history),
        "break_reason": stats.break_reason(history.stats),
        "heatmap": stats.heatmap(history),
        "rest_today_id": history.rest.get(history.today, (None, None))[1],
    }
    return render(request, "streaks/dashboard.html", context)


@login_required
def statistics(request):
    user = request.user
    history = stats.load_history(user)
    weeks = stats.weekly_totals(history)
    context = {
        "history": history,
        "figures": stats.figures(history),
        "consistency": [
            (window, stats.percent(history.stats.consistency[window]))
            for window in (7, 30, 365)
        ],
        "runs": stats.streak_history(history.stats),
        "break_reason": stats.break_reason(history.stats),
        "weeks": weeks,
        "chart": {
            "width": len(weeks) * stats.BAR_PITCH,
            "height": stats.CHART_HEIGHT + 26,
        },
        "weekdays": stats.by_weekday(history),
        "insights": stats.comfort_insights(user, history.today),
        "total_sessions": sum(day.sessions for day in history.days.values()),
        "total_minutes": sum(day.minutes for day in history.days.values()),
    }
    return render(request, "streaks/stats.html", context)


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
