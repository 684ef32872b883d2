import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions.models import MassageSession
from tests.factories import log_session
from tests.html import text

URL = "/sessions/"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(dt.datetime(2026, 11, 25, 20, tzinfo=dt.UTC), tick=False):
        yield


def test_rows_show_day_time_duration_techniques_comfort_and_first_line(
    alice_client, alice
):
    log_session(
        alice,
        dt.datetime(2026, 11, 24, 21, 5),
        minutes=12,
        comfort=5,
        techniques=["arch", "toes"],
        notes="Lovely and warm\nsecond line",
    )
    page = text(alice_client.get(URL))
    assert "Tue 24 Nov 2026" in page
    assert "21:05" in page
    assert "12 min" in page
    assert "comfort 5/5" in page
    assert "Arch thumb pressure, Toe pull and rotate" in page
    assert "Lovely and warm" in page
    assert "second line" not in page


def test_newest_first_25_a_page(alice_client, alice):
    start = dt.datetime(2026, 10, 1, 8, 0)
    for day in range(30):
        log_session(alice, start + dt.timedelta(days=day))
    first = alice_client.get(URL).context["page"]
    assert len(first.object_list) == 25
    assert first.object_list[0].local_date == dt.date(2026, 10, 30)
    second = alice_client.get(URL + "?page=2").context["page"]
    assert [s.local_date.day for s in second.object_list] == [5, 4, 3, 2, 1]


def test_filter_by_month_and_by_technique(alice_client, alice):
    log_session(alice, dt.datetime(2026, 10, 31, 8), techniques=["ball"])
    log_session(alice, dt.datetime(2026, 11, 1, 8), techniques=["roller"])
    log_session(alice, dt.datetime(2026, 11, 2, 8), techniques=["ball"])
    by_month = alice_client.get(URL + "?month=2026-11").context["page"]
    assert {s.local_date for s in by_month} == {
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 2),
    }
    ball = MassageSession.objects.first().techniques.model.objects.get(key="ball")
    both = alice_client.get(URL + f"?month=2026-11&technique={ball.pk}").context["page"]
    assert [s.local_date for s in both] == [dt.date(2026, 11, 2)]


@pytest.mark.parametrize(
    "query",
    [
        "?month=2026-13",
        "?month=garbage",
        "?technique=abc",
        "?technique=999999",
        "?page=abc",
        "?page=9999",
    ],
)
def test_bad_filters_never_fail(alice_client, alice, query):
    log_session(alice, dt.datetime(2026, 11, 2, 8))
    assert alice_client.get(URL + query).status_code == 200


def test_another_users_sessions_never_appear(alice_client, alice, charlie):
    log_session(charlie, dt.datetime(2026, 11, 2, 8), notes="charlie's secret")
    page = alice_client.get(URL)
    assert "charlie's secret" not in page.content.decode()
    assert len(page.context["page"].object_list) == 0


def test_notes_are_escaped(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 2, 8), notes="<script>alert(1)</script>")
    html = alice_client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


LIST_QUERY_BUDGET = 8  # session, user, count, page, techniques, filter choices...


def test_the_list_runs_the_same_queries_for_1_or_200_sessions(
    alice_client, alice, django_assert_max_num_queries
):
    log_session(alice, dt.datetime(2026, 1, 1, 8))
    with CaptureQueriesContext(connection) as one:
        alice_client.get(URL)
    assert len(one.captured_queries) <= LIST_QUERY_BUDGET

    start = dt.datetime(2026, 1, 2, 8)
    for day in range(199):
        log_session(alice, start + dt.timedelta(days=day), techniques=["arch", "toes"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = alice_client.get(URL)
    assert len(page.context["page"].object_list) == 25


def test_a_bad_technique_filter_keeps_a_good_month_filter(alice_client, alice):
    log_session(alice, dt.datetime(2026, 10, 31, 8))
    log_session(alice, dt.datetime(2026, 11, 1, 8))
    response = alice_client.get(URL + "?month=2026-11&technique=999999")
    assert [s.local_date for s in response.context["page"]] == [dt.date(2026, 11, 1)]
    assert "technique" in response.context["filters"].errors
