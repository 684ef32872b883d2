"""What works for me: every figure checked against a calculation written out
here, from a history built by hand through the log form's path."""

import datetime as dt
import itertools
import statistics
from fractions import Fraction

import pytest
import time_machine

from accounts.models import User
from sessions.models import MassageSession
from tests.factories import builtin, log_session
from tests.html import table, text

URL = "/streaks/insights/"
NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)  # a Wednesday
ZONE = MassageSession.Zone
FEET = {"left": "Left", "right": "Right", "both": "Both"}
PRESSURES = {"light": "Light", "medium": "Medium", "firm": "Firm"}


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


# The history: (days ago, local hour, techniques, zones, pressure, foot,
# comfort, pain before, pain after). Varied so that groups have 1 to 7
# sessions, some without comfort or pain.
HISTORY = [
    (1, 7, ("warm-up", "arch"), ZONE.HEEL | ZONE.ARCH, "light", "left", 4, 6, 3),
    (2, 21, ("warm-up",), ZONE.HEEL, "firm", "left", 2, 5, 5),
    (3, 8, ("arch",), ZONE.ARCH, "medium", "right", 5, 7, 2),
    (4, 22, ("toes", "warm-up"), ZONE.TOES, "light", "both", 3, 4, 4),
    (5, 2, ("arch",), ZONE.ARCH | ZONE.BALL, "medium", "right", 4, 6, 2),
    (6, 9, ("warm-up", "ankle"), ZONE.ANKLE, "", "", None, None, None),
    (9, 19, ("arch", "toes"), ZONE.HEEL, "firm", "left", 1, 8, 8),
    (15, 6, ("warm-up",), 0, "light", "left", 5, 3, 1),
    (30, 12, ("arch",), ZONE.ARCH, "medium", "right", 3, 5, None),
    (60, 23, ("toes",), ZONE.TOES | ZONE.HEEL, "", "both", 4, 2, 1),
    (85, 10, ("warm-up", "arch"), ZONE.HEEL, "light", "right", 4, 9, 4),
    (100, 11, ("arch",), ZONE.BALL, "firm", "left", 2, 4, 6),
]
DAY_START = 4


def build(user):
    User.objects.filter(pk=user.pk).update(day_start_hour=DAY_START)
    user.refresh_from_db()
    london_today = dt.date(2026, 11, 25)
    for ago, hour, techniques, zones, pressure, foot, comfort, before, after in HISTORY:
        log_session(
            user,
            dt.datetime.combine(london_today - dt.timedelta(days=ago), dt.time(hour)),
            techniques=techniques,
            zones=zones,
            pressure=pressure,
            foot=foot,
            comfort=comfort,
            pain_before=before,
            pain_after=after,
        )


def expected_groups():
    """{section: {label: [comfort values, pain changes, sessions]}} by hand."""
    groups = {}

    def add(section, label, comfort, change):
        row = groups.setdefault(section, {}).setdefault(label, [[], [], 0])
        if comfort is not None:
            row[0].append(comfort)
        if change is not None:
            row[1].append(change)
        row[2] += 1

    for _, hour, techniques, zones, pressure, foot, comfort, before, after in HISTORY:
        change = None if before is None or after is None else after - before
        for key in techniques:
            add("Technique", builtin(key).name, comfort, change)
        for zone in ZONE:
            if zones & zone:
                add("Where", zone.label, comfort, change)
        if pressure:
            add("Pressure", PRESSURES[pressure], comfort, change)
        if foot:
            add("Foot", FEET[foot], comfort, change)
        # Day start 4: 02:00 belongs to the evening of the day before.
        add(
            "Time of day",
            "Morning" if 4 <= hour < 12 else "Afternoon, evening or night",
            comfort,
            change,
        )
    return groups


def expected_rows(section):
    """The table's rows as the page should show them: ranked by average pain
    change (lowest first, then comfort, then name) for groups with 3 or more
    pain changes, then the rest by sessions and name without a rank."""
    rows = []
    for label, (comforts, changes, n) in expected_groups()[section].items():
        comfort = Fraction(sum(comforts), len(comforts)) if comforts else None
        change = statistics.mean(map(Fraction, changes)) if changes else None
        rows.append((label, n, comfort, comforts, change, changes))
    ranked = sorted(
        (r for r in rows if len(r[5]) >= 3), key=lambda r: (r[4], -(r[2] or 0), r[0])
    )
    rest = sorted((r for r in rows if len(r[5]) < 3), key=lambda r: (-r[1], r[0]))
    cells = []
    for rank, (label, n, comfort, comforts, change, changes) in itertools.chain(
        enumerate(ranked, start=1), ((None, r) for r in rest)
    ):
        cells.append(
            [
                str(rank) if rank else "Not ranked: –",
                label,
                str(n),
                f"{round(float(comfort), 1):.1f} ({len(comforts)})"
                if comforts
                else "–",
                f"{float(change):+.1f} ({len(changes)})" if changes else "–",
            ]
        )
    return cells


@pytest.mark.parametrize(
    "section", ["Technique", "Where", "Pressure", "Foot", "Time of day"]
)
def test_every_figure_matches_a_calculation_by_hand(alice_client, alice, section):
    build(alice)
    response = alice_client.get(URL)
    assert response.status_code == 200
    found = table(response, "Rank", section)
    assert found == expected_rows(section)


def test_it_says_why_some_rows_are_not_ranked(alice_client, alice):
    build(alice)
    page = text(alice_client.get(URL))
    assert "Nothing is ranked with fewer than 3 sessions" in page
    assert "Ranked by the average change in pain" in page


def test_without_pain_it_ranks_by_comfort(alice_client, alice):
    for ago, comfort in [(1, 5), (2, 4), (3, 4), (4, 2)]:
        log_session(
            alice,
            dt.datetime(2026, 11, 25 - ago, 9),
            techniques=("arch",) if comfort != 2 else ("toes",),
            comfort=comfort,
        )
    response = alice_client.get(URL)
    assert "Ranked by average comfort" in text(response)
    rows = table(response, "Rank", "Technique")
    assert rows[0] == ["1", builtin("arch").name, "3", "4.3 (3)", "–"]
    assert rows[1] == ["Not ranked: –", builtin("toes").name, "1", "2.0 (1)", "–"]


def test_the_pain_trend_per_foot_week_by_week(alice_client, alice):
    build(alice)
    response = alice_client.get(URL)
    rows = table(response, "Week")
    assert len(rows) == 12
    monday = dt.date(2026, 11, 23)
    weeks = [monday - dt.timedelta(weeks=back) for back in range(11, -1, -1)]
    feet = {}
    for ago, hour, *_, foot, _, before, _ in HISTORY:
        day = dt.date(2026, 11, 25) - dt.timedelta(days=ago)
        if hour < DAY_START:
            day -= dt.timedelta(days=1)
        if before is None or day < weeks[0]:
            continue
        week = day - dt.timedelta(days=day.weekday())
        feet.setdefault(FEET.get(foot, "Foot not noted"), {}).setdefault(
            week, []
        ).append(before)
    header = [h for h in ("Left", "Right", "Both") if h in feet]
    assert table(response, "Week", *header)  # one column per foot, in this order
    for row, week in zip(rows, weeks, strict=True):
        assert row[0] == f"Week of {week.day} {week:%b} {week.year}"
        for cell, foot in zip(row[1:], header, strict=True):
            values = feet[foot].get(week)
            assert cell == (
                f"{round(float(statistics.mean(values)), 1)} ({len(values)})"
                if values
                else "–"
            )
    assert 'class="line series-1"' in response.content.decode()


def test_an_edited_start_moves_a_session_between_morning_and_evening(
    alice_client, alice
):
    session = log_session(alice, dt.datetime(2026, 11, 24, 9), comfort=4)
    assert table(alice_client.get(URL), "Rank", "Time of day")[0][1] == "Morning"
    response = alice_client.post(
        f"/sessions/{session.pk}/edit/",
        {
            "date": "2026-11-24",
            "start_time": "19:30",
            "duration_minutes": "10",
            "techniques": [builtin("warm-up").pk],
            "comfort": "4",
            "token": str(session.submission_token),
        },
    )
    assert response.status_code == 302
    rows = table(alice_client.get(URL), "Rank", "Time of day")
    assert [row[1:3] for row in rows] == [["Afternoon, evening or night", "1"]]


def test_a_session_counts_by_the_clock_where_it_happened(alice_client, alice):
    # 08:00 in Tokyo is 23:00 the evening before in London, the user's zone.
    log_session(
        alice,
        dt.datetime(2026, 11, 24, 8),
        tz="Asia/Tokyo",
        comfort=3,
    )
    rows = table(alice_client.get(URL), "Rank", "Time of day")
    assert [row[1:3] for row in rows] == [["Morning", "1"]]


def test_imported_sessions_count_by_their_own_clock_and_days_without_a_time_in_no_half(
    alice_client, alice
):
    User.objects.filter(pk=alice.pk).update(day_start_hour=DAY_START)
    imported = [
        # (UTC start or None, zone): 03:59 and 12:00 in New York are evening,
        # 04:00 and 11:59 morning (day start 4); a day imported without a time.
        (dt.datetime(2026, 11, 20, 8, 59, tzinfo=dt.UTC), "America/New_York"),
        (dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), "America/New_York"),
        (dt.datetime(2026, 11, 20, 16, 59, tzinfo=dt.UTC), "America/New_York"),
        (dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.UTC), "America/New_York"),
        (None, "Europe/London"),
    ]
    MassageSession.objects.bulk_log(
        alice,
        [
            {
                "local_date": dt.date(2026, 11, 19 + i),
                "timezone": zone,
                "started_at": start,
                "comfort": 3,
                "pressure": "light",
                "technique_ids": [builtin("arch").pk],
            }
            for i, (start, zone) in enumerate(imported)
        ],
    )
    response = alice_client.get(URL)
    halves = {row[1]: row[2] for row in table(response, "Rank", "Time of day")}
    assert halves == {"Morning": "2", "Afternoon, evening or night": "2"}
    # The day without a time still counts everywhere else.
    assert table(response, "Rank", "Pressure")[0][1:3] == ["Light", "5"]
    assert table(response, "Rank", "Technique")[0][1:3] == [builtin("arch").name, "5"]


def test_a_new_account_sees_an_explanation(alice_client):
    page = text(alice_client.get(URL))
    assert "Nothing logged yet" in page


def test_it_shows_only_the_users_own_sessions(alice_client, alice, charlie):
    build(charlie)
    log_session(alice, dt.datetime(2026, 11, 24, 9), techniques=("toes",))
    rows = table(alice_client.get(URL), "Rank", "Technique")
    assert [row[1] for row in rows] == [builtin("toes").name]


@pytest.mark.django_db
def test_it_asks_strangers_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_statistics_pages_link_to_it(alice_client):
    assert f'href="{URL}"' in alice_client.get("/streaks/").content.decode()


def test_a_fixed_number_of_queries_for_1_or_3650_sessions(
    alice_client, alice, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log_session(alice, dt.datetime(2026, 11, 24, 9), pain_before=5, pain_after=3)
    with CaptureQueriesContext(connection) as small:
        assert alice_client.get(URL).status_code == 200
    first = dt.date(2026, 11, 25) - dt.timedelta(days=3650)
    MassageSession.objects.bulk_log(
        alice,
        [
            {
                "local_date": first + dt.timedelta(days=i),
                "timezone": "Europe/London",
                "started_at": dt.datetime.combine(
                    first + dt.timedelta(days=i), dt.time(8 + i % 14), dt.UTC
                ),
                "comfort": 1 + i % 5,
                "pain_before": i % 11,
                "pain_after": (i * 7) % 11,
                "foot": ["", "left", "right", "both"][i % 4],
                "zones": i % 32,
                "pressure": ["", "light", "firm"][i % 3],
                "technique_ids": [],
            }
            for i in range(3649)
        ],
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = alice_client.get(URL)
    assert response.status_code == 200
    assert table(response, "Rank", "Foot")[0][2] != "1"


def test_techniques_with_the_same_figures_share_a_rank(alice_client, alice):
    """Always done together, the arch and the toes cannot be told apart: they
    were ranked 1 and 2 with the same figures."""
    for ago, comfort in [(1, 5), (2, 4), (3, 4)]:
        log_session(
            alice,
            dt.datetime(2026, 11, 25 - ago, 9),
            techniques=("arch", "toes"),
            comfort=comfort,
        )
    for ago in (4, 5, 6):
        log_session(
            alice, dt.datetime(2026, 11, 25 - ago, 9), techniques=("heel",), comfort=3
        )
    rows = table(alice_client.get(URL), "Rank", "Technique")
    ranks = {row[1]: row[0] for row in rows}
    assert ranks[builtin("arch").name] == ranks[builtin("toes").name] == "1"
    assert ranks[builtin("heel").name] == "3"
