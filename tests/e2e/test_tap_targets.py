"""On a phone, the links and toggles that stand alone (not inside a sentence)
are as tall as a button: 44 px, for a thumb. Settings stacked six 19 px links,
"Change your password" just above "Delete your account"."""

import datetime as dt

import pytest

from sessions.models import MassageSession
from tests.e2e.conftest import PHONE, sign_in
from tests.factories import log_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STANDALONE = "a.tap-link, summary.tap-link"


@pytest.mark.parametrize(
    "path",
    ["/accounts/settings/", "/streaks/", "/", "/accounts/export/", "EDIT"],
)
def test_standalone_links_are_44_px_tall_on_a_phone(
    make_context, user, live_server, path
):
    yesterday = user.today() - dt.timedelta(days=1)
    log_session(user, dt.datetime.combine(yesterday, dt.time(8)))
    if path == "EDIT":
        path = f"/sessions/{MassageSession.objects.get().pk}/edit/"
    page = make_context(viewport=PHONE, has_touch=True).new_page()
    sign_in(page.context, user, live_server)
    page.goto(path)
    heights = page.eval_on_selector_all(
        STANDALONE,
        "targets => targets.filter(t => t.offsetParent !== null)"
        ".map(t => [t.textContent.trim(), t.getBoundingClientRect().height])",
    )
    assert heights, f"no standalone link on {path}"
    short = [(name, height) for name, height in heights if height < 44]
    assert short == []
