"""Sessions as the rows of a list: the sessions list and the dashboard's
recent sessions."""

import zoneinfo
from collections import defaultdict

from django.urls import reverse

from accounts import words
from sessions.models import MassageSession, zones_from_mask

PRESSURES = dict(MassageSession.Pressure.choices)
FEET = {"both": "both feet", "left": "left foot", "right": "right foot"}
# What the rows read beyond MassageSessionQuerySet.rows()'s own fields.
RECORDED = ("pain_before", "pain_after", "foot", "zones")


def pain_words(before, after):
    """ "pain 6 → 3", or the one that was recorded; "" for neither."""
    if before is not None and after is not None:
        return f"pain {before} → {after}"
    if before is not None:
        return f"pain before {before}"
    if after is not None:
        return f"pain after {after}"
    return ""


def session_rows(values, user_zone):
    """Sessions as finished text for templates/sessions/session_row.html, from
    ``MassageSessionQuerySet.rows(*RECORDED)`` values (one query for the
    techniques).

    Plain values rather than model instances and template filters: the list is
    the page people page through (bench/load.py --pages times it)."""
    values = list(values)
    techniques = defaultdict(list)
    for session_id, technique_id, name, archived in (
        MassageSession.techniques.through.objects.filter(
            massagesession_id__in=[row[0] for row in values]
        )
        .order_by("technique__position", "technique__name")
        .values_list(
            "massagesession_id",
            "technique_id",
            "technique__name",
            "technique__archived",
        )
    ):
        techniques[session_id].append((technique_id, name, archived))
    shown = []
    for row in values:
        pk, day, started_at, zone, minutes, comfort, pressure, notes = row[:8]
        pain_before, pain_after, foot, zones = row[8:]
        # Days imported from apps that keep only the day have no time, duration
        # or comfort: those parts are left out rather than listed as missing.
        facts = [
            f"{started_at.astimezone(zoneinfo.ZoneInfo(zone)):%H:%M}"
            if started_at
            else "",
            f"{minutes} min" if minutes else "",
            f"comfort {comfort}/5" if comfort else "",
            PRESSURES.get(pressure, "").lower(),
            pain_words(pain_before, pain_after),
            FEET.get(foot, ""),
            ", ".join(zone.label.lower() for zone in zones_from_mask(zones)),
        ]
        long_day = words.long_date(day)
        shown.append(
            {
                "edit": reverse("sessions:edit", args=[pk]),
                "delete": reverse("sessions:delete", args=[pk]),
                "iso": day.isoformat(),
                "day": words.day_name(day),
                # Which session a link is for, to a screen reader: the day, and
                # the time when two share a day.
                "long_day": f"{long_day} at {facts[0]}" if started_at else long_day,
                "facts": [fact for fact in facts if fact],
                # The zone follows the time, only when it differs from the user's.
                "zone": zone if started_at and zone != user_zone else "",
                "minutes": minutes,
                "techniques": ", ".join(name for _, name, _ in techniques[pk]),
                # What "Done as usual" copies: the techniques still offered.
                "offered": ", ".join(
                    name for _, name, archived in techniques[pk] if not archived
                ),
                "offered_ids": [
                    technique_id
                    for technique_id, _, archived in techniques[pk]
                    if not archived
                ],
                "note": notes.strip().split("\n", 1)[0].strip() if notes else "",
            }
        )
    return shown


def pager(page, query):
    """The links of a pager for a Django `page`, newest first: Newer, the first
    page, the current one, the last, and Older, with gaps between ("1 … 5 … 30").
    Few enough to fit a 360 px phone at 44 px each; `query` keeps the filters."""
    if not page.has_other_pages():
        return None
    prefix = f"?{query}&page=" if query else "?page="
    numbers = page.paginator.get_elided_page_range(
        page.number, on_each_side=0, on_ends=1
    )
    return {
        "newer": prefix + str(page.previous_page_number())
        if page.has_previous()
        else "",
        "older": prefix + str(page.next_page_number()) if page.has_next() else "",
        "pages": [
            {"gap": True}
            if number == page.paginator.ELLIPSIS
            else {
                "number": number,
                "url": prefix + str(number),
                "current": number == page.number,
            }
            for number in numbers
        ],
    }
