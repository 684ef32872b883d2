import json

import pytest
from django.db import OperationalError, connections

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
def test_the_migration_check_runs_once_per_process(client, django_assert_num_queries):
    client.get("/healthz")
    with django_assert_num_queries(1):  # SELECT 1
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_it_is_503_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "failing"
    assert body["database"] == "failing"
    assert body["cache"] == "ok"
    assert "refused" not in response.content.decode()  # errors go to the log only


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
