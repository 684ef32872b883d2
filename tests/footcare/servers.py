"""Real app server processes for tests: gunicorn on loopback (ports 8151-8159)
against the test database, with Redis when it runs here."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("FOOTCARE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_or_skip():
    """A Redis URL, or skip the test saying why."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"needs Redis at {REDIS_URL} (redis-server; {exc})")
    return REDIS_URL


def postgres_or_skip():
    """The test database's URL, or skip: SQLite's test database lives in this
    process's memory, where no server process can see it."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: run with DATABASE_URL=postgres://... "
            "(SQLite's test database lives in one process's memory)"
        )
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return (
        f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


def free_port(candidates=range(8151, 8160)):
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8151-8159")


def unique_cache_prefix():
    return f"footcare-test-{uuid.uuid4().hex[:12]}"


def base_env(**overrides):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SECRET_KEY": "insecure-key-for-tests-only",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
    }
    env.update(overrides)
    return env


def get(url, headers=None, timeout=5):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextmanager
def running(argv, env, port, log_path):
    """Start `argv`, wait until /healthz on `port` answers 200, stop it after."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise AssertionError(
                    f"server exited with {process.returncode}:\n"
                    + Path(log_path).read_text()[-3000:]
                )
            try:
                status, _, _ = get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(
                    "no 200 from /healthz in 30 s:\n"
                    + Path(log_path).read_text()[-3000:]
                )
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def gunicorn(port, workers=1):
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "footcare.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--no-control-socket",
    ]
