"""Small hand-written files in the formats other apps write, built the way
those apps build them (Loop: opencsv, quoting only when needed; the root
Checkmarks.csv with a trailing comma; the database with its real tables)."""

import datetime as dt
import io
import json
import sqlite3
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

# Noon on the day the import pages' tests run (tests/transfer/conftest.py): the
# newest entries of the files below are "today" then.
IMPORT_DAY = dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC)

LOOP_HABIT_CSV = (
    "Date,Value,Notes\n"
    '2024-03-31,YES_MANUAL,"Sore heel, used the ball"\n'
    "2024-03-30,YES_AUTO,\n"
    '2024-03-29,SKIP,"Travel: ""no time"""\n'
    '2024-03-28,YES_MANUAL,"Two lines\nof notes"\n'
    "2024-03-27,NO,\n"
    "2024-03-26,UNKNOWN,\n"
    "2024-10-27,YES_MANUAL,\n"
)

# Loop's root Checkmarks.csv: newest day first, one column per habit, every
# line ending with the separator.
LOOP_ROOT_CSV = (
    "Date,Meditate,Foot massage,Run,\n"
    "2024-03-31,NO,YES_MANUAL,YES_MANUAL,\n"
    "2024-03-30,YES_MANUAL,YES_AUTO,NO,\n"
    "2024-03-29,YES_MANUAL,SKIP,UNKNOWN,\n"
    "2024-03-28,NO,YES_MANUAL,SKIP,\n"
)

# Versions before 2.0 wrote numbers: 2 done, 1 implied, 0 not done, 3 skipped,
# -1 unknown.
LOOP_OLD_CSV = "Date,Value\n2019-05-01,2\n2019-05-02,1\n2019-05-03,0\n2019-05-04,3\n"


def upload(content, name="upload.bin"):
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content)


def loop_zip(habits=None):
    """Loop's "Export as CSV" zip: Habits.csv, Checkmarks.csv and a folder per
    habit named "NNN Name" (characters outside [ a-zA-Z0-9._-] dropped)."""
    habits = habits or {
        "Walk & stretch": "Date,Value,Notes\n2024-01-02,YES_MANUAL,\n",
        "Foot massage (evening)": LOOP_HABIT_CSV,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        lines = ["Position,Name,Question,Description,NumRepetitions,Interval,Color"]
        for number, name in enumerate(habits, start=1):
            lines.append(f'{number:03d},"{name}",,,1,1,#FF8F00')
        archive.writestr("Habits.csv", "\n".join(lines) + "\n")
        archive.writestr("Checkmarks.csv", "Date,\n")
        for number, (name, csv_text) in enumerate(habits.items(), start=1):
            sane = "".join(c for c in name if c.isalnum() or c in " ._-")
            folder = f"{number:03d} {sane}".strip()
            archive.writestr(f"{folder}/Checkmarks.csv", csv_text)
            archive.writestr(f"{folder}/Scores.csv", "Date,Score\n")
    return buffer.getvalue()


def _ms(day):
    return int(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).timestamp() * 1000)


def loop_database(path, repetitions=None, numeric_habit=True):
    """A Loop backup (.db) with the tables Loop's own code declares."""
    connection = sqlite3.connect(path)
    connection.executescript(
        """
        CREATE TABLE Habits (id INTEGER PRIMARY KEY AUTOINCREMENT, archived INTEGER,
            color INTEGER, description TEXT, freq_den INTEGER, freq_num INTEGER,
            highlight INTEGER, name TEXT, position INTEGER, reminder_hour INTEGER,
            reminder_min INTEGER, reminder_days INTEGER NOT NULL DEFAULT 127,
            type INTEGER NOT NULL DEFAULT 0, target_type INTEGER NOT NULL DEFAULT 0,
            target_value REAL NOT NULL DEFAULT 0, unit TEXT NOT NULL DEFAULT '',
            question TEXT, uuid TEXT);
        CREATE TABLE Repetitions (id INTEGER PRIMARY KEY AUTOINCREMENT,
            habit INTEGER NOT NULL REFERENCES Habits(id), timestamp INTEGER NOT NULL,
            value INTEGER NOT NULL, notes TEXT);
        """
    )
    connection.execute(
        "INSERT INTO Habits (id, name, position, type) VALUES (1, 'Read', 0, 0)"
    )
    connection.execute(
        "INSERT INTO Habits (id, name, position, type) VALUES (2, 'Massage feet', 1, 0)"
    )
    if numeric_habit:
        connection.execute(
            "INSERT INTO Habits (id, name, position, type) VALUES (3, 'Steps', 2, 1)"
        )
    rows = repetitions or [
        (2, dt.date(2024, 3, 30), 2, 'Before bed, "firm"'),
        (2, dt.date(2024, 3, 31), 2, ""),  # the night clocks go forward in Europe
        (2, dt.date(2024, 4, 1), 3, None),
        (2, dt.date(2024, 4, 2), 1, None),
        (1, dt.date(2024, 4, 2), 2, None),
        (3, dt.date(2024, 4, 2), 5000, None),
    ]
    connection.executemany(
        "INSERT INTO Repetitions (habit, timestamp, value, notes) VALUES (?, ?, ?, ?)",
        [(habit, _ms(day), value, notes) for habit, day, value, notes in rows],
    )
    connection.commit()
    connection.close()
    with open(path, "rb") as file:
        return file.read()


def beaver_json(habits=None):
    return json.dumps(
        {
            "habits": habits
            or [
                {
                    "id": "a1",
                    "name": "Water",
                    "records": [{"day": "2024-02-01", "done": True}],
                },
                {
                    "id": "b2",
                    "name": "Foot care",
                    "records": [
                        {"day": "2024-02-01", "done": True},
                        {"day": "2024-02-02", "done": False},
                        {"day": "2024-02-03", "done": True},
                    ],
                },
            ],
            "order": ["a1", "b2"],
        }
    )


# Loop 1.x wrote a habit's Checkmarks.csv without a header line or notes, newest
# day first: 2 done, 1 implied, 0 not done (and 3 skipped in later versions).
LOOP_1X_HABIT_CSV = (
    "2024-03-31,2\n2024-03-30,1\n2024-03-29,3\n2024-03-28,2\n2024-03-27,0\n"
)


def with_flag_bits(zip_bytes, bits):
    """The zip with `bits` set in every member's general-purpose flags (both its
    local and its central header), whatever the content: bit 0 says "encrypted"."""
    data = bytearray(zip_bytes)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            flags = int.from_bytes(data[start + offset : start + offset + 2], "little")
            data[start + offset : start + offset + 2] = (flags | bits).to_bytes(
                2, "little"
            )
            start = data.find(signature, start + 4)
    return bytes(data)


def loop_database_with_unreadable_schema(path):
    """A damaged SQLite file whose errors quote bytes that are not UTF-8: a
    table renamed to b"\\xe9\\xe9" with a schema that does not parse."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE Habits (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.execute("PRAGMA writable_schema=ON")
    connection.execute(
        "UPDATE sqlite_master SET name = CAST(? AS TEXT), sql = CAST(? AS TEXT) "
        "WHERE name = 'Habits'",
        (b"\xe9\xe9", b"CREATE TABLE Habits (id,,)"),
    )
    connection.commit()
    connection.close()
    with open(path, "rb") as file:
        return file.read()


def footcare_json(**parts):
    """A small Footcare export; `parts` replace its top-level entries."""
    document = {
        "format": "footcare",
        "version": 1,
        "settings": {"timezone": "Europe/London", "day_start_hour": 0},
        "techniques": [{"name": "Golf ball roll", "how_to": "Roll", "archived": False}],
        "preferred_times": [{"label": "Evening", "time": "21:00", "weekdays": [0, 6]}],
        "rest_days": [{"date": "2024-05-03", "reason": "travel"}],
        "sessions": [
            {
                "date": "2024-05-01",
                "start": "2024-05-01T21:00:00+01:00",
                "timezone": "Europe/London",
                "duration_minutes": 15,
                "comfort": 4,
                "pressure": "light",
                "techniques": ["Golf ball roll", "Warm-up strokes"],
                "notes": "Sore heel",
            },
            {
                "date": "2024-05-02",
                "start": None,
                "timezone": "Europe/London",
                "duration_minutes": None,
                "comfort": None,
                "pressure": "",
                "techniques": [],
                "notes": "",
            },
        ],
    }
    document.update(parts)
    return json.dumps(document)


def footcare_v2_json(**parts):
    """A small Footcare export of version 2: its sessions record pain, foot and
    where (one all of them, one none); `parts` replace its top-level entries."""
    document = json.loads(footcare_json())
    document["version"] = 2
    first, second = document["sessions"]
    first.update(pain_before=6, pain_after=3, foot="left", where=["heel", "arch"])
    second.update(pain_before=None, pain_after=None, foot="", where=[])
    document.update(parts)
    return json.dumps(document)


def footcare_pauses_json(**parts):
    """A version 2 export with pauses: one with a note, one planned ahead of the
    importer's today (2025-01-15), one over a practised day (left out)."""
    document = json.loads(footcare_v2_json())
    document["pauses"] = [
        {
            "start": "2024-04-20",
            "end": "2024-04-25",
            "reason": "illness",
            "note": "Flu",
        },
        {"start": "2025-01-20", "end": "2025-01-22", "reason": "travel", "note": ""},
        {"start": "2024-04-30", "end": "2024-05-01", "reason": "injury", "note": ""},
    ]
    document.update(parts)
    return json.dumps(document)


def session_entry(**fields):
    """One entry of a Footcare export's "sessions", with `fields` changed."""
    return {**json.loads(footcare_json())["sessions"][0], **fields}
