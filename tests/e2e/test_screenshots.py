"""Screenshots of the main pages for the README and for reviewing layout changes.

Skipped unless FOOTCARE_SCREENSHOTS=1:

    FOOTCARE_SCREENSHOTS=1 make e2e

They land in screenshots/ (gitignored): `<page>-<phone|desktop>.png` shows the
first screenful, `...-full.png` the whole page. The README's come from here
(copied by hand to docs/screenshots/): the dashboard before and after today's
session, statistics, a step of the guided session and the techniques page.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings

from sessions.models import MassageSession
from tests.conftest import make_user
from tests.e2e.conftest import BROWSER_TIMEZONE, PHONE, sign_in
from tests.e2e.pages import shift
from tests.factories import log_session, rest_day

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("FOOTCARE_SCREENSHOTS") != "1",
        reason="set FOOTCARE_SCREENSHOTS=1 to save screenshots",
    ),
]

FOLDER = Path(settings.BASE_DIR) / "screenshots"
SIGNED_IN_PAGES = {
    "session-form": "/sessions/new/",
    "statistics": "/streaks/",
    "techniques": "/sessions/techniques/",
    "settings": "/accounts/settings/",
}
ROUTINES = [
    ("warm-up", "arch", "toes", "ankle"),
    ("warm-up", "arch", "heel"),
    ("soak", "warm-up", "toes", "roller"),
    ("warm-up", "ball", "ankle", "oil"),
]
MISSED = {47, 46, 18}  # days ago without a session
RESTED = {31: "travel", 30: "travel", 9: "skin"}


def demo_history(user, days=60):
    """About two months of practice: mornings and evenings, a few missed days
    and rest days, and a session already done today."""
    today = user.today()
    for days_ago in range(days, 0, -1):
        if days_ago in MISSED:
            continue
        day = shift(today, -days_ago)
        if days_ago in RESTED:
            rest_day(user, day, RESTED[days_ago])
            continue
        evening = days_ago % 3 == 0
        log_session(
            user,
            dt.datetime.combine(day, dt.time(21, 10) if evening else dt.time(7, 20)),
            minutes=8 + days_ago % 8,
            comfort=3 + days_ago % 3,
            techniques=ROUTINES[days_ago % len(ROUTINES)],
            pressure=("light", "medium", "firm")[days_ago % 3],
            notes="Arch felt tight at first; easier after the warm-up."
            if days_ago % 7 == 0
            else "",
        )
    now = user.local_now().replace(tzinfo=None)
    earlier_today = max(dt.datetime.combine(today, dt.time(0, 0)), now.replace(hour=7))
    log_session(user, min(earlier_today, now), techniques=ROUTINES[0])


def shoot(page, name, viewport):
    size = "phone" if viewport == PHONE else "desktop"
    options = {"animations": "disabled", "caret": "hide"}
    page.screenshot(path=FOLDER / f"{name}-{size}.png", **options)
    page.screenshot(path=FOLDER / f"{name}-{size}-full.png", full_page=True, **options)


def test_save_screenshots(make_context, viewport, live_server, transactional_db):
    FOLDER.mkdir(exist_ok=True)
    context = make_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    page.goto("/")
    shoot(page, "landing", viewport)

    user = make_user("asha", timezone=BROWSER_TIMEZONE)
    demo_history(user)
    sign_in(context, user, live_server)
    missing = []
    for name, path in SIGNED_IN_PAGES.items():
        if page.goto(path).status != 200:
            missing.append(path)
            continue
        shoot(page, name, viewport)
    assert not missing, f"pages not there yet: {missing}"

    # The dashboard before today's session, then just after "Done as usual".
    for pk in MassageSession.objects.filter(
        user=user, local_date=user.today()
    ).values_list("pk", flat=True):
        MassageSession.objects.remove(user, pk)
    page.goto("/")
    shoot(page, "dashboard-before", viewport)
    page.get_by_role("button", name="Done as usual").click()
    page.get_by_role("button", name="Undo").wait_for()
    shoot(page, "dashboard-after", viewport)

    # A step of the guided session, a few seconds in.
    page.goto("/sessions/guide/")
    shoot(page, "guide", viewport)
    page.get_by_role("button", name="Start the guided session").click()
    page.locator("#guide-step-name").filter(has_text="Warm-up").wait_for()
    page.wait_for_timeout(2500)
    shoot(page, "guide-step", viewport)
