"""Posting Web Push messages to push services: each message encrypted for its
device by pywebpush (RFC 8291, aes128gcm), signed for its push service by
py_vapid (RFC 8292), and posted with http.client.

The endpoint is a URL a browser gave us, so each post is checked like a request
to an untrusted address (accounts.push says which endpoints are allowed):
the endpoint is checked against FOOTCARE_PUSH_HOSTS again before the post, no
proxy, no redirect followed, short timeouts, and the
address a host name resolved to is checked once connected, before anything is
sent: a private, loopback or other non-public address is refused unless the
endpoint names that very address (an allow-listed IP, as the tests use).
"""

import contextlib
import http.client
import ipaddress
import logging
import select
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from pywebpush import WebPusher

from accounts import push as devices

logger = logging.getLogger(__name__)

# Seconds: a push service answers at once or not at all.
CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 5
# Seconds a whole post may take, its answer included. READ_TIMEOUT bounds each
# wait for a byte; a service answering a byte every few seconds would hold the
# thread (and the devices and emails behind it) for as long as it liked.
POST_TIMEOUT = 10
# VAPID signatures are valid for 12 hours; sign again when less than 1 is left.
VAPID_LIFETIME = 12 * 3600
VAPID_RENEW = 3600
# Certificates checked against the system's authorities, host names too.
TLS = ssl.create_default_context()

SENT, GONE, RETRY, FAILED = "sent", "gone", "retry", "failed"


@dataclass(frozen=True)
class Result:
    outcome: str  # SENT, GONE (404/410: remove the device), RETRY or FAILED
    status: int | None = None
    error: str = ""
    retry_after: float | None = None  # seconds, when the push service said


class RefusedAddress(Exception):
    """A push service's host name resolved to an address we never post to."""


def _peer_allowed(host, address):
    peer = ipaddress.ip_address(address.split("%")[0])
    if peer.version == 6 and peer.ipv4_mapped:
        peer = peer.ipv4_mapped
    # An endpoint that names an address passed the allow-list by that very
    # address; only a host name must lead to a public one.
    return peer.is_global or devices.ip_literal(host) == peer


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self):
        # The socket is connected here, before TLS and before any byte of the
        # request: the one moment to see the address the name resolved to.
        super().connect()
        address = self.sock.getpeername()[0]
        if not _peer_allowed(self.host, address):
            self.close()
            raise RefusedAddress(f"{self.host} resolved to {address}, not public")
        self.sock.settimeout(READ_TIMEOUT)


class _HTTPSConnection(http.client.HTTPSConnection, _HTTPConnection):
    """HTTPSConnection.connect() connects through _HTTPConnection.connect()
    (the check), then starts TLS."""


def _dropped(connection):
    """Whether a kept-alive connection was closed by the other end meanwhile
    (its socket reads as ready while no answer is due)."""
    return connection.sock is not None and bool(
        select.select([connection.sock], [], [], 0)[0]
    )


class _Watchdog:
    """Cuts the connection of a post still under way POST_TIMEOUT seconds after
    it began: the blocked read then fails, and the device is tried again later.
    One thread for the process, started by its first post."""

    def __init__(self):
        self.lock = threading.Lock()
        self.deadlines = {}  # connection -> time.monotonic() to cut it at
        self.cut = set()  # connections cut, until their post says so
        self.thread = None

    def watch(self, connection):
        with self.lock:
            self.deadlines[connection] = time.monotonic() + POST_TIMEOUT
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self._run, name="push-watchdog", daemon=True
                )
                self.thread.start()

    def done(self, connection):
        """Stop watching `connection`'s post; whether it was cut."""
        with self.lock:
            self.deadlines.pop(connection, None)
            if connection in self.cut:
                self.cut.remove(connection)
                return True
            return False

    def _run(self):
        while True:
            time.sleep(0.5)
            now = time.monotonic()
            # Under the lock: a post that ends meanwhile (done) is never cut, and
            # the next post on the same connection is not cut for this one.
            with self.lock:
                for connection, at in list(self.deadlines.items()):
                    if at < now and connection.sock is not None:
                        del self.deadlines[connection]
                        self.cut.add(connection)
                        with contextlib.suppress(OSError):  # closed meanwhile
                            connection.sock.shutdown(socket.SHUT_RDWR)


WATCHDOG = _Watchdog()


class _Poster:
    """Posts with http.client and the checks above: no redirect followed, no
    retry, no proxy. One kept-alive connection per push service. Plain
    http.client, not urllib3 or requests, whose layers add work to every
    message (make bench-reminders)."""

    CONNECTIONS = {"http": _HTTPConnection, "https": _HTTPSConnection}
    MAX_CONNECTIONS = 64  # distinct push service hosts kept open at once

    def __init__(self):
        self.connections = {}  # (scheme, host, port) -> connection

    def _connection(self, parts):
        key = (parts.scheme, parts.hostname, parts.port)
        connection = self.connections.get(key)
        if connection is not None and _dropped(connection):
            connection.close()  # the next request connects again
        if connection is None:
            if len(self.connections) >= self.MAX_CONNECTIONS:
                self.close()
            tls = {"context": TLS} if parts.scheme == "https" else {}
            connection = self.CONNECTIONS[parts.scheme](
                parts.hostname, parts.port, timeout=CONNECT_TIMEOUT, **tls
            )
            self.connections[key] = connection
        return connection

    def post(self, url, body, headers):
        """(status, headers, body) of the push service's answer."""
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        connection = self._connection(parts)
        WATCHDOG.watch(connection)
        try:
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            answer = response.status, response.headers, response.read()
        except BaseException as exc:
            connection.close()  # in an unknown state: the next post reconnects
            if WATCHDOG.done(connection):
                raise TimeoutError(f"no whole answer in {POST_TIMEOUT} s") from exc
            raise
        if WATCHDOG.done(connection):  # cut after the last byte came: no matter
            connection.close()
        return answer

    def close(self):
        for connection in self.connections.values():
            connection.close()
        self.connections.clear()


def encrypt(payload, subscription):
    """`payload` (bytes) encrypted for one device by pywebpush (RFC 8291,
    aes128gcm, with a key pair of ours made for this message alone)."""
    return WebPusher(subscription).encode(payload)["body"]


def _retry_after(headers):
    value = headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(min(int(value), 86400))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - time.time())


class Sender:
    """Posts messages, keeping connections open and one VAPID signature per push
    service. Not thread-safe: give each thread its own."""

    def __init__(self, vapid, subject):
        self.vapid = vapid
        self.subject = subject
        self.poster = _Poster()
        self.signatures = {}  # push service origin -> (headers, expiry)

    def close(self):
        self.poster.close()

    def _vapid_headers(self, endpoint):
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        headers, expires = self.signatures.get(audience, (None, 0))
        now = int(time.time())
        if expires - now < VAPID_RENEW:
            expires = now + VAPID_LIFETIME
            claims = {"aud": audience, "exp": expires, "sub": self.subject}
            headers = self.vapid.sign(claims)
            self.signatures[audience] = (headers, expires)
        return headers

    def send(self, subscription, payload, ttl, topic=None, urgency="normal"):
        """Post `payload` (bytes) to `subscription` ({"endpoint", "keys"}); a
        Result, never an exception."""
        endpoint = subscription["endpoint"]
        try:
            devices.check_endpoint(endpoint)
        except ValidationError:
            return Result(FAILED, error="endpoint not allowed by FOOTCARE_PUSH_HOSTS")
        try:
            body = encrypt(payload, subscription)
        except Exception as exc:  # keys that are not a P-256 point and a secret
            return Result(FAILED, error=f"{type(exc).__name__}: {exc}"[:500])
        headers = {
            **self._vapid_headers(endpoint),
            "Content-Encoding": "aes128gcm",
            "TTL": str(ttl),
            "Urgency": urgency,
        }
        if topic:
            # A newer message with the same topic replaces one still waiting in
            # the push service (a phone that was off gets one reminder).
            headers["Topic"] = topic
        try:
            status, answer, text = self.poster.post(endpoint, body, headers)
        except RefusedAddress as exc:
            logger.warning("Push endpoint refused: %s", exc)
            return Result(FAILED, error=str(exc))
        except (http.client.HTTPException, OSError) as exc:
            # Refused, reset, timed out, a bad certificate: try again later.
            return Result(RETRY, error=f"{type(exc).__name__}: {exc}"[:500])
        except Exception as exc:  # whatever else: this device fails, not the run
            logger.exception("A push message failed")
            return Result(FAILED, error=f"{type(exc).__name__}: {exc}"[:500])
        if 200 <= status < 300:
            return Result(SENT, status)
        if status in (404, 410):
            return Result(GONE, status, "the push service no longer knows this device")
        if status == 429 or status >= 500:
            return Result(RETRY, status, f"HTTP {status}", _retry_after(answer))
        if 300 <= status < 400:
            return Result(FAILED, status, f"HTTP {status}: redirects are not followed")
        text = text[:200].decode("utf-8", "replace")
        return Result(FAILED, status, f"HTTP {status}: {text}")
