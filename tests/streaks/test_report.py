"""The report to share: its figures against a count made here from the sessions
logged, bad ranges as clear messages, and the read-only links (signed out,
revoked, expired, unknown, out of range, with or without the name)."""

import datetime as dt
import itertools
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts import words
from sessions import days
from sessions.models import MassageSession
from streaks.models import ReportLink
from tests.conftest import make_user
from tests.factories import log_session, pause, rest_day
from tests.html import text

URL = "/streaks/report/"
SHARE = "/streaks/report/share/"
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)
users = itertools.count()
TENTH = Decimal("0.1")


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def figure(response, term):
    """The value of one of the report's figures (<dt>term</dt><dd>...</dd>)."""
    found = re.search(
        rf"<dt>{re.escape(term)}</dt><dd[^>]*>(.*?)</dd>", response.content.decode()
    )
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def share(client, first="2026-11-01", last="2026-11-25", **extra):
    """Make a link through the page: its address, as the page shows it."""
    response = client.post(
        SHARE, {"from": first, "to": last, "days": "7", **extra}, follow=True
    )
    found = re.search(
        r'<a id="share-link"[^>]*href="([^"]+)"', response.content.decode()
    )
    assert found, "the new link is shown"
    return found.group(1).removeprefix("http://testserver")


# -- the owner's page ----------------------------------------------------------


def test_days_before_the_first_session_are_not_counted_as_missed(alice_client, alice):
    """A newcomer's 30-day report: not "2 of 30 days (7%)" beside the
    statistics page's 100%."""
    rest_day(alice, dt.date(2026, 11, 20))  # before the first session
    log_session(alice, dt.datetime(2026, 11, 24, 20))
    log_session(alice, dt.datetime(2026, 11, 25, 7))
    response = alice_client.get(URL)
    assert figure(response, "Days practised") == (
        "2 of 2 days since the first session on 24 November 2026 (100%)"
    )


def test_the_report_needs_signing_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_by_default_the_last_30_days(alice_client, alice):
    log_session(alice, dt.datetime(2026, 10, 26, 20), minutes=30)  # 31 days ago
    log_session(alice, dt.datetime(2026, 10, 27, 20), minutes=12)
    log_session(alice, dt.datetime(2026, 11, 25, 7), minutes=15)
    response = alice_client.get(URL)
    assert "27 October 2026 to 25 November 2026 (30 days)" in text(response)
    assert figure(response, "Days practised") == "2 of 30 days (7%)"
    assert figure(response, "Minutes") == "27"
    # The range fields show the range reported on.
    html = response.content.decode()
    assert '<input type="date" name="from" value="2026-10-27"' in html
    assert '<input type="date" name="to" value="2026-11-25"' in html
    # So they do when a day is left out.
    html = alice_client.get(URL + "?from=&to=2026-11-25&notes=on").content.decode()
    assert '<input type="date" name="from" value="2026-10-27"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-11-20&to=2026-11-10", "The first day must be on or before"),
        ("to=2026-11-26", "A report ends today at the latest."),
        ("from=2010-01-01&to=2026-11-25", "at most 3,653 days (ten years)"),
        ("from=1999-12-31&to=2000-01-05", "Pick a first day from 2000 on."),
        ("from=2026-02-30", "Enter a valid date."),
        ("from=yesterday", "Enter a valid date."),
        ("to=" + "9" * 5000, "Enter a valid date."),
        ("from=\x00", "Enter a valid date."),
    ],
)
def test_a_bad_range_is_a_clear_message(alice_client, alice, query, message):
    response = alice_client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert message in text(response)
    assert response.context["report"] is None


def test_notes_only_when_asked_for(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 20, 20), notes="Heel sore after run")
    assert "Heel sore" not in text(alice_client.get(URL))
    assert "Heel sore after run" in text(alice_client.get(f"{URL}?notes=on"))


def test_pauses_and_rest_days_in_the_range(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 1, 20))
    pause(alice, dt.date(2026, 10, 28), dt.date(2026, 10, 31), "travel")
    rest_day(alice, dt.date(2026, 11, 2))
    response = alice_client.get(f"{URL}?from=2026-10-30&to=2026-11-25")
    # The pause, cut to the range.
    assert "Fri 30 Oct 2026 to Sat 31 Oct 2026 (2 days): Travel" in text(response)
    assert figure(response, "Paused days") == "2"
    assert figure(response, "Rest days") == "1"


def test_pain_per_foot_and_zones(alice_client, alice):
    log_session(
        alice,
        dt.datetime(2026, 11, 2, 20),
        pain_before=6,
        pain_after=3,
        foot="left",
        zones=1 | 2,
    )
    log_session(
        alice,
        dt.datetime(2026, 11, 3, 20),
        pain_before=4,
        pain_after=2,
        foot="left",
        zones=1,
    )
    log_session(
        alice, dt.datetime(2026, 11, 4, 20), pain_before=2, pain_after=2, foot="right"
    )
    page = text(alice_client.get(f"{URL}?from=2026-11-02&to=2026-11-08"))
    assert "Week of Sessions Minutes Comfort Pain, left Pain, right" in page
    assert "2 Nov 2026 3 30 4.0 5.0 → 2.5 (n=2) 2.0 → 2.0 (n=1)" in page
    assert "Heel 2 Arch 1" in page


def test_comfort_and_pain_as_charts_by_period(alice_client, alice):
    # Three weeks: the left foot rated in the first and the last, comfort in all.
    for day, pain in ((2, 6), (9, None), (16, 3)):
        log_session(
            alice,
            dt.datetime(2026, 11, day, 20),
            comfort=4,
            pain_before=pain,
            foot="left",
        )
    html = alice_client.get(f"{URL}?from=2026-11-02&to=2026-11-22").content.decode()
    comfort = html.split('id="report-comfort-title"')[1].split("</svg>")[0]
    pain = html.split('id="report-pain-title"')[1].split("</svg>")[0]
    assert ">Average comfort by week<" in html
    assert ">Average pain before a session per foot, by week<" in html
    # Comfort: one line through the three weeks; pain: two dots, no line between
    # them across the week without a rating.
    assert len(re.findall(r'points="([^"]+)"', comfort)[0].split()) == 3
    assert re.findall(r"<polyline", pain) == []
    assert len(re.findall(r'<circle class="dot series-1"', pain)) == 2
    legend = html.split('id="report-pain-title"')[1].split("</ul>")[0]
    assert "Left" in text_of(legend)


def test_no_pain_chart_without_pain(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 2, 20), comfort=4)
    html = alice_client.get(f"{URL}?from=2026-11-02&to=2026-11-08").content.decode()
    assert 'id="report-comfort-title"' in html
    assert 'id="report-pain-title"' not in html


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(logged=[(0, 1, 1), (0, 1, 1), (0, 1, 3), (0, 1, 4)], start_back=0, length=1)
@given(
    logged=st.lists(
        st.tuples(
            st.integers(0, 60),  # days before today
            st.integers(1, 90),  # minutes
            st.one_of(st.none(), st.integers(1, 5)),  # comfort
        ),
        max_size=12,
    ),
    start_back=st.integers(0, 60),
    length=st.integers(1, 61),
)
def test_the_figures_are_those_of_the_range(logged, start_back, length):
    user = make_user(f"reporter{next(users)}", timezone="Europe/London")
    client = Client()
    client.force_login(user)
    for back, minutes, comfort in logged:
        day = TODAY - dt.timedelta(days=back)
        log_session(
            user, dt.datetime.combine(day, dt.time(8)), minutes=minutes, comfort=comfort
        )
    first = TODAY - dt.timedelta(days=start_back)
    last = min(TODAY, first + dt.timedelta(days=length - 1))
    response = client.get(f"{URL}?from={first}&to={last}")
    inside = [
        (TODAY - dt.timedelta(days=back), minutes, comfort)
        for back, minutes, comfort in logged
        if first <= TODAY - dt.timedelta(days=back) <= last
    ]
    # Counted from the first session when the range began before it.
    began = min(
        (TODAY - dt.timedelta(days=back) for back, _, _ in logged), default=first
    )
    counted_from = began if first < began <= last else first
    span = (last - counted_from).days + 1
    practised = len({day for day, _, _ in inside})
    since = (
        f" since the first session on {words.long_date(counted_from)}"
        if counted_from > first
        else ""
    )
    assert figure(response, "Days practised") == (
        f"{practised} of {span} days{since} ({round(100 * practised / span)}%)"
    )
    assert figure(response, "Sessions") == str(len(inside))
    assert figure(response, "Minutes") == str(sum(m for _, m, _ in inside))
    rated = [c for _, _, c in inside if c is not None]
    # One decimal, rounded half up (2.25 shows as 2.3).
    assert figure(response, "Average comfort") == (
        f"{(Decimal(sum(rated)) / len(rated)).quantize(TENTH, ROUND_HALF_UP)} of 5 "
        f"({len(rated)} rated)"
        if rated
        else "Not rated"
    )


def ten_years(user):
    """A session every day for ten years, written as an import writes them."""
    first = TODAY - dt.timedelta(days=3649)
    with transaction.atomic():
        days.lock(user)
        MassageSession.objects.bulk_log(
            user,
            [
                {
                    "local_date": first + dt.timedelta(days=n),
                    "timezone": user.timezone,
                    "duration_minutes": 10,
                    "comfort": 1 + n % 5,
                    "pain_before": n % 11,
                    "pain_after": n % 7,
                    "foot": ("left", "right", "both")[n % 3],
                    "zones": 1 + n % 31,
                    "notes": "note" if n % 4 == 0 else "",
                }
                for n in range(3650)
            ],
        )
        days.refresh(user, since=first)


@pytest.mark.parametrize("history", ["one session", "ten years"])
def test_the_same_queries_for_1_or_3650_sessions(
    alice_client, alice, history, django_assert_max_num_queries
):
    if history == "one session":
        log_session(alice, dt.datetime(2026, 11, 20, 20))
    else:
        ten_years(alice)
    address = share(alice_client, first="2016-11-28", notes="on")
    # Session, user; the days; sessions, pain, zones and notes by period;
    # techniques and their names; pauses; links.
    with django_assert_max_num_queries(11):
        response = alice_client.get(f"{URL}?from=2016-11-28&to=2026-11-25&notes=on")
    assert response.status_code == 200
    # The link, and the same report.
    with django_assert_max_num_queries(9):
        assert Client().get(address).status_code == 200


# -- the links -------------------------------------------------------------------


def test_a_link_opens_the_report_signed_out_with_the_headers(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 20, 20), minutes=25)
    address = share(alice_client)
    response = Client().get(address)
    assert response.status_code == 200
    assert figure(response, "Minutes") == "25"
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex' in response.content.decode()
    # Only a hash of the token is kept.
    token = address.strip("/").split("/")[-1]
    assert not ReportLink.objects.filter(token_hash=token).exists()
    assert token not in str(list(ReportLink.objects.values_list()))


def test_the_link_is_listed_and_shown_once(alice_client, alice):
    share(alice_client)
    page = alice_client.get(URL).content.decode()
    assert 'id="share-link"' not in page
    assert "Works until" in page


def test_twenty_links_may_work_at_once(alice_client, alice, frozen_now):
    """Revoked and expired links do not count; the page lists the newest 40."""
    for _ in range(ReportLink.MAX_WORKING):
        ReportLink.make(alice, dt.date(2026, 11, 1), dt.date(2026, 11, 25), 7)
    refused = alice_client.post(SHARE, {"days": "7"})
    assert refused.status_code == 200
    assert "the most one account may hold" in text(refused)
    assert ReportLink.objects.count() == ReportLink.MAX_WORKING
    ReportLink.objects.filter(pk=ReportLink.objects.first().pk).update(revoked_at=NOW)
    assert alice_client.post(SHARE, {"days": "7"}).status_code == 302
    frozen_now.shift(dt.timedelta(days=8))  # every one of them has expired
    for _ in range(ReportLink.MAX_WORKING):
        assert alice_client.post(SHARE, {"days": "30"}).status_code == 302
    assert ReportLink.objects.count() == 41
    page = text(alice_client.get(URL))
    listed = re.findall(r"(Revoked|Works until|Expired) \d", page)
    assert len(listed) == 2 * ReportLink.MAX_WORKING
    assert listed[: ReportLink.MAX_WORKING] == ["Works until"] * ReportLink.MAX_WORKING


def test_no_username_or_email_unless_ticked(alice_client, alice):
    log_session(alice, dt.datetime(2026, 11, 20, 20))
    plain = Client().get(share(alice_client)).content.decode()
    assert "alice" not in plain.lower()
    named = Client().get(share(alice_client, show_name="on")).content.decode()
    assert "Kept by alice (alice@example.com)" in named


def test_a_link_reveals_nothing_outside_its_range(alice_client, alice):
    log_session(alice, dt.datetime(2026, 10, 20, 20), minutes=40, notes="Outside")
    log_session(alice, dt.datetime(2026, 11, 10, 20), minutes=15, notes="Inside")
    log_session(alice, dt.datetime(2026, 11, 21, 20), minutes=50, notes="After")
    pause(alice, dt.date(2026, 11, 22), dt.date(2026, 11, 24), "injury", "Secret")
    address = share(alice_client, first="2026-11-01", last="2026-11-20", notes="on")
    response = Client().get(address)
    page = text(response)
    assert figure(response, "Minutes") == "15"
    assert "Inside" in page
    for hidden in ("Outside", "After", "Secret", "Injury", "Oct 2026", "21 Nov"):
        assert hidden not in page
    # No query string widens it.
    widened = Client().get(f"{address}?from=2026-01-01&to=2026-11-25")
    assert figure(widened, "Minutes") == "15"


def test_a_revoked_link_is_gone(alice_client, alice):
    address = share(alice_client)
    link = ReportLink.objects.get()
    revoke = f"/streaks/report/links/{link.pk}/revoke/"
    # The Revoke button asks first: the link still works meanwhile.
    assert f'href="{revoke}"' in alice_client.get(URL).content.decode()
    asked = alice_client.get(revoke)
    assert "Revoke the link to your report?" in text(asked)
    assert Client().get(address).status_code == 200
    response = alice_client.post(revoke)
    assert response.status_code == 302
    gone = Client().get(address)
    assert gone.status_code == 410
    assert "This link no longer works" in text(gone)
    assert gone["Cache-Control"] == "no-store"
    assert "Revoked" in text(alice_client.get(URL))
    # Its old Revoke page (Back, another tab) asks no more, nor says it revoked.
    for method in (alice_client.get, alice_client.post):
        again = method(revoke, follow=True)
        assert "no longer opens the report already" in text(again)
        assert "Revoked the link" not in text(again)


@pytest.mark.parametrize(("valid", "works_on_day"), [(7, 6), (30, 29)])
def test_a_link_expires(alice_client, alice, frozen_now, valid, works_on_day):
    address = alice_client.post(
        SHARE, {"from": "2026-11-01", "to": "2026-11-25", "days": str(valid)}
    )
    address = re.search(
        r'id="share-link"[^>]*href="http://testserver([^"]+)"',
        alice_client.get(URL).content.decode(),
    ).group(1)
    frozen_now.move_to(NOW + dt.timedelta(days=works_on_day, hours=23))
    assert Client().get(address).status_code == 200
    frozen_now.move_to(NOW + dt.timedelta(days=valid, seconds=1))
    assert Client().get(address).status_code == 410


@pytest.mark.parametrize(
    "token", ["x" * 43, "short", "a" * 400, "%00", "..", "ü" * 30, "a b" * 10]
)
def test_an_unknown_link_is_not_found(db, token):
    response = Client().get(f"/report/{token}/")
    assert response.status_code == 404
    assert response["X-Robots-Tag"].startswith("noindex")


def test_another_users_link_cannot_be_revoked(alice_client, charlie):
    charlie_client = Client()
    charlie_client.force_login(charlie)
    address = share(charlie_client)
    link = ReportLink.objects.get()
    for pk in (link.pk, "10" * 40, "x"):
        for method in (alice_client.get, alice_client.post):
            response = method(f"/streaks/report/links/{pk}/revoke/")
            assert response.status_code == 404
    assert Client().get(address).status_code == 200
    assert "Works until" not in text(alice_client.get(URL))


def test_sharing_needs_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(SHARE, {"from": "2026-11-01", "to": "2026-11-25"})
    assert response.status_code == 403
    assert not ReportLink.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"from": "2026-11-01", "to": "2026-11-25", "days": "365"},
        {"from": "2026-11-01", "to": "2026-11-25"},
        {"from": "2026-11-26", "to": "2026-11-30", "days": "7"},
        {"from": "bad", "days": "7"},
    ],
)
def test_a_bad_share_makes_no_link(alice_client, alice, data):
    response = alice_client.post(SHARE, data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not ReportLink.objects.exists()


def test_a_deactivated_accounts_link_opens_nothing(alice_client, alice):
    address = share(alice_client)
    alice.is_active = False
    alice.save()
    assert Client().get(address).status_code == 404
