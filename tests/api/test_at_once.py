"""Requests at the same moment, each on its own connection (PostgreSQL, or the
SQLite test file with its busy timeout): the same Idempotency-Key twice is one
session, and the rate limit counts every request."""

import json

import pytest
from django.test import Client

from api.models import ApiToken
from sessions.models import MassageSession
from tests.api.conftest import Api, make_token
from tests.conftest import make_user
from tests.test_races import at_once, statuses

ROUNDS = 5


def api(token):
    return Api(token, client=Client(raise_request_exception=False))


@pytest.mark.django_db(transaction=True)
def test_the_same_key_twice_at_once_logs_one_session(catalog):
    alice = make_user("alice", timezone="Europe/London")
    token = make_token(alice)
    one, two = api(token), api(token)
    for round_ in range(ROUNDS):
        key = {"Idempotency-Key": f"bedside-tag-{round_}"}
        results = at_once(
            *[
                lambda client=client, key=key: client.post(
                    "sessions", {"comfort": 4}, headers=key
                )
                for client in (one, two)
            ]
        )
        assert statuses(results) == [201, 201]
        first, second = (json.loads(r.content)["session"] for r in results)
        assert first == second
        assert MassageSession.objects.count() == round_ + 1


@pytest.mark.django_db(transaction=True)
def test_the_rate_limit_counts_requests_that_arrive_together(catalog, settings):
    settings.API_RATE_LIMIT = 5
    alice = make_user("alice", timezone="Europe/London")
    token = make_token(alice)
    clients = [api(token) for _ in range(8)]
    results = at_once(*[lambda c=c: c.get("summary") for c in clients])
    assert sorted(statuses(results)) == [200] * 5 + [429] * 3
    assert ApiToken.objects.get().window_requests == 5
