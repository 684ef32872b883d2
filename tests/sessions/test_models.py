import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from sessions.models import MassageSession


def make(user, **overrides):
    fields = {
        "user": user,
        "started_at": dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC),
        "timezone": "UTC",
        "local_date": dt.date(2026, 11, 1),
        "duration_minutes": 10,
        "comfort": 3,
    }
    fields.update(overrides)
    return MassageSession.objects.create(**fields)


@pytest.mark.parametrize(
    "overrides",
    [
        {"comfort": 0},
        {"comfort": 6},
        {"duration_minutes": 0},
        {"duration_minutes": 181},
    ],
)
def test_the_database_refuses_out_of_range_values(alice, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(alice, **overrides)
    assert MassageSession.objects.count() == 0


def test_one_submission_token_makes_one_session_per_user(alice):
    first = make(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        make(alice, submission_token=first.submission_token)
    assert MassageSession.objects.count() == 1


def test_deleting_a_user_deletes_their_sessions_and_techniques(alice, charlie):
    make(alice)
    make(charlie)
    alice.techniques.create(name="Mine")
    alice.delete()
    assert MassageSession.objects.get().user == charlie
    assert not MassageSession.objects.filter(user_id=alice.pk).exists()


def test_a_session_zone_must_be_a_known_zone(alice):
    from django.core.exceptions import ValidationError

    session = MassageSession(
        user=alice,
        started_at=dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC),
        timezone="Mars/Base",
        local_date=dt.date(2026, 11, 1),
        duration_minutes=10,
        comfort=3,
    )
    with pytest.raises(ValidationError):
        session.full_clean()
