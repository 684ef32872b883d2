"""Benchmark: importing and exporting, and what a big import costs other users.

Run with `make bench-import` (or `.venv/bin/python bench/bench_import.py`). It
builds a fresh SQLite database under var/ (or uses DATABASE_URL) and measures,
in this one process, the whole import of each file the way the "Import" button
runs it (read the file, plan against what is there, write in one transaction):

- a Loop Habit Tracker Checkmarks.csv with a done day for every day of ten
  years (3,653 entries, notes on some);
- a Footcare JSON export of ten years of daily sessions with techniques,
  imported into a fresh account;
- the exports (CSV and JSON) of that history, streamed to the end;
- the largest import allowed: a Footcare JSON export of 50,000 sessions (six a
  day since 2000, each with a technique: 50,000 ticks), while other users log
  sessions through the pages in processes of their own (like app workers):
  the worst time one of their writes took, and whether any failed, compared
  with the same writers before the import began.

Targets: each ten-year import under 3 seconds; no other user's write fails
or takes more than a second because of the 50,000-session import.
`--skip-large` leaves the 50,000-session part out; `--writers N` sets how many
processes log sessions meanwhile (3).
"""

import argparse
import contextlib
import datetime as dt
import json
import multiprocessing
import os
import statistics
import sys
import time
import uuid
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
LARGE = formats.MAX_ENTRIES


def loop_csv(today):
    days = round(365.25 * YEARS)
    lines = ["Date,Value,Notes"]
    for back in range(days):
        day = today - dt.timedelta(days=back)
        note = f'"Evening, {back % 30} min ""slow"""' if back % 7 == 0 else ""
        lines.append(f"{day.isoformat()},YES_MANUAL,{note}")
    return ("\n".join(lines) + "\n").encode()


def large_export():
    """A Footcare export of LARGE sessions: six a day from 1 January 2000, each
    with a time, a length, comfort, pressure, notes and a technique."""
    sessions = []
    day = dt.date(2000, 1, 1)
    while len(sessions) < LARGE:
        for hour in (6, 9, 12, 15, 18, 21):
            start = dt.datetime.combine(day, dt.time(hour, 5), tzinfo=dt.UTC)
            sessions.append(
                {
                    "date": day.isoformat(),
                    "start": start.isoformat(),
                    "timezone": "Europe/London",
                    "duration_minutes": 12,
                    "comfort": 4,
                    "pressure": "medium",
                    "techniques": ["Golf ball roll" if hour < 12 else "Heel press"],
                    "notes": f"Session {len(sessions)}",
                }
            )
        day += dt.timedelta(days=1)
    document = {
        "format": "footcare",
        "version": 1,
        "techniques": [{"name": "Golf ball roll", "how_to": "", "archived": False}],
        "sessions": sessions[:LARGE],
    }
    return json.dumps(document).encode()


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


def ten_years():
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


# Other users, logging sessions through the pages while the import runs.


def log_sessions(username, stop, results):
    """A writer process: log a session for `username` through the log form,
    again and again until `stop` is set; each write's start, length and status
    go to `results`."""
    import warnings

    import django

    django.setup()
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connections
    from django.test import Client

    from accounts.models import User
    from tests.factories import builtin

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    technique = str(builtin("arch").pk)
    yesterday = (user.today() - dt.timedelta(days=1)).isoformat()
    while not stop.is_set():
        data = {
            "date": yesterday,
            "start_time": "07:30",
            "duration_minutes": "10",
            "techniques": [technique],
            "comfort": "4",
            "pressure": "light",
            "notes": "",
            "token": str(uuid.uuid4()),
        }
        began = time.time()
        try:
            status = client.post("/sessions/new/", data).status_code
        except Exception as error:  # a failed write is what we count
            status = type(error).__name__
        results.put((began, time.time() - began, status))
        time.sleep(0.2)  # a busy user, not a load test: the lock is what we time
    connections.close_all()


@contextlib.contextmanager
def timed_transactions():
    """The wall-clock and CPU seconds of each atomic block opened meanwhile
    (the import's transaction ends last): on SQLite, how long the import holds
    the write lock."""
    spans = []
    atomic = importer.transaction.atomic

    @contextlib.contextmanager
    def timed(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        with atomic(*args, **kwargs):
            yield
        spans.append((time.perf_counter() - wall, time.process_time() - cpu))

    importer.transaction.atomic = timed
    try:
        yield spans
    finally:
        importer.transaction.atomic = atomic


def large_import(writers):
    from django.db import connections

    User.objects.filter(username__startswith="bench-import").delete()
    importing = User.objects.create_user("bench-import-large", timezone="UTC")
    names = [f"bench-import-writer-{n}" for n in range(writers)]
    for name in names:
        User.objects.create_user(name, timezone="Europe/London")
    data = large_export()
    connections.close_all()  # the writers start with connections of their own

    spawn = multiprocessing.get_context("spawn")
    stop, results = spawn.Event(), spawn.Queue()
    processes = [
        spawn.Process(target=log_sessions, args=(name, stop, results)) for name in names
    ]
    for process in processes:
        process.start()
    time.sleep(8)  # start-up, then a baseline of their writes alone
    print(
        f"Importing {LARGE:,} sessions ({len(data) / 1e6:.1f} MB Footcare JSON, "
        f"{LARGE:,} technique ticks) while {writers} other users log "
        "sessions" + load_note()
    )
    began = time.time()
    cpu = time.process_time()
    parsed = formats.parse_bytes(data, importing.today())
    parsed_at = time.time()
    plan = importer.plan(importing, parsed)
    planned_at = time.time()
    with timed_transactions() as transactions:
        importer.write(importing, plan)
    ended = time.time()
    cpu = time.process_time() - cpu
    time.sleep(2)
    stop.set()
    writes = []
    while any(process.is_alive() for process in processes) or not results.empty():
        while not results.empty():
            writes.append(results.get())
        time.sleep(0.05)
    for process in processes:
        process.join()

    locked, locked_cpu = transactions[-1]  # the outermost ends last
    print(
        f"  parse {parsed_at - began:.2f} s, plan {planned_at - parsed_at:.2f} s, "
        f"write {ended - planned_at:.2f} s, of which the transaction {locked:.2f} s "
        f"({locked_cpu:.2f} s CPU); total {ended - began:.2f} s ({cpu:.2f} s CPU)"
    )
    before = [w for w in writes if w[0] + w[1] < began]
    during = [w for w in writes if w[0] < ended and w[0] + w[1] > began]
    failed = [w for w in writes if w[2] != 302]
    for label, group in (("before the import", before), ("during it", during)):
        if group:
            lengths = sorted(length * 1000 for _, length, _ in group)
            print(
                f"  other users' writes {label}: {len(group)}, median "
                f"{statistics.median(lengths):.0f} ms, worst {lengths[-1]:.0f} ms"
            )
    print(f"  failed writes: {len(failed)} of {len(writes)}")
    worst = max((length for _, length, _ in during), default=0)
    met = worst < 1 and not failed
    print(
        "Target: no other user's write fails or waits a second: "
        + ("met" if met else "MISSED")
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--writers", type=int, default=3)
    options = parser.parse_args()
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        for path in (DB, Path(f"{DB}-wal"), Path(f"{DB}-shm")):
            path.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    ten_years()
    if not options.skip_large:
        large_import(options.writers)


if __name__ == "__main__":
    main()
