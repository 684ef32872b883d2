"""At 200% text on a phone, pages stay as wide as the screen: a table that no
longer fits scrolls in its own labelled box, and the log form's fields show
their whole value."""

import datetime as dt

import pytest

from tests.e2e.conftest import PHONE, sign_in
from tests.factories import log_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def big_text(make_context, user, live_server):
    """A phone whose text is twice the usual size (as a user's setting makes it)."""
    today = user.today()
    for days in range(0, 60, 2):
        day = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(8))
        log_session(user, day, pain_before=3, pain_after=1)
    page = make_context(viewport=PHONE, has_touch=True, bypass_csp=True).new_page()
    sign_in(page.context, user, live_server)

    def goto(path):
        page.goto(path)
        page.add_style_tag(content="html { font-size: 200% !important; }")
        return page

    return goto


@pytest.mark.parametrize("path", ["/streaks/", "/streaks/when/", "/streaks/report/"])
def test_opened_tables_scroll_in_their_box_not_the_page(big_text, path):
    page = big_text(path)
    for summary in page.locator("summary").all():
        summary.click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def tops(page, *labels):
    return [page.get_by_label(label).bounding_box()["y"] for label in labels]


@pytest.mark.parametrize("large", [False, True], ids=["100%", "200%"])
def test_the_log_forms_pairs_stack_when_the_text_is_large(big_text, user, large):
    """Side by side at 200% text, the date showed "12/0", the time "10:3" and
    the pain after "Not": stacked, each shows its whole value."""
    user.record_pain = True
    user.save()
    page = big_text("/sessions/new/")
    if not large:
        page.reload()  # the page's own text size
    page.locator("details.more-details").evaluate("details => { details.open = true; }")
    for pair in (("Date", "Start time"), ("Pain before", "Pain after")):
        first, second = tops(page, *pair)
        assert (second > first) == large
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
