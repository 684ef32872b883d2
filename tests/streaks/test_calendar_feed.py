"""The private calendar feed: valid iCalendar, local times, secret and revocable."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
import time_machine
from dateutil.rrule import rrulestr

from accounts.models import CalendarFeed, PreferredTime
from tests.factories import log_session

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# Monday 5 October 2026, before New York's clocks go back on 1 November.
MADE = dt.datetime(2026, 10, 5, 12, 0, tzinfo=dt.UTC)


def add_slot(user, label, time, days):
    return PreferredTime.objects.create(
        user=user, label=label, time=time, weekdays=sum(1 << d for d in days)
    )


def feed_url(token):
    return f"/calendar/{token}.ics"


@pytest.fixture
def charlie_feed(charlie):
    """Charlie (New York): weekday evenings at 21:00, weekend mornings at 07:30."""
    with time_machine.travel(MADE, tick=False):
        add_slot(charlie, "Evening", dt.time(21, 0), range(5))
        add_slot(charlie, "Weekend", dt.time(7, 30), [5, 6])
        return CalendarFeed.make_new_link(charlie)


def fetch(client, token):
    response = client.get(feed_url(token))
    assert response.status_code == 200
    return response, icalendar.Calendar.from_ical(response.content)


def events(calendar):
    return {
        str(event["DESCRIPTION"]).split(":")[0]: event
        for event in calendar.walk("VEVENT")
    }


def test_the_feed_is_an_icalendar_file_anyone_with_the_link_can_read(
    client, charlie_feed
):
    response, calendar = fetch(client, charlie_feed)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in response.content
    assert len(calendar.walk("VEVENT")) == 2


def test_each_slot_is_a_weekly_event_at_local_time_with_an_alarm(client, charlie_feed):
    response, calendar = fetch(client, charlie_feed)
    evening = events(calendar)["Evening"]
    start = evening.decoded("DTSTART")
    assert evening["DTSTART"].params["TZID"] == "America/New_York"
    assert start.replace(tzinfo=None) == dt.datetime(2026, 10, 5, 21, 0)
    assert start.utcoffset() == dt.timedelta(hours=-4)
    rule = evening["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    assert events(calendar)["Weekend"]["RRULE"]["BYDAY"] == ["SA", "SU"]
    assert str(evening["SUMMARY"]) == "Foot massage"
    assert evening.decoded("DURATION") == dt.timedelta(minutes=10)  # no sessions yet
    assert evening["DTSTAMP"]
    (alarm,) = evening.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == dt.timedelta(0)
    assert b"TRIGGER:PT0M" in response.content


def test_a_time_inside_the_quiet_hours_has_no_alarm(client, charlie, charlie_feed):
    """No reminder comes for it from Footcare (the settings page says so), so
    none from the calendar either; the event stays."""
    charlie.quiet_hours = True  # 22:00-07:00 by default
    charlie.quiet_from = dt.time(20, 0)
    charlie.save()
    calendar = fetch(client, charlie_feed)[1]
    assert events(calendar)["Evening"].walk("VALARM") == []
    assert len(events(calendar)["Weekend"].walk("VALARM")) == 1


def test_occurrences_after_the_dst_change_stay_at_21_00_local(client, charlie_feed):
    _, calendar = fetch(client, charlie_feed)
    evening = events(calendar)["Evening"]
    start = evening.decoded("DTSTART")
    rule = rrulestr(evening["RRULE"].to_ical().decode(), dtstart=start)
    before = rule.before(dt.datetime(2026, 11, 1, tzinfo=NEW_YORK))
    after = rule.after(dt.datetime(2026, 11, 1, tzinfo=NEW_YORK))
    assert before.date() == dt.date(2026, 10, 30)  # Friday
    assert after.date() == dt.date(2026, 11, 2)  # Monday
    for occurrence in (before, after):
        assert (occurrence.hour, occurrence.minute) == (21, 0)
    assert before.utcoffset() == dt.timedelta(hours=-4)
    assert after.utcoffset() == dt.timedelta(hours=-5)


def test_the_zone_is_described_with_standard_and_daylight_time(client, charlie_feed):
    response, calendar = fetch(client, charlie_feed)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/New_York"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    # The clocks go back on 1 November 2026 and forward on 14 March 2027.
    unfolded = response.content.decode().replace("\r\n ", "")
    assert "DTSTART:20261101T020000" in unfolded
    assert "20270314T030000" in unfolded


def test_uids_and_the_body_are_stable_between_fetches(client, charlie_feed):
    first, _ = fetch(client, charlie_feed)
    with time_machine.travel(MADE + dt.timedelta(days=3), tick=False):
        second, _ = fetch(client, charlie_feed)
    assert first.content == second.content


def test_it_reveals_nothing_but_the_times(client, charlie, charlie_feed):
    body = client.get(feed_url(charlie_feed)).content.decode()
    assert charlie.username not in body
    assert charlie.email not in body
    assert "example.com" not in body


def test_the_length_is_the_median_of_the_last_30_sessions(
    client, charlie, charlie_feed
):
    for day in range(1, 11):  # ten old 60-minute sessions, beyond the last 30
        log_session(charlie, dt.datetime(2026, 8, day, 8, 0), minutes=60)
    for day in range(1, 31):  # the last 30: 16 of 12 minutes, 14 of 20
        log_session(
            charlie, dt.datetime(2026, 9, day, 8, 0), minutes=12 + 8 * (day > 16)
        )
    _, calendar = fetch(client, charlie_feed)
    assert events(calendar)["Evening"].decoded("DURATION") == dt.timedelta(minutes=12)


def test_a_half_minute_median_rounds_up(client, charlie, charlie_feed):
    log_session(charlie, dt.datetime(2026, 9, 1, 8, 0), minutes=10)
    log_session(charlie, dt.datetime(2026, 9, 2, 8, 0), minutes=15)
    _, calendar = fetch(client, charlie_feed)
    assert events(calendar)["Evening"].decoded("DURATION") == dt.timedelta(minutes=13)


def test_a_move_keeps_the_local_time_in_the_new_zone(client, charlie, charlie_feed):
    charlie.timezone = "Europe/Berlin"
    charlie.save()
    _, calendar = fetch(client, charlie_feed)
    evening = events(calendar)["Evening"]
    assert evening["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert evening.decoded("DTSTART").hour == 21
    assert str(calendar.walk("VTIMEZONE")[0]["TZID"]) == "Europe/Berlin"


def test_another_users_token_gives_only_their_slots(client, alice, charlie_feed):
    add_slot(alice, "Alice's lunch", dt.time(12, 0), range(7))
    token = CalendarFeed.make_new_link(alice)
    _, calendar = fetch(client, token)
    assert list(events(calendar)) == ["Alice's lunch"]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    _, theirs = fetch(client, charlie_feed)
    assert sorted(events(theirs)) == ["Evening", "Weekend"]


def test_a_user_without_slots_gets_an_empty_but_valid_calendar(client, alice):
    _, calendar = fetch(client, CalendarFeed.make_new_link(alice))
    assert calendar.walk("VEVENT") == []
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_a_rotated_token_is_404_at_once(client, charlie, charlie_feed):
    new = CalendarFeed.make_new_link(charlie)
    assert client.get(feed_url(charlie_feed)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


@pytest.mark.parametrize("token", ["nope", "x" * 43, "../../etc/passwd"])
def test_unknown_tokens_are_404(client, charlie_feed, token):
    assert client.get(feed_url(token)).status_code == 404


def test_a_deactivated_users_feed_is_404(client, charlie, charlie_feed):
    charlie.is_active = False
    charlie.save()
    assert client.get(feed_url(charlie_feed)).status_code == 404


def test_the_feed_is_read_only(client, charlie_feed):
    assert client.post(feed_url(charlie_feed)).status_code == 405


def test_the_feed_takes_three_queries(
    client, charlie, charlie_feed, django_assert_num_queries
):
    for day in range(1, 29):
        log_session(charlie, dt.datetime(2026, 9, day, 8, 0))
    # The feed with its user, the slots, the recent durations.
    with django_assert_num_queries(3):
        client.get(feed_url(charlie_feed))
