"""The importer fuzzed. Valid seed files of every kind it accepts (Footcare JSON,
Beaver JSON, Loop's zip, a habit's Checkmarks.csv with and without a header,
Loop's root Checkmarks.csv, Loop's .db backup) are changed by hypothesis: values
swapped for hostile ones (wrong types, huge numbers, NUL, lone surrogates, "İ",
extreme offsets and dates), and bytes flipped, inserted, cut and repeated. Each
result must either be refused with a message of its own (BadFile, never the
catch-all UNREADABLE, which means a reader failed in a way nobody foresaw) or
parse into a file whose plan and write succeed, for every habit it holds, on the
database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL), storing
only text every database accepts.

Each test runs FOOTCARE_FUZZ_EXAMPLES examples (README, "Import limits"). Without
it the examples are derived from the tests themselves, so CI always runs the
same ones; with it hypothesis explores at random."""

import copy
import csv
import datetime as dt
import io
import json
import math
import os
import sqlite3
import tempfile
import zipfile

import pytest
from django.db import models, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import PreferredTime
from sessions.models import MassageSession, Pause, RestDay, Technique
from tests.transfer import files
from transfer import formats, importer

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 1, 15)
EXAMPLES = int(os.environ.get("FOOTCARE_FUZZ_EXAMPLES") or 0)
fuzz = settings(
    max_examples=EXAMPLES or 250,
    derandomize=not EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def imports_or_refuses(user, content):
    """The contract, for one file: BadFile with its own message, or a parse whose
    plan and write succeed for each habit (each write rolled back afterwards)."""
    try:
        parsed = formats.parse_bytes(content, TODAY)
    except formats.BadFile as error:
        refusal = str(error)
    else:
        refusal = None
    if refusal is not None:
        assert refusal
        assert refusal != formats.UNREADABLE
        return
    for habit in range(max(len(parsed.habits), 1)):
        with transaction.atomic():
            importer.run(user, parsed, habit)
            assert_storable(user)
            transaction.set_rollback(True)


def assert_storable(user):
    """What was written holds no text PostgreSQL refuses and no text longer
    than its column (SQLite would take both)."""
    for model, rows in (
        (MassageSession, MassageSession.objects.for_user(user)),
        (Technique, Technique.objects.filter(user=user)),
        (RestDay, RestDay.objects.for_user(user)),
        (Pause, Pause.objects.for_user(user)),
        (PreferredTime, PreferredTime.objects.for_user(user)),
    ):
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            for value in rows.values_list(field.attname, flat=True):
                assert not formats._UNSTORABLE.search(value), (model, field.name)
                assert len(value) <= field.max_length, (model, field.name)


# Hostile values.

HUGE = "\u2063huge number\u2063"  # becomes a 5,000-digit number in the JSON text
TRICKY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "I",
    "İ",
    "ı",
    "ß",
    "STRASSE",
    "e\u0301",
    "\u200b",
    "Warm-up strokes",
    "WARM-UP  STROKES",
    "x" * 81,
    "x" * 2001,
    "=1+1",
    '"quoted"',
    "a,b",
    "line\nbreak",
    "\r",
    "\ufeff",
    HUGE,
]
DATES = [
    "2024-02-29",
    "2024-02-30",
    "1999-12-31",
    "2000-01-01",
    "2025-01-15",
    "2025-01-16",
    "9999-12-31",
    "0001-01-01",
    "2024-1-1",
    "20240101",
    " 2024-03-01 ",
]
STARTS = [
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T04:59:59+05:00",
    "9999-12-31T23:59:00-05:00",
    "9999-12-31T20:00:00-04:00",
    "2024-05-01T21:00:00+23:59",
    "2024-05-01T21:00:00Z",
    "2024-05-01T21:00:00",
    "2024-05-01",
    "1999-12-31T23:00:00-12:00",
    "2030-01-01T00:00:00+00:00",
]
TIMES = ["07:30", "07:30+05:00", "07:30:59.5-11:00", "24:00", "7", "T07:30", ""]
KEYS = [
    *("format", "version", "settings", "techniques", "preferred_times"),
    *("rest_days", "sessions", "date", "start", "timezone", "duration_minutes"),
    *("comfort", "pressure", "notes", "name", "how_to", "archived", "label"),
    *("time", "weekdays", "reason", "day_start_hour", "weekly_target"),
    *("email_reminders", "habits", "records", "day", "done", "text"),
    *("pain_before", "pain_after", "foot", "where"),
    *("pauses", "end", "note"),
]

texts = st.one_of(
    st.sampled_from(TRICKY_TEXT + DATES + STARTS + TIMES),
    st.text(max_size=12),
    st.text(st.sampled_from("\x00İIıß \t\n\ud800é,\"'-:0129"), max_size=12),
)
numbers = st.one_of(
    st.sampled_from([0, 1, 3, 5, 6, 7, 23, 24, 180, 181, -1, 2**31, 2**63, 10**30]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=3
        )
    ),
    max_leaves=6,
)


# Values a field of that name might hold, hostile or not (most edits draw one).
ZONES = ["Europe/London", "Asia/Calcutta", "UTC", "Mars/Olympus", "localtime", ""]
BY_KEY = {
    "start": st.sampled_from(STARTS),
    "date": st.sampled_from(DATES),
    "day": st.sampled_from(DATES),
    "time": st.sampled_from(TIMES),
    "timezone": st.sampled_from(ZONES),
    "version": st.sampled_from([1, 2, "1", 1.0, None]),
    "weekdays": st.lists(numbers | texts, max_size=8),
    "techniques": st.lists(st.sampled_from(TRICKY_TEXT), max_size=6),
    "pressure": st.sampled_from(["", "light", "firm", "LIGHT", None, HUGE]),
    "reason": st.sampled_from(["", "travel", "skin", "Travel", None]),
    "done": st.sampled_from([True, False, 1, 0, "true", None]),
    "pain_before": st.sampled_from([0, 10, 11, -1, None, "5", 5.0, True, 2**63]),
    "pain_after": st.sampled_from([0, 10, 11, -1, None, "5", 5.0, False, 10**30]),
    "foot": st.sampled_from(["", "both", "left", "right", "Left", None, HUGE]),
    "where": st.lists(
        st.sampled_from(["heel", "arch", "ball", "toes", "ankle", "Heel", "knee"])
        | texts
        | numbers,
        max_size=7,
    ),
}


def value_for(key):
    """Mostly what might stand in a field called `key`, else any JSON."""
    near = BY_KEY.get(key, texts | numbers)
    return st.one_of(near, near, near, json_values)


def as_json(document):
    text = json.dumps(document, allow_nan=True)
    return text.replace(json.dumps(HUGE), "9" * 5000).encode()


def places(node, path=()):
    """Every (container, key) in a decoded JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key
            yield from places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield node, index
            yield from places(value, (*path, index))


@st.composite
def edited(draw, seed):
    """The seed document with a few values replaced, removed, repeated or added."""
    document = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, 6))):
        spots = list(places(document))
        if not spots:
            break
        container, key = draw(st.sampled_from(spots))
        action = draw(
            st.sampled_from(["replace", "replace", "delete", "repeat", "add"])
        )
        if action == "replace":
            container[key] = draw(value_for(key))
        elif action == "delete":
            del container[key]
        elif action == "repeat" and isinstance(container, list):
            container.extend([copy.deepcopy(container[key])] * draw(st.integers(1, 3)))
        elif action == "add" and isinstance(container[key], dict):
            new = draw(st.sampled_from(KEYS))
            container[key][new] = draw(value_for(new))
    return as_json(document)


def mostly(value, key):
    """`value` three times in four, else something a field called `key` might
    hold instead."""
    return st.one_of(st.just(value), st.just(value), st.just(value), value_for(key))


def entry(example):
    """Objects like `example`, with any of their fields made hostile."""
    return st.fixed_dictionaries(
        {key: mostly(value, key) for key, value in example.items()}
    )


SEED = json.loads(files.footcare_json())
SEED_V2 = json.loads(files.footcare_v2_json())
SEED_PAUSES = json.loads(files.footcare_pauses_json())


@st.composite
def footcare_documents(draw, seed=SEED):
    """A valid export of a few entries per part, with one or two fields of one
    part made hostile (so that the readers get past the parts before it)."""
    document = copy.deepcopy(seed)
    parts = ["techniques", "preferred_times", "rest_days", "sessions"]
    parts += ["pauses"] if "pauses" in document else []
    for part in parts:
        document[part] = document[part] * draw(st.integers(0, 3))
    part = draw(st.sampled_from(["settings", *parts, "sessions", None]))
    for _ in range(draw(st.integers(1, 2))):
        if part is None:
            target = document
        elif part == "settings":
            target = document["settings"]
        elif document[part]:
            index = draw(st.integers(0, len(document[part]) - 1))
            target = document[part][index] = dict(document[part][index])
        else:
            continue
        key = draw(st.sampled_from(sorted(target)) | st.sampled_from(KEYS))
        target[key] = draw(value_for(key))
    return as_json(document)


beaver_documents = st.fixed_dictionaries(
    {
        "habits": st.lists(
            st.fixed_dictionaries(
                {
                    "name": mostly("Foot care", "name"),
                    "records": st.lists(
                        entry({"day": "2024-02-01", "done": True, "text": "ok"}),
                        max_size=4,
                    ),
                }
            ),
            max_size=3,
        )
    }
).map(as_json)


# Loop's CSV files, written by hand.

loop_values = st.one_of(
    st.sampled_from([*formats.LOOP_VALUES, "", "yes", "2.0", " 2", "4", "-2", "5000"]),
    texts,
)
days = st.one_of(
    st.dates(dt.date(2000, 1, 1), TODAY).map(dt.date.isoformat),
    st.sampled_from(DATES),
    texts,
)


def encoded(text):
    """UTF-8, lone surrogates included (as a careless writer leaves them)."""
    return text.encode("utf-8", "surrogatepass")


def write_csv(rows, quoted):
    if quoted:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue()
    return "".join(",".join(row) + "\n" for row in rows)


@st.composite
def habit_csv(draw):
    header = draw(
        st.sampled_from([["Date", "Value", "Notes"], ["Date", "Value"], None])
    )
    rows = draw(
        st.lists(
            st.tuples(days, loop_values, texts).map(list) | st.lists(texts, max_size=4),
            max_size=8,
        )
    )
    if header is None:
        rows = [row[:2] for row in rows]
    text = write_csv(([header] if header else []) + rows, draw(st.booleans()))
    return text


@st.composite
def root_csv(draw):
    names = draw(st.lists(texts, min_size=1, max_size=4))
    rows = draw(
        st.lists(
            st.tuples(
                days,
                st.lists(loop_values, min_size=len(names) - 1, max_size=len(names) + 1),
            ),
            max_size=8,
        )
    )
    lines = [["Date", *names, ""]] + [[day, *cells, ""] for day, cells in rows]
    return write_csv(lines, draw(st.booleans()))


csv_text = st.one_of(habit_csv(), root_csv())


@st.composite
def loop_zip(draw):
    """A zip laid out as Loop lays it out, with hostile names, contents,
    compression and flags."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        count = draw(st.integers(0, 3))
        names = draw(st.lists(texts, min_size=count, max_size=count))
        habits = ["Position,Name"] + [
            f'{n:03d},"{name}"' for n, name in enumerate(names, start=1)
        ]
        archive.writestr("Habits.csv", encoded("\n".join(habits)))
        paths = [
            f"{n:03d} {name[:20]}/Checkmarks.csv"
            for n, name in enumerate(names, start=1)
        ]
        if draw(st.booleans()):
            paths.append("Checkmarks.csv")
        for path in paths:
            info = zipfile.ZipInfo(encoded(path).decode("utf-8", "replace"))
            info.compress_type = draw(
                st.sampled_from(
                    [
                        zipfile.ZIP_STORED,
                        zipfile.ZIP_DEFLATED,
                        zipfile.ZIP_BZIP2,
                        zipfile.ZIP_LZMA,
                    ]
                )
            )
            archive.writestr(info, encoded(draw(csv_text)))
    content = buffer.getvalue()
    if draw(st.booleans()):
        content = files.with_flag_bits(content, draw(st.sampled_from([1, 8, 64, 2048])))
    return content


# Loop's database backup, with hostile rows.

sql_values = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    texts,
    st.binary(max_size=6),
    st.dates(dt.date(1999, 1, 1), dt.date(2026, 1, 1)).map(
        lambda day: int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp() * 1000)
    ),
)


def literal(value):
    """`value` as SQLite spells it; text as its UTF-8 bytes, lone surrogates and
    all, which only a literal can store."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NULL"
    if isinstance(value, bytes):
        return f"X'{value.hex()}'"
    if isinstance(value, str):
        return f"CAST(X'{encoded(value).hex()}' AS TEXT)"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"{'-' * (value < 0)}9e999"
    return str(int(value))


@st.composite
def loop_database(draw):
    habits = draw(st.lists(st.tuples(sql_values, sql_values, sql_values), max_size=3))
    repetitions = draw(
        st.lists(
            st.tuples(
                st.integers(0, 4) | sql_values,
                sql_values,
                st.sampled_from([2, 3, 0, 1, -1]) | sql_values,
                sql_values,
            ),
            max_size=8,
        )
    )
    script = [
        "PRAGMA synchronous=OFF; BEGIN;",
        "CREATE TABLE Habits (id, name, position, type);",
        "CREATE TABLE Repetitions (habit, timestamp, value, notes);",
    ]
    for number, (key, name, kind) in enumerate(habits, start=1):
        values = ", ".join(
            map(literal, (number if key is None else key, name, 0, kind))
        )
        script.append(f"INSERT INTO Habits VALUES ({values});")
    for row in repetitions:
        script.append(
            f"INSERT INTO Repetitions VALUES ({', '.join(map(literal, row))});"
        )
    script.append("COMMIT;")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "loop.db")
        connection = sqlite3.connect(path)
        connection.executescript("\n".join(script))
        connection.close()
        with open(path, "rb") as file:
            return file.read()


# Byte-level damage to any seed.

TOKENS = [
    b"\x00",
    "İ".encode(),
    b"\xff\xfe",
    b"9" * 5000,
    b"+05:00",
    b'"',
    b",",
    b"\n",
    b"\r",
    b"[",
    b"{",
    b"PK\x03\x04",
    b"2",
    b"3",
    b"-1",
    b"YES_MANUAL",
    b"9999-12-31",
    b"\\u0000",
    b"\\ud800",
]


@st.composite
def damaged(draw, seed):
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(
            st.sampled_from(["flip", "set", "insert", "delete", "cut", "repeat"])
        )
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(
                st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=8)
            )
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif kind == "cut":
            del data[at:]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


def _database_seed():
    with tempfile.TemporaryDirectory() as folder:
        return files.loop_database(os.path.join(folder, "loop.db"))


SEEDS = {
    "footcare json": files.footcare_json().encode(),
    "footcare json v2": files.footcare_v2_json().encode(),
    "footcare json with pauses": files.footcare_pauses_json().encode(),
    "beaver json": files.beaver_json().encode(),
    "loop zip": files.loop_zip(),
    "loop 1.x zip": files.loop_zip({"Feet": files.LOOP_1X_HABIT_CSV}),
    "habit checkmarks": files.LOOP_HABIT_CSV.encode(),
    "habit checkmarks, loop 1.x": files.LOOP_1X_HABIT_CSV.encode(),
    "root checkmarks": files.LOOP_ROOT_CSV.encode(),
    "loop database": _database_seed(),
}


def known(**parts):
    return files.footcare_json(**parts).encode()


# The files that once gave a 500 (issue 19), always among the examples.
KNOWN_FOOTCARE = [
    known(sessions=[files.session_entry(pressure=["firm"])]),
    known(rest_days=[{"date": "2024-05-03", "reason": {"a": 1}}]),
    known(sessions=[files.session_entry(start="0001-01-01T00:00:00+05:00")]),
    known(sessions=[files.session_entry(start="9999-12-31T23:59:00-05:00")]),
    known().replace(b'"comfort": 4', b'"comfort": ' + b"9" * 5000),
    known(preferred_times=[{"label": "M", "time": "07:30+05:00", "weekdays": [0]}]),
    known(
        techniques=[{"name": "Ball\u0000", "how_to": "Roll\u0000"}],
        preferred_times=[{"label": "Eve\u0000", "time": "21:00", "weekdays": [1]}],
        sessions=[files.session_entry(notes="\u0000", techniques=["I", "İ", "ı"])],
    ),
]


@fuzz
@given(content=edited(json.loads(files.footcare_json())))
def test_footcare_json_with_hostile_values(alice, content):
    imports_or_refuses(alice, content)


@fuzz
@given(content=footcare_documents())
def test_footcare_json_field_by_field(alice, content):
    imports_or_refuses(alice, content)


@fuzz
@given(content=edited(SEED_V2))
def test_footcare_v2_json_with_hostile_values(alice, content):
    imports_or_refuses(alice, content)


@fuzz
@given(content=footcare_documents(SEED_V2))
def test_footcare_v2_json_field_by_field(alice, content):
    imports_or_refuses(alice, content)


@fuzz
@given(content=edited(SEED_PAUSES))
def test_footcare_json_with_pauses_with_hostile_values(alice, content):
    imports_or_refuses(alice, content)


@fuzz
@given(content=footcare_documents(SEED_PAUSES))
def test_footcare_json_with_pauses_field_by_field(alice, content):
    imports_or_refuses(alice, content)


for _content in KNOWN_FOOTCARE:
    test_footcare_json_field_by_field = example(content=_content)(
        test_footcare_json_field_by_field
    )


@fuzz
@given(content=beaver_documents)
@example(
    content=files.beaver_json(
        [
            {
                "name": "F",
                "records": [{"day": "2024-02-01", "done": True, "text": "x\u0000"}],
            }
        ]
    ).encode()
)
def test_beaver_json_field_by_field(alice, content):
    imports_or_refuses(alice, content)


@fuzz
@given(content=edited(json.loads(files.beaver_json())))
def test_beaver_json_with_hostile_values(alice, content):
    imports_or_refuses(alice, content)


@fuzz
@given(text=csv_text)
@example(text="Date,Value,Notes\n2024-02-02,YES_MANUAL,a\x00b\n")
@example(text=files.LOOP_1X_HABIT_CSV)
def test_loop_csv_written_by_hand(alice, text):
    imports_or_refuses(alice, encoded(text))


@fuzz
@given(content=loop_zip())
@example(content=files.with_flag_bits(files.loop_zip(), 0x1))
def test_loop_zip_with_hostile_members(alice, content):
    imports_or_refuses(alice, content)


def _unreadable_database():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "loop.db")
        return files.loop_database_with_unreadable_schema(path)


@fuzz
@given(content=loop_database())
@example(content=_unreadable_database())
def test_loop_database_with_hostile_rows(alice, content):
    imports_or_refuses(alice, content)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_imports_as_it_is(alice, seed):
    parsed = formats.parse_bytes(SEEDS[seed], TODAY)
    with transaction.atomic():
        plan = importer.run(alice, parsed, parsed.default_habit())
        assert plan.sessions
        transaction.set_rollback(True)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_damaged_byte_by_byte(alice, seed):
    @fuzz
    @given(content=damaged(SEEDS[seed]))
    def check(content):
        imports_or_refuses(alice, content)

    check()
