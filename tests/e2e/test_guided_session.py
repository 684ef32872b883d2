"""A guided session in a real browser, with Playwright's clock standing in for the
ten minutes: start, pause, skip, ease off, reload, finish, log in one more tap."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from sessions.models import GuidePreference, MassageSession
from tests.e2e.conftest import DESKTOP, PHONE, SMALL_PHONE, sign_in
from tests.e2e.pages import axe_violations, choose, horizontal_overflow, save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

URL = "/sessions/guide/"
ROUTINE = ("warm-up", "arch", "toes", "ankle", "heel")


@pytest.fixture(
    params=[PHONE, SMALL_PHONE, DESKTOP], ids=["390x844", "360x640", "desktop"]
)
def viewport(request):
    return request.param


@pytest.fixture
def guide_page(context, user, live_server):
    """The guided session page with a clock that only the test moves (from now)."""
    sign_in(context, user, live_server)
    page = context.new_page()
    start = dt.datetime.now(dt.UTC)
    page.clock.install(time=start)
    page.clock.pause_at(start + dt.timedelta(seconds=1))  # time moves when told
    page.goto(URL)
    return page


def step_left(page):
    return page.locator("#guide-step-left")


def expect_step(page, number, name, foot):
    expect(page.locator("#guide-step-count")).to_have_text(f"Step {number} of 10")
    expect(page.locator("#guide-step-name")).to_have_text(name)
    expect(page.locator("#guide-foot")).to_have_text(foot)
    # The step's picture, and only its own, named for screen readers.
    picture = page.locator("#guide-run .guide-picture:visible svg")
    expect(picture).to_have_count(1)
    expect(picture).to_have_attribute("aria-label", re.compile("^" + re.escape(name)))


def expect_axe_clean(page):
    # axe-core waits on timers of its own: let the clock run while it checks.
    page.clock.resume()
    violations = axe_violations(page)
    page_now = dt.datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, dt.UTC)
    page.clock.pause_at(page_now + dt.timedelta(seconds=1))
    assert violations == []


def assert_in_first_screen(page, locator):
    """Wholly within the first screen, before any scrolling."""
    page.evaluate("window.scrollTo(0, 0)")
    box = locator.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"], box


def logged_keys(session):
    return sorted(session.techniques.values_list("key", flat=True))


def step_animation(page):
    return page.locator("#guide-step-name").evaluate(
        "element => getComputedStyle(element).animationName"
    )


def test_a_whole_guided_session_ends_in_a_filled_in_log(guide_page, user):
    page = guide_page
    # Less motion asked for: no step animation, and no button colour fades that
    # axe could catch half-way.
    page.emulate_media(reduced_motion="reduce")
    expect(page.get_by_role("heading", name="Your routine: 10 min")).to_be_visible()
    expect(page.locator("ol.guide-steps > li")).to_have_count(5)
    assert_in_first_screen(
        page, page.get_by_role("button", name="Start the guided session")
    )
    expect_axe_clean(page)

    page.get_by_role("button", name="Start the guided session").click()
    expect_step(page, 1, "Warm-up strokes", "Left foot")
    expect(step_left(page)).to_have_text("1:00")
    expect(page.locator("#guide-next")).to_have_text(
        "Next: Warm-up strokes, right foot"
    )
    expect(page.locator("#guide-step-name")).to_be_focused()
    assert step_animation(page) == "none"
    page.clock.run_for(100)  # the announcement is set just after the change
    expect(page.locator("#guide-announce")).to_have_text(
        "Step 1 of 10: Warm-up strokes, left foot, 1 minute."
    )
    assert horizontal_overflow(page) <= 0

    page.clock.fast_forward("00:30")
    expect(step_left(page)).to_have_text("0:30")
    expect(page.locator("#guide-total-left")).to_have_text("9:30")

    page.get_by_role("button", name="Pause").click()
    expect(page.locator("#guide-paused")).to_be_visible()
    page.clock.fast_forward("05:00")  # a long pause costs nothing
    expect(step_left(page)).to_have_text("0:30")
    expect_axe_clean(page)
    page.get_by_role("button", name="Resume").click()

    page.get_by_role("button", name="Skip").click()
    expect_step(page, 2, "Warm-up strokes", "Right foot")
    expect(step_left(page)).to_have_text("1:00")

    page.get_by_role("button", name="Too much? Ease off").click()
    expect(step_left(page)).to_have_text("0:20")
    # Said on screen, not only to screen readers.
    expect(page.get_by_text("Eased off: this step now ends in 0:20.")).to_be_visible()
    page.clock.fast_forward("00:05")
    expect(step_left(page)).to_have_text("0:15")

    # A reload (or a phone that locked) picks up where the wall clock says.
    page.reload()
    expect_step(page, 2, "Warm-up strokes", "Right foot")
    expect(step_left(page)).to_have_text("0:15")

    # Steps run on by themselves, each foot in turn.
    page.clock.fast_forward("00:20")
    expect_step(page, 3, "Arch thumb pressure", "Left foot")
    page.clock.fast_forward("10:00")

    expect(
        page.get_by_role("heading", name="Done. Listen to your body")
    ).to_be_visible()
    expect_axe_clean(page)
    page.get_by_role("button", name="Something hurt").click()
    expect(page.get_by_text("Ease off next time")).to_be_visible()
    expect_axe_clean(page)

    page.get_by_role("link", name="Log this session").click()
    expect(page).to_have_url(re.compile(r"/sessions/new/\?date="))
    # The check-in came along: comfort picked (changeable), and a note asked for.
    expect(page.get_by_role("heading", name="Log your guided session")).to_be_visible()
    expect(page.get_by_label("2 · Uncomfortable")).to_be_checked()
    page.get_by_label("What hurt? (optional)").fill("Right heel")
    # Save in the first screen.
    expect(page.get_by_role("button", name="Save session")).to_be_in_viewport()
    assert_in_first_screen(page, page.get_by_role("button", name="Save session"))
    page.get_by_text("More details", exact=True).click()
    # 30 s + 20 s of warm-up, then arch, toes, ankle and heel in full: 530 s.
    expect(page.get_by_label("Duration (minutes)")).to_have_value("9")
    for technique in ("Warm-up strokes", "Arch thumb pressure", "Heel press"):
        expect(page.get_by_label(technique)).to_be_checked()
    choose(page, "4 · Comfortable")
    save(page)

    expect(page).to_have_url("/")
    expect(page.get_by_text("Saved: 9 minutes")).to_be_visible()
    session = MassageSession.objects.get(user=user)
    assert (session.duration_minutes, session.comfort) == (9, 4)
    assert session.notes == "Right heel"
    assert logged_keys(session) == sorted(ROUTINE)
    assert session.local_date == user.today()

    # Logged: the next visit starts afresh.
    page.goto(URL)
    expect(page.get_by_role("button", name="Start the guided session")).to_be_visible()


def test_with_pain_and_foot_recorded_save_is_in_the_first_screen_after_the_guide(
    make_context, viewport, user, live_server
):
    """The guide asked pain before and after and a hurt came up: the log form
    shows all of it, and Save still fits the first screen of a small phone."""
    User.objects.filter(pk=user.pk).update(record_pain=True, record_foot=True)
    context = make_context(viewport=viewport)
    sign_in(context, user, live_server)
    page = context.new_page()
    start = dt.datetime.now(dt.UTC)
    page.clock.install(time=start)
    page.clock.pause_at(start + dt.timedelta(seconds=1))
    page.goto(URL)
    page.get_by_label("Pain before").select_option("6")
    page.get_by_role("button", name="Start the guided session").click()
    expect_step(page, 1, "Warm-up strokes", "Left foot")
    page.clock.fast_forward("15:00")
    expect(
        page.get_by_role("heading", name="Done. Listen to your body")
    ).to_be_visible()
    page.get_by_label("Pain after").select_option("3")
    page.get_by_role("button", name="Something hurt").click()
    page.get_by_role("link", name="Log this session").click()

    expect(page.get_by_role("heading", name="Log your guided session")).to_be_visible()
    # What the guide asked, all on show: comfort, the note, pain before and after.
    expect(page.get_by_label("2 · Uncomfortable")).to_be_checked()
    expect(page.get_by_label("What hurt? (optional)")).to_be_visible()
    for label, value in (("Pain before", "6"), ("Pain after", "3")):
        expect(page.get_by_label(label)).to_be_visible()
        expect(page.get_by_label(label)).to_have_value(value)
    # What it filled in, summed up on "More details"; the feet it logs apart.
    details = page.locator("summary", has_text="More details")
    expect(details).to_contain_text("10 min, 5 techniques, each foot apart")
    expect(page.get_by_label("Each apart")).to_be_checked()
    save_button = page.get_by_role("button", name="Save session")
    assert_in_first_screen(page, save_button)
    assert horizontal_overflow(page) <= 0
    expect_axe_clean(page)
    if viewport == SMALL_PHONE:  # and narrower still, nothing runs off sideways
        page.set_viewport_size({"width": 320, "height": 568})
        assert horizontal_overflow(page) <= 0
        page.set_viewport_size(viewport)

    # The fold opens from the keyboard, the foot in it.
    each_apart = page.locator("label.btn", has_text="Each apart")
    expect(each_apart).to_be_hidden()
    details.focus()
    page.keyboard.press("Enter")
    expect(each_apart).to_be_visible()

    page.get_by_label("What hurt? (optional)").fill("Right heel")
    page.get_by_label("Pain after").select_option("2")
    save(page)
    expect(page).to_have_url("/")
    expect(page.get_by_text("left and right foot apart")).to_be_visible()
    sessions = MassageSession.objects.filter(user=user).order_by("foot")
    assert [
        (s.foot, s.pain_before, s.pain_after, s.comfort, s.notes) for s in sessions
    ] == [
        ("left", 6, 2, 2, "Right heel"),
        ("right", 6, 2, 2, "Right heel"),
    ]
    assert sum(s.duration_minutes for s in sessions) == 10
    assert all(logged_keys(s) == sorted(ROUTINE) for s in sessions)


def test_stopping_part_way_offers_to_log_what_was_done(guide_page, user):
    page = guide_page
    page.get_by_role("button", name="Start the guided session").click()
    expect_step(page, 1, "Warm-up strokes", "Left foot")
    page.clock.fast_forward("02:10")  # both warm-ups, 10 s of the arch
    expect_step(page, 3, "Arch thumb pressure", "Left foot")
    page.get_by_role("button", name="Stop").click()

    expect(page.get_by_role("heading", name="Stop here?")).to_be_focused()
    expect(page.locator("#guide-done")).to_have_text("2 minutes 10 seconds")
    expect_axe_clean(page)
    page.get_by_role("button", name="Keep going").click()
    expect_step(page, 3, "Arch thumb pressure", "Left foot")
    expect(step_left(page)).to_have_text("1:20")
    page.get_by_role("button", name="Stop").click()

    page.get_by_role("link", name="Log what I did").click()
    expect(page.get_by_label("Duration (minutes)")).to_have_value("2")
    expect(page.get_by_label("Warm-up strokes")).to_be_checked()
    expect(page.get_by_label("Arch thumb pressure")).to_be_checked()
    expect(page.get_by_label("Toe pull and rotate")).not_to_be_checked()
    choose(page, "3 · Okay")
    save(page)

    expect(page).to_have_url("/")
    session = MassageSession.objects.get(user=user)
    assert session.duration_minutes == 2
    assert logged_keys(session) == ["arch", "warm-up"]


def test_changed_choices_start_at_once_and_are_remembered(guide_page, user):
    page = guide_page
    page.get_by_text("Change the routine", exact=True).click()
    page.get_by_label("Warm soak first").check()
    choose(page, "Massage ball")
    page.get_by_label("Warm soak (both feet)").select_option("60")
    expect_axe_clean(page)
    page.get_by_role("button", name="Start the guided session").click()

    expect(page.locator("#guide-step-count")).to_have_text("Step 1 of 13")
    expect(page.locator("#guide-step-name")).to_have_text("Warm soak")
    expect(page.locator("#guide-foot")).to_have_text("Both feet")
    expect(step_left(page)).to_have_text("1:00")
    preference = GuidePreference.objects.get(user=user)
    assert (preference.soak, preference.tool) == (True, "ball")
    assert preference.durations["soak"] == 60

    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Discard this session").click()
    expect(page.get_by_role("heading", name="Your routine: 13 min")).to_be_visible()
    expect(page.locator("ol.guide-steps > li").first).to_contain_text("Warm soak")
    expect(page.locator("ol.guide-steps > li").last).to_contain_text("Massage ball")


def test_mute_is_a_named_toggle_that_sticks(guide_page):
    page = guide_page
    page.get_by_role("button", name="Start the guided session").click()
    expect_step(page, 1, "Warm-up strokes", "Left foot")
    assert step_animation(page) == "guide-step-in"
    mute = page.locator("#guide-mute")
    expect(mute).to_have_attribute("aria-pressed", "false")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator("#guide-mute")).to_have_attribute("aria-pressed", "true")
    expect_axe_clean(page)


def test_keyboard_alone_runs_the_controls(guide_page):
    page = guide_page
    page.get_by_role("button", name="Start the guided session").focus()
    page.keyboard.press("Enter")
    expect_step(page, 1, "Warm-up strokes", "Left foot")
    page.get_by_role("button", name="Skip").focus()
    page.keyboard.press("Enter")
    expect_step(page, 2, "Warm-up strokes", "Right foot")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Back")).to_be_focused()
    page.keyboard.press("Space")
    expect_step(page, 1, "Warm-up strokes", "Left foot")


def test_without_javascript_the_routine_links_to_a_filled_in_log(
    make_context, viewport, user, live_server
):
    context = make_context(viewport=viewport, java_script_enabled=False)
    sign_in(context, user, live_server)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Start a guided session").click()
    expect(page).to_have_url(URL)
    expect(page.locator("ol.guide-steps > li")).to_have_count(5)
    expect(page.get_by_role("button", name="Start the guided session")).to_be_hidden()

    page.get_by_role("link", name="Log this routine").click()
    expect(page.get_by_label("Duration (minutes)")).to_have_value("10")
    expect(page.get_by_label("Heel press")).to_be_checked()
    choose(page, "5 · Very comfortable")
    save(page)

    expect(page.get_by_text("Saved: 10 minutes")).to_be_visible()
    session = MassageSession.objects.get(user=user)
    assert logged_keys(session) == sorted(ROUTINE)


def test_without_javascript_choices_are_saved_with_a_plain_form(
    make_context, user, live_server
):
    context = make_context(java_script_enabled=False)
    sign_in(context, user, live_server)
    page = context.new_page()
    page.goto(URL)
    page.get_by_text("Change the routine", exact=True).click()
    page.get_by_label("Oil or cream", exact=True).check()
    page.get_by_label("Heel press (per foot)").select_option("90")
    page.get_by_role("button", name="Save my choices").click()

    expect(page.get_by_text("Saved your choices")).to_be_visible()
    expect(page.get_by_role("heading", name="Your routine: 12 min")).to_be_visible()
    assert GuidePreference.objects.get(user=user).oil is True


def test_stopped_early_because_it_hurt_logs_in_one_tap(guide_page, user):
    """Which foot recorded, the guide logs each foot apart; stopped at 20 s
    the log form used to open with 1 minute "each apart" and refuse it (two
    feet need two minutes). And the stop screen had no "Something hurt"."""
    user.record_foot = True
    user.save()
    page = guide_page
    page.reload()
    page.get_by_role("button", name="Start the guided session").click()
    page.clock.fast_forward("00:20")
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("heading", name="Stop here?")).to_be_focused()
    page.get_by_role("link", name="Log it: something hurt").click()
    expect(page.get_by_label("What hurt? (optional)")).to_be_visible()
    page.get_by_label("What hurt? (optional)").fill("Left arch")
    save(page)
    expect(page).to_have_url("/")
    session = MassageSession.objects.get(user=user)
    assert (session.duration_minutes, session.comfort) == (1, 2)
    assert session.notes == "Left arch"
