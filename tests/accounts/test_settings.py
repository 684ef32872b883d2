import pytest

from accounts.models import User
from tests.html import labels

URL = "/accounts/settings/"


def settings_data(**overrides):
    data = {
        "email": "alice@example.org",
        "timezone": "Pacific/Auckland",
        "day_start_hour": "4",
        "weekly_target": "5",
    }
    data.update(overrides)
    return data


def test_the_page_shows_the_labelled_fields(alice_client):
    found = labels(alice_client.get(URL))
    assert list(found) == [
        "Email",
        "Time zone",
        "Day starts at",
        "Weekly target",
        "Email reminders",
    ]


def test_the_weekly_target_counts_active_days(alice_client):
    page = alice_client.get(URL).content.decode()
    assert "Active days (practice or rest days) per week you aim for, 1 to 7." in page
    assert "Practice days per week" not in page


def test_saving_settings(alice_client, alice):
    response = alice_client.post(URL, settings_data())
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.email, alice.timezone, alice.day_start_hour, alice.weekly_target) == (
        "alice@example.org",
        "Pacific/Auckland",
        4,
        5,
    )


def test_new_users_start_with_day_start_0_and_target_7(db):
    user = User.objects.create_user("dan", password="x")
    assert (user.day_start_hour, user.weekly_target) == (0, 7)


def test_email_reminders_are_off_until_ticked(alice_client, alice):
    assert alice.email_reminders is False
    alice_client.post(URL, settings_data(email_reminders="on"))
    alice.refresh_from_db()
    assert alice.email_reminders is True
    alice_client.post(URL, settings_data())
    alice.refresh_from_db()
    assert alice.email_reminders is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"day_start_hour": "24"}, "day_start_hour"),
        ({"day_start_hour": "-1"}, "day_start_hour"),
        ({"day_start_hour": "four"}, "day_start_hour"),
        ({"weekly_target": "0"}, "weekly_target"),
        ({"weekly_target": "8"}, "weekly_target"),
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
    assert (alice.email, alice.timezone, alice.day_start_hour, alice.weekly_target) == (
        "alice@example.com",
        "Europe/London",
        0,
        7,
    )


def test_the_users_zone_is_active_on_their_pages(alice_client, alice):
    alice.timezone = "Asia/Tokyo"
    alice.save()
    response = alice_client.get(URL)
    assert response.context["TIME_ZONE"] == "Asia/Tokyo"
