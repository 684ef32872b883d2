"""Load benchmark: real gunicorn app servers under a realistic mix of users.

    make load                                  # SQLite, one server, one worker
    make load LOAD_ARGS="--db postgres --servers 2 --workers 2"
    .venv/bin/python bench/load.py --pages     # cost of each page, one worker

It builds a fresh database (SQLite under var/, or the PostgreSQL database
--pg-name), seeds --users accounts in bulk with streaks.demo's generator
(histories from 30 days to 10 years, spread log-uniformly; the first has 10
years), signs each in by making a session row, starts --servers gunicorn
masters with --workers workers on 127.0.0.1:8160.., sharing the database and,
with PostgreSQL, Redis (a key prefix of this run, removed afterwards). Then:

- with --pages: one connection, one request at a time, to a one-worker server:
  the median and p95 of every page for the 10-year account, of the first
  dashboard and statistics view after a write, and of the API's POST
  /api/v1/sessions and GET /api/v1/summary with a token of that account;
- otherwise: locust (bench/locustfile.py) headless for --time seconds with
  --clients users spread over the servers, printing requests/s, p50/p95/p99
  and errors per page, and checking that every session the app confirmed is in
  the database exactly once.

Loopback only; everything it starts is stopped at the end.
"""

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
SECRET = "bench-only-secret-key-not-for-production-use-1234567890"
BASE_PORT = 8160


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--pg-name", default="footcare_load", help="PostgreSQL database"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--servers", type=int, default=1, choices=[1, 2])
    parser.add_argument("--workers", type=int, default=1, help="per server")
    parser.add_argument("--users", type=int, default=40, help="seeded accounts")
    parser.add_argument("--clients", type=int, default=20, help="concurrent users")
    parser.add_argument("--time", type=int, default=30, help="seconds (at most 60)")
    parser.add_argument("--pages", action="store_true", help="per-page cost instead")
    parser.add_argument("--requests", type=int, default=100, help="per page (--pages)")
    args = parser.parse_args()
    args.time = min(args.time, 60)
    if args.pages:
        args.servers, args.workers = 1, 1
    return args


def environment(args):
    VAR.mkdir(exist_ok=True)
    env = {
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_CONN_MAX_AGE": "60",
        # --pages sends each API request 100+ times a minute with one token.
        "FOOTCARE_API_RATE_LIMIT": "1000000",
    }
    if args.db == "sqlite":
        db = VAR / "load.sqlite3"
        for path in VAR.glob("load.sqlite3*"):
            path.unlink()
        env["DATABASE_URL"] = f"sqlite:///{db}"
    else:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.pg_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{args.pg_name}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.pg_name}"
        env["REDIS_URL"] = args.redis
        env["DJANGO_CACHE_PREFIX"] = f"footcare-load-{os.getpid()}"
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "footcare.settings"
    return env


def seed(count):
    """`count` accounts with demo histories, and a signed-in session for each."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from streaks.demo import build_history

    rng = random.Random(15)
    password = make_password("load-test-password")  # hashed once, shared
    users = User.objects.bulk_create(
        User(
            username=f"load{i}",
            email=f"load{i}@example.com",
            password=password,
            timezone="Europe/London",
            weekly_target=5,
        )
        for i in range(count)
    )
    accounts, total = [], 0
    for i, user in enumerate(users):
        # Log-uniform from 30 days to 10 years; the first account has 10 years.
        years = (
            10
            if i == 0
            else math.exp(rng.uniform(math.log(30 / 365.25), 0 + math.log(10)))
        )
        sessions, _ = build_history(user, years, user.today(), seed=i)
        total += sessions
        user.refresh_from_db()
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "accounts.backends.UsernameOrEmailBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        accounts.append(
            {"username": user.username, "sessionid": store.session_key, "years": years}
        )
    return accounts, total


def start_servers(args, env):
    gunicorn_env = {**os.environ, **env}
    servers = []
    for n in range(args.servers):
        port = BASE_PORT + n
        with open(VAR / f"load-server-{n}.log", "wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "footcare.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--no-control-socket",
                ],
                cwd=ROOT,
                env=gunicorn_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        servers.append((process, f"http://127.0.0.1:{port}"))
    for process, url in servers:
        deadline = time.monotonic() + 60
        while not database_answers(url):
            problem = None
            if process.poll() is not None:
                problem = f"gunicorn for {url} exited; see var/load-server-*.log"
            elif time.monotonic() > deadline:
                problem = f"{url}/healthz did not find the database in 60 s"
            if problem:
                stop_servers(servers)
                sys.exit(problem)
            time.sleep(0.3)
    return servers


def database_answers(url):
    """Whether the server at `url` is up with its database: /healthz's 200, or
    its 503 naming only the cache (a run with --redis pointing nowhere)."""
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return response.status == 200
    except urllib.error.HTTPError as answer:
        return json.loads(answer.read() or b"{}").get("database") == "ok"
    except (OSError, ValueError):
        return False


def stop_servers(servers):
    for process, _ in servers:
        process.terminate()
    for process, _ in servers:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def timed_get(url, cookie):
    return timed(urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"}))


def timed(request, expected=200):
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        status = response.status
    elapsed = (time.perf_counter() - start) * 1000
    if status != expected:
        raise SystemExit(f"{request.full_url}: {status}")
    return elapsed


def api_requests(base, user):
    """The API's two hot paths with a token of `user`: what a shortcut sends."""
    from api.models import ApiToken

    _, token = ApiToken.make(user, "bench", ApiToken.Scope.LOG)
    bearer = {"Authorization": f"Bearer {token}"}

    def log():
        return timed(
            urllib.request.Request(
                base + "/api/v1/sessions",
                data=json.dumps({"comfort": 4}).encode(),
                headers={**bearer, "Content-Type": "application/json"},
                method="POST",
            ),
            expected=201,
        )

    def summary():
        return timed(urllib.request.Request(base + "/api/v1/summary", headers=bearer))

    return [("api: POST /api/v1/sessions", log), ("api: GET /api/v1/summary", summary)]


def page_costs(base, account, runs):
    """Median and p95 of each page, one request at a time."""
    from django.utils import timezone

    from accounts.models import User
    from sessions.models import MassageSession, Technique

    user = User.objects.get(username=account["username"])
    one = MassageSession.objects.filter(user=user).latest("started_at")
    today = user.today()
    ten_years = f"from={today - dt.timedelta(days=3652)}&to={today}"
    pages = [
        ("baseline: password change", "/accounts/password_change/"),
        ("dashboard /", "/"),
        ("statistics /streaks/", "/streaks/"),
        ("what works for me", "/streaks/insights/"),
        ("when I practise", "/streaks/when/"),
        ("last year's page", f"/streaks/year/{today.year - 1}/"),
        ("sessions list /sessions/", "/sessions/"),
        ("sessions list, last page", "/sessions/?page=1000000"),
        ("log form /sessions/new/", "/sessions/new/"),
        ("edit form", f"/sessions/{one.pk}/edit/"),
        ("rest days", "/sessions/rest-days/"),
        ("preferred times", "/accounts/times/"),
        ("techniques", "/sessions/techniques/"),
        ("settings /accounts/settings/", "/accounts/settings/"),
        ("report to share, last 30 days", "/streaks/report/"),
        ("report to share, ten years", f"/streaks/report/?{ten_years}"),
        ("report, ten years with notes", f"/streaks/report/?{ten_years}&notes=on"),
    ]

    techniques = list(Technique.objects.filter(user=None)[:3])

    def write():  # what the log form does, without the HTTP round trip
        now = timezone.now()
        MassageSession.objects.log(
            user, now, user.tzinfo, techniques, duration_minutes=10, comfort=4
        )

    results = []
    cookie = account["sessionid"]
    for name, path in pages:
        for _ in range(10):
            timed_get(base + path, cookie)
        samples = sorted(timed_get(base + path, cookie) for _ in range(runs))
        results.append((name, samples))
    writes = []
    for name, path in [
        ("dashboard, first view after a write", "/"),
        ("statistics, first view after a write", "/streaks/"),
    ]:
        samples = []
        for _ in range(max(10, runs // 4)):
            start = time.perf_counter()
            write()
            writes.append((time.perf_counter() - start) * 1000)
            samples.append(timed_get(base + path, cookie))
        results.append((name, sorted(samples)))
    results.append(("the write: log a session, in process", sorted(writes)))
    # Last: every POST logs one more session today.
    for name, request in api_requests(base, user):
        for _ in range(10):
            request()
        results.append((name, sorted(request() for _ in range(runs))))
    print(
        "\nPer page, one gunicorn worker, one request at a time "
        f"({account['years']:.0f} years of history):"
    )
    print(f"{'page':<40}{'median ms':>10}{'p95 ms':>9}")
    for name, samples in results:
        p95 = samples[max(0, math.ceil(len(samples) * 0.95) - 1)]
        print(f"{name:<40}{statistics.median(samples):>10.1f}{p95:>9.1f}")


def run_locust(args, servers, users_file):
    logged_file = VAR / "load-logged.json"
    logged_file.unlink(missing_ok=True)
    prefix = VAR / "load"
    env = {
        **os.environ,
        "FOOTCARE_LOAD_HOSTS": ",".join(url for _, url in servers),
        "FOOTCARE_LOAD_USERS": str(users_file),
        "FOOTCARE_LOAD_LOGGED": str(logged_file),
    }
    with open(VAR / "load-locust.log", "wb") as locust_log:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "-u",
                str(args.clients),
                "-r",
                str(args.clients),
                "-t",
                f"{args.time}s",
                "--stop-timeout",
                "10",
                "--host",
                servers[0][1],
                "--csv",
                str(prefix),
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            check=False,
            stdout=locust_log,
            stderr=subprocess.STDOUT,
        )
    with open(f"{prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    print(
        f"\n{args.clients} users for {args.time} s on {args.servers} server(s) x "
        f"{args.workers} worker(s), {args.db}"
        f"{' + Redis' if args.db == 'postgres' else ''}:"
    )
    print(
        f"{'page':<42}{'reqs':>7}{'err':>5}{'req/s':>8}"
        f"{'p50':>6}{'p95':>6}{'p99':>6}  (ms)"
    )
    for row in rows:
        print(
            f"{row['Name'][:41]:<42}{row['Request Count']:>7}{row['Failure Count']:>5}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>6}{row['95%']:>6}{row['99%']:>6}"
        )
    return json.loads(logged_file.read_text()) if logged_file.exists() else []


def check_nothing_lost(logged):
    from sessions.models import MassageSession

    saved = list(
        MassageSession.objects.filter(notes__startswith="load test").values_list(
            "submission_token", flat=True
        )
    )
    confirmed = {str(t) for t in logged}
    in_db = [str(t) for t in saved]
    lost = confirmed - set(in_db)
    doubled = len(in_db) - len(set(in_db))
    print(
        f"Sessions confirmed by the app: {len(confirmed)}; in the database: "
        f"{len(set(in_db) & confirmed)}; lost: {len(lost)}; doubled: {doubled}."
    )
    return not lost and not doubled


def main():
    args = parse_args()
    env = environment(args)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    # Always: a manifest left from an older checkout lacks the newer files.
    call_command("collectstatic", interactive=False, verbosity=0)
    accounts, total = seed(args.users)
    if args.db == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            # Fresh statistics, as autovacuum gives a live site after a bulk
            # load: without them PostgreSQL plans the seeded tables as empty.
            cursor.execute("VACUUM ANALYZE")
    users_file = VAR / "load-users.json"
    users_file.write_text(json.dumps(accounts))
    print(
        f"Seeded {len(accounts)} accounts, {total} sessions "
        f"({args.db}) in {time.monotonic() - started:.0f} s."
    )
    from django.db import connections

    connections.close_all()
    servers = start_servers(args, env)
    ok = True
    try:
        if args.pages:
            page_costs(servers[0][1], accounts[0], args.requests)
        else:
            logged = run_locust(args, servers, users_file)
            ok = check_nothing_lost(logged)
    finally:
        stop_servers(servers)
        if args.db == "postgres":
            import redis

            try:
                store = redis.Redis.from_url(args.redis)
                keys = store.keys(env["DJANGO_CACHE_PREFIX"] + ":*")
                if keys:
                    store.delete(*keys)
            except redis.ConnectionError:
                pass  # --redis pointing nowhere: nothing was kept
    load = os.getloadavg()[0]
    print(f"(load average {load:.1f} on {os.cpu_count()} cores while measuring)")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
