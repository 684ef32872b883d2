"""Reading uploaded files into plain data, before anything touches the database.

The contract: bytes in, a `Parsed` out (one or more habits, each a set of done
days with notes and a set of skipped days; or a Footcare export) or `BadFile`
with a message for the user that names the line or entry at fault; nothing else
escapes. The kind is recognised from the content, never from the file name.
Every text a reader keeps has been through `clean_text`, so whatever it returns
can be stored on every database."""

import csv
import datetime as dt
import io
import json
import logging
import lzma
import os
import re
import sqlite3
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 50_000
# Habits in one file (columns of Loop's Checkmarks.csv, habits of a backup).
MAX_HABITS = 1_000
EARLIEST = dt.date(2000, 1, 1)
# A zip member may be at most this many times larger than it is compressed
# (Loop's CSVs compress about 10:1; bombs do 1000:1 and more).
MAX_RATIO = 100
MAX_ZIP_MEMBERS = 2_000
# Reading a Loop backup stops after this long (a crafted database can make
# even bounded queries slow).
MAX_DATABASE_SECONDS = 10

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
SQLITE_MAGIC = b"SQLite format 3\x00"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Loop Habit Tracker's entry values, by name (CSV since 2.0) and number (older
# CSVs and the database).
DONE, SKIPPED, NOTHING = "done", "skip", None
LOOP_VALUES = {
    "YES_MANUAL": DONE,
    "2": DONE,
    "SKIP": SKIPPED,
    "3": SKIPPED,
    "YES_AUTO": NOTHING,
    "1": NOTHING,
    "NO": NOTHING,
    "0": NOTHING,
    "UNKNOWN": NOTHING,
    "-1": NOTHING,
}
# Words of a habit's name that say foot care (whole words: "Football" is not).
FOOT_WORDS = re.compile(
    r"\b(foot|feet|footcare|massages?|reflexology|soles?|plantar)\b", re.IGNORECASE
)
# Cells of Loop's root Checkmarks.csv (days x habits) read at most: every one is
# a value, even the empty days, so MAX_ENTRIES counts only the recorded ones.
MAX_CELLS = 1_000_000
# Separators (commas, braces, brackets, counted before parsing, those in text
# included) a JSON file may hold: room for MAX_ENTRIES entries of forty fields
# and list items each, and a bound on the values parsing may have to build.
MAX_JSON_VALUES = 40 * MAX_ENTRIES
# Commas a line of CSV may hold: far more than Loop's widest file (a column per
# habit, MAX_HABITS of them) with notes, and a bound on the strings the CSV
# reader builds from one line. The habit limit itself is _loop_wide's.
MAX_LINE_COMMAS = 4 * MAX_HABITS


class BadFile(Exception):
    """The upload cannot be imported; the message says why, for the user."""


# What parse_bytes says when a reader failed in a way it did not foresee (a bug,
# logged with its traceback; the fuzz tests make sure no file of theirs gets it).
UNREADABLE = (
    "This file could not be read: it is damaged or not a file Footcare can import."
)

# Characters no database column can hold: NUL (PostgreSQL refuses it) and lone
# surrogates (not encodable as UTF-8; JSON can spell them, "\ud800").
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def clean_text(value):
    """Text from a file as the logbook can store it (as the forms do, without
    NUL): every reader passes what it keeps through here."""
    return _UNSTORABLE.sub("", value)


def shown(value, limit=40):
    """A value from the file, short and safe to quote in a message."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    text = value if isinstance(value, str) else str(value)
    return clean_text(text[: limit * 2])[:limit]


@dataclass
class Habit:
    name: str
    done: dict = field(default_factory=dict)  # date -> notes
    skipped: set = field(default_factory=set)

    @property
    def looks_like_foot_care(self):
        return FOOT_WORDS.search(self.name) is not None


@dataclass
class Parsed:
    kind: str  # a label for people: "Loop Habit Tracker CSV", ...
    habits: list = field(default_factory=list)
    footcare: dict | None = None  # a validated Footcare export (footcare.py)
    dropped: list = field(default_factory=list)  # habits that cannot be imported

    def default_habit(self):
        """The index of the habit to preselect: the first whose name says foot care."""
        for index, habit in enumerate(self.habits):
            if habit.looks_like_foot_care:
                return index
        return 0


class Limits:
    """What "too far back" and "in the future" mean for this user."""

    def __init__(self, today):
        self.today = today

    def day(self, raw, where, ahead=dt.timedelta(0)):
        """The date `raw` (YYYY-MM-DD), up to `ahead` after today."""
        try:
            day = dt.date.fromisoformat(raw.strip())
        except (ValueError, AttributeError, TypeError):
            raise BadFile(
                f"{where}: “{shown(raw)}” is not a date (expected YYYY-MM-DD)."
            ) from None
        if day > self.today + ahead:
            later = "is in the future" if not ahead else "is too far ahead"
            raise BadFile(f"{where}: {day.isoformat()} {later}.")
        if day < EARLIEST:
            raise BadFile(f"{where}: {day.isoformat()} is before 1 January 2000.")
        return day


def parse_bytes(data, today):
    """Recognise and parse a file's bytes; `today` is the user's day, after
    which no date may fall. Returns a Parsed or raises BadFile, and nothing else:
    an error a reader did not foresee is logged and becomes BadFile(UNREADABLE)."""
    try:
        return _parse(data, today)
    except BadFile:
        raise
    except Exception:
        logger.exception("An uploaded file broke a reader")
        raise BadFile(UNREADABLE) from None


def _parse(data, today):
    limits = Limits(today)
    if not data.removeprefix(UTF8_BOM).strip():
        raise BadFile("The file is empty.")
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return _loop_zip(data, limits)
    if data.startswith(SQLITE_MAGIC):
        return _loop_database(data, limits)
    text = _text(data)
    if text.lstrip().startswith(("{", "[")):
        return _json(text, limits)
    return _loop_csv(text, limits, "the file")


def _text(data):
    # Binary files fail here; a NUL in a CSV's notes does not (it is stripped).
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Text saved in another encoding (a spreadsheet's "Unicode text" or its
    # Windows default) is still text: say what to do with it.
    if data.startswith(UTF16_BOMS) or _looks_like_csv(data.decode("latin-1")):
        raise BadFile(_NOT_UTF8) from None
    raise BadFile(_NOT_SUPPORTED) from None


_OWN_SPREADSHEET = (
    "This is Footcare's CSV for spreadsheets: it is for reading, and cannot be "
    "imported. To move your data, export “Everything as Footcare JSON” and import "
    "that file."
)
_NOT_UTF8 = (
    "This file is text, but not UTF-8 text. Save it again as UTF-8 (in a "
    "spreadsheet: “CSV UTF-8”) and import that."
)
_NOT_SUPPORTED = (
    "This is not a file Footcare can import. Choose a Footcare export (.json), "
    "a Loop Habit Tracker export (the .zip, a Checkmarks.csv or the .db backup) "
    "or a Beaver Habit Tracker export (.json)."
)


# JSON: Footcare's own export or Beaver Habit Tracker's.


def _json(text, limits):
    # Parsing takes memory by the value, many times the file's size for a list
    # of empty objects; an export within the limits holds far fewer.
    if text.count(",") + text.count("{") + text.count("[") > MAX_JSON_VALUES:
        raise BadFile(
            "This JSON file holds too many values to be read: Footcare imports "
            f"at most {MAX_ENTRIES:,} entries at once."
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadFile(
            f"Line {error.lineno}: this is not valid JSON ({error.msg})."
        ) from None
    except RecursionError:
        raise BadFile("This JSON file is nested too deeply to be an export.") from None
    except ValueError:  # a number of more than 4,300 digits (Python's int limit)
        raise BadFile(
            "This JSON file holds a number too long to be part of an export."
        ) from None
    if isinstance(document, dict) and document.get("format") == "footcare":
        from transfer import footcare  # the Footcare format's own reader

        return Parsed(
            kind="Footcare export", footcare=footcare.validate(document, limits)
        )
    if isinstance(document, dict) and isinstance(document.get("habits"), list):
        return _beaver(document["habits"], limits)
    raise BadFile(
        "This JSON file is neither a Footcare export (it has no "
        '"format": "footcare") nor a Beaver Habit Tracker export (no "habits" list).'
    )


def _beaver(habits, limits):
    parsed = Parsed(kind="Beaver Habit Tracker export")
    entries = 0
    if len(habits) > MAX_HABITS:
        raise BadFile(f"This file holds more than {MAX_HABITS:,} habits.")
    for h, raw in enumerate(habits):
        where = f"habits[{h}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("records"), list):
            raise BadFile(f'Entry {where}: expected a habit with a "records" list.')
        name = raw.get("name")
        if not isinstance(name, str) or not clean_text(name).strip():
            raise BadFile(f"Entry {where}: the habit has no name.")
        habit = Habit(name=clean_text(name).strip()[:100])
        for r, record in enumerate(raw["records"]):
            entries += 1
            check_count(entries)
            at = f"Entry {where}.records[{r}]"
            if not isinstance(record, dict) or "day" not in record:
                raise BadFile(f'{at}: expected {{"day": ..., "done": ...}}.')
            day = limits.day(record["day"], at)
            done = record.get("done")
            if not isinstance(done, bool):
                raise BadFile(f'{at}: "done" must be true or false.')
            if done:
                notes = record.get("text")
                habit.done[day] = clean_text(notes) if isinstance(notes, str) else ""
        parsed.habits.append(habit)
    if not parsed.habits:
        raise BadFile("This Beaver Habit Tracker export holds no habits.")
    return parsed


def check_count(entries):
    if entries > MAX_ENTRIES:
        raise BadFile(
            f"The file holds more than {MAX_ENTRIES:,} entries; "
            "Footcare imports at most that many at once."
        )


# Loop Habit Tracker's CSV: a habit's own Checkmarks.csv (Date,Value,Notes; in
# Loop 1.x without a header line or notes, "2026-12-05,2") or the root
# Checkmarks.csv (Date, then one column per habit, newest day first).

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _loop_csv(text, limits, source, name=None):
    _check_widths(text, source)
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows, None)
        if header is None:
            raise BadFile(f"{source.capitalize()} is empty.")
        header = [cell.strip() for cell in header]
        if header[:3] == ["Date", "Value", "Notes"] and len(header) > 3:
            raise BadFile(
                f"Line 1 of {source}: expected the columns Date,Value,Notes, "
                f"found {len(header)} columns."
            )
        headed = header[:2] == ["Date", "Value"] and len(header) <= 3
        if headed or (2 <= len(header) <= 3 and _ISO_DAY.fullmatch(header[0])):
            if not headed:  # the first line is already an entry: read it too
                rows = csv.reader(io.StringIO(text, newline=""), strict=True)
            habit = Habit(name=name or "Loop habit")
            _loop_rows(rows, limits, source, habit)
            return Parsed(kind="Loop Habit Tracker CSV", habits=[habit])
        if header and header[0] == "Date" and len(header) > 1:
            return _loop_wide(header, rows, limits, source)
    except csv.Error as error:
        raise BadFile(
            f"Line {rows.line_num} of {source}: this is not valid CSV ({error})."
        ) from None
    from transfer import spreadsheet  # which imports this module, through footcare

    if tuple(header) in (spreadsheet.HEADER, spreadsheet.PAUSE_HEADER):
        raise BadFile(_OWN_SPREADSHEET)
    if source == "the file" and not _looks_like_csv(text):
        raise BadFile(_NOT_SUPPORTED)
    raise BadFile(
        f"Line 1 of {source}: expected the columns Date,Value,Notes (a habit's "
        "Checkmarks.csv) or Date followed by habit names (Loop's Checkmarks.csv), "
        f"found “{shown(','.join(header), 80)}”."
    )


def _check_widths(text, source):
    """Refuse a line far wider than any Loop file's before the CSV reader makes
    a string of each of its cells (many times the line's size in memory)."""
    # newline=None: lines end at \n, \r\n or \r, as the CSV reader's do.
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        if line.count(",") > MAX_LINE_COMMAS:
            raise BadFile(
                f"Line {number} of {source} is far too wide to be a Loop file "
                f"(more than {MAX_LINE_COMMAS:,} commas)."
            )


def _looks_like_csv(text):
    first = text.split("\n", 1)[0]
    return "," in first and first.isprintable()


class Measurable(BadFile):
    """A habit's Checkmarks.csv holds a number that is no Loop value: Loop's
    measurable habit (its count or amount that day), which Footcare leaves out."""


def _loop_rows(rows, limits, source, habit):
    count = 0
    for row in rows:
        at = f"Line {rows.line_num} of {source}"
        if not row or row == [""]:
            continue
        count += 1
        check_count(count)
        if len(row) < 2 or len(row) > 3:
            raise BadFile(f"{at}: expected Date,Value,Notes.")
        day = limits.day(row[0], at)
        value = LOOP_VALUES.get(row[1].strip(), "?")
        if value == "?" and _is_number(row[1]):
            raise Measurable(
                f"{at}: “{shown(row[1], 20)}” is an amount, so this is a measurable "
                "habit; Footcare imports yes/no habits."
            )
        if value == "?":
            raise BadFile(
                f"{at}: “{shown(row[1], 20)}” is not a Loop value (YES_MANUAL, "
                "YES_AUTO, NO, SKIP, UNKNOWN or 2, 1, 0, 3, -1)."
            )
        _record(habit, day, value, clean_text(row[2]) if len(row) == 3 else "")


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _record(habit, day, value, notes=""):
    if value == DONE:
        habit.done[day] = notes or ""
        habit.skipped.discard(day)
    elif value == SKIPPED and day not in habit.done:
        habit.skipped.add(day)


def _loop_wide(header, rows, limits, source):
    # Loop ends every line with the separator: a last empty column is no habit.
    names = header[1:]
    if names and names[-1] == "":
        names = names[:-1]
    names = [clean_text(name).strip() for name in names]
    if not names or any(not n for n in names):
        raise BadFile(f"Line 1 of {source}: a habit column has no name.")
    if len(names) > MAX_HABITS:
        raise BadFile(f"Line 1 of {source}: more than {MAX_HABITS:,} habits.")
    habits = [Habit(name=n[:100]) for n in names]
    numeric = set()  # columns with other values: Loop's measurable habits
    cells = entries = 0
    for row in rows:
        at = f"Line {rows.line_num} of {source}"
        if not row or row == [""]:
            continue
        cells += len(names)
        if cells > MAX_CELLS:
            raise BadFile(
                f"{at}: the file holds more than {MAX_CELLS:,} days × habits; "
                "import a habit's own Checkmarks.csv (in the zip) instead."
            )
        if row[-1] == "" and len(row) == len(names) + 2:
            row = row[:-1]
        if len(row) != len(names) + 1:
            raise BadFile(
                f"{at}: expected {len(names) + 1} columns (Date and one per habit), "
                f"found {len(row)}."
            )
        day = limits.day(row[0], at)
        for index, cell in enumerate(row[1:]):
            value = LOOP_VALUES.get(cell.strip(), "?")
            if value == "?":
                numeric.add(index)
            elif value is not NOTHING:
                entries += 1
                _record(habits[index], day, value)
        check_count(entries)
    parsed = Parsed(kind="Loop Habit Tracker CSV")
    for index, habit in enumerate(habits):
        (parsed.dropped if index in numeric else parsed.habits).append(habit)
    if not parsed.habits:
        raise BadFile(
            f"{source.capitalize()} holds only measurable habits; Footcare imports "
            "yes/no habits."
        )
    parsed.dropped = [habit.name for habit in parsed.dropped]
    return parsed


# Loop's CSV export as a zip: "Habits.csv", "Checkmarks.csv" and one folder per
# habit ("001 Name/Checkmarks.csv", with notes).


def _loop_zip(data, limits):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise BadFile("This zip file is damaged and cannot be read.") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise BadFile("This zip file holds too many files to be a Loop export.")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_RATIO * max(member.compress_size, 1024):
            raise BadFile(
                f"“{shown(member.filename, 60)}” in the zip unpacks to far more "
                "than it holds (a zip bomb?)."
            )
    if total > MAX_BYTES:
        raise BadFile("The zip unpacks to more than 20 MB.")
    by_name = {member.filename: member for member in members}
    habit_files = sorted(
        name
        for name in by_name
        if name.count("/") == 1 and name.endswith("/Checkmarks.csv")
    )
    if not habit_files and "Checkmarks.csv" not in by_name:
        raise BadFile(
            "This zip is not a Loop Habit Tracker export: it has no Checkmarks.csv."
        )
    if not habit_files:
        return _loop_csv(
            _member_text(archive, by_name["Checkmarks.csv"]),
            limits,
            "Checkmarks.csv",
        )
    if len(habit_files) > MAX_HABITS:
        raise BadFile(f"This zip holds more than {MAX_HABITS:,} habits.")
    names = _loop_habit_names(archive, by_name.get("Habits.csv"))
    parsed = Parsed(kind="Loop Habit Tracker CSV (zip)")
    entries = 0
    for path in habit_files:
        folder = path.split("/", 1)[0]
        number, _, fallback = folder.partition(" ")
        name = names.get(number.lstrip("0"), clean_text(fallback or folder)[:100])
        source = shown(path, 100)
        try:
            one = _loop_csv(_member_text(archive, by_name[path]), limits, source, name)
        except Measurable:
            parsed.dropped.append(name)
            continue
        if len(one.habits) != 1:
            raise BadFile(f"Line 1 of {source}: expected the columns Date,Value,Notes.")
        habit = one.habits[0]
        entries += len(habit.done) + len(habit.skipped)
        check_count(entries)
        parsed.habits.append(habit)
    if not parsed.habits:
        raise BadFile(
            "This zip holds only measurable habits; Footcare imports yes/no habits."
        )
    return parsed


def _member_text(archive, member):
    name = shown(member.filename, 60)
    if member.flag_bits & 0x1:
        raise BadFile(f"“{name}” in the zip is encrypted; Loop's exports are not.")
    # Read at most what the header promised, in case the header lies.
    try:
        with archive.open(member) as stream:
            data = stream.read(member.file_size + 1)
    except (
        zipfile.BadZipFile,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # "encrypted" after all (the local header says so)
        OSError,
        EOFError,
        ValueError,
        zlib.error,
        lzma.LZMAError,
    ):
        raise BadFile(f"“{name}” in the zip is damaged.") from None
    if len(data) > member.file_size:
        raise BadFile(f"“{name}” in the zip is damaged.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile(f"“{name}” is not UTF-8 text.") from None


def _loop_habit_names(archive, member):
    """Habit names by position ("1", "2", ...) from Habits.csv, whose rows follow
    the folders' numbering; the folder names lose some characters."""
    if member is None:
        return {}
    try:
        rows = list(csv.DictReader(io.StringIO(_member_text(archive, member))))
    except csv.Error:
        return {}
    names = {}
    for position, row in enumerate(rows[:MAX_ZIP_MEMBERS], start=1):
        name = clean_text(row.get("Name") or "").strip()[:100]
        if name:
            names[str(position)] = name
    return names


# Loop's full backup: an SQLite database, which is untrusted input.


def _loop_database(data, limits):
    with tempfile.TemporaryDirectory(
        prefix="footcare-import-", ignore_cleanup_errors=True
    ) as folder:
        path = os.path.join(folder, "loop.db")
        with open(path, "wb") as file:
            file.write(data)
        return _read_loop_database(path, limits)


def _read_loop_database(path, limits):
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        raise BadFile("This SQLite file cannot be opened.") from None
    # Text in a damaged file need not be UTF-8 (quick_check quotes its bytes).
    connection.text_factory = lambda value: value.decode("utf-8", "replace")
    deadline = time.monotonic() + MAX_DATABASE_SECONDS
    connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        connection.execute("PRAGMA cell_size_check=ON")
        check = connection.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise BadFile("This SQLite file is damaged (its integrity check failed).")
        tables = {
            row[0].lower()
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 200"
            )
        }
        if not {"habits", "repetitions"} <= tables:
            raise BadFile(
                "This SQLite file is not a Loop Habit Tracker backup: it has no "
                "Habits and Repetitions tables."
            )
        habit_columns = _columns(connection, "Habits")
        if not {"id", "name"} <= habit_columns:
            raise BadFile("The Habits table of this backup has no id and name.")
        rep_columns = _columns(connection, "Repetitions")
        if not {"habit", "timestamp", "value"} <= rep_columns:
            raise BadFile(
                "The Repetitions table of this backup lacks habit, timestamp or value."
            )
        kind = "type" if "type" in habit_columns else "0"
        habits = {}
        dropped = []
        rows = connection.execute(
            f"SELECT id, name, {kind} FROM Habits "  # noqa: S608
            f"ORDER BY position, id LIMIT {MAX_HABITS + 1}"
        ).fetchall()
        if len(rows) > MAX_HABITS:
            raise BadFile(f"This Loop backup holds more than {MAX_HABITS:,} habits.")
        for habit_id, name, habit_type in rows:
            label = clean_text(name).strip()[:100] if isinstance(name, str) else ""
            label = label or f"Habit {shown(habit_id)}"
            if habit_type not in (0, None):  # a measurable habit
                dropped.append(label)
            else:
                habits[habit_id] = Habit(name=label)
        notes = "notes" if "notes" in rep_columns else "''"
        rows = connection.execute(
            f"SELECT habit, timestamp, value, {notes} FROM Repetitions "  # noqa: S608
            f"ORDER BY timestamp LIMIT {MAX_ENTRIES + 1}"
        ).fetchall()
    except UnicodeDecodeError:  # an error message quoting the file's own bytes
        raise BadFile(
            "This SQLite file is damaged (its schema is unreadable)."
        ) from None
    except sqlite3.Error as error:
        if time.monotonic() > deadline:
            raise BadFile("This SQLite file takes too long to read.") from None
        raise BadFile(
            f"This SQLite file cannot be read ({shown(str(error), 200)})."
        ) from None
    finally:
        connection.close()
    check_count(len(rows))
    for number, (habit_id, timestamp, value, note) in enumerate(rows, start=1):
        habit = habits.get(habit_id)
        if habit is None:
            continue
        at = f"Repetition {number}"
        if not isinstance(timestamp, int) or not isinstance(value, int):
            raise BadFile(f"{at}: the timestamp and value must be whole numbers.")
        try:
            day = dt.datetime.fromtimestamp(timestamp / 1000, tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            raise BadFile(f"{at}: {timestamp} is not a valid timestamp.") from None
        day = limits.day(day.isoformat(), at)
        state = LOOP_VALUES.get(str(value), "?")
        if state == "?":
            raise BadFile(f"{at}: {value} is not a Loop value (2, 1, 0, 3 or -1).")
        _record(habit, day, state, clean_text(note) if isinstance(note, str) else "")
    if not habits:
        raise BadFile("This Loop backup holds no yes/no habits.")
    return Parsed(
        kind="Loop Habit Tracker backup", habits=list(habits.values()), dropped=dropped
    )


def _columns(connection, table):
    return {
        row[1].lower()
        for row in connection.execute(f"PRAGMA table_info({table})")  # noqa: S608
    }
