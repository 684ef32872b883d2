"""Exports: the CSV for spreadsheets and the Footcare JSON, and JSON round trips."""

import csv
import datetime as dt
import io
import json
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import localtime
from accounts.models import PreferredTime
from sessions.models import Day, MassageSession, Pause, RestDay, Technique
from tests.conftest import make_user
from tests.factories import log_session, pause, rest_day
from tests.transfer import files
from tests.transfer.files import upload
from tests.transfer.pages import press_import
from transfer import footcare, formats

pytestmark = pytest.mark.django_db


def body(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client):
    text = body(client.get("/accounts/export/sessions.csv"))
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def export_json(client):
    return json.loads(body(client.get("/accounts/export/footcare.json")))


def rich_history(user):
    """Sessions around both DST changes in London, odd notes, own techniques,
    a rest day, a preferred time and an imported day without details."""
    own = Technique.objects.create(user=user, name="Golf ball roll", how_to="Roll")
    Technique.objects.create(user=user, name="Old trick", archived=True)
    log_session(user, dt.datetime(2024, 3, 30, 23, 30), notes='=HYPERLINK("x")')
    log_session(
        user,
        dt.datetime(2024, 3, 31, 3, 15),
        pressure="firm",
        comfort=2,
        pain_before=7,
        pain_after=0,
        foot="right",
        zones=MassageSession.Zone.HEEL | MassageSession.Zone.ANKLE,
    )
    log_session(
        user,
        dt.datetime(2024, 10, 27, 1, 30),
        notes='Commas, "quotes"\nand a new line',
        techniques=("warm-up", "arch"),
    ).techniques.add(own)
    log_session(user, dt.datetime(2024, 10, 27, 1, 30), tz="America/New_York")
    MassageSession.objects.bulk_log(
        user, [{"local_date": dt.date(2024, 11, 2), "timezone": "Europe/London"}]
    )
    rest_day(user, dt.date(2024, 11, 3), "travel")
    pause(user, dt.date(2024, 11, 5), dt.date(2024, 11, 8), "illness", "Flu")
    pause(user, dt.date(2025, 1, 20), dt.date(2025, 1, 22), "travel")  # planned
    PreferredTime.objects.create(
        user=user, label="Evening", time=dt.time(21, 0), weekdays=0b0011111
    )


def test_csv_has_one_row_per_session_with_the_documented_columns(alice_client, alice):
    rich_history(alice)
    rows = csv_rows(alice_client)
    assert list(rows[0]) == [
        "date",
        "start",
        "time_zone",
        "duration_minutes",
        "techniques",
        "comfort",
        "pressure",
        "notes",
        "pain_before",
        "pain_after",
        "foot",
        "where",
    ]
    assert len(rows) == 5
    first = rows[0]
    assert first["date"] == "2024-03-30"
    assert first["start"] == "2024-03-30T23:30:00+00:00"
    assert first["notes"] == '\'=HYPERLINK("x")'  # not a formula any more
    after_change = rows[1]
    assert after_change["start"] == "2024-03-31T03:15:00+01:00"
    assert after_change["pressure"] == "firm"
    assert after_change["comfort"] == "2"
    assert (after_change["pain_before"], after_change["pain_after"]) == ("7", "0")
    assert (after_change["foot"], after_change["where"]) == ("right", "heel; ankle")
    assert (first["pain_before"], first["foot"], first["where"]) == ("", "", "")
    rich = rows[2]
    assert rich["notes"] == 'Commas, "quotes"\nand a new line'
    assert rich["techniques"] == "Arch thumb pressure; Golf ball roll; Warm-up strokes"
    assert rows[3]["time_zone"] == "America/New_York"
    assert rows[3]["start"] == "2024-10-27T01:30:00-04:00"
    imported = rows[4]
    assert (imported["start"], imported["duration_minutes"], imported["comfort"]) == (
        "",
        "",
        "",
    )


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_neutralises_every_formula_start(alice_client, alice, start):
    log_session(alice, dt.datetime(2024, 5, 1, 9, 0), notes=f"{start}1+1")
    assert csv_rows(alice_client)[0]["notes"] == f"'{start}1+1"


def test_exports_show_only_the_users_own_data(alice_client, alice, charlie):
    log_session(charlie, dt.datetime(2024, 5, 1, 9, 0), notes="charlie's")
    Technique.objects.create(user=charlie, name="Charlie's secret")
    log_session(alice, dt.datetime(2024, 5, 2, 9, 0))
    rows = csv_rows(alice_client)
    assert len(rows) == 1
    assert "charlie" not in json.dumps(rows)
    document = export_json(alice_client)
    assert len(document["sessions"]) == 1
    assert "charlie" not in json.dumps(document).lower()


def test_exports_need_a_login(client):
    for url in ("/accounts/export/", "/accounts/export/sessions.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_downloads_are_attachments(alice_client):
    response = alice_client.get("/accounts/export/sessions.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="footcare-')
    response = alice_client.get("/accounts/export/footcare.json")
    assert response["Content-Type"].startswith("application/json")


def test_the_export_page_links_both_files(alice_client):
    html = alice_client.get("/accounts/export/").content.decode()
    assert 'href="/accounts/export/sessions.csv"' in html
    assert 'href="/accounts/export/footcare.json"' in html


@pytest.mark.parametrize("url", ["sessions.csv", "footcare.json"])
def test_exports_run_a_fixed_number_of_queries(
    alice_client, alice, django_assert_max_num_queries, url
):
    def queries():
        with django_assert_max_num_queries(12) as captured:
            body(alice_client.get(f"/accounts/export/{url}"))
        return len(captured)

    log_session(alice, dt.datetime(2024, 1, 1, 9, 0))
    few = queries()
    MassageSession.objects.bulk_log(
        alice,
        [
            {
                "local_date": dt.date(2010, 1, 1) + dt.timedelta(days=i),
                "timezone": "Europe/London",
                "technique_ids": [Technique.objects.filter(user=None).first().pk],
            }
            for i in range(5000)
        ],
    )
    assert queries() == few


def test_json_has_format_and_version(alice_client):
    document = export_json(alice_client)
    assert document["format"] == "footcare"
    assert document["version"] == 2


def test_json_sessions_carry_pain_foot_and_where(alice_client, alice):
    rich_history(alice)
    first, second = export_json(alice_client)["sessions"][:2]
    assert (second["pain_before"], second["pain_after"]) == (7, 0)
    assert (second["foot"], second["where"]) == ("right", ["heel", "ankle"])
    assert (first["pain_before"], first["pain_after"]) == (None, None)
    assert (first["foot"], first["where"]) == ("", [])


def test_json_carries_the_pauses(alice_client, alice):
    rich_history(alice)
    assert export_json(alice_client)["pauses"] == [
        {
            "start": "2024-11-05",
            "end": "2024-11-08",
            "reason": "illness",
            "note": "Flu",
        },
        {"start": "2025-01-20", "end": "2025-01-22", "reason": "travel", "note": ""},
    ]


def test_pauses_as_csv(alice_client, alice, charlie):
    rich_history(alice)
    pause(alice, dt.date(2024, 12, 1), dt.date(2024, 12, 2), "other", "=cmd()")
    pause(charlie, dt.date(2024, 12, 1), dt.date(2024, 12, 2), "other", "Theirs")
    text = body(alice_client.get("/accounts/export/pauses.csv"))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert rows == [
        {
            "start": "2024-11-05",
            "end": "2024-11-08",
            "reason": "illness",
            "note": "Flu",
        },
        {
            "start": "2024-12-01",
            "end": "2024-12-02",
            "reason": "other",
            "note": "'=cmd()",
        },
        {"start": "2025-01-20", "end": "2025-01-22", "reason": "travel", "note": ""},
    ]


@time_machine.travel(dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_pause_over_a_practised_day_or_another_pause_is_left_out(
    client, alice, settings, tmp_path
):
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path)
    log_session(alice, dt.datetime(2024, 5, 1, 8, 0))
    pause(alice, dt.date(2024, 6, 2), dt.date(2024, 6, 4))
    document = json.loads(files.footcare_pauses_json())
    document["pauses"].append(
        {"start": "2024-06-01", "end": "2024-06-02", "reason": "other", "note": ""}
    )
    client.force_login(alice)
    response = client.post(
        "/accounts/import/", {"file": upload(json.dumps(document), "f.json")}
    )
    preview = client.get(response["Location"]).content.decode()
    assert "2 (2 left out: over a practised day or another pause)" in preview
    press_import(client)
    assert sorted(
        Pause.objects.for_user(alice).values_list("start", "end", "reason", "note")
    ) == [
        (dt.date(2024, 4, 20), dt.date(2024, 4, 25), "illness", "Flu"),
        (dt.date(2024, 6, 2), dt.date(2024, 6, 4), "illness", ""),
        (dt.date(2025, 1, 20), dt.date(2025, 1, 22), "travel", ""),
    ]
    # The stored days know them all, the planned ones too.
    assert Day.objects.for_user(alice).filter(paused=True).count() == 6 + 3 + 3


def comparable(document):
    document = dict(document)
    document.pop("account")
    document.pop("exported_at")
    return document


def import_file(client, content):
    response = client.post("/accounts/import/", {"file": upload(content, "f.json")})
    assert response.status_code == 302, response.content.decode()[-2000:]
    response = press_import(client)
    assert response.status_code == 302
    assert response["Location"] == "/sessions/"
    return [message.message for message in get_messages(response.wsgi_request)]


@time_machine.travel(dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
def test_json_round_trip_into_a_fresh_account_is_lossless(
    client, alice, settings, tmp_path
):
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path)
    alice.day_start_hour = 4
    alice.weekly_target = 5
    alice.save()
    rich_history(alice)
    client.force_login(alice)
    first = body(client.get("/accounts/export/footcare.json"))

    bob = make_user("bob", timezone="Asia/Tokyo")
    client.force_login(bob)
    import_file(client, first)
    again = export_json(client)
    assert comparable(again) == comparable(json.loads(first))
    assert again["account"]["username"] == "bob"

    # A second import of the same file adds nothing.
    import_file(client, first)
    assert comparable(export_json(client)) == comparable(json.loads(first))
    assert MassageSession.objects.for_user(bob).count() == 5


@time_machine.travel(dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_rest_day_and_a_pause_planned_ahead_come_back(
    client, alice, settings, tmp_path
):
    """The forms take them up to a year ahead, so an import does too."""
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path)
    log_session(alice, dt.datetime(2025, 1, 14, 20, 0))
    rest_day(alice, dt.date(2025, 2, 1), "travel")
    pause(alice, dt.date(2025, 6, 1), dt.date(2025, 6, 14), "travel")
    client.force_login(alice)
    exported = body(client.get("/accounts/export/footcare.json"))
    client.force_login(make_user("bob"))
    said = import_file(client, exported)
    assert said == ["Imported 1 session, 1 rest day and 1 pause."]


@time_machine.travel(dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_session_logged_during_a_pause_comes_back_with_its_pause(
    client, alice, settings, tmp_path
):
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path)
    pause(alice, dt.date(2025, 1, 10), dt.date(2025, 1, 14))
    log_session(alice, dt.datetime(2025, 1, 12, 20, 0))  # feeling better
    client.force_login(alice)
    exported = body(client.get("/accounts/export/footcare.json"))
    bob = make_user("bob")
    client.force_login(bob)
    said = import_file(client, exported)
    assert said == ["Imported 1 session, 0 rest days and 1 pause."]
    assert list(Pause.objects.for_user(bob).values_list("start", "end")) == [
        (dt.date(2025, 1, 10), dt.date(2025, 1, 14))
    ]
    paused = Day.objects.for_user(bob).filter(paused=True)
    assert sorted(paused.values_list("date", flat=True)) == sorted(
        Day.objects.for_user(alice).filter(paused=True).values_list("date", flat=True)
    )


@time_machine.travel(dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_session_logged_on_a_rest_day_comes_back_with_its_rest_day(
    client, alice, settings, tmp_path
):
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path)
    rest_day(alice, dt.date(2025, 1, 12), "travel")
    log_session(alice, dt.datetime(2025, 1, 12, 20, 0))  # went ahead anyway
    client.force_login(alice)
    exported = body(client.get("/accounts/export/footcare.json"))
    bob = make_user("bob")
    client.force_login(bob)
    import_file(client, exported)
    assert list(RestDay.objects.for_user(bob).values_list("date", "reason")) == [
        (dt.date(2025, 1, 12), "travel")
    ]
    assert MassageSession.objects.for_user(bob).count() == 1


@time_machine.travel(dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
def test_json_into_an_account_with_history_keeps_its_settings_and_days(
    client, alice, settings, tmp_path
):
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path)
    rich_history(alice)
    client.force_login(alice)
    exported = body(client.get("/accounts/export/footcare.json"))
    bob = make_user("bob", timezone="Asia/Tokyo", weekly_target=3)
    log_session(bob, dt.datetime(2024, 3, 31, 9, 0), tz="Asia/Tokyo")
    client.force_login(bob)
    import_file(client, exported)
    bob.refresh_from_db()
    assert (bob.timezone, bob.weekly_target) == ("Asia/Tokyo", 3)
    days = sorted(
        MassageSession.objects.for_user(bob).values_list("local_date", flat=True)
    )
    # Alice's 31 March is skipped: bob logged that day already.
    assert days == [
        dt.date(2024, 3, 30),
        dt.date(2024, 3, 31),
        dt.date(2024, 10, 27),
        dt.date(2024, 10, 27),
        dt.date(2024, 11, 2),
    ]


zones = st.sampled_from(["Europe/London", "America/New_York", "Asia/Kolkata", "UTC"])
# From 3 January 2000: a start on the 2nd can be a practice day of 31 December
# 1999 (evening in New York, a late day start), which no form or file takes.
instants = st.datetimes(
    min_value=dt.datetime(2000, 1, 3), max_value=dt.datetime(2024, 12, 31)
).map(lambda moment: moment.replace(tzinfo=dt.UTC))
texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=60,
)
sessions = st.lists(
    st.fixed_dictionaries(
        {
            "started_at": st.none() | instants,
            "timezone": zones,
            "duration_minutes": st.none() | st.integers(1, 180),
            "comfort": st.none() | st.integers(1, 5),
            "pressure": st.sampled_from(["", "light", "medium", "firm"]),
            "notes": texts,
            "local_date": st.dates(dt.date(2000, 1, 2), dt.date(2024, 12, 31)),
            "day_start_hour": st.integers(0, 23),
        }
    ).map(lambda entry: as_logged(**entry)),
    max_size=12,
)


def as_logged(day_start_hour, **entry):
    """A session as the app writes it: a timed one counts for its start's
    practice day (an untimed one, imported, keeps the date it came with)."""
    if entry["started_at"] is not None:
        zone = zoneinfo.ZoneInfo(entry["timezone"])
        entry["local_date"] = localtime.practice_day(
            entry["started_at"], day_start_hour, zone
        )
    return entry


EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def key(session):
    """Export order: by day, a day's untimed sessions first, then by start."""
    started = session["started_at"]
    return (session["local_date"], started is not None, started or EARLIEST)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(entries=sessions)
def test_any_history_survives_export_and_reading_back(alice, entries):
    with transaction.atomic():
        MassageSession.objects.bulk_log(alice, entries)
        exported = "".join(footcare.stream_export(alice)).encode()
        transaction.set_rollback(True)
    parsed = formats.parse_bytes(exported, dt.date(2025, 1, 1))
    back = parsed.footcare["sessions"]
    assert len(back) == len(entries)
    for original, read in zip(
        sorted(entries, key=key), sorted(back, key=key), strict=True
    ):
        for name in ("started_at", "timezone", "duration_minutes", "comfort"):
            assert read[name] == original[name]
        assert read["pressure"] == original["pressure"]
        assert read["notes"] == original["notes"]
        assert read["local_date"] == original["local_date"]


@pytest.mark.parametrize("export", ["sessions.csv", "pauses.csv"])
def test_importing_an_own_spreadsheet_export_says_which_file_to_use(
    alice_client, alice, export
):
    """The CSVs are for spreadsheets; uploaded to the import page they were
    refused as "not a file Footcare can import", which pointed nowhere."""
    log_session(alice, dt.datetime(2026, 11, 24, 20, 0))
    pause(alice, dt.date(2026, 11, 10), dt.date(2026, 11, 12))
    text = body(alice_client.get(f"/accounts/export/{export}"))
    response = alice_client.post(
        "/accounts/import/", {"file": upload(text.encode("utf-8"), export)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [formats._OWN_SPREADSHEET]
    assert "Everything as Footcare JSON" in response.content.decode()
