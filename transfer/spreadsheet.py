"""The sessions as CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel
reads the accents), one row per session, and no cell that a spreadsheet would
run as a formula."""

import csv

from transfer.footcare import (
    local_start,
    session_techniques,
    sessions_oldest_first,
    technique_names,
)

HEADER = (
    "date",
    "start",
    "time_zone",
    "duration_minutes",
    "techniques",
    "comfort",
    "pressure",
    "notes",
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
    links = session_techniques(user, technique_names(user))
    for (
        pk,
        day,
        started_at,
        zone,
        minutes,
        comfort,
        pressure,
        notes,
    ) in sessions_oldest_first(user):
        row = (
            day.isoformat(),
            local_start(started_at, zone) or "",
            zone,
            "" if minutes is None else minutes,
            "; ".join(links.get(pk, [])),
            "" if comfort is None else comfort,
            pressure,
            notes,
        )
        yield writer.writerow([neutralise(cell) for cell in row])
