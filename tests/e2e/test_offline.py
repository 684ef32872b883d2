"""Logging with the connection gone, in Chromium: the session waits on the
phone (IndexedDB) and is sent once when the connection is back, whatever
reloads, tabs and log-outs happen meanwhile."""

import datetime as dt
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from sessions.models import MassageSession, Technique
from tests.conftest import make_user
from tests.e2e.conftest import sign_in
from tests.e2e.pages import axe_violations, choose, log_out, save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEPT = "Saved on this phone; it will be sent when you are back online."
ONE_WAITING = "1 session is waiting to be sent."
SENT = "Sent the session saved on this phone."

WAITING_IN_BROWSER = """async () => {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open("footcare-offline", 1);
    req.onupgradeneeded = () =>
      req.result.createObjectStore("sessions", {keyPath: "id"});
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const all = await new Promise((resolve, reject) => {
    const req = db.transaction("sessions").objectStore("sessions").getAll();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  db.close();
  return all.length;
}"""


def waiting_in_browser(page):
    """The sessions waiting in the browser; None while the dashboard loads
    itself again (it does once it has sent them)."""
    try:
        return page.evaluate(WAITING_IN_BROWSER)
    except PlaywrightError as error:
        if "context was destroyed" not in str(error):
            raise
        return None


def eventually(page, check, timeout=10):
    """Wait for `check()`, letting the page run meanwhile (Playwright's sync
    API runs route handlers and events only inside its own calls)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(100)


def reload(page):
    """Load the page again. The dashboard loads itself again once it has sent
    what waited; if that load starts while ours is on its way, it aborts ours
    and is the one to wait for."""
    try:
        page.reload()
    except PlaywrightError as error:
        if "ERR_ABORTED" not in str(error):
            raise
        page.wait_for_load_state()


def ready_dashboard(page):
    """The dashboard, with the service worker in control (so a reload without
    a connection shows the offline page)."""
    page.goto("/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(page.get_by_role("heading", name="Log a session")).to_be_visible()


def log_offline(page, comfort="4 · Comfortable"):
    """Save the dashboard's form with the connection gone; the time it shows."""
    page.get_by_text("More details").click()
    when = (
        page.locator("#id_date").input_value(),
        page.locator("#id_start_time").input_value(),
    )
    choose(page, comfort)
    save(page)
    status = page.locator("#log [data-offline-status]")
    expect(status).to_contain_text(KEPT)
    expect(status).to_contain_text(ONE_WAITING)
    return when


def sent_line(page):
    """What the dashboard says at its top once it has sent what waited."""
    return page.locator("#main > .alert-success", has_text=SENT)


def local_start(session):
    start = session.local_start
    return (start.date().isoformat(), f"{start:%H:%M}")


@pytest.fixture
def page(make_context, user, live_server):
    context = make_context()
    sign_in(context, user, live_server)
    return context.new_page()


def test_a_session_logged_offline_is_sent_once_at_the_time_it_was_logged(page, user):
    ready_dashboard(page)
    page.context.set_offline(True)
    when = log_offline(page)
    assert not MassageSession.objects.exists()
    assert axe_violations(page) == []

    page.reload()  # the offline page, which counts what waits
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.locator("[data-offline-form] [data-offline-status]")).to_have_text(
        ONE_WAITING
    )
    assert axe_violations(page) == []

    page.context.set_offline(False)
    reload(page)
    reload(page)  # perhaps while the first load was still sending
    # Sent, the dashboard loads itself again: today is done now (the form is
    # folded under "Log another session", no second "Done as usual" offered),
    # and it says what was sent.
    expect(sent_line(page)).to_be_visible()
    expect(page.get_by_text("Log another session")).to_be_visible()
    assert waiting_in_browser(page) == 0
    (session,) = MassageSession.objects.filter(user=user)
    assert local_start(session) == when
    assert session.comfort == 4
    assert session.techniques.exists()


def test_save_pressed_again_on_the_fresh_form_asks_before_a_second(page, user):
    """Offline, the page does not change after Save as it does online: a second
    tap on an untouched form is held once; a third logs another session."""
    ready_dashboard(page)
    page.context.set_offline(True)
    log_offline(page)
    save(page)
    status = page.locator("#log [data-offline-status]")
    expect(status).to_contain_text("That session is saved on this phone.")
    expect(status).to_contain_text(ONE_WAITING)
    save(page)
    expect(status).to_contain_text("2 sessions are waiting to be sent.")
    page.context.set_offline(False)
    page.reload()
    expect(sent_line(page).or_(page.get_by_text("Sent 2 sessions"))).to_be_visible()
    eventually(page, lambda: MassageSession.objects.filter(user=user).count() == 2)


def test_the_online_event_sends_it_without_a_reload(page, user):
    ready_dashboard(page)
    page.context.set_offline(True)
    log_offline(page)
    page.context.set_offline(False)
    expect(sent_line(page)).to_be_visible()
    expect(page.get_by_text("Log another session")).to_be_visible()
    assert MassageSession.objects.filter(user=user).count() == 1


def test_a_form_being_filled_in_is_not_reloaded_away(page, user):
    """Sent while the user is typing a second session: the page stays, and
    offers the updated dashboard with a link."""
    ready_dashboard(page)
    page.context.set_offline(True)
    log_offline(page)
    choose(page, "2 · Uncomfortable")
    page.context.set_offline(False)
    status = page.locator("#log [data-offline-status]")
    expect(status).to_contain_text(SENT)
    expect(
        status.get_by_role("link", name="Show the updated dashboard")
    ).to_be_visible()
    assert page.locator("#log input[name=comfort][value='2']").is_checked()
    assert MassageSession.objects.filter(user=user).count() == 1


def test_two_tabs_coming_online_at_once_send_it_once(page, user):
    ready_dashboard(page)
    other = page.context.new_page()
    ready_dashboard(other)
    page.context.set_offline(True)
    log_offline(page)
    page.context.set_offline(False)  # both tabs hear "online" together
    eventually(page, lambda: waiting_in_browser(page) == 0)
    for tab in (page, other):
        reload(tab)
    eventually(other, lambda: waiting_in_browser(other) == 0)
    assert MassageSession.objects.filter(user=user).count() == 1


def test_a_lost_answer_is_not_a_second_session(page, user, browser_errors):
    browser_errors.expect_failed_load("/sessions/new/")
    ready_dashboard(page)
    page.context.set_offline(True)
    log_offline(page)
    # The server saves it, but the answer never reaches the page.
    lost = []

    def answer_lost(route):
        route.fetch()
        route.abort("connectionreset")
        lost.append(route.request.url)

    page.route("**/sessions/new/", answer_lost)
    page.context.set_offline(False)
    eventually(page, lambda: lost)
    assert MassageSession.objects.filter(user=user).count() == 1
    assert waiting_in_browser(page) == 1
    page.unroute("**/sessions/new/")
    page.reload()
    eventually(page, lambda: waiting_in_browser(page) == 0)
    assert MassageSession.objects.filter(user=user).count() == 1


def test_a_refused_session_is_shown_with_its_reason_until_dismissed(page, user):
    ready_dashboard(page)
    page.context.set_offline(True)
    page.get_by_text("More details").click()
    page.locator("#id_date").fill("2099-01-01")
    choose(page, "3 · Okay")
    save(page)
    page.context.set_offline(False)
    status = page.locator("#log [data-offline-status]")
    expect(status).to_contain_text("Not saved (2099-01-01")
    expect(status).to_contain_text("That is in the future.")
    page.reload()
    expect(status).to_contain_text("That is in the future.")  # not dropped
    assert axe_violations(page) == []
    status.get_by_role("button", name="Dismiss").click()
    expect(status).not_to_contain_text("Not saved")
    assert waiting_in_browser(page) == 0
    assert not MassageSession.objects.exists()


def test_the_offline_pages_form_logs_with_the_dashboards_defaults(page, user):
    roll = Technique.objects.create(user=user, name="Tennis ball roll")
    ready_dashboard(page)
    page.get_by_text("More details").click()
    page.locator("#log input[name=techniques]:checked").evaluate_all(
        "boxes => boxes.forEach(box => box.click())"
    )
    page.get_by_label("Tennis ball roll").check()
    choose(page, "5 · Very comfortable")
    save(page)  # online: the ordinary post; next time's default is the roll
    expect(page.get_by_text("Saved: 10 minutes")).to_be_visible()
    page.context.set_offline(True)
    page.reload()
    form = page.locator("[data-offline-form]")
    expect(
        form.get_by_role("heading", name="Save a session on this phone")
    ).to_be_visible()
    saved_at = dt.datetime.now(dt.UTC)
    form.locator("label.btn", has_text="2").click()
    form.get_by_role("button", name="Save session").click()
    expect(form.locator("[data-offline-status]")).to_contain_text(KEPT)
    page.context.set_offline(False)
    page.goto("/")
    eventually(page, lambda: MassageSession.objects.filter(user=user).count() == 2)
    session = MassageSession.objects.filter(user=user).order_by("-created_at").first()
    assert session.comfort == 2
    assert list(session.techniques.all()) == [roll]
    assert abs(session.started_at - saved_at) < dt.timedelta(minutes=2)
    assert session.timezone == user.timezone


def test_logging_out_while_one_waits_sends_it_as_no_one(
    page, user, live_server, browser_errors
):
    browser_errors.expect_failed_load("/sessions/new/")
    ready_dashboard(page)
    page.route("**/sessions/new/", lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(True)
    log_offline(page)
    page.context.set_offline(False)  # a send is tried, and fails
    page.wait_for_timeout(500)
    assert waiting_in_browser(page) == 1
    page.unroute("**/sessions/new/")
    log_out(page)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    assert waiting_in_browser(page) == 0

    bob = make_user("bob", timezone=user.timezone)
    sign_in(page.context, bob, live_server)
    page.goto("/")
    expect(page.get_by_role("heading", name="Log a session")).to_be_visible()
    page.wait_for_timeout(500)
    assert not MassageSession.objects.exists()


def test_another_account_never_sends_what_waits_for_this_one(
    page, user, live_server, browser_errors
):
    ready_dashboard(page)
    page.context.set_offline(True)
    log_offline(page)
    # Someone else signs in on this browser (the first session ended, no log-out
    # here): the old page's CSRF token is no longer good, so its try is refused.
    browser_errors.expect_failed_load("/sessions/new/")
    page.context.clear_cookies()
    bob = make_user("bob", timezone=user.timezone)
    sign_in(page.context, bob, live_server)
    with page.expect_response("**/sessions/new/") as refused:
        page.context.set_offline(False)
    assert refused.value.status == 403
    page.goto("/")  # bob's own dashboard does not even try
    expect(page.get_by_role("heading", name="Log a session")).to_be_visible()
    expect(page.locator("#log [data-offline-status]")).to_have_text("")
    assert waiting_in_browser(page) == 1
    assert not MassageSession.objects.exists()

    page.context.clear_cookies()
    sign_in(page.context, user, live_server)  # back as the one who logged it
    page.goto("/")
    eventually(page, lambda: MassageSession.objects.filter(user=user).count() == 1)
    assert not MassageSession.objects.filter(user=bob).exists()
