"""The per-token rate limit, and the API described: an OpenAPI 3 schema and a
docs page served from the site's own static files."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from api.models import ApiToken
from sessions.models import MassageSession
from tests.api.conftest import Api, body, make_token

NOW = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def limit_of_three(settings):
    settings.API_RATE_LIMIT = 3


def test_past_the_limit_a_token_gets_429_with_retry_after(
    alice_api, alice, limit_of_three
):
    with time_machine.travel(NOW, tick=False) as clock:
        assert [alice_api.get("summary").status_code for _ in range(3)] == [200] * 3
        clock.shift(dt.timedelta(seconds=20))
        response = alice_api.post("sessions")
        assert response.status_code == 429
        assert response["Retry-After"] == "40"
        assert "Too many requests" in body(response)["message"]
        assert not MassageSession.objects.exists()
        clock.shift(dt.timedelta(seconds=40))
        assert alice_api.post("sessions").status_code == 201


def test_the_limit_is_per_token(alice_api, alice, limit_of_three):
    with time_machine.travel(NOW, tick=False):
        for _ in range(3):
            alice_api.get("summary")
        assert alice_api.get("summary").status_code == 429
        assert Api(make_token(alice)).get("summary").status_code == 200


def test_wrong_tokens_are_not_counted_against_anyone(alice_api, limit_of_three):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            assert Api("wrong").get("summary").status_code == 401
        assert alice_api.get("summary").status_code == 200


def test_the_schema_is_valid_openapi_3_and_describes_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    operations = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
    }
    assert operations == {
        ("POST", "/api/v1/sessions"),
        ("GET", "/api/v1/sessions"),
        ("DELETE", "/api/v1/sessions/{session_id}"),
        ("POST", "/api/v1/rest-days"),
        ("GET", "/api/v1/summary"),
        ("GET", "/api/v1/pauses"),
        ("POST", "/api/v1/pauses"),
        ("POST", "/api/v1/pauses/{pause_id}/end"),
        ("DELETE", "/api/v1/pauses/{pause_id}"),
    }
    (scheme,) = schema["components"]["securitySchemes"].values()
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    post = schema["paths"]["/api/v1/sessions"]["post"]
    assert {"201", "401", "403", "422", "429"} <= set(post["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])


def test_the_docs_page_runs_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts, "no script"
    for attributes in scripts:
        src = re.search(r'src="([^"]+)"', attributes)
        assert src, "an inline script"
        assert src[1].startswith("/static/")
        assert finders.find(src[1].removeprefix("/static/"))
    for href in re.findall(r'<link [^>]*href="([^"]+)"', html):
        assert href.startswith("/static/")
    assert 'data-openapi-url="/api/v1/openapi.json"' in html
    assert (
        "'unsafe-inline'"
        not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )


def test_an_unknown_address_under_the_api_is_a_json_404(alice_api):
    response = alice_api.get("no-such-thing")
    assert response.status_code == 404
    assert body(response)["message"]


def test_a_method_an_address_does_not_take_is_a_json_405(alice_api):
    response = alice_api.client.put("/api/v1/sessions", headers=alice_api.headers(None))
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
    assert body(response)["message"] == "PUT is not allowed here."


def test_the_api_root_says_where_the_documentation_is(client):
    answer = body(client.get("/api/v1/"))
    assert answer["docs"] == "http://testserver/api/v1/docs"
    assert answer["openapi"] == "http://testserver/api/v1/openapi.json"


@pytest.mark.parametrize(
    "refused",
    [
        pytest.param({"comfort": 6}, id="refused by the form"),
        pytest.param({"duration_minutes": "ten"}, id="refused by the types"),
        pytest.param({"where": ["Knee"]}, id="refused before the form"),
    ],
)
def test_a_refused_session_counts_against_the_limit(alice_api, refused, limit_of_three):
    with time_machine.travel(NOW, tick=False):
        for _ in range(3):
            assert alice_api.post("sessions", refused).status_code == 422
        assert ApiToken.objects.get().window_requests == 3
        assert alice_api.post("sessions", refused).status_code == 429
        assert alice_api.post("sessions").status_code == 429
    assert not MassageSession.objects.exists()


def test_a_read_only_tokens_attempts_to_log_count(alice, limit_of_three):
    reader = Api(make_token(alice, ApiToken.Scope.READ))
    with time_machine.travel(NOW, tick=False):
        assert [reader.post("sessions").status_code for _ in range(3)] == [403] * 3
        assert reader.post("sessions").status_code == 429
        assert reader.get("summary").status_code == 429


def test_a_logged_session_and_a_replay_count_once_each(alice_api, limit_of_three):
    key = {"Idempotency-Key": "bedside"}
    with time_machine.travel(NOW, tick=False):
        assert alice_api.post("sessions", headers=key).status_code == 201
        assert ApiToken.objects.get().window_requests == 1
        assert alice_api.post("sessions", headers=key).status_code == 201
        assert alice_api.post("sessions").status_code == 201
        assert ApiToken.objects.get().window_requests == 3
        response = alice_api.post("sessions", headers=key)
        assert response.status_code == 429
        assert "Idempotent-Replayed" not in response
    assert MassageSession.objects.count() == 2
