"""A PostgreSQL that takes the connection and never answers: a request gives up
after DJANGO_DB_CONNECT_TIMEOUT seconds instead of holding its worker until
gunicorn kills it (and answers gunicorn's bare 500)."""

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django, json
django.setup()
from django.db import OperationalError, connection
from django.test import Client
try:
    connection.ensure_connection()
except OperationalError:
    gave_up = True
else:
    gave_up = False
answer = Client(raise_request_exception=False).post(
    "/api/v1/sessions", "{}", content_type="application/json",
    headers={"Authorization": "Bearer x", "Host": "localhost"},
)
print(json.dumps({"gave_up": gave_up, "status": answer.status_code,
                  "retry_after": answer.get("Retry-After")}))
"""


def run_against(port, **env):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "footcare.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-only-secret-key-for-a-subprocess-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/footcare",
        "DJANGO_DB_CONNECT_TIMEOUT": "2",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,  # without a connect timeout it would wait for ever
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_hung_postgresql_is_a_quick_503_not_a_hang():
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])  # and never reply
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        found = run_against(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()
    assert found["gave_up"]
    assert found["status"] == 503
    assert found["retry_after"]
