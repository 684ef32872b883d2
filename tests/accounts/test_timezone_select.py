"""The time-zone select on the settings and sign-up pages: every zone, the
user's selected, cheap to render."""

import re

import pytest

from accounts import timezones
from accounts.widgets import TimeZoneSelect


def options(html):
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)


def test_it_lists_every_zone_once_with_the_selected_one_marked():
    html = TimeZoneSelect().render("timezone", "America/New_York", {"id": "id_tz"})
    found = options(html)
    assert [value for value, _, _ in found] == list(timezones.all_names())
    assert [value for value, selected, _ in found if selected] == ["America/New_York"]
    assert (
        "America/Argentina/Buenos_Aires",
        "",
        "America/Argentina/Buenos Aires",
    ) in found
    assert html.startswith('<select name="timezone" id="id_tz">')


def test_values_are_escaped(monkeypatch):
    monkeypatch.setattr(timezones, "choices", lambda: [('"><script>', "<b>")])
    html = TimeZoneSelect().render("timezone", None)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html


@pytest.mark.django_db
def test_the_settings_page_shows_the_users_zone_in_a_fixed_number_of_queries(
    alice_client, django_assert_max_num_queries
):
    # The session, the user and their devices; no more.
    with django_assert_max_num_queries(3):
        html = alice_client.get("/accounts/settings/").content.decode()
    select = re.search(r'<select name="timezone"[^>]*>', html).group(0)
    assert 'class="timezoneselect form-select"' in select
    assert 'id="id_timezone"' in select
    assert "data-timezone-select" in select
    zones = html[html.index(select) : html.index("</select>", html.index(select))]
    assert [v for v, selected, _ in options(zones) if selected] == ["Europe/London"]


@pytest.mark.django_db
def test_sign_up_offers_the_same_list(client):
    html = client.get("/accounts/signup/").content.decode()
    assert len(options(html)) == len(timezones.all_names())
