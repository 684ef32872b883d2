"""Backups taken while the site writes, and restoring them into an empty database."""

import datetime as dt
import shutil
import sqlite3
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from sessions.models import MassageSession, RestDay
from tests.conftest import make_user
from tests.factories import log_session, rest_day
from transfer import backup


def writer(path, stop, acknowledged):
    """Insert rows one transaction at a time; a row's number is added to
    `acknowledged` only after its commit returned, as a web request would
    answer only then."""
    db = sqlite3.connect(path, timeout=5, isolation_level=None)
    db.execute("PRAGMA busy_timeout=5000")
    number = 0
    while not stop.is_set() and number < 50_000:
        number += 1
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO entry (n, note) VALUES (?, ?)", (number, "x" * 200))
        db.execute("COMMIT")
        acknowledged.append(number)
    db.close()


def test_sqlite_backup_during_writes_holds_every_acknowledged_row(tmp_path):
    live = tmp_path / "live.sqlite3"
    db = sqlite3.connect(live)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE entry (n INTEGER PRIMARY KEY, note TEXT)")
    db.commit()
    stop, acknowledged = threading.Event(), []
    thread = threading.Thread(target=writer, args=(live, stop, acknowledged))
    thread.start()
    try:
        while len(acknowledged) < 500:
            threading.Event().wait(0.01)
        before = len(acknowledged)  # all of these were committed before it began
        source = sqlite3.connect(live, timeout=5)
        backup.sqlite_backup(source, tmp_path / "copy.sqlite3")
        source.close()
        after = len(acknowledged)
    finally:
        stop.set()
        thread.join()

    restored = tmp_path / "restored.sqlite3"
    target = sqlite3.connect(restored)
    backup.sqlite_restore(tmp_path / "copy.sqlite3", target)
    rows = [n for (n,) in target.execute("SELECT n FROM entry ORDER BY n")]
    target.close()
    # A snapshot: every row acknowledged before the backup, nothing torn, and
    # exactly the rows committed up to one moment during it.
    assert rows == list(range(1, len(rows) + 1))
    assert before <= len(rows) <= after + 1


@pytest.fixture
def backup_dir(tmp_path, settings, catalog):
    settings.FOOTCARE_BACKUP_DIR = str(tmp_path / "backups")
    return tmp_path / "backups"


@pytest.fixture
def catalog(transactional_db):
    """Put back the built-in techniques that an earlier transactional test's
    flush removed (they come from a data migration)."""
    import importlib

    from django.apps import apps

    from sessions.models import Technique

    if not Technique.objects.filter(user=None).exists():
        migration = importlib.import_module(
            "sessions.migrations.0002_builtin_techniques"
        )
        migration.add_catalog(apps, None)


def some_history():
    alice = make_user("alice", timezone="Europe/London")
    for day in range(1, 6):
        log_session(alice, dt.datetime(2024, 3, 26 + day, 21, 0))
    rest_day(alice, dt.date(2024, 3, 26))
    return alice


needs_pg_dump = pytest.mark.skipif(
    connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
    reason="pg_dump is not installed",
)


@needs_pg_dump
@pytest.mark.django_db(transaction=True)
def test_backup_writes_a_timestamped_file_and_keeps_the_newest(backup_dir):
    some_history()
    for _ in range(4):
        call_command("backup", "--keep", "3", verbosity=0)
    kept = sorted(p.name for p in backup_dir.iterdir())
    assert len(kept) == 3
    assert all(name.startswith("footcare-20") for name in kept)
    assert not [name for name in kept if name.endswith(".part")]


@needs_pg_dump
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_accounts(backup_dir):
    some_history()
    call_command("backup", verbosity=0)
    (path,) = backup_dir.iterdir()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), verbosity=0)
    assert MassageSession.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(CommandError, match="not an? "):
        call_command("restore", str(path), verbosity=0)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite restore")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_an_empty_database(backup_dir):
    some_history()
    call_command("backup", verbosity=0)
    (path,) = backup_dir.iterdir()
    User.objects.all().delete()
    assert MassageSession.objects.count() == 0
    call_command("restore", str(path), verbosity=0)
    assert User.objects.get().username == "alice"
    assert MassageSession.objects.count() == 5
    assert RestDay.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql" or shutil.which("pg_dump") is None,
    reason="PostgreSQL with pg_dump",
)
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_during_writes_restores_every_acknowledged_row(
    backup_dir, django_db_blocker
):
    import psycopg
    from django.db import connections

    alice = some_history()
    stop, acknowledged = threading.Event(), []

    def write_rest_days():
        day = dt.date(2010, 1, 1)
        while not stop.is_set() and len(acknowledged) < 3000:
            rest_day(alice, day)  # autocommit: acknowledged
            acknowledged.append(day)
            day += dt.timedelta(days=1)
        connections.close_all()

    thread = threading.Thread(target=write_rest_days)
    thread.start()
    try:
        while len(acknowledged) < 50:
            threading.Event().wait(0.01)
        before = set(acknowledged)
        call_command("backup", verbosity=0)
    finally:
        stop.set()
        thread.join()
    (path,) = backup_dir.iterdir()

    settings = dict(connection.settings_dict)
    scratch = settings["NAME"] + "_restore"
    admin = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        backup.pg_restore({**settings, "NAME": scratch}, path)
        with psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            dbname=scratch,
        ) as restored:
            days = {
                row[0]
                for row in restored.execute(
                    "SELECT date FROM streaks_restday WHERE date < '2024-01-01'"
                )
            }
            sessions = restored.execute(
                "SELECT count(*) FROM logbook_massagesession"
            ).fetchone()[0]
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.close()
    assert before <= days <= set(acknowledged)
    assert sessions == 5
