"""Awkward and hostile uploads: real exports with an odd habit in them, files
that would cost far more than their size to read, and text that needs a clear
message. Each case states what a user expects."""

import datetime as dt
import io
import os
import re
import subprocess
import sys
import textwrap
import zipfile

import pytest

from sessions.models import MassageSession, RestDay
from tests.transfer.files import LOOP_HABIT_CSV, loop_zip
from tests.transfer.pages import preview_text, send
from transfer import formats

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_day")]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def page_text(response):
    html = response.content.decode()
    return html.replace("&quot;", '"').replace("&#x27;", "'")


def errors(response):
    found = re.search(r'id="form-errors"[^>]*>(.*?)</div>', page_text(response), re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip() if found else ""


# A real Loop "Export as CSV" zip of someone who also has a measurable habit
# (Loop writes its amounts, e.g. 5000, in that habit's folder): the yes/no
# habits are imported and the measurable one is left out, as the README says.


def test_loop_zip_with_a_measurable_habit_imports_the_yes_no_habits(alice_client):
    content = loop_zip(
        {
            "Steps": "Date,Value,Notes\n2024-04-02,5000,\n2024-04-01,NO,\n",
            "Foot massage": LOOP_HABIT_CSV,
        }
    )
    response = send(alice_client, content, "Loop Habits CSV 2025-01-15.zip")
    assert response.status_code == 302, errors(response)
    html = preview_text(alice_client)
    assert "Foot massage" in html
    assert "Steps" in html  # listed as "Not importable (measurable habits)"


# Loop's root Checkmarks.csv (a column per habit) is held to the entry limit
# by its cells, not its lines: 1,000 habit columns over 10,000 days fit in the
# 20 MB a file may have.


def wide_checkmarks(habits=1000):
    header = "Date," + ",".join(f"Habit {i}" for i in range(habits)) + ",\n"
    tail = ",2" * habits + ",\n"  # Loop 1.x numbers: 2 is done
    lines, size, day = [header], len(header), 0
    first = dt.date(2000, 1, 1)
    while True:
        line = (first + dt.timedelta(days=day % 9000)).isoformat() + tail
        if size + len(line) > formats.MAX_BYTES:
            break
        lines.append(line)
        size += len(line)
        day += 1
    return "".join(lines).encode()


def test_root_checkmarks_with_many_columns_is_held_to_the_entry_limit(alice_client):
    response = send(alice_client, wide_checkmarks(), "Checkmarks.csv")
    assert response.status_code == 200
    assert "50,000 entries" in errors(response)
    assert not MassageSession.objects.exists()


def test_root_checkmarks_of_many_empty_days_is_held_to_the_cell_limit(alice_client):
    """Every cell is read, even a day with nothing done: a bound on them too."""
    header = "Date," + ",".join(f"Habit {i}" for i in range(1000)) + ",\n"
    row = ",0" * 1000 + ",\n"
    first = dt.date(2020, 1, 1)
    days = (first + dt.timedelta(days=n) for n in range(1500))
    content = header + "".join(day.isoformat() + row for day in days)
    response = send(alice_client, content.encode(), "Checkmarks.csv")
    assert response.status_code == 200
    assert "1,000,000 days × habits" in errors(response)


# A file within the 20 MB limit is refused before it costs many times its size
# in memory: one very long CSV line, a JSON list of empty objects. Each is read
# in its own process, measured by its peak resident size.

PEAK = textwrap.dedent(
    """
    import datetime as dt, os, resource, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "footcare.settings_test")
    import django; django.setup()
    from transfer import formats
    M = formats.MAX_BYTES
    kind = sys.argv[1]
    if kind == "csv-line":
        data = b"Date" + b",ab" * ((M - 10) // 3) + b"\\n"
    else:
        data = b'{"habits": [' + b"{}," * ((M - 20) // 3) + b"{}]}"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        formats.parse_bytes(data, dt.date(2025, 1, 15))
    except formats.BadFile as error:
        print("refused:", error, file=sys.stderr)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print((after - before) // 1024)
    """
)


@pytest.mark.parametrize("kind", ["csv-line", "json-empty-objects"])
def test_a_20_mb_upload_does_not_take_hundreds_of_mb(kind):
    done = subprocess.run(
        [sys.executable, "-c", PEAK, kind],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": ROOT},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    grew = int(done.stdout.strip().splitlines()[-1])
    assert grew < 200, f"reading one 20 MB {kind} file grew the process by {grew} MB"


# Messages that say what is wrong.


def test_a_checkmarks_csv_saved_as_latin1_says_it_is_not_utf8(alice_client):
    # A Loop file opened and saved again in Excel (Windows-1252): an "é" in a note.
    content = "Date,Value,Notes\n2024-03-31,YES_MANUAL,Caf\xe9 then feet\n".encode(
        "cp1252"
    )
    response = send(alice_client, content, "Checkmarks.csv")
    assert response.status_code == 200
    assert "UTF-8" in errors(response), errors(response)


def test_a_utf16_checkmarks_csv_says_it_is_not_utf8(alice_client):
    content = LOOP_HABIT_CSV.encode("utf-16")  # Excel's "Unicode text"
    response = send(alice_client, content, "Checkmarks.csv")
    assert response.status_code == 200
    assert "UTF-8" in errors(response), errors(response)


def test_a_habit_csv_with_an_extra_column_is_not_read_as_a_habit_per_column(
    alice_client,
):
    """Read as Loop's root file it would import a habit "Value" without its
    notes: it is refused, naming the columns expected."""
    content = "Date,Value,Notes,Mood\n2024-03-31,YES_MANUAL,Sore heel,ok\n"
    response = send(alice_client, content, "Checkmarks.csv")
    assert response.status_code == 200
    assert "expected the columns Date,Value,Notes, found 4 columns" in errors(response)


def test_blank_lines_are_not_counted_as_entries(alice_client):
    # Three entries and a long run of empty lines (a spreadsheet's padding).
    content = LOOP_HABIT_CSV + "\n" * 60_000
    response = send(alice_client, content, "Checkmarks.csv")
    assert response.status_code == 302, errors(response)


def test_a_byte_order_mark_and_blank_lines_are_an_empty_file(alice_client):
    response = send(alice_client, b"\xef\xbb\xbf\r\n\r\n", "Checkmarks.csv")
    assert errors(response).startswith("The file is empty."), errors(response)


def test_nothing_was_imported_is_said_once(alice_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Checkmarks.csv", "Date,Value,Notes\n" + "0" * 5_000_000)
    response = send(alice_client, buffer.getvalue(), "loop.zip")
    message = errors(response)
    assert "zip bomb" in message
    assert message.lower().count("nothing was imported") == 1, message


def test_football_is_not_preselected_over_foot_massage(alice_client):
    content = (
        "Date,Football training,Play console,Foot massage,\n"
        "2024-03-31,YES_MANUAL,YES_MANUAL,YES_MANUAL,\n"
    )
    send(alice_client, content, "Checkmarks.csv")
    html = preview_text(alice_client)
    selected = re.search(r'<option value="\d+" selected>([^<]*)<', html).group(1)
    assert selected == "Foot massage", f"preselected “{selected}”"
    assert MassageSession.objects.count() == 0
    assert RestDay.objects.count() == 0
