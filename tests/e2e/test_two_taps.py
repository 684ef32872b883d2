"""Logging today's session on a phone: open /, tap a comfort value, tap Save.
Both controls are inside the first screen, before any scroll, whether or not
preferred times are set; the rest of the form waits under "More details"."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.models import PreferredTime
from sessions.models import MassageSession
from tests.e2e.conftest import sign_in
from tests.e2e.pages import expect_done_today, shift
from tests.factories import log_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONES = {
    "390x844": {"width": 390, "height": 844},
    "360x640": {"width": 360, "height": 640},
}


@pytest.fixture(params=[False, True], ids=["no-times", "with-times"])
def with_times(request, user):
    if request.param:
        PreferredTime.objects.create(user=user, label="Morning", time=dt.time(7, 30))
        PreferredTime.objects.create(user=user, label="Evening", time=dt.time(21, 0))
        # A history, so the streak card has figures and a break line too.
        today = user.today()
        for days_ago in (5, 4, 2, 1):
            log_session(user, dt.datetime.combine(shift(today, -days_ago), dt.time(7)))
    return request.param


def inside_first_screen(page, locator, viewport):
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("size", PHONES)
def test_logging_takes_two_taps_without_scrolling(
    make_context, user, live_server, with_times, size, javascript
):
    viewport = PHONES[size]
    page = make_context(
        viewport=viewport, java_script_enabled=javascript, has_touch=True
    ).new_page()
    sign_in(page.context, user, live_server)
    page.goto("/")

    comfort = page.locator("label.btn", has_text="5 · Very comfortable")
    save = page.get_by_role("button", name="Save session")
    assert page.evaluate("window.scrollY") == 0
    assert inside_first_screen(page, comfort, viewport)
    assert inside_first_screen(page, save, viewport)
    # Comfort 1-5 reads as a scale: one row.
    tops = {
        round(label.bounding_box()["y"])
        for label in page.locator("fieldset:has([name=comfort]) label.btn").all()
    }
    assert len(tops) == 1
    # The rest of the form is there, folded, prefilled.
    expect(page.get_by_text("More details")).to_be_visible()
    expect(page.get_by_label("Date")).to_be_hidden()

    comfort.tap() if javascript else comfort.click()
    save.tap() if javascript else save.click()

    expect(page).to_have_url("/")
    expect(page.get_by_text("Saved: 10 minutes")).to_be_visible()
    expect_done_today(page)
    session = MassageSession.objects.filter(user=user).latest("started_at")
    assert session.comfort == 5
    assert session.local_date == user.today()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_more_details_opens_the_rest_of_the_form(
    make_context, user, live_server, javascript
):
    page = make_context(
        viewport=PHONES["390x844"], java_script_enabled=javascript
    ).new_page()
    sign_in(page.context, user, live_server)
    page.goto("/")
    page.get_by_text("More details").click()
    for label in ("Date", "Start time", "Duration (minutes)", "Notes (optional)"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    expect(page.get_by_label("Duration (minutes)")).to_have_value("10")
    expect(page.get_by_label("Date", exact=True)).to_have_value(
        user.today().isoformat()
    )
    page.get_by_label("Duration (minutes)").fill("25")
    page.locator("label.btn", has_text="3 · Okay").click()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Saved: 25 minutes")).to_be_visible()
