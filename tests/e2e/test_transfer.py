"""Export and import in a real browser, on a phone: from Settings to an imported
history, through the preview, with axe checking each page."""

import csv
import io

import pytest
from playwright.sync_api import expect

from sessions.models import MassageSession
from tests.e2e.conftest import PHONE, sign_in
from tests.e2e.pages import axe_violations, horizontal_overflow, open_menu_if_collapsed
from tests.factories import log_session
from tests.transfer.files import LOOP_ROOT_CSV

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_import_a_loop_export_on_a_phone(
    make_context, user, live_server, tmp_path, settings
):
    settings.FOOTCARE_IMPORT_DIR = str(tmp_path / "imports")
    upload = tmp_path / "Checkmarks.csv"
    upload.write_text(LOOP_ROOT_CSV)
    page = make_context(viewport=PHONE).new_page()
    sign_in(page.context, user, live_server)

    page.goto("/")
    open_menu_if_collapsed(page)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Import data").click()
    expect(page.get_by_role("heading", name="Import data")).to_be_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0

    page.get_by_label("File", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    habit = page.get_by_label("Habit", exact=True)
    expect(habit).to_have_value("1")  # "Foot massage", picked by its name
    expect(page.locator("#preview-sessions")).to_have_text("2")
    expect(page.locator("#preview-rest-days")).to_have_text("1")
    assert MassageSession.objects.count() == 0
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 2 sessions and 1 rest day.")).to_be_visible()
    # The imported days are listed, without the time, length and comfort that
    # Loop does not keep.
    expect(page.locator(".session-row").first).to_be_visible()
    expect(page.get_by_text("not recorded")).to_have_count(0)
    assert MassageSession.objects.filter(user=user).count() == 2

    # The same file again adds nothing.
    page.goto("/accounts/import/")
    page.get_by_label("File", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-sessions")).to_have_text("0")
    expect(page.get_by_text("importing adds nothing")).to_be_visible()
    expect(page.get_by_role("button", name="Import", exact=True)).to_have_count(0)
    assert MassageSession.objects.filter(user=user).count() == 2


def test_a_bad_file_is_named_and_focused(make_context, user, live_server, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("Date,Value,Notes\n2024-02-30,YES_MANUAL,\n")
    page = make_context(viewport=PHONE).new_page()
    sign_in(page.context, user, live_server)
    page.goto("/accounts/import/")
    page.get_by_label("File", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#form-errors")).to_contain_text("Line 2")
    assert axe_violations(page) == []


def test_download_the_csv_export(make_context, user, live_server):
    import datetime as dt

    log_session(user, dt.datetime(2024, 5, 1, 7, 45), notes="=1+1, firm")
    page = make_context(viewport=PHONE).new_page()
    sign_in(page.context, user, live_server)
    page.goto("/accounts/export/")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Sessions as CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["notes"] == "'=1+1, firm"
    assert row["start"] == "2024-05-01T07:45:00+05:30"
