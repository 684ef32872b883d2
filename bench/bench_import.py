"""Benchmark: importing and exporting 10 years of daily entries.

Run with `make bench-import` (or `.venv/bin/python bench/bench_import.py`). It
builds a fresh SQLite database under var/ (or uses DATABASE_URL) and measures,
in this one process, the whole import of each file the way the "Import" button
runs it (read the file, plan against what is there, write in one transaction):

- a Loop Habit Tracker Checkmarks.csv with a done day for every day of ten
  years (3,653 entries, notes on some);
- a Footcare JSON export of ten years of daily sessions with techniques,
  imported into a fresh account;
- the exports (CSV and JSON) of that history, streamed to the end.

Target: each import under 3 seconds.
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench-import.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "footcare.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import User  # noqa: E402
from sessions.models import MassageSession  # noqa: E402
from transfer import footcare, formats, importer, spreadsheet  # noqa: E402

YEARS = 10


def loop_csv(today):
    days = round(365.25 * YEARS)
    lines = ["Date,Value,Notes"]
    for back in range(days):
        day = today - dt.timedelta(days=back)
        note = f'"Evening, {back % 30} min ""slow"""' if back % 7 == 0 else ""
        lines.append(f"{day.isoformat()},YES_MANUAL,{note}")
    return ("\n".join(lines) + "\n").encode()


def timed_import(user, data):
    """Wall-clock seconds to parse and in all, and the CPU seconds this process
    spent (the figure a busy shared machine distorts least)."""
    cpu = time.process_time()
    start = time.perf_counter()
    parsed = formats.parse_bytes(data, user.today())
    parse_done = time.perf_counter()
    result = importer.run(user, parsed, parsed.default_habit())
    end = time.perf_counter()
    return result, parse_done - start, end - start, time.process_time() - cpu


def load_note():
    try:
        return f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    except OSError:
        return ""


def main():
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DB.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    User.objects.filter(username__startswith="bench-import").delete()
    first = User.objects.create_user("bench-import-1", timezone="Europe/London")
    today = first.today()

    data = loop_csv(today)
    print("Importing ten years of daily entries" + load_note())
    result, parse, total, cpu = timed_import(first, data)
    print(
        f"Loop CSV, {len(result.sessions):,} daily entries ({len(data) / 1e6:.2f} MB): "
        f"parse {parse * 1000:.0f} ms, import total {total * 1000:.0f} ms "
        f"({cpu * 1000:.0f} ms CPU)"
    )
    again, _, total_again, _ = timed_import(first, data)
    print(
        f"  same file again: {len(again.sessions)} added, "
        f"{len(again.skipped_days):,} skipped, {total_again * 1000:.0f} ms"
    )

    # Give the history times, durations and techniques, as logged sessions have.
    start = time.perf_counter()
    chunks = list(footcare.stream_export(first))
    export_json = "".join(chunks).encode()
    json_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    csv_text = "".join(spreadsheet.stream_rows(first))
    csv_ms = (time.perf_counter() - start) * 1000
    print(
        f"Export of {MassageSession.objects.for_user(first).count():,} sessions: "
        f"JSON {len(export_json) / 1e6:.2f} MB in {json_ms:.0f} ms, "
        f"CSV {len(csv_text.encode()) / 1e6:.2f} MB in {csv_ms:.0f} ms"
    )

    second = User.objects.create_user("bench-import-2", timezone="Asia/Tokyo")
    result, parse, total_json, cpu = timed_import(second, export_json)
    print(
        f"Footcare JSON into a fresh account, {len(result.sessions):,} sessions: "
        f"parse {parse * 1000:.0f} ms, import total {total_json * 1000:.0f} ms "
        f"({cpu * 1000:.0f} ms CPU)"
    )
    worst = max(total, total_again, total_json)
    print(f"Target: every import under 3 s: {'met' if worst < 3 else 'MISSED'}")


if __name__ == "__main__":
    main()
