"""The sessions list on a phone (issue 24, item 5): Edit and Delete big enough
for a thumb, imported days that simply leave out what they do not know, and a
pager that reads and works as one."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from sessions.models import MassageSession
from tests.e2e.conftest import PHONE, sign_in
from tests.e2e.pages import axe_violations, horizontal_overflow, long_date, shift
from tests.factories import log_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MIN_TARGET = 44
SMALL_PHONE = {"width": 360, "height": 640}


@pytest.fixture(params=[PHONE, SMALL_PHONE], ids=["390x844", "360x640"])
def phone(request, make_context, user, live_server):
    page = make_context(viewport=request.param).new_page()
    sign_in(page.context, user, live_server)
    return page


@pytest.fixture
def history(user):
    """Two imported days (day only) as the newest, then 30 timed sessions: 32 in
    all, so the list has two pages."""
    today = user.today()
    MassageSession.objects.bulk_log(
        user,
        [
            {"local_date": shift(today, -days_ago), "timezone": user.timezone}
            for days_ago in (1, 2)
        ],
    )
    for days_ago in range(3, 33):
        log_session(
            user,
            dt.datetime.combine(shift(today, -days_ago), dt.time(7, 30)),
            minutes=12,
            comfort=4,
            techniques=("warm-up", "arch"),
        )
    return today


def test_edit_and_delete_are_big_enough_to_tap(phone, history):
    phone.goto("/sessions/")
    rows = phone.locator(".session-row")
    expect(rows).to_have_count(25)
    small = []
    for link in phone.locator(".session-actions a").all():
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        if box["width"] < MIN_TARGET or box["height"] < MIN_TARGET:
            small.append(f"{link.inner_text()}: {box['width']:.0f}x{box['height']:.0f}")
    assert small == []
    assert phone.locator(".session-actions a").count() == 2 * 25
    assert horizontal_overflow(phone) <= 0


def test_an_imported_day_shows_only_what_is_known(phone, history, user):
    phone.goto("/sessions/")
    expect(phone.get_by_text("not recorded")).to_have_count(0)
    newest = phone.locator(".session-row").first
    yesterday = shift(history, -1)
    expect(newest.locator("time")).to_have_attribute("datetime", yesterday.isoformat())
    expect(newest.locator(".session-facts")).to_have_count(0)
    timed = phone.locator(".session-row").nth(2)
    expect(timed.locator(".session-facts")).to_have_text("07:30 · 12 min · comfort 4/5")
    # The links still say which session they are for, to a screen reader too.
    edit = phone.get_by_role(
        "link", name=f"Edit session of {long_date(yesterday)}", exact=True
    )
    expect(edit).to_be_visible()
    edit.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Edit")


def test_the_pager_reads_as_one_and_turns_the_page(phone, history):
    phone.goto("/sessions/")
    pager = phone.get_by_role("navigation", name="Pages of sessions")
    expect(pager).to_be_visible()
    current = pager.locator("[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_accessible_name("Page 1")
    expect(pager.get_by_role("link", name="Newer")).to_have_count(0)
    older = pager.get_by_role("link", name="Older")
    for link in pager.get_by_role("link").all():
        box = link.bounding_box()
        assert box["width"] >= 40, link.inner_text()  # 44 from 360 px up
        assert box["height"] >= MIN_TARGET, link.inner_text()
    assert pager.bounding_box()["width"] <= phone.viewport_size["width"]
    older.scroll_into_view_if_needed()
    older.click()
    expect(phone).to_have_url("/sessions/?page=2")  # relative to base_url
    pager = phone.get_by_role("navigation", name="Pages of sessions")
    expect(pager.locator("[aria-current=page]")).to_have_accessible_name("Page 2")
    expect(phone.locator(".session-row")).to_have_count(7)
    expect(pager.get_by_role("link", name="Newer")).to_be_visible()
    assert axe_violations(phone) == []
    assert horizontal_overflow(phone) <= 0
