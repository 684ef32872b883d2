"""Footcare's own export format ("format": "footcare", "version": 2; described in
the README): writing it as a stream, and checking an uploaded one entry by entry.
Version 2 added pain, foot and where to sessions, and the pauses; version 1
files still import (they have none of them)."""

import datetime as dt
import functools
import json
import zoneinfo

from django.db.models import F
from django.utils import timezone

from accounts import localtime, schedule, timezones, words
from accounts.models import PreferredTime
from sessions.forms import MAX_REST_AHEAD
from sessions.models import (
    PAIN_MAX,
    PAIN_MIN,
    ZONES_BY_NAME,
    MassageSession,
    Pause,
    RestDay,
    Technique,
    zone_names,
)
from transfer.formats import BadFile, check_count, clean_text, shown

FORMAT = "footcare"
VERSION = 2
READS = (1, 2)  # the versions an import reads
# A session's date is its own zone's: up to three dates after the importer's
# day (logged at UTC+14, imported at UTC-12 with a late day-start hour).
ZONES_AHEAD = dt.timedelta(days=3)
CHUNK = 2000
SETTINGS = ("timezone", "day_start_hour", "weekly_target", "email_reminders")


def session_techniques(user):
    """{session id: [technique names]} for all the user's sessions (two queries:
    the names of every technique they can have used, then the links)."""
    names = dict(Technique.objects.available_to(user).values_list("pk", "name"))
    links = {}
    through = MassageSession.techniques.through
    rows = through.objects.filter(massagesession__user=user).values_list(
        "massagesession_id", "technique_id"
    )
    for session_id, technique_id in rows.iterator(chunk_size=CHUNK):
        links.setdefault(session_id, []).append(names[technique_id])
    for techniques in links.values():
        techniques.sort(key=str.casefold)
    return links


def session_entries(user):
    """Each session as an export entry, oldest first (three queries, whatever the
    history): what the JSON export writes and the CSV export lays out in columns."""
    links = session_techniques(user)
    rows = (
        MassageSession.objects.for_user(user)
        .order_by("local_date", F("started_at").asc(nulls_first=True), "pk")
        .rows("pain_before", "pain_after", "foot", "zones")
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        pk, day, started_at, zone, minutes, comfort, pressure, notes = row[:8]
        pain_before, pain_after, foot, zones = row[8:]
        yield {
            "date": day.isoformat(),
            "start": local_start(started_at, zone),
            "timezone": zone,
            "duration_minutes": minutes,
            "comfort": comfort,
            "pressure": pressure,
            "techniques": links.get(pk, []),
            "notes": notes,
            "pain_before": pain_before,
            "pain_after": pain_after,
            "foot": foot,
            "where": zone_names(zones),
        }


def local_start(started_at, zone):
    if started_at is None:
        return None
    return started_at.astimezone(zone_info(zone)).isoformat()


@functools.cache
def zone_info(name):
    return zoneinfo.ZoneInfo(timezones.canonical(name))


def stream_export(user):
    """The account as a Footcare JSON document, in pieces (a fixed number of
    queries, whatever the length of the history)."""
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "account": {"username": user.username, "email": user.email},
        "settings": {name: getattr(user, name) for name in SETTINGS},
        "techniques": [
            {"name": name, "how_to": how_to, "archived": archived}
            for name, how_to, archived in Technique.objects.filter(user=user)
            .order_by(F("name").asc())
            .values_list("name", "how_to", "archived")
        ],
        "preferred_times": [
            {
                "label": label,
                "time": time.strftime("%H:%M"),
                "weekdays": sorted(localtime.days_from_mask(mask)),
            }
            for label, time, mask in PreferredTime.objects.for_user(user)
            .order_by("time", "label")
            .values_list("label", "time", "weekdays")
        ],
        "rest_days": [
            {"date": day.isoformat(), "reason": reason}
            for day, reason in RestDay.objects.for_user(user)
            .order_by("date")
            .values_list("date", "reason")
        ],
        "pauses": [
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "reason": reason,
                "note": note,
            }
            for start, end, reason, note in Pause.objects.for_user(user)
            .order_by("start")
            .values_list("start", "end", "reason", "note")
        ],
    }
    opening = json.dumps(head, ensure_ascii=False, indent=1)
    yield opening[:-2] + ',\n "sessions": ['
    first = True
    for entry in session_entries(user):
        yield ("\n  " if first else ",\n  ") + json.dumps(entry, ensure_ascii=False)
        first = False
    yield "\n ]\n}\n"


# Reading an uploaded export. Every check looks at the type first: a file may
# put a list, an object, a huge number or nothing where text belongs.

PRESSURES = {"", *MassageSession.Pressure.values}
FEET = {"", *MassageSession.Foot.values}
REASONS = {"", *RestDay.Reason.values}
PAUSE_REASONS = set(Pause.Reason.values)
PAUSE_NOTE_LENGTH = Pause._meta.get_field("note").max_length
# Own techniques an export may bring, whether listed or only named by sessions.
MAX_TECHNIQUES = 1_000
# Techniques ticked on the sessions of one file, all counted.
MAX_TECHNIQUE_TICKS = 50_000
NAME_LENGTH = Technique._meta.get_field("name").max_length
LABEL_LENGTH = PreferredTime._meta.get_field("label").max_length
HOW_TO_LENGTH = Technique._meta.get_field("how_to").max_length
NOTES_LENGTH = MassageSession._meta.get_field("notes").max_length
# A session's start, however written, lies between this and a few minutes from
# now (so that every export, in any zone, can write it back).
EARLIEST_START = dt.datetime(1999, 12, 30, tzinfo=dt.UTC)


def validate(document, limits):
    """Check a decoded Footcare export and return it as plain Python values
    (dates as dates, starts as UTC datetimes, text as it can be stored). Raises
    BadFile naming the entry."""
    version = document.get("version")
    if isinstance(version, bool) or version not in READS:
        raise BadFile(
            f"This Footcare export has version “{shown(version)}”; "
            f"this server reads versions {READS[0]} to {READS[-1]}."
        )
    sessions = _list(document, "sessions")
    rest_days = _list(document, "rest_days")
    pauses = _list(document, "pauses")
    techniques = _list(document, "techniques")
    times = _list(document, "preferred_times")
    check_count(len(sessions) + len(rest_days) + len(pauses))
    pauses = [_pause(p, f"pauses[{i}]", limits) for i, p in enumerate(pauses)]
    # Each pause's days count as entries: they become rows of days.
    check_count(
        len(sessions)
        + len(rest_days)
        + sum((p["end"] - p["start"]).days for p in pauses)
    )
    if len(techniques) > MAX_TECHNIQUES:
        raise BadFile(
            f"This export lists more than {MAX_TECHNIQUES:,} techniques; Footcare "
            "imports at most that many."
        )
    result = {
        "settings": _settings(document.get("settings", {})),
        "techniques": [
            _technique(t, f"techniques[{i}]") for i, t in enumerate(techniques)
        ],
        "preferred_times": [
            _preferred_time(t, f"preferred_times[{i}]") for i, t in enumerate(times)
        ][: schedule.MAX_SLOTS],
        "rest_days": [
            _rest_day(r, f"rest_days[{i}]", limits) for i, r in enumerate(rest_days)
        ],
        "sessions": [
            _session(s, f"sessions[{i}]", limits) for i, s in enumerate(sessions)
        ],
        "pauses": pauses,
    }
    ticks = sum(len(session["techniques"]) for session in result["sessions"])
    if ticks > MAX_TECHNIQUE_TICKS:
        raise BadFile(
            f"The sessions in this export tick more than {MAX_TECHNIQUE_TICKS:,} "
            "techniques in all; Footcare imports at most that many."
        )
    names = {Technique.fold(t["name"]) for t in result["techniques"]}
    for session in result["sessions"]:
        names.update(map(Technique.fold, session["techniques"]))
    if len(names) > MAX_TECHNIQUES:
        raise BadFile(
            f"This export names more than {MAX_TECHNIQUES:,} techniques; Footcare "
            "imports at most that many."
        )
    return result


def _list(document, key):
    value = document.get(key, [])
    if not isinstance(value, list):
        raise BadFile(f"Entry “{key}”: expected a list.")
    return value


def _object(value, where):
    if not isinstance(value, dict):
        raise BadFile(f"Entry {where}: expected an object.")
    return value


def _text(value, where, field, max_length, required=False):
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadFile(f"Entry {where}: “{field}” must be text.")
    value = clean_text(value)
    if len(value) > max_length:
        raise BadFile(
            f"Entry {where}: “{field}” is longer than {max_length} characters."
        )
    if required and not value.strip():
        raise BadFile(f"Entry {where}: “{field}” is missing.")
    return value


def _name(value, where, field):
    """A technique's name as the techniques page would keep it: as it shows."""
    name = words.shown_text(_text(value, where, field, NAME_LENGTH))
    if not name:
        raise BadFile(f"Entry {where}: “{field}” is missing.")
    return name


def _choice(value, choices, where, what):
    value = "" if value is None else value
    if not isinstance(value, str) or value not in choices:
        raise BadFile(f"Entry {where}: “{shown(value, 20)}” is not {what}.")
    return value


def _whole(value, where, field, low, high, optional=False):
    if value is None and optional:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not low <= value <= high
    ):
        raise BadFile(
            f"Entry {where}: “{field}” must be a whole number from {low} to {high}"
            + (" or null." if optional else ".")
        )
    return value


def _zone(value, where):
    if not isinstance(value, str) or len(value) > 64 or not timezones.is_valid(value):
        raise BadFile(f"Entry {where}: “{shown(value, 64)}” is not a known time zone.")
    return timezones.canonical(value)


def _settings(raw):
    raw = _object(raw, "settings")
    settings = {}
    if "timezone" in raw:
        settings["timezone"] = _zone(raw["timezone"], "settings")
    for name, low, high in (("day_start_hour", 0, 23), ("weekly_target", 1, 7)):
        if name in raw:
            settings[name] = _whole(raw[name], "settings", name, low, high)
    if "email_reminders" in raw:
        if not isinstance(raw["email_reminders"], bool):
            raise BadFile("Entry settings: “email_reminders” must be true or false.")
        settings["email_reminders"] = raw["email_reminders"]
    return settings


def _technique(raw, where):
    raw = _object(raw, where)
    archived = raw.get("archived", False)
    if not isinstance(archived, bool):
        raise BadFile(f"Entry {where}: “archived” must be true or false.")
    return {
        "name": _name(raw.get("name"), where, "name"),
        "how_to": _text(raw.get("how_to"), where, "how_to", HOW_TO_LENGTH),
        "archived": archived,
    }


def _preferred_time(raw, where):
    raw = _object(raw, where)
    try:
        time = dt.time.fromisoformat(raw.get("time"))
    except (TypeError, ValueError):
        raise BadFile(f"Entry {where}: “time” must be HH:MM.") from None
    days = raw.get("weekdays")
    if (
        not isinstance(days, list)
        or not days
        or any(
            isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6
            for d in days
        )
    ):
        raise BadFile(f"Entry {where}: “weekdays” must list days 0 (Monday) to 6.")
    return {
        "label": _text(raw.get("label"), where, "label", LABEL_LENGTH, True),
        # A wall-clock time in the user's own zone, whatever offset a file
        # gives it ("07:30+05:00" is 07:30).
        "time": time.replace(second=0, microsecond=0, tzinfo=None),
        "weekdays": localtime.mask_from_days(days),
    }


def _rest_day(raw, where, limits):
    raw = _object(raw, where)
    return {
        "date": limits.day(raw.get("date"), f"Entry {where}", ahead=MAX_REST_AHEAD),
        "reason": _choice(raw.get("reason"), REASONS, where, "a rest-day reason"),
    }


def _pause(raw, where, limits):
    raw = _object(raw, where)
    start = limits.day(raw.get("start"), f"Entry {where}", ahead=MAX_REST_AHEAD)
    end = limits.day(raw.get("end"), f"Entry {where}", ahead=MAX_REST_AHEAD)
    if end < start:
        raise BadFile(f"Entry {where}: “end” is before “start”.")
    if (end - start).days + 1 > Pause.MAX_DAYS:
        raise BadFile(f"Entry {where}: a pause lasts at most {Pause.MAX_DAYS} days.")
    reason = raw.get("reason")
    return {
        "start": start,
        "end": end,
        "reason": _choice(
            "other" if reason is None else reason,
            PAUSE_REASONS,
            where,
            "a pause reason",
        ),
        "note": _text(raw.get("note"), where, "note", PAUSE_NOTE_LENGTH),
    }


def _start(raw, where):
    """An ISO 8601 start with its offset, as an aware UTC datetime, or None."""
    if raw is None:
        return None
    try:
        start = dt.datetime.fromisoformat(raw)
        if start.tzinfo is None:
            raise ValueError
        started_at = start.astimezone(dt.UTC)
    except (TypeError, ValueError, OverflowError):
        raise BadFile(
            f"Entry {where}: “start” must be a date and time with its UTC offset "
            "(ISO 8601), or null."
        ) from None
    if started_at > timezone.now() + dt.timedelta(minutes=5):
        raise BadFile(f"Entry {where}: the session starts in the future.")
    if started_at < EARLIEST_START:
        raise BadFile(f"Entry {where}: the session starts before 2000.")
    return started_at


def _session(raw, where, limits):
    raw = _object(raw, where)
    techniques = raw.get("techniques", [])
    if not isinstance(techniques, list) or len(techniques) > 50:
        raise BadFile(f"Entry {where}: “techniques” must be a list of names.")
    session = {
        # _check_day holds it to its start, or to its zone's today.
        "local_date": limits.day(raw.get("date"), f"Entry {where}", ahead=ZONES_AHEAD),
        "started_at": _start(raw.get("start"), where),
        "timezone": _zone(raw.get("timezone"), where),
        "duration_minutes": _whole(
            raw.get("duration_minutes"), where, "duration_minutes", 1, 180, True
        ),
        "comfort": _whole(raw.get("comfort"), where, "comfort", 1, 5, True),
        "pressure": _choice(raw.get("pressure"), PRESSURES, where, "a pressure"),
        "notes": _text(raw.get("notes"), where, "notes", NOTES_LENGTH),
        "techniques": [_name(name, where, "techniques") for name in techniques],
        "pain_before": _whole(
            raw.get("pain_before"), where, "pain_before", PAIN_MIN, PAIN_MAX, True
        ),
        "pain_after": _whole(
            raw.get("pain_after"), where, "pain_after", PAIN_MIN, PAIN_MAX, True
        ),
        "foot": _choice(raw.get("foot"), FEET, where, "a foot"),
        "zones": _zones(raw.get("where"), where),
    }
    _check_day(session, where)
    return session


def _check_day(session, where):
    """A session counts for its start's practice day in its zone, with the
    user's day starting at any hour from midnight to 23:00: what Footcare
    writes. Another date would count it on a day it did not happen, and show
    it under one date and edit it under another. A session without a start
    has a date that has begun in its zone."""
    started_at = session["started_at"]
    zone = zoneinfo.ZoneInfo(session["timezone"])
    if started_at is None:
        if session["local_date"] > timezone.now().astimezone(zone).date():
            raise BadFile(
                f"Entry {where}: {session['local_date'].isoformat()} is in the future."
            )
        return
    latest = localtime.practice_day(started_at, 0, zone)
    earliest = localtime.practice_day(started_at, 23, zone)
    if not earliest <= session["local_date"] <= latest:
        raise BadFile(
            f"Entry {where}: “date” must be the day of “start” in its time zone "
            "(or the day before, when your day starts after midnight)."
        )


def _zones(value, where):
    """Zone names (heel, arch, ball, toes, ankle) as the bits the session keeps."""
    value = [] if value is None else value
    if not isinstance(value, list) or not all(
        isinstance(name, str) and name in ZONES_BY_NAME for name in value
    ):
        raise BadFile(
            f"Entry {where}: “where” must list zones: {', '.join(ZONES_BY_NAME)}."
        )
    mask = 0
    for name in value:
        mask |= ZONES_BY_NAME[name]
    return mask
