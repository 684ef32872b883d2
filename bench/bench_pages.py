"""Benchmark: the stored days and page server time on 10 years of daily sessions.

Run with `make bench` (or `.venv/bin/python bench/bench_pages.py`). It builds a
fresh SQLite database under var/ (or uses DATABASE_URL), seeds one user with a
session every day for ten years, then measures in this one process:

- `days.refresh` over the whole history (an import, a zone change) and from
  today only (logging a session);
- server time of the dashboard, /streaks/, a year page and the sessions list
  through the full middleware stack, median and p95, and the first view after
  logging a session, against a baseline: a real signed-in page with a small
  form and no history (the password change page). Tests run with DummyCache
  and so does this: no page needs a cache.
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "footcare.settings_test")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")  # no line per request

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import localtime  # noqa: E402
from accounts.models import User  # noqa: E402
from sessions import days  # noqa: E402
from sessions.models import MassageSession, Technique  # noqa: E402

YEARS = 10
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 200))


def seed(user, today):
    count = round(365.25 * YEARS)
    first = today - dt.timedelta(days=count - 1)
    tz = user.tzinfo
    sessions = MassageSession.objects.bulk_create(
        (
            MassageSession.objects.build(
                user,
                localtime.aware(first + dt.timedelta(days=i), dt.time(21, i % 60), tz),
                tz,
                duration_minutes=8 + i % 7,
                comfort=1 + i % 5,
                pressure=["", "light", "medium", "firm"][i % 4],
            )
            for i in range(count)
        ),
        batch_size=1000,
    )
    techniques = list(Technique.objects.filter(user=None))
    Through = MassageSession.techniques.through
    Through.objects.bulk_create(
        (
            Through(massagesession_id=s.pk, technique_id=techniques[(i + k) % 9].pk)
            for i, s in enumerate(sessions)
            for k in range(3)
        ),
        batch_size=3000,
    )
    with transaction.atomic():
        days.refresh(user)
    return len(sessions)


def timed(fn, runs, before=None):
    samples = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DB.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    User.objects.filter(username="bench").delete()
    user = User.objects.create_user("bench", password="bench", timezone="Europe/London")
    today = user.today()
    count = seed(user, today)

    def refresh(since):
        with transaction.atomic():
            days.refresh(user, since)

    refresh_all = timed(lambda: refresh(None), 20)
    refresh_today = timed(lambda: refresh(today), 200)

    client = Client()
    client.force_login(user)
    results = {}
    with override_settings(DEBUG=False):
        for name, url in [
            ("baseline: password change", "/accounts/password_change/"),
            ("dashboard /", "/"),
            ("statistics /streaks/", "/streaks/"),
            ("statistics by year", "/streaks/?span=year"),
            ("year page", f"/streaks/year/{today.year - 1}/"),
            ("sessions list", "/sessions/"),
            ("sessions, page 100", "/sessions/?page=100"),
            ("sessions, one month", f"/sessions/?month={today.year - 1}-03"),
            ("sessions, one day", f"/sessions/?date={today.year - 1}-03-05"),
        ]:
            for _ in range(20):
                assert client.get(url).status_code == 200
            results[name] = timed(lambda url=url: client.get(url), REQUESTS)

        # The first view after logging a session (the daily loop).
        techniques = list(Technique.objects.filter(user=None)[:3])

        def log_now():
            now = timezone.now()
            MassageSession.objects.log(
                user, now, user.tzinfo, techniques, duration_minutes=10, comfort=4
            )

        for name, url, before in [
            ("dashboard, after a log", "/", log_now),
            ("statistics, after a log", "/streaks/", log_now),
        ]:
            results[name] = timed(
                lambda url=url: client.get(url), REQUESTS // 4, before
            )

    base = results["baseline: password change"][0]
    print(
        f"History: {count} daily sessions over {YEARS} years "
        f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})."
    )
    for name, (median, p95) in [
        ("days.refresh, whole history", refresh_all),
        ("days.refresh, from today", refresh_today),
    ]:
        print(f"{name}: median {median:.2f} ms, p95 {p95:.2f} ms")
    print(f"{'page':<26}{'median ms':>10}{'p95 ms':>10}{'x baseline':>12}")
    for name, (median, p95) in results.items():
        print(f"{name:<26}{median:>10.2f}{p95:>10.2f}{median / base:>12.2f}")


if __name__ == "__main__":
    main()
