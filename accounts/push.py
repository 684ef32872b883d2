"""Web Push devices: which push services we post to, what a browser's
subscription must look like, a device's name, and the server's VAPID key.

The rules for an endpoint live here, below both of their users: registration
(accounts.views) checks a subscription before it is saved, and the reminder run
(streaks.push) checks it again before every post, since the allow-list may have
changed since.

Server-side request forgery: a subscription's endpoint is a URL chosen by
whoever registers it, and the server posts to it. So an endpoint must be an
``https`` URL whose origin is on FOOTCARE_PUSH_HOSTS (by default the push
services of Google, Mozilla, Apple and Microsoft). A listed origin may name a
host (``https://fcm.googleapis.com``), every subdomain of one
(``https://*.notify.windows.com``), or an IP address; ``http`` is accepted only
for a loopback address listed with its port (``http://127.0.0.1:8999``, as the
tests do). streaks.push adds what only the network can tell: no redirects,
short timeouts, and a host name that resolves to a private or loopback
address is refused (list the address itself to allow one).
"""

import base64
import binascii
import ipaddress
import json
from dataclasses import dataclass
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from py_vapid import Vapid

from accounts.models import PushSubscription, VapidKey

# A user's devices: enough for a phone, a tablet, computers and browsers.
MAX_DEVICES = 10
MAX_ENDPOINT_LENGTH = PushSubscription._meta.get_field("endpoint").max_length
MAX_BODY_BYTES = 4096
DEFAULT_PORTS = {"https": 443, "http": 80}


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str  # lower case; "*.example.com" for every subdomain of example.com
    port: int

    def matches(self, scheme, host, port):
        if (scheme, port) != (self.scheme, self.port):
            return False
        if self.host.startswith("*."):
            return host.endswith(self.host[1:]) and len(host) > len(self.host) - 1
        return host == self.host


def ip_literal(host):
    """The address if `host` is an IP address (IPv6 without brackets), else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def parse_origin(text):
    """An allow-list entry as an Origin; ImproperlyConfigured if it is not one."""
    problem = f"FOOTCARE_PUSH_HOSTS: {text!r} is not an origin like https://host[:port]"
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(problem) from None
    host = (parts.hostname or "").lower()
    if (
        parts.scheme not in DEFAULT_PORTS
        or not host
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or "*" in host.removeprefix("*.")
    ):
        raise ImproperlyConfigured(problem)
    if parts.scheme == "http":
        address = ip_literal(host)
        if address is None or not address.is_loopback or port is None:
            raise ImproperlyConfigured(
                f"FOOTCARE_PUSH_HOSTS: {text!r}: plain http only for a loopback "
                "address with its port, such as http://127.0.0.1:8999"
            )
    return Origin(parts.scheme, host, port or DEFAULT_PORTS[parts.scheme])


def allowed_origins():
    return _parsed(tuple(settings.FOOTCARE_PUSH_HOSTS))


@lru_cache(maxsize=4)
def _parsed(entries):
    """The allow-list read once per value of the setting: every push message is
    checked against it."""
    return tuple(parse_origin(entry) for entry in entries)


REFUSED_ENDPOINT = (
    "This browser's push service is not one Footcare sends to (the push services "
    "of Google, Mozilla, Apple and Microsoft are), so it cannot be notified."
)


def check_endpoint(url):
    """Raise ValidationError unless `url` is an endpoint of an allowed push
    service (see the module docstring)."""
    if not isinstance(url, str) or not url or len(url) > MAX_ENDPOINT_LENGTH:
        raise ValidationError(
            "The subscription needs an endpoint: a URL of at most "
            f"{MAX_ENDPOINT_LENGTH} characters.",
            code="endpoint",
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError(REFUSED_ENDPOINT, code="endpoint") from None
    host = (parts.hostname or "").lower()
    if (
        not url.isascii()
        or not url.isprintable()
        or " " in url
        or parts.scheme not in DEFAULT_PORTS
        or not host
        or parts.username is not None
        or parts.fragment
        or port == 0
    ):
        raise ValidationError(REFUSED_ENDPOINT, code="endpoint")
    port = port or DEFAULT_PORTS[parts.scheme]
    if not any(o.matches(parts.scheme, host, port) for o in allowed_origins()):
        raise ValidationError(REFUSED_ENDPOINT, code="endpoint")


def _key_bytes(value, name, length):
    """The bytes of a base64url key (padding optional) of exactly `length`."""
    problem = ValidationError(
        f"keys.{name} must be the browser's {name} key, base64url-encoded.",
        code="keys",
    )
    if not isinstance(value, str) or not value.isascii() or len(value) > 2 * length:
        raise problem
    text = value.strip().rstrip("=")
    if not text or not all(c.isalnum() or c in "-_" for c in text):
        raise problem
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise problem from None
    if len(raw) != length:
        raise problem
    return raw


def parse_subscription(body):
    """The subscription a browser sent (its PushSubscription as JSON, bytes) as
    {"endpoint", "p256dh", "auth"}, or ValidationError saying what is wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise ValidationError("That subscription is too long.", code="size")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ValidationError(
            "Send the subscription as JSON: "
            '{"endpoint": ..., "keys": {"p256dh": ..., "auth": ...}}.',
            code="json",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise ValidationError(
            'The subscription needs "endpoint" and "keys" with "p256dh" and "auth".',
            code="keys",
        )
    endpoint = data.get("endpoint")
    check_endpoint(endpoint)
    keys = data["keys"]
    point = _key_bytes(keys.get("p256dh"), "p256dh", 65)
    try:
        # Also refuses 65 bytes that are not a point on the curve.
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise ValidationError(
            "keys.p256dh is not a P-256 public key.", code="keys"
        ) from None
    _key_bytes(keys.get("auth"), "auth", 16)
    return {
        "endpoint": endpoint,
        "p256dh": keys["p256dh"].strip().rstrip("="),
        "auth": keys["auth"].strip().rstrip("="),
    }


# Checked in order: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def device_name(user_agent):
    """A device's name from its browser's User-Agent: "Chrome on Android"."""
    user_agent = user_agent or ""
    browser = next((name for key, name in BROWSERS if key in user_agent), "")
    system = next((name for key, name in SYSTEMS if key in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "A browser"


# -- the server's VAPID key ------------------------------------------------------


def _from_setting(text):
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            return Vapid.from_pem(text.encode())
        return Vapid.from_string(text)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise ImproperlyConfigured(
            "VAPID_PRIVATE_KEY must be a P-256 private key: PEM, or base64url "
            f"(raw or DER) ({exc})"
        ) from None


def _raw_private(vapid):
    number = vapid.private_key.private_numbers().private_value
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).decode().rstrip("=")


def public_key(vapid):
    """The public half as the browser's applicationServerKey wants it."""
    point = vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(point).decode().rstrip("=")


def vapid():
    """The server's VAPID key (a py_vapid Vapid): VAPID_PRIVATE_KEY, or else the
    key made once and kept in the database (VapidKey). With VAPID_PUBLIC_KEY set
    too, it must be the private key's other half."""
    if settings.VAPID_PRIVATE_KEY:
        key = _from_setting(settings.VAPID_PRIVATE_KEY)
        given = settings.VAPID_PUBLIC_KEY.strip().rstrip("=")
        if given and given != public_key(key):
            raise ImproperlyConfigured(
                "VAPID_PUBLIC_KEY is not the public half of VAPID_PRIVATE_KEY."
            )
        return key
    return stored_key()


def stored_key():
    """The key kept in the database, made on first use."""
    row = VapidKey.objects.filter(pk=1).first()
    if row is None:
        made = Vapid()
        made.generate_keys()
        # Two processes may make one at once: the first row wins, and both use it.
        row, _ = VapidKey.objects.get_or_create(
            pk=1, defaults={"private_key": _raw_private(made)}
        )
    return Vapid.from_raw(row.private_key.encode())


def vapid_subject():
    """Who push services contact about our messages: VAPID_SUBJECT, else the
    address mails come from."""
    if settings.VAPID_SUBJECT:
        return settings.VAPID_SUBJECT
    return "mailto:" + (parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "root@localhost")
