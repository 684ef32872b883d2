"""A Footcare backup imported after moving west: a session logged further east
may be on a date after the importer's today."""

import datetime as dt
import json

import pytest
import time_machine

from sessions.models import MassageSession
from tests.conftest import make_user
from tests.factories import log_session
from tests.transfer.files import upload
from tests.transfer.pages import press_import

# 20:00 UTC: 05:00 on the 26th in Tokyo, 20:00 on the 25th in London.
NOW = dt.datetime(2026, 11, 25, 20, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now(settings, tmp_path):
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path)
    with time_machine.travel(NOW, tick=False):
        yield


def export_json(client):
    response = client.get("/accounts/export/footcare.json")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def test_a_backup_with_a_session_logged_further_east_imports_after_moving_west(
    client, db
):
    """Kei practises at 04:30 in Tokyo (26 Nov there, 19:30 UTC on the 25th),
    downloads the Footcare backup, flies home to London and imports it into
    her London account half an hour later. The session already happened: the
    backup must be taken, with that session on 26 Nov (the day it was logged
    for)."""
    kei = make_user("kei", timezone="Asia/Tokyo")
    log_session(kei, dt.datetime(2026, 11, 25, 21, 0))
    log_session(kei, dt.datetime(2026, 11, 26, 4, 30))
    client.force_login(kei)
    backup = export_json(client)
    assert '"date": "2026-11-26"' in backup

    home = make_user("kei-home", timezone="Europe/London")
    client.force_login(home)
    response = client.post("/accounts/import/", {"file": upload(backup, "f.json")})
    problem = response.context["form"].errors if response.status_code == 200 else None
    assert response.status_code == 302, problem
    press_import(client)
    assert sorted(
        MassageSession.objects.for_user(home).values_list("local_date", flat=True)
    ) == [dt.date(2026, 11, 25), dt.date(2026, 11, 26)]


@pytest.mark.parametrize(
    ("date", "zone", "refused"),
    [
        ("2026-11-26", "Asia/Tokyo", None),
        ("2026-11-27", "Asia/Tokyo", "is in the future"),
        ("2026-11-25", "America/Los_Angeles", None),
        ("2026-11-26", "America/Los_Angeles", "is in the future"),
        ("2026-11-29", "Asia/Tokyo", "is too far ahead"),
    ],
)
def test_a_session_without_a_start_may_be_dated_up_to_its_zones_today(
    client, db, date, zone, refused
):
    """A session without a start (from a backup of an imported day) is held to
    a date that has begun in its own zone: at 05:00 on the 26th in Tokyo the
    26th, at noon on the 25th in Los Angeles the 25th. A London account's
    today (the 25th) is not the limit."""
    home = make_user("kei-home", timezone="Europe/London")
    client.force_login(home)
    backup = json.dumps(
        {
            "format": "footcare",
            "version": 2,
            "sessions": [{"date": date, "timezone": zone, "techniques": []}],
        }
    )
    response = client.post("/accounts/import/", {"file": upload(backup, "f.json")})
    if refused is None:
        assert response.status_code == 302, response.context["form"].errors
    else:
        assert response.status_code == 200
        assert f"{date} {refused}" in str(response.context["form"].errors)
    assert not MassageSession.objects.exists()
