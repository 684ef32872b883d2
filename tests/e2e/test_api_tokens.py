"""A token made on Settings → Apps and shortcuts, copied with its button, and
used from outside the browser; then revoked."""

import pytest
from playwright.sync_api import expect

from sessions.models import MassageSession
from tests.e2e.conftest import sign_in
from tests.e2e.pages import axe_violations, horizontal_overflow, open_menu_if_collapsed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "viewport", [{"width": 320, "height": 640}, None], ids=["320px", "desktop"]
)
def test_a_token_is_made_copied_used_and_revoked(
    make_context, user, live_server, viewport
):
    context = make_context(**({"viewport": viewport} if viewport else {}))
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(context, user, live_server)
    page = context.new_page()
    page.goto("/")
    open_menu_if_collapsed(page)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Apps and shortcuts").click()
    page.get_by_label("Name").fill("Bedside NFC tag")
    page.get_by_label("Read and log").check()
    page.get_by_role("button", name="Make token").click()

    token = page.locator("#new-token").input_value()
    assert len(token) >= 40
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == token
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0

    api = page.context.request  # raw HTTP, without the browser's cookies
    answer = api.post(
        f"{live_server.url}/api/v1/sessions",
        headers={"Authorization": f"Bearer {token}", "Cookie": ""},
        data={"comfort": 4},
    )
    assert answer.status == 201
    assert MassageSession.objects.filter(user=user).count() == 1

    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)  # shown once
    expect(page.locator("strong", has_text="Bedside NFC tag")).to_be_visible()
    page.get_by_role("link", name="Revoke Bedside NFC tag").click()
    expect(
        page.get_by_role("heading", name="Revoke “Bedside NFC tag”?")
    ).to_be_visible()
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_text("Revoked “Bedside NFC tag”")).to_be_visible()
    again = api.get(
        f"{live_server.url}/api/v1/summary",
        headers={"Authorization": f"Bearer {token}", "Cookie": ""},
    )
    assert again.status == 401
