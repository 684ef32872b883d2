import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_POST

from accounts import schedule
from sessions import listing
from sessions.forms import (
    SessionForm,
    SessionStartForm,
    default_techniques,
    new_session_initial,
)
from sessions.models import MassageSession
from streaks import cache, charts, history, pictures, presentation
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
        "log_form": _log_form(user),
        "summary": summary,
        "history_today": today,
        # Minute by minute, so never cached; one query for the user's slots.
        "next_slot": presentation.next_slot_text(
            schedule.next_slot(
                user.preferred_slots(),
                user.local_now(),
                user.day_start_hour,
                done_today=summary["card"]["status"] == "done",
            )
        ),
        **summary["card"],
    }
    return render(request, "streaks/dashboard.html", context)


def _log_form(user):
    """This request's log form: a fresh token and the time now. The rest of it
    (duration, techniques, comfort ...) comes rendered from the cached summary."""
    now = user.local_now()
    initial = {"date": now.date(), "start_time": now.time().replace(second=0)}
    return SessionStartForm(initial=initial)


def _dashboard_summary(user, today):
    """What the dashboard derives from the history, partly as rendered
    fragments: cached per data version (see cache.py). Five queries, and one
    more when the log form's parts are not cached."""
    loaded = history.load(user, today)
    stats = loaded.streaks()
    recent = listing.session_rows(
        MassageSession.objects.for_user(user).newest_first().rows()[:RECENT_SESSIONS],
        user.timezone,
    )
    status, status_text = presentation.today_status(stats)
    card = {
        "status": status,
        "status_text": status_text,
        "figures": presentation.figures(stats, loaded.weekly_target),
        "break_reason": (
            "" if stats.current_streak else presentation.break_reason(stats)
        ),
        "rest_today_id": loaded.rest.get(today, (None, None))[1],
    }
    last_ids = recent[0]["technique_ids"] if recent else None
    ticked = default_techniques(user, last_ids=last_ids)
    return {
        "card": card,
        "log_form": _log_form_parts(user, ticked),
        "heatmap": render_to_string(
            "streaks/heatmap.html", pictures.recent_heatmap(loaded, user.date_joined)
        ),
        "recent": render_to_string("streaks/recent_sessions.html", {"recent": recent}),
    }


def _log_form_parts(user, ticked):
    """The log form's comfort buttons (first on the form) and the details that
    fold under "More details", rendered (one query). They change only with the
    techniques offered and ticked, so they are cached by those rather than by
    the data version: logging a session like the last one keeps them."""
    initial = new_session_initial(user, None, None, ticked)
    form = SessionForm(user=user, initial=initial)
    techniques = form.fields["techniques"]
    offered = list(techniques.queryset.values_list("pk", "name"))
    techniques.choices = offered  # rendered from the very rows in the key
    return cache.get_or_build_by_content(
        user,
        "log-form",
        (offered, sorted(initial.items())),
        lambda: {
            "comfort": render_to_string(
                "sessions/log_form_comfort.html", {"form": form}
            ),
            "details": render_to_string(
                "sessions/log_form_details.html", {"form": form}
            ),
        },
    )


@login_required
def statistics(request):
    user = request.user
    today = user.today()
    span = request.GET.get("span")
    if span not in charts.SPANS:
        span = "week"
    body = cache.get_or_build(
        user,
        today,
        f"stats-{span}",
        lambda: render_to_string(
            "streaks/stats_body.html", _statistics(user, today, span)
        ),
    )
    return render(request, "streaks/stats.html", {"body": body})


def _statistics(user, today, span="week"):
    """The statistics page's figures (six queries)."""
    loaded = history.load(user, today)
    stats = loaded.streaks()
    weeks = presentation.weekly_totals(loaded)
    insights = presentation.comfort_insights(*history.recent_comfort(user, today))
    slots = user.preferred_slots()
    starts = history.session_starts(user, today)
    return {
        "user": user,
        "today": today,
        "weekly_target": loaded.weekly_target,
        "figures": presentation.figures(stats, loaded.weekly_target),
        "consistency": presentation.consistency(stats),
        "break_reason": presentation.break_reason(stats),
        "current_streak": stats.current_streak,
        "weeks": weeks,
        "comfort_trend": presentation.comfort_trend(weeks),
        "insights": insights,
        "on_time": _on_time(slots, starts, today, user.tzinfo),
        "total_sessions": sum(day.sessions for day in loaded.days.values()),
        "total_minutes": sum(day.minutes for day in loaded.days.values()),
        "pictures": pictures.statistics(
            loaded, stats, insights=insights, span=span, starts=starts, slots=slots
        ),
    }


def _on_time(slots, starts, today, tz):
    """Share of the last 90 days' sessions that kept a preferred time."""
    if not slots:
        return None
    since = today - dt.timedelta(days=history.INSIGHT_DAYS)
    recent = [started_at for day, started_at, _ in starts if day > since]
    rate, best, counts = schedule.on_time_rate(recent, slots, tz)
    return {"rate": presentation.percent(rate), "best": best, "counts": counts}


PAST_SHOWN = 30


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
                f"{date_format(rest_day.date, 'l j F')} is a rest day: "
                "it keeps your streak going without counting as practice.",
            )
        return redirect(_back(request))
    today = user.today()
    mine = RestDay.objects.for_user(user)
    # Years of holidays make hundreds of past rows, each with a form: the latest
    # PAST_SHOWN unless all are asked for. A fixed number of queries either way.
    past = mine.filter(date__lt=today).order_by("-date")
    show_all = request.GET.get("all") == "1"
    past_rows = list(past if show_all else past[: PAST_SHOWN + 1])
    past_hidden = 0
    if len(past_rows) > PAST_SHOWN and not show_all:
        past_rows = past_rows[:PAST_SHOWN]
        past_hidden = past.count() - PAST_SHOWN
    context = {
        "form": form,
        "lists": [
            ("Today and ahead", list(mine.filter(date__gte=today).order_by("date"))),
            ("Past", past_rows),
        ],
        "past_hidden": past_hidden,
        "past_total": past_hidden + len(past_rows),
    }
    return render(request, "streaks/rest_days.html", context)


@login_required
@require_POST
def rest_day_delete(request, pk):
    rest_day = get_object_or_404(RestDay, pk=pk, user=request.user)
    rest_day.delete()
    messages.success(
        request, f"{date_format(rest_day.date, 'j F Y')} is no longer a rest day."
    )
    return redirect(_back(request))


def _back(request):
    """Rest-day forms live on the dashboard and on their own page: go back there."""
    return "home" if request.POST.get("next") == "dashboard" else "streaks:rest_days"


@login_required
def year(request, year):
    """One calendar year of days, each a link to that day's sessions."""
    user = request.user
    today = user.today()
    if not 1 <= year <= today.year:
        raise Http404("No such year.")
    data = cache.get_or_build(
        user,
        today,
        f"year-{year}",
        lambda: pictures.year_page(history.load(user, today), year, user.date_joined),
    )
    if year not in data["year_links"]:
        raise Http404("Nothing logged that year.")
    return render(request, "streaks/year.html", data)
