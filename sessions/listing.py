"""Sessions as the rows of a list: the sessions list and the dashboard's
recent sessions."""

import zoneinfo
from collections import defaultdict

from django.urls import reverse

from accounts import words
from sessions.models import MassageSession

PRESSURES = dict(MassageSession.Pressure.choices)


def session_rows(values, user_zone):
    """Sessions as finished text for templates/sessions/session_row.html, from
    ``MassageSessionQuerySet.rows()`` values (one query for the techniques).

    Plain values rather than model instances and template filters: the list is
    the page people page through, and this keeps it a few milliseconds at any
    length of history."""
    values = list(values)
    techniques = defaultdict(list)
    for session_id, technique_id, name in (
        MassageSession.techniques.through.objects.filter(
            massagesession_id__in=[row[0] for row in values]
        )
        .order_by("technique__position", "technique__name")
        .values_list("massagesession_id", "technique_id", "technique__name")
    ):
        techniques[session_id].append((technique_id, name))
    shown = []
    for pk, day, started_at, zone, minutes, comfort, pressure, notes in values:
        shown.append(
            {
                "edit": reverse("sessions:edit", args=[pk]),
                "delete": reverse("sessions:delete", args=[pk]),
                "iso": day.isoformat(),
                "day": words.day_name(day),
                "long_day": words.long_date(day),
                # Days imported from apps that keep only the day have no time,
                # duration or comfort: "not recorded".
                "time": (
                    f"{started_at.astimezone(zoneinfo.ZoneInfo(zone)):%H:%M}"
                    if started_at
                    else "time not recorded"
                ),
                "zone": zone if zone != user_zone else "",
                "minutes": f"{minutes} min" if minutes else "duration not recorded",
                "comfort": (
                    f"comfort {comfort}/5" if comfort else "comfort not recorded"
                ),
                "pressure": PRESSURES.get(pressure, "").lower(),
                "techniques": ", ".join(name for _, name in techniques[pk]),
                "technique_ids": [technique_id for technique_id, _ in techniques[pk]],
                "note": notes.strip().split("\n", 1)[0].strip() if notes else "",
            }
        )
    return shown
