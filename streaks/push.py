"""Posting Web Push messages to push services: each message encrypted for its
device by http_ece (RFC 8291, aes128gcm, as pywebpush does it), signed for its
push service by py_vapid (RFC 8292), and posted with urllib3.

The endpoint is a URL a browser gave us, so each post is checked like a request
to an untrusted address (accounts.push says which endpoints are allowed):
the endpoint is checked against FOOTCARE_PUSH_HOSTS again before the post, no
proxy, no redirect followed, short timeouts, and the
address a host name resolved to is checked once connected, before anything is
sent: a private, loopback or other non-public address is refused unless the
endpoint names that very address (an allow-listed IP, as the tests use).
"""

import base64
import ipaddress
import logging
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import http_ece
import urllib3
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ValidationError

from accounts import push as devices

logger = logging.getLogger(__name__)

# A push service answers at once or not at all.
TIMEOUT = urllib3.Timeout(connect=3.05, read=5)
# VAPID signatures are valid for 12 hours; sign again when less than 1 is left.
VAPID_LIFETIME = 12 * 3600
VAPID_RENEW = 3600

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


class _CheckPeer:
    def _new_conn(self):
        # urllib3 makes the socket here, before TLS and before any byte of the
        # request: the one moment to see the address the name resolved to.
        sock = super()._new_conn()
        address = sock.getpeername()[0]
        if not _peer_allowed(self.host, address):
            sock.close()
            raise RefusedAddress(f"{self.host} resolved to {address}, not public")
        return sock


class _HTTPConnection(_CheckPeer, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_CheckPeer, urllib3.connection.HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _Poster:
    """Posts on urllib3's connection pools with the checks above: no redirect
    followed, no retry, no proxy. One pool of kept-alive connections per push
    service, looked up by origin (urllib3's PoolManager, or requests, costs
    about twice the CPU per message)."""

    POOLS = {"http": _HTTPPool, "https": _HTTPSPool}
    MAX_POOLS = 64  # distinct push service hosts kept open at once

    def __init__(self):
        self.pools = {}  # (scheme, host, port) -> connection pool

    def _pool(self, parts):
        key = (parts.scheme, parts.hostname, parts.port)
        pool = self.pools.get(key)
        if pool is None:
            if len(self.pools) >= self.MAX_POOLS:
                self.close()
            pool = self.POOLS[parts.scheme](
                parts.hostname, parts.port, maxsize=4, retries=False, timeout=TIMEOUT
            )
            self.pools[key] = pool
        return pool

    def post(self, url, body, headers):
        """The urllib3 response, its body read (the connection goes back to
        the pool)."""
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return self._pool(parts).urlopen(
            "POST", path, body=body, headers=headers, redirect=False, retries=False
        )

    def close(self):
        for pool in self.pools.values():
            pool.close()
        self.pools.clear()


def _key(text):
    """The bytes of a base64url key as the browser gave it (padding optional)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encrypt(payload, keys):
    """`payload` (bytes) encrypted for one device, whose subscription `keys` are
    {"p256dh", "auth"}: with a key pair of ours made for this message alone
    (RFC 8291, aes128gcm; what pywebpush does, without its per-message copies
    and wrappers)."""
    return http_ece.encrypt(
        payload,
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=_key(keys["p256dh"]),
        auth_secret=_key(keys["auth"]),
        version="aes128gcm",
    )


def _retry_after(response):
    value = response.headers.get("Retry-After", "").strip()
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
            body = encrypt(payload, subscription["keys"])
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
            response = self.poster.post(endpoint, body, headers)
        except RefusedAddress as exc:
            logger.warning("Push endpoint refused: %s", exc)
            return Result(FAILED, error=str(exc))
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            # Refused, reset, timed out, a bad certificate: try again later.
            return Result(RETRY, error=f"{type(exc).__name__}: {exc}"[:500])
        except Exception as exc:  # whatever else: this device fails, not the run
            logger.exception("A push message failed")
            return Result(FAILED, error=f"{type(exc).__name__}: {exc}"[:500])
        status = response.status
        if 200 <= status < 300:
            return Result(SENT, status)
        if status in (404, 410):
            return Result(GONE, status, "the push service no longer knows this device")
        if status == 429 or status >= 500:
            return Result(RETRY, status, f"HTTP {status}", _retry_after(response))
        if 300 <= status < 400:
            return Result(FAILED, status, f"HTTP {status}: redirects are not followed")
        text = response.data[:200].decode("utf-8", "replace")
        return Result(FAILED, status, f"HTTP {status}: {text}")
