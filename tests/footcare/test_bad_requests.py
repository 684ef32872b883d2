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
