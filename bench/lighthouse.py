"""Lighthouse (mobile) scores of the dashboard URL `/`, signed out (the landing
page) and signed in, both before today's session (the log form first, "Done as
usual") and after it (progress first), with the site served the way the
README's Deployment section serves it: production settings, collectstatic,
whitenoise, gunicorn with 3 workers.

Run with `make lighthouse` (it installs Lighthouse from bench/package.json with
`npm ci`). Needs Node and Chromium (CHROME_PATH, default /usr/bin/chromium).
Uses its own SQLite database under var/ and port 8190 (LIGHTHOUSE_PORT); the
signed-in run is a demo account with a year of history. Exits non-zero when a
score is below 95. Not part of `make test`: it takes about a minute.
"""

import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
PORT = int(os.environ.get("LIGHTHOUSE_PORT", 8190))
BASE = f"http://127.0.0.1:{PORT}"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 95
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", 3))
ENV = {
    **os.environ,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'lighthouse.sqlite3'}",
    # Plain HTTP on the loopback: no redirect to HTTPS, cookies over HTTP.
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_HSTS_SECONDS": "0",
}
ENV.pop("DJANGO_SETTINGS_MODULE", None)
SIGN_IN = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
user = User.objects.get(username="demo")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(settings.SESSION_COOKIE_NAME + "=" + session.session_key)
"""

# The signed-in dashboard's two states, set up before each is measured.
NOT_YET_TODAY = """
from accounts.models import User
from sessions.models import MassageSession
user = User.objects.get(username="demo")
for pk in MassageSession.objects.filter(user=user, local_date=user.today()).values_list(
    "pk", flat=True
):
    MassageSession.objects.remove(user, pk)
"""
DONE_TODAY = """
import uuid
from accounts.models import User
from sessions.as_usual import log_as_usual
log_as_usual(User.objects.get(username="demo"), uuid.uuid4())
"""
STATES = (
    ("signed out", None),
    ("signed in, not yet today", NOT_YET_TODAY),
    ("signed in, done today", DONE_TODAY),
)


def manage(*args, **kwargs):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, **kwargs
    )


def serve():
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "footcare.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "3",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=ENV,
    )
    for _ in range(50):
        try:
            urllib.request.urlopen(BASE + "/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def warm_up(url, cookie=None):
    """A few requests first, so each worker has built its cache: the figures are
    for the page as people see it all day, not the first view after a deploy."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    for _ in range(9):
        urllib.request.urlopen(request, timeout=30).read()


def lighthouse(url, cookie=None):
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ]
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        env = {
            **os.environ,
            "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
        }
        # Lighthouse now and then fails to record a trace (NO_NAVSTART) on a
        # busy machine: one more try before giving up.
        if subprocess.run(command, env=env).returncode:
            subprocess.run(command, check=True, env=env)
        result = json.loads(report.read_text())
        if os.environ.get("LIGHTHOUSE_KEEP"):  # a copy to read the details in
            name = "signed-in" if cookie else "signed-out"
            stamp = time.strftime("%H%M%S")
            (ROOT / "var" / f"lighthouse-{name}-{stamp}.json").write_text(
                report.read_text()
            )
    failed = [
        f"  {audit['id']}: {audit['title']}"
        for audit in result["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    return scores, failed


def main():
    (ROOT / "var").mkdir(exist_ok=True)
    manage("check", "--deploy", "--fail-level", "ERROR")
    manage("migrate", "--noinput", stdout=subprocess.DEVNULL)
    manage("collectstatic", "--noinput", stdout=subprocess.DEVNULL)
    manage("seed_demo", "--user", "demo", "--years", "1", stdout=subprocess.DEVNULL)
    output = manage("shell", "-c", SIGN_IN, capture_output=True, text=True).stdout
    cookie = output.strip().splitlines()[-1]  # after the shell's own notes
    server = serve()
    worst = 100
    try:
        for name, setup in STATES:
            session = None
            if setup:
                manage("shell", "-c", setup, stdout=subprocess.DEVNULL)
                session = cookie
            warm_up(BASE + "/", session)
            # Lighthouse varies from run to run: the median of RUNS, as its
            # documentation recommends.
            runs = [lighthouse(BASE + "/", session) for _ in range(RUNS)]
            scores = {
                c: statistics.median_low(run[0][c] for run in runs) for c in CATEGORIES
            }
            worst = min(worst, *scores.values())
            figures = "  ".join(f"{c} {s}" for c, s in scores.items())
            every = ", ".join(str(run[0]["performance"]) for run in runs)
            print(f"/ {name}: {figures}  (performance runs: {every})")
            for line in sorted({line for run in runs for line in run[1]}):
                print(line)
    finally:
        server.terminate()
        server.wait()
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    if worst < TARGET:
        raise SystemExit(f"A score is below {TARGET}.")


if __name__ == "__main__":
    main()
