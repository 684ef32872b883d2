import copy
import json
import socket
import sqlite3
import threading

import pytest
from django.db import connections

from footcare import health


@pytest.fixture(autouse=True)
def _fresh_migration_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_ok", False)


@pytest.fixture(autouse=True)
def _a_cache_to_check(settings):
    """The suite runs with the cache off; the check needs one that keeps."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


@pytest.mark.django_db
def test_it_answers_ok_with_nothing_but_the_checks(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "migrations": "ok",
    }


@pytest.mark.django_db
def test_the_migration_check_runs_once_per_process(client, monkeypatch):
    assert client.get("/healthz").status_code == 200

    def unreachable(*args, **kwargs):
        raise AssertionError("checked again")

    monkeypatch.setattr(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", unreachable
    )
    assert client.get("/healthz").status_code == 200


def check_database_at(monkeypatch, **settings):
    """Point the health check (not the test's own connection, already open) at
    another database."""
    default = connections["default"]
    monkeypatch.setattr(default, "settings_dict", {**default.settings_dict, **settings})


def postgresql_at(port):
    return {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "NAME": "footcare",
        "USER": "footcare",
        "OPTIONS": {},
    }


@pytest.mark.django_db
def test_it_is_503_when_the_database_is_down(client, monkeypatch):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    check_database_at(monkeypatch, **postgresql_at(port))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "failing"
    assert body["database"] == "failing"
    assert body["cache"] == "ok"
    assert body["migrations"] == "unknown"
    assert "refused" not in response.content.decode()  # errors go to the log only


class Hung:
    """Stands for a database that does not answer: a PostgreSQL whose postmaster
    was stopped (the kernel still accepts connections, nothing replies), or an
    SQLite file that another connection holds locked. It stays hung until the
    test ends or SAFETY seconds have passed, and says whether it was still hung
    when the page answered (so a check that waits it out fails the test rather
    than hanging it)."""

    SAFETY = 30

    def __init__(self):
        self.released = threading.Event()
        self.gave_up = False

    def wait(self):
        self.gave_up = not self.released.wait(self.SAFETY)


@pytest.fixture
def hung_postgresql():
    hung = Hung()
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def serve():
        listener.settimeout(hung.SAFETY)
        try:
            accepted.append(listener.accept()[0])  # and never reply
        except TimeoutError:
            return
        hung.wait()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    hung.port = listener.getsockname()[1]
    yield hung
    hung.released.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.mark.django_db
def test_it_is_503_at_once_when_postgresql_does_not_answer(
    client, monkeypatch, hung_postgresql
):
    check_database_at(monkeypatch, **postgresql_at(hung_postgresql.port))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["database"] == "failing"
    assert not hung_postgresql.gave_up, "the check waited for the server"


@pytest.fixture
def locked_sqlite(tmp_path):
    """An SQLite database in WAL mode, as settings.py sets it up, held by a
    connection in exclusive locking mode with a write under way."""
    hung = Hung()
    path = tmp_path / "locked.sqlite3"
    ready = threading.Event()

    def hold():
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("CREATE TABLE t (x)")
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO t VALUES (1)")
        ready.set()
        hung.wait()
        holder.execute("ROLLBACK")
        holder.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    ready.wait()
    hung.path = path
    yield hung
    hung.released.set()
    thread.join()


@pytest.mark.django_db
def test_it_is_503_at_once_when_sqlite_is_locked(client, monkeypatch, locked_sqlite):
    # Requests would wait a minute for the lock; the check does not.
    patient = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=60000;"
    check_database_at(
        monkeypatch,
        ENGINE="django.db.backends.sqlite3",
        NAME=str(locked_sqlite.path),
        OPTIONS={"timeout": 60, "init_command": patient},
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "failing"
    assert not locked_sqlite.gave_up, "the check waited for the lock"


def test_the_check_leaves_the_requests_limits_alone(db):
    before = copy.deepcopy(connections["default"].settings_dict)
    health.check_database()
    assert connections["default"].settings_dict == before


@pytest.mark.django_db
def test_it_is_503_when_the_cache_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("redis went away")

    monkeypatch.setattr("django.core.cache.backends.locmem.LocMemCache.set", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "failing"


@pytest.mark.django_db
def test_it_is_503_while_migrations_are_missing(client, monkeypatch):
    monkeypatch.setattr(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        lambda self, targets: [("a migration", False)],
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["migrations"] == "failing"
    monkeypatch.undo()
    assert client.get("/healthz").status_code == 200  # checked again until it passes


@pytest.mark.django_db
def test_it_answers_over_plain_http_and_any_host(client, settings):
    """A load balancer polls app servers by address, over HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["footcare.example.org"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    # Every other page still redirects and checks the host.
    assert client.get("/", HTTP_HOST="footcare.example.org").status_code == 301
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400


def test_it_refuses_writes(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
