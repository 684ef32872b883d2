"""Footcare's own look in a browser (issue 24, items 7 and 8), in the light and
the dark theme: the palette's accent on buttons and the focus ring, axe-core
clean on the pages this look touched, and the technique pictures drawn in the
page's colours with names a screen reader reads."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from sessions import illustrations
from tests.e2e.conftest import PHONE, sign_in
from tests.e2e.pages import (
    axe_violations,
    horizontal_overflow,
    shift,
    wait_for_transitions,
)
from tests.factories import log_session
from tests.palette import palette, rgb

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

THEMES = ["light", "dark"]
PAGES = {
    "landing": "/",
    "dashboard": "/",  # not yet today: Done as usual, the heatmap
    "guided session": "/sessions/guide/",
    "statistics": "/streaks/",
    "techniques": "/sessions/techniques/",
    "sessions": "/sessions/",
    "settings": "/accounts/settings/",
    "preferred times": "/accounts/times/",
}


def css_rgb(hex_colour):
    return "rgb({}, {}, {})".format(*rgb(hex_colour))


@pytest.fixture(params=THEMES)
def theme(request):
    return request.param


@pytest.fixture
def history(user):
    today = user.today()
    for days_ago in range(1, 30):
        log_session(
            user,
            dt.datetime.combine(shift(today, -days_ago), dt.time(21, 0)),
            techniques=("warm-up", "arch", "heel"),
        )


def open_page(make_context, theme, viewport, user, live_server, path, signed_in=None):
    page = make_context(viewport=viewport, color_scheme=theme).new_page()
    if signed_in if signed_in is not None else path != "/":
        sign_in(page.context, user, live_server)
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
    return page


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_pass_axe_in_both_themes(
    make_context, theme, viewport, name, user, history, live_server
):
    page = open_page(
        make_context,
        theme,
        viewport,
        user,
        live_server,
        PAGES[name],
        signed_in=name != "landing",
    )
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


def test_buttons_links_and_the_focus_ring_wear_the_accent(
    make_context, theme, user, live_server
):
    colours = palette(theme)
    page = open_page(
        make_context, theme, PHONE, user, live_server, "/accounts/settings/"
    )
    save = page.get_by_role("button", name="Save settings")
    assert save.evaluate("e => getComputedStyle(e).backgroundColor") == css_rgb(
        colours["accent"]
    )
    assert save.evaluate("e => getComputedStyle(e).color") == css_rgb(
        colours["on-accent"]
    )
    link = page.get_by_role("link", name="Export your data")
    assert link.evaluate("e => getComputedStyle(e).color") == css_rgb(colours["accent"])
    # Reached with the keyboard, a button shows the solid ring.
    save.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(save).to_be_focused()
    wait_for_transitions(page)  # Bootstrap fades the ring in
    ring = save.evaluate("e => getComputedStyle(e).boxShadow")
    assert css_rgb(colours["focus-ring"]) in ring
    # ...and so does a link, through its outline.
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    outline = link.evaluate(
        "e => [getComputedStyle(e).outlineColor, getComputedStyle(e).outlineStyle]"
    )
    assert outline == [css_rgb(colours["focus-ring"]), "solid"]


def test_each_technique_has_a_named_picture_in_the_pages_colours(
    make_context, theme, user, live_server
):
    page = open_page(
        make_context, theme, PHONE, user, live_server, "/sessions/techniques/"
    )
    pictures = page.locator("svg.technique-picture")
    expect(pictures).to_have_count(len(illustrations.DESCRIPTIONS))
    line = css_rgb(palette(theme)["pic-line"])
    for description in illustrations.DESCRIPTIONS.values():
        picture = page.get_by_role("img", name=description, exact=True)
        expect(picture).to_be_visible()
        picture.scroll_into_view_if_needed()
        box = picture.bounding_box()
        assert 96 <= box["width"] <= 160
        assert box["height"] == box["width"]
        assert picture.evaluate("e => getComputedStyle(e).color") == line
        # The drawing arrived from its file: <use> has the picture's size.
        drawn = picture.locator("use").evaluate(
            "e => { const b = e.getBBox(); return [b.width, b.height]; }"
        )
        assert drawn[0] > 80
        assert drawn[1] > 80
