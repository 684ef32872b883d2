import datetime as dt

from django.utils import timezone

from accounts.models import PreferredTime, User
from sessions.models import Technique
from streaks.models import ReminderSend
from tests.factories import log_session


def test_an_administrator_sees_failed_reminders_with_their_error(client, alice):
    slot = PreferredTime.objects.create(user=alice, label="Evening", time=dt.time(21))
    ReminderSend.objects.create(
        user=alice,
        slot=slot,
        date=dt.date(2026, 6, 10),
        status=ReminderSend.Status.FAILED,
        error="SMTPServerDisconnected: gone",
        claimed_at=timezone.now(),
    )
    admin = User.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    listing = client.get("/admin/streaks/remindersend/?status__exact=failed")
    assert listing.status_code == 200
    assert "alice" in listing.content.decode()
    row = ReminderSend.objects.get()
    detail = client.get(f"/admin/streaks/remindersend/{row.pk}/change/")
    assert "SMTPServerDisconnected: gone" in detail.content.decode()
    # A record of what was sent: nobody adds or edits one by hand.
    assert client.get("/admin/streaks/remindersend/add/").status_code == 403


def test_an_administrator_cannot_move_a_session_or_technique_to_another_account(
    client, alice, charlie
):
    session = log_session(alice, dt.datetime(2026, 6, 10, 20))
    technique = Technique.objects.create(user=alice, name="Heel rock")
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    for url in (
        f"/admin/logbook/massagesession/{session.pk}/change/",
        f"/admin/logbook/technique/{technique.pk}/change/",
    ):
        page = client.get(url).content.decode()
        assert 'name="user"' not in page  # shown, not editable
        assert "alice" in page


def test_an_administrator_cannot_change_when_or_where_a_session_happened(client, alice):
    # They decide its day and its half of the day: the app's own form moves them.
    session = log_session(alice, dt.datetime(2026, 6, 10, 20))
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    page = client.get(f"/admin/logbook/massagesession/{session.pk}/change/")
    html = page.content.decode()
    for field in ("started_at", "timezone", "local_date", "local_time"):
        assert f'name="{field}' not in html
