import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_POST

from accounts.models import User
from sessions import guide, listing, prefill
from sessions.forms import (
    EARLIEST_DATE,
    GuidePreferenceForm,
    SessionFilterForm,
    SessionForm,
    TechniqueForm,
    new_session_initial,
)
from sessions.models import MassageSession, Technique
from sessions.signals import day_shown, session_saved

PAGE_SIZE = 25


def describe_day(day):
    return format_date(day, "l j F Y")


def _write_if_still_there(queryset, pk, write, owner=None):
    """Call `write` (a save or a delete) with row `pk` of `queryset` locked;
    False, writing nothing, when the row was deleted since the page was loaded.
    The lock (PostgreSQL's row lock; SQLite's IMMEDIATE transaction holds the
    whole database) keeps a delete out until the edit is saved. Without it,
    Model.save() on a deleted row inserts it again: an acknowledged delete undone.

    With `owner`, that user's row is locked first. Saving a technique so takes
    the rows in the order logging a session does (the owner's versions,
    streaks/signals.py, then the techniques it links); the other way round,
    archiving a technique while another tab logs a session with it deadlocked
    on PostgreSQL. A session's edit and its delete both lock the session first."""
    with transaction.atomic():
        if owner is not None:
            User.objects.select_for_update().filter(pk=owner.pk).exists()
        if not queryset.select_for_update().filter(pk=pk).exists():
            return False
        write()
    return True


def new_session_form(user, data=None, query=None):
    """The log form: with its defaults for a new page, or bound to what was sent.
    A new page takes what its query parameters fill in (sessions/prefill.py)."""
    if data is not None:
        return SessionForm(data, user=user)
    now = user.local_now()
    initial = new_session_initial(
        user, now.date(), now.time().replace(second=0, microsecond=0)
    )
    form = SessionForm(user=user, initial=initial)
    if query:
        form.initial.update(prefill.initial_from_query(query, form))
    return form


@login_required
def session_new(request):
    form = new_session_form(request.user, request.POST or None, request.GET)
    if form.is_valid():
        token = form.cleaned_data["token"]
        mine = MassageSession.objects.for_user(request.user)
        existing = mine.filter(submission_token=token).first()
        if existing is None:
            try:
                with transaction.atomic():
                    session = form.save()
            except IntegrityError:
                # The same form arrived twice at once; the other request saved it.
                existing = mine.filter(submission_token=token).first()
                if existing is None:
                    raise
            else:
                messages.success(
                    request,
                    f"Saved: {session.duration_minutes} minutes, counted for "
                    f"{describe_day(session.local_date)}.",
                )
                if form.note:
                    messages.info(request, form.note)
                session_saved.send(MassageSession, request=request, session=session)
                return redirect("home")
        messages.info(
            request,
            f"That session was already saved for {describe_day(existing.local_date)}.",
        )
        return redirect("home")
    return render(request, "sessions/session_form.html", {"form": form, "is_new": True})


@login_required
def session_edit(request, pk):
    session = get_object_or_404(MassageSession, pk=pk, user=request.user)
    form = SessionForm(
        request.POST or None, instance=session, user=request.user, tz=session.tzinfo
    )
    if form.is_valid():
        mine = MassageSession.objects.for_user(request.user)
        if not _write_if_still_there(mine, session.pk, form.save):
            messages.error(
                request, "That session was deleted meanwhile, so nothing was saved."
            )
            return redirect("sessions:list")
        messages.success(
            request,
            f"Session updated: it counts for {describe_day(session.local_date)}.",
        )
        if form.note:
            messages.info(request, form.note)
        session_saved.send(MassageSession, request=request, session=session)
        return redirect("sessions:list")
    return render(
        request, "sessions/session_form.html", {"form": form, "session": session}
    )


@login_required
def session_delete(request, pk):
    session = get_object_or_404(MassageSession, pk=pk, user=request.user)
    if request.method == "POST":
        day = session.local_date
        # Locked first, as an edit locks it: otherwise a delete and an edit that
        # changes the techniques take the links and the session in opposite orders.
        mine = MassageSession.objects.for_user(request.user)
        _write_if_still_there(mine, session.pk, session.delete)
        messages.success(request, f"Session of {describe_day(day)} deleted.")
        return redirect("sessions:list")
    return render(request, "sessions/session_confirm_delete.html", {"session": session})


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
    if day:
        sessions = sessions.filter(local_date=day)
        context["day"] = _day_summary(request.user, day, sessions)
    elif month:
        context["month"] = _month_links(month, request.GET)
        # A range, not __year/__month, so the (user, local_date) index serves it.
        sessions = sessions.filter(
            local_date__gte=month, local_date__lt=context["month"]["next_date"]
        )
    page = Paginator(sessions.rows(), PAGE_SIZE).get_page(request.GET.get("page"))
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
    """The day's totals, what other apps say about it (its rest day), and links to
    the days around it (two queries)."""
    totals = sessions.aggregate(n=Count("id"), minutes=Sum("duration_minutes"))
    notes = [
        note
        for _, answer in day_shown.send(sender=MassageSession, user=user, day=day)
        for note in answer or ()
    ]
    one = dt.timedelta(days=1)
    return {
        "date": day,
        "sessions": totals["n"],
        "minutes": totals["minutes"] or 0,
        "notes": notes,
        "previous": (day - one).isoformat() if day > EARLIEST_DATE else None,
        "next": (day + one).isoformat() if day < user.today() else None,
    }


def _month_links(month, params):
    """The month shown, and the query strings of the months before and after it."""
    before = (month - dt.timedelta(days=1)).replace(day=1)
    after = (month + dt.timedelta(days=31)).replace(day=1)

    def query(other):
        copy = params.copy()
        copy.pop("page", None)
        copy["month"] = f"{other:%Y-%m}"
        return copy.urlencode()

    return {
        "date": month,
        "previous": query(before) if before >= EARLIEST_DATE else None,
        "previous_date": before,
        "next": query(after) if after.year < 9999 else None,
        "next_date": after,
    }


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
            messages.success(request, f"Added “{technique.name}” to your techniques.")
            return redirect("sessions:techniques")
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
        mine = Technique.objects.filter(user=request.user)
        try:
            saved = _write_if_still_there(
                mine, technique.pk, form.save, owner=request.user
            )
        except IntegrityError:  # the same name, given a moment ago in another tab
            form.add_error("name", "You already have a technique with this name.")
        else:
            if saved:
                messages.success(request, f"Saved “{technique.name}”.")
            else:
                messages.error(request, "That technique no longer exists.")
            return redirect("sessions:techniques")
    return render(
        request, "sessions/technique_form.html", {"form": form, "technique": technique}
    )


@login_required
@require_POST
def technique_archive(request, pk):
    technique = get_object_or_404(Technique, pk=pk, user=request.user)
    # The state asked for, not a toggle: a double tap must not undo itself.
    technique.archived = request.POST.get("archived", "1") == "1"
    mine = Technique.objects.filter(user=request.user)
    if not _write_if_still_there(
        mine,
        technique.pk,
        lambda: technique.save(update_fields=["archived"]),
        owner=request.user,
    ):
        messages.error(request, "That technique no longer exists.")
        return redirect("sessions:techniques")
    if technique.archived:
        messages.success(
            request,
            f"Archived “{technique.name}”: it stays on past sessions "
            "but leaves the log form.",
        )
    else:
        messages.success(request, f"“{technique.name}” is back on the log form.")
    return redirect("sessions:techniques")


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
    }
    return render(request, "sessions/guide.html", context)
