"""Dashboard and statistics run a fixed number of queries, whatever the history."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions.models import MassageSession, Technique
from streaks.models import RestDay

NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)
QUERY_BUDGET = 12


def add_daily_sessions(user, count):
    """`count` consecutive daily sessions ending today, in bulk."""
    first = NOW.date() - dt.timedelta(days=count - 1)
    sessions = MassageSession.objects.bulk_create(
        MassageSession(
            user=user,
            started_at=NOW - dt.timedelta(days=count - 1 - i, hours=1),
            timezone="Europe/London",
            local_date=first + dt.timedelta(days=i),
            duration_minutes=10,
            comfort=1 + i % 5,
            pressure=["", "light", "firm"][i % 3],
            submission_token=uuid.uuid4(),
        )
        for i in range(count)
    )
    techniques = list(Technique.objects.filter(user=None))
    Through = MassageSession.techniques.through
    Through.objects.bulk_create(
        Through(massagesession_id=s.pk, technique_id=techniques[i % len(techniques)].pk)
        for i, s in enumerate(sessions)
    )
    RestDay.objects.bulk_create(
        RestDay(user=user, date=first - dt.timedelta(days=d)) for d in range(1, 30, 3)
    )


@pytest.mark.parametrize("url", ["/", "/streaks/"])
def test_the_same_number_of_queries_for_1_or_3650_sessions(
    alice_client, alice, charlie, django_assert_max_num_queries, url
):
    add_daily_sessions(alice, 1)
    with time_machine.travel(NOW, tick=False):
        with CaptureQueriesContext(connection) as small:
            assert alice_client.get(url).status_code == 200
        assert len(small.captured_queries) <= QUERY_BUDGET

        add_daily_sessions(charlie, 3650)
        MassageSession.objects.filter(user=charlie).update(user=alice)
        RestDay.objects.filter(user=charlie).delete()
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = alice_client.get(url)
    assert response.status_code == 200
    assert response.context["history"].stats.current_streak == 3650
