import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from accounts.models import User
from sessions.models import MassageSession, RestDay

NOW = dt.datetime(2026, 12, 6, 22, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_seed_demo_builds_a_realistic_history_and_can_run_again():
    # One moment for both runs: the history stops at "now", so a session
    # starting between two unfrozen runs would be in the second one only.
    with time_machine.travel(NOW, tick=False):
        check_seed_demo()


def check_seed_demo():
    out = StringIO()
    call_command("seed_demo", "--user", "demo", "--years", "2", stdout=out)
    user = User.objects.get(username="demo")
    sessions = MassageSession.objects.filter(user=user)
    count = sessions.count()
    assert 300 < count < 800
    assert "sessions" in out.getvalue()
    assert set(sessions.values_list("timezone", flat=True)) == {
        "Europe/London",
        "America/New_York",
    }
    assert user.timezone == "America/New_York"
    assert RestDay.objects.filter(user=user).exists()
    assert sessions.values("comfort").distinct().count() >= 3
    # The last months record pain, foot and where; the earlier ones do not.
    recorded = sessions.filter(pain_before__isnull=False)
    assert 0 < recorded.count() < count
    assert set(recorded.values_list("foot", flat=True)) == {"left", "right", "both"}
    assert not sessions.filter(pain_before__isnull=True).exclude(zones=0).exists()
    # Rest days never fall on practice days.
    practice = set(sessions.values_list("local_date", flat=True))
    assert not practice & set(
        RestDay.objects.filter(user=user).values_list("date", flat=True)
    )
    # A second run resets rather than doubles.
    call_command("seed_demo", "--user", "demo", "--years", "2", stdout=StringIO())
    assert MassageSession.objects.filter(user=user).count() == count
    assert user.check_password("footcare-demo")


@pytest.mark.django_db
def test_seed_demo_refuses_silly_years():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--years", "0", stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "now",
    [
        # 03:25 in New York (day start 03:00): the morning and evening are ahead.
        dt.datetime(2026, 11, 28, 8, 25, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 28, 12, 10, tzinfo=dt.UTC),  # 07:10, between the two
        dt.datetime(2026, 11, 29, 4, 59, tzinfo=dt.UTC),  # 23:59 the day before
    ],
)
def test_seed_demo_never_writes_a_session_after_now(now):
    with time_machine.travel(now, tick=False):
        for _ in range(2):  # the first run starts in UTC, the second in New York
            call_command(
                "seed_demo", "--user", "demo", "--years", "1", stdout=StringIO()
            )
            latest = MassageSession.objects.latest("started_at").started_at
            assert latest <= now
            assert latest > now - dt.timedelta(days=3)
