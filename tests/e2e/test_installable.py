"""Chromium can install Footcare on the home screen, and with the network gone
a page load shows the offline page instead of the browser's error."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def wait_for_service_worker(page):
    """Until the service worker is installed and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


@pytest.fixture
def profile_page(browser_type, browser_type_launch_args, live_server, tmp_path):
    """A page in a browser profile on disk: Chromium never offers to install a
    site from an incognito context, which Playwright's contexts are."""
    context = browser_type.launch_persistent_context(
        tmp_path / "profile", base_url=live_server.url, **browser_type_launch_args
    )
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


def test_chromium_reports_no_installability_errors(profile_page):
    page = profile_page
    page.goto("/")
    wait_for_service_worker(page)
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert not manifest["errors"]


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_offline_the_site_shows_the_offline_page(page, user, live_server, signed_in):
    if signed_in:
        sign_in(page.context, user, live_server)
    page.goto("/")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.goto("/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    # Never a stale private page: nothing of the signed-in dashboard.
    expect(page.get_by_text("Log a session")).to_have_count(0)
    expect(page.get_by_text(user.username)).to_have_count(0)
    page.context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    if signed_in:
        expect(page.get_by_role("heading", name="Log a session")).to_be_visible()
    else:
        expect(page.get_by_role("heading", name="You are offline")).to_have_count(0)
