"""Apps and shortcuts (linked from Settings): make, list and revoke personal
tokens for the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.models import lock_account
from api.forms import TokenForm
from api.models import ApiToken
from sessions.forms import is_id

# Where a new token waits for the one page view that shows it (the calendar
# link does the same: the token never goes into a URL).
NEW_TOKEN = "api_new_token"


@login_required
def tokens(request):
    user = request.user
    form = TokenForm(request.POST or None, user=user)
    token = None
    if form.is_bound:
        with transaction.atomic():
            # One new token per account at a time, so the form's count of
            # them (the limit) cannot be passed by two requests at once.
            if not lock_account(user):
                raise PermissionDenied("This account no longer exists.")
            if form.is_valid():
                token, secret = ApiToken.make(
                    user, form.cleaned_data["name"], form.cleaned_data["scope"]
                )
    if token is not None:
        request.session[NEW_TOKEN] = {"id": token.pk, "token": secret}
        messages.success(request, f"Made the token “{token.name}”.")
        return redirect("api:tokens")
    new = request.session.pop(NEW_TOKEN, None)
    rows = list(ApiToken.objects.for_user(user))
    context = {
        "form": form,
        "tokens": rows,
        "new_token": new["token"] if new else "",
        "new_token_name": next(
            (row.name for row in rows if new and row.pk == new["id"]), ""
        ),
        "api_url": request.build_absolute_uri(reverse("api_index")),
        "docs_url": reverse("api-v1:openapi-view"),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    """Asks first (what uses the token stops working at once), then revokes."""
    if not is_id(pk):
        raise Http404("No such token.")
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "GET":
        return render(request, "api/revoke.html", {"token": token})
    ApiToken.objects.filter(pk=token.pk, user=request.user).delete()
    messages.success(request, f"Revoked “{token.name}”: it no longer works anywhere.")
    return redirect("api:tokens")


def index(request):
    """/api/v1/ itself: where the documentation is."""
    return JsonResponse(
        {
            "name": "Footcare API",
            "version": "1",
            "docs": request.build_absolute_uri(reverse("api-v1:openapi-view")),
            "openapi": request.build_absolute_uri(reverse("api-v1:openapi-json")),
        }
    )


def not_found(request):
    """Any other address under /api/: a 404 in the API's own words."""
    return JsonResponse(
        {"message": "No such address in the API: see /api/v1/docs."}, status=404
    )
