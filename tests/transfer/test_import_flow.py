"""The import pages as a user meets them: upload, preview, "Import"."""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client

from accounts.models import PreferredTime
from sessions.models import MassageSession, RestDay, Technique
from tests.conftest import make_user
from tests.factories import log_session
from tests.transfer.files import (
    IMPORT_DAY,
    LOOP_1X_HABIT_CSV,
    LOOP_HABIT_CSV,
    LOOP_ROOT_CSV,
    beaver_json,
    footcare_json,
    loop_database,
    loop_database_with_unreadable_schema,
    loop_zip,
    session_entry,
    upload,
    with_flag_bits,
)
from tests.transfer.pages import form_fields, press_import, preview_text, send
from transfer import formats

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_day")]


def figure(html, name):
    return int(re.search(rf'id="preview-{name}">(\d+)<', html).group(1))


def test_the_page_has_a_file_field_labelled_file(alice_client):
    html = alice_client.get("/accounts/import/").content.decode()
    assert re.search(r'<label class="form-label" for="id_file">File</label>', html)
    assert 'enctype="multipart/form-data"' in html


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in ("/accounts/import/", "/accounts/import/preview/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_preview_shows_counts_and_writes_nothing(alice_client, alice):
    log_session(alice, dt.datetime(2024, 3, 28, 20, 0))
    response = send(alice_client, LOOP_HABIT_CSV)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/import/preview/"
    html = preview_text(alice_client)
    assert figure(html, "sessions") == 2  # 31 Mar and 27 Oct; 28 Mar is here
    assert figure(html, "rest-days") == 1
    assert figure(html, "skipped") == 1
    assert "29 Mar 2024" in html
    assert "27 Oct 2024" in html
    assert ">Import</button>" in html
    assert MassageSession.objects.count() == 1
    assert RestDay.objects.count() == 0


def test_import_adds_sessions_and_rest_days_then_the_second_time_nothing(
    alice_client, alice
):
    send(alice_client, LOOP_HABIT_CSV)
    response = press_import(alice_client)
    assert response.status_code == 302
    assert response["Location"] == "/sessions/"
    mine = MassageSession.objects.for_user(alice)
    assert sorted(mine.values_list("local_date", flat=True)) == [
        dt.date(2024, 3, 28),
        dt.date(2024, 3, 31),
        dt.date(2024, 10, 27),
    ]
    assert list(RestDay.objects.values_list("date", flat=True)) == [
        dt.date(2024, 3, 29)
    ]
    # The year page counts them at once.
    year = alice_client.get("/streaks/year/2024/").context["totals"]
    assert (year["practice_days"], year["rest_days"]) == (3, 1)

    send(alice_client, LOOP_HABIT_CSV)
    html = preview_text(alice_client)
    assert figure(html, "sessions") == 0
    assert figure(html, "skipped") == 4
    # Nothing to add: no Import button to press for nothing.
    assert "importing adds nothing" in html
    assert 'value="import"' not in html
    press_import(alice_client, html)  # as an old tab could
    assert mine.count() == 3
    assert RestDay.objects.count() == 1


def test_several_habits_offer_a_choice_with_the_foot_care_one_picked(alice_client):
    send(alice_client, LOOP_ROOT_CSV)
    html = preview_text(alice_client)
    assert '<label class="form-label" for="id_habit">Habit</label>' in html
    assert re.search(r'<option value="1" selected>Foot massage</option>', html)
    assert figure(html, "sessions") == 2

    html = preview_text(alice_client, "?habit=0")
    assert figure(html, "sessions") == 2
    assert figure(html, "rest-days") == 0

    html = preview_text(alice_client, "?habit=2")
    press_import(alice_client, html)
    assert sorted(MassageSession.objects.values_list("local_date", flat=True)) == [
        dt.date(2024, 3, 31)
    ]
    assert list(RestDay.objects.values_list("date", flat=True)) == [
        dt.date(2024, 3, 28)
    ]


def test_show_this_habit_redirects_to_its_preview(alice_client):
    send(alice_client, LOOP_ROOT_CSV)
    fields = form_fields(preview_text(alice_client))
    response = alice_client.post(
        "/accounts/import/confirm/", {**fields, "action": "preview", "habit": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/import/preview/?habit=0"
    assert MassageSession.objects.count() == 0


def test_a_habit_number_out_of_range_imports_nothing(alice_client):
    send(alice_client, LOOP_ROOT_CSV)
    html = preview_text(alice_client)
    for bad in ("7", "-1", "x", str(10**30)):
        response = press_import(alice_client, html, habit=bad)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/import/preview/"
    assert MassageSession.objects.count() == 0


def test_confirm_without_an_upload_says_to_choose_the_file_again(alice_client):
    response = alice_client.post("/accounts/import/confirm/", follow=True)
    assert "Choose the file again" in response.content.decode()
    assert MassageSession.objects.count() == 0


def test_confirm_only_takes_post(alice_client):
    assert alice_client.get("/accounts/import/confirm/").status_code == 405


def test_an_upload_expires_after_an_hour(alice_client):
    send(alice_client, LOOP_HABIT_CSV)
    with time_machine.travel(IMPORT_DAY + dt.timedelta(hours=2), tick=False):
        response = alice_client.post("/accounts/import/confirm/", follow=True)
    assert "Choose the file again" in response.content.decode()
    assert MassageSession.objects.count() == 0


def test_one_waiting_upload_per_account_however_often_it_signs_in(
    alice, charlie, settings
):
    """Each sign-in is a new login session; their uploads must not pile up on
    disk for an hour each. The newest replaces the account's older one."""
    browsers = [Client() for _ in range(3)]
    for browser in browsers:
        browser.force_login(alice)
        send(browser, LOOP_HABIT_CSV)
    other = Client()
    other.force_login(charlie)
    send(other, LOOP_HABIT_CSV)
    assert len(pending_files(settings)) == 2  # alice's newest, and charlie's
    # The newest upload is the one alice can import; the older tabs say so.
    assert (
        "Choose the file again"
        in browsers[0].post("/accounts/import/confirm/", follow=True).content.decode()
    )
    press_import(browsers[-1], preview_text(browsers[-1]))
    assert MassageSession.objects.for_user(alice).count() == 3


def pending_files(settings):
    return list(Path(settings.FOOTCARE_IMPORT_DIR).iterdir())


def test_a_stranger_never_gets_alices_upload(client, alice, charlie):
    client.force_login(alice)
    send(client, LOOP_HABIT_CSV)
    pending = client.session["transfer_pending_upload"]
    client.force_login(charlie)
    session = client.session
    session["transfer_pending_upload"] = pending  # even with alice's file name
    session.save()
    response = client.post("/accounts/import/confirm/", follow=True)
    assert "Choose the file again" in response.content.decode()
    assert MassageSession.objects.count() == 0


def test_imports_are_kept_to_the_importing_account(alice_client, alice, charlie):
    log_session(charlie, dt.datetime(2024, 3, 31, 9, 0))
    send(alice_client, LOOP_HABIT_CSV)
    html = preview_text(alice_client)
    assert figure(html, "skipped") == 0  # charlie's day is not alice's
    press_import(alice_client, html)
    assert MassageSession.objects.for_user(alice).count() == 3
    assert MassageSession.objects.for_user(charlie).count() == 1


def test_import_needs_a_csrf_token(csrf_client, alice):
    csrf_client.force_login(alice)
    response = csrf_client.post("/accounts/import/", {"file": upload(LOOP_HABIT_CSV)})
    assert response.status_code == 403
    response = csrf_client.post("/accounts/import/confirm/", {"action": "import"})
    assert response.status_code == 403


def too_many_rows():
    start = dt.date(2000, 1, 1)
    lines = ["Date,Value,Notes"] + [
        f"{start + dt.timedelta(days=i % 9000)},NO," for i in range(50_001)
    ]
    return "\n".join(lines) + "\n"


def zip_bomb():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Checkmarks.csv", "Date,Value,Notes\n" + "0" * 30_000_000)
    return buffer.getvalue()


BAD_FILES = {
    "an image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a file Footcare can"),
    "plain text": ("Dear diary: today I rubbed my feet.", "not a file Footcare can"),
    "wrong columns": ("Day,Done\n2024-01-01,yes\n", "Line 1 of the file"),
    "wrong column count": (
        "Date,Value,Notes\n2024-01-01,YES_MANUAL,a,b\n",
        "Line 2 of the file: expected Date,Value,Notes",
    ),
    "bad date": (
        "Date,Value,Notes\n2024-01-01,YES_MANUAL,\n2024-02-30,YES_MANUAL,\n",
        "Line 3 of the file: “2024-02-30” is not a date",
    ),
    "future date": (
        "Date,Value,Notes\n2025-01-16,YES_MANUAL,\n",
        "Line 2 of the file: 2025-01-16 is in the future",
    ),
    "bad value": (
        "Date,Value,Notes\n2024-01-01,MAYBE,\n",
        "Line 2 of the file: “MAYBE” is not a Loop value",
    ),
    "broken json": ('{"habits": [', "Line 1: this is not valid JSON"),
    "other json": ('{"rows": []}', "neither a Footcare export"),
    "beaver bad day": (
        '{"habits": [{"name": "Feet", "records": [{"day": "soon", "done": true}]}]}',
        "Entry habits[0].records[0]: “soon” is not a date",
    ),
    "footcare bad entry": (
        '{"format": "footcare", "version": 1, "sessions": [{"date": "2024-01-01", '
        '"timezone": "Mars/Olympus"}]}',
        "Entry sessions[0]: “Mars/Olympus” is not a known time zone",
    ),
    "footcare date far from its start": (
        '{"format": "footcare", "version": 1, "sessions": [{"date": "2020-01-01", '
        '"start": "2024-05-01T21:00:00+01:00", "timezone": "Europe/London"}]}',
        "Entry sessions[0]: “date” must be the day of “start” in its time zone",
    ),
    "footcare newer version": (
        '{"format": "footcare", "version": 3}',
        "this server reads versions 1 to 2",
    ),
    "broken zip": (b"PK\x03\x04garbage", "This zip file is damaged"),
    "zip without checkmarks": (None, "it has no Checkmarks.csv"),
    "zip bomb": (None, "zip bomb"),
    "broken sqlite": (b"SQLite format 3\x00" + b"\x00" * 200, "SQLite file"),
    "too many entries": (None, "more than 50,000 entries"),
}


def bad_file(case):
    content, message = BAD_FILES[case]
    if case == "zip without checkmarks":
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "hello")
        content = buffer.getvalue()
    elif case == "zip bomb":
        content = zip_bomb()
    elif case == "too many entries":
        content = too_many_rows()
    return content, message


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_gets_a_clear_message_and_nothing_is_written(
    alice_client, alice, case
):
    content, message = bad_file(case)
    response = send(alice_client, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert "Nothing was imported." in html
    assert "transfer_pending_upload" not in alice_client.session
    assert MassageSession.objects.count() == 0
    assert RestDay.objects.count() == 0


def test_a_file_over_20_mb_is_refused(alice_client, settings):
    content = b"Date,Value,Notes\n" + b"2024-01-01,NO,\n" * (formats.MAX_BYTES // 15)
    response = send(alice_client, content)
    assert response.status_code in (200, 413)
    assert "larger than 20 MB" in response.content.decode()
    assert MassageSession.objects.count() == 0


def test_no_file_is_a_form_error(alice_client):
    response = alice_client.post("/accounts/import/", {})
    assert "Choose a file to import." in response.content.decode()


def test_settings_and_export_page_link_to_export_and_import(alice_client):
    html = alice_client.get("/accounts/settings/").content.decode()
    assert 'href="/accounts/export/"' in html
    assert 'href="/accounts/import/"' in html


def test_deleting_the_account_offers_the_json_export_first(alice_client):
    html = alice_client.get("/accounts/delete/").content.decode()
    assert 'href="/accounts/export/footcare.json"' in html
    assert html.index("footcare.json") < html.index("Delete my account for good")


def test_a_second_user_can_import_the_same_file(client, alice):
    bob = make_user("bob", timezone="America/New_York")
    for user in (alice, bob):
        client.force_login(user)
        send(client, LOOP_HABIT_CSV)
        press_import(client)
    assert MassageSession.objects.for_user(bob).count() == 3
    assert MassageSession.objects.for_user(alice).count() == 3
    # Imported days keep the importer's zone and no invented time.
    session = MassageSession.objects.for_user(bob).first()
    assert session.timezone == "America/New_York"
    assert session.started_at is None
    assert session.duration_minutes is None


def test_a_footcare_export_into_a_new_account_previews_its_settings(client, alice):
    import json

    document = {
        "format": "footcare",
        "version": 1,
        "settings": {"timezone": "Asia/Tokyo", "day_start_hour": 4, "weekly_target": 5},
        "techniques": [{"name": "Golf ball roll", "how_to": "", "archived": False}],
        "preferred_times": [{"label": "Evening", "time": "21:00", "weekdays": [0, 6]}],
        "rest_days": [{"date": "2024-05-02", "reason": "travel"}],
        "sessions": [
            {
                "date": "2024-05-01",
                "start": "2024-05-01T21:00:00+09:00",
                "timezone": "Asia/Tokyo",
                "duration_minutes": 15,
                "comfort": 5,
                "pressure": "light",
                "techniques": ["Golf ball roll", "Warm-up strokes"],
                "notes": "",
            }
        ],
    }
    client.force_login(alice)
    send(client, json.dumps(document), "footcare.json")
    html = preview_text(client)
    assert "Footcare export" in html
    assert "time zone Asia/Tokyo, day starts at 4:00, weekly target 5 days" in html
    assert "New techniques: Golf ball roll." in html
    assert "Preferred times: 1." in html
    assert 'id="id_habit"' not in html  # one account, no habit to choose
    press_import(client, html)
    alice.refresh_from_db()
    assert (alice.timezone, alice.day_start_hour, alice.weekly_target) == (
        "Asia/Tokyo",
        4,
        5,
    )
    session = MassageSession.objects.get(user=alice)
    assert session.started_at == dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    # A version 1 file knows nothing of pain, foot or where.
    assert (session.pain_before, session.pain_after, session.foot) == (None, None, "")
    assert session.zones == 0
    assert sorted(t.name for t in session.techniques.all()) == [
        "Golf ball roll",
        "Warm-up strokes",
    ]


def test_a_malformed_content_length_is_not_an_error(alice_client):
    response = alice_client.post(
        "/accounts/import/",
        {"file": upload(LOOP_HABIT_CSV, "Checkmarks.csv")},
        CONTENT_LENGTH="not-a-number",
    )
    assert response.status_code != 500
    assert MassageSession.objects.count() == 0


# Files that once gave a 500, each through upload, preview and "Import"
# (numbered as in the issue that found them).


def refused(client, content, message, name="file.json"):
    response = send(client, content, name)
    assert response.status_code == 200
    html = response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert message in html
    assert "Nothing was imported." in html
    assert "transfer_pending_upload" not in client.session
    assert MassageSession.objects.count() == 0
    assert RestDay.objects.count() == 0


def imported(client, content, name="file.json"):
    response = send(client, content, name)
    assert response.status_code == 302, response.content.decode()[-3000:]
    response = press_import(client)
    assert response.status_code == 302
    assert response["Location"] == "/sessions/"
    return response


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"sessions": [session_entry(pressure=["firm"])]}, "is not a pressure"),
        ({"sessions": [session_entry(pressure={"a": 1})]}, "is not a pressure"),
        (
            {"rest_days": [{"date": "2024-05-03", "reason": ["travel"]}]},
            "is not a rest-day reason",
        ),
        (
            {"rest_days": [{"date": "2024-05-03", "reason": {"a": 1}}]},
            "is not a rest-day reason",
        ),
    ],
)
def test_1_a_list_or_object_where_a_choice_belongs(alice_client, parts, message):
    refused(alice_client, footcare_json(**parts), message)


@pytest.mark.parametrize(
    "start", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:00-05:00"]
)
def test_2_a_start_with_an_extreme_offset(alice_client, start):
    sessions = [session_entry(start=start)]
    refused(alice_client, footcare_json(sessions=sessions), "“start” must be")


def test_3_a_number_of_more_than_4300_digits(alice_client):
    content = footcare_json(sessions=[session_entry(comfort=0)])
    content = content.replace('"comfort": 0', '"comfort": ' + "7" * 4301)
    refused(alice_client, content, "a number too long")


def test_4_a_zip_member_flagged_encrypted(alice_client):
    refused(alice_client, with_flag_bits(loop_zip(), 0x1), "is encrypted", "l.zip")


def test_5_a_loop_database_whose_messages_are_not_utf8(alice_client, tmp_path):
    content = loop_database_with_unreadable_schema(tmp_path / "loop.db")
    refused(alice_client, content, "This SQLite file is damaged", "loop.db")


def test_6_a_request_over_the_limit_is_413_with_a_message(alice_client):
    content = b"Date,Value,Notes\n" + b"2024-01-01,NO,\n" * (21 * 1024 * 1024 // 15)
    response = send(alice_client, content, "Checkmarks.csv")
    assert response.status_code == 413
    html = response.content.decode()
    assert "The file is larger than 20 MB." in html
    assert "Nothing was imported." in html
    assert "transfer_pending_upload" not in alice_client.session


def test_7_a_preferred_time_with_an_offset_is_kept_as_wall_clock(alice_client, alice):
    times = [{"label": "Morning", "time": "07:30+05:00", "weekdays": [0, 1]}]
    imported(alice_client, footcare_json(preferred_times=times))
    slot = PreferredTime.objects.get(user=alice)
    assert (slot.label, slot.time) == ("Morning", dt.time(7, 30))


def test_8_nul_characters_are_stripped_in_every_format(alice_client, alice, tmp_path):
    imported(
        alice_client,
        footcare_json(
            techniques=[{"name": "Golf\u0000 ball", "how_to": "Ro\u0000ll"}],
            preferred_times=[{"label": "Eve\u0000", "time": "21:00", "weekdays": [1]}],
            sessions=[session_entry(notes="So\u0000re", techniques=["Golf ball"])],
        ),
    )
    technique = Technique.objects.get(user=alice)
    assert (technique.name, technique.how_to) == ("Golf ball", "Roll")
    assert PreferredTime.objects.get(user=alice).label == "Eve"
    session = MassageSession.objects.get(user=alice)
    assert session.notes == "Sore"
    assert list(session.techniques.all()) == [technique]

    beaver = beaver_json(
        [
            {
                "name": "Foot care",
                "records": [{"day": "2024-02-01", "done": True, "text": "x\u0000y"}],
            }
        ]
    )
    imported(alice_client, beaver)
    csv_text = "Date,Value,Notes\n2024-02-02,YES_MANUAL,a\x00b\n"
    imported(alice_client, csv_text, "Checkmarks.csv")
    rows = [(2, dt.date(2024, 2, 3), 2, "c\x00d")]
    imported(alice_client, loop_database(tmp_path / "l.db", rows), "loop.db")
    notes = dict(
        MassageSession.objects.filter(user=alice).values_list("local_date", "notes")
    )
    assert notes[dt.date(2024, 2, 1)] == "xy"
    assert notes[dt.date(2024, 2, 2)] == "ab"
    assert notes[dt.date(2024, 2, 3)] == "cd"


def test_9_techniques_i_and_dotted_i_are_two_techniques(alice_client, alice):
    sessions = [session_entry(techniques=["I", "İ", "i"])]
    techniques = [{"name": "I", "how_to": ""}, {"name": "İ", "how_to": ""}]
    imported(alice_client, footcare_json(techniques=techniques, sessions=sessions))
    names = sorted(Technique.objects.filter(user=alice).values_list("name", flat=True))
    assert names == ["I", "İ"]  # "i" is the same technique as "I"
    assert MassageSession.objects.get(user=alice).techniques.count() == 2


# What was previewed is what is imported.


def test_two_tabs_import_in_the_first_tab_refuses_the_newer_file(alice_client):
    send(alice_client, "Date,Value,Notes\n2024-03-01,YES_MANUAL,\n", "x.csv")
    first_tab = preview_text(alice_client)
    five = "".join(f"2024-04-0{day},YES_MANUAL,\n" for day in range(1, 6))
    send(alice_client, "Date,Value,Notes\n" + five, "y.csv")
    response = press_import(alice_client, first_tab)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/import/preview/")
    assert MassageSession.objects.count() == 0
    html = alice_client.get(response["Location"]).content.decode()
    assert "That preview was of another file" in html
    assert "y.csv" in html
    assert figure(html, "sessions") == 5
    press_import(alice_client, html)
    assert MassageSession.objects.count() == 5


def test_a_habit_chosen_without_showing_it_is_shown_not_imported(alice_client):
    send(alice_client, LOOP_ROOT_CSV)
    html = preview_text(alice_client)  # "Foot massage" (habit 1) is shown
    response = press_import(alice_client, html, habit="0")
    assert response["Location"] == "/accounts/import/preview/?habit=0"
    assert MassageSession.objects.count() == 0
    page = alice_client.get(response["Location"]).content.decode()
    assert "The preview showed another habit" in page
    assert re.search(r'<option value="0" selected>Meditate</option>', page)
    press_import(alice_client, page)
    assert sorted(MassageSession.objects.values_list("local_date", flat=True)) == [
        dt.date(2024, 3, 29),
        dt.date(2024, 3, 30),
    ]


def test_a_day_logged_after_the_preview_refuses_the_import(alice_client, alice):
    send(alice_client, LOOP_HABIT_CSV)
    html = preview_text(alice_client)
    log_session(alice, dt.datetime(2024, 3, 31, 8, 0))  # in another tab
    response = press_import(alice_client, html)
    assert response["Location"].startswith("/accounts/import/preview/")
    assert MassageSession.objects.count() == 1
    page = alice_client.get(response["Location"]).content.decode()
    assert "Your logbook changed since this preview" in page
    assert figure(page, "sessions") == 2
    press_import(alice_client, page)
    assert MassageSession.objects.count() == 3


def test_an_account_that_changes_while_import_waits_for_the_lock_gets_nothing(
    alice_client, alice, monkeypatch
):
    from transfer import importer

    send(alice_client, LOOP_HABIT_CSV)
    html = preview_text(alice_client)
    planned = importer.plan

    def plan_then_someone_logs(user, parsed, habit=0):
        result = planned(user, parsed, habit)
        log_session(alice, dt.datetime(2024, 3, 31, 8, 0))
        return result

    monkeypatch.setattr(importer, "plan", plan_then_someone_logs)
    response = press_import(alice_client, html)
    assert response["Location"].startswith("/accounts/import/preview/")
    assert MassageSession.objects.count() == 1
    assert RestDay.objects.count() == 0


def test_a_failed_write_leaves_nothing(alice_client, alice, monkeypatch):
    from django.db import IntegrityError

    def fails(objs, **kwargs):
        raise IntegrityError("as if a constraint failed")

    send(alice_client, LOOP_HABIT_CSV)
    html = preview_text(alice_client)
    monkeypatch.setattr(RestDay.objects, "bulk_create", fails)
    response = press_import(alice_client, html)
    assert response["Location"] == "/accounts/import/"
    assert MassageSession.objects.count() == 0  # written before the rest days
    assert "could not be imported" in alice_client.get("/").content.decode()


def test_loop_1x_files_import_alone_and_in_a_zip(alice_client, alice):
    imported(alice_client, LOOP_1X_HABIT_CSV, "Checkmarks.csv")
    assert MassageSession.objects.filter(user=alice).count() == 2
    assert RestDay.objects.filter(user=alice).count() == 1

    content = loop_zip({"Foot massage": "2024-04-02,2\n2024-04-01,3\n"})
    imported(alice_client, content, "loop.zip")
    assert MassageSession.objects.filter(user=alice).count() == 3
    assert RestDay.objects.filter(user=alice).count() == 2
