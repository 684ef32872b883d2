import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DataError, IntegrityError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from transfer import footcare, formats, importer, spreadsheet
from transfer.forms import ConfirmForm, HabitForm, UploadForm

logger = logging.getLogger(__name__)

PENDING = "transfer_pending_upload"
# A request this much larger than the file limit is refused before it is read.
UPLOAD_SLACK = 64 * 1024
TOO_LARGE = "The file is larger than 20 MB."


@login_required
@require_GET
def export_page(request):
    return render(request, "transfer/export.html")


def _download(content, content_type, name):
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def export_csv(request):
    content = spreadsheet.stream_rows(request.user)
    name = f"footcare-sessions-{request.user.today().isoformat()}.csv"
    return _download(content, "text/csv; charset=utf-8", name)


@login_required
@require_GET
def export_pauses_csv(request):
    content = spreadsheet.stream_pauses(request.user)
    name = f"footcare-pauses-{request.user.today().isoformat()}.csv"
    return _download(content, "text/csv; charset=utf-8", name)


@login_required
@require_GET
def export_json(request):
    content = footcare.stream_export(request.user)
    name = f"footcare-{request.user.today().isoformat()}.json"
    return _download(content, "application/json; charset=utf-8", name)


def _declared_length(request):
    """The body length the client declared; 0 when it declared nothing sane."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@login_required
def import_upload(request):
    if request.method != "POST":
        return render(request, "transfer/import.html", {"form": UploadForm()})
    if _declared_length(request) > formats.MAX_BYTES + UPLOAD_SLACK:
        context = {"form": UploadForm(), "problem": TOO_LARGE}
        return render(request, "transfer/import.html", context, status=413)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = _read_limited(upload)
            formats.parse_bytes(data, request.user.today())
        except formats.BadFile as error:
            form.add_error("file", str(error))
        else:
            importer.drop_upload(request.session.get(PENDING, {}).get("id"))
            request.session[PENDING] = {
                "id": importer.keep_upload(request.user, data),
                "name": upload.name[:100],
                "at": timezone.now().timestamp(),
            }
            return redirect("transfer:import_preview")
    return render(request, "transfer/import.html", {"form": form})


def _read_limited(upload):
    if upload.size > formats.MAX_BYTES:
        raise formats.BadFile(TOO_LARGE)
    data = upload.read(formats.MAX_BYTES + 1)
    if len(data) > formats.MAX_BYTES:
        raise formats.BadFile(TOO_LARGE)
    return data


def _pending(request):
    """The waiting upload, parsed again, with its name; or (None, None, message)."""
    pending = request.session.get(PENDING) or {}
    data = importer.load_upload(request.user, pending.get("id"), pending.get("at"))
    if data is None:
        return None, None, "Choose the file again: the upload has expired."
    try:
        return formats.parse_bytes(data, request.user.today()), pending, ""
    except formats.BadFile as error:  # e.g. a day that was today is now past
        return None, None, str(error)


def _habit_form(parsed, data):
    """The "Habit" choice, for a file holding several habits; else None."""
    if len(parsed.habits) < 2:
        return None
    return HabitForm(data, parsed=parsed, initial={"habit": parsed.default_habit()})


@login_required
@require_GET
def import_preview(request):
    parsed, pending, problem = _pending(request)
    if parsed is None:
        messages.error(request, problem)
        return redirect("transfer:import")
    habit_form = _habit_form(parsed, request.GET if "habit" in request.GET else None)
    habit = parsed.default_habit()
    if habit_form is not None and habit_form.is_bound:
        if habit_form.is_valid():
            habit = habit_form.cleaned_data["habit"]
        else:
            habit_form = _habit_form(parsed, None)
    plan = importer.plan(request.user, parsed, habit)
    context = {
        "parsed": parsed,
        "file_name": pending["name"],
        "habit_form": habit_form,
        "habit_name": parsed.habits[habit].name if parsed.habits else "",
        "plan": plan,
        # What "Import" must find again to write: this upload, habit and plan.
        "confirm_form": ConfirmForm(
            initial={"upload": pending["id"], "shown_habit": habit, "plan": plan.digest}
        ),
    }
    return render(request, "transfer/import_preview.html", context)


def _preview_of(habit):
    return redirect(f"{reverse('transfer:import_preview')}?habit={habit}")


@login_required
@require_POST
def import_confirm(request):
    """The preview's "Import": writes exactly what the page showed (this upload,
    this habit, these figures), or nothing, and shows the preview again with why."""
    parsed, pending, problem = _pending(request)
    if parsed is None:
        messages.error(request, problem)
        return redirect("transfer:import")
    shown = ConfirmForm(request.POST)
    if not shown.is_valid() or shown.cleaned_data["upload"] != pending["id"]:
        messages.warning(
            request,
            "That preview was of another file: you chose this one since (in "
            "another tab?). Nothing was imported. Check this preview, then press "
            "Import.",
        )
        return _preview_of(parsed.default_habit())
    habit_form = _habit_form(parsed, request.POST)
    if habit_form is not None and not habit_form.is_valid():
        return redirect("transfer:import_preview")
    chosen = habit_form.cleaned_data["habit"] if habit_form is not None else 0
    if request.POST.get("action") == "preview":  # "Show this habit"
        return _preview_of(chosen)
    if chosen != shown.cleaned_data["shown_habit"]:
        messages.warning(
            request,
            "The preview showed another habit than the one chosen. Nothing was "
            "imported. Here is the habit chosen: check it, then press Import.",
        )
        return _preview_of(chosen)
    plan = importer.plan(request.user, parsed, chosen)
    changed = (
        "Your logbook changed since this preview (in another tab?). Nothing was "
        "imported. Check the figures again, then press Import."
    )
    if plan.digest != shown.cleaned_data["plan"]:
        messages.warning(request, changed)
        return _preview_of(chosen)
    try:
        importer.write(request.user, plan)
    except importer.Outdated:
        messages.warning(request, changed)
        return _preview_of(chosen)
    except (IntegrityError, DataError):
        # Not foreseen by the readers (the fuzz tests look for such files).
        logger.exception("An import the preview accepted could not be written")
        messages.error(
            request, "This file could not be imported. Nothing was imported."
        )
        return redirect("transfer:import")
    importer.drop_upload(pending.get("id"))
    request.session.pop(PENDING, None)
    if plan.is_empty:
        messages.info(
            request, "Nothing new to import: every day in it is already here."
        )
    else:
        parts = [
            _count(len(plan.sessions), "session"),
            _count(len(plan.rest_days), "rest day"),
        ]
        if plan.pauses:
            parts.append(_count(len(plan.pauses), "pause"))
        messages.success(
            request,
            f"Imported {', '.join(parts[:-1])} and {parts[-1]}"
            + (
                f"; skipped {_count(len(plan.skipped_days), 'day')} already here."
                if plan.skipped_days
                else "."
            ),
        )
    return redirect("sessions:list")


def _count(n, word):
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
