"""Notifications in Chromium: the page registers this browser for Web Push, a
reminder sent by the reminder run reaches the service worker (through the
DevTools protocol, as a push service would deliver it), shows with "Done as
usual" and "Snooze 15 min", and "Done as usual" logs exactly one session."""

import json

import pytest
from playwright.sync_api import expect

from accounts.models import PreferredTime, PushSubscription
from sessions.models import MassageSession
from streaks import reminders
from tests.e2e.conftest import sign_in
from tests.e2e.test_installable import wait_for_service_worker
from tests.factories import push_device
from tests.push_service import Device

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(
    browser_type, browser_type_launch_args, live_server, tmp_path, user, browser_errors
):
    """A browser profile on disk with notifications allowed (an incognito
    context, which Playwright's usual ones are, refuses them), signed in."""
    context = browser_type.launch_persistent_context(
        tmp_path / "profile",
        base_url=live_server.url,
        permissions=["notifications"],
        **browser_type_launch_args,
    )
    context.set_default_timeout(10_000)
    context.on("page", browser_errors.watch)
    sign_in(context, user, live_server)
    page = context.pages[0] if context.pages else context.new_page()
    browser_errors.watch(page)
    yield page
    context.close()


def registration_id(page):
    """The service worker registration's id, from the DevTools protocol."""
    cdp = page.context.new_cdp_session(page)
    found = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.extend(
            r["registrationId"] for r in event["registrations"] if not r["isDeleted"]
        ),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(200):
        if found:
            return cdp, found[0]
        page.wait_for_timeout(50)
    raise AssertionError("The service worker has no registration")


def notifications(page):
    return page.evaluate(
        """navigator.serviceWorker.ready
             .then((registration) => registration.getNotifications())
             .then((shown) => shown.map((n) => ({
               title: n.title, body: n.body, tag: n.tag,
               actions: n.actions.map((a) => ({action: a.action, title: a.title})),
             })))"""
    )


def wait_for_notifications(page, check, seconds=10):
    """The notifications shown, once `check(them)` holds, or None."""
    for _ in range(seconds * 20):
        shown = notifications(page)
        if check(shown):
            return shown
        page.wait_for_timeout(50)
    return None


def deliver(page, payload):
    """Deliver `payload` to the page's service worker as a push service would,
    through the DevTools protocol; the notification it shows."""
    cdp, registration = registration_id(page)
    origin = page.evaluate("location.origin")
    # A push delivered while Playwright attaches to the worker can be lost (the
    # worker is paused for the debugger as it starts): deliver it again then.
    # Showing the same notification twice replaces it, as the user sees it.
    for _ in range(5):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": origin, "registrationId": registration, "data": payload},
        )
        shown = wait_for_notifications(
            page, lambda shown: [n["title"] for n in shown] == ["Foot massage time"], 2
        )
        if shown:
            return shown[0]
    raise AssertionError(f"No notification: {notifications(page)}")


def reminder_payload(user, push_service):
    """What the reminder run sends this user's device right now, as the device
    decrypts it."""
    device = push_service.device("chromium")
    push_device(user, device, name="Chromium")
    now = user.local_now()
    PreferredTime.objects.create(
        user=user, label="Evening", time=now.time().replace(second=0, microsecond=0)
    )
    outcome = reminders.send_due_reminders()
    assert len(outcome.sent) == 1
    (message,) = push_service.received(device)
    return device.decrypt(message)


def test_a_reminder_shows_with_its_actions_and_done_logs_one_session(
    phone, user, live_server, push_service, settings
):
    settings.SITE_URL = live_server.url
    page = phone
    page.goto("/accounts/times/")
    wait_for_service_worker(page)
    payload = reminder_payload(user, push_service)
    shown = deliver(page, json.dumps(payload))
    assert shown["title"] == "Foot massage time"
    assert shown["body"] == payload["body"]
    assert shown["actions"] == [
        {"action": "done", "title": "Done as usual"},
        {"action": "snooze", "title": "Snooze 15 min"},
    ]

    # Tapping "Done as usual": the service worker's own click handler, given the
    # notification it shows, as Chromium would give it.
    tap = """async (action) => {
      const [notification] = await self.registration.getNotifications();
      const waiting = [];
      onNotificationClick({notification, action, waitUntil: (p) => waiting.push(p)});
      await Promise.all(waiting);
    }"""
    (worker,) = page.context.service_workers
    worker.evaluate(tap, "done")
    (saved,) = wait_for_notifications(
        page, lambda shown: [n["title"] for n in shown] == ["Saved. Well done!"]
    )
    assert MassageSession.objects.filter(user=user).count() == 1
    assert saved["body"].startswith("Logged as usual: 10 minutes at ")
    assert saved["actions"] == []

    # The same push delivered again and tapped again: still one session.
    deliver(page, json.dumps(payload))
    worker.evaluate(tap, "done")
    wait_for_notifications(
        page, lambda shown: [n["title"] for n in shown] == ["Already saved"]
    )
    assert MassageSession.objects.filter(user=user).count() == 1


def test_notify_this_device_registers_the_browser(phone, user, push_service):
    """The page's button subscribes with the Push API and registers the
    subscription. Headless Chromium has no push service of its own, so its
    PushManager answers with a subscription to the local one."""
    device = Device(f"{push_service.origin}/push/chromium")
    page = phone
    subscription = json.dumps(device.subscription())
    page.add_init_script(
        "PushManager.prototype.subscribe = function (options) {"
        "  window.subscribedWithKey = options.applicationServerKey.byteLength;"
        f"  return Promise.resolve({{toJSON: () => ({subscription})}});"
        "};"
    )
    page.goto("/accounts/times/")
    button = page.get_by_role("button", name="Notify this device")
    expect(button).to_be_visible()
    expect(page.get_by_text("with JavaScript on")).to_be_hidden()
    button.click()
    expect(page.get_by_text("gets notifications.")).to_be_visible()
    assert page.evaluate("window.subscribedWithKey") == 65
    page.wait_for_load_state()
    expect(page.get_by_text("Chrome on Linux")).to_be_visible()
    device_row = PushSubscription.objects.get(user=user)
    assert device_row.endpoint == device.endpoint
    assert device_row.p256dh == device.p256dh


def test_without_javascript_the_page_says_how_and_lists_devices(
    make_context, user, live_server
):
    context = make_context(java_script_enabled=False)
    sign_in(context, user, live_server)
    push_device(user, name="Firefox on Android")
    page = context.new_page()
    page.goto("/accounts/settings/")
    expect(page.get_by_role("button", name="Notify this device")).to_be_hidden()
    expect(page.get_by_text("with JavaScript on")).to_be_visible()
    expect(page.get_by_text("Firefox on Android", exact=True)).to_be_visible()
    page.get_by_role("button", name="Remove Firefox on Android").click()
    expect(page.get_by_text("Firefox on Android was removed")).to_be_visible()
    assert not PushSubscription.objects.exists()
