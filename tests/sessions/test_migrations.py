"""Rest days moving into the logbook keep every row, forwards and backwards,
and the new days are filled in from what was there."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sessions import engine

BEFORE = [
    ("logbook", "0007_session_newest_first_index"),
    ("streaks", "0002_reminder_send"),
    ("accounts", "0005_user_history_version"),
]
AFTER = [
    ("logbook", "0008_restdays_and_days"),
    ("streaks", "0003_restdays_moved"),
    ("accounts", "0006_no_versions"),
]


def migrate(targets=None):
    """Migrate to `targets` (default: every latest migration); their models."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rest_days_move_into_the_logbook_and_back_with_every_row():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Session = old.get_model("logbook", "MassageSession")
    OldRest = old.get_model("streaks", "RestDay")
    people = [
        User.objects.create(username=name, weekly_target=target)
        for name, target in (("ann", 3), ("bo", 7), ("cy", 5))
    ]
    practice = {dt.date(2026, 11, d) for d in (2, 3, 4, 6, 9, 10)}
    for person in people[:2]:
        for day in practice:
            Session.objects.create(
                user=person,
                local_date=day,
                timezone="UTC",
                duration_minutes=10,
                comfort=4,
            )
    made = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    for person in people:
        for day, reason in (
            (dt.date(2026, 11, 5), "travel"),
            (dt.date(2026, 11, 8), ""),
        ):
            rest = OldRest.objects.create(user=person, date=day, reason=reason)
            OldRest.objects.filter(pk=rest.pk).update(created_at=made)

    new = migrate(AFTER)
    Rest = new.get_model("logbook", "RestDay")
    Day = new.get_model("logbook", "Day")
    assert sorted(
        Rest.objects.values_list("user__username", "date", "reason", "created_at")
    ) == sorted(
        (person.username, day, reason, made)
        for person in people
        for day, reason in (
            (dt.date(2026, 11, 5), "travel"),
            (dt.date(2026, 11, 8), ""),
        )
    )
    rest = {dt.date(2026, 11, 5), dt.date(2026, 11, 8)}
    for person in people:
        got = [
            (day.date, day.sessions, day.rest, day.streak, day.weekly_streak)
            for day in Day.objects.filter(user_id=person.pk).order_by("date")
        ]
        mine = practice if person.username != "cy" else set()
        figures = engine.days(
            mine, rest, min(mine | rest), max(mine | rest), person.weekly_target
        )
        assert got == [
            (f.date, int(f.practised), f.rest, f.streak, f.weekly_streak)
            for f in figures
        ]

    back = migrate(BEFORE)
    assert sorted(
        back.get_model("streaks", "RestDay").objects.values_list(
            "user__username", "date", "reason", "created_at"
        )
    ) == sorted(
        (person.username, day, reason, made)
        for person in people
        for day, reason in (
            (dt.date(2026, 11, 5), "travel"),
            (dt.date(2026, 11, 8), ""),
        )
    )
    migrate()  # as the rest of the suite expects


@pytest.mark.django_db(transaction=True)
def test_every_session_with_a_start_gets_the_time_on_its_wall_clock():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(
        [*(node for node in leaves if node[0] != "logbook"), ("logbook", "0011_pauses")]
    )
    User = old.get_model("accounts", "User")
    Session = old.get_model("logbook", "MassageSession")
    person = User.objects.create(username="ann")
    starts = [
        # (UTC start, zone it was logged in): DST on both sides, a far zone.
        (dt.datetime(2026, 7, 1, 20, 30, tzinfo=dt.UTC), "Europe/London"),
        (dt.datetime(2026, 1, 1, 20, 30, tzinfo=dt.UTC), "Europe/London"),
        (dt.datetime(2026, 3, 8, 23, 45, tzinfo=dt.UTC), "Pacific/Auckland"),
    ]
    for started_at, zone in starts:
        Session.objects.create(
            user=person, started_at=started_at, timezone=zone, local_date=dt.date.min
        )
    Session.objects.create(user=person, timezone="UTC", local_date=dt.date(2026, 1, 2))

    Session = migrate().get_model("logbook", "MassageSession")
    assert sorted(
        Session.objects.values_list("local_time", flat=True), key=str
    ) == sorted(
        [
            *(
                started_at.astimezone(zoneinfo.ZoneInfo(zone)).time()
                for started_at, zone in starts
            ),
            None,
        ],
        key=str,
    )


@pytest.mark.django_db(transaction=True)
def test_weeks_of_rest_days_alone_stop_adding_to_stored_weekly_streaks():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(
        [
            *(node for node in leaves if node[0] != "logbook"),
            ("logbook", "0012_local_time"),
        ]
    )
    User = old.get_model("accounts", "User")
    Day = old.get_model("logbook", "Day")
    person = User.objects.create(username="ann", weekly_target=3)
    # Target 3: Mon-Wed of the week of 1 Jan 2024 practised, the next week all
    # rest (a pause), Mon-Wed of the week of 15 Jan practised. The old rule
    # stored 3 weeks met on Wed 17 Jan; the new one 2 (the rest week bridges).
    practice = [dt.date(2024, 1, d) for d in (1, 2, 3, 15, 16, 17)]
    rest = [dt.date(2024, 1, d) for d in range(8, 15)]
    first, last = dt.date(2024, 1, 1), dt.date(2024, 1, 17)
    for day in engine.days(practice, rest, first, last, 3):
        Day.objects.create(
            user=person,
            date=day.date,
            sessions=int(day.practised),
            rest=day.rest,
            weekly_streak=3 if day.date == last else day.weekly_streak,
        )
    before = dict(Day.objects.values_list("date", "weekly_streak"))

    Day = migrate().get_model("logbook", "Day")
    after = dict(Day.objects.values_list("date", "weekly_streak"))
    assert after[last] == 2
    assert after == {
        day.date: day.weekly_streak
        for day in engine.days(practice, rest, first, last, 3)
    }
    assert before.keys() == after.keys()
