"""The import pages as a user meets them: upload, preview, "Import"."""

import datetime as dt
import re

import pytest
import time_machine

from sessions.models import MassageSession
from streaks.models import RestDay
from tests.conftest import make_user
from tests.factories import log_session
from tests.transfer.files import LOOP_HABIT_CSV, LOOP_ROOT_CSV, upload
from tests.transfer.pages import press_import, preview_text, send
from transfer import formats

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fixed_day(settings, tmp_path):
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path / "imports")
    with time_machine.travel(TODAY, tick=False):
        yield


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
    version = type(alice).objects.get(pk=alice.pk).data_version
    assert version > alice.data_version  # cached pages see the new days

    send(alice_client, LOOP_HABIT_CSV)
    html = preview_text(alice_client)
    assert figure(html, "sessions") == 0
    assert figure(html, "skipped") == 4
    press_import(alice_client, html)
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
    response = alice_client.post(
        "/accounts/import/confirm/", {"action": "preview", "habit": "0"}
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
    with time_machine.travel(TODAY + dt.timedelta(hours=2), tick=False):
        response = alice_client.post("/accounts/import/confirm/", follow=True)
    assert "Choose the file again" in response.content.decode()
    assert MassageSession.objects.count() == 0


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
    "footcare newer version": (
        '{"format": "footcare", "version": 2}',
        "this server reads version 1",
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
