"""A phone whose clock is on another time zone than the account's (travel) is
told so on the dashboard, with the way to change it or keep it."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.conftest import sign_in
from tests.e2e.pages import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def dashboard(make_context, live_server, user, phone_zone):
    context = make_context(timezone_id=phone_zone)
    sign_in(context, user, live_server)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Log a session")).to_be_visible()
    return page


def test_a_phone_on_another_clock_is_told_and_can_keep_it(make_context, live_server):
    user = make_user("traveller", timezone="Europe/London")
    page = dashboard(make_context, live_server, user, "America/New_York")
    notice = page.locator("[data-zone-notice]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("(America/New York); your account uses")
    expect(notice).to_contain_text("Europe/London, where it is ")
    change = notice.get_by_role("link", name="Change the account's time zone")
    expect(change).to_have_attribute("href", "/accounts/settings/#id_timezone")
    assert axe_violations(page) == []
    notice.get_by_role("button", name="Keep Europe/London").click()
    expect(notice).to_be_hidden()
    page.reload()
    expect(page.get_by_role("heading", name="Log a session")).to_be_visible()
    expect(notice).to_be_hidden()  # kept, in this browser


@pytest.mark.parametrize("phone_zone", ["Europe/London", "Europe/Lisbon"])
def test_no_notice_when_the_clocks_agree(make_context, live_server, phone_zone):
    """The same zone, or another name for the same time now: nothing to say."""
    user = make_user("homebody", timezone="Europe/London")
    page = dashboard(make_context, live_server, user, phone_zone)
    expect(page.locator("[data-zone-notice]")).to_be_hidden()
