"""The answers to a request that failed: on our side (handler500) or as sent
(handler400, handler404, CSRF_FAILURE_VIEW). Under /api/ they are JSON with a
message, as the API's own errors are.

A database that is there but cannot answer right now (an SQLite file locked by
a long write, PostgreSQL restarting or out of connections, a statement timeout)
is not a bug: the request's transaction was rolled back, so nothing was saved,
and the same request will work in a moment. It gets 503 with Retry-After and
says so; every other error keeps the plain 500 page. Django has already logged
the error with its traceback when this runs.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.views import csrf, defaults

RETRY_AFTER_SECONDS = 5
BUSY = "The database is busy: nothing was saved. Please try again in a moment."
# 500.html's wording for a busy database; its defaults are the plain 500 page's.
BUSY_PAGE = {
    "title": "Busy for a moment",
    "heading": "Busy for a moment",
    "message": "The database could not answer just now, so nothing was saved. "
    "Please try again in a few seconds.",
}


def server_error(request):
    busy = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    status = 503 if busy else 500
    if request.path.startswith("/api/"):
        message = BUSY if busy else "Something went wrong on our side."
        response = JsonResponse({"message": message}, status=status)
    else:
        # No request context: its processors might need the database.
        page = render_to_string("500.html", BUSY_PAGE if busy else None)
        response = HttpResponse(page, status=status)
    if busy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request, exception):
    """A request Django could not read (a form sent in another charset than
    UTF-8, too many fields, a malformed header): 400. Django's own view runs
    the CSRF check again, which reads the same unreadable form again and
    turns the 400 into a 500; this page has no form, so it needs no token."""
    if request.path.startswith("/api/"):
        message = "That request is malformed: nothing was saved."
        return JsonResponse({"message": message}, status=400)
    return HttpResponseBadRequest(render_to_string("400.html"))


def not_found(request, exception):
    """A page that is not there: Django's 404 page, or JSON under /api/."""
    if request.path.startswith("/api/"):
        message = "Nothing here: the API's addresses are listed at /api/v1/docs."
        return JsonResponse({"message": message}, status=404)
    return defaults.page_not_found(request, exception)


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token: Django's 403 page, or JSON under
    /api/ (whose own endpoints take a token instead and need none)."""
    if request.path.startswith("/api/"):
        message = "Not allowed here: send API requests with Authorization: Bearer."
        return JsonResponse({"message": message}, status=403)
    return csrf.csrf_failure(request, reason)
