"""Each foreign format read from small hand-written files (transfer.formats)."""

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transfer import files
from transfer import formats
from transfer.formats import BadFile, parse_bytes

TODAY = dt.date(2025, 1, 15)


def parse(content):
    return parse_bytes(content.encode() if isinstance(content, str) else content, TODAY)


def test_loop_habit_csv_keeps_notes_with_commas_quotes_and_newlines():
    parsed = parse(files.LOOP_HABIT_CSV)
    (habit,) = parsed.habits
    assert habit.done == {
        dt.date(2024, 3, 31): "Sore heel, used the ball",
        dt.date(2024, 3, 28): "Two lines\nof notes",
        dt.date(2024, 10, 27): "",
    }
    assert habit.skipped == {dt.date(2024, 3, 29)}


def test_loop_csv_with_a_byte_order_mark_and_crlf_lines():
    content = "\ufeff" + files.LOOP_HABIT_CSV.replace("\n", "\r\n")
    (habit,) = parse(content).habits
    assert len(habit.done) == 3
    assert habit.done[dt.date(2024, 3, 28)] in (
        "Two lines\r\nof notes",
        "Two lines\nof notes",
    )


def test_loop_numbers_of_older_versions():
    (habit,) = parse(files.LOOP_OLD_CSV).habits
    assert set(habit.done) == {dt.date(2019, 5, 1)}
    assert habit.skipped == {dt.date(2019, 5, 4)}


def test_loop_root_checkmarks_has_a_column_per_habit():
    parsed = parse(files.LOOP_ROOT_CSV)
    assert [h.name for h in parsed.habits] == ["Meditate", "Foot massage", "Run"]
    assert parsed.default_habit() == 1
    foot = parsed.habits[1]
    assert set(foot.done) == {dt.date(2024, 3, 31), dt.date(2024, 3, 28)}
    assert foot.skipped == {dt.date(2024, 3, 29)}


def test_loop_root_checkmarks_leaves_out_measurable_habits():
    content = "Date,Steps,Feet,\n2024-03-31,5000,YES_MANUAL,\n2024-03-30,0,NO,\n"
    parsed = parse(content)
    assert [h.name for h in parsed.habits] == ["Feet"]
    assert parsed.dropped == ["Steps"]


def test_loop_zip_reads_each_habit_folder_with_names_from_habits_csv():
    parsed = parse(files.loop_zip())
    assert [h.name for h in parsed.habits] == [
        "Walk & stretch",
        "Foot massage (evening)",
    ]
    assert parsed.default_habit() == 1
    assert parsed.habits[1].done[dt.date(2024, 3, 31)] == "Sore heel, used the ball"


def test_loop_zip_with_only_the_root_checkmarks():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Checkmarks.csv", files.LOOP_ROOT_CSV)
    parsed = parse(buffer.getvalue())
    assert len(parsed.habits) == 3


def test_loop_database_backup(tmp_path):
    parsed = parse(files.loop_database(tmp_path / "loop.db"))
    assert [h.name for h in parsed.habits] == ["Read", "Massage feet"]
    assert parsed.dropped == ["Steps"]
    assert parsed.default_habit() == 1
    feet = parsed.habits[1]
    # Timestamps are UTC midnights: the day never shifts, whatever the zone,
    # including the night the clocks go forward (31 March 2024 in Europe).
    assert feet.done == {
        dt.date(2024, 3, 30): 'Before bed, "firm"',
        dt.date(2024, 3, 31): "",
    }
    assert feet.skipped == {dt.date(2024, 4, 1)}


def test_loop_database_without_loop_tables(tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    with pytest.raises(BadFile, match="not a Loop Habit Tracker backup"):
        parse(path.read_bytes())


def test_loop_database_with_a_future_day(tmp_path):
    rows = [(2, dt.date(2025, 2, 1), 2, None)]
    content = files.loop_database(tmp_path / "loop.db", repetitions=rows)
    with pytest.raises(BadFile, match="Repetition 1: 2025-02-01 is in the future"):
        parse(content)


def test_loop_database_temp_files_are_removed(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    parse(files.loop_database(tmp_path / "loop.db"))
    with pytest.raises(BadFile):
        parse(b"SQLite format 3\x00" + b"\x01" * 500)
    assert [p.name for p in tmp_path.iterdir()] == ["loop.db"]


def test_beaver_json():
    parsed = parse(files.beaver_json())
    assert [h.name for h in parsed.habits] == ["Water", "Foot care"]
    assert parsed.default_habit() == 1
    assert set(parsed.habits[1].done) == {dt.date(2024, 2, 1), dt.date(2024, 2, 3)}
    assert parsed.habits[1].skipped == set()


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ('[{"day": "2024-01-01", "done": "yes"}]', "must be true or false"),
        ('[{"done": true}]', "records\\[0\\]"),
        ('[{"day": "2030-01-01", "done": true}]', "in the future"),
        ('[{"day": "1999-12-31", "done": true}]', "before 1 January 2000"),
    ],
)
def test_beaver_bad_records(records, message):
    content = '{"habits": [{"name": "Feet", "records": ' + records + "}]}"
    with pytest.raises(BadFile, match=message):
        parse(content)


def test_json_nested_too_deeply():
    with pytest.raises(BadFile, match="nested too deeply"):
        parse("[" * 200_000 + "]" * 200_000)


def test_more_than_50000_beaver_records():
    records = [{"day": "2024-01-01", "done": False}] * (formats.MAX_ENTRIES + 1)
    content = json.dumps({"habits": [{"name": "Feet", "records": records}]})
    with pytest.raises(BadFile, match="more than 50,000 entries"):
        parse(content)


def test_a_zip_whose_header_lies_about_its_size():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Checkmarks.csv", "Date,Value,Notes\n" + "x" * 5_000_000)
    data = bytearray(buffer.getvalue())
    # Both headers claim 100 bytes unpacked; the real stream is 5 MB of x.
    local = data.index(b"PK\x03\x04")
    data[local + 22 : local + 26] = (100).to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    with pytest.raises(BadFile):
        parse(bytes(data))


days = st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY)
values = st.sampled_from(sorted(formats.LOOP_VALUES))
notes = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(days, st.tuples(values, notes), max_size=30))
def test_any_loop_habit_csv_reads_back_what_was_written(entries):
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # quotes \r and \n, as opencsv does
    writer.writerow(["Date", "Value", "Notes"])
    for day, (value, note) in sorted(entries.items(), reverse=True):
        writer.writerow([day.isoformat(), value, note])
    (habit,) = parse(buffer.getvalue()).habits
    done = {d for d, (v, _) in entries.items() if formats.LOOP_VALUES[v] == "done"}
    skipped = {d for d, (v, _) in entries.items() if formats.LOOP_VALUES[v] == "skip"}
    assert set(habit.done) == done
    assert habit.skipped == skipped
    for day in done:
        assert habit.done[day] == entries[day][1]


# Older Loop exports.


def test_loop_1x_habit_csv_without_a_header_reads_as_the_named_values():
    (habit,) = parse(files.LOOP_1X_HABIT_CSV).habits
    assert set(habit.done) == {dt.date(2024, 3, 31), dt.date(2024, 3, 28)}
    assert habit.skipped == {dt.date(2024, 3, 29)}
    assert habit.done[dt.date(2024, 3, 31)] == ""


def test_a_loop_1x_zip_reads_every_habit_folder():
    parsed = parse(
        files.loop_zip(
            {"Walk": "2024-01-02,2\n", "Foot massage": files.LOOP_1X_HABIT_CSV}
        )
    )
    assert [h.name for h in parsed.habits] == ["Walk", "Foot massage"]
    assert parsed.default_habit() == 1
    assert len(parsed.habits[1].done) == 2


def test_a_headerless_line_that_is_not_an_entry_names_its_line():
    with pytest.raises(BadFile, match="Line 2 of the file: “X” is not a Loop value"):
        parse("2024-03-31,2\n2024-03-30,X\n")


def test_an_amount_is_a_measurable_habit_which_is_left_out():
    with pytest.raises(BadFile, match="Line 2 of the file: “7” is an amount"):
        parse("2024-03-31,2\n2024-03-30,7\n")


# The parsers' contract: a Parsed or BadFile, whatever the bytes.


def test_an_encrypted_zip_member_is_refused_with_a_message():
    with pytest.raises(BadFile, match="is encrypted"):
        parse(files.with_flag_bits(files.loop_zip(), 0x1))


def test_a_loop_database_whose_errors_are_not_utf8_is_damaged(tmp_path):
    content = files.loop_database_with_unreadable_schema(tmp_path / "loop.db")
    with pytest.raises(BadFile, match="This SQLite file is damaged"):
        parse(content)


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        ([files.session_entry(pressure=["firm"])], "“a list” is not a pressure"),
        ([files.session_entry(pressure={"x": 1})], "“an object” is not a pressure"),
        (
            [files.session_entry(start="0001-01-01T00:00:00+05:00")],
            "“start” must be a date and time",
        ),
        (
            [files.session_entry(start="9999-12-31T23:59:00-05:00")],
            "“start” must be a date and time",
        ),
        (
            [files.session_entry(start="1990-06-01T08:00:00+00:00")],
            "the session starts before 2000",
        ),
        ([files.session_entry(start=["2024"])], "“start” must be a date and time"),
        ([files.session_entry(notes=7)], "“notes” must be text"),
        ([files.session_entry(techniques=[["x"]])], "“techniques” must be text"),
        ([files.session_entry(timezone=[[[]]])], "“a list” is not a known time"),
        ([files.session_entry(date={"y": 2024})], "“an object” is not a date"),
    ],
)
def test_footcare_values_of_the_wrong_type_name_their_entry(sessions, message):
    with pytest.raises(BadFile, match=f"Entry sessions\\[0\\]: {message}"):
        parse(files.footcare_json(sessions=sessions))


@pytest.mark.parametrize(
    ("start", "day"),
    [
        # Its day on its own clock, whatever the offset it was written with.
        ("2024-05-01T21:00:00+01:00", "2024-05-01"),
        ("2024-05-01T20:00:00Z", "2024-05-01"),
        # The day before, for a day that starts after midnight.
        ("2024-05-02T00:40:00+01:00", "2024-05-01"),
    ],
)
def test_a_footcare_session_counts_for_its_start_day_or_the_day_before(start, day):
    entry = files.session_entry(start=start, date=day, timezone="Europe/London")
    (session,) = parse(files.footcare_json(sessions=[entry])).footcare["sessions"]
    assert session["local_date"] == dt.date.fromisoformat(day)


@pytest.mark.parametrize(
    ("start", "day"),
    [
        ("2024-05-01T21:00:00+01:00", "2024-05-02"),  # the day after
        ("2024-05-01T21:00:00+01:00", "2024-04-29"),  # two days before
        ("2024-05-01T22:30:00Z", "2024-04-30"),  # 23:30 on 1 May in London
    ],
)
def test_a_footcare_session_dated_away_from_its_start_is_refused(start, day):
    entry = files.session_entry(start=start, date=day, timezone="Europe/London")
    with pytest.raises(BadFile, match="“date” must be the day of “start”"):
        parse(files.footcare_json(sessions=[entry]))


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"rest_days": [{"date": "2024-05-03", "reason": ["travel"]}]}, "rest-day"),
        ({"rest_days": [{"date": "2024-05-03", "reason": {}}]}, "“an object”"),
        ({"version": [[1]]}, "has version “a list”"),
        (
            {"preferred_times": [{"label": "x", "time": 730, "weekdays": [1]}]},
            "“time” must be HH:MM",
        ),
        (
            {"preferred_times": [{"label": "x", "time": "07:30", "weekdays": [1.0]}]},
            "“weekdays” must list days",
        ),
        ({"techniques": [{"name": "x"}] * 1001}, "more than 1,000 techniques"),
        ({"settings": None}, "Entry settings: expected an object"),
    ],
)
def test_footcare_hostile_parts_are_refused_with_a_message(parts, message):
    with pytest.raises(BadFile, match=message):
        parse(files.footcare_json(**parts))


def test_a_json_number_of_5000_digits_is_refused():
    content = files.footcare_json().replace('"comfort": 4', '"comfort": ' + "9" * 5000)
    with pytest.raises(BadFile, match="a number too long"):
        parse(content)


def test_a_preferred_time_with_an_offset_keeps_its_wall_clock_time():
    times = [{"label": "Morning", "time": "07:30+05:00", "weekdays": [0]}]
    (slot,) = parse(files.footcare_json(preferred_times=times)).footcare[
        "preferred_times"
    ]
    assert slot["time"] == dt.time(7, 30)
    assert slot["time"].tzinfo is None


def test_nul_and_lone_surrogates_are_stripped_from_every_kept_text(tmp_path):
    footcare = parse(
        files.footcare_json(
            techniques=[{"name": "Ball\u0000 roll", "how_to": "Roll\u0000 it"}],
            preferred_times=[{"label": "Eve\u0000", "time": "21:00", "weekdays": [1]}],
            sessions=[
                files.session_entry(notes="a\u0000b\ud800c", techniques=["I\u0000"])
            ],
        )
    ).footcare
    assert footcare["techniques"][0]["name"] == "Ball roll"
    assert footcare["techniques"][0]["how_to"] == "Roll it"
    assert footcare["preferred_times"][0]["label"] == "Eve"
    assert footcare["sessions"][0]["notes"] == "abc"
    assert footcare["sessions"][0]["techniques"] == ["I"]

    beaver = parse(
        '{"habits": [{"name": "Feet\\u0000", "records": '
        '[{"day": "2024-02-01", "done": true, "text": "x\\u0000y"}]}]}'
    )
    assert beaver.habits[0].name == "Feet"
    assert beaver.habits[0].done[dt.date(2024, 2, 1)] == "xy"

    loop = parse(
        "Date,Value,Notes\n" + "2024-01-01,NO,\n" * 400 + "2024-02-01,2,a\x00b\n"
    )
    assert loop.habits[0].done[dt.date(2024, 2, 1)] == "ab"

    rows = [(2, dt.date(2024, 3, 30), 2, "c\x00d")]
    database = parse(files.loop_database(tmp_path / "loop.db", repetitions=rows))
    assert database.habits[1].done[dt.date(2024, 3, 30)] == "cd"


def test_an_error_no_reader_foresaw_is_a_bad_file_and_logged(monkeypatch, caplog):
    def broken(text, limits):
        raise KeyError("a bug")

    monkeypatch.setattr(formats, "_json", broken)
    with pytest.raises(BadFile) as error:
        parse(files.beaver_json())
    assert str(error.value) == formats.UNREADABLE
    assert "An uploaded file broke a reader" in caplog.text


def test_more_than_50000_technique_ticks_are_refused():
    names = [f"Technique {n}" for n in range(50)]
    sessions = [files.session_entry(techniques=names)] * 1001
    with pytest.raises(BadFile, match="tick more than 50,000 techniques"):
        parse(files.footcare_json(sessions=sessions))
