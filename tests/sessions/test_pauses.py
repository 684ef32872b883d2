"""Pauses: days away (illness, injury, travel) that bridge a streak like rest
days without counting as practice, made, ended early and deleted through the
rest-days page."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions.models import Day, Pause
from streaks import history
from tests.conftest import make_user
from tests.factories import builtin, log_session, pause, rest_day
from tests.html import day_links, figures, text

URL = "/sessions/rest-days/"
NEW = "/sessions/pauses/new/"
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)
ONE = dt.timedelta(days=1)
users = itertools.count()


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def pause_data(start, end, reason="illness", note=""):
    return {
        "pause-start": start.isoformat(),
        "pause-end": end.isoformat(),
        "pause-reason": reason,
        "pause-note": note,
    }


def test_a_pause_made_on_the_page_is_listed_and_bridges(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 19, 20))
    log_session(alice, dt.datetime(2026, 11, 20, 20))
    response = alice_client.post(
        NEW,
        pause_data(dt.date(2026, 11, 21), dt.date(2026, 11, 27), "injury", "Sprain"),
    )
    assert response.status_code == 302
    made = Pause.objects.get(user=alice)
    assert (made.start, made.end, made.reason, made.note) == (
        dt.date(2026, 11, 21),
        dt.date(2026, 11, 27),
        "injury",
        "Sprain",
    )
    page = text(alice_client.get(URL))
    assert "Paused Sat 21 Nov 2026 to Fri 27 Nov 2026 · Injury · 7 days" in page
    assert "Sprain" in page
    # Two practice days, then paused days: the streak is 2, not 2 + 5.
    assert figures(alice_client.get("/"))["Current streak"] == "2 days"


def test_ending_a_pause_early_makes_today_an_ordinary_day(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 20, 20))
    made = pause(alice, dt.date(2026, 11, 21), dt.date(2026, 12, 5))
    response = alice_client.post(f"/sessions/pauses/{made.pk}/end/")
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.end == TODAY - ONE
    assert Day.objects.for_user(alice).filter(paused=True).count() == 4
    assert not Day.objects.for_user(alice).filter(date__gt=TODAY - ONE).exists()
    # The streak still holds today (still open), bridged by the paused days.
    assert figures(alice_client.get("/"))["Current streak"] == "1 day"


def test_a_pause_not_started_yet_cannot_be_ended_only_deleted(alice_client, alice):
    made = pause(alice, dt.date(2026, 12, 1), dt.date(2026, 12, 5))
    assert "End today" not in alice_client.get(URL).content.decode()
    alice_client.post(f"/sessions/pauses/{made.pk}/end/")
    made.refresh_from_db()
    assert made.end == dt.date(2026, 12, 5)
    alice_client.post(f"/sessions/pauses/{made.pk}/delete/")
    assert not Pause.objects.exists()
    assert not Day.objects.for_user(alice).exists()


def test_delete_asks_first_and_a_get_deletes_nothing(alice_client, alice, charlie):
    made = pause(alice, dt.date(2026, 12, 1), dt.date(2026, 12, 5), note="Trip")
    delete = f"/sessions/pauses/{made.pk}/delete/"
    assert f'href="{delete}"' in alice_client.get(URL).content.decode()
    page = text(alice_client.get(delete))
    assert "Delete this pause?" in page
    assert "1 December 2026 to" in page
    assert "“Trip”" in page
    assert Pause.objects.filter(pk=made.pk).exists()
    client = Client()
    client.force_login(charlie)
    assert client.get(delete).status_code == 404
    assert client.post(delete).status_code == 404
    assert Pause.objects.filter(pk=made.pk).exists()


def test_deleting_a_pause_breaks_the_streak_it_bridged(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 20, 20))
    made = pause(alice, dt.date(2026, 11, 21), dt.date(2026, 11, 24))
    assert figures(alice_client.get("/"))["Current streak"] == "1 day"
    alice_client.post(f"/sessions/pauses/{made.pk}/delete/")
    assert figures(alice_client.get("/"))["Current streak"] == "0 days"
    assert not Day.objects.for_user(alice).filter(paused=True).exists()


def test_a_pause_cannot_cover_a_practised_day(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 22, 20))
    response = alice_client.post(
        NEW, pause_data(dt.date(2026, 11, 20), dt.date(2026, 11, 24))
    )
    assert response.status_code == 200
    assert "a pause cannot cover a day with a session" in text(response)
    assert "You practised on Sunday 22 November 2026" in text(response)
    assert not Pause.objects.exists()


def test_pauses_cannot_overlap(alice_client, alice):
    pause(alice, dt.date(2026, 11, 20), dt.date(2026, 11, 24))
    response = alice_client.post(
        NEW, pause_data(dt.date(2026, 11, 24), dt.date(2026, 11, 30))
    )
    assert response.status_code == 200
    assert "overlap your pause from 20 November 2026" in text(response)
    assert Pause.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        pause_data(dt.date(2026, 11, 24), dt.date(2026, 11, 20)),  # backwards
        pause_data(dt.date(1999, 12, 30), dt.date(2000, 1, 2)),
        pause_data(dt.date(2027, 12, 1), dt.date(2027, 12, 31)),  # too far ahead
        pause_data(dt.date(2025, 1, 1), dt.date(2026, 11, 20)),  # too long
        pause_data(dt.date(2026, 11, 20), dt.date(2026, 11, 21), reason=""),
        pause_data(dt.date(2026, 11, 20), dt.date(2026, 11, 21), reason="moon"),
        pause_data(dt.date(2026, 11, 20), dt.date(2026, 11, 21), note="x" * 201),
        pause_data(dt.date(2026, 11, 20), dt.date(2026, 11, 21), note="a\x00b"),
        {"pause-start": "2026-02-30", "pause-end": "2026-03-02"},
        {"pause-start": "", "pause-end": ""},
        {},
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(alice_client, alice, data):
    response = alice_client.post(NEW, data)
    assert response.status_code == 200
    assert 'id="form-errors"' in response.content.decode()
    assert not Pause.objects.exists()
    assert not Day.objects.exists()


@pytest.mark.parametrize("reason", ["illness", ""])  # also with no reason chosen
def test_days_in_the_wrong_order_are_said_once_on_the_last_day(
    alice_client, alice, reason
):
    data = pause_data(dt.date(2026, 11, 24), dt.date(2026, 11, 20), reason=reason)
    response = alice_client.post(NEW, data)
    page = text(response)
    assert page.count("The last day must be on or after the first day.") == 1
    assert "onstraint" not in page
    assert response.context["pause_form"].errors["end"] == [
        "The last day must be on or after the first day."
    ]
    assert not Pause.objects.exists()


def test_the_form_needs_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(NEW, pause_data(TODAY, TODAY + ONE))
    assert response.status_code == 403
    assert not Pause.objects.exists()


def test_another_users_pause_is_not_found(alice_client, charlie):
    theirs = pause(charlie, dt.date(2026, 11, 20), dt.date(2026, 11, 28))
    for action in ("end", "delete"):
        response = alice_client.post(f"/sessions/pauses/{theirs.pk}/{action}/")
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.end == dt.date(2026, 11, 28)
    assert "20 Nov" not in text(alice_client.get(URL))


def test_another_users_session_does_not_block_my_pause(alice_client, charlie):
    log_session(charlie, dt.datetime(2026, 11, 22, 20))
    response = alice_client.post(
        NEW, pause_data(dt.date(2026, 11, 20), dt.date(2026, 11, 24))
    )
    assert response.status_code == 302


def test_the_pages_are_post_only(alice_client, alice):
    made = pause(alice, dt.date(2026, 11, 20), dt.date(2026, 11, 28))
    for url in (NEW, f"/sessions/pauses/{made.pk}/end/"):
        assert alice_client.get(url).status_code == 405


def test_logging_a_session_in_a_pause_makes_it_a_practice_day(alice_client, alice):
    pause(alice, dt.date(2026, 11, 20), dt.date(2026, 11, 28))
    response = alice_client.post(
        "/sessions/new/",
        {
            "date": "2026-11-24",
            "start_time": "08:00",
            "duration_minutes": "10",
            "comfort": "4",
            "techniques": [builtin("arch").pk],
            "token": "6c1f7e0e-4f55-4c6e-9a51-4f2a8a3d2b11",
        },
        follow=True,
    )
    assert "was in a pause: with this session it is now a practice day" in text(
        response
    )
    day = Day.objects.get(user=alice, date=dt.date(2026, 11, 24))
    assert (day.sessions, day.paused, day.rest) == (1, False, False)


def test_the_page_takes_the_same_queries_for_1_or_100_pauses(
    alice_client, alice, django_assert_max_num_queries
):
    for count in (1, 100):
        Pause.objects.all().delete()
        Pause.objects.bulk_create(
            Pause(
                user=alice,
                start=dt.date(2000, 1, 1) + dt.timedelta(days=10 * n),
                end=dt.date(2000, 1, 1) + dt.timedelta(days=10 * n + 2),
                reason="travel",
            )
            for n in range(count)
        )
        with django_assert_max_num_queries(8):
            alice_client.get(URL)


# -- the streak with pauses, against an independent count --------------------


def streak_by_hand(practised, bridged, today):
    """Walk back from today (or yesterday, while today is still open) over
    practised and bridged days, counting the practised ones."""
    day = today if today in practised | bridged else today - ONE
    count = 0
    while day in practised or day in bridged:
        count += day in practised
        day -= ONE
    return count


back = st.integers(min_value=0, max_value=40)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    practised=st.sets(back, max_size=25),
    pauses=st.lists(st.tuples(back, st.integers(0, 10)), max_size=4),
)
def test_pauses_bridge_the_streak_but_never_add_to_it(practised, pauses):
    user = make_user(f"pauser{next(users)}", timezone="Europe/London")
    days = {TODAY - dt.timedelta(days=n) for n in practised}
    for day in days:
        log_session(user, dt.datetime.combine(day, dt.time(8, 0)))
    paused = set()
    for start_back, length in pauses:
        start = TODAY - dt.timedelta(days=start_back)
        end = start + dt.timedelta(days=length)
        span = {start + dt.timedelta(days=n) for n in range(length + 1)}
        if span & (days | paused):
            continue  # the app refuses it; checked elsewhere
        pause(user, start, end)
        paused |= span
    stats = history.recent(user, TODAY).stats
    assert stats.current_streak == streak_by_hand(days, paused, TODAY)
    practised_days = Day.objects.for_user(user).filter(sessions__gt=0).count()
    assert practised_days == len(days)
    stored = Day.objects.for_user(user).filter(paused=True)
    assert set(stored.values_list("date", flat=True)) == paused


def test_the_heatmap_and_the_year_page_show_paused_days(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 20, 20))
    rest_day(alice, dt.date(2026, 11, 21))
    pause(alice, dt.date(2026, 11, 22), dt.date(2026, 11, 24), "injury")
    for page in ("/", "/streaks/year/2026/"):
        response = alice_client.get(page)
        links = day_links(response)
        assert links["/sessions/?date=2026-11-21"] == "Sat 21 Nov 2026: rest day"
        for day in (22, 23, 24):
            assert links[f"/sessions/?date=2026-11-{day}"] == (
                f"{dt.date(2026, 11, day):%a} {day} Nov 2026: paused"
            )
        html = response.content.decode()
        assert 'href="/sessions/?date=2026-11-23" aria-label' in html
        assert 'class="level-paused"' in html
        assert "Paused (dotted)" in text(response)
    year = text(alice_client.get("/streaks/year/2026/"))
    assert "1 rest day, 3 paused days." in year


def test_no_reminder_on_a_paused_day_but_again_once_it_ended(alice_client, alice):
    from django.core import mail

    from tests.streaks.test_send_reminders import add_slot, opt_in, run

    opt_in(alice)
    add_slot(alice)
    evening = dt.datetime(2026, 11, 25, 21, 5, tzinfo=dt.UTC)
    made = pause(alice, dt.date(2026, 11, 20), dt.date(2026, 11, 28))
    run(evening)
    assert mail.outbox == []
    alice_client.post(f"/sessions/pauses/{made.pk}/end/")
    run(evening)
    assert len(mail.outbox) == 1


def test_a_paused_day_says_so_on_its_sessions_page(alice_client, alice):
    pause(alice, dt.date(2026, 11, 20), dt.date(2026, 11, 24), "travel")
    page = text(alice_client.get("/sessions/?date=2026-11-22"))
    assert "Paused (travel): Fri 20 Nov 2026 to Tue 24 Nov 2026" in page
    assert "Paused" not in text(alice_client.get("/sessions/?date=2026-11-25"))
