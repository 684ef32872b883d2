"""Posting Web Push messages to push services: each message encrypted for its
device by pywebpush (RFC 8291, aes128gcm), signed for its push service by
py_vapid (RFC 8292), and posted over HTTP/1.1 (h11) from one asyncio event
loop, in a thread of its own, with many posts under way at once.

Why an event loop: a reminder pass posts thousands of messages, each waiting
on a push service for a moment. A thread per post under way spent more CPU
switching between threads, and fighting for the GIL, than on the posts
themselves; one loop waits on all of them for nothing (make bench-reminders).

The endpoint is a URL a browser gave us, so each post is checked like a request
to an untrusted address (accounts.push says which endpoints are allowed):
the endpoint is checked against FOOTCARE_PUSH_HOSTS again before the post, no
proxy, no redirect followed, short timeouts, and the
address a host name resolved to is checked once connected, before anything is
sent (TLS included): a private, loopback or other non-public address is refused
unless the endpoint names that very address (an allow-listed IP, as the tests
use).
"""

import asyncio
import ipaddress
import logging
import ssl
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import h11
from django.core.exceptions import ValidationError
from pywebpush import WebPusher

from accounts import push as devices

logger = logging.getLogger(__name__)

# Seconds: a push service answers at once or not at all.
CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 5
# Seconds a whole post may take, its answer included. READ_TIMEOUT bounds each
# wait for a byte; a service answering a byte every few seconds would hold a
# place (and the devices and emails behind it) for as long as it liked.
POST_TIMEOUT = 10
# An answer's body is only an error's text: no more of it is read.
MAX_ANSWER = 64 * 1024
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


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict  # lower-case name -> value
    body: bytes


class _Connection:
    """One kept-alive HTTP/1.1 connection to a push service."""

    def __init__(self, reader, writer, host):
        self.reader = reader
        self.writer = writer
        self.host = host  # the Host header
        self.http = h11.Connection(h11.CLIENT)

    @classmethod
    async def open(cls, parts):
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
        async with asyncio.timeout(CONNECT_TIMEOUT):
            reader, writer = await asyncio.open_connection(host, port)
        # Connected, and nothing sent yet (not even TLS's first message): the
        # one moment to see the address the name resolved to.
        address = writer.get_extra_info("peername")[0]
        if not _peer_allowed(host, address):
            writer.close()
            raise RefusedAddress(f"{host} resolved to {address}, not public")
        if parts.scheme == "https":
            async with asyncio.timeout(CONNECT_TIMEOUT):
                await writer.start_tls(TLS, server_hostname=host)
        return cls(reader, writer, parts.netloc.rpartition("@")[2])

    def usable(self):
        """Whether it can take another post: the last answer was read whole
        and nothing came after it, and the other end has not closed it."""
        return (
            self.http.our_state is h11.IDLE
            and self.http.trailing_data == (b"", False)
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    async def exchange(self, target, body, headers):
        """POST `body` to `target` and read the Answer."""
        request = h11.Request(
            method="POST",
            target=target,
            headers=[
                ("Host", self.host),
                ("Content-Length", str(len(body))),
                *headers.items(),
            ],
        )
        self.writer.write(
            self.http.send(request)
            + self.http.send(h11.Data(data=body))
            + self.http.send(h11.EndOfMessage())
        )
        await self.writer.drain()
        response, chunks, size = None, [], 0
        while True:
            event = self.http.next_event()
            if event is h11.NEED_DATA:
                async with asyncio.timeout(READ_TIMEOUT):
                    data = await self.reader.read(65536)
                # b"": the other end closed; h11 raises RemoteProtocolError
                # at the next event unless the answer was whole.
                self.http.receive_data(data)
            elif isinstance(event, h11.InformationalResponse):
                continue  # 100 Continue and the like: the answer follows
            elif isinstance(event, h11.Response):
                response = event
            elif isinstance(event, h11.Data):
                chunks.append(event.data)
                size += len(event.data)
                if size > MAX_ANSWER:
                    break  # enough of an error's text: the connection goes
            elif isinstance(event, h11.EndOfMessage):
                if self.http.their_state is h11.DONE:
                    self.http.start_next_cycle()
                break
            else:  # h11.PAUSED, ConnectionClosed: nothing a POST answer has
                raise h11.RemoteProtocolError(f"unexpected {event!r}")
        headers = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in response.headers
        }
        return Answer(response.status_code, headers, b"".join(chunks)[:MAX_ANSWER])

    def close(self):
        self.writer.close()


def encrypt(payload, subscription):
    """`payload` (bytes) encrypted for one device by pywebpush (RFC 8291,
    aes128gcm, with a key pair of ours made for this message alone)."""
    return WebPusher(subscription).encode(payload)["body"]


def _retry_after(headers):
    value = headers.get("retry-after", "").strip()
    if value.isascii() and value.isdigit():
        return float(min(int(value), 86400))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - time.time())


class Sender:
    """Posts messages from an event loop in a thread of its own: at most
    `concurrency` posts under way at once, connections kept open for the next
    post, one VAPID signature per push service. `submit` and `send` may be
    called from any thread but the loop's own. Close it when done (its thread
    and connections go)."""

    def __init__(self, vapid, subject, concurrency=1):
        self.vapid = vapid
        self.subject = subject
        self.signatures = {}  # push service origin -> (headers, expiry)
        self.idle = defaultdict(list)  # (scheme, host, port) -> [_Connection]
        self.concurrency = concurrency
        # Posts under way; bound to the loop on first use.
        self.at_once = asyncio.Semaphore(concurrency)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="push", daemon=True
        )
        self.thread.start()

    def submit(self, messages, ttl, topic=None, urgency="normal"):
        """Post each (subscription, payload) of `messages` (subscription:
        {"endpoint", "keys"}; payload: bytes): a concurrent.futures.Future of
        their Results, in the same order, never of an exception. A batch goes
        to the loop as one task: handing it each message alone cost more than
        posting it. Its messages are all encrypted before the first is
        posted, so keep batches small (streaks.reminders.PUSH_BATCH)."""

        async def post_all():
            return await asyncio.gather(
                *(self._send(*message, ttl, topic, urgency) for message in messages)
            )

        return asyncio.run_coroutine_threadsafe(post_all(), self.loop)

    def send(self, subscription, payload, ttl, topic=None, urgency="normal"):
        """Post one message and wait for its Result."""
        return self.submit([(subscription, payload)], ttl, topic, urgency).result()[0]

    def close(self):
        """Stop: posts still under way (a run that failed) are cancelled and
        every connection is closed, then the loop and its thread end."""

        async def shut_down():
            others = asyncio.all_tasks() - {asyncio.current_task()}
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)
            for connections in self.idle.values():
                for connection in connections:
                    connection.close()
            self.idle.clear()
            await asyncio.sleep(0)  # a turn for the transports to close
            await self.loop.shutdown_default_executor()  # the DNS lookups'

        asyncio.run_coroutine_threadsafe(shut_down(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()

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

    async def _send(self, subscription, payload, ttl, topic, urgency):
        """The Result of one message; whatever goes wrong fails this device
        alone, never the batch."""
        try:
            return await self._post(subscription, payload, ttl, topic, urgency)
        except Exception as exc:
            logger.exception("A push message failed")
            return Result(FAILED, error=f"{type(exc).__name__}: {exc}"[:500])

    async def _post(self, subscription, payload, ttl, topic, urgency):
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
        whole = None
        try:
            async with self.at_once:
                # From here on: the time waiting for a place does not count.
                whole = asyncio.timeout(POST_TIMEOUT)
                async with whole:
                    answer = await self._answer(endpoint, body, headers)
        except RefusedAddress as exc:
            logger.warning("Push endpoint refused: %s", exc)
            return Result(FAILED, error=str(exc))
        except TimeoutError as exc:
            if whole is not None and whole.expired():
                return Result(RETRY, error=f"no whole answer in {POST_TIMEOUT} s")
            return Result(RETRY, error=f"{type(exc).__name__}: no answer in time")
        except (h11.ProtocolError, OSError) as exc:
            # Refused, reset, a bad certificate, not HTTP: try again later.
            return Result(RETRY, error=f"{type(exc).__name__}: {exc}"[:500])
        status = answer.status
        if 200 <= status < 300:
            return Result(SENT, status)
        if status in (404, 410):
            return Result(GONE, status, "the push service no longer knows this device")
        # 408: a kept-alive connection the service timed out just as we used it.
        if status in (408, 429) or status >= 500:
            return Result(RETRY, status, f"HTTP {status}", _retry_after(answer.headers))
        if 300 <= status < 400:
            return Result(FAILED, status, f"HTTP {status}: redirects are not followed")
        text = answer.body[:200].decode("utf-8", "replace")
        return Result(FAILED, status, f"HTTP {status}: {text}")

    async def _answer(self, url, body, headers):
        """The push service's Answer, on a kept connection when there is one."""
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        key = (parts.scheme, parts.hostname, parts.port)
        idle = self.idle[key]
        while idle and not idle[-1].usable():
            idle.pop().close()
        connection = idle.pop() if idle else await _Connection.open(parts)
        try:
            answer = await connection.exchange(target, body, headers)
        except BaseException:
            connection.close()  # in an unknown state: the next post connects
            raise
        if connection.usable() and len(idle) < self.concurrency:
            idle.append(connection)
        else:
            connection.close()
        return answer
