"""Request ids, JSON log lines and the slow-query log.

``RequestIdMiddleware`` gives every request an id: the caller's ``X-Request-ID``
when it looks like one (a proxy or load balancer sets it), otherwise a new one.
The id is echoed in the response's ``X-Request-ID`` header and added to every
log record written while the request runs (``RequestIdFilter``), so one grep
finds everything a request did. With ``DJANGO_LOG_FORMAT=json`` each record is
one JSON object per line (``JsonFormatter``).

With ``DJANGO_SLOW_QUERY_MS`` above 0, queries slower than that are logged as
warnings on the ``footcare.slow_query`` logger: the SQL with its placeholders,
never the parameters (they hold user data).
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections

HEADER = "X-Request-ID"
# Anything else (too long, spaces, control characters) is replaced, so a client
# cannot forge log lines or stuff the logs through the header.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

request_id = contextvars.ContextVar("request_id", default="-")
request_logger = logging.getLogger("footcare.request")
slow_query_logger = logging.getLogger("footcare.slow_query")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


# The attributes every LogRecord has; anything else was passed in `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the
    record's `extra` fields and, for errors, the traceback."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class SlowQueryLogger:
    """A connection execute wrapper that logs queries slower than `threshold_ms`."""

    def __init__(self, threshold_ms, alias="default"):
        self.threshold_ms = threshold_ms
        self.alias = alias

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            if elapsed >= self.threshold_ms:
                slow_query_logger.warning(
                    "Slow query (%.1f ms): %s",
                    elapsed,
                    sql,
                    extra={"duration_ms": round(elapsed, 1), "db": self.alias},
                )


def _sane(incoming):
    return incoming if SANE_ID.fullmatch(incoming or "") else uuid.uuid4().hex


# The id is set when the request starts and cleared when the response is closed,
# so that Django's own lines written after the middleware returned ("Not Found:
# ...", "Internal Server Error: ...") carry it too.
def _request_started(sender, environ=None, **kwargs):
    request_id.set(_sane((environ or {}).get("HTTP_X_REQUEST_ID", "")))


def _request_finished(sender, **kwargs):
    request_id.set("-")


request_started.connect(_request_started, dispatch_uid="footcare.request_id")
request_finished.connect(_request_finished, dispatch_uid="footcare.request_id")


class RequestIdMiddleware:
    """Request id in, request id out, one log line per request; slow queries
    logged while the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id.get()
        if rid == "-":  # no request_started signal (ASGI, RequestFactory)
            rid = _sane(request.headers.get(HEADER, ""))
            request_id.set(rid)
        request.request_id = rid
        start = time.perf_counter()
        if settings.SLOW_QUERY_MS > 0:
            wrapper = SlowQueryLogger(settings.SLOW_QUERY_MS)
            with connections["default"].execute_wrapper(wrapper):
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        response[HEADER] = rid
        # A load balancer polls /healthz every few seconds: only failures
        # are worth a line.
        level = (
            logging.DEBUG
            if request.path == "/healthz" and response.status_code == 200
            else logging.INFO
        )
        request_logger.log(
            level,
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - start) * 1000, 1),
            },
        )
        return response
