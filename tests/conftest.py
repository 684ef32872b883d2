import importlib

import pytest
from django.apps import apps
from django.test import Client

from accounts.models import User

PASSWORD = "a-Long-enough-passphrase-42"


def make_user(username, **fields):
    fields.setdefault("email", f"{username}@example.com")
    return User.objects.create_user(username=username, password=PASSWORD, **fields)


@pytest.fixture
def alice(db):
    """The owner in most tests."""
    return make_user("alice", timezone="Europe/London")


@pytest.fixture
def charlie(db):
    """A stranger, whose data alice must never see."""
    return make_user("charlie", timezone="America/New_York")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def csrf_client():
    """A client that enforces CSRF checks, as a browser-facing server does."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def push_service(settings):
    """A push service on 127.0.0.1 (tests/push_service.py), the only origin the
    server may post to during the test."""
    from tests.push_service import PushService

    service = PushService().start()
    settings.FOOTCARE_PUSH_HOSTS = [service.origin]
    yield service
    service.stop()


@pytest.fixture
def catalog(transactional_db):
    """The built-in techniques, for a transactional test: the flush after each
    one also removes the rows the data migration made."""
    migration = importlib.import_module("sessions.migrations.0002_builtin_techniques")
    migration.add_catalog(apps, None)
