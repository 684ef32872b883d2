"""Realistic demo histories: phases of good habits and slumps, holidays as rest
days, evening and morning sessions, a move across time zones. Deterministic for a
given seed. Used by `seed_demo` and the benchmarks."""

import datetime as dt
import random
import zoneinfo

from django.db import transaction
from django.utils import timezone

from accounts import localtime
from sessions import days
from sessions.models import MassageSession, RestDay, Technique

ROUTINE = ["warm-up", "arch", "toes", "ankle", "heel"]
EXTRAS = ["roller", "ball", "soak", "oil"]
NOTES = [
    "Felt the arch loosen up after a few minutes.",
    "Long day on my feet; the heel press helped.",
    "Quick one before bed.",
    "Warm soak first, lovely.",
    "Right heel a bit sore, went lighter.",
    "Roller in front of the TV.",
]


@transaction.atomic
def build_history(
    user,
    years,
    today,
    seed=2026,
    zones=("Europe/London", "America/New_York"),
    now=None,
):
    """Replace the user's sessions and rest days with `years` of made-up history
    ending today. The user lives in zones[0], then moves to zones[1] for the last
    40% of it (and their profile follows). No session starts after `now` (default:
    the current moment): today's evening session is left out in the morning.
    Returns (sessions, rest days) created."""
    now = now or timezone.now()
    rng = random.Random(seed)
    # Pain, foot and where for the last months, from an RNG of their own, so the
    # rest of the history is the same as before they were recorded.
    body = random.Random(seed + 1)
    recorded_since = today - dt.timedelta(days=120)
    days.lock(user)
    MassageSession.objects.filter(user=user).delete()
    RestDay.objects.filter(user=user).delete()
    techniques = {t.key: t for t in Technique.objects.filter(user=None)}
    first = today - dt.timedelta(days=round(365.25 * years) - 1)
    move = first + (today - first) * 6 // 10
    sessions, links, rests = [], [], []
    chance, phase_left = 0.9, 0
    day = first
    while day <= today:
        if phase_left == 0:
            # Alternate habits: mostly steady, sometimes a slump or a holiday.
            chance, phase_left = rng.choice(
                [(0.95, 40), (0.85, 30), (0.5, 14), (0.0, rng.randint(3, 8))]
            )
            if chance == 0.0:
                for i in range(phase_left):
                    rests.append(
                        RestDay(
                            user=user,
                            date=day + dt.timedelta(days=i),
                            reason=RestDay.Reason.TRAVEL,
                        )
                    )
                day += dt.timedelta(days=phase_left)
                phase_left = 0
                continue
        phase_left -= 1
        tz = zoneinfo.ZoneInfo(zones[0] if day < move else zones[1])
        if rng.random() < chance:
            for _ in range(2 if rng.random() < 0.05 else 1):
                hour = 21 if rng.random() < 0.7 else 7  # mostly evenings
                started_at = localtime.aware(day, dt.time(hour, rng.randint(0, 59)), tz)
                picked = rng.sample(ROUTINE, rng.randint(2, 4)) + rng.sample(
                    EXTRAS, rng.randint(0, 1)
                )
                comfort = 4 + (rng.random() < 0.4) - (rng.random() < 0.2)
                if "heel" in picked and day > today - dt.timedelta(days=60):
                    comfort = rng.choice([2, 2, 3])  # a sore heel lately
                if started_at > now:
                    continue  # not yet: a demo never logs the future
                recorded = {}
                if day >= recorded_since:
                    # A sore left heel that eases over the months, more after
                    # the heel press than without it.
                    sore = 6 - (day - recorded_since).days / 30
                    before = max(0, min(10, round(sore + body.gauss(0, 1))))
                    eased = 2 if "heel" in picked else 1
                    recorded = {
                        "pain_before": before,
                        "pain_after": max(0, before - eased - body.randint(0, 1)),
                        "foot": body.choice(["left", "left", "right", "both"]),
                        "zones": MassageSession.Zone.HEEL
                        | body.choice(
                            [0, MassageSession.Zone.ARCH, MassageSession.Zone.TOES]
                        ),
                    }
                sessions.append(
                    MassageSession.objects.build(
                        user,
                        started_at,
                        tz,
                        duration_minutes=max(3, min(45, round(rng.gauss(11, 4)))),
                        comfort=comfort,
                        pressure=rng.choice(["", "light", "medium", "medium", "firm"]),
                        notes=rng.choice(NOTES) if rng.random() < 0.1 else "",
                        **recorded,
                    )
                )
                links.append([techniques[key] for key in picked])
        elif rng.random() < 0.1:
            rests.append(RestDay(user=user, date=day, reason=RestDay.Reason.SKIN_CARE))
        day += dt.timedelta(days=1)
    created = MassageSession.objects.bulk_create(sessions, batch_size=1000)
    Through = MassageSession.techniques.through
    Through.objects.bulk_create(
        (
            Through(massagesession_id=session.pk, technique_id=technique.pk)
            for session, picked in zip(created, links, strict=True)
            for technique in picked
        ),
        batch_size=2000,
    )
    practice = {session.local_date for session in created}
    RestDay.objects.bulk_create(
        [r for r in rests if r.date not in practice], batch_size=1000
    )
    user.timezone = zones[1]
    user.save(update_fields=["timezone"])
    days.refresh(user)
    return len(created), RestDay.objects.filter(user=user).count()
