"""Fixtures for the browser tests: Debian's Chromium, driven by Playwright, against
pytest-django's live_server.

Run them with `make e2e` (they need DJANGO_ALLOW_ASYNC_UNSAFE=true, which the
Makefile sets for this run only: sync Playwright keeps an event loop running and
Django's ORM would otherwise refuse to work in the test).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import make_user

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every page runs under the site's Content-Security-Policy; Chromium reports a
# violation on the console, and this listener says which directive and what was
# blocked, so BrowserErrors fails the test either way.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.effectiveDirective + " blocked " +
                (e.blockedURI || "inline code") + " at " + e.sourceFile + ":" +
                e.lineNumber);
});
"""
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
# Chromium reports this zone as its legacy name Asia/Calcutta; the sign-up page
# maps it (static/js/timezone.js).
BROWSER_TIMEZONE = "Asia/Kolkata"


def pytest_configure(config):
    # pytest-playwright's own `base_url` fixture is written the way pytest 9
    # deprecates; nothing to do on our side.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods"
        ":pytest.PytestRemovedIn10Warning",
    )


@pytest.hookimpl(trylast=True)  # after `-m 'not e2e'` deselected them
def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    browser_tests = [item for item in items if item.get_closest_marker("e2e")]
    if browser_tests and os.environ.get("FOOTCARE_REQUIRE_E2E") == "1":
        raise pytest.UsageError(f"FOOTCARE_REQUIRE_E2E=1 but {message}")
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session", autouse=True)
def _async_unsafe_allowed():
    if os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE") != "true":
        pytest.fail(
            "Browser tests need DJANGO_ALLOW_ASYNC_UNSAFE=true (sync Playwright keeps "
            "an event loop running); run them with `make e2e`."
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a browser downloaded by `playwright install`.
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_with_bfcache(browser_type, browser_type_launch_args):
    """Chromium as people run it, with the back/forward cache that Playwright
    turns off by default: the cache that could show a page again after log-out."""
    browser = browser_type.launch(
        **browser_type_launch_args,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _builtin_techniques(catalog):
    """Browser tests use transactional databases: the catalog goes back each time."""


class BrowserErrors:
    """Console errors and uncaught exceptions of every page a test opens."""

    def __init__(self):
        self.errors = []
        self.expected_failed_loads = set()

    def watch(self, page):
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def expect_failed_load(self, path):
        """A page the test opens knowing it answers with an error status (the
        404 page): Chromium logs that as a console error."""
        self.expected_failed_loads.add(path)

    def _console(self, page, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and (
            urlsplit(url).path in self.expected_failed_loads
        ):
            return
        self.errors.append(f"{page.url}: console error: {message.text} ({url})")


@pytest.fixture
def browser_errors():
    collector = BrowserErrors()
    yield collector
    assert not collector.errors, "JavaScript errors:\n" + "\n".join(collector.errors)


@pytest.fixture
def make_context(live_server, new_context, browser_errors, request):
    """New browser contexts on the live server, in the India time zone; every page
    they open is watched for JavaScript errors. `browser` picks another browser
    than pytest-playwright's."""

    def make(browser=None, **options):
        options = {
            "base_url": live_server.url,
            "timezone_id": BROWSER_TIMEZONE,
            "locale": "en-GB",
            "viewport": DESKTOP,
            **options,
        }
        if browser is None:
            context = new_context(**options)
        else:
            context = browser.new_context(**options)
            request.addfinalizer(context.close)
        context.set_default_timeout(10_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("page", browser_errors.watch)
        return context

    return make


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def viewport(request):
    return request.param


@pytest.fixture
def context(make_context, viewport):
    return make_context(viewport=viewport)


@pytest.fixture
def user(transactional_db):
    """A user in the browser's time zone, so "today" means the same day to both."""
    return make_user("priya", timezone=BROWSER_TIMEZONE)


def sign_in(context, user, live_server):
    """Give the browser the session cookie of a signed-in `user`."""
    client = Client()
    client.force_login(user, backend="accounts.backends.UsernameOrEmailBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


@pytest.fixture
def signed_in_page(page, user, live_server):
    """A page whose browser is signed in as `user`."""
    sign_in(page.context, user, live_server)
    return page
