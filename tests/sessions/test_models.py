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


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("comfort", 0),
        ("comfort", 6),
        ("duration_minutes", 0),
        ("duration_minutes", 181),
        ("pain_before", 11),
        ("pain_after", 11),
        ("zones", 32),
    ],
)
def test_full_clean_refuses_out_of_range_values_without_asking_the_database(
    alice, field, value
):
    """What the check constraints hold, the fields check too: full_clean names
    the field, and runs no query for the ranges."""
    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = MassageSession(
        user=alice,
        started_at=dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC),
        timezone="UTC",
        local_date=dt.date(2026, 11, 1),
        **{field: value},
    )
    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(ValidationError) as refused,
    ):
        session.full_clean()
    assert field in refused.value.message_dict
    assert not [query for query in queries if "_check" in query["sql"]]
