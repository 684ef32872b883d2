"""From a parsed file to rows in the logbook: what an import would add (the
preview) and adding it (one transaction). Days already logged or rested here
are skipped, so importing the same file twice adds nothing the second time."""

import os
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import PreferredTime
from sessions import days
from sessions.models import MassageSession, RestDay, Technique

PENDING_MAX_AGE = 60 * 60  # seconds an uploaded file waits for its "Import"


@dataclass
class Plan:
    sessions: list = field(default_factory=list)  # entries for bulk_log
    rest_days: list = field(default_factory=list)  # (date, reason)
    skipped_days: list = field(default_factory=list)  # already here
    settings: dict = field(default_factory=dict)  # applied to a fresh account
    techniques: list = field(default_factory=list)  # own techniques to create
    preferred_times: list = field(default_factory=list)

    @property
    def days(self):
        return sorted(
            {s["local_date"] for s in self.sessions} | {d for d, _ in self.rest_days}
        )

    @property
    def first(self):
        return self.days[0] if self.days else None

    @property
    def last(self):
        return self.days[-1] if self.days else None

    @property
    def settings_text(self):
        words = {
            "timezone": "time zone {}",
            "day_start_hour": "day starts at {}:00",
            "weekly_target": "weekly target {} days",
            "email_reminders": "email reminders {}",
        }
        return ", ".join(
            words[name].format(
                ("on" if value else "off") if isinstance(value, bool) else value
            )
            for name, value in self.settings.items()
        )

    @property
    def is_empty(self):
        return not (
            self.sessions
            or self.rest_days
            or self.settings
            or self.techniques
            or self.preferred_times
        )


def plan(user, parsed, habit=0):
    """What importing `parsed` (its habit number `habit`) would add for `user`."""
    logged = set(
        MassageSession.objects.for_user(user).values_list("local_date", flat=True)
    )
    rested = set(RestDay.objects.for_user(user).values_list("date", flat=True))
    if parsed.footcare is not None:
        return _plan_footcare(user, parsed.footcare, logged, rested)
    chosen = parsed.habits[habit]
    here = logged | rested
    zone = user.tzinfo.key
    return Plan(
        sessions=[
            {"local_date": day, "timezone": zone, "notes": notes[:2000]}
            for day, notes in sorted(chosen.done.items())
            if day not in here
        ],
        rest_days=[(day, "") for day in sorted(chosen.skipped) if day not in here],
        skipped_days=sorted((chosen.done.keys() | chosen.skipped) & here),
    )


def _plan_footcare(user, data, logged, rested):
    result = Plan()
    skipped = set()
    fresh = not logged and not rested  # a new account takes the file's settings
    for session in data["sessions"]:
        day = session["local_date"]
        if day in logged or day in rested:
            skipped.add(day)
        else:
            result.sessions.append(session)
    practised = logged | {s["local_date"] for s in result.sessions}
    for rest in data["rest_days"]:
        day = rest["date"]
        if day in practised or day in rested:
            skipped.add(day)
        else:
            result.rest_days.append((day, rest["reason"]))
            rested = rested | {day}
    result.skipped_days = sorted(skipped)
    known = {
        name.casefold()
        for name in Technique.objects.available_to(user).values_list("name", flat=True)
    }
    wanted = {t["name"].casefold(): dict(t) for t in data["techniques"]}
    for session in result.sessions:
        for name in session["techniques"]:
            wanted.setdefault(
                name.casefold(), {"name": name, "how_to": "", "archived": False}
            )
    result.techniques = [t for key, t in wanted.items() if key not in known]
    if fresh:
        result.settings = {
            name: value
            for name, value in data["settings"].items()
            if getattr(user, name) != value
        }
    if not PreferredTime.objects.for_user(user).exists():
        result.preferred_times = data["preferred_times"]
    return result


def run(user, parsed, habit=0):
    """Import in one transaction; returns the Plan that was carried out."""
    with transaction.atomic():
        # One import per user at a time: a second one waits, then skips all.
        days.lock(user)
        result = plan(user, parsed, habit)
        if result.is_empty:
            return result
        if result.settings:
            for name, value in result.settings.items():
                setattr(user, name, value)
            user.save(update_fields=list(result.settings))
        # Each technique as the file describes it: name, how_to, archived.
        Technique.objects.bulk_create(
            [Technique(user=user, **t) for t in result.techniques]
        )
        if parsed.footcare is not None:
            ids = {
                name.casefold(): pk
                for pk, name in Technique.objects.available_to(user).values_list(
                    "pk", "name"
                )
            }
            for session in result.sessions:
                session["technique_ids"] = sorted(
                    {ids[name.casefold()] for name in session["techniques"]}
                )
        MassageSession.objects.bulk_log(user, result.sessions)
        RestDay.objects.bulk_create(
            [RestDay(user=user, date=day, reason=why) for day, why in result.rest_days]
        )
        PreferredTime.objects.bulk_create(
            [
                PreferredTime(
                    user=user, label=t["label"], time=t["time"], weekdays=t["weekdays"]
                )
                for t in result.preferred_times
            ]
        )
        if "weekly_target" in result.settings:
            days.refresh(user)  # every day's figures follow the target
        elif result.first is not None:
            days.refresh(user, since=result.first)
    return result


# The uploaded file waits on disk between the preview and "Import": the session
# holds only its random name. Parsing again on "Import" is quick and gives the
# same result, so the file itself is what is kept.

_NAME = re.compile(r"^[0-9]+-[0-9a-f]{32}$")


def pending_dir():
    folder = Path(settings.FOOTCARE_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(user, data):
    folder = pending_dir()
    _forget_old(folder)
    name = f"{user.pk}-{secrets.token_hex(16)}"
    path = folder / name
    with open(path, "wb") as file:
        file.write(data)
    return name


def load_upload(user, name, kept_at):
    """The bytes kept by `keep_upload` for `user` at timestamp `kept_at`, or None
    once they are gone or too old."""
    if not name or not _NAME.match(name) or not name.startswith(f"{user.pk}-"):
        return None
    if not isinstance(kept_at, int | float) or (
        timezone.now().timestamp() - kept_at > PENDING_MAX_AGE
    ):
        return None
    try:
        return (pending_dir() / name).read_bytes()
    except FileNotFoundError:
        return None


def drop_upload(name):
    if name and _NAME.match(name):
        (pending_dir() / name).unlink(missing_ok=True)


def _forget_old(folder):
    cutoff = time.time() - PENDING_MAX_AGE
    for entry in os.scandir(folder):
        if _NAME.match(entry.name) and entry.stat().st_mtime < cutoff:
            Path(entry.path).unlink(missing_ok=True)
