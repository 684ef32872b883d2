import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions.models import MassageSession
from tests.factories import builtin, log_session, rest_day
from tests.html import form_values, text

URL = "/sessions/"


def days_listed(response):
    """The day of each session on the page, in order, as the page writes them."""
    found = re.findall(
        r'<time datetime="(\d{4}-\d\d-\d\d)">', response.content.decode()
    )
    return [dt.date.fromisoformat(day) for day in found]


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
    first = days_listed(alice_client.get(URL))
    assert len(first) == 25
    assert first[0] == dt.date(2026, 10, 30)
    second = days_listed(alice_client.get(URL + "?page=2"))
    assert [day.day for day in second] == [5, 4, 3, 2, 1]


def test_filter_by_month_and_by_technique(alice_client, alice):
    log_session(alice, dt.datetime(2026, 10, 31, 8), techniques=["ball"])
    log_session(alice, dt.datetime(2026, 11, 1, 8), techniques=["roller"])
    log_session(alice, dt.datetime(2026, 11, 2, 8), techniques=["ball"])
    by_month = days_listed(alice_client.get(URL + "?month=2026-11"))
    assert set(by_month) == {
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 2),
    }
    ball = MassageSession.objects.first().techniques.model.objects.get(key="ball")
    both = days_listed(alice_client.get(URL + f"?month=2026-11&technique={ball.pk}"))
    assert both == [dt.date(2026, 11, 2)]


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
    assert days_listed(response) == [dt.date(2026, 11, 1)]
    assert "technique" in response.context["filters"].errors


def test_a_day_shows_its_sessions_with_the_days_totals(alice_client, alice, charlie):
    log_session(alice, dt.datetime(2026, 11, 24, 7, 30), minutes=10)
    log_session(alice, dt.datetime(2026, 11, 24, 21, 0), minutes=8)
    log_session(alice, dt.datetime(2026, 11, 23, 21, 0))
    log_session(charlie, dt.datetime(2026, 11, 24, 12, 0), notes="charlie's")
    response = alice_client.get(URL + "?date=2026-11-24")
    page = text(response)
    assert "Tuesday 24 November 2026" in page
    assert "2 sessions, 18 minutes" in page
    assert days_listed(response) == [dt.date(2026, 11, 24)] * 2
    assert "charlie" not in page
    html = response.content.decode()
    assert 'href="?date=2026-11-23"' in html  # the day before
    assert 'href="?date=2026-11-25"' in html  # the day after: today
    assert 'href="?month=2026-11"' in html


def test_a_rest_day_says_so_and_today_has_no_day_after(alice_client, alice):
    rest_day(alice, dt.date(2026, 11, 25), "travel")
    response = alice_client.get(URL + "?date=2026-11-25")
    page = text(response)
    assert "0 sessions, 0 minutes · Rest day (travel)" in page
    assert "No session that day" in page
    assert "Day after" not in page


def test_logging_from_an_empty_day_opens_the_form_on_that_day(alice_client):
    html = alice_client.get(URL + "?date=2026-11-20").content.decode()
    links = re.findall(r'href="(/sessions/new/[^"]*)"', html)
    assert links == ["/sessions/new/?day=2026-11-20"] * 2  # the button, "Log one"
    form = alice_client.get(links[0]).context["form"]
    assert form.initial["date"] == dt.date(2026, 11, 20)


def test_a_day_still_ahead_offers_no_log_link_for_it(alice_client):
    """Today is 25 November: the 26th is still ahead (a session is logged once
    it has started: the log form would have opened on today)."""
    today = alice_client.get(URL + "?date=2026-11-25").content.decode()
    assert (
        re.findall(r'href="(/sessions/new/[^"]*)"', today)
        == ["/sessions/new/?day=2026-11-25"] * 2
    )
    response = alice_client.get(URL + "?date=2026-11-26")
    html = response.content.decode()
    assert re.findall(r'href="(/sessions/new/[^"]*)"', html) == ["/sessions/new/"]
    assert "It is still ahead: a session is logged once it has started." in text(
        response
    )


def test_a_month_links_to_the_months_around_it_keeping_the_technique(
    alice_client, alice
):
    log_session(alice, dt.datetime(2026, 10, 2, 8), techniques=["ball"])
    ball = builtin("ball")
    response = alice_client.get(URL + f"?month=2026-10&technique={ball.pk}")
    html = response.content.decode()
    assert "Sessions of October 2026" in text(response)
    assert f'href="?month=2026-09&amp;technique={ball.pk}"' in html
    assert f'href="?month=2026-11&amp;technique={ball.pk}"' in html


@pytest.mark.parametrize(
    ("month", "next_month"),
    [("2026-11", "December 2026"), ("2027-01", "February 2027")],
)
def test_no_month_after_this_one_is_offered(alice_client, month, next_month):
    """Today is 25 November 2026: December has no session yet, nor can it."""
    page = text(alice_client.get(URL + f"?month={month}"))
    assert f"{next_month} →" not in page
    assert "← " in page  # the month before still is


def test_an_empty_month_says_so_in_words_not_as_filters(alice_client):
    page = text(alice_client.get(URL + "?month=2026-10"))
    assert "No sessions in October 2026." in page
    assert "match these filters" not in page


def test_the_filter_on_a_days_page_keeps_the_day(alice_client, alice):
    """Picking a technique on 5 November's page shows that day's sessions with
    it, not every session of all time."""
    log_session(alice, dt.datetime(2026, 11, 5, 8), techniques=["ball"])
    log_session(alice, dt.datetime(2026, 11, 5, 20), techniques=["toes"])
    log_session(alice, dt.datetime(2026, 11, 6, 8), techniques=["ball"])
    page = alice_client.get(URL + "?date=2026-11-05")
    form = form_values(page, action=None)
    assert form["date"] == "2026-11-05"
    ball = builtin("ball")
    filtered = alice_client.get(URL, {**form, "technique": str(ball.pk)})
    assert "Thursday 5 November 2026" in text(filtered)
    assert len(filtered.context["rows"]) == 1
    # Its links to the days around it and to the month keep the technique.
    html = filtered.content.decode()
    for link in ("?date=2026-11-04", "?date=2026-11-06", "?month=2026-11"):
        assert f'href="{link}&amp;technique={ball.pk}"' in html
    # A month picked in the same form goes to that month.
    month = alice_client.get(URL, {**form, "month": "2026-11"})
    assert "Sessions of November 2026" in text(month)


HIDDEN = r'<span aria-hidden="true">.*?</span>'


def pager_links(response):
    """(name, href, current?) of each link in the pager, as a screen reader names
    them (without the arrows hidden from it)."""
    nav = re.search(
        r'<nav class="pager" aria-label="Pages of sessions">(.*?)</nav>',
        response.content.decode(),
        flags=re.S,
    )
    if nav is None:
        return []
    links = re.findall(r'<a class="page-link" href="([^"]+)"([^>]*)>(.*?)</a>', nav[1])
    return [
        (
            re.sub(r"<[^>]+>", "", re.sub(HIDDEN, "", inner)).strip(),
            href.replace("&amp;", "&"),
            "aria-current" in attrs,
        )
        for href, attrs, inner in links
    ]


def test_the_pager_links_newer_first_current_last_and_older(alice_client, alice):
    start = dt.datetime(2025, 11, 1, 8, 0)
    for day in range(25 * 7):
        log_session(alice, start + dt.timedelta(days=day))
    assert pager_links(alice_client.get(URL)) == [
        ("Page 1", "?page=1", True),
        ("Page 7", "?page=7", False),
        ("Older", "?page=2", False),
    ]
    assert pager_links(alice_client.get(URL + "?page=4")) == [
        ("Newer", "?page=3", False),
        ("Page 1", "?page=1", False),
        ("Page 4", "?page=4", True),
        ("Page 7", "?page=7", False),
        ("Older", "?page=5", False),
    ]
    assert pager_links(alice_client.get(URL + "?page=7"))[-1] == (
        "Page 7",
        "?page=7",
        True,
    )
    # The gaps between are marked, and hidden from screen readers.
    html = alice_client.get(URL + "?page=4").content.decode()
    assert html.count('<li class="page-item disabled" aria-hidden="true">') == 2


def test_the_pager_keeps_the_filters_and_is_absent_on_one_page(alice_client, alice):
    start = dt.datetime(2026, 9, 20, 8, 0)
    for day in range(30):  # 11 of them in September
        log_session(alice, start + dt.timedelta(days=day), techniques=["ball"])
    ball = builtin("ball")
    links = pager_links(alice_client.get(URL + f"?technique={ball.pk}"))
    assert links[-1] == ("Older", f"?technique={ball.pk}&page=2", False)
    assert pager_links(alice_client.get(URL + "?month=2026-09")) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?date=garbage", "enter a valid date"),
        ("?date=2026-02-30", "enter a valid date"),
        ("?date=1999-12-31", "from the year 2000 on"),
        ("?date=9999-12-31", "from the year 2000 on"),
        ("?month=9999-12", "from the year 2000 on"),
        ("?month=0001-01", "from the year 2000 on"),
        ("?technique=" + "9" * 30, "Select a valid choice"),
    ],
)
def test_bad_days_and_months_are_explained(alice_client, alice, query, message):
    log_session(alice, dt.datetime(2026, 11, 2, 8))
    response = alice_client.get(URL + query)
    assert response.status_code == 200
    assert message in text(response)
    assert days_listed(response) == [dt.date(2026, 11, 2)]  # the filter is left out


def test_a_day_runs_the_same_queries_for_1_or_50_sessions(
    alice_client, alice, django_assert_max_num_queries
):
    log_session(alice, dt.datetime(2026, 11, 24, 8))
    rest_day(alice, dt.date(2026, 11, 24))
    with CaptureQueriesContext(connection) as one:
        alice_client.get(URL + "?date=2026-11-24")
    assert len(one.captured_queries) <= LIST_QUERY_BUDGET + 2  # totals, rest day
    for minute in range(49):
        log_session(alice, dt.datetime(2026, 11, 24, 9, minute), techniques=["arch"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = alice_client.get(URL + "?date=2026-11-24")
    assert "50 sessions, 500 minutes" in text(response)
