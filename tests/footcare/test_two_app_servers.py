"""Two app servers (real gunicorn processes) sharing one PostgreSQL and one
Redis: a write through one is seen at once through the other."""

import datetime as dt
import http.cookiejar
import re
import urllib.parse
import urllib.request
from contextlib import ExitStack

import pytest
import redis
from django.test import Client

from sessions.models import MassageSession, Technique
from tests.conftest import make_user
from tests.footcare import servers


class Browser:
    """One cookie jar for both servers (cookies do not depend on the port), the
    way a user behind a round-robin proxy would look to the app."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def set_cookie(self, name, value):
        self.jar.set_cookie(
            http.cookiejar.Cookie(
                0,
                name,
                value,
                None,
                False,
                "127.0.0.1",
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            )
        )

    def cookie(self, name):
        return next(c.value for c in self.jar if c.name == name)

    def get(self, url):
        with self.opener.open(url, timeout=10) as response:
            return response.status, response.read().decode()

    def post(self, url, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_a_write_through_one_server_is_served_at_once_by_the_other(tmp_path, catalog):
    database_url = servers.postgres_or_skip()
    redis_url = servers.redis_or_skip()
    prefix = servers.unique_cache_prefix()
    alice = make_user("alice", timezone="Europe/London")
    # A real session row, signed with the servers' secret key.
    client = Client()
    client.force_login(alice)
    browser = Browser()
    browser.set_cookie("sessionid", client.cookies["sessionid"].value)

    env = servers.base_env(
        DJANGO_SETTINGS_MODULE="tests.footcare.server_settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_CACHE_PREFIX=prefix,
    )
    store = redis.Redis.from_url(redis_url)
    try:
        with ExitStack() as stack:
            ports = []
            for name in ("a", "b"):
                port = servers.free_port()
                stack.enter_context(
                    servers.running(
                        servers.gunicorn(port), env, port, tmp_path / f"{name}.log"
                    )
                )
                ports.append(port)
            a, b = (f"http://127.0.0.1:{port}" for port in ports)

            status, page = browser.get(f"{b}/")
            assert status == 200
            assert "No sessions yet" in page

            status, form = browser.get(f"{a}/sessions/new/")
            token = re.search(r'name="token" value="([^"]+)"', form).group(1)
            today = dt.datetime.now(alice.tzinfo).date()
            warm_up = Technique.objects.get(user=None, key="warm-up")
            status, page = browser.post(
                f"{a}/sessions/new/",
                {
                    "csrfmiddlewaretoken": browser.cookie("csrftoken"),
                    "date": today.isoformat(),
                    "start_time": "00:00",
                    "duration_minutes": "37",
                    "techniques": [warm_up.pk],
                    "comfort": "4",
                    "pressure": "",
                    "notes": "",
                    "token": token,
                },
            )
            assert status == 200  # the redirect to the dashboard, followed
            assert MassageSession.objects.filter(user=alice).count() == 1

            # The other server, whose dashboard said "No sessions yet".
            status, page = browser.get(f"{b}/")
            assert "No sessions yet" not in page
            assert "37 min" in page
            status, page = browser.get(f"{b}/sessions/")
            assert "37 min" in page
    finally:
        keys = store.keys(f"{prefix}:*")
        if keys:
            store.delete(*keys)
