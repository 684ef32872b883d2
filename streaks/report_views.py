"""The report to share: the owner's page (a range, print-ready), read-only
links to it that the owner makes, lists and revokes, and the shared page such a
link opens for anyone who has it."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import words
from accounts.models import lock_account
from sessions.forms import is_id
from streaks import report
from streaks.forms import ReportForm, ShareReportForm
from streaks.models import ReportLink

# Where a new link waits for the one page view that shows it (as the API's
# tokens do: the token never goes into a URL of ours).
NEW_LINK = "report_new_link"
# A token as ReportLink.make writes it; anything else is unknown at once.
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")


def _query(first, last, notes):
    query = {"from": first.isoformat(), "to": last.isoformat()}
    if notes:
        query["notes"] = "on"
    return urlencode(query)


@login_required
def report_page(request):
    user = request.user
    form = ReportForm(request.GET or None, user=user)
    notes = form.is_bound and form.is_valid() and form.cleaned_data["notes"]
    if form.is_bound and form.is_valid():
        # The fields show the range reported on, a day left out filled in.
        first, last = form.range
        initial = {"from": first, "to": last, "notes": notes}
        form = ReportForm(initial=initial, user=user)
    return _owner_page(request, form, ShareReportForm(user=user), notes)


def _owner_page(request, form, share_form, notes):
    user = request.user
    first, last = form.range
    new = request.session.pop(NEW_LINK, None)
    now = timezone.now()
    # The newest: a link works for 30 days at most, and 20 at once.
    links = list(ReportLink.objects.for_user(user)[: 2 * ReportLink.MAX_WORKING])
    context = {
        "form": form,
        "share_form": share_form,
        "report": None if form.errors else report.build(user, first, last, notes),
        "query": _query(first, last, notes),
        "notes": notes,
        "links": [(link, link.works(now)) for link in links],
        "new_link": request.build_absolute_uri(
            reverse("streaks:shared_report", args=[new["token"]])
        )
        if new
        else "",
        "now": now,
    }
    return render(request, "streaks/report.html", context)


@login_required
@require_POST
def share(request):
    user = request.user
    share_form = ShareReportForm(request.POST, user=user)
    link = None
    with transaction.atomic():
        # One new link per account at a time, so the limit the form counts holds.
        if not lock_account(user):
            raise PermissionDenied("This account no longer exists.")
        if share_form.is_valid():
            link, token = share_form.save()
    if link is not None:
        request.session[NEW_LINK] = {"id": link.pk, "token": token}
        until = link.expires_at.astimezone(user.tzinfo)
        messages.success(
            request,
            "Made a read-only link to this report, valid until "
            f"{words.long_date(until.date())}, {until:%H:%M}.",
        )
        url = reverse("streaks:report")
        notes = share_form.cleaned_data["notes"]
        return redirect(f"{url}?{_query(link.start, link.end, notes)}#share-heading")
    return _owner_page(request, ReportForm(request.POST, user=user), share_form, False)


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    """Asks first (whoever has the link loses the report at once), then
    revokes."""
    if not is_id(pk):
        raise Http404("No such link.")
    link = get_object_or_404(ReportLink, pk=pk, user=request.user)
    if not link.works(timezone.now()):  # revoked or expired already (Back, a tab)
        messages.info(request, "That link no longer opens the report already.")
        return redirect(f"{reverse('streaks:report')}#share-heading")
    if request.method == "GET":
        return render(request, "streaks/revoke_report_link.html", {"link": link})
    ReportLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    messages.success(request, "Revoked the link: it no longer opens the report.")
    return redirect(f"{reverse('streaks:report')}#share-heading")


def shared(request, token):
    """The report a link opens, read only: 404 for an unknown link, 410 for
    one revoked or expired. Never indexed, stored or passed on as a referrer."""
    link = ReportLink.objects.find(token) if TOKEN.fullmatch(token) else None
    if link is None:
        response = render(
            request, "streaks/report_gone.html", {"gone": False}, status=404
        )
    elif not link.works(timezone.now()):
        response = render(
            request, "streaks/report_gone.html", {"gone": True}, status=410
        )
    else:
        owner = link.user
        response = render(
            request,
            "streaks/report_shared.html",
            {
                "report": report.build(owner, link.start, link.end, link.notes),
                "owner": owner if link.show_name else None,
                "link": link,
            },
        )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
