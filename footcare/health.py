"""``/healthz``: is this app server fit to take requests?

Checks that the database answers, the cache answers and every migration is
applied, and says so in a tiny JSON body: 200 ``{"status": "ok", ...}`` or 503
naming the part that failed. No user data, no version numbers, no error text
(errors go to the log). Cheap enough to poll every ten seconds: one short
connection and one query, one cache write and read; the migration check runs
once per process and is remembered once it passes.

A database that does not answer (PostgreSQL's postmaster stopped, an SQLite
file locked by another process) must give a quick 503, not hang the worker
until gunicorn kills it. So the database check opens a connection of its own
with short limits, and closes it: at most CONNECT_TIMEOUT seconds to connect
(PostgreSQL's minimum), at most STATEMENT_TIMEOUT_MS for the query (PostgreSQL's
statement_timeout, SQLite's busy timeout). Requests keep the limits set in
settings.DATABASES; only the check gives up early.

It is answered by a middleware at the top of the stack, before the host check,
the HTTPS redirect and the session, so a load balancer can poll an app server
over plain HTTP by its address (``http://10.0.0.5:8000/healthz``) and sees its
real state rather than a 301 or a 400.
"""

import copy
import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend
from django.http import JsonResponse

PATH = "/healthz"
logger = logging.getLogger(__name__)

_migrations_ok = False  # per process: once applied, they stay applied


CONNECT_TIMEOUT = 2  # seconds; libpq and psycopg round anything lower up to 2
STATEMENT_TIMEOUT_MS = 500
# A query that reads the database: SQLite answers SELECT 1 without the file.
PROBE = {"sqlite": "SELECT count(*) FROM sqlite_master"}


def check_connection(alias=DEFAULT_DB_ALIAS):
    """A new, unopened connection to database `alias` with the check's limits."""
    settings_dict = copy.deepcopy(connections[alias].settings_dict)
    options = settings_dict["OPTIONS"]
    options.pop("pool", None)  # one connection, not a pool of its own
    backend = load_backend(settings_dict["ENGINE"])
    if backend.DatabaseWrapper.vendor == "postgresql":
        options["connect_timeout"] = CONNECT_TIMEOUT
    elif backend.DatabaseWrapper.vendor == "sqlite":
        # Without the requests' init_command: its busy_timeout would win.
        options.pop("init_command", None)
        options["timeout"] = STATEMENT_TIMEOUT_MS / 1000
    return backend.DatabaseWrapper(settings_dict, alias)


def check_database():
    connection = check_connection()
    try:
        if connection.vendor == "postgresql":
            # SET LOCAL, in a transaction that closing the connection ends: a
            # pooler (PgBouncer) hands the server connection on without it.
            connection.set_autocommit(False)
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        with connection.cursor() as cursor:
            cursor.execute(PROBE.get(connection.vendor, "SELECT 1"))
            cursor.fetchone()
    finally:
        connection.close()


def check_cache():
    token = uuid.uuid4().hex
    cache.set("healthz", token, 30)
    if cache.get("healthz") != token:
        # Another process may have written in between; ask once more for ours.
        cache.set("healthz", token, 30)
        if cache.get("healthz") != token:
            raise RuntimeError("the cache does not keep what it is given")


def check_migrations():
    global _migrations_ok
    if _migrations_ok:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")
    _migrations_ok = True


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "migrations": check_migrations,
}


def health():
    """(healthy, {check: "ok" | "failing"})"""
    results = {}
    for name, check in CHECKS.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "unknown"
            continue
        try:
            check()
        except Exception:
            logger.exception("Health check %s failed", name)
            results[name] = "failing"
        else:
            results[name] = "ok"
    return all(v == "ok" for v in results.values()), results


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"status": "method not allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        healthy, results = health()
        response = JsonResponse(
            {"status": "ok" if healthy else "failing", **results},
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        return response
