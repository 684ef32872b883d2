"""From a parsed file to rows in the logbook: what an import would add (the
preview) and adding it (one transaction). Days already logged or rested here
are skipped, so importing the same file twice adds nothing the second time.

`plan` does every slow part (it reads the account once and works the rest out
in Python) before `write` opens its transaction, which only checks that the
account is still as the plan saw it and inserts the rows in bulk: on SQLite the
transaction holds the write lock, and every other user's write waits for it."""

import datetime as dt
import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import PreferredTime, User
from sessions import days
from sessions.models import MassageSession, Pause, RestDay, Technique
from transfer.footcare import NOTES_LENGTH, SETTINGS

PENDING_MAX_AGE = 60 * 60  # seconds an uploaded file waits for its "Import"


class Outdated(Exception):
    """The account changed after the plan was made; nothing was written."""


@dataclass(frozen=True)
class Basis:
    """What a plan depends on besides the file: the account as it was read."""

    logged: frozenset  # days with a session
    rested: frozenset  # rest days
    paused: frozenset  # (start, end) of every pause
    techniques: tuple  # (folded name, id) of every technique the user can tick
    has_times: bool  # any preferred time
    settings: tuple  # the values of footcare.SETTINGS


def _basis(user):
    return Basis(
        logged=frozenset(
            MassageSession.objects.for_user(user).values_list("local_date", flat=True)
        ),
        rested=frozenset(RestDay.objects.for_user(user).values_list("date", flat=True)),
        paused=frozenset(Pause.objects.for_user(user).values_list("start", "end")),
        techniques=tuple(
            sorted(
                Technique.objects.available_to(user).values_list("folded_name", "pk")
            )
        ),
        has_times=PreferredTime.objects.for_user(user).exists(),
        settings=User.objects.filter(pk=user.pk).values_list(*SETTINGS).get(),
    )


@dataclass
class Plan:
    habit: int = 0  # the habit of the file it is for
    sessions: list = field(default_factory=list)  # entries for bulk_log
    rest_days: list = field(default_factory=list)  # (date, reason)
    pauses: list = field(default_factory=list)  # {start, end, reason, note}
    skipped_pauses: int = 0  # over a practised day or another pause
    skipped_days: list = field(default_factory=list)  # already here
    settings: dict = field(default_factory=dict)  # applied to a fresh account
    techniques: list = field(default_factory=list)  # own techniques to create
    preferred_times: list = field(default_factory=list)
    basis: Basis | None = None  # the account as the plan saw it

    @property
    def days(self):
        return sorted(
            {s["local_date"] for s in self.sessions}
            | {d for d, _ in self.rest_days}
            | {p["start"] for p in self.pauses}
            | {p["end"] for p in self.pauses}
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
            or self.pauses
            or self.settings
            or self.techniques
            or self.preferred_times
        )

    @property
    def technique_keys(self):
        """Each set of techniques some session ticks (as folded names)."""
        return {s.get("technique_keys", ()) for s in self.sessions}

    @cached_property
    def digest(self):
        """A fingerprint of what this plan adds and skips: the preview's form
        carries it, so that "Import" writes exactly what the page showed (the
        file itself is named by its upload)."""
        parts = (
            str(self.habit),
            ",".join(str(s["local_date"]) for s in self.sessions),
            ",".join(f"{day}{reason}" for day, reason in self.rest_days),
            ",".join(map(str, self.skipped_days)),
            ",".join(f"{p['start']}{p['end']}{p['reason']}" for p in self.pauses),
            repr(sorted(self.settings.items())),
            "\n".join(t["name"] for t in self.techniques),
            str(len(self.preferred_times)),
        )
        return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()[:32]


def plan(user, parsed, habit=0):
    """What importing `parsed` (its habit number `habit`) would add for `user`,
    against the account as it is now. Nothing is written."""
    basis = _basis(user)
    if parsed.footcare is not None:
        result = _plan_footcare(parsed.footcare, basis)
    else:
        result = _plan_habit(parsed.habits[habit], basis)
    result.habit = habit
    result.basis = basis
    return result


def _plan_habit(chosen, basis):
    here = basis.logged | basis.rested
    zone = dict(zip(SETTINGS, basis.settings, strict=True))["timezone"]
    return Plan(
        sessions=[
            {"local_date": day, "timezone": zone, "notes": notes[:NOTES_LENGTH]}
            for day, notes in sorted(chosen.done.items())
            if day not in here
        ],
        rest_days=[(day, "") for day in sorted(chosen.skipped) if day not in here],
        skipped_days=sorted((chosen.done.keys() | chosen.skipped) & here),
    )


def _plan_footcare(data, basis):
    result = Plan()
    logged, rested = basis.logged, basis.rested
    skipped = set()
    for session in data["sessions"]:
        day = session["local_date"]
        if day in logged or day in rested:
            skipped.add(day)
        else:
            keys = tuple(sorted({Technique.fold(n) for n in session["techniques"]}))
            result.sessions.append({**session, "technique_keys": keys})
    # A rest day the file's own session falls on comes back with it: logging
    # on a rest day keeps the rest day, and that is how it was exported.
    for rest in data["rest_days"]:
        day = rest["date"]
        if day in logged or day in rested:
            skipped.add(day)
        else:
            result.rest_days.append((day, rest["reason"]))
            rested = rested | {day}
    result.skipped_days = sorted(skipped)
    # A pause is never made over a day already practised nor over another pause
    # (Pause.problem): one that would is left out and counted. The file's own
    # sessions may fall inside its pauses, as sessions logged during a pause
    # do: that is how it was exported.
    blocked = set(logged)
    for start, end in basis.paused:
        blocked.update(_span(start, end))
    for pause in sorted(data["pauses"], key=lambda p: p["start"]):
        span = _span(pause["start"], pause["end"])
        if blocked.isdisjoint(span):
            result.pauses.append(pause)
            blocked.update(span)
        else:
            result.skipped_pauses += 1
    known = {key for key, _ in basis.techniques}
    wanted = {}
    for technique in data["techniques"]:
        wanted.setdefault(Technique.fold(technique["name"]), technique)
    for session in result.sessions:
        for name in session["techniques"]:
            blank = {"name": name, "how_to": "", "archived": False}
            wanted.setdefault(Technique.fold(name), blank)
    result.techniques = [t for key, t in wanted.items() if key not in known]
    if not logged and not basis.rested and not basis.paused:
        # A new account takes the file's settings.
        current = dict(zip(SETTINGS, basis.settings, strict=True))
        result.settings = {
            name: value
            for name, value in data["settings"].items()
            if current[name] != value
        }
    if not basis.has_times:
        result.preferred_times = data["preferred_times"]
    return result


def _span(start, end):
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def write(user, plan):
    """Carry out `plan` in one transaction and return it; or raise Outdated,
    writing nothing, when the account is no longer as the plan saw it (another
    tab logged a day of the file, another import ran, ...)."""
    techniques = [
        Technique(user=user, folded_name=Technique.fold(t["name"]), **t)
        for t in plan.techniques
    ]
    rest_days = [
        RestDay(user=user, date=day, reason=reason) for day, reason in plan.rest_days
    ]
    pauses = [Pause(user=user, **pause) for pause in plan.pauses]
    times = [
        PreferredTime(
            user=user, label=t["label"], time=t["time"], weekdays=t["weekdays"]
        )
        for t in plan.preferred_times
    ]
    sessions = MassageSession.objects.bulk_rows(user, plan.sessions)
    with transaction.atomic():
        # One import per user at a time: a second one waits, then finds the
        # account changed. (An account deleted meanwhile: days.AccountGone.)
        days.lock(user)
        if _basis(user) != plan.basis:
            raise Outdated
        if plan.settings:
            User.objects.filter(pk=user.pk).update(**plan.settings)
        Technique.objects.bulk_create(techniques)
        ids = dict(plan.basis.techniques) | {t.folded_name: t.pk for t in techniques}
        chosen = {keys: [ids[key] for key in keys] for keys in plan.technique_keys}
        for session in plan.sessions:
            session["technique_ids"] = chosen[session.get("technique_keys", ())]
        MassageSession.objects.bulk_log(user, sessions)
        RestDay.objects.bulk_create(rest_days)
        Pause.objects.bulk_create(pauses)
        PreferredTime.objects.bulk_create(times)
        if "weekly_target" in plan.settings:
            days.refresh(user)  # every day's figures follow the target
        elif plan.first is not None:
            days.refresh(user, since=plan.first)
    return plan


def run(user, parsed, habit=0):
    """Plan and write at once (the benchmark and tests; the pages plan first,
    show the plan, and write it on "Import")."""
    return write(user, plan(user, parsed, habit))


# The uploaded file waits on disk between the preview and "Import": the session
# holds only its random name. Parsing again on "Import" is quick and gives the
# same result, so the file itself is what is kept.

_NAME = re.compile(r"^[0-9]+-[0-9a-f]{32}$")


def pending_dir():
    folder = Path(settings.FOOTCARE_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(user, data):
    """Keep `data` until "Import" is pressed: one waiting upload per account
    (a newer one, from any browser, replaces it), so that signing in many
    times cannot pile files up."""
    folder = pending_dir()
    _forget_old(folder, user)
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


def _forget_old(folder, user):
    """Remove the uploads that waited too long, and `user`'s own."""
    cutoff = time.time() - PENDING_MAX_AGE
    for entry in os.scandir(folder):
        if not _NAME.match(entry.name):
            continue
        if entry.name.startswith(f"{user.pk}-") or entry.stat().st_mtime < cutoff:
            Path(entry.path).unlink(missing_ok=True)
