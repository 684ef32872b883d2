"""Checks that every page of the app must pass, signed out and signed in:
axe-core finds no WCAG 2.1 A/AA violation, no JavaScript error, and nothing
scrolls sideways on a 320 px wide phone."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from sessions.models import MassageSession, Technique
from tests.e2e.conftest import sign_in
from tests.e2e.pages import axe_violations, horizontal_overflow, shift
from tests.factories import log_session, pause, rest_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIGNED_OUT = {
    "landing": "/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password reset": "/accounts/password_reset/",
    "password reset sent": "/accounts/password_reset/done/",
    "404": "/no-such-page/",
}
SIGNED_IN = {
    "dashboard": "/",  # today done: progress first
    "dashboard, not yet today": "/",
    "dashboard, just done as usual": "/",
    "session list": "/sessions/",
    "new session": "/sessions/new/",
    "guided session": "/sessions/guide/",
    "log from the guide": "/sessions/new/?felt=hurt&minutes=9",
    "edit session": "/sessions/{session}/edit/",
    "delete session": "/sessions/{session}/delete/",
    "delete pause": "/sessions/pauses/{pause}/delete/",
    "techniques": "/sessions/techniques/",
    "rename technique": "/sessions/techniques/{technique}/rename/",
    "settings": "/accounts/settings/",
    "password change": "/accounts/password_change/",
    "delete account": "/accounts/delete/",
    "export": "/accounts/export/",
    "import": "/accounts/import/",
    "statistics": "/streaks/",
    "statistics by month": "/streaks/?span=month",
    "statistics by year": "/streaks/?span=year",
    "when you practise": "/streaks/when/",
    "what works for me": "/streaks/insights/",
    "year": "/streaks/year/{year}/",
    "one day": "/sessions/?date={day}",
    "one month": "/sessions/?month={month}",
    "a day that is not a date": "/sessions/?date=2026-02-30",
    "rest days": "/sessions/rest-days/",
    "apps and shortcuts": "/accounts/apps/",
    "report to share": "/streaks/report/?notes=on",
}
PHONE_320 = {"width": 320, "height": 640}


@pytest.fixture
def history(user):
    """Two weeks of sessions with a gap, a rest day and an own technique, so the
    pages show lists, figures and charts rather than their empty states."""
    today = user.today()
    for days_ago in (13, 12, 11, 9, 8, 6, 5, 4, 3, 2, 1):
        log_session(
            user,
            dt.datetime.combine(shift(today, -days_ago), dt.time(7, 45)),
            comfort=1 + days_ago % 5,
            techniques=("warm-up", "arch", "toes"),
            notes="Felt good; the arch was a little tight.",
            pain_before=3 + days_ago % 4,
            pain_after=1 + days_ago % 3,
            foot=("left", "right", "both")[days_ago % 3],
        )
    rest_day(user, shift(today, -7), "travel")
    rest_day(user, shift(today, 3), "skin")
    planned = pause(user, shift(today, 5), shift(today, 9), "travel", "Conference")
    technique = Technique.objects.create(user=user, name="Tennis ball roll")
    session = log_session(user, dt.datetime.combine(today, dt.time(0, 0)))
    return {
        "session": session.pk,
        "pause": planned.pk,
        "technique": technique.pk,
        "year": today.year,
        "day": shift(today, -2).isoformat(),
        "month": f"{today:%Y-%m}",
    }


def open_page(page, path, browser_errors):
    if path == SIGNED_OUT["404"]:
        browser_errors.expect_failed_load(path)
    response = page.goto(path)
    if path == SIGNED_OUT["404"]:
        assert response.status == 404
    else:
        assert response.status == 200, f"{path} answered {response.status}"
    # The page ran under the policy (browser_errors reports any violation).
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_have_count(1)


def signed_in_at(page, user, history, live_server, name):
    sign_in(page.context, user, live_server)
    if name != "dashboard" and name.startswith("dashboard"):
        MassageSession.objects.remove(user, history["session"])
    if name == "dashboard, just done as usual":
        # Through the page's own button, so the Undo offer is in the login session.
        page.goto("/")
        page.get_by_role("button", name="Done as usual").click()
        expect(page.get_by_role("button", name="Undo")).to_be_visible()
    return SIGNED_IN[name].format(**history)


@pytest.mark.parametrize("name", SIGNED_OUT)
def test_signed_out_pages_pass_axe(page, name, browser_errors):
    open_page(page, SIGNED_OUT[name], browser_errors)
    assert axe_violations(page) == []


@pytest.mark.parametrize("name", SIGNED_IN)
def test_signed_in_pages_pass_axe(
    page, name, user, history, live_server, browser_errors
):
    path = signed_in_at(page, user, history, live_server, name)
    open_page(page, path, browser_errors)
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "path",
    ["/accounts/signup/", "/accounts/login/", "/sessions/new/", "/sessions/rest-days/"],
)
def test_forms_showing_errors_pass_axe(page, path, user, live_server, browser_errors):
    if path.startswith(("/sessions/", "/streaks/")):
        sign_in(page.context, user, live_server)
    open_page(page, path, browser_errors)
    form = page.locator("main form[method=post]").first
    for day in form.locator("input[type=date]").all():
        day.fill("")
    form.locator("[type=submit]").first.click()
    expect(page.locator("#form-errors")).to_be_focused()
    assert axe_violations(page) == []


@pytest.mark.parametrize("name", SIGNED_OUT)
def test_signed_out_pages_fit_a_320px_screen(make_context, name, browser_errors):
    page = make_context(viewport=PHONE_320).new_page()
    open_page(page, SIGNED_OUT[name], browser_errors)
    assert horizontal_overflow(page) <= 0


@pytest.mark.parametrize("name", SIGNED_IN)
def test_signed_in_pages_fit_a_320px_screen(
    make_context, name, user, history, live_server, browser_errors
):
    page = make_context(viewport=PHONE_320).new_page()
    path = signed_in_at(page, user, history, live_server, name)
    open_page(page, path, browser_errors)
    assert horizontal_overflow(page) <= 0
