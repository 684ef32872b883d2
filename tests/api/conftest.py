"""Helpers for the API's tests: tokens and requests as a shortcut sends them."""

import json

import pytest
from django.test import Client

from api.models import ApiToken


def make_token(user, scope=ApiToken.Scope.LOG, name="iPhone shortcut"):
    """A token of `user`, as the Apps and shortcuts page makes it: the secret."""
    return ApiToken.make(user, name, scope)[1]


class Api:
    """Requests to /api/v1/ with a bearer token (or none), JSON in and out."""

    def __init__(self, token=None, client=None):
        self.client = client or Client(raise_request_exception=False)
        self.token = token

    def headers(self, extra):
        headers = dict(extra or {})
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path, params=None, headers=None):
        return self.client.get(
            f"/api/v1/{path}", params or {}, headers=self.headers(headers)
        )

    def post(self, path, body=None, headers=None, raw=None):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.post(
            f"/api/v1/{path}",
            data=data,
            content_type="application/json",
            headers=self.headers(headers),
        )

    def delete(self, path, headers=None):
        return self.client.delete(f"/api/v1/{path}", headers=self.headers(headers))


@pytest.fixture
def alice_api(alice):
    """Alice's shortcut, with a token that may read and log."""
    return Api(make_token(alice))


@pytest.fixture
def reader_api(alice):
    """Alice's read-only token."""
    return Api(make_token(alice, ApiToken.Scope.READ, name="Wall display"))


def body(response):
    return json.loads(response.content)
