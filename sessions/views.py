from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_POST

from sessions.forms import (
    SessionFilterForm,
    SessionForm,
    TechniqueForm,
    new_session_initial,
)
from sessions.models import MassageSession, Technique

PAGE_SIZE = 25


def describe_day(day):
    return format_date(day, "l j F Y")


def new_session_form(user, data=None):
    """The log form: with its defaults for a new page, or bound to what was sent."""
    if data is not None:
        return SessionForm(data, user=user)
    now = user.local_now()
    initial = new_session_initial(
        user, now.date(), now.time().replace(second=0, microsecond=0)
    )
    return SessionForm(user=user, initial=initial)


@login_required
def session_new(request):
    form = new_session_form(request.user, request.POST or None)
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
        with transaction.atomic():
            session = form.save()
        messages.success(
            request,
            f"Session updated: it counts for {describe_day(session.local_date)}.",
        )
        if form.note:
            messages.info(request, form.note)
        return redirect("sessions:list")
    return render(
        request, "sessions/session_form.html", {"form": form, "session": session}
    )


@login_required
def session_delete(request, pk):
    session = get_object_or_404(MassageSession, pk=pk, user=request.user)
    if request.method == "POST":
        day = session.local_date
        session.delete()
        messages.success(request, f"Session of {describe_day(day)} deleted.")
        return redirect("sessions:list")
    return render(request, "sessions/session_confirm_delete.html", {"session": session})


@login_required
def session_list(request):
    filters = SessionFilterForm(request.GET or None, user=request.user)
    sessions = MassageSession.objects.for_user(request.user).newest_first()
    cleaned = {}
    if filters.is_bound:
        filters.is_valid()  # each valid filter applies; an invalid one shows its error
        cleaned = filters.cleaned_data
    month = cleaned.get("month")
    if month:
        sessions = sessions.filter(
            local_date__year=month.year, local_date__month=month.month
        )
    technique = cleaned.get("technique")
    if technique:
        sessions = sessions.filter(techniques=technique)
    page = Paginator(sessions.prefetch_related("techniques"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sessions/session_list.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
    )


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
        form.save()
        messages.success(request, f"Saved “{technique.name}”.")
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
    technique.save(update_fields=["archived"])
    if technique.archived:
        messages.success(
            request,
            f"Archived “{technique.name}”: it stays on past sessions "
            "but leaves the log form.",
        )
    else:
        messages.success(request, f"“{technique.name}” is back on the log form.")
    return redirect("sessions:techniques")
