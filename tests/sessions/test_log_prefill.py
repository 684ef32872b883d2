"""The log form filled in from its address (SessionForm.fill_in)."""

import datetime as dt

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions.models import MassageSession, Technique
from tests.factories import builtin

URL = "/sessions/new/"
NOW = dt.datetime(2026, 11, 25, 21, 30, tzinfo=dt.UTC)  # 21:30 in London


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def initial(client, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.context["form"].initial


def ticked(form_initial):
    keys = Technique.objects.filter(pk__in=form_initial["techniques"]).values_list(
        "key", flat=True
    )
    return set(keys)


def test_every_parameter_fills_its_field(alice_client):
    query = {
        "date": "2026-11-24",
        "start": "07:05",
        "minutes": "12",
        "techniques": [builtin("heel").pk, builtin("toes").pk],
    }
    found = initial(alice_client, query)
    assert found["date"] == dt.date(2026, 11, 24)
    assert found["start_time"] == dt.time(7, 5)
    assert found["duration_minutes"] == 12
    assert ticked(found) == {"heel", "toes"}


@pytest.mark.parametrize(
    "start", [{"start": "01:30"}, {}], ids=["a start after midnight", "now, 02:10"]
)
def test_a_day_from_a_link_opens_on_a_date_and_time_that_count_for_it(
    alice_client, alice, start
):
    """Days start at 04:00: "Log one" for the 23rd at 02:10 (on the 24th) must
    not log for the 22nd. After midnight, the 23rd's evening is the 24th."""
    alice.day_start_hour = 4
    alice.save()
    with time_machine.travel(dt.datetime(2026, 11, 24, 2, 10, tzinfo=dt.UTC)):
        form = alice_client.get(URL, {"day": "2026-11-23", **start}).context["form"]
        assert form.initial["date"] == dt.date(2026, 11, 24)
        data = {
            "date": form.initial["date"].isoformat(),
            "start_time": form.initial["start_time"].strftime("%H:%M"),
            "duration_minutes": "10",
            "techniques": [builtin("toes").pk],
            "token": form["token"].value(),
        }
        assert alice_client.post(URL, data).status_code == 302
    assert MassageSession.objects.get().local_date == dt.date(2026, 11, 23)


def test_a_day_ahead_of_the_evening_is_not_opened_on_a_date_past_tomorrow(
    alice_client, alice
):
    alice.day_start_hour = 4
    alice.save()
    found = initial(alice_client, {"day": "2026-11-26", "start": "01:00"})
    assert found["date"] == dt.date(2026, 11, 26)  # tomorrow: the last date taken


def test_a_calendar_date_is_taken_as_it_is_whatever_the_hour(alice_client, alice):
    """The guide sends the calendar date and time it started: 00:30 on the 24th
    with days starting at 04:00 stays the 24th (it counts for the 23rd)."""
    alice.day_start_hour = 4
    alice.save()
    with time_machine.travel(dt.datetime(2026, 11, 24, 2, 10, tzinfo=dt.UTC)):
        found = initial(alice_client, {"date": "2026-11-24", "start": "00:30"})
        assert found["date"] == dt.date(2026, 11, 24)
        assert initial(alice_client, {"day": "nonsense"})["date"] == dt.date(
            2026, 11, 24
        )


def test_the_page_shows_the_values_filled_in(alice_client):
    heel = builtin("heel").pk
    html = alice_client.get(
        URL,
        {"date": "2026-11-24", "start": "07:05", "minutes": "12", "techniques": heel},
    ).content.decode()
    assert 'value="2026-11-24"' in html
    assert 'value="07:05"' in html
    assert 'value="12"' in html
    assert f'value="{heel}" id="id_techniques_' in html
    checked = html.split(f'value="{heel}" id="id_techniques_')[1].split(">")[0]
    assert "checked" in checked
    # Comfort is left for the person to pick.
    assert 'name="comfort"' in html
    assert 'name="comfort" id="id_comfort_0"' in html
    assert "checked" not in html.split('name="comfort"')[1].split(">")[0]


def test_the_filled_in_form_saves_with_comfort_alone(alice_client, alice):
    query = {"date": "2026-11-24", "start": "07:05", "minutes": "12"}
    query["techniques"] = [builtin("arch").pk]
    form = alice_client.get(URL, query).context["form"]
    data = {
        "date": form.initial["date"].isoformat(),
        "start_time": form.initial["start_time"].strftime("%H:%M"),
        "duration_minutes": form.initial["duration_minutes"],
        "techniques": form.initial["techniques"],
        "token": form["token"].value(),
        "comfort": "4",
    }
    assert alice_client.post(URL, data).status_code == 302
    session = MassageSession.objects.get(user=alice)
    assert session.local_date == dt.date(2026, 11, 24)
    assert session.local_start.time() == dt.time(7, 5)
    assert session.duration_minutes == 12
    assert [t.key for t in session.techniques.all()] == ["arch"]


DEFAULTS = {
    "date": dt.date(2026, 11, 25),
    "start_time": dt.time(21, 30),
    "duration_minutes": 10,
}

BAD_VALUES = [
    ("date", "2026-13-01"),
    ("date", "2026-02-30"),
    ("date", "25/11/2026"),
    ("date", "1999-12-31"),  # before the logbook starts
    ("date", "2026-11-27"),  # the day after tomorrow
    ("date", "9999-12-31"),
    ("date", "2026-11-24\x00"),
    ("date", ""),
    ("date", "x" * 5000),
    ("start", "25:00"),
    ("start", "7pm"),
    ("start", "07:05:99"),
    ("start", "\x00"),
    ("start", "-1:00"),
    ("minutes", "0"),
    ("minutes", "181"),
    ("minutes", "-5"),
    ("minutes", "1.5"),
    ("minutes", "1e3"),
    ("minutes", "9" * 40),
    ("minutes", "12\x00"),
]


@pytest.mark.parametrize(("name", "value"), BAD_VALUES)
def test_a_bad_value_is_ignored_and_the_others_still_apply(alice_client, name, value):
    good = {"date": "2026-11-24", "start": "07:05", "minutes": "12"}
    found = initial(alice_client, {**good, name: value})
    expected = {
        "date": dt.date(2026, 11, 24),
        "start_time": dt.time(7, 5),
        "duration_minutes": 12,
    }
    field = {"date": "date", "start": "start_time", "minutes": "duration_minutes"}[name]
    expected[field] = DEFAULTS[field]
    assert {key: found[key] for key in expected} == expected


@pytest.mark.parametrize(
    "ids",
    [
        ["10" + "0" * 30],  # overflows SQLite's INTEGER
        [str(2**31)],
        [str(2**63)],
        ["-1"],
        ["0"],
        ["abc"],
        ["1\x00"],
        ["²"],
        [""],
        ["999999"],  # no such technique
    ],
)
def test_bad_technique_ids_are_dropped_and_the_defaults_stay(alice_client, ids):
    found = initial(alice_client, {"techniques": ids})
    assert ticked(found) == {"warm-up", "arch", "toes", "ankle"}


def test_someone_elses_technique_is_never_ticked(alice_client, charlie):
    theirs = Technique.objects.create(user=charlie, name="Charlie's secret")
    found = initial(alice_client, {"techniques": [theirs.pk, builtin("heel").pk]})
    assert ticked(found) == {"heel"}
    html = alice_client.get(URL, {"techniques": theirs.pk}).content.decode()
    assert "Charlie&#x27;s secret" not in html
    assert "Charlie's secret" not in html


def test_an_archived_technique_is_not_ticked(alice_client, alice):
    old = Technique.objects.create(user=alice, name="Old trick", archived=True)
    found = initial(alice_client, {"techniques": [old.pk]})
    assert ticked(found) == {"warm-up", "arch", "toes", "ankle"}


def test_the_users_own_technique_can_be_ticked(alice_client, alice):
    mine = Technique.objects.create(user=alice, name="Knuckle roll")
    assert initial(alice_client, {"techniques": [mine.pk]})["techniques"] == [mine.pk]


def test_a_post_ignores_the_query(alice_client, alice):
    response = alice_client.post(f"{URL}?minutes=12", {"comfort": "4"})
    assert response.status_code == 200
    assert not MassageSession.objects.exists()


def test_the_query_costs_at_most_one_more_query(
    alice_client, django_assert_max_num_queries
):
    ids = [builtin(key).pk for key in ("heel", "toes", "arch")]
    with django_assert_max_num_queries(8):
        alice_client.get(URL, {"techniques": ids * 20, "minutes": "5"})


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["date", "start", "minutes", "techniques", "other"]),
            st.text(max_size=40),
        ),
        max_size=6,
    )
)
def test_no_query_string_is_ever_a_server_error(alice_client, pairs):
    query = {}
    for name, value in pairs:
        query.setdefault(name, []).append(value)
    response = alice_client.get(URL, query)
    assert response.status_code == 200


@pytest.mark.parametrize(("minutes", "foot"), [("1", ""), ("2", "each"), ("", "each")])
def test_each_foot_apart_is_filled_in_only_when_there_are_minutes_to_share(
    alice_client, alice, minutes, foot
):
    """The guide asks for each foot apart; stopped within a minute, the form
    would open on a choice its Save refuses (two feet need two minutes)."""
    alice.record_foot = True
    alice.save()
    form = initial(alice_client, {"minutes": minutes, "foot": "each"})
    assert form.get("foot", "") == foot
