"""A cache outage never takes a page down: with Redis stopped, gone or hung,
every page is built from the database, a warning is logged once a minute (not
once a request), and /healthz says the cache is failing."""

import datetime as dt
import json
import logging
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import time_machine

from accounts.models import PreferredTime, User
from footcare import cache as degrading
from sessions.models import MassageSession, Technique
from tests.accounts.test_signup import signup_data
from tests.factories import builtin, log_session
from tests.footcare import servers
from tests.test_every_page import MENU

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
BACKEND = "footcare.cache.DegradingRedisCache"


def redis_cache(location, **options):
    return {
        "default": {
            "BACKEND": BACKEND,
            "LOCATION": location,
            "KEY_PREFIX": "footcare-h19-test",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                **options,
            },
        }
    }


class Clock:
    """Stands in for the backend's clock, so a minute passes when a test says."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(degrading, "clock", clock)
    monkeypatch.setattr(degrading, "_retry_at", {})
    monkeypatch.setattr(degrading, "_warned_at", {})
    return clock


@pytest.fixture
def redis_down(settings, clock):
    settings.CACHES = redis_cache(CLOSED)
    return clock


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def history(alice):
    for day in (20, 21, 23):
        log_session(alice, dt.datetime(2026, 11, day, 7, 45), comfort=4)
    PreferredTime.objects.create(user=alice, label="Evening", time=dt.time(21, 0))
    technique = Technique.objects.create(user=alice, name="Tennis ball roll")
    session = MassageSession.objects.filter(user=alice).first()
    return {"session": session.pk, "technique": technique.pk}


SIGNED_IN_PAGES = [
    *MENU.values(),
    "/streaks/?span=month",
    "/streaks/?span=year",
    "/streaks/year/2026/",
    "/sessions/?month=2026-11",
    "/sessions/?date=2026-11-21",
    "/sessions/new/",
    "/sessions/{session}/edit/",
    "/sessions/{session}/delete/",
    "/sessions/guide/",
    "/sessions/techniques/{technique}/rename/",
    "/accounts/times/",
    "/accounts/password_change/",
    "/accounts/delete/",
    "/accounts/export/",
    "/accounts/export/sessions.csv",
    "/accounts/export/footcare.json",
    "/accounts/import/",
]


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_down")
def test_every_signed_in_page_answers_with_redis_down(client, alice, history):
    client.force_login(alice)
    for url in SIGNED_IN_PAGES:
        response = client.get(url.format(**history))
        assert response.status_code == 200, url


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_down")
def test_logging_a_session_lands_on_the_dashboard_with_redis_down(client, alice):
    client.force_login(alice)
    data = {
        "date": "2026-11-25",
        "start_time": "08:30",
        "duration_minutes": "12",
        "techniques": [str(builtin("arch").pk)],
        "comfort": "4",
        "token": "6f1c9d1e-8a71-4d55-9d3b-3a1f1c0b4a11",
    }
    response = client.post("/sessions/new/", data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/", 302)]
    assert MassageSession.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_down")
def test_signing_up_lands_on_the_dashboard_with_redis_down(client):
    response = client.post("/accounts/signup/", signup_data(), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"
    assert User.objects.filter(username=signup_data()["username"]).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_down")
def test_healthz_says_the_cache_is_failing(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["cache"] == "failing"
    assert body["database"] == "ok"


def outage_warnings(caplog):
    return [
        r
        for r in caplog.records
        if r.name == "footcare.cache" and r.levelno == logging.WARNING
    ]


@pytest.mark.django_db
def test_the_outage_is_logged_once_a_minute_not_per_request(
    client, alice, redis_down, caplog
):
    """Health checks use the cache on every request (pages may too)."""
    client.force_login(alice)
    caplog.set_level(logging.INFO, logger="footcare.cache")
    for seconds in range(0, 60, 6):  # twenty requests in a minute
        redis_down.now = 1000.0 + seconds
        assert client.get("/healthz").status_code == 503
        assert client.get("/").status_code == 200
    assert len(outage_warnings(caplog)) == 1
    redis_down.now = 1000.0 + 61
    assert client.get("/healthz").status_code == 503
    assert len(outage_warnings(caplog)) == 2


class HungRedis:
    """A Redis that accepts connections and never answers; counts them."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.accepted = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"

    def serve(self):
        while not self.done.is_set():
            try:
                self.accepted.append(self.listener.accept()[0])
            except TimeoutError:
                continue

    def close(self):
        self.done.set()
        self.thread.join()
        for conn in self.accepted:
            conn.close()
        self.listener.close()


@pytest.fixture
def hung_redis(settings, clock):
    hung = HungRedis()
    settings.CACHES = redis_cache(hung.url)
    yield hung
    hung.close()


@pytest.mark.django_db
def test_a_hung_redis_is_waited_for_once_not_on_every_call(client, hung_redis, clock):
    # Each health check writes and reads the cache twice when it fails.
    assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 503
    assert len(hung_redis.accepted) == 1
    clock.now += degrading.RETRY_AFTER  # then it is tried again
    assert client.get("/healthz").status_code == 503
    assert len(hung_redis.accepted) == 2


def test_with_redis_up_it_is_an_ordinary_cache(settings, clock):
    settings.CACHES = redis_cache(servers.redis_or_skip())  # keys of its own prefix
    from django.core.cache import cache

    cache.set("a", {"b": 1}, 30)
    assert cache.get("a") == {"b": 1}
    assert cache.add("a", 2) is False
    cache.set("n", 1, 30)
    assert cache.incr("n") == 2
    assert cache.get_many(["a", "n"]) == {"a": {"b": 1}, "n": 2}
    cache.delete_many(["a", "n"])
    assert cache.get("a") is None


def test_with_redis_down_reads_miss_and_writes_keep_nothing(redis_down):
    from django.core.cache import cache

    cache.set("a", 1)
    assert cache.get("a") is None
    assert cache.get("a", "default") == "default"
    assert cache.get_or_set("b", 2) == 2
    assert cache.add("c", 3) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert "a" not in cache
    with pytest.raises(ValueError, match="not found"):
        cache.incr("a")


def test_redis_url_gives_the_degrading_cache(tmp_path):
    """The settings wire REDIS_URL to it: a stopped Redis is a miss, not an error."""
    script = (
        "import django; django.setup();"
        "from django.core.cache import cache;"
        "cache.set('k', 1); print(repr(cache.get('k')))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "footcare.settings",
        "DJANGO_SECRET_KEY": "test-only",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": CLOSED,
    }
    env.pop("CACHE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "None"
    assert "The cache is unreachable" in done.stderr
