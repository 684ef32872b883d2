import datetime as dt
import re

import pytest
import time_machine

from accounts.models import User
from tests.factories import log_session
from tests.html import figures, labels, text

URL = "/accounts/settings/"
TARGET_URL = "/sessions/weekly-target/"


def settings_data(**overrides):
    data = {
        "email": "alice@example.org",
        "timezone": "Pacific/Auckland",
        "day_start_hour": "4",
    }
    data.update(overrides)
    return data


def test_the_page_shows_the_labelled_fields(alice_client):
    found = labels(alice_client.get(URL))
    assert list(found) == [
        "Email",
        "Time zone",
        "Day starts at",
        "Email reminders",
        "Quiet hours",
        "From",
        "Until",
        "Weekly target",
        "Pain before and after",
        "Which foot",
        "Where on the foot",
    ]


def test_the_day_starts_at_a_time_chosen_from_a_list(alice_client, alice):
    html = alice_client.get(URL).content.decode()
    select = re.search(r'<select name="day_start_hour".*?</select>', html, flags=re.S)[
        0
    ]
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', select)
    assert [int(value) for value, _, _ in options] == list(range(24))
    names = [name for _, _, name in options]
    assert names[:3] == ["Midnight (00:00)", "01:00", "02:00"]
    assert names[12] == "Noon (12:00)"
    assert names[23] == "23:00"
    assert [name for _, chosen, name in options if chosen] == ["Midnight (00:00)"]
    assert "with 04:00, a session at 00:30 still belongs to yesterday" in html


def test_the_weekly_target_counts_active_days(alice_client):
    page = alice_client.get(URL).content.decode()
    assert "Active days (practice or rest days) per week you aim for." in page
    assert "Practice days per week" not in page


def test_saving_settings(alice_client, alice):
    response = alice_client.post(URL, settings_data())
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.email, alice.timezone, alice.day_start_hour) == (
        "alice@example.org",
        "Pacific/Auckland",
        4,
    )


def test_saving_a_weekly_target_recounts_the_weekly_streak(alice_client, alice):
    with time_machine.travel(dt.datetime(2026, 11, 25, 21, tzinfo=dt.UTC)):
        for day in (16, 17, 18, 23, 24):  # two days last week, two this week...
            log_session(alice, dt.datetime(2026, 11, day, 20, 0))
        assert figures(alice_client.get("/"))["Weekly streak"] == "0 weeks"
        response = alice_client.post(TARGET_URL, {"weekly_target": "2"})
        assert response.status_code == 302
        assert response.url == URL
        assert figures(alice_client.get("/"))["Weekly streak"] == "2 weeks"
    alice.refresh_from_db()
    assert alice.weekly_target == 2


@pytest.mark.parametrize("value", ["0", "8", "", "two", "9" * 5000])
def test_a_bad_weekly_target_says_so_and_changes_nothing(alice_client, alice, value):
    response = alice_client.post(TARGET_URL, {"weekly_target": value}, follow=True)
    assert "Choose a weekly target from 1 to 7 days." in response.content.decode()
    alice.refresh_from_db()
    assert alice.weekly_target == 7


def test_the_weekly_target_is_post_only(alice_client):
    assert alice_client.get(TARGET_URL).status_code == 405


def test_new_users_start_with_day_start_0_and_target_7(db):
    user = User.objects.create_user("dan", password="x")
    assert (user.day_start_hour, user.weekly_target) == (0, 7)


def test_email_reminders_have_their_own_save_button(alice_client, alice):
    assert alice.email_reminders is False
    html = alice_client.get(URL).content.decode()
    form = re.search(
        r'<form method="post" action="/accounts/times/reminders/"[^>]*>.*?</form>',
        html,
        flags=re.S,
    )[0]
    assert 'name="email_reminders"' in form
    assert ">Save reminders</button>" in form
    response = alice_client.post(
        "/accounts/times/reminders/", {"page": "settings", "email_reminders": "on"}
    )
    assert response["Location"] == URL + "#reminders"
    alice.refresh_from_db()
    assert alice.email_reminders is True
    assert "Email reminders are on." in text(alice_client.get(URL))


def test_saving_settings_leaves_reminders_as_they_are(alice_client, alice):
    alice.email_reminders = True
    alice.save()
    alice_client.post(URL, settings_data())
    alice.refresh_from_db()
    assert alice.email_reminders is True


def test_the_reminders_switch_goes_back_only_to_its_own_pages(alice_client, alice):
    response = alice_client.post(
        "/accounts/times/reminders/", {"page": "https://elsewhere.example/"}
    )
    assert response["Location"] == "/accounts/times/#reminders"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"day_start_hour": "24"}, "day_start_hour"),
        ({"day_start_hour": ""}, "day_start_hour"),
        ({"day_start_hour": "9" * 5000}, "day_start_hour"),
        ({"day_start_hour": "-1"}, "day_start_hour"),
        ({"day_start_hour": "four"}, "day_start_hour"),
        ({"timezone": "Nowhere/Special"}, "timezone"),
        ({"email": ""}, "email"),
        ({"email": "CHARLIE@example.com"}, "email"),
    ],
)
def test_bad_settings_show_an_error_and_change_nothing(
    alice_client, alice, charlie, overrides, field
):
    response = alice_client.post(URL, settings_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    alice.refresh_from_db()
    assert (alice.email, alice.timezone, alice.day_start_hour) == (
        "alice@example.com",
        "Europe/London",
        0,
    )


def test_the_users_zone_is_active_on_their_pages(alice_client, alice):
    alice.timezone = "Asia/Tokyo"
    alice.save()
    response = alice_client.get(URL)
    assert response.context["TIME_ZONE"] == "Asia/Tokyo"


def section(html, heading_id):
    """The <section> whose heading has id `heading_id`."""
    return re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>.*?</section>',
        html,
        flags=re.S,
    )[0]


@pytest.mark.parametrize(
    ("action", "data", "heading", "said"),
    [
        (
            "/accounts/times/reminders/",
            {"page": "settings", "email_reminders": "on"},
            "reminders-heading",
            "Email reminders are on.",
        ),
        (
            "/accounts/record/",
            {"record_pain": "on"},
            "record-heading",
            "The log form now also asks: pain before and after.",
        ),
    ],
)
def test_a_save_that_opens_the_page_at_its_section_says_so_there(
    alice_client, action, data, heading, said
):
    """The page opens at the section that was saved (#reminders, #record): the
    message that it was saved is in that section, where a phone shows it, not
    at the top of the page, a screen or two above."""
    response = alice_client.post(action, data)
    assert response.status_code == 302
    html = alice_client.get(response["Location"]).content.decode()
    assert said in " ".join(re.sub(r"<[^>]+>", " ", section(html, heading)).split())
    assert html.count(said) == 1
    # Read once: the next page says it no more.
    assert said not in alice_client.get(URL).content.decode()
