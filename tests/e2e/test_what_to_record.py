"""What to record, in a browser: switched on in Settings, the log form on a phone
still has Save in the first screen with pain on, and logs pain, foot and where;
with everything off the two-tap log is as it was. The new states pass axe."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.models import User
from sessions.models import MassageSession
from tests.e2e.conftest import sign_in
from tests.e2e.pages import axe_violations, shift
from tests.e2e.test_two_taps import PHONES, inside_first_screen
from tests.factories import log_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def phone_page(make_context, user, live_server, size, javascript=True):
    page = make_context(
        viewport=PHONES[size], java_script_enabled=javascript, has_touch=javascript
    ).new_page()
    sign_in(page.context, user, live_server)
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("size", PHONES)
def test_with_pain_on_save_stays_in_the_first_screen(
    make_context, user, live_server, size, javascript
):
    page = phone_page(make_context, user, live_server, size, javascript)
    page.goto("/accounts/settings/")
    page.get_by_label("Pain before and after").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save what to record").click()
    user.refresh_from_db()
    assert user.record_pain
    assert not user.record_foot

    page.goto("/")
    save = page.get_by_role("button", name="Save session")
    before, after = page.get_by_label("Pain before"), page.get_by_label("Pain after")
    assert page.evaluate("window.scrollY") == 0
    for control in (save, before, after):
        assert inside_first_screen(page, control, PHONES[size])
    expect(page.get_by_text("0 = no pain, 10 = worst imaginable.")).to_be_visible()

    before.select_option("7")
    after.select_option("3")
    page.locator("label.btn", has_text="4 · Comfortable").click()
    with page.expect_navigation():
        save.click()
    expect(page.get_by_text("Saved: 10 minutes")).to_be_visible()
    session = MassageSession.objects.get(user=user)
    assert (session.pain_before, session.pain_after, session.comfort) == (7, 3, 4)


@pytest.mark.parametrize("size", PHONES)
def test_with_everything_off_the_log_form_is_the_two_tap_form(
    make_context, user, live_server, size
):
    page = phone_page(make_context, user, live_server, size)
    page.goto("/")
    form = page.locator("form.log-form")
    expect(form.locator("select, [name=foot], [name=zones]")).to_have_count(0)
    expect(page.get_by_text("no pain")).to_have_count(0)
    save = page.get_by_role("button", name="Save session")
    comfort = page.locator("label.btn", has_text="5 · Very comfortable")
    assert inside_first_screen(page, comfort, PHONES[size])
    assert inside_first_screen(page, save, PHONES[size])
    comfort.tap()
    save.tap()
    expect(page.get_by_text("Saved: 10 minutes")).to_be_visible()
    session = MassageSession.objects.get(user=user)
    assert (session.comfort, session.pain_before, session.foot) == (5, None, "")


def test_everything_on_logs_foot_and_where_and_passes_axe(
    make_context, user, live_server
):
    User.objects.filter(pk=user.pk).update(
        record_pain=True, record_foot=True, record_where=True
    )
    page = phone_page(make_context, user, live_server, "390x844")
    page.goto("/")
    assert axe_violations(page) == []
    save = page.get_by_role("button", name="Save session")
    assert inside_first_screen(page, save, PHONES["390x844"])
    page.locator("fieldset:has([name=foot]) label.btn", has_text="Right").click()
    page.locator("fieldset:has([name=zones]) label.btn", has_text="Heel").click()
    page.locator("fieldset:has([name=zones]) label.btn", has_text="Toes").click()
    page.locator("label.btn", has_text="3 · Okay").click()
    with page.expect_navigation():
        save.click()
    session = MassageSession.objects.get(user=user)
    assert session.foot == "right"
    assert session.zone_list == [MassageSession.Zone.HEEL, MassageSession.Zone.TOES]

    page.goto(f"/sessions/{session.pk}/edit/")
    assert axe_violations(page) == []
    expect(page.get_by_label("Pain before")).to_have_value("")


def test_what_works_for_me_passes_axe_with_a_history(make_context, user, live_server):
    today = user.today()
    for days_ago in range(1, 15):
        log_session(
            user,
            dt.datetime.combine(shift(today, -days_ago), dt.time(7 + days_ago % 14)),
            comfort=1 + days_ago % 5,
            techniques=("warm-up", "arch") if days_ago % 2 else ("toes",),
            pain_before=3 + days_ago % 5,
            pain_after=1 + days_ago % 4,
            foot=("left", "right", "both")[days_ago % 3],
            zones=days_ago % 32,
            pressure=("light", "firm", "")[days_ago % 3],
        )
    page = phone_page(make_context, user, live_server, "390x844")
    page.goto("/streaks/insights/")
    expect(page.locator("h1")).to_have_text("What works for me")
    expect(page.locator("svg[aria-labelledby^=pain-trend]")).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("size", PHONES)
def test_the_guide_asks_pain_and_logs_each_foot_apart(
    make_context, user, live_server, size
):
    User.objects.filter(pk=user.pk).update(record_pain=True, record_foot=True)
    page = phone_page(make_context, user, live_server, size)
    start = dt.datetime.now(dt.UTC)
    page.clock.install(time=start)
    page.clock.pause_at(start + dt.timedelta(seconds=1))
    page.goto("/sessions/guide/")
    begin = page.get_by_role("button", name="Start the guided session")
    assert inside_first_screen(page, begin, PHONES[size])
    page.get_by_label("Pain before").select_option("6")
    begin.click()
    expect(page.locator("#guide-step-count")).to_have_text("Step 1 of 10")
    page.clock.fast_forward("15:00")
    expect(
        page.get_by_role("heading", name="Done. Listen to your body")
    ).to_be_visible()
    page.get_by_label("Pain after").select_option("2")
    page.get_by_role("button", name="Good").click()
    page.clock.resume()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Log this session").click()
    expect(page.get_by_label("Pain before")).to_have_value("6")
    expect(page.get_by_label("Pain after")).to_have_value("2")
    expect(page.get_by_label("Each apart")).to_be_checked()
    save = page.get_by_role("button", name="Save session")
    assert inside_first_screen(page, save, PHONES[size])
    with page.expect_navigation():
        save.click()
    expect(page.get_by_text("left and right foot apart")).to_be_visible()
    sessions = MassageSession.objects.filter(user=user).order_by("foot")
    assert [(s.foot, s.pain_before, s.pain_after, s.comfort) for s in sessions] == [
        ("left", 6, 2, 4),
        ("right", 6, 2, 4),
    ]
    left, right = sessions
    assert left.duration_minutes + right.duration_minutes == 10
    assert left.duration_minutes - right.duration_minutes in (0, 1)
