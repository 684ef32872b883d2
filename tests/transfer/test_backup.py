"""Backups taken while the site writes, and restoring them into an empty database."""

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

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
                    "SELECT date FROM logbook_restday WHERE date < '2024-01-01'"
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


# --- Damaged backups and bad paths: a clear message, never a traceback ------


@pytest.fixture
def good_backup(tmp_path):
    """A backup written by our own backup function, of a database with a table,
    an index on its text and enough rows to fill a few hundred pages."""
    live = tmp_path / "live.sqlite3"
    db = sqlite3.connect(live)
    db.execute("CREATE TABLE entry (n INTEGER PRIMARY KEY, note TEXT)")
    db.execute("CREATE UNIQUE INDEX entry_note ON entry (note)")
    db.executemany(
        "INSERT INTO entry VALUES (?, ?)",
        [(n, f"note {n:05d} " + "x" * 100) for n in range(3000)],
    )
    db.commit()
    path = tmp_path / "footcare-20260101-000000-000000.sqlite3"
    backup.sqlite_backup(db, path)
    db.close()
    return path


def truncated_to(fraction):
    def damage(data):
        return data[: int(len(data) * fraction)]

    return damage


def flipped(*offsets):
    def damage(data):
        data = bytearray(data)
        for offset in offsets:
            data[offset % len(data)] ^= 0xFF
        return bytes(data)

    return damage


def one_row_changed(data):
    """One row's indexed text changed where it is stored in the table, so the
    file is sound page by page but its index no longer matches."""
    row = data.index(b"note 01234 ")
    return data[:row] + b"note 99999 " + data[row + 11 :]


DAMAGE = {
    "truncated to half": truncated_to(0.5),
    "one page short": truncated_to(0.995),
    "only the header": lambda data: data[:100],
    "a page's type flipped": flipped(4096),
    "a block of bytes flipped": flipped(*range(300_000, 300_064)),
    "fifty random bytes flipped": flipped(*range(1_000, 700_000, 13_999)),
    "the page size flipped": flipped(16, 17),
    "an indexed value changed": one_row_changed,
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE)
def test_a_damaged_sqlite_backup_is_refused_and_nothing_restored(
    good_backup, tmp_path, damage
):
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(damage(good_backup.read_bytes()))
    target = sqlite3.connect(tmp_path / "target.sqlite3")
    with pytest.raises(backup.BackupError, match="is damaged|could not be restored"):
        backup.sqlite_restore(damaged, target)
    assert target.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    target.close()


def test_a_backup_whose_name_has_uri_characters_restores(good_backup, tmp_path):
    odd = tmp_path / "back#up?v=1%20.sqlite3"
    shutil.copy(good_backup, odd)
    target = sqlite3.connect(tmp_path / "target.sqlite3")
    backup.sqlite_restore(odd, target)
    assert target.execute("SELECT count(*) FROM entry").fetchone() == (3000,)
    target.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite restore")
@pytest.mark.django_db(transaction=True)
def test_restore_of_a_truncated_backup_says_it_is_damaged(backup_dir, tmp_path):
    some_history()
    call_command("backup", verbosity=0)
    (path,) = backup_dir.iterdir()
    User.objects.all().delete()
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CommandError, match="is damaged"):
        call_command("restore", str(truncated), verbosity=0)
    assert not User.objects.exists()


def test_manage_py_restore_of_a_damaged_backup_exits_with_a_message(
    good_backup, tmp_path
):
    """As an administrator runs it: exit status 1 and one line, no traceback."""
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good_backup.read_bytes()[:200_000])
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "test-only",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(truncated)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "is damaged" in done.stderr
    assert "Traceback" not in done.stderr


def bad_paths(tmp_path):
    (tmp_path / "empty.sqlite3").touch()
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "folder").mkdir()
    return {
        "missing": (tmp_path / "nowhere.sqlite3", "does not exist"),
        "a folder": (tmp_path / "folder", "is a folder"),
        "empty": (tmp_path / "empty.sqlite3", "is empty"),
        "not a backup": (tmp_path / "notes.txt", "is not an? "),
    }


@pytest.mark.parametrize("case", ["missing", "a folder", "empty", "not a backup"])
@pytest.mark.django_db(transaction=True)
def test_restore_of_a_bad_path_says_what_is_wrong(tmp_path, case):
    path, message = bad_paths(tmp_path)[case]
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path), verbosity=0)


@needs_pg_dump
@pytest.mark.django_db(transaction=True)
def test_backup_into_a_file_instead_of_a_folder_says_so(tmp_path, catalog):
    not_a_folder = tmp_path / "backups"
    not_a_folder.write_text("a file where the folder should be")
    with pytest.raises(CommandError, match="Cannot write backups into"):
        call_command("backup", "--dir", str(not_a_folder), verbosity=0)
    assert not_a_folder.read_text() == "a file where the folder should be"


@pytest.mark.skipif(
    connection.vendor != "postgresql" or shutil.which("pg_dump") is None,
    reason="PostgreSQL with pg_dump",
)
@pytest.mark.django_db(transaction=True)
def test_restore_of_a_truncated_dump_restores_nothing(backup_dir, tmp_path):
    some_history()
    call_command("backup", verbosity=0)
    (path,) = backup_dir.iterdir()
    User.objects.all().delete()
    truncated = tmp_path / "truncated.dump"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CommandError, match="pg_restore"):
        call_command("restore", str(truncated), verbosity=0)
    assert not User.objects.exists()
