"""The preferred-times page: up to four slots, saved all or nothing."""

import datetime as dt
import re

import pytest

from accounts.forms import PreferredTimeFormSet, slot_problems
from accounts.localtime import ALL_DAYS
from accounts.models import CalendarFeed, PreferredTime
from accounts.schedule import Slot
from tests.html import labels, text

URL = "/accounts/times/"
EVERY_DAY = [str(day) for day in range(7)]


def add_slot(user, label, time, days=ALL_DAYS):
    return PreferredTime.objects.create(
        user=user, label=label, time=time, weekdays=sum(1 << d for d in days)
    )


def post_data(rows, existing=()):
    """The formset as a browser posts it: `existing` slots first (each row a
    dict that may set label, time, days, delete), then new rows."""
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(existing)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "4",
    }
    for i, row in enumerate(rows):
        if i < len(existing):
            data[f"form-{i}-id"] = str(existing[i].pk)
        data[f"form-{i}-label"] = row.get("label", "")
        data[f"form-{i}-time"] = row.get("time", "")
        data[f"form-{i}-weekdays"] = row.get("days", EVERY_DAY)
        if row.get("delete"):
            data[f"form-{i}-DELETE"] = "on"
    return data


def blank():
    return {}


def saved(user):
    return PreferredTime.objects.for_user(user).as_slots()


def test_anonymous_visitors_go_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_settings_links_to_the_page(alice_client):
    response = alice_client.get("/accounts/settings/")
    assert f'<a class="tap-link" href="{URL}">Preferred session times</a>' in (
        response.content.decode()
    )


def test_a_first_visit_offers_the_suggestions_as_a_button(alice_client, alice):
    response = alice_client.get(URL)
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert len(forms) == 1  # one empty "New time" block, nothing prefilled
    assert (forms[0]["label"].value(), forms[0]["time"].value()) == (None, None)
    page = text(response)
    assert "New time" in page
    assert "wake up circulation" in page
    assert "unwind" in page
    html = response.content.decode()
    assert 'action="/accounts/times/suggested/"' in html
    assert "Add the suggested times" in html
    assert not PreferredTime.objects.exists()


def test_an_empty_new_block_marks_nothing_as_required(alice_client, alice):
    html = alice_client.get(URL).content.decode()
    assert "asteriskField" not in html
    assert " required" not in html
    add_slot(alice, "Evening", dt.time(21, 0))
    html = alice_client.get(URL).content.decode()
    # A saved time needs its label, time and days: those are marked.
    assert html.count("asteriskField") == 3


def test_adding_the_suggested_times(alice_client, alice):
    response = alice_client.post("/accounts/times/suggested/")
    assert response.status_code == 302
    assert response["Location"] == URL
    assert saved(alice) == [
        Slot("Morning", dt.time(7, 30), ALL_DAYS),
        Slot("Evening", dt.time(21, 0), ALL_DAYS),
    ]
    page = alice_client.get(URL)
    assert "Add the suggested times" not in page.content.decode()
    assert [f["label"].value() for f in page.context["formset"].forms] == [
        "Morning",
        "Evening",
        None,
    ]


def test_the_suggestions_never_add_to_saved_times(alice_client, alice):
    add_slot(alice, "Lunch", dt.time(12, 0))
    response = alice_client.post("/accounts/times/suggested/", follow=True)
    assert "You already have preferred times" in text(response)
    assert saved(alice) == [Slot("Lunch", dt.time(12, 0), ALL_DAYS)]


def test_the_suggestions_need_a_post_and_a_login(alice_client, client):
    assert alice_client.get("/accounts/times/suggested/").status_code == 405
    client.logout()
    response = client.post("/accounts/times/suggested/")
    assert response["Location"].startswith("/accounts/login/")
    assert not PreferredTime.objects.exists()


def test_add_another_saves_and_offers_a_fresh_block(alice_client, alice):
    response = alice_client.post(
        URL, {**post_data([{"label": "Lunch", "time": "12:00"}]), "add_another": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == URL + "#new-time"
    assert saved(alice) == [Slot("Lunch", dt.time(12, 0), ALL_DAYS)]
    page = alice_client.get(URL)
    assert [f["label"].value() for f in page.context["formset"].forms] == [
        "Lunch",
        None,
    ]
    assert 'id="new-time"' in page.content.decode()
    assert "Add another time" in page.content.decode()


def test_no_add_another_once_the_last_block_is_showing(alice_client, alice):
    for hour in (7, 12, 21):
        add_slot(alice, f"At {hour}", dt.time(hour, 0))
    page = alice_client.get(URL)
    assert len(page.context["formset"].forms) == 4
    assert "Add another time" not in page.content.decode()
    add_slot(alice, "At 23", dt.time(23, 0))
    page = alice_client.get(URL)
    assert "New time" not in text(page)


def test_the_email_reminders_switch_is_on_this_page(alice_client, alice):
    page = alice_client.get(URL)
    assert labels(page)["Email reminders"] == "id_email_reminders"
    response = alice_client.post(
        "/accounts/times/reminders/", {"email_reminders": "on"}
    )
    assert response["Location"] == URL + "#reminders"
    alice.refresh_from_db()
    assert alice.email_reminders is True
    page = alice_client.get(URL)
    assert "Email reminders are on." in text(page)
    assert 'id="id_email_reminders"' in page.content.decode()
    assert "checked" in page.content.decode().split('id="id_email_reminders"')[1][:80]
    alice_client.post("/accounts/times/reminders/", {})
    alice.refresh_from_db()
    assert alice.email_reminders is False


def test_the_reminders_switch_needs_a_post_and_a_login(alice_client, client):
    assert alice_client.get("/accounts/times/reminders/").status_code == 405
    client.logout()
    response = client.post("/accounts/times/reminders/", {"email_reminders": "on"})
    assert response["Location"].startswith("/accounts/login/")


def test_every_field_is_labelled(alice_client, alice):
    add_slot(alice, "Evening", dt.time(21, 0))
    found = labels(alice_client.get(URL))
    for label in ["Label", "Time", "Monday", "Sunday", "Delete"]:
        assert label in found


def test_saving_the_suggestions_as_shown_keeps_both(alice_client, alice):
    rows = [
        {"label": "Morning", "time": "07:30"},
        {"label": "Evening", "time": "21:00"},
        blank(),
        blank(),
    ]
    response = alice_client.post(URL, post_data(rows))
    assert response.status_code == 302
    assert response["Location"] == URL
    assert saved(alice) == [
        Slot("Morning", dt.time(7, 30), ALL_DAYS),
        Slot("Evening", dt.time(21, 0), ALL_DAYS),
    ]


def test_the_page_offers_the_saved_slots_and_no_suggestions(alice_client, alice):
    add_slot(alice, "Evening", dt.time(21, 0), {5, 6})
    response = alice_client.get(URL)
    forms = response.context["formset"].forms
    assert forms[0]["label"].value() == "Evening"
    assert forms[0]["weekdays"].value() == [5, 6]
    assert [f["label"].value() for f in forms[1:]] == [None]
    assert "Add the suggested times" not in text(response)


def test_editing_and_deleting(alice_client, alice):
    morning = add_slot(alice, "Morning", dt.time(7, 30))
    evening = add_slot(alice, "Evening", dt.time(21, 0))
    rows = [
        {"label": "Early", "time": "06:45", "days": ["0", "1", "2", "3", "4"]},
        {"label": "Evening", "time": "21:00", "delete": True},
        {"label": "Lunch", "time": "12:15", "days": ["5"]},
        blank(),
    ]
    response = alice_client.post(URL, post_data(rows, existing=[morning, evening]))
    assert response.status_code == 302
    assert saved(alice) == [
        Slot("Early", dt.time(6, 45), frozenset(range(5))),
        Slot("Lunch", dt.time(12, 15), frozenset({5})),
    ]
    morning.refresh_from_db()
    assert morning.label == "Early"  # the same row: its calendar UID stays
    assert not PreferredTime.objects.filter(pk=evening.pk).exists()


def test_same_time_on_different_days_is_fine(alice_client, alice):
    rows = [
        {"label": "Work", "time": "07:00", "days": ["0", "1", "2", "3", "4"]},
        {"label": "Weekend", "time": "07:00", "days": ["5", "6"]},
    ]
    assert alice_client.post(URL, post_data(rows)).status_code == 302
    assert len(saved(alice)) == 2


@pytest.mark.parametrize(
    ("rows", "form", "field", "message"),
    [
        ([{"label": "Morning", "time": "soon"}], 0, "time", "Enter a time like 21:00."),
        (
            [{"label": "Morning", "time": "25:00"}],
            0,
            "time",
            "Enter a time like 21:00.",
        ),
        (
            [{"label": "Morning", "time": "07:30", "days": []}],
            0,
            "weekdays",
            "Tick at least one day.",
        ),
        ([{"label": "", "time": "07:30"}], 0, "label", "This field is required."),
        ([{"label": "Morning", "time": ""}], 0, "time", "This field is required."),
    ],
)
def test_bad_input_shows_the_error_next_to_the_field(
    alice_client, alice, rows, form, field, message
):
    # A valid row before the bad one: nothing at all is saved.
    rows = [{"label": "Evening", "time": "21:00"}, *rows]
    response = alice_client.post(URL, post_data(rows))
    assert response.status_code == 200
    errors = response.context["formset"].forms[form + 1].errors
    assert errors[field] == [message]
    assert message in response.content.decode()
    assert "Nothing was saved" in text(response)
    assert not PreferredTime.objects.exists()


def test_two_slots_at_the_same_time_on_the_same_day_save_nothing(alice_client, alice):
    rows = [
        {"label": "Evening", "time": "21:00", "days": ["0", "4"]},
        {"label": "Night", "time": "21:00", "days": ["4", "5"]},
    ]
    response = alice_client.post(URL, post_data(rows))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[1].errors["time"] == [
        "“Evening” is already at 21:00 on Friday."
    ]
    assert formset.non_form_errors()
    assert not PreferredTime.objects.exists()


def test_a_clash_with_a_saved_slot_changes_nothing(alice_client, alice):
    evening = add_slot(alice, "Evening", dt.time(21, 0))
    rows = [{"label": "Renamed", "time": "21:00"}, {"label": "Also", "time": "21:00"}]
    response = alice_client.post(URL, post_data(rows, existing=[evening]))
    assert response.status_code == 200
    assert saved(alice) == [Slot("Evening", dt.time(21, 0), ALL_DAYS)]


def test_a_fifth_slot_is_refused_and_nothing_saved(alice_client, alice):
    existing = [add_slot(alice, f"Slot {h}", dt.time(h, 0)) for h in (6, 9, 12, 18)]
    rows = [
        {"label": "Renamed", "time": "06:00"},
        {"label": "Slot 9", "time": "09:00"},
        {"label": "Slot 12", "time": "12:00"},
        {"label": "Slot 18", "time": "18:00"},
        {"label": "Fifth", "time": "22:00"},
    ]
    response = alice_client.post(URL, post_data(rows, existing=existing))
    assert response.status_code == 200
    assert "You can keep up to 4 preferred times." in text(response)
    assert [s.label for s in saved(alice)] == ["Slot 6", "Slot 9", "Slot 12", "Slot 18"]


def test_deleting_one_makes_room_for_another(alice_client, alice):
    existing = [add_slot(alice, f"Slot {h}", dt.time(h, 0)) for h in (6, 9, 12, 18)]
    rows = [
        {"label": "Slot 6", "time": "06:00", "delete": True},
        {"label": "Slot 9", "time": "09:00"},
        {"label": "Slot 12", "time": "12:00"},
        {"label": "Slot 18", "time": "18:00"},
        {"label": "Late", "time": "22:00"},
    ]
    response = alice_client.post(URL, post_data(rows, existing=existing))
    assert response.status_code == 302
    assert [s.label for s in saved(alice)] == ["Slot 9", "Slot 12", "Slot 18", "Late"]


def test_what_another_tab_saved_meanwhile_is_checked_too(alice_client, alice):
    # The page was loaded with two slots; a third was added in another tab since.
    shown = [add_slot(alice, "A", dt.time(6, 0)), add_slot(alice, "B", dt.time(9, 0))]
    add_slot(alice, "Other tab", dt.time(20, 0))
    rows = [
        {"label": "A", "time": "06:00"},
        {"label": "B", "time": "09:00"},
        {"label": "C", "time": "12:00"},
        {"label": "D", "time": "20:00"},
    ]
    response = alice_client.post(URL, post_data(rows, existing=shown))
    assert response.status_code == 200
    page = text(response)
    assert "You can keep up to 4 preferred times." in page
    assert "“Other tab” and “D” are both at 20:00 on Monday." in page
    assert [s.label for s in saved(alice)] == ["A", "B", "Other tab"]


def test_someone_elses_slot_cannot_be_edited(alice_client, alice, charlie):
    theirs = add_slot(charlie, "Charlie", dt.time(8, 0))
    rows = [{"label": "Mine now", "time": "09:00"}]
    response = alice_client.post(URL, post_data(rows, existing=[theirs]))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["id"] == [
        "This time no longer exists. Reload the page and try again."
    ]
    assert "This time no longer exists" in text(response)
    theirs.refresh_from_db()
    assert (theirs.label, theirs.user) == ("Charlie", charlie)
    assert not PreferredTime.objects.filter(user=alice).exists()


def test_someone_elses_slots_are_not_shown(alice_client, charlie):
    add_slot(charlie, "Charlie's", dt.time(8, 0))
    assert "Charlie&#x27;s" not in alice_client.get(URL).content.decode()


def test_saving_without_a_csrf_token_is_refused(csrf_client, alice):
    csrf_client.force_login(alice)
    response = csrf_client.post(URL, post_data([{"label": "A", "time": "07:00"}]))
    assert response.status_code == 403
    assert not PreferredTime.objects.exists()


def test_the_formset_directly(alice):
    formset = PreferredTimeFormSet(
        post_data([{"label": " Morning ", "time": "07:30:45", "days": ["0"]}]),
        user=alice,
    )
    assert formset.is_valid()
    (slot,) = formset.save()
    assert (slot.user, slot.label, slot.time, slot.days) == (
        alice,
        "Morning",
        dt.time(7, 30),
        {0},
    )


def test_the_slots_come_in_one_query(alice, django_assert_num_queries):
    for h in (6, 9, 12, 18):
        add_slot(alice, f"Slot {h}", dt.time(h, 0), {h % 7})
    with django_assert_num_queries(1):
        slots = alice.preferred_slots()
    assert [s.weekdays for s in slots] == [{6}, {2}, {5}, {4}]


# -- the calendar link -----------------------------------------------------------


def calendar_url(page):
    """The calendar link the page shows, or ''."""
    found = re.search(
        r'id="calendar-link" class="form-control" value="([^"]*)"', text_of(page)
    )
    return found.group(1) if found else ""


def text_of(page):
    return page.content.decode()


def test_making_a_calendar_link_shows_it_once(alice_client, alice):
    response = alice_client.post("/accounts/times/calendar/")
    assert response.status_code == 302
    assert response["Location"] == URL + "#calendar"
    page = alice_client.get(URL)
    url = calendar_url(page)
    assert url.startswith("http://testserver/calendar/")
    assert url.endswith(".ics")
    assert labels(page)["Calendar link"] == "calendar-link"
    assert url in page.content.decode()
    token = url.removeprefix("http://testserver/calendar/").removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes
    feed = CalendarFeed.objects.get(user=alice)
    assert token not in feed.token_hash  # only the hash is kept
    assert CalendarFeed.find(token) == feed
    # Later visits say a link exists but cannot show it.
    again = alice_client.get(URL)
    assert calendar_url(again) == ""
    assert "cannot show it again" in text(again)


def test_a_new_link_can_be_subscribed_to_in_one_tap(alice_client, alice):
    alice_client.post("/accounts/times/calendar/")
    page = alice_client.get(URL)
    url = calendar_url(page)
    subscribe = re.search(
        r'<a [^>]*href="(webcal://[^"]+)"[^>]*>([^<]+)</a>', text_of(page)
    )
    assert subscribe is not None
    assert subscribe.group(1) == url.replace("http://", "webcal://", 1)
    assert subscribe.group(2) == "Subscribe in your calendar app"
    # Only while the link can be shown: later visits have nothing to subscribe to.
    assert "webcal://" not in text_of(alice_client.get(URL))


def test_a_new_link_replaces_the_old(alice_client, alice):
    page = alice_client.post("/accounts/times/calendar/", follow=True)
    assert "Here is your calendar link." in text(page)
    assert "no longer works" not in text(page)  # there was no old link
    first = calendar_url(page)
    page = alice_client.post("/accounts/times/calendar/", follow=True)
    assert "Here is your new calendar link. The old one no longer works." in text(page)
    second = calendar_url(page)
    assert first != second
    assert CalendarFeed.objects.filter(user=alice).count() == 1
    assert alice_client.get(first).status_code == 404
    assert alice_client.get(second).status_code == 200


def test_making_a_link_needs_a_post(alice_client):
    assert alice_client.get("/accounts/times/calendar/").status_code == 405


def test_making_a_link_needs_a_csrf_token(csrf_client, alice):
    csrf_client.force_login(alice)
    assert csrf_client.post("/accounts/times/calendar/").status_code == 403
    assert not CalendarFeed.objects.exists()


def test_making_a_link_needs_a_login(client, db):
    response = client.post("/accounts/times/calendar/")
    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()


def test_slot_problems_in_words():
    MORNING = Slot("Morning", dt.time(8, 0), ALL_DAYS)
    BOTH = [MORNING, Slot("Evening", dt.time(21, 0), ALL_DAYS)]
    assert slot_problems(BOTH) == []
    assert slot_problems([MORNING, MORNING._replace(label="Again")]) == [
        "“Morning” and “Again” are both at 08:00 on Monday."
    ]
    # Same time on different days is fine.
    weekdays = Slot("Work", dt.time(8, 0), frozenset(range(5)))
    weekend = Slot("Weekend", dt.time(8, 0), frozenset({5, 6}))
    assert slot_problems([weekdays, weekend]) == []
    assert slot_problems([MORNING._replace(weekdays=frozenset())]) == [
        "“Morning” needs at least one day."
    ]
    five = [Slot(str(h), dt.time(h, 0), ALL_DAYS) for h in range(5)]
    assert slot_problems(five) == ["You can keep up to 4 preferred times."]


@pytest.mark.parametrize(
    ("address", "subscribe"),
    [
        (
            "https://footcare.example/calendar/t.ics",
            "webcal://footcare.example/calendar/t.ics",
        ),
        (
            "http://127.0.0.1:8000/calendar/t.ics",
            "webcal://127.0.0.1:8000/calendar/t.ics",
        ),
        ("javascript://x", ""),
        ("", ""),
    ],
)
def test_the_subscribe_address_is_the_feed_over_webcal(address, subscribe):
    from streaks.templatetags.feed_links import webcal

    assert webcal(address) == subscribe
