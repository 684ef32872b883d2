"""The main journeys through Footcare in a real browser, on a phone and a desktop.

Assertions on the dashboard's streak figures and today's status go through the
`expect_*` helpers of tests/e2e/pages.py (marked DASHBOARD there).
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from sessions.models import MassageSession, RestDay
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.pages import (
    choose,
    expect_current_streak,
    expect_done_today,
    expect_not_yet_today,
    log_out,
    long_date,
    save,
    shift,
)
from tests.factories import log_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MORNING = dt.time(7, 30)


def practice_days(user):
    days = MassageSession.objects.for_user(user).values_list("local_date", flat=True)
    return sorted(set(days))


def at(day, time=MORNING):
    return dt.datetime.combine(day, time)


def expect_right_below(field, error):
    """The error sits under its field, where the eye goes next."""
    expect(error).to_be_visible()
    field_box, error_box = field.bounding_box(), error.bounding_box()
    gap = error_box["y"] - (field_box["y"] + field_box["height"])
    assert 0 <= gap <= 16, f"error {gap:.0f}px below its field"
    assert abs(error_box["x"] - field_box["x"]) <= 16


def test_signing_up_picks_up_the_browsers_time_zone(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("meera")
    page.get_by_label("Email").fill("meera@example.com")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    # Chromium says Asia/Calcutta; the page maps it to the current name.
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Kolkata")
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url("/")
    expect(page.get_by_text("Welcome, meera!")).to_be_visible()
    expect(page.get_by_role("heading", name="Log a session")).to_be_visible()
    assert User.objects.get(username="meera").timezone == "Asia/Kolkata"


def test_logging_todays_session_from_the_dashboard_takes_two_taps(signed_in_page, user):
    page = signed_in_page
    page.goto("/")
    # The form is filled in with now: only comfort is left to choose.
    expect(page.get_by_label("Date")).to_have_value(user.today().isoformat())
    choose(page, "4 · Comfortable")
    save(page)

    expect(page).to_have_url("/")
    expect(page.get_by_text("Saved: 10 minutes")).to_be_visible()
    expect_done_today(page)
    expect_current_streak(page, "1 day")
    session = MassageSession.objects.get(user=user)
    assert (session.local_date, session.comfort) == (user.today(), 4)


def test_backfilling_yesterday_extends_the_streak(signed_in_page, user):
    today = user.today()
    log_session(user, at(today, dt.time(0, 0)))
    page = signed_in_page
    page.goto("/sessions/new/")
    page.get_by_label("Date").fill(shift(today, -1).isoformat())
    choose(page, "3 · Okay")
    save(page)

    expect(page).to_have_url("/")
    expect(page.get_by_text(f"counted for {shift(today, -1):%A} ")).to_be_visible()
    expect_current_streak(page, "2 days")
    assert practice_days(user) == [shift(today, -1), today]


def test_editing_and_deleting_sessions_updates_the_figures(signed_in_page, user):
    today = user.today()
    for days_ago in (3, 2, 1):
        log_session(user, at(shift(today, -days_ago)))
    page = signed_in_page
    page.goto("/")
    expect_not_yet_today(page)
    expect_current_streak(page, "3 days")

    # Move the oldest session to today: three days in a row, today included.
    page.goto("/sessions/")
    page.get_by_role(
        "link", name=f"Edit session of {long_date(shift(today, -3))}"
    ).click()
    expect(page.get_by_label("Date")).to_have_value(shift(today, -3).isoformat())
    expect(page.get_by_label("Start time")).to_have_value("07:30")
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Start time").fill("00:00")
    save(page, "Save changes")
    expect(page).to_have_url("/sessions/")
    expect(page.get_by_text("Session updated")).to_be_visible()
    page.goto("/")
    expect_done_today(page)
    expect_current_streak(page, "3 days")

    # Delete the day before yesterday: the streak is yesterday and today.
    page.goto("/sessions/")
    page.get_by_role(
        "link", name=f"Delete session of {long_date(shift(today, -2))}"
    ).click()
    expect(page.get_by_role("heading", name="Delete this session?")).to_be_visible()
    page.get_by_role("button", name="Delete session").click()
    expect(page).to_have_url("/sessions/")
    expect(page.get_by_text("deleted.")).to_be_visible()
    page.goto("/")
    expect_done_today(page)
    expect_current_streak(page, "2 days")
    assert practice_days(user) == [shift(today, -1), today]


def test_a_rest_day_bridges_a_missed_day(signed_in_page, user):
    today = user.today()
    log_session(user, at(shift(today, -2)))
    log_session(user, at(today, dt.time(0, 0)))
    page = signed_in_page
    page.goto("/")
    expect_current_streak(page, "1 day")

    page.goto("/sessions/rest-days/")
    # Today is practised: the form offers the first day that can be a rest day.
    expect(page.get_by_label("Date")).to_have_value(shift(today, 1).isoformat())
    page.get_by_label("Date").fill(shift(today, -1).isoformat())
    page.get_by_label("Reason (optional)").select_option(label="Travel")
    page.get_by_role("button", name="Mark as rest day").click()
    expect(page.get_by_text("is a rest day")).to_be_visible()

    page.goto("/")
    expect_done_today(page)
    expect_current_streak(page, "2 days")
    rest = RestDay.objects.get(user=user)
    assert (rest.date, rest.reason) == (shift(today, -1), "travel")


def test_marking_today_as_rest_day_from_the_dashboard_keeps_the_streak(
    signed_in_page, user
):
    today = user.today()
    log_session(user, at(shift(today, -2)))
    log_session(user, at(shift(today, -1)))
    page = signed_in_page
    page.goto("/")
    expect_not_yet_today(page)
    page.get_by_role("button", name="Mark today as rest day").click()

    expect(page).to_have_url("/")
    expect_current_streak(page, "2 days")
    expect(page.get_by_role("button", name="Mark today as rest day")).to_have_count(0)
    assert RestDay.objects.filter(user=user, date=today).exists()


def test_bad_input_shows_errors_by_the_fields_and_focuses_the_summary(
    signed_in_page, user
):
    page = signed_in_page
    page.goto("/sessions/new/")
    page.get_by_label("Date").fill(shift(user.today(), 1).isoformat())
    page.get_by_label("Start time").fill("12:00")
    page.get_by_label("Duration (minutes)").fill("0")
    save(page)

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_have_text("Please correct the 2 fields marked below.")
    # Tomorrow's date is what is wrong, not the time on it.
    date = page.get_by_label("Date")
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(date).to_have_accessible_description(
        re.compile("^That is in the future. Log a session once it has started.")
    )
    expect_right_below(date, page.get_by_text("That is in the future."))
    expect(page.get_by_label("Start time")).not_to_have_attribute(
        "aria-invalid", "true"
    )
    duration = page.get_by_label("Duration (minutes)")
    expect(duration).to_have_attribute("aria-invalid", "true")
    # Comfort may be left out (the session is then saved unrated): no error there.
    expect(page.get_by_role("group", name="Comfort")).not_to_have_attribute(
        "aria-describedby", re.compile("error")
    )
    assert not MassageSession.objects.exists()


def test_logging_a_session_with_the_keyboard_alone(signed_in_page, user):
    page = signed_in_page
    page.goto("/")

    def tab_to(test):
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate(f"(e => {test})(document.activeElement)"):
                return
        pytest.fail(f"Tab never reached an element where {test}")

    tab_to("e.name === 'comfort'")
    page.keyboard.press("Space")
    first = page.locator("#id_comfort_0")
    expect(first).to_be_checked()
    # The focused choice is visibly marked on its label.
    ring = page.locator("label[for=id_comfort_0]").evaluate(
        "label => getComputedStyle(label).boxShadow"
    )
    assert ring != "none"
    tab_to("e.type === 'submit' && e.textContent.trim() === 'Save session'")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Saved: 10 minutes")).to_be_visible()
    expect_done_today(page)
    expect_current_streak(page, "1 day")
    assert MassageSession.objects.get(user=user).comfort == 1


def test_after_logging_out_the_back_button_shows_no_private_page(
    make_context, browser_with_bfcache, viewport, user, live_server
):
    log_session(user, at(user.today(), dt.time(0, 0)), notes="Left heel sore")
    context = make_context(browser=browser_with_bfcache, viewport=viewport)
    sign_in(context, user, live_server)
    page = context.new_page()
    page.goto("/")
    page.goto("/sessions/")
    expect(page.get_by_text("Left heel sore")).to_be_visible()
    log_out(page)
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()

    # A page restored from the back/forward cache fires no "load" event.
    page.go_back(wait_until="commit")
    expect(page.get_by_text("Left heel sore")).to_have_count(0)
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.go_back(wait_until="commit")  # the dashboard's address: now the landing page
    expect(page.get_by_role("heading", name="Recent sessions")).to_have_count(0)
    expect(page.get_by_role("link", name="Sign up").first).to_be_visible()
