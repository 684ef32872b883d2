"""Views that answer without a login: the private calendar feed, and the
unsubscribe link in reminder emails. Each is opened by a secret in its URL."""

import datetime as dt
import statistics

import icalendar
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from accounts import words
from accounts.models import CalendarFeed, PreferredTime
from sessions.forms import DEFAULT_MINUTES
from sessions.models import MassageSession
from streaks import reminder_messages

TYPICAL_OF_LAST = 30
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class _AtStart(icalendar.vDuration):
    # icalendar writes a zero duration as "P0D"; calendar apps know "PT0M" best.
    def to_ical(self):
        return b"PT0M"


def typical_minutes(user):
    """The median length of the user's last 30 sessions, 10 without any."""
    durations = list(
        MassageSession.objects.for_user(user)
        .exclude(duration_minutes__isnull=True)
        .newest_first()
        .values_list("duration_minutes", flat=True)[:TYPICAL_OF_LAST]
    )
    if not durations:
        return DEFAULT_MINUTES
    return int(statistics.median(durations) + 0.5)  # half a minute rounds up


def first_day(slot, tz):
    """DTSTART's date: the first listed weekday on or after the slot was made, so
    DTSTART is itself an occurrence (RFC 5545 leaves anything else undefined)."""
    day = slot.created_at.astimezone(tz).date()
    days = slot.days or {day.weekday()}
    while day.weekday() not in days:
        day += dt.timedelta(days=1)
    return day


def build_calendar(slots, tz, minutes, now, silent=()):
    """An RFC 5545 calendar: one weekly event per slot, in the zone `tz`, each
    with an alarm at its start but those in `silent` (inside the quiet hours:
    no reminder for them, from the calendar either)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Footcare//Preferred session times//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Foot massage")
    # How often calendar apps should fetch again (RFC 7986, and Outlook's name).
    refresh = dt.timedelta(hours=6)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(refresh))
    starts = [first_day(slot, tz) for slot in slots]
    # The zone's rules from the first start to ten years ahead: enough for apps
    # that read VTIMEZONE instead of the IANA name in TZID. Stable from one
    # request to the next, so clients see no change until something changes.
    since = min(starts, default=now.date())
    cal.add_component(
        icalendar.Timezone.from_tzinfo(
            tz,
            tzid=tz.key,
            first_date=dt.date(since.year, 1, 1),
            last_date=dt.date(now.year + 10, 1, 1),
        )
    )
    for slot, day in zip(slots, starts, strict=True):
        event = icalendar.Event()
        event.add("uid", f"{slot.uid}@footcare")
        # No METHOD on the calendar, so DTSTAMP is the last change (RFC 5545
        # 3.8.7.2): stable across fetches.
        event.add("dtstamp", slot.updated_at.astimezone(dt.UTC))
        event.add("created", slot.created_at.astimezone(dt.UTC))
        event.add("last-modified", slot.updated_at.astimezone(dt.UTC))
        # Wall-clock time with TZID: every occurrence is at this local time,
        # either side of a DST change.
        event.add("dtstart", dt.datetime.combine(day, slot.time, tzinfo=tz))
        event.add("duration", dt.timedelta(minutes=minutes))
        event.add(
            "rrule",
            {
                "freq": "weekly",
                "byday": [ICAL_DAYS[d] for d in sorted(slot.days)],
                "wkst": "MO",
            },
        )
        event.add("summary", "Foot massage")
        event.add(
            "description", f"{slot.label}: about {words.plural(minutes, 'minute')}."
        )
        event.add("transp", "TRANSPARENT")
        if slot not in silent:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", "Foot massage")
            alarm.add("trigger", _AtStart(dt.timedelta(0)))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


@require_safe
@cache_control(private=True, max_age=300)
def calendar_feed(request, token):
    feed = CalendarFeed.find(token)
    if feed is None:
        raise Http404("No such calendar")
    user = feed.user
    slots = list(PreferredTime.objects.for_user(user).order_by("time", "pk"))
    silent = [slot for slot in slots if user.is_silenced(slot.time)]
    body = build_calendar(
        slots, user.tzinfo, typical_minutes(user), timezone.now(), silent
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="footcare.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


# The one-click POST that mail apps send (RFC 8058) carries no cookie and no CSRF
# token. The signed, single-use token in the URL is what proves the request came
# from the email, and all it can do is turn reminders off.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        user_id, send_id = reminder_messages.read_unsubscribe_token(token)
    except signing.BadSignature:
        return _unsubscribe_page(request, "invalid", status=400)
    if request.method == "POST":
        if reminder_messages.unsubscribe(user_id, send_id):
            return _unsubscribe_page(request, "done")
        return _unsubscribe_page(request, "used", status=404)
    # GET only asks: link checkers and mail scanners open links too.
    if not reminder_messages.unsubscribe_link_works(user_id, send_id):
        return _unsubscribe_page(request, "used", status=404)
    return _unsubscribe_page(request, "confirm")


def _unsubscribe_page(request, state, status=200):
    response = render(
        request, "streaks/unsubscribe.html", {"state": state}, status=status
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
