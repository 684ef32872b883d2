"""What the browser tests do and check on Footcare's pages, in one place."""

import datetime as dt
import time

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_21_AA},
    "resultTypes": ["violations"],
}


def long_date(day):
    """A day as the pages write it in link names: 24 November 2026."""
    return f"{day.day} {day:%B %Y}"


def shift(day, days):
    return day + dt.timedelta(days=days)


# The dashboard's streak figures and today's status. Every assertion that depends
# on them goes through these helpers, so they are easy to find (grep "DASHBOARD").


def expect_figure(page, term, value):
    """DASHBOARD: the <dd> after <dt>{term}</dt> in the figures <dl>."""
    dd = page.locator(
        f"xpath=//dl//dt[normalize-space()='{term}']/following-sibling::dd[1]"
    )
    expect(dd.first).to_have_text(value)


def expect_current_streak(page, value):
    """DASHBOARD: "Current streak" reads `value` ("1 day", "2 days")."""
    expect_figure(page, "Current streak", value)


def expect_done_today(page):
    """DASHBOARD: today's status says a session is logged."""
    expect(page.get_by_text("Done today", exact=True)).to_be_visible()


def expect_not_yet_today(page):
    """DASHBOARD: today's status, with a streak running until yesterday."""
    expect(
        page.get_by_text("Not yet today: your streak is safe until the day ends")
    ).to_be_visible()


# The log form (dashboard, /sessions/new/, edit pages).


def choose(page, label):
    """Tap one of the big toggle buttons (comfort, pressure): the visible label."""
    page.locator("label.btn", has_text=label).click()


def save(page, name="Save session"):
    page.get_by_role("button", name=name).click()


def open_menu_if_collapsed(page):
    """On a phone the navigation sits behind the Menu button."""
    toggler = page.get_by_role("button", name="Menu")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#nav-links")).to_be_visible()
        # The menu slides open; a link tapped while it still moves can miss.
        wait_for_transitions(page)


def log_out(page):
    open_menu_if_collapsed(page)
    page.get_by_role("button", name="Log out").click()


# Checks that apply to every page.


def wait_for_transitions(page):
    """Until no CSS transition runs (at most a second). A loop of evaluate, not
    wait_for_function, which the pages' CSP refuses (it evaluates a string)."""
    for _ in range(50):
        if page.evaluate(
            "document.getAnimations().every(a => a.playState !== 'running')"
        ):
            return
        time.sleep(0.02)


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations, one readable line per rule.

    After the transitions end: a button caught half-way from outline to filled
    (Bootstrap's 0.15 s) fails colour contrast on a loaded machine."""
    wait_for_transitions(page)
    results = Axe().run(page, options=AXE_OPTIONS).response
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"])
        for rule in results["violations"]
    ]


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than the window (0: no side scroll)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
