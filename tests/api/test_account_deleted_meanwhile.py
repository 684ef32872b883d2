"""A write whose account is deleted while it is under way (the account page
in another tab) answers 401, as a revoked token does, and writes nothing."""

import datetime as dt
from unittest import mock

import pytest
import time_machine

from accounts.models import User
from api.endpoints import TokenAuth
from sessions.models import MassageSession, Pause, RestDay

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def deleted_once_signed_in():
    """The account is deleted right after its token was checked."""
    check = TokenAuth.authenticate

    def then_deleted(self, request, token):
        found = check(self, request, token)
        if found is not None:
            User.objects.filter(pk=found.user_id).delete()
        return found

    with mock.patch.object(TokenAuth, "authenticate", then_deleted):
        yield


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("sessions", {}),
        ("rest-days", {"date": "2026-11-24"}),
        ("pauses", {"start": "2026-11-26", "end": "2026-11-28", "reason": "travel"}),
    ],
)
def test_a_write_for_an_account_deleted_meanwhile_is_unauthorized(
    alice_api, catalog, deleted_once_signed_in, path, payload
):
    response = alice_api.post(path, payload)
    assert response.status_code == 401
    assert "revoked" in response.json()["message"]
    assert not User.objects.exists()
    assert not MassageSession.objects.exists()
    assert not RestDay.objects.exists()
    assert not Pause.objects.exists()
