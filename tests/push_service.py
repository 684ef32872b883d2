"""A push service and a browser for tests, on 127.0.0.1.

`PushService` answers like Google's or Mozilla's: 201 for a message, or what a
test scripts for one endpoint (410 for a device that is gone, 503 while busy).
It keeps every message it received, with its headers.

`Device` is the browser side: a P-256 key pair and auth secret made here, the
subscription JSON a browser would send, and the decryption of a message with
its own keys (http_ece, RFC 8291), as the browser does.
"""

import base64
import json
import os
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid


def b64url(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class Message:
    path: str
    headers: dict
    body: bytes
    status: int  # what the service answered


class Device:
    """A browser's push subscription, keys made in the test."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        point = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(point)
        self.auth_secret = os.urandom(16)
        self.auth = b64url(self.auth_secret)

    def subscription(self):
        """What PushSubscription.toJSON() gives and the page posts."""
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }

    def decrypt(self, message):
        """The payload of `message`, decrypted with this device's keys, as JSON."""
        assert message.headers["content-encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            message.body,
            private_key=self.private_key,
            auth_secret=self.auth_secret,
            version="aes128gcm",
        )
        return json.loads(plain)


@dataclass
class PushService:
    server: ThreadingHTTPServer = None
    # An ssl.SSLContext to answer over TLS (https://127.0.0.1:port), as real
    # push services do.
    tls: ssl.SSLContext | None = None
    connections: int = 0  # accepted so far (a kept-alive one counts once)
    messages: list = field(default_factory=list)
    # Path -> statuses to answer in turn (then 201).
    script: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def origin(self):
        host, port = self.server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def device(self, name="phone"):
        return Device(f"{self.origin}/push/{name}")

    def answer(self, device, *statuses):
        """The next answers to `device`: a status, or (status, Retry-After)."""
        self.script[device.endpoint.removeprefix(self.origin)] = list(statuses)

    def received(self, device=None, status=201):
        """Messages the service accepted (with `status`), for one device or all."""
        with self.lock:
            return [
                m
                for m in self.messages
                if m.status == status
                and (device is None or self.origin + m.path == device.endpoint)
            ]

    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length", 0))
        body = handler.rfile.read(length)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self.lock:
            statuses = self.script.get(handler.path) or []
            status = statuses.pop(0) if statuses else 201
            status, retry_after = (
                status if isinstance(status, tuple) else (status, None)
            )
            if status == 429:
                retry_after = retry_after or "1"
            self.messages.append(Message(handler.path, headers, body, status))
        handler.send_response(status)
        if retry_after:
            handler.send_header("Retry-After", retry_after)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def start(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            refused = False  # the client refused our certificate

            def setup(self):
                if service.tls:
                    # Here, in this connection's thread: a client that stalls
                    # holds this thread alone, never the accepting one.
                    self.request.settimeout(10)
                    try:
                        self.request.do_handshake()
                    except OSError:
                        self.refused = True
                super().setup()
                with service.lock:
                    service.connections += 1

            def handle(self):
                if not self.refused:
                    super().handle()

            def do_POST(self):
                service._handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if self.tls:
            self.server.socket = self.tls.wrap_socket(
                self.server.socket, server_side=True, do_handshake_on_connect=False
            )
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def vapid_signed(message, public_key):
    """Whether `message` carries a valid VAPID signature by `public_key` for the
    push service's origin."""
    authorization = message.headers.get("authorization", "")
    if f"k={public_key}" not in authorization:
        return False
    return Vapid.verify(authorization)
