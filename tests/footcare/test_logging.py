import io
import json
import logging

import pytest
from django.db import connection

from footcare.observability import JsonFormatter, RequestIdFilter


@pytest.fixture
def json_log():
    """The root logger writing JSON lines into a buffer, as DJANGO_LOG_FORMAT=json
    configures it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_the_callers_request_id(client, json_log):
    response = client.get("/", HTTP_X_REQUEST_ID="lb-1234.abc")
    assert response["X-Request-ID"] == "lb-1234.abc"
    lines = [e for e in json_log() if e["logger"] == "footcare.request"]
    assert len(lines) == 1
    entry = lines[0]
    assert entry["request_id"] == "lb-1234.abc"
    assert entry["message"] == "GET / 200"
    assert entry["status"] == 200
    assert entry["path"] == "/"
    assert entry["level"] == "INFO"
    assert isinstance(entry["duration_ms"], float)
    assert entry["time"].endswith("+00:00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sent", ["", "has space", "x" * 65, "line\nbreak", '{"forged": 1}']
)
def test_an_insane_request_id_is_replaced(client, json_log, sent):
    response = client.get("/", HTTP_X_REQUEST_ID=sent)
    rid = response["X-Request-ID"]
    assert rid != sent
    assert len(rid) == 32
    assert [
        e["request_id"] for e in json_log() if e["logger"] == "footcare.request"
    ] == [rid]


@pytest.mark.django_db
def test_every_log_line_of_a_request_carries_its_id(client, json_log):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-7")
    lines = json_log()
    not_found = [e for e in lines if e["logger"] == "django.request"]
    assert not_found[0]["message"] == "Not Found: /no-such-page/"
    assert not_found[0]["request_id"] == "req-7"
    assert [e["request_id"] for e in lines] == ["req-7", "req-7"]


def test_a_line_outside_requests_has_a_dash_and_tracebacks_are_kept(json_log):
    log = logging.getLogger("streaks.reminders")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("Reminder failed")
    (entry,) = json_log()
    assert entry["request_id"] == "-"
    assert entry["level"] == "ERROR"
    assert "ValueError: boom" in entry["exc_info"]


@pytest.mark.django_db
def test_slow_queries_are_logged_without_their_parameters(
    alice_client, json_log, settings, monkeypatch
):
    settings.SLOW_QUERY_MS = 0.000001  # every query is slow
    alice_client.get("/", HTTP_X_REQUEST_ID="slow-1")
    slow = [e for e in json_log() if e["logger"] == "footcare.slow_query"]
    assert slow
    assert all(e["request_id"] == "slow-1" for e in slow)
    assert all(e["level"] == "WARNING" for e in slow)
    assert all(isinstance(e["duration_ms"], float) for e in slow)
    assert any("FROM" in e["message"] for e in slow)
    assert not any("alice" in e["message"] for e in slow)


@pytest.mark.django_db
def test_no_slow_query_log_below_the_threshold(alice_client, json_log, settings):
    settings.SLOW_QUERY_MS = 60_000
    alice_client.get("/")
    assert not [e for e in json_log() if e["logger"] == "footcare.slow_query"]
    assert not connection.execute_wrappers


def test_the_json_format_is_chosen_by_the_environment(monkeypatch):
    import importlib

    import footcare.settings as settings_module

    monkeypatch.setenv("DJANGO_LOG_FORMAT", "json")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x")
    reloaded = importlib.reload(settings_module)
    try:
        assert reloaded.LOGGING["handlers"]["console"]["formatter"] == "json"
        monkeypatch.setenv("DJANGO_LOG_FORMAT", "xml")
        from django.core.exceptions import ImproperlyConfigured

        with pytest.raises(ImproperlyConfigured, match="DJANGO_LOG_FORMAT"):
            importlib.reload(settings_module)
    finally:
        monkeypatch.delenv("DJANGO_LOG_FORMAT")
        importlib.reload(settings_module)
