"""/api/v1/: the JSON API, for personal tokens (Authorization: Bearer).

django-ninja routes the requests, checks the JSON's types against api.schemas
and writes the OpenAPI schema; the logbook's model functions and the pages'
forms do everything else. A bearer token is the only way in: the session
cookie of the pages is never looked at, so CSRF does not apply."""

import functools
import json
import math
from typing import Annotated

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from ninja import Body, Header, NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.parser import Parser
from ninja.security import HttpBearer

from api import schemas, summary
from api.forms import ApiSessionForm
from api.logbook import Refused, choice, form_data, sent_key, submission_token
from api.models import ApiToken
from sessions import days
from sessions.forms import PauseForm, RestDayForm, is_id
from sessions.models import MassageSession, Pause, SessionDeleted, zone_names

PAGE_SIZE = 50
# Longer bearer strings are not tokens of ours: refused without hashing them.
MAX_TOKEN_LENGTH = 200


class RateLimited(HttpError):
    def __init__(self, seconds):
        super().__init__(429, "Too many requests with this token: wait a moment.")
        self.retry_after = max(1, math.ceil(seconds))


class JsonObjectParser(Parser):
    """A body is a JSON object whose text PostgreSQL can store: a list, a
    number or a lone surrogate ("\\ud800") is refused like broken JSON."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if data is not None and not isinstance(data, dict):
            raise ValueError("not a JSON object")
        json.dumps(data, ensure_ascii=False).encode()  # fails on a lone surrogate
        return data


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if len(token) > MAX_TOKEN_LENGTH:
            return None
        found = ApiToken.objects.find(token)
        if found is None:
            return None
        try:
            wait = found.count_request(timezone.now(), settings.API_RATE_LIMIT)
        except ApiToken.DoesNotExist:  # revoked a moment ago
            return None
        if wait is not None:
            raise RateLimited(wait)
        # Dates and times in the token owner's zone, whoever's cookie came along.
        timezone.activate(found.user.tzinfo)
        return found


class Docs(DocsBase):
    """Swagger UI from django-ninja's own static files, started by our script
    (static/js/api-docs.js): no CDN, no inline script."""

    def render_page(self, request, api, **kwargs):
        context = {"openapi_url": self.get_openapi_url(api, kwargs), "api": api}
        return render(request, "api/docs.html", context)


class FootcareApi(NinjaAPI):
    """Every answer private (no-store), and a wrong method answered in JSON."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            pattern.callback = _json_405(pattern.callback)
        return patterns, app_name, namespace

    def create_temporal_response(self, request):
        return _private(super().create_temporal_response(request))

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return _private(response)


def _json_405(view):
    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        answer = _error(request, 405, f"{request.method} is not allowed here.")
        answer["Allow"] = response["Allow"]
        return answer

    return checked


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


api = FootcareApi(
    title="Footcare API",
    version="1",
    description=(
        "Log foot-massage sessions and read your streaks from shortcuts, home "
        "automation and scripts. Make a token under Settings → Apps and shortcuts "
        "and send it as `Authorization: Bearer <token>`. Errors are JSON with a "
        "`message` (and `errors` by field for bad input)."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs=Docs(),
    parser=JsonObjectParser(),
)

ERRORS = {
    400: schemas.Error,
    401: schemas.Error,
    422: schemas.Error,
    429: schemas.Error,
}
WRITE_ERRORS = {**ERRORS, 403: schemas.Error}


def _error(request, status, message, errors=None):
    body = {"message": message}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
@api.exception_handler(days.AccountGone)  # deleted while this request wrote
def _unauthorized(request, exc):
    if request.headers.get("Authorization"):
        message = "That token is not valid, or it was revoked."
    else:
        message = "Send your token in the header Authorization: Bearer <token>."
    response = _error(request, 401, message)
    response["WWW-Authenticate"] = 'Bearer realm="footcare"'
    return response


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    response = _error(request, 429, exc.message)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = exc.message
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = "The body must be a JSON object (or nothing at all)."
    return _error(request, exc.status_code, message)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request, exc):
    return _error(request, 400, "That request is too large or malformed.")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(ValidationError)
def _invalid_types(request, exc):
    errors = {}
    for error in exc.errors:
        # ("body", "payload", "techniques", 0, "int"): the field is the first
        # name after where it was sent (the last may be a type it tried).
        names = [
            part
            for part in error.get("loc", ())
            if isinstance(part, str) and part not in SENT_IN
        ]
        field = names[0].removesuffix("_") if names else "body"
        errors.setdefault(field, [])
        if error.get("msg", "") not in errors[field]:
            errors[field].append(error.get("msg", ""))
    return _error(request, 422, _in_words(errors, request), errors)


SENT_IN = {"body", "payload", "query", "path", "header"}


@api.exception_handler(Refused)
def _refused(request, exc):
    return _error(request, 422, _in_words(exc.errors, request), exc.errors)


def _in_words(errors, request):
    start = "Nothing was saved: " if request.method != "GET" else "Not valid: "
    return start + " ".join(
        f"{field}: {' '.join(messages)}" for field, messages in errors.items()
    )


def _form_errors(form, names=None):
    """A form's errors by API field (`names` renames form fields)."""
    names = names or {}
    errors = {}
    for field, messages in form.errors.items():
        key = names.get(field, field)
        if key == "__all__":
            key = "body"
        errors.setdefault(key, []).extend(messages)
    return Refused(errors)


def _owner_who_may_log(request):
    token = request.auth
    if not token.can_log:
        raise HttpError(403, "This token may only read. Make one that may log.")
    return token.user


def _session_json(session, techniques):
    return {
        "id": session.pk,
        "day": session.local_date,
        "start": session.local_start,
        "timezone": session.timezone,
        "duration_minutes": session.duration_minutes,
        "techniques": [{"id": pk, "name": name} for pk, name in techniques],
        "comfort": session.comfort,
        "pressure": session.pressure,
        "notes": session.notes,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "foot": session.foot,
        "where": zone_names(session.zones),
    }


# The form's start fields are one field here.
SESSION_FIELDS = {
    "date": "start",
    "start_time": "start",
    "token": "Idempotency-Key",
    "zones": "where",
}


@api.post(
    "/sessions",
    response={201: schemas.SessionLogged, 409: schemas.Error, **WRITE_ERRORS},
    summary="Log a session",
)
def log_session(
    request,
    response: HttpResponse,
    payload: Body[schemas.SessionIn | None] = None,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", max_length=255)
    ] = None,
):
    """Every field may be left out, so an empty body logs a session now with
    the log form's defaults. With an `Idempotency-Key`, a retry (even one sent
    while the first is still under way) answers with the session the first
    made and never logs a second; once that session is deleted, a retry gets
    409 and logs nothing."""
    user = _owner_who_may_log(request)
    payload = payload or schemas.SessionIn()
    key = sent_key(idempotency_key)
    token = submission_token(key)
    replayed = None  # without a key the token is a new one: no session has it
    if key is not None:
        try:
            replayed = MassageSession.objects.sent_with(user, token)
        except SessionDeleted:
            raise HttpError(
                409,
                "The session logged with this Idempotency-Key was deleted since; "
                "it is not logged again. Send a new key to log a new session.",
            ) from None
    if replayed is None:
        form = ApiSessionForm(form_data(user, payload, token), user=user)
        if not form.is_valid():
            raise _form_errors(form, SESSION_FIELDS)
        try:
            session = form.save()  # one transaction: the session and its day
        except IntegrityError:
            # The same key at the same moment: the other request saved it.
            replayed = (
                MassageSession.objects.for_user(user)
                .filter(submission_token=token)
                .first()
            )
            if replayed is None:
                raise
        else:
            techniques = form.logged_techniques()
    if replayed is not None:
        session = replayed
        response["Idempotent-Replayed"] = "true"
        techniques = session.techniques.order_by("position", "name").values_list(
            "pk", "name"
        )
    return Status(
        201,
        {
            "session": _session_json(session, techniques),
            "day": session.local_date,
            "current_streak": summary.current_streak(user, user.today()),
        },
    )


@api.get(
    "/sessions",
    response={200: schemas.SessionPage, **ERRORS},
    summary="List sessions",
)
def list_sessions(request, filters: Query[schemas.SessionRange]):
    """Your sessions, newest first, 50 a page; `from` and `to` (both
    included) pick practice days."""
    if filters.from_ and filters.to and filters.from_ > filters.to:
        raise Refused({"from": ["from is after to."]})
    sessions = MassageSession.objects.for_user(request.auth.user).newest_first()
    if filters.from_:
        sessions = sessions.filter(local_date__gte=filters.from_)
    if filters.to:
        sessions = sessions.filter(local_date__lte=filters.to)
    count = sessions.count()
    first = (filters.page - 1) * PAGE_SIZE
    page = list(sessions[first : first + PAGE_SIZE]) if first < count else []
    techniques = {}
    links = MassageSession.techniques.through.objects.filter(
        massagesession_id__in=[session.pk for session in page]
    ).order_by("technique__position", "technique__name")
    for session_id, pk, name in links.values_list(
        "massagesession_id", "technique_id", "technique__name"
    ):
        techniques.setdefault(session_id, []).append((pk, name))
    pages = max(1, math.ceil(count / PAGE_SIZE))
    next_url = None
    if filters.page < pages:
        query = {
            name: value
            for name, value in (("from", filters.from_), ("to", filters.to))
            if value
        }
        next_url = (
            request.build_absolute_uri(reverse("api-v1:list_sessions"))
            + "?"
            + urlencode({**query, "page": filters.page + 1})
        )
    return {
        "items": [_session_json(s, techniques.get(s.pk, ())) for s in page],
        "count": count,
        "page": filters.page,
        "pages": pages,
        "next": next_url,
    }


@api.delete(
    "/sessions/{session_id}",
    response={204: None, 404: schemas.Error, **WRITE_ERRORS},
    summary="Delete a session",
)
def delete_session(request, session_id: int):
    """One of your sessions, by its id."""
    user = _owner_who_may_log(request)
    if not is_id(session_id):
        raise Http404("You have no session with that id.")
    if MassageSession.objects.remove(user, session_id) is None:
        raise Http404("You have no session with that id.")
    return Status(204, None)


@api.post(
    "/rest-days",
    response={201: schemas.RestDayOut, **WRITE_ERRORS},
    summary="Mark a rest day",
)
def mark_rest_day(request, payload: Body[schemas.RestDayIn | None] = None):
    """A day off by choice: it keeps your streak going without counting as
    practice. A day with a session, or one already marked, is refused."""
    user = _owner_who_may_log(request)
    payload = payload or schemas.RestDayIn()
    data = {"date": payload.date or user.today(), "reason": choice(payload.reason)}
    form = RestDayForm(data, user=user)
    if not form.is_valid():
        raise _form_errors(form)
    try:
        with transaction.atomic():
            rest_day = form.save()
    except IntegrityError:
        # Marked a moment ago by another request: the form now says so.
        form = RestDayForm(data, user=user)
        if form.is_valid():
            raise
        raise _form_errors(form) from None
    return Status(
        201, {"id": rest_day.pk, "date": rest_day.date, "reason": rest_day.reason}
    )


@api.get(
    "/summary",
    response={200: schemas.Summary, **ERRORS},
    summary="Today and your streaks",
)
def get_summary(request):
    """Today's status and your streak figures, as the dashboard shows them,
    and your next preferred time."""
    return summary.summary(request.auth.user)


def _pause_json(pause):
    return {
        "id": pause.pk,
        "start": pause.start,
        "end": pause.end,
        "reason": pause.reason,
        "note": pause.note,
        "days": pause.days,
    }


NO_SUCH_PAUSE = "You have no pause with that id."


@api.get(
    "/pauses",
    response={200: list[schemas.PauseOut], **ERRORS},
    summary="List pauses",
)
def list_pauses(request):
    """Your pauses, past, under way and ahead, newest first."""
    pauses = Pause.objects.for_user(request.auth.user).order_by("-start", "-pk")
    return [_pause_json(pause) for pause in pauses]


@api.post(
    "/pauses",
    response={201: schemas.PauseOut, **WRITE_ERRORS},
    summary="Pause some days",
)
def add_pause(request, payload: Body[schemas.PauseIn]):
    """Days away from the habit (illness, injury, travel): like rest days they
    keep your streak going without counting as practice, and no reminder comes
    on them. The pause form's rules apply: from 2000 on, up to a year ahead, at
    most 366 days, never over a day with a session or another pause."""
    user = _owner_who_may_log(request)
    fields = {
        "start": payload.start,
        "end": payload.end,
        "reason": choice(payload.reason),
        "note": payload.note or "",
    }
    # The form's fields are prefixed ("pause-start"), as on the page.
    data = {f"{PauseForm.prefix}-{name}": value for name, value in fields.items()}
    form = PauseForm(data, user=user)
    if not form.is_valid():
        raise _form_errors(form)
    try:
        pause = form.save()  # the rules again, under the user's lock
    except forms.ValidationError as error:
        # Another request made a clashing pause or logged a session a moment ago.
        form.add_error(None, error)
        raise _form_errors(form) from None
    return Status(201, _pause_json(pause))


def _users_pause(user, pause_id):
    """`pause_id` is one of `user`'s pauses (Http404 otherwise)."""
    if not is_id(pause_id) or not Pause.objects.filter(user=user, pk=pause_id).exists():
        raise Http404(NO_SUCH_PAUSE)


@api.post(
    "/pauses/{pause_id}/end",
    response={
        200: schemas.PauseOut,
        404: schemas.Error,
        409: schemas.Error,
        **WRITE_ERRORS,
    },
    summary="End a pause today",
)
def end_pause(request, pause_id: int):
    """Back today: the pause's last day becomes yesterday, as the page's "End
    today" does. Only a pause under way since before today can end this way
    (409 otherwise): delete one that has not started yet."""
    user = _owner_who_may_log(request)
    _users_pause(user, pause_id)
    pause = Pause.objects.end_early(user, pause_id, user.today())
    if pause is None:
        _users_pause(user, pause_id)  # deleted a moment ago: 404
        raise HttpError(
            409,
            "That pause is not under way, so it cannot end today: only one that "
            "started before today and is not over can. Delete one that has not "
            "started yet instead.",
        )
    return _pause_json(pause)


@api.delete(
    "/pauses/{pause_id}",
    response={204: None, 404: schemas.Error, **WRITE_ERRORS},
    summary="Delete a pause",
)
def delete_pause(request, pause_id: int):
    """One of your pauses, by its id: its days are ordinary days again."""
    user = _owner_who_may_log(request)
    if not is_id(pause_id) or Pause.objects.remove(user, pause_id) is None:
        raise Http404(NO_SUCH_PAUSE)
    return Status(204, None)
