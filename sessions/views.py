import datetime as dt
import json
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import words
from accounts.forms import WeeklyTargetForm
from accounts.redirects import back_to
from sessions import as_usual, days, guide, listing
from sessions.forms import (
    EACH_FOOT,
    EARLIEST_DATE,
    PAIN_CHOICES,
    PAIN_HELP,
    GuidePreferenceForm,
    PauseForm,
    RestDayForm,
    SessionFilterForm,
    SessionForm,
    TechniqueForm,
    new_session_form,
)
from sessions.models import (
    MassageSession,
    Pause,
    RestDay,
    SessionDeleted,
    Technique,
)

PAGE_SIZE = 25
PAST_REST_DAYS_SHOWN = 30


def _say_if_it_was_a_rest_day(request, session):
    """A session on a day marked as rest makes it a practice day: say so."""
    day = session.local_date
    if RestDay.objects.for_user(session.user).filter(date=day).exists():
        was = "was a rest day"
    elif Pause.objects.for_user(session.user).overlapping(day, day).exists():
        was = "was in a pause"
    else:
        return
    messages.info(
        request,
        f"{words.full_date(day, year=False)} {was}: with this session it is now "
        "a practice day.",
    )


@login_required
def session_new(request):
    form = new_session_form(request.user, request.POST or None, request.GET)
    if form.is_valid():
        token = form.cleaned_data["token"]
        try:
            existing = MassageSession.objects.sent_with(request.user, token)
        except SessionDeleted:
            messages.info(
                request,
                "This session was not saved: it was saved before and you deleted "
                "it since. To log it again, fill in the form once more.",
            )
            return redirect("home")
        if existing is None:
            try:
                session = form.save()
            except IntegrityError:
                # The same form arrived twice at once; the other request saved it.
                mine = MassageSession.objects.for_user(request.user)
                existing = mine.filter(submission_token=token).first()
                if existing is None:
                    raise
            else:
                saved = "Saved" if session.comfort else "Saved unrated"
                minutes = form.cleaned_data["duration_minutes"]
                messages.success(
                    request,
                    f"{saved}: {words.plural(minutes, 'minute')}, counted for "
                    f"{words.full_date(session.local_date)}"
                    + (", left and right foot apart." if form.each_foot else "."),
                )
                if form.note:
                    messages.info(request, form.note)
                _say_if_it_was_a_rest_day(request, session)
                return redirect(_after_saving(request, session))
        messages.info(
            request,
            "That session was already saved for "
            f"{words.full_date(existing.local_date)}.",
        )
        return redirect(_after_saving(request, existing))
    felt = form["felt"].value()
    context = {
        "form": form,
        "guided": felt in guide.CHECK_IN,
        "hurt": felt == "hurt",
    }
    return render(request, "sessions/session_form.html", context)


def _after_saving(request, session):
    """The dashboard, or with "Save and log the day before" the log form again
    for the day before `session`'s, with its time, minutes and techniques."""
    if request.POST.get("then") != "day_before":
        return reverse("home")
    day_before = session.local_date - dt.timedelta(days=1)
    query = [("day", day_before.isoformat()), ("minutes", session.duration_minutes)]
    start = session.local_start
    if start is not None:
        query.append(("start", f"{start:%H:%M}"))
    query += [
        ("techniques", pk) for pk in session.techniques.values_list("pk", flat=True)
    ]
    messages.info(request, f"Now {words.full_date(day_before)}:")
    return f"{reverse('sessions:new')}?{urlencode(query)}"


@login_required
@require_POST
def session_as_usual(request):
    """ "Done as usual" on the dashboard: today's session like the last one, saved
    at once (sessions.as_usual), then an Undo for a minute."""
    try:
        token = uuid.UUID(request.POST.get("token", "")[:64])
    except ValueError:
        messages.error(request, "That form was out of date: nothing was saved.")
        return redirect("home")
    result = as_usual.log_as_usual(request.user, token)
    session = result.session
    if result.state == as_usual.DELETED:
        messages.info(request, "That session was undone, so nothing was saved again.")
        return redirect("home")
    if result.state == as_usual.DAY_DONE:
        messages.info(request, "Today already has a session: nothing was added.")
    elif result.state == as_usual.REPLAYED:
        messages.info(
            request,
            "That session was already saved for "
            f"{words.full_date(session.local_date)}.",
        )
    else:
        messages.success(
            request,
            f"Done as usual: {words.plural(session.duration_minutes, 'minute')}, "
            "counted for "
            f"{words.full_date(session.local_date)}.",
        )
        request.session[as_usual.UNDO_KEY] = {
            "pk": session.pk,
            "until": as_usual.undo_until(session).timestamp(),
        }
    return redirect("home")


@login_required
@require_POST
def session_undo(request, pk):
    """Take back a session logged under a minute ago (the dashboard's Undo)."""
    session = get_object_or_404(MassageSession, pk=pk, user=request.user)
    request.session.pop(as_usual.UNDO_KEY, None)
    if as_usual.undo(request.user, session, timezone.now()):
        messages.success(
            request,
            f"Undone: the session of {words.full_date(session.local_date)} is gone.",
        )
    else:
        messages.error(
            request,
            "Too late to undo: it is over a minute old. You can delete it from the "
            "sessions list.",
        )
    return redirect("home")


@login_required
def session_edit(request, pk):
    session = get_object_or_404(MassageSession, pk=pk, user=request.user)
    # The list page the user came from (`next`), to go back to.
    back = back_to(request, "sessions:list")
    form = SessionForm(
        request.POST or None, instance=session, user=request.user, tz=session.tzinfo
    )
    if form.is_valid():
        if form.save() is None:
            messages.error(
                request, "That session was deleted meanwhile, so nothing was saved."
            )
            return redirect("sessions:list")
        messages.success(
            request,
            f"Session updated: it counts for {words.full_date(session.local_date)}.",
        )
        if form.note:
            messages.info(request, form.note)
        _say_if_it_was_a_rest_day(request, session)
        return redirect(back)
    context = {"form": form, "session": session, "next": back}
    return render(request, "sessions/session_form.html", context)


@login_required
def session_delete(request, pk):
    session = get_object_or_404(MassageSession, pk=pk, user=request.user)
    back = back_to(request, "sessions:list")
    if request.method == "POST":
        MassageSession.objects.remove(request.user, pk)
        messages.success(
            request, f"Session of {words.full_date(session.local_date)} deleted."
        )
        return redirect(back)
    context = {"session": session, "next": back}
    return render(request, "sessions/session_confirm_delete.html", context)


@login_required
def session_list(request):
    """The logbook, newest first: one day (?date=), a month (?month=) or all of
    it, optionally for one technique, 25 to a page."""
    filters = SessionFilterForm(request.GET or None, user=request.user)
    sessions = MassageSession.objects.for_user(request.user).newest_first()
    cleaned = {}
    if filters.is_bound:
        filters.is_valid()  # each valid filter applies; an invalid one shows its error
        cleaned = filters.cleaned_data
    technique = cleaned.get("technique")
    if technique:
        sessions = sessions.filter(techniques=technique)
    day, month = cleaned.get("date"), cleaned.get("month")
    context = {"filters": filters, "technique": technique}
    # A month picked in the filter form wins over the day it was sent from.
    if month:
        context["month"] = _month_links(month, request.GET, request.user.today())
        # A range, not __year/__month, so the (user, local_date) index serves it.
        sessions = sessions.filter(
            local_date__gte=month, local_date__lt=context["month"]["next_date"]
        )
    elif day:
        sessions = sessions.filter(local_date=day)
        context["day"] = _day_summary(request.user, day, sessions)
    page = Paginator(sessions.rows(*listing.RECORDED), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        page=page,
        rows=listing.session_rows(page.object_list, request.user.timezone),
        pager=listing.pager(page, query.urlencode()),
        query=query.urlencode(),
    )
    return render(request, "sessions/session_list.html", context)


def _day_summary(user, day, sessions):
    """The day's totals, whether it is a rest day or in a pause, and links to
    the days around it (three queries)."""
    totals = sessions.aggregate(n=Count("id"), minutes=Sum("duration_minutes"))
    rest_day = RestDay.objects.for_user(user).filter(date=day).first()
    pause = Pause.objects.for_user(user).overlapping(day, day).first()
    one = dt.timedelta(days=1)
    return {
        "date": day,
        "sessions": totals["n"],
        "minutes": totals["minutes"] or 0,
        "rest_day": rest_day,
        "pause": pause,
        "previous": (day - one).isoformat() if day > EARLIEST_DATE else None,
        "next": (day + one).isoformat() if day < user.today() else None,
        # A day still ahead offers no "Log one": a session is logged once it
        # has started.
        "can_log": day <= user.today(),
    }


def _month_links(month, params, today):
    """The month shown, and the query strings of the months before and after
    it (none after the month of `today`: no session can be there yet)."""
    before = (month - dt.timedelta(days=1)).replace(day=1)
    after = (month + dt.timedelta(days=31)).replace(day=1)

    def query(other):
        copy = params.copy()
        copy.pop("page", None)
        copy.pop("date", None)
        copy["month"] = f"{other:%Y-%m}"
        return copy.urlencode()

    return {
        "date": month,
        "previous": query(before) if before >= EARLIEST_DATE else None,
        "previous_date": before,
        "next": query(after) if after <= today else None,
        "next_date": after,
    }


def _to_own_techniques():
    """After a change to the user's own techniques: that section of the page,
    which says what changed (its messages are tagged "own")."""
    return redirect(reverse("sessions:techniques") + "#own")


@login_required
def technique_list(request):
    form = TechniqueForm(request.POST or None, user=request.user)
    if form.is_valid():
        try:
            with transaction.atomic():
                technique = form.save()
        except IntegrityError:  # the same name, added a moment ago in another tab
            form.add_error("name", "You already have a technique with this name.")
        else:
            messages.success(
                request,
                f"Added “{technique.name}” to your techniques.",
                extra_tags="own",
            )
            return _to_own_techniques()
    available = Technique.objects.available_to(request.user)
    context = {
        "builtin": [t for t in available if t.is_builtin],
        "own": [t for t in available if not t.is_builtin],
        "form": form,
    }
    return render(request, "sessions/technique_list.html", context)


@login_required
def technique_rename(request, pk):
    technique = get_object_or_404(Technique, pk=pk, user=request.user)
    form = TechniqueForm(request.POST or None, instance=technique, user=request.user)
    if form.is_valid():
        try:
            with transaction.atomic():
                # Named fields: an UPDATE, never the INSERT that a plain save()
                # makes of a row deleted meanwhile.
                form.instance.save(update_fields=["name", "how_to"])
        except IntegrityError:  # the same name, given a moment ago in another tab
            form.add_error("name", "You already have a technique with this name.")
        except DatabaseError:  # no row was updated: it is gone
            messages.error(
                request, "That technique no longer exists.", extra_tags="own"
            )
            return _to_own_techniques()
        else:
            messages.success(request, f"Saved “{technique.name}”.", extra_tags="own")
            return _to_own_techniques()
    return render(
        request, "sessions/technique_form.html", {"form": form, "technique": technique}
    )


@login_required
@require_POST
def technique_archive(request, pk):
    technique = get_object_or_404(Technique, pk=pk, user=request.user)
    # The state asked for, not a toggle: a double tap must not undo itself.
    archived = request.POST.get("archived", "1") == "1"
    if not Technique.objects.filter(pk=pk, user=request.user).update(archived=archived):
        messages.error(request, "That technique no longer exists.", extra_tags="own")
        return _to_own_techniques()
    if archived:
        messages.success(
            request,
            f"Archived “{technique.name}”: it stays on past sessions "
            "but leaves the log form.",
            extra_tags="own",
        )
    else:
        messages.success(
            request, f"“{technique.name}” is back on the log form.", extra_tags="own"
        )
    return _to_own_techniques()


@login_required
def guide_session(request):
    """The guided session: the routine, the choices that shape it, and (with
    JavaScript, static/js/guide.js) a timer that runs it and ends in the log form."""
    preference = guide.preference_for(request.user)
    form = GuidePreferenceForm(request.POST or None, instance=preference)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if form.is_valid():
        preference = form.save()
        if not wants_json:
            messages.success(request, "Saved your choices for the guided session.")
            return redirect("sessions:guide")
    elif request.method == "POST" and wants_json:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    routine = guide.build_routine(preference, guide.builtin_techniques())
    steps = guide.running_steps(routine)
    if wants_json and request.method == "POST":
        return JsonResponse({"steps": steps})
    total = guide.total_seconds(routine)
    context = {
        "form": form,
        "routine": routine,
        # For guide.js, in an attribute (escaped): no inline script under the CSP.
        "steps_json": json.dumps(steps),
        "total_text": guide.format_seconds(total),
        "log_url": guide.log_url(routine),
        # What to record: pain asked before the first step and after the last.
        "pain_choices": PAIN_CHOICES if request.user.record_pain else None,
        "pain_help": PAIN_HELP,
        "each_foot": EACH_FOOT if request.user.record_foot else "",
    }
    return render(request, "sessions/guide.html", context)


@login_required
def rest_days(request):
    user = request.user
    if request.method != "POST":
        return _rest_days_page(request, RestDayForm.blank(user), PauseForm(user=user))
    form = RestDayForm(request.POST, user=user)
    if form.is_valid():
        try:
            rest_day = form.save()
        except IntegrityError:
            # A double tap: the first request already marked it.
            messages.info(request, "That day is already a rest day.")
        else:
            messages.success(
                request,
                f"{words.full_date(rest_day.date, year=False)} is a rest day: "
                "it keeps your streak going without counting as practice.",
            )
        return redirect(_back(request))
    return _rest_days_page(request, form, PauseForm(user=user))


def _rest_days_page(request, form, pause_form):
    """The rest days and the pauses, each with its form."""
    user = request.user
    today = user.today()
    mine = RestDay.objects.for_user(user)
    # Years of holidays make hundreds of past rows, each with a form: the latest
    # ones unless all are asked for. A fixed number of queries either way.
    past = mine.filter(date__lt=today).order_by("-date")
    show_all = request.GET.get("all") == "1"
    past_rows = list(past if show_all else past[: PAST_REST_DAYS_SHOWN + 1])
    past_hidden = 0
    if len(past_rows) > PAST_REST_DAYS_SHOWN and not show_all:
        past_rows = past_rows[:PAST_REST_DAYS_SHOWN]
        past_hidden = past.count() - PAST_REST_DAYS_SHOWN
    pauses = Pause.objects.for_user(user)
    context = {
        "form": form,
        "lists": [
            ("Today and ahead", list(mine.filter(date__gte=today).order_by("date"))),
            ("Past", past_rows),
        ],
        "past_hidden": past_hidden,
        "past_total": past_hidden + len(past_rows),
        "pause_form": pause_form,
        "pauses_now": list(pauses.filter(end__gte=today).order_by("start")),
        "pauses_past": list(pauses.filter(end__lt=today)[:PAST_REST_DAYS_SHOWN]),
        "today": today,
    }
    return render(request, "sessions/rest_days.html", context)


@login_required
@require_POST
def pause_new(request):
    user = request.user
    form = PauseForm(request.POST, user=user)
    if form.is_valid():
        try:
            pause = form.save()
        except ValidationError as error:  # another tab got there first
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Paused from {words.long_date(pause.start)} to "
                f"{words.long_date(pause.end)}: those days keep your streak "
                "going without counting as practice, and bring no reminders.",
            )
            return redirect("sessions:rest_days")
    return _rest_days_page(request, RestDayForm.blank(user), form)


@login_required
@require_POST
def pause_end(request, pk):
    get_object_or_404(Pause, pk=pk, user=request.user)  # another's: 404
    ended = Pause.objects.end_early(request.user, pk, request.user.today())
    if ended is None:
        messages.info(request, "That pause is not under way, so there is no end.")
    else:
        messages.success(
            request,
            f"Pause ended: its last day was {words.long_date(ended.end)}. "
            "Welcome back!",
        )
    return redirect("sessions:rest_days")


@login_required
@require_http_methods(["GET", "POST"])
def pause_delete(request, pk):
    """Asks first (GET), as deleting a session does: a pause's days, reason and
    note would go with one mistaken tap."""
    pause = get_object_or_404(Pause, pk=pk, user=request.user)
    if request.method == "GET":
        return render(request, "sessions/pause_confirm_delete.html", {"pause": pause})
    Pause.objects.remove(request.user, pk)
    messages.success(
        request,
        f"Pause from {words.long_date(pause.start)} to "
        f"{words.long_date(pause.end)} deleted.",
    )
    return redirect("sessions:rest_days")


@login_required
@require_POST
def rest_day_delete(request, pk):
    rest_day = get_object_or_404(RestDay, pk=pk, user=request.user)
    RestDay.objects.remove(request.user, pk)
    messages.success(
        request, f"{words.long_date(rest_day.date)} is no longer a rest day."
    )
    return redirect(_back(request))


def _back(request):
    """Rest-day forms live on the dashboard and on their own page: go back there."""
    if request.POST.get("next") == "dashboard":
        return reverse("home")
    return reverse("sessions:rest_days")


@login_required
@require_POST
def weekly_target(request):
    """Save a new weekly target (the Settings page's form): it changes the
    figures of every day, so they are all worked out again."""
    form = WeeklyTargetForm(request.POST, instance=request.user)
    if form.is_valid():
        with transaction.atomic():
            days.lock(request.user)
            form.save()
            days.refresh(request.user)
        target = form.cleaned_data["weekly_target"]
        messages.success(
            request,
            f"Weekly target saved: {words.plural(target, 'active day')} a week. "
            "Your weekly streak and habit strength follow it.",
        )
    else:
        messages.error(request, "Choose a weekly target from 1 to 7 days.")
    return redirect("accounts:settings")
