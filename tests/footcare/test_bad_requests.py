"""A request Django cannot read gets 400 and changes nothing, never a 500."""

import pytest
from django.test import Client

from sessions.models import MassageSession

CSRF = "a" * 32


@pytest.mark.parametrize("charset", ["utf-16", "latin-1"])
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/sessions/new/", "/accounts/settings/"]
)
def test_a_form_in_another_charset_than_utf8_is_a_bad_request(alice, charset, path):
    """Django reads only UTF-8 forms; the CSRF check meets the form first."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(alice)
    client.cookies["csrftoken"] = CSRF
    response = client.post(
        path,
        "csrfmiddlewaretoken=" + CSRF,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
        headers={"X-CSRFToken": CSRF},
    )
    assert response.status_code == 400
    assert b"Bad request" in response.content
    assert not MassageSession.objects.exists()


def test_the_api_says_so_in_json(alice):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = CSRF
    response = client.post(
        "/api/v1/sessions",
        "a=b",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        headers={"X-CSRFToken": CSRF, "Authorization": "Bearer nope"},
    )
    assert response.status_code in (400, 401)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/no-such-thing"])
def test_a_post_under_the_api_without_a_token_or_csrf_is_answered_in_json(path):
    response = Client(enforce_csrf_checks=True).post(path, "{}", "application/json")
    assert response.status_code in (403, 404, 405)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]


def test_a_missing_api_address_is_a_json_404(db):
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert "/api/v1/docs" in response.json()["message"]


def test_a_missing_page_is_still_the_404_page(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_form_without_its_csrf_token_is_still_the_403_page(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/sessions/new/", {})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
