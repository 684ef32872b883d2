"""Consistent copies of the whole database while the site runs, and putting one
back into an empty database.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a snapshot
while other connections keep writing. PostgreSQL: `pg_dump --format=custom`
(a consistent snapshot too), restored with `pg_restore`."""

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import DatabaseError, connections

PREFIX = "footcare-"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}


class BackupError(Exception):
    pass


def backup(directory, keep, using="default", now=None):
    """Write a backup of database `using` into `directory`; keep the newest
    `keep` backups there. Returns the new file's path."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in SUFFIXES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            f"Cannot write backups into {directory}: {error.strerror}."
        ) from None
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S-%f")
    target = directory / f"{PREFIX}{stamp}{SUFFIXES[vendor]}"
    partial = target.with_name(target.name + ".part")
    try:
        if vendor == "sqlite":
            connection.ensure_connection()
            sqlite_backup(connection.connection, partial)
        else:
            pg_dump(connection.settings_dict, partial)
        os.replace(partial, target)  # a backup file is always complete
    except (OSError, sqlite3.Error) as error:
        raise BackupError(
            f"The backup could not be written to {directory}: {error}."
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    prune(directory, keep)
    return target


def sqlite_backup(source, path):
    """Copy the database behind connection `source` into a new file at `path`."""
    destination = sqlite3.connect(path)
    try:
        with destination:
            source.backup(destination)  # all pages in one step: one snapshot
    finally:
        destination.close()


def prune(directory, keep):
    backups = sorted(
        p
        for p in Path(directory).iterdir()
        if p.name.startswith(PREFIX) and p.suffix in SUFFIXES.values()
    )
    for old in backups[: max(0, len(backups) - max(keep, 1))]:
        old.unlink(missing_ok=True)


def _pg_env(settings):
    env = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            env[name] = str(settings[key])
    return env


def _pg_tool(name):
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"{name} is not installed (apt-get install postgresql-client)."
        )
    return tool


def pg_dump(settings, path):
    _run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={path}",
            settings["NAME"],
        ],
        settings,
    )


def pg_restore(settings, path):
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings['NAME']}",
            str(path),
        ],
        settings,
    )


def _run(command, settings):
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        command, env=_pg_env(settings), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")


def is_empty(using="default"):
    """True when the database holds no account (tables missing counts as empty)."""
    from accounts.models import User

    try:
        return not User.objects.using(using).exists()
    except DatabaseError:
        return True


def _read_head(path):
    """The first bytes of backup `path`, or BackupError saying what it is instead."""
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    if path.is_dir():
        raise BackupError(f"{path} is a folder: name the backup file in it.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        with open(path, "rb") as file:
            head = file.read(16)
    except OSError as error:
        raise BackupError(f"{path} cannot be read: {error.strerror}.") from None
    if not head:
        raise BackupError(f"{path} is empty: it is not a backup.")
    return head


def restore(path, using="default"):
    """Put backup `path` into database `using`, which must hold no account."""
    path = Path(path)
    head = _read_head(path)
    if not is_empty(using):
        raise BackupError(
            "The database is not empty: it holds accounts. Restore into a new, "
            "empty database (see the README)."
        )
    connection = connections[using]
    if connection.vendor == "sqlite":
        if head != b"SQLite format 3\x00":
            raise BackupError(f"{path.name} is not an SQLite backup.")
        connection.ensure_connection()
        sqlite_restore(path, connection.connection)
    elif connection.vendor == "postgresql":
        if not head.startswith(b"PGDMP"):
            raise BackupError(f"{path.name} is not a pg_dump custom-format backup.")
        connection.close()
        pg_restore(connection.settings_dict, path)
    else:
        raise BackupError(
            f"Restore supports SQLite and PostgreSQL, not {connection.vendor}."
        )
    connection.close()


def sqlite_restore(path, destination):
    """Copy SQLite backup `path` into connection `destination`, after checking
    the whole file. A damaged file (truncated, bytes changed) fails the check
    or, worse damaged, makes SQLite raise "database disk image is malformed"
    or "file is not a database": either way a BackupError, nothing copied."""
    # As a URI (read-only), with the name escaped: a "?" or "#" in it would
    # otherwise end the file name early.
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    source = None
    try:
        source = sqlite3.connect(uri, uri=True)
        try:
            # integrity_check, not quick_check: it also finds index entries
            # that no longer match their rows. A restore can spare the time.
            problems = [row[0] for row in source.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            problems = [str(error)]
        if problems != ["ok"]:
            raise BackupError(
                f"{path} is damaged ({_first_problem(problems)}). Nothing was restored."
            )
        source.backup(destination)
    except sqlite3.Error as error:
        raise BackupError(f"{path} could not be restored: {error}.") from None
    finally:
        if source is not None:
            source.close()


def _first_problem(problems):
    lines = [
        line
        for problem in problems
        for line in problem.splitlines()
        if line.strip() and not line.startswith("***")
    ]
    return lines[0][:200] if lines else "its integrity check failed"
