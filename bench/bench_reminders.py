"""Benchmark: 100,000 users due for a reminder in the same minute, each with one
device, sent by two reminder processes to a push service on loopback.

    .venv/bin/python bench/bench_reminders.py                 # 100,000 users
    .venv/bin/python bench/bench_reminders.py --kill-after 15 # kill -9 one at 15 s
    .venv/bin/python bench/bench_reminders.py --kill-after 15 --restart-after 5
    .venv/bin/python bench/bench_reminders.py --users 10000 --workers 32

It builds the PostgreSQL database --db (dropped and made again; default
footcare_bench_reminders on 127.0.0.1:5432), makes the users with bulk_create (one
password hash for all), a preferred time at this very minute in each user's
zone (five zones) and one device whose endpoint is on the local push service.
Then it starts two `manage.py send_reminders --loop` processes, and with
--kill-after, kills one with SIGKILL that many seconds in (and with
--restart-after, starts another in its place that many seconds later, as a
service manager does).

The push service (an asyncio server in this process) answers like a real one:
410 for every 50th device (gone: the run must remove it), 503 the first time
for every 20th (busy: the run must try again), 201 otherwise. It decrypts one
message in 500 with the device's own keys to check the payload. It counts the
messages each device accepted: "twice" is a device with two accepted messages;
"not the same reminder again" those whose second message differs in Topic or
notification tag from the first (a kill -9 mid-batch leaves messages the run
that takes over posts again: the same reminder, which takes the first one's
place on the phone).

Printed: the time until every device that can get one had its message, the
duplicates, the devices left without (with the reason), the deliveries the
database recorded, and the CPU time the reminder processes used.
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import zoneinfo
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ZONES = ("UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Asia/Tokyo")
GONE_EVERY, BUSY_EVERY, CHECK_EVERY = 50, 20, 500
KEYS = 64  # distinct device key pairs, shared round robin (the cost is the same)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--db", default="footcare_bench_reminders")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--workers", type=int, default=16, help="posts under way at once, each"
    )
    parser.add_argument("--kill-after", type=float, default=0, help="seconds; 0: no")
    parser.add_argument(
        "--restart-after",
        type=float,
        default=0,
        help="seconds after the kill to start another in its place (as "
        "deploy/footcare-reminders.service does 5 s after); 0: never",
    )
    parser.add_argument("--timeout", type=float, default=300)
    return parser.parse_args()


class PushService:
    """A push service on 127.0.0.1 that answers like one (see the docstring)."""

    def __init__(self, devices):
        self.devices = devices  # index -> tests.push_service.Device (keys only)
        self.accepted = Counter()
        self.first_accepted = {}
        # A device's first message, and any that came after it.
        self.first_message = {}
        self.again = defaultdict(list)
        self.statuses = Counter()
        self.busy_once = set()
        self.checked = 0
        self.bad_payloads = 0
        self.started = None
        self.port = None
        self.ready = threading.Event()

    def status_for(self, index):
        if index % GONE_EVERY == 0:
            return 410
        if index % BUSY_EVERY == 1 and index not in self.busy_once:
            self.busy_once.add(index)
            return 503
        return 201

    def shown_twice(self):
        """Devices that got a second message that is not the first again: a
        message again under the same Topic and notification tag takes the
        first one's place (at the push service, or on the phone)."""
        from tests.push_service import Message

        def seen(index, headers, body):
            payload = self.devices[index % KEYS].decrypt(
                Message("", headers, body, 201)
            )
            return headers.get("topic"), payload.get("tag")

        twice = 0
        for index, messages in self.again.items():
            first = seen(index, *self.first_message[index])
            if None in first or any(seen(index, *m) != first for m in messages):
                twice += 1
        return twice

    def check(self, index, headers, body):
        from tests.push_service import Message

        device = self.devices[index % KEYS]
        try:
            payload = device.decrypt(Message("", headers, body, 201))
            ok = {"done", "snooze"} <= {a["action"] for a in payload["actions"]}
        except Exception:
            ok = False
        self.checked += 1
        self.bad_payloads += not ok

    async def handle(self, reader, writer):
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                headers = {}
                while (header := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = header.decode().partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", 0)))
                index = int(line.split()[1].rsplit(b"/", 1)[1])
                status = self.status_for(index)
                self.statuses[status] += 1
                if status == 201:
                    self.accepted[index] += 1
                    self.first_accepted.setdefault(index, time.monotonic())
                    kept = (
                        {k: headers.get(k) for k in ("content-encoding", "topic")},
                        body,
                    )
                    if self.accepted[index] == 1:
                        self.first_message[index] = kept
                    else:
                        self.again[index].append(kept)
                    if index % CHECK_EVERY == 3:
                        self.check(index, headers, body)
                writer.write(b"HTTP/1.1 %d X\r\nContent-Length: 0\r\n\r\n" % status)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def serve(self):
        async def main():
            server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            self.ready.set()
            async with server:
                await server.serve_forever()

        threading.Thread(target=asyncio.run, args=(main(),), daemon=True).start()
        self.ready.wait()


def make_database(name):
    import psycopg

    with psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed(count, origin, devices):
    from django.contrib.auth.hashers import make_password

    from accounts.models import PreferredTime, PushSubscription, User

    password = make_password("bench-password-not-used")
    batch = 5000
    for start in range(0, count, batch):
        indexes = range(start, min(start + batch, count))
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench{i}",
                    email=f"bench{i}@example.com",
                    password=password,
                    timezone=ZONES[i % len(ZONES)],
                )
                for i in indexes
            ]
        )
        PreferredTime.objects.bulk_create(
            [PreferredTime(user=u, label="Evening", time=dt.time(0, 0)) for u in users]
        )
        PushSubscription.objects.bulk_create(
            [
                PushSubscription(
                    user=u,
                    name="Bench browser",
                    endpoint=f"{origin}/push/{i}",
                    p256dh=devices[i % KEYS].p256dh,
                    auth=devices[i % KEYS].auth,
                )
                for i, u in zip(indexes, users, strict=True)
            ]
        )


def due_this_minute():
    """Every user's preferred time: this minute on their own clock."""
    from accounts.models import PreferredTime

    now = dt.datetime.now(dt.UTC)
    for zone in ZONES:
        local = now.astimezone(zoneinfo.ZoneInfo(zone))
        PreferredTime.objects.filter(user__timezone=zone).update(
            time=local.time().replace(second=0, microsecond=0)
        )


def earlier_reminders():
    """A reminder sent to every user's device two days ago (on their clock: never
    the practice day now, whatever the zone and day start). A site that reminds
    its users every day holds such rows, and PostgreSQL plans the run with
    their statistics; planned as empty tables, the run's lookups of 500 ids
    read the whole tables instead (as when a first burst meets a new site,
    until autovacuum analyzes them, if it runs: the development machine's
    PostgreSQL runs without it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO streaks_remindersend (user_id, slot_id, date, round,
                status, attempts, error, due_at, claimed_at, sent_at, claimed_by)
            SELECT slot.user_id, slot.id,
                (now() AT TIME ZONE person.timezone)::date - 2, 0,
                'sent', 1, '', now() - interval '2 days', now() - interval '2 days',
                now() - interval '2 days',
                -- one claim per page of 500 users, as a run makes them
                md5('earlier' || (slot.user_id / 500)::text)::uuid
            FROM accounts_preferredtime slot
            JOIN accounts_user person ON person.id = slot.user_id
            """
        )
        cursor.execute(
            """
            INSERT INTO streaks_reminderdelivery (send_id, channel,
                subscription_id, status, attempts, error, sent_at, claimed_by)
            SELECT send.id, 'push', device.id, 'sent', 1, '', send.sent_at,
                md5('earlier' || (send.id / 128)::text)::uuid
            FROM streaks_remindersend send
            JOIN accounts_pushsubscription device ON device.user_id = send.user_id
            """
        )
        cursor.execute("SELECT max(id) FROM streaks_remindersend")
        return cursor.fetchone()[0]


class PostgresCPU(threading.Thread):
    """The CPU seconds PostgreSQL's backends spent for this database (read from
    /proc while they live, since they exit with their connections)."""

    def __init__(self, name):
        super().__init__(daemon=True)
        self.name_ = name
        self.seconds = {}
        self.kinds = {}
        self.stop = threading.Event()

    def run(self):
        import psycopg

        tick = os.sysconf("SC_CLK_TCK")
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            while not self.stop.wait(0.5):
                pids = conn.execute(
                    "SELECT pid, backend_type FROM pg_stat_activity WHERE datname = %s",
                    [self.name_],
                ).fetchall()
                for pid, kind in pids:
                    try:
                        fields = Path(f"/proc/{pid}/stat").read_text().split()
                    except OSError:
                        continue
                    self.seconds[pid] = (int(fields[13]) + int(fields[14])) / tick
                    self.kinds[pid] = kind

    def total(self):
        return round(sum(self.seconds.values()), 1)

    def by_kind(self):
        """The seconds of client backends apart from autovacuum's."""
        kinds = Counter()
        for pid, seconds in self.seconds.items():
            kinds[self.kinds[pid]] += seconds
        return {kind: round(seconds, 1) for kind, seconds in kinds.items()}


def database_counts(earlier):
    """This run's reminders and deliveries by status: those after the
    `earlier` reminders' last id."""
    from accounts.models import PushSubscription
    from streaks.models import ReminderDelivery, ReminderSend

    sends = ReminderSend.objects.filter(pk__gt=earlier)
    deliveries = ReminderDelivery.objects.filter(send__gt=earlier)
    return {
        "reminders": dict(Counter(sends.values_list("status", flat=True))),
        "deliveries": dict(Counter(deliveries.values_list("status", flat=True))),
        "devices left": PushSubscription.objects.count(),
    }


def main():
    args = parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "footcare.settings_test")
    from tests.push_service import Device

    devices = [Device("") for _ in range(KEYS)]
    service = PushService(devices)
    service.serve()
    origin = f"http://127.0.0.1:{service.port}"
    os.environ["FOOTCARE_PUSH_HOSTS"] = origin
    os.environ["FOOTCARE_PUSH_CONCURRENCY"] = str(args.workers)

    import django

    make_database(args.db)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed(args.users, origin, devices)
    seconds = time.perf_counter() - started
    print(f"Seeded {args.users:,} users with a device in {seconds:.1f} s")
    due_this_minute()
    earlier = earlier_reminders()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics, as a live site has
    connection.close()

    expected = {i for i in range(args.users) if i % GONE_EVERY}
    logs = ROOT / "var"
    logs.mkdir(exist_ok=True)
    env = {**os.environ, "DJANGO_LOG_LEVEL": "WARNING"}
    command = [
        sys.executable,
        "manage.py",
        "send_reminders",
        "--loop",
        "--interval",
        "2",
    ]
    postgres = PostgresCPU(args.db)
    postgres.start()
    own_cpu = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()

    def start(n):
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=open(logs / f"bench-reminders-{n}.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )

    processes = [start(n) for n in range(args.processes)]
    killed_at = restarted_at = None
    while time.monotonic() - t0 < args.timeout:
        time.sleep(0.25)
        if (
            args.restart_after
            and killed_at is not None
            and restarted_at is None
            and time.monotonic() - t0 >= killed_at + args.restart_after
        ):
            processes.append(start(args.processes))
            restarted_at = time.monotonic() - t0
            print(f"another process started at {restarted_at:.1f} s")
        if (
            args.kill_after
            and killed_at is None
            and time.monotonic() - t0 >= args.kill_after
        ):
            processes[0].send_signal(signal.SIGKILL)
            killed_at = time.monotonic() - t0
            print(
                f"kill -9 of process 1 at {killed_at:.1f} s, "
                f"with {len(service.accepted):,} devices served"
            )
        if expected <= service.accepted.keys():
            break
    finished = time.monotonic() - t0
    for process in processes[1:] if killed_at else processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    postgres.stop.set()

    served = expected & service.accepted.keys()
    twice = sum(1 for count in service.accepted.values() if count > 1)
    last = max(service.first_accepted.values(), default=t0) - t0
    # The devices that took the first message sent to them (not a retry).
    at_once = [
        at for i, at in service.first_accepted.items() if i not in service.busy_once
    ]
    last_at_once = max(at_once, default=t0) - t0
    counts = database_counts(earlier)
    load = os.getloadavg()
    print(
        json.dumps(
            {
                "users": args.users,
                "processes": args.processes,
                "posts under way at once, each": args.workers,
                "killed at s": killed_at,
                "another started at s": restarted_at,
                "all served": served == expected,
                "served": len(served),
                "expected (not gone)": len(expected),
                "missing": len(expected - served),
                "twice": twice,
                "twice, not the same reminder again": service.shown_twice(),
                "seconds to the last first delivery": round(last, 1),
                "seconds to the last delivery without a retry": round(last_at_once, 1),
                "seconds waited": round(finished, 1),
                "push service answers": dict(service.statuses),
                "payloads decrypted and checked": service.checked,
                "bad payloads": service.bad_payloads,
                "database": counts,
                "reminder processes CPU s (user+sys)": round(
                    children.ru_utime + children.ru_stime, 1
                ),
                "push service CPU s": round(
                    own.ru_utime + own.ru_stime - own_cpu.ru_utime - own_cpu.ru_stime, 1
                ),
                "PostgreSQL CPU s (at least)": postgres.total(),
                "PostgreSQL CPU s by backend": postgres.by_kind(),
                "load average (1, 5 min)": [round(load[0], 1), round(load[1], 1)],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
