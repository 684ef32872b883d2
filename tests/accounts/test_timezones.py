"""Only the tz database's zones for people are offered and accepted; legacy
names browsers still report are read as the zone they mean."""

import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from accounts import timezones
from accounts.models import User, validate_timezone
from tests.conftest import PASSWORD

NOT_ZONES = ["localtime", "Factory", "posixrules", "posix/Europe/London", "right/UTC"]
NOT_ZONES += ["Etc/GMT+5", "Nowhere/Special", "", "Europe/London\x00", "../etc/passwd"]
LEGACY = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Europe/Kiev": "Europe/Kyiv",
    "US/Eastern": "America/New_York",
    "GB": "Europe/London",
    "Etc/UTC": "UTC",
}


def settings_data(zone):
    return {
        "email": "alice@example.com",
        "timezone": zone,
        "day_start_hour": 0,
        "weekly_target": 7,
    }


def test_every_zone_on_offer_loads_and_none_is_a_file_artefact():
    names = timezones.all_names()
    assert "Europe/London" in names
    assert "UTC" in names
    assert len(names) > 300
    for name in names:
        zoneinfo.ZoneInfo(name)
    assert not set(NOT_ZONES) & set(names)
    assert not set(LEGACY) & set(names)


@pytest.mark.parametrize("zone", NOT_ZONES)
def test_settings_refuse_a_name_that_is_not_a_zone(alice_client, alice, zone):
    response = alice_client.post("/accounts/settings/", settings_data(zone))
    assert response.status_code == 200
    assert "timezone" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.timezone == "Europe/London"


@pytest.mark.parametrize("zone", NOT_ZONES)
def test_signup_refuses_a_name_that_is_not_a_zone(client, db, zone):
    data = {"username": "newbie", "email": "n@example.com", "timezone": zone}
    data |= {"password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.parametrize(("legacy", "zone"), LEGACY.items())
def test_legacy_names_keep_working_as_the_zone_they_mean(
    alice_client, alice, legacy, zone
):
    response = alice_client.post("/accounts/settings/", settings_data(legacy))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.timezone == zone
    validate_timezone(legacy)


@pytest.mark.parametrize("zone", NOT_ZONES)
def test_the_model_validator_refuses_them_too(zone):
    with pytest.raises(ValidationError):
        validate_timezone(zone)
