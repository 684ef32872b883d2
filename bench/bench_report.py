"""Benchmark: the report to share over ten years of daily sessions (target:
50 ms).

Run with `.venv/bin/python bench/bench_report.py`. It builds a fresh SQLite
database under var/ (or uses DATABASE_URL), seeds one user with a session every
day for ten years (pain, foot, where, three techniques, a note every fourth day)
and a pause each year, then measures server time in this one process, through
the whole middleware stack: the owner's report of the last 30 days and of all
ten years (with and without the notes), and the shared link's page of ten
years, median and p95, against a baseline (the password change page).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench-report.sqlite3"
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

from accounts.models import User  # noqa: E402
from sessions import days  # noqa: E402
from sessions.models import MassageSession, Pause, Technique  # noqa: E402
from streaks.models import ReportLink  # noqa: E402

YEARS = 10
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 100))


def seed(user, today):
    count = round(365.25 * YEARS) - 1
    first = today - dt.timedelta(days=count - 1)
    techniques = [t.pk for t in Technique.objects.filter(user=None)]
    entries = []
    pauses = []
    for i in range(count):
        day = first + dt.timedelta(days=i)
        if i % 365 in range(100, 105):  # a five-day pause each year
            if i % 365 == 100:
                pauses.append(
                    Pause(
                        user=user,
                        start=day,
                        end=day + dt.timedelta(days=4),
                        reason="travel",
                        note="Away",
                    )
                )
            continue
        entries.append(
            {
                "local_date": day,
                "timezone": user.timezone,
                "duration_minutes": 8 + i % 7,
                "comfort": 1 + i % 5,
                "pain_before": i % 11,
                "pain_after": i % 7,
                "foot": ("left", "right", "both")[i % 3],
                "zones": 1 + i % 31,
                "notes": "Heel a little sore; eased off." if i % 4 == 0 else "",
                "technique_ids": [
                    techniques[(i + k) % len(techniques)] for k in range(3)
                ],
            }
        )
    with transaction.atomic():
        days.lock(user)
        MassageSession.objects.bulk_log(user, entries)
        Pause.objects.bulk_create(pauses)
        days.refresh(user)
    return len(entries), len(pauses), first


def timed(client, url, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main():
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DB.parent.mkdir(exist_ok=True)
        DB.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    User.objects.filter(username="bench").delete()
    user = User.objects.create_user("bench", password="bench", timezone="Europe/London")
    today = user.today()
    sessions, pauses, first = seed(user, today)
    _, token = ReportLink.make(user, first, today, 30, notes=True)

    client = Client()
    client.force_login(user)
    span = f"from={first.isoformat()}&to={today.isoformat()}"
    pages = [
        ("baseline: password change", client, "/accounts/password_change/"),
        ("report, last 30 days", client, "/streaks/report/"),
        ("report, ten years", client, f"/streaks/report/?{span}"),
        ("report, ten years + notes", client, f"/streaks/report/?{span}&notes=on"),
        ("shared link, ten years + notes", Client(), f"/report/{token}/"),
    ]
    results = {}
    with override_settings(DEBUG=False):
        for name, who, url in pages:
            for _ in range(10):
                who.get(url)
            results[name] = timed(who, url, REQUESTS)

    base = results["baseline: password change"][0]
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"History: {sessions} daily sessions and {pauses} pauses over {YEARS} years "
        f"({engine}); {REQUESTS} requests a page."
    )
    print(f"{'page':<32}{'median ms':>10}{'p95 ms':>10}{'x baseline':>12}")
    for name, (median, p95) in results.items():
        print(f"{name:<32}{median:>10.2f}{p95:>10.2f}{median / base:>12.2f}")
    print("Target: the report of ten years in 50 ms or less.")


if __name__ == "__main__":
    main()
