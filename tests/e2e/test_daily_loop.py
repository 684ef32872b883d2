"""The daily loop on a phone (390x844 and 360x640): "Done as usual" and its Undo,
progress first once today is done, Save without comfort, and "Save and log the
day before" to backfill."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from sessions.models import MassageSession
from tests.e2e.conftest import PHONE, SMALL_PHONE, sign_in
from tests.e2e.pages import (
    axe_violations,
    choose,
    expect_current_streak,
    expect_done_today,
    expect_not_yet_today,
    horizontal_overflow,
    long_date,
    shift,
)
from tests.factories import log_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[PHONE, SMALL_PHONE], ids=["390x844", "360x640"])
def phone(request, make_context, user, live_server):
    page = make_context(viewport=request.param, has_touch=True).new_page()
    sign_in(page.context, user, live_server)
    return page


@pytest.fixture
def yesterday(user):
    """Yesterday's session, 12 minutes of the arch and the heel."""
    day = shift(user.today(), -1)
    log_session(
        user,
        dt.datetime.combine(day, dt.time(20, 0)),
        minutes=12,
        comfort=4,
        techniques=("arch", "heel"),
    )
    return day


def assert_in_first_screen(page, locator):
    page.evaluate("window.scrollTo(0, 0)")
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= page.viewport_size["height"], box


def todays(user):
    return MassageSession.objects.filter(user=user, local_date=user.today())


@pytest.mark.usefixtures("yesterday")
def test_done_as_usual_in_one_tap_then_undo(phone, user):
    phone.goto("/")
    expect_not_yet_today(phone)
    button = phone.get_by_role("button", name="Done as usual")
    assert_in_first_screen(phone, button)
    expect(phone.get_by_text("12 min: Arch thumb pressure, Heel press")).to_be_visible()
    # Comfort and Save stay in the first screen too.
    assert_in_first_screen(phone, phone.get_by_role("button", name="Save session"))
    assert axe_violations(phone) == []

    button.tap()
    expect(phone.get_by_text("Done as usual: 12 minutes")).to_be_visible()
    expect_done_today(phone)
    expect_current_streak(phone, "2 days")
    session = todays(user).get()
    assert session.duration_minutes == 12
    assert session.comfort is None
    undo = phone.get_by_role("button", name="Undo")
    assert_in_first_screen(phone, undo)
    assert axe_violations(phone) == []

    undo.tap()
    expect(phone.get_by_text("Undone: the session of")).to_be_visible()
    expect_not_yet_today(phone)
    expect_current_streak(phone, "1 day")
    assert not todays(user).exists()
    expect(phone.get_by_role("button", name="Undo")).to_have_count(0)


@pytest.mark.usefixtures("yesterday")
def test_the_undo_button_goes_when_its_minute_is_up(phone, user):
    phone.clock.install()
    phone.goto("/")
    phone.get_by_role("button", name="Done as usual").tap()
    expect(phone.get_by_role("button", name="Undo")).to_be_visible()
    phone.clock.run_for(61_000)
    expect(phone.get_by_role("button", name="Undo")).to_have_count(0)
    expect(
        phone.get_by_role("status").filter(has_text="Too late to undo")
    ).to_be_visible()
    assert todays(user).count() == 1


@pytest.mark.usefixtures("yesterday")
def test_once_done_progress_comes_first_and_the_form_folds(phone, user):
    log_session(user, dt.datetime.combine(user.today(), dt.time(0, 5)))
    phone.goto("/")
    # "Done today" once, and the streak and this week in the first screen.
    expect(phone.get_by_text("Done today", exact=True)).to_have_count(1)
    assert_in_first_screen(phone, phone.get_by_text("Done today", exact=True))
    for term in ("Current streak", "Weekly streak"):
        figure = phone.locator(f"xpath=//dl//dt[normalize-space()='{term}']/..")
        assert_in_first_screen(phone, figure)
    expect(phone.get_by_text("This week", exact=False).first).to_be_visible()
    expect(phone.get_by_role("button", name="Done as usual")).to_have_count(0)
    # The form is folded under "Log another session", and opens on a tap.
    save = phone.get_by_role("button", name="Save session")
    expect(save).to_be_hidden()
    another = phone.get_by_text("Log another session")
    if phone.viewport_size["height"] >= 844:
        assert_in_first_screen(phone, another)
    else:  # below the progress on a small phone: a short scroll away
        another.scroll_into_view_if_needed()
    assert axe_violations(phone) == []
    assert horizontal_overflow(phone) <= 0
    phone.get_by_text("Log another session").tap()
    expect(save).to_be_visible()
    choose(phone, "3 · Okay")
    save.tap()
    expect(phone.get_by_text("Saved: 10 minutes")).to_be_visible()
    assert todays(user).count() == 2


def test_save_without_comfort_saves_it_unrated(phone, user):
    phone.goto("/")
    phone.get_by_role("button", name="Save session").tap()
    expect(phone).to_have_url("/")
    expect(phone.get_by_text("Saved unrated: 10 minutes")).to_be_visible()
    expect_done_today(phone)
    assert todays(user).get().comfort is None


def test_save_and_log_the_day_before_backfills_in_a_row(phone, user):
    today = user.today()
    phone.goto("/sessions/new/")
    phone.get_by_label("Toe pull and rotate").uncheck()
    phone.get_by_label("Heel press").check()
    choose(phone, "4 · Comfortable")
    phone.get_by_role("button", name="Save and log the day before").tap()

    day_before = shift(today, -1)
    expect(phone).to_have_url(re.compile(rf"/sessions/new/\?day={day_before}&"))
    expect(
        phone.get_by_text(re.compile(rf"^Now \w+ {long_date(day_before)}:"))
    ).to_be_visible()
    expect(phone.get_by_label("Date")).to_have_value(day_before.isoformat())
    expect(phone.get_by_label("Heel press")).to_be_checked()
    expect(phone.get_by_label("Toe pull and rotate")).not_to_be_checked()
    assert axe_violations(phone) == []
    choose(phone, "5 · Very comfortable")
    phone.get_by_role("button", name="Save and log the day before").tap()
    expect(phone.get_by_label("Date")).to_have_value(shift(today, -2).isoformat())

    days = sorted(
        MassageSession.objects.filter(user=user).values_list("local_date", flat=True)
    )
    assert days == [shift(today, -1), today]
    keys = set(
        MassageSession.objects.get(
            user=user, local_date=day_before
        ).techniques.values_list("key", flat=True)
    )
    assert "heel" in keys
    assert "toes" not in keys
