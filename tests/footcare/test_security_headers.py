"""Every response, pages and static files alike, carries the security headers:
a Content-Security-Policy without inline script, a Permissions-Policy, and
Django's own (nosniff, Referrer-Policy, X-Frame-Options, Cross-Origin-Opener-Policy)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.factories import log_session

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in csp.split("; ") if part
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/accounts/signup/", "/no-such-page/"]
)
def test_signed_out_pages_carry_the_headers(client, db, path):
    assert_security_headers(client.get(path))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sessions/",
        "/sessions/new/",
        "/sessions/techniques/",
        "/streaks/",
        "/sessions/rest-days/",
        "/accounts/settings/",
        "/accounts/times/",
    ],
)
def test_signed_in_pages_carry_the_headers(alice_client, path):
    response = alice_client.get(path)
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_post_redirect_carries_the_headers(alice_client):
    response = alice_client.post("/sessions/rest-days/", {"date": "2000-01-01"})
    assert response.status_code == 302
    assert_security_headers(response)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
@pytest.mark.parametrize("path", ["js/theme.js", "css/app.css"])
def test_static_files_served_by_whitenoise_carry_the_headers(db, path):
    response = Client().get(f"/static/{path}")
    assert response.status_code == 200
    assert type(response).__module__.startswith("whitenoise")
    assert_security_headers(response)


def test_no_template_has_inline_script_or_event_handlers():
    # Scripts come from static files; a <script> with content runs only if it is
    # data (type="application/json", which json_script writes).
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S):
            attributes, body = match.groups()
            if body.strip() and "application/json" not in attributes:
                offenders.append(f"{path.name}: inline script")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.name}: event-handler attribute")
        if "javascript:" in text:
            offenders.append(f"{path.name}: javascript: URL")
    assert offenders == []


def test_pages_with_history_render_no_style_element(alice_client, alice):
    # style-src 'self' blocks <style> elements; style="" attributes are allowed.
    log_session(alice, dt.datetime(2026, 1, 5, 7, 30))
    for path in ("/", "/streaks/", "/sessions/"):
        assert "<style" not in alice_client.get(path).content.decode()
