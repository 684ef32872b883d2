from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from transfer import footcare, formats, importer, spreadsheet
from transfer.forms import HabitForm, UploadForm

PENDING = "transfer_pending_upload"
# A request this much larger than the file limit is refused before it is read.
UPLOAD_SLACK = 64 * 1024


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
        form = UploadForm()
        form.add_error(None, "The file is larger than 20 MB.")
        return render(request, "transfer/import.html", {"form": form}, status=413)
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
        raise formats.BadFile("The file is larger than 20 MB.")
    data = upload.read(formats.MAX_BYTES + 1)
    if len(data) > formats.MAX_BYTES:
        raise formats.BadFile("The file is larger than 20 MB.")
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
    context = {
        "parsed": parsed,
        "file_name": pending["name"],
        "habit_form": habit_form,
        "habit_name": parsed.habits[habit].name if parsed.habits else "",
        "plan": importer.plan(request.user, parsed, habit),
    }
    return render(request, "transfer/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request):
    parsed, pending, problem = _pending(request)
    if parsed is None:
        messages.error(request, problem)
        return redirect("transfer:import")
    habit = 0
    habit_form = _habit_form(parsed, request.POST)
    if habit_form is not None:
        if not habit_form.is_valid():
            return redirect("transfer:import_preview")
        habit = habit_form.cleaned_data["habit"]
        if request.POST.get("action") == "preview":
            return redirect(f"{reverse('transfer:import_preview')}?habit={habit}")
    result = importer.run(request.user, parsed, habit)
    importer.drop_upload(pending.get("id"))
    request.session.pop(PENDING, None)
    if result.is_empty:
        messages.info(
            request, "Nothing new to import: every day in it is already here."
        )
    else:
        messages.success(
            request,
            f"Imported {_count(len(result.sessions), 'session')} and "
            f"{_count(len(result.rest_days), 'rest day')}"
            + (
                f"; skipped {_count(len(result.skipped_days), 'day')} already here."
                if result.skipped_days
                else "."
            ),
        )
    return redirect("sessions:list")


def _count(n, word):
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
