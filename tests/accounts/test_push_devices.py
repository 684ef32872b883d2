"""Devices that get notifications: registering a browser's push subscription
(POST /accounts/push/subscriptions/), the list on the preferred-times and
settings pages, "Send a test notification" and "Remove"."""

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from accounts import push
from accounts.models import PushSubscription, VapidKey
from tests.conftest import make_user
from tests.factories import push_device
from tests.html import text
from tests.push_service import Device, vapid_signed

URL = "/accounts/push/subscriptions/"
FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b-example"
IPHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def post_json(client, data, **headers):
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post(URL, body, content_type="application/json", headers=headers)


def csrf_token(client):
    client.get("/accounts/times/")
    return client.cookies["csrftoken"].value


@pytest.fixture
def signed_in_csrf_client(csrf_client, alice):
    csrf_client.force_login(alice)
    return csrf_client


def test_a_browser_registers_with_the_csrf_header(signed_in_csrf_client, alice):
    device = Device(FCM)
    response = post_json(
        signed_in_csrf_client,
        device.subscription(),
        x_csrftoken=csrf_token(signed_in_csrf_client),
        user_agent=IPHONE_UA,
    )
    assert response.status_code == 201
    saved = PushSubscription.objects.get()
    assert response.json() == {
        "id": saved.pk,
        "name": "Safari on iPhone",
        "created": True,
    }
    assert (saved.user, saved.endpoint, saved.p256dh, saved.auth) == (
        alice,
        FCM,
        device.p256dh,
        device.auth,
    )
    assert saved.last_used_at is None


def test_without_the_csrf_header_nothing_is_saved(signed_in_csrf_client):
    response = post_json(signed_in_csrf_client, Device(FCM).subscription())
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data; boundary=x", "application/x-www-form-urlencoded"],
)
def test_a_subscription_not_sent_as_json_is_refused(
    signed_in_csrf_client, content_type
):
    """A form body (which the CSRF check reads first) is not a subscription."""
    response = signed_in_csrf_client.post(
        URL,
        json.dumps(Device(FCM).subscription()),
        content_type=content_type,
        headers={"x-csrftoken": csrf_token(signed_in_csrf_client)},
    )
    assert response.status_code == 415
    assert "JSON" in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_signed_out_nothing_is_saved(client, db):
    response = post_json(client, Device(FCM).subscription())
    assert response.status_code == 403
    assert response.json() == {"error": "Sign in first."}
    assert not PushSubscription.objects.exists()


def test_a_get_is_refused(alice_client):
    assert alice_client.get(URL).status_code == 405


def test_registering_again_updates_the_keys(alice_client):
    first = Device(FCM)
    post_json(alice_client, first.subscription())
    again = Device(FCM)  # the same endpoint, new keys
    response = post_json(alice_client, again.subscription())
    assert response.status_code == 200
    assert response.json()["created"] is False
    assert PushSubscription.objects.get().p256dh == again.p256dh


def test_two_accounts_on_one_browser_each_get_their_own(alice_client, charlie):
    post_json(alice_client, Device(FCM).subscription())
    other = Client()
    other.force_login(charlie)
    assert post_json(other, Device(FCM).subscription()).status_code == 201
    assert PushSubscription.objects.count() == 2


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
        "https://web.push.apple.com/QGuQyavXutnMSXnxvlkd7q",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
        "https://fcm.googleapis.com:443/fcm/send/abc",
    ],
)
def test_the_big_push_services_are_accepted(alice_client, endpoint):
    assert post_json(alice_client, Device(endpoint).subscription()).status_code == 201


NOT_A_PUSH_SERVICE = [
    "http://fcm.googleapis.com/fcm/send/abc",  # not https
    "https://fcm.googleapis.com:8443/fcm/send/abc",  # another port
    "https://fcm.googleapis.com.evil.example/x",
    "https://evil.example/https://fcm.googleapis.com/",
    "https://fcm.googleapis.com@evil.example/x",
    "https://user:pw@fcm.googleapis.com/x",
    "https://notify.windows.com/x",  # the wildcard needs a subdomain
    "https://evilnotify.windows.com/x",
    "https://127.0.0.1/x",
    "https://10.0.0.8/x",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/x",
    "https://localhost/x",
    "file:///etc/passwd",
    "ftp://fcm.googleapis.com/x",
    "//fcm.googleapis.com/x",
    "https://fcm.googleapis.com/x#fragment",
    "https://fcm.googleapis.com/x y",
    "https://fcm.googleapis.com/\u00e9",
    "https://fcm.googleapis.com/" + "a" * 1000,
    "",
    None,
    42,
]


@pytest.mark.parametrize("endpoint", NOT_A_PUSH_SERVICE)
def test_an_endpoint_that_is_not_a_known_push_service_is_refused(
    alice_client, endpoint
):
    device = Device(FCM)
    data = {**device.subscription(), "endpoint": endpoint}
    response = post_json(alice_client, data)
    assert response.status_code == 400
    assert (
        "push service" in response.json()["error"]
        or "endpoint" in (response.json()["error"])
    )
    assert not PushSubscription.objects.exists()


def _keys(**changes):
    keys = Device(FCM).subscription()["keys"]
    keys.update(changes)
    return {"endpoint": FCM, "keys": keys}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "Send the subscription as JSON"),
        ("[1, 2]", 'needs "endpoint" and "keys"'),
        ('{"endpoint": "' + FCM + '"}', 'needs "endpoint" and "keys"'),
        ("[" * 5000 + "]" * 5000, "too long"),
        (_keys(p256dh="not base64!"), "keys.p256dh"),
        (_keys(p256dh="AAAA"), "keys.p256dh"),  # too short
        (_keys(p256dh="BA" + "A" * 85), "not a P-256 public key"),  # not on the curve
        (_keys(p256dh=None), "keys.p256dh"),
        (_keys(auth="short"), "keys.auth"),
        (_keys(auth=["x"]), "keys.auth"),
        (_keys(auth="A" * 5000), "too long"),
        # Port 0 is no port: it was read as 443, saved, and dialled as 0.
        (
            {"endpoint": FCM.replace(".com/", ".com:0/", 1), "keys": _keys()["keys"]},
            "is not one Footcare sends to",
        ),
        # Past Django's DATA_UPLOAD_MAX_MEMORY_SIZE: still JSON the page can show.
        ('{"endpoint": "' + "x" * 3_000_000 + '"}', "too long"),
    ],
)
def test_bad_subscriptions_get_a_message_and_nothing_is_saved(
    alice_client, body, message
):
    response = post_json(alice_client, body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_there_is_a_limit_of_devices(alice_client):
    for n in range(push.MAX_DEVICES):
        assert (
            post_json(alice_client, Device(f"{FCM}{n}").subscription()).status_code
            == 201
        )
    response = post_json(alice_client, Device(f"{FCM}x").subscription())
    assert response.status_code == 400
    assert "up to 10 devices" in response.json()["error"]
    assert PushSubscription.objects.count() == push.MAX_DEVICES


# -- the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/accounts/times/", "/accounts/settings/"])
def test_the_pages_list_the_devices_and_offer_the_button(alice_client, alice, page):
    post_json(alice_client, Device(FCM).subscription(), user_agent=IPHONE_UA)
    response = alice_client.get(page)
    html = response.content.decode()
    assert "Safari on iPhone" in text(response)
    assert "not used yet" in text(response)
    box = re.search(r"<div data-push hidden[^>]*>", html).group(0)
    key = push.public_key(push.vapid())
    assert f'data-push-key="{key}"' in box
    assert f'data-push-url="{URL}"' in box
    assert "Notify this device" in html
    assert re.search(r'<script src="/static/js/push\.js" defer>', html)
    device = PushSubscription.objects.get()
    assert f'action="/accounts/push/subscriptions/{device.pk}/delete/"' in html
    assert f'action="/reminders/devices/{device.pk}/test/"' in html


def test_remove_deletes_only_your_own_device(alice_client, alice, charlie):
    post_json(alice_client, Device(FCM).subscription())
    mine = PushSubscription.objects.get()
    # The same browser, registered by Charlie too.
    theirs = push_device(charlie, name="Firefox on Linux", endpoint=FCM)
    url = f"/accounts/push/subscriptions/{theirs.pk}/delete/"
    assert alice_client.post(url).status_code == 404
    assert (
        alice_client.get(f"/accounts/push/subscriptions/{mine.pk}/delete/").status_code
        == 405
    )
    response = alice_client.post(
        f"/accounts/push/subscriptions/{mine.pk}/delete/",
        {"next": "/accounts/settings/#devices"},
    )
    assert response["Location"] == "/accounts/settings/#devices"
    assert list(PushSubscription.objects.all()) == [theirs]


def test_remove_needs_csrf_and_a_login(signed_in_csrf_client, alice, client):
    device = push_device(alice)
    url = f"/accounts/push/subscriptions/{device.pk}/delete/"
    assert signed_in_csrf_client.post(url).status_code == 403
    assert client.post(url)["Location"].startswith("/accounts/login/")
    assert PushSubscription.objects.exists()


def test_remove_never_redirects_elsewhere(alice_client, alice):
    device = push_device(alice)
    url = f"/accounts/push/subscriptions/{device.pk}/delete/"
    response = alice_client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == "/accounts/times/#devices"


@pytest.mark.parametrize("next_", ["foo", "-1"])
def test_remove_with_a_next_that_is_not_a_path_goes_back_to_the_devices(
    alice_client, alice, next_
):
    device = push_device(alice)
    url = f"/accounts/push/subscriptions/{device.pk}/delete/"
    response = alice_client.post(url, {"next": next_})
    assert response["Location"] == "/accounts/times/#devices"


def test_a_test_notification_reaches_the_device(alice_client, alice, push_service):
    device = push_service.device("phone")
    post_json(alice_client, device.subscription())
    row = PushSubscription.objects.get()
    response = alice_client.post(
        f"/reminders/devices/{row.pk}/test/", {"next": "/accounts/settings/#devices"}
    )
    assert response["Location"] == "/accounts/settings/#devices"
    (message,) = push_service.received(device)
    assert device.decrypt(message)["body"] == "Notifications work on this device."
    assert vapid_signed(message, push.public_key(push.vapid()))
    page = alice_client.get("/accounts/settings/")
    assert "Sent a test notification to A browser." in text(page)
    row.refresh_from_db()
    assert row.last_used_at is not None
    assert "last used" in text(page)


def test_a_test_notification_to_a_forgotten_device_removes_it(
    alice_client, push_service
):
    device = push_service.device("phone")
    post_json(alice_client, device.subscription())
    push_service.answer(device, 410)
    row = PushSubscription.objects.get()
    alice_client.post(f"/reminders/devices/{row.pk}/test/")
    assert not PushSubscription.objects.exists()
    assert "no longer accepts notifications" in text(
        alice_client.get("/accounts/times/")
    )


def test_a_test_notification_that_fails_says_so(alice_client, push_service):
    device = push_service.device("phone")
    post_json(alice_client, device.subscription())
    push_service.answer(device, 503)
    row = PushSubscription.objects.get()
    alice_client.post(f"/reminders/devices/{row.pk}/test/")
    assert "did not go through (HTTP 503)" in text(alice_client.get("/accounts/times/"))
    assert PushSubscription.objects.exists()


def test_a_test_notification_only_for_your_own_device(alice_client, charlie):
    theirs = push_device(charlie)
    url = f"/reminders/devices/{theirs.pk}/test/"
    assert alice_client.post(url).status_code == 404
    assert alice_client.get(url).status_code == 405
    assert Client().post(url)["Location"].startswith("/accounts/login/")


# -- names, origins, keys ----------------------------------------------------------


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (IPHONE_UA, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.1 Safari/605.1.15",
            "Safari on macOS",
        ),
        ("", "A browser"),
        ("<script>", "A browser"),
    ],
)
def test_a_device_is_named_from_its_browser(user_agent, name):
    assert push.device_name(user_agent) == name


@pytest.mark.parametrize(
    "origin",
    [
        "fcm.googleapis.com",
        "https://fcm.googleapis.com/path",
        "http://fcm.googleapis.com",
        "http://10.0.0.1:8000",
        "http://127.0.0.1",  # a loopback origin needs its port
        "https://*.*.example.com",
        "https://a*.example.com",
        "https://user@push.example.com",
        "https://push.example.com:99999",
    ],
)
def test_a_bad_allow_list_entry_is_a_configuration_error(settings, origin):
    settings.FOOTCARE_PUSH_HOSTS = [origin]
    with pytest.raises(ImproperlyConfigured):
        push.allowed_origins()


def test_a_listed_loopback_origin_is_accepted_with_its_port_only(settings):
    settings.FOOTCARE_PUSH_HOSTS = ["http://127.0.0.1:8999"]
    push.check_endpoint("http://127.0.0.1:8999/push/a")
    for other in ("http://127.0.0.1:9000/push/a", "https://127.0.0.1:8999/push/a"):
        with pytest.raises(push.ValidationError):
            push.check_endpoint(other)


def test_without_settings_a_key_pair_is_made_once_and_kept(settings, db):
    settings.VAPID_PRIVATE_KEY = ""
    first = push.public_key(push.vapid())
    assert VapidKey.objects.count() == 1
    assert push.public_key(push.vapid()) == first
    assert len(first) == 87  # an uncompressed P-256 point, base64url


def test_a_public_key_that_does_not_match_is_a_configuration_error(settings):
    settings.VAPID_PUBLIC_KEY = "B" + "A" * 86
    with pytest.raises(ImproperlyConfigured, match="public half"):
        push.vapid()


def test_a_pem_private_key_is_accepted(settings):
    from cryptography.hazmat.primitives import serialization

    key = push.vapid().private_key
    settings.VAPID_PRIVATE_KEY = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.VAPID_PUBLIC_KEY = push.public_key(push.vapid())
    assert push.public_key(push.vapid()) == settings.VAPID_PUBLIC_KEY


def test_a_bad_private_key_is_a_configuration_error(settings):
    settings.VAPID_PRIVATE_KEY = "not a key"
    with pytest.raises(ImproperlyConfigured, match="VAPID_PRIVATE_KEY"):
        push.vapid()


def test_the_subject_defaults_to_the_sender_address(settings):
    settings.VAPID_SUBJECT = ""
    settings.DEFAULT_FROM_EMAIL = "Footcare <care@example.org>"
    assert push.vapid_subject() == "mailto:care@example.org"


def test_a_stranger_sees_none_of_your_devices(alice_client, charlie):
    post_json(alice_client, Device(FCM).subscription(), user_agent=IPHONE_UA)
    other = Client()
    other.force_login(make_user("dora"))
    assert "Safari on iPhone" not in text(other.get("/accounts/times/"))
