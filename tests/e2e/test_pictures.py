"""The pictures in a browser: the heatmap on a 390 px phone (cell and label sizes,
the newest weeks in view, named day links, keyboard), and chart text sizes."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts import words
from tests.e2e.conftest import DESKTOP, PHONE, SMALL_PHONE, sign_in
from tests.e2e.pages import axe_violations, shift
from tests.factories import log_session, rest_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def months_of_history(user):
    today = user.today()
    for days_ago in range(1, 120):
        if days_ago % 5:
            log_session(
                user,
                dt.datetime.combine(shift(today, -days_ago), dt.time(20, 15)),
                minutes=5 + days_ago % 20,
                comfort=1 + days_ago % 5,
            )
    rest_day(user, shift(today, -5), "travel")
    return today


@pytest.fixture(params=[PHONE, SMALL_PHONE], ids=["390x844", "360x640"])
def phone(make_context, user, live_server, request):
    page = make_context(viewport=request.param).new_page()
    sign_in(page.context, user, live_server)
    return page


def name(day, what):
    return f"{words.day_name(day)}: {what}"


def test_the_heatmap_on_a_phone_has_big_days_and_opens_on_the_newest(
    phone, months_of_history
):
    today = months_of_history
    phone.goto("/")
    grid = phone.locator(".heatmap-grid")
    cells = grid.locator("a")
    expect(cells).to_have_count(52 * 7 + today.weekday() + 1)
    # Tap targets of at least 24 x 24 px.
    box = cells.first.bounding_box()
    assert box["width"] >= 24
    assert box["height"] >= 24
    labels = phone.locator(".heatmap-month:not(:empty), .heatmap-weekdays span")
    assert labels.count() >= 12 + 7
    sizes = labels.evaluate_all(
        "all => all.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert min(sizes) >= 11
    # The newest weeks show without scrolling sideways; a year ago does not.
    phone.locator("#heatmap-heading").scroll_into_view_if_needed()
    frame = phone.locator(".heatmap-scroll").bounding_box()
    yesterday = shift(today, -1)
    newest = phone.get_by_role(
        "link", name=name(yesterday, f"1 session, {5 + 1 % 20} minutes")
    )
    expect(newest).to_be_in_viewport()
    day = newest.bounding_box()
    assert frame["x"] <= day["x"]
    assert day["x"] + day["width"] <= frame["x"] + frame["width"]
    oldest = grid.locator("a").first.bounding_box()
    assert oldest["x"] + oldest["width"] < frame["x"]
    # Today is marked, for the eye and for screen readers.
    marked = grid.locator('a[aria-current="date"]')
    expect(marked).to_have_count(1)
    expect(marked).to_have_attribute("href", f"/sessions/?date={today.isoformat()}")
    expect(marked).to_be_in_viewport()
    ring = marked.evaluate("e => getComputedStyle(e).boxShadow")
    assert "inset" in ring
    assert_month_names_whole(phone)
    # Rest days are striped, not just another colour.
    rest = phone.get_by_role("link", name=name(shift(today, -5), "rest day (travel)"))
    image = rest.evaluate("e => getComputedStyle(e).backgroundImage")
    assert "repeating-linear-gradient" in image
    # The day under the finger or the focus is named below the grid.
    newest.focus()
    expect(phone.locator(".heatmap-day")).to_have_text(
        name(yesterday, f"1 session, {5 + 1 % 20} minutes")
    )


def assert_month_names_whole(page):
    """No month name is cut: each fits inside the grid's scrollable width."""
    cut = page.evaluate(
        """() => Array.from(document.querySelectorAll('.heatmap-month'))
          .filter(e => e.textContent)
          .filter(e => {
            const grid = e.closest('.heatmap-grid').getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(e);
            return range.getBoundingClientRect().right > grid.right;
          }).map(e => e.textContent)"""
    )
    assert cut == []


def test_the_heatmap_takes_the_whole_width_of_a_desktop(
    make_context, user, live_server, months_of_history
):
    page = make_context(viewport=DESKTOP).new_page()
    sign_in(page.context, user, live_server)
    page.goto("/")
    heatmap = page.locator(".dash-heatmap").bounding_box()
    main = page.locator("main").bounding_box()
    assert heatmap["width"] >= main["width"] - 40
    scroll = page.locator(".heatmap-scroll")
    # The whole year in view: nothing to scroll sideways.
    assert scroll.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    first = page.locator(".heatmap-grid a").first
    expect(first).to_be_in_viewport()
    assert_month_names_whole(page)
    assert axe_violations(page) == []


def test_a_day_link_opens_that_days_sessions(phone, months_of_history):
    day = shift(months_of_history, -2)
    phone.goto("/")
    link = phone.get_by_role("link", name=name(day, "1 session, 7 minutes"))
    link.click()
    expect(phone).to_have_url(f"/sessions/?date={day.isoformat()}")
    expect(phone.get_by_text("1 session, 7 minutes", exact=True)).to_be_visible()
    assert axe_violations(phone) == []


def test_the_days_are_reachable_by_keyboard_and_can_be_skipped(
    phone, months_of_history
):
    phone.goto("/")
    skip = phone.get_by_role("link", name="Skip past the days")
    skip.focus()
    phone.keyboard.press("Tab")
    first_day = phone.locator(".heatmap-grid a").first
    expect(first_day).to_be_focused()
    expect(first_day).to_be_in_viewport()  # scrolled to when focused
    phone.keyboard.press("Shift+Tab")
    expect(skip).to_be_focused()
    phone.keyboard.press("Enter")
    phone.keyboard.press("Tab")
    inside = phone.evaluate("!!document.activeElement.closest('.heatmap-grid')")
    assert not inside


def test_year_pages_switch_years(phone, user, months_of_history):
    log_session(user, dt.datetime(months_of_history.year - 1, 3, 4, 8, 0))
    phone.goto(f"/streaks/year/{months_of_history.year}/")
    phone.get_by_role("navigation", name="Years").get_by_role(
        "link", name=str(months_of_history.year - 1)
    ).click()
    expect(phone.locator("h1")).to_have_text(f"Your year {months_of_history.year - 1}")
    day = dt.date(months_of_history.year - 1, 3, 4)
    expect(
        phone.get_by_role("link", name=name(day, "1 session, 10 minutes"))
    ).to_have_count(1)
    assert axe_violations(phone) == []


@pytest.mark.parametrize("span", ["week", "month", "year"])
def test_statistics_charts_keep_their_text_readable_on_a_phone(
    phone, months_of_history, span
):
    phone.goto(f"/streaks/?span={span}")
    expect(phone.locator("svg.chart").first).to_be_visible()
    smallest = phone.evaluate(
        """() => Math.min(...Array.from(document.querySelectorAll('svg.chart'))
          .map(svg => {
            const box = svg.getBoundingClientRect();
            const scale = box.width / svg.viewBox.baseVal.width;
            const sizes = Array.from(svg.querySelectorAll('text')).map(
                t => parseFloat(getComputedStyle(t).fontSize));
            return Math.min(...sizes) * scale;
          }))"""
    )
    assert smallest >= 11
    active = phone.get_by_role("navigation", name="Minutes per").locator(
        "[aria-current=page]"
    )
    expect(active).to_have_text(
        {"week": "Weeks", "month": "Months", "year": "Years"}[span]
    )
    assert axe_violations(phone) == []
