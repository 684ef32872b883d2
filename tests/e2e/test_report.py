"""The report to share and pauses in a browser: axe-clean owner, shared and gone
pages, a pause made and ended through the page, the link made and opened signed
out, and the print view without the menu, forms or buttons."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from streaks.models import ReportLink
from tests.e2e.conftest import sign_in
from tests.e2e.pages import axe_violations, horizontal_overflow, shift
from tests.factories import log_session, pause

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_320 = {"width": 320, "height": 640}


@pytest.fixture
def history(user):
    today = user.today()
    for days_ago in (12, 11, 10, 4, 3, 2, 1):
        log_session(
            user,
            dt.datetime.combine(shift(today, -days_ago), dt.time(7, 45)),
            comfort=1 + days_ago % 5,
            notes="The arch was a little tight.",
            pain_before=3 + days_ago % 4,
            pain_after=1 + days_ago % 3,
            foot=("left", "right", "both")[days_ago % 3],
            zones=1 | 2,
        )
    pause(user, shift(today, -9), shift(today, -5), "illness", "Flu")
    return today


def shared_link(user, history, **options):
    _, token = ReportLink.make(user, shift(history, -20), history, 7, **options)
    return f"/report/{token}/"


def test_the_report_and_a_shared_link_pass_axe_and_fit_a_phone(
    make_context, user, history, live_server, browser_errors
):
    page = make_context(viewport=PHONE_320).new_page()
    address = shared_link(user, history, notes=True)
    response = page.goto(address)
    assert response.status == 200
    assert response.headers["x-robots-tag"].startswith("noindex")
    expect(page.get_by_role("heading", name="Foot-massage report")).to_be_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0

    ReportLink.objects.update(revoked_at=dt.datetime.now(dt.UTC))
    browser_errors.expect_failed_load(address)
    assert page.goto(address).status == 410
    assert axe_violations(page) == []

    sign_in(page.context, user, live_server)
    for path in ("/streaks/report/?notes=on", "/streaks/report/?from=2999-01-01"):
        assert page.goto(path).status == 200
        assert axe_violations(page) == []
        assert horizontal_overflow(page) <= 0


def test_share_a_report_and_open_it_signed_out(
    make_context, user, history, live_server, browser_errors
):
    owner = make_context().new_page()
    sign_in(owner.context, user, live_server)
    owner.goto("/streaks/report/")
    owner.get_by_label("Include the notes").check()
    owner.get_by_role("button", name="Show report").click()
    owner.get_by_label("30 days").check()
    with owner.expect_navigation():
        owner.get_by_role("button", name="Share this report").click()
    link = owner.locator("#share-link")
    expect(link).to_be_visible()
    address = link.inner_text()
    assert axe_violations(owner) == []

    stranger = make_context().new_page()
    stranger.goto(address)
    expect(stranger.get_by_text("The arch was a little tight.").first).to_be_visible()
    expect(stranger.locator("main")).not_to_contain_text("priya")

    owner.goto("/streaks/report/")
    owner.get_by_role("link", name="Revoke").click()
    with owner.expect_navigation():
        owner.get_by_role("button", name="Revoke the link").click()
    browser_errors.expect_failed_load(urlsplit(address).path)
    assert stranger.goto(address).status == 410


def test_the_print_view_has_no_menu_or_buttons(
    make_context, user, history, live_server
):
    page = make_context().new_page()
    sign_in(page.context, user, live_server)
    page.goto("/streaks/report/?notes=on")
    print_button = page.get_by_role("button", name="Print or save as PDF")
    expect(print_button).to_be_visible()  # shown by static/js/print.js
    page.emulate_media(media="print")
    for hidden in ("header", "nav", "form", "button", "footer"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.get_by_role("heading", name="Report to share")).to_be_visible()
    expect(page.locator("#days-practised")).to_be_visible()
    expect(page.get_by_role("heading", name="Notes")).to_be_visible()


def test_pause_and_end_it_through_the_page(make_context, user, live_server):
    today = user.today()
    log_session(user, dt.datetime.combine(shift(today, -3), dt.time(8, 0)))
    page = make_context(viewport=PHONE_320).new_page()
    sign_in(page.context, user, live_server)
    page.goto("/sessions/rest-days/")
    page.get_by_label("First day").fill(shift(today, -3).isoformat())
    page.get_by_label("Last day").fill(shift(today, 5).isoformat())
    page.locator("#id_pause-reason").select_option("injury")
    page.get_by_role("button", name="Pause these days").click()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("main")).to_contain_text("a pause cannot cover a day")
    assert axe_violations(page) == []

    page.get_by_label("First day").fill(shift(today, -2).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Pause these days").click()
    expect(page.locator("main")).to_contain_text("Paused")
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0

    page.goto("/")
    expect(page.get_by_text("Paused today")).to_be_visible()
    page.get_by_role("link", name="End or delete the pause").click()
    with page.expect_navigation():
        page.get_by_role("button", name="End today").click()
    expect(page.locator("main")).to_contain_text("Pause ended")
    page.goto("/")
    expect(page.get_by_text("Not yet today")).to_be_visible()
