"""Footcare works with JavaScript turned off: signing up, logging a session and
reading the dashboard are plain forms and pages."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from sessions.models import MassageSession
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.pages import (
    choose,
    expect_current_streak,
    expect_done_today,
    save,
    shift,
)
from tests.factories import log_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(make_context, viewport):
    return make_context(viewport=viewport, java_script_enabled=False).new_page()


def test_signing_up_takes_the_time_zone_from_the_select(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("arjun")
    page.get_by_label("Email").fill("arjun@example.com")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("UTC")  # no script filled it in
    zone.select_option("Asia/Kolkata")
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url("/")
    expect(page.get_by_text("Welcome, arjun!")).to_be_visible()
    assert User.objects.get(username="arjun").timezone == "Asia/Kolkata"


def test_logging_a_session(page, user, live_server):
    sign_in(page.context, user, live_server)
    page.goto("/")
    choose(page, "5 · Very comfortable")
    save(page)

    expect(page).to_have_url("/")
    expect(page.get_by_text("Saved: 10 minutes")).to_be_visible()
    expect_done_today(page)
    expect_current_streak(page, "1 day")
    assert MassageSession.objects.get(user=user).comfort == 5


def test_reading_the_dashboard(page, user, live_server):
    today = user.today()
    for days_ago in (2, 1, 0):
        log_session(user, dt.datetime.combine(shift(today, -days_ago), dt.time(0, 5)))
    sign_in(page.context, user, live_server)
    page.goto("/")

    expect_done_today(page)
    expect_current_streak(page, "3 days")
    expect(page.get_by_role("heading", name="Recent sessions")).to_be_visible()
    expect(page.locator(".session-row")).to_have_count(3)
    # The menu button needs a script; without one the links show instead.
    expect(page.get_by_role("link", name="Sessions", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
