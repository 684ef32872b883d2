"""streaks.push.Sender on its own: a batch of messages, each with its own
Result, whatever the others' push services answer or however they fail."""

import socket
import time

import pytest
from py_vapid import Vapid

from streaks import push
from tests.push_service import Device


@pytest.fixture
def sender():
    vapid = Vapid()
    vapid.generate_keys()
    sender = push.Sender(vapid, "mailto:test@example.com", concurrency=4)
    yield sender
    sender.close()


def post(sender, *devices):
    messages = [(device.subscription(), b'{"title": "Hello"}') for device in devices]
    return sender.submit(messages, ttl=60).result(timeout=30)


def test_each_message_of_a_batch_gets_its_own_result(sender, push_service):
    ok, gone, busy, teapot = (push_service.device(n) for n in ("a", "b", "c", "d"))
    push_service.answer(gone, 410)
    push_service.answer(busy, (503, "120"))
    push_service.answer(teapot, 418)
    results = post(sender, ok, gone, busy, teapot)
    outcomes = [r.outcome for r in results]
    assert outcomes == [push.SENT, push.GONE, push.RETRY, push.FAILED]
    assert results[2].retry_after == 120
    assert results[3].error.startswith("HTTP 418")
    assert len(push_service.received(ok)) == 1


def test_a_408_on_a_kept_connection_is_tried_again(sender, push_service):
    phone = push_service.device()
    push_service.answer(phone, 408)
    (result,) = post(sender, phone)
    assert (result.outcome, result.status) == (push.RETRY, 408)


@pytest.mark.parametrize("value", ["²", "soon", "-5", ""])
def test_a_retry_after_that_is_not_a_number_or_date_is_left_out(
    sender, push_service, value
):
    phone = push_service.device()
    push_service.answer(phone, (503, value))
    (result,) = post(sender, phone)
    assert (result.outcome, result.retry_after) == (push.RETRY, None)


def test_an_error_in_one_message_fails_that_device_alone(
    sender, push_service, monkeypatch
):
    broken, fine = push_service.device("broken"), push_service.device("fine")
    signed = sender._vapid_headers

    def sign(endpoint):
        if endpoint == broken.endpoint:
            raise RuntimeError("no signature today")
        return signed(endpoint)

    monkeypatch.setattr(sender, "_vapid_headers", sign)
    results = post(sender, broken, fine)
    assert [r.outcome for r in results] == [push.FAILED, push.SENT]
    assert "no signature today" in results[0].error
    assert len(push_service.received(fine)) == 1


def test_closing_with_a_post_under_way_ends_it(settings):
    """A service that takes the connection and never answers: close() does
    not wait for POST_TIMEOUT, and the batch's future ends, cancelled."""
    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    settings.FOOTCARE_PUSH_HOSTS = [f"http://127.0.0.1:{port}"]
    vapid = Vapid()
    vapid.generate_keys()
    sender = push.Sender(vapid, "mailto:test@example.com")
    try:
        device = Device(f"http://127.0.0.1:{port}/push/x")
        future = sender.submit([(device.subscription(), b"{}")], ttl=60)
        time.sleep(0.5)  # connected, posted, waiting for the answer
        started = time.monotonic()
        sender.close()
        assert time.monotonic() - started < push.POST_TIMEOUT / 2
        assert future.cancelled()
    finally:
        silent.close()


def certificate_for_loopback(directory, address="127.0.0.1"):
    """A self-signed certificate for `address` and its key: PEM file paths."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test push service")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(address))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_push_service(settings, tmp_path, request):
    """A push service on https://127.0.0.1 with a certificate of its own (for
    the address a test passes as the fixture's parameter, else 127.0.0.1),
    the only origin the server may post to; its certificate's path."""
    import ssl

    from tests.push_service import PushService

    address = getattr(request, "param", "127.0.0.1")
    cert_path, key_path = certificate_for_loopback(tmp_path, address)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_path, key_path)
    service = PushService(tls=tls).start()
    settings.FOOTCARE_PUSH_HOSTS = [service.origin]
    yield service, cert_path
    service.stop()


def trust(monkeypatch, cert_path):
    """The sender's TLS settings (ssl.create_default_context, as push.TLS is
    made), trusting the test's certificate too."""
    import ssl

    monkeypatch.setattr(push, "TLS", ssl.create_default_context(cafile=cert_path))


def test_posts_over_tls_to_a_service_whose_certificate_is_trusted(
    sender, tls_push_service, monkeypatch
):
    """What every real push service asks for: TLS, and the connection kept
    for the next post."""
    service, cert_path = tls_push_service
    trust(monkeypatch, cert_path)
    phone, tablet = service.device("phone"), service.device("tablet")
    assert phone.endpoint.startswith("https://127.0.0.1:")
    assert [r.outcome for r in post(sender, phone)] == [push.SENT]
    assert [r.outcome for r in post(sender, tablet)] == [push.SENT]
    (message,) = service.received(phone)
    assert phone.decrypt(message) == {"title": "Hello"}
    assert service.connections == 1


def test_a_certificate_that_is_not_trusted_sends_nothing(sender, tls_push_service):
    service, _ = tls_push_service
    phone = service.device()
    (result,) = post(sender, phone)
    assert result.outcome == push.RETRY
    assert "CERTIFICATE_VERIFY_FAILED" in result.error
    assert service.received() == []


@pytest.mark.parametrize("tls_push_service", ["127.0.0.2"], indirect=True)
def test_a_trusted_certificate_for_another_address_sends_nothing(
    sender, tls_push_service, monkeypatch
):
    service, cert_path = tls_push_service
    trust(monkeypatch, cert_path)
    (result,) = post(sender, service.device())
    assert result.outcome == push.RETRY
    assert "CERTIFICATE_VERIFY_FAILED" in result.error
    assert service.received() == []
