"""A page of several forms saves one at a time. On a phone, a change made in one
form and then a Save pressed in another lost the change without a word
(Settings, Preferred times): now the Save is held once, with a note naming
what is not saved yet; pressed again, it goes ahead."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.models import PreferredTime
from tests.e2e.conftest import PHONE, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(make_context, user, live_server):
    page = make_context(viewport=PHONE, has_touch=True).new_page()
    sign_in(page.context, user, live_server)
    return page


def test_a_save_in_settings_says_what_another_form_has_not_saved(phone, user):
    phone.goto("/accounts/settings/")
    phone.get_by_label("Weekly target").select_option("5")
    phone.get_by_label("Pain before and after").check()
    phone.get_by_label("Day starts at").select_option("4")
    save = phone.get_by_role("button", name="Save settings")
    save.click()
    note = phone.get_by_role("alert").filter(has_text="Not saved yet")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Weekly target")
    expect(note).to_contain_text("Pain before and after")
    assert phone.url.endswith("/accounts/settings/")
    user.refresh_from_db()
    assert user.day_start_hour == 0  # nothing was sent

    # Pressed again: this form is saved, the others' changes are dropped.
    with phone.expect_navigation():
        save.click()
    user.refresh_from_db()
    assert (user.day_start_hour, user.weekly_target, user.record_pain) == (4, 7, False)


def test_a_save_with_nothing_changed_elsewhere_goes_at_once(phone, user):
    phone.goto("/accounts/settings/")
    phone.get_by_label("Weekly target").select_option("5")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save target").click()
    user.refresh_from_db()
    assert user.weekly_target == 5
    expect(phone.get_by_text("Not saved yet")).to_have_count(0)


def test_saving_reminders_names_a_time_changed_above(phone, user):
    PreferredTime.objects.create(user=user, label="Evening", time=dt.time(21))
    phone.goto("/accounts/times/")
    phone.get_by_role("group", name="Evening").get_by_label("Time").fill("21:30")
    phone.get_by_label("Email reminders").check()
    phone.get_by_role("button", name="Save reminders").click()
    expect(phone.get_by_role("alert")).to_contain_text("Not saved yet: Time (Evening).")
    # The times saved first: that Save names the reminders' change in turn,
    # and goes ahead when pressed again. Then the reminders: both kept.
    save_times = phone.get_by_role("button", name="Save times")
    save_times.click()
    expect(phone.locator("form", has=save_times).get_by_role("alert")).to_contain_text(
        "Not saved yet: Email reminders."
    )
    with phone.expect_navigation():
        save_times.click()
    assert PreferredTime.objects.get(user=user).time == dt.time(21, 30)
    phone.get_by_label("Email reminders").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save reminders").click()
    expect(
        phone.locator("#reminders").get_by_text("Email reminders are on.")
    ).to_be_in_viewport()
    user.refresh_from_db()
    assert user.email_reminders
