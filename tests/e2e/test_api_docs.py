"""The API's documentation page works in Chromium under the site's
Content-Security-Policy (any violation or script error fails the test), and
its "Try it out" reaches the API with a token."""

import pytest
from playwright.sync_api import expect

from tests.api.conftest import make_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_lists_every_endpoint_and_tries_one(make_context, user):
    page = make_context().new_page()
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name="Footcare API")).to_be_visible()
    summaries = page.locator(".opblock-summary-description")
    expect(summaries).to_have_text(
        [
            "Log a session",
            "List sessions",
            "Delete a session",
            "Mark a rest day",
            "Today and your streaks",
            "List pauses",
            "Pause some days",
            "End a pause today",
            "Delete a pause",
        ]
    )
    page.get_by_role("button", name="Authorize").click()
    page.get_by_label("auth-bearer-value").fill(make_token(user))
    dialog = page.locator(".dialog-ux")
    dialog.get_by_role("button", name="Apply credentials").click()
    dialog.get_by_role("button", name="Close", exact=True).click()
    page.locator(".opblock-summary", has_text="/api/v1/summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    live = page.locator(".live-responses-table")
    expect(live.locator("tbody .response-col_status")).to_have_text("200")
    expect(live).to_contain_text('"current_streak": 0')
