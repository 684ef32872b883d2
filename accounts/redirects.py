"""Where to go back to after a form: the page the user came from, when the
request names one of ours in `next` (in the form's data, or in the address of
the page that shows the form), else a default."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def back_to(request, default):
    """`next` when it is a path on this site ("/sessions/?page=2"), else
    `default` (a URL or a URL pattern name). Only a path: anything else would
    be taken by redirect() for a pattern name, and fail after the write."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    on_this_site = url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    )
    if on_this_site and target.startswith("/") and target.isprintable():
        return target
    return resolve_url(default)
