"""The sessions, and the pauses, as CSV for spreadsheets: UTF-8 with a
byte-order mark (so Excel reads the accents), one row per session or pause, and
no cell that a spreadsheet would run as a formula."""

import csv

from sessions.models import Pause
from transfer.footcare import session_entries

HEADER = (
    "date",
    "start",
    "time_zone",
    "duration_minutes",
    "techniques",
    "comfort",
    "pressure",
    "notes",
    "pain_before",
    "pain_after",
    "foot",
    "where",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet would take for a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def stream_rows(user):
    """The CSV, a line at a time (three queries, whatever the history)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for entry in session_entries(user):
        row = (
            entry["date"],
            entry["start"] or "",
            entry["timezone"],
            "" if entry["duration_minutes"] is None else entry["duration_minutes"],
            "; ".join(entry["techniques"]),
            "" if entry["comfort"] is None else entry["comfort"],
            entry["pressure"],
            entry["notes"],
            "" if entry["pain_before"] is None else entry["pain_before"],
            "" if entry["pain_after"] is None else entry["pain_after"],
            entry["foot"],
            "; ".join(entry["where"]),
        )
        yield writer.writerow([neutralise(cell) for cell in row])


PAUSE_HEADER = ("start", "end", "reason", "note")


def stream_pauses(user):
    """The pauses as CSV, oldest first (one query)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(PAUSE_HEADER)
    for row in (
        Pause.objects.for_user(user)
        .order_by("start")
        .values_list("start", "end", "reason", "note")
    ):
        start, end, reason, note = row
        cells = (start.isoformat(), end.isoformat(), reason, note)
        yield writer.writerow([neutralise(cell) for cell in cells])
