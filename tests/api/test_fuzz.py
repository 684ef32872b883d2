"""Every field of every endpoint, sent what hypothesis makes up (right and wrong
types, huge numbers, odd text, dates at the ends of the calendar): never a 500,
never a partial write, and nothing stored ever breaks a limit of the log form."""

import datetime as dt
import json

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions.forms import EARLIEST_DATE, FUTURE_TOLERANCE
from sessions.models import MAX_MINUTES, MIN_MINUTES, MassageSession, RestDay, Technique
from tests.api.conftest import Api, make_token
from tests.factories import log_session

NOW = dt.datetime(2026, 11, 25, 21, 30, tzinfo=dt.UTC)
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Any JSON value, small.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
zones = st.sampled_from(["Z", "+00:00", "+14:00", "-12:00", "+05:30", ""])
instants = st.builds(
    lambda moment, zone: moment.isoformat() + zone,
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    zones,
)
near_now = st.builds(
    lambda minutes, zone: (
        (NOW + dt.timedelta(minutes=minutes)).replace(tzinfo=None).isoformat() + zone
    ),
    st.integers(-60 * 24 * 400, 60 * 24),
    zones,
)
numbers = st.integers(-(2**70), 2**70) | st.sampled_from([0, 1, 10, 180, 181, 2**63])
names = st.sampled_from(
    ["warm-up strokes", "ARCH THUMB PRESSURE", "Own roll", "Archived roll", "Theirs"]
)


def fields_for(techniques):
    """Each field right or wrong; any subset of them."""
    technique_items = (
        st.sampled_from(techniques) | numbers | names | st.text(max_size=20)
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "start": instants | near_now | json_values,
            "duration_minutes": numbers | json_values,
            "techniques": st.lists(technique_items, max_size=5) | json_values,
            "comfort": st.integers(-3, 8) | json_values,
            "pressure": st.sampled_from(["", "light", "firm", "FIRM"]) | json_values,
            "notes": st.text(max_size=2100)
            | st.sampled_from(["a\x00b", "x" * 2001])
            | json_values,
        },
    )


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.API_RATE_LIMIT = 10**6


@pytest.fixture
def world(alice, charlie):
    mine = Technique.objects.create(user=alice, name="Own roll")
    Technique.objects.create(user=alice, name="Archived roll", archived=True)
    theirs = Technique.objects.create(user=charlie, name="Theirs")
    with time_machine.travel(NOW, tick=False):
        log_session(alice, dt.datetime(2026, 11, 24, 8, 0))
        log_session(charlie, dt.datetime(2026, 11, 24, 8, 0))
    return {"api": Api(make_token(alice)), "ids": [mine.pk, theirs.pk, 1]}


def table_state():
    return (
        list(MassageSession.objects.order_by("pk").values_list()),
        list(MassageSession.techniques.through.objects.order_by("pk").values_list()),
        list(RestDay.objects.order_by("pk").values_list()),
    )


def within_limits(session):
    assert MIN_MINUTES <= session.duration_minutes <= MAX_MINUTES
    assert session.comfort is None or 1 <= session.comfort <= 5
    assert len(session.notes) <= 2000
    assert "\x00" not in session.notes
    assert session.local_date >= EARLIEST_DATE
    assert session.started_at <= NOW + FUTURE_TOLERANCE
    techniques = list(session.techniques.all())
    assert techniques
    for technique in techniques:
        assert technique.user_id in (None, session.user_id)
        assert not technique.archived


@pytest.mark.django_db
@FUZZ
@given(data=st.data(), key=st.none() | st.text(max_size=300))
def test_logging_a_session_never_fails_and_writes_all_or_nothing(world, data, key):
    fields = data.draw(fields_for(world["ids"]))
    headers = {}
    if key is not None:
        # Header values reach Django as Latin-1.
        headers["Idempotency-Key"] = key.encode("latin-1", "replace").decode("latin-1")
    before = table_state()
    with time_machine.travel(NOW, tick=False):
        response = world["api"].post("sessions", fields, headers=headers)
    assert response.status_code in (201, 400, 422), response.content
    answer = json.loads(response.content)
    if response.status_code != 201:
        assert answer["message"]
        assert table_state() == before
        return
    session = MassageSession.objects.get(pk=answer["session"]["id"])
    within_limits(session)
    added = len(table_state()[0]) - len(before[0])
    assert added == (0 if response.get("Idempotent-Replayed") else 1)


@pytest.mark.django_db
@FUZZ
@given(
    raw=st.binary(max_size=200)
    | st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass"))
)
def test_any_bytes_as_the_body_never_fail(world, raw):
    before = table_state()
    with time_machine.travel(NOW, tick=False):
        response = world["api"].client.post(
            "/api/v1/sessions",
            data=raw,
            content_type="application/json",
            headers=world["api"].headers(None),
        )
    assert response.status_code in (201, 400, 422)
    if response.status_code != 201:
        assert table_state() == before


@pytest.mark.django_db
@FUZZ
@given(
    date=st.dates().map(dt.date.isoformat) | json_values,
    reason=st.sampled_from(["", "travel", "Travel"]) | json_values,
    omit=st.sets(st.sampled_from(["date", "reason"])),
)
def test_marking_a_rest_day_never_fails(world, date, reason, omit):
    fields = {
        name: value
        for name, value in (("date", date), ("reason", reason))
        if name not in omit
    }
    before = table_state()
    with time_machine.travel(NOW, tick=False):
        response = world["api"].post("rest-days", fields)
    assert response.status_code in (201, 400, 422)
    if response.status_code != 201:
        assert table_state() == before


@pytest.mark.django_db
@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["from", "to", "page"]),
        st.dates().map(dt.date.isoformat) | st.text(max_size=12) | numbers.map(str),
    ),
    session_id=numbers,
)
def test_listing_and_deleting_never_fail(world, params, session_id):
    with time_machine.travel(NOW, tick=False):
        listed = world["api"].get("sessions", params)
        assert listed.status_code in (200, 422)
        if session_id >= 0:
            others = MassageSession.objects.exclude(user__username="alice")
            deleted = world["api"].delete(f"sessions/{session_id}")
            assert deleted.status_code in (204, 404)
            assert others.count() == 1
