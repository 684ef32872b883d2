"""What the API takes and gives, for validation of types and for the OpenAPI
schema. The rules (limits, the future, techniques one may log) belong to the
forms the endpoints fill in, not to these."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import AwareDatetime, BeforeValidator, StrictInt

# Input-size guards only: longer lists and strings are refused before any query.
MAX_TECHNIQUES = 50
MAX_TEXT = 10_000
MAX_ZONES = 20


def _whole(value):
    """4.0 is 4 (Home Assistant's number helpers send whole numbers so); 4.5,
    "4" and true stay refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A whole number: an int, or a float without a fraction.
WholeNumber = Annotated[StrictInt, BeforeValidator(_whole)]


class Error(Schema):
    message: str = Field(examples=["That token is not valid, or it was revoked."])
    errors: dict[str, list[str]] | None = Field(
        None,
        description="Field errors, for bad input: each field with its messages.",
    )


class SessionIn(Schema):
    start: AwareDatetime | None = Field(
        None,
        description=(
            "When it started: ISO 8601 with a UTC offset. Taken as that instant and "
            "logged in your current time zone; up to 5 minutes ahead (a clock "
            "running fast) is taken as now. Default: now."
        ),
        examples=["2026-11-24T21:05:00+00:00"],
    )
    duration_minutes: WholeNumber | None = Field(
        None, description="Whole minutes, 1 to 180. Default: 10.", examples=[12]
    )
    techniques: list[StrictInt | str] | None = Field(
        None,
        max_length=MAX_TECHNIQUES,
        description=(
            "Ids or names (any case) of your techniques or the built-in ones, not "
            "archived. Default: those of your last session."
        ),
        examples=[["Warm-up strokes", "Arch thumb pressure"]],
    )
    comfort: WholeNumber | None = Field(
        None,
        description="1 (painful) to 5 (very comfortable). Default: not recorded.",
        examples=[4],
    )
    pressure: str | None = Field(
        None,
        max_length=MAX_TEXT,
        description="light, medium, firm (any case), or empty.",
    )
    notes: str | None = Field(
        None, max_length=MAX_TEXT, description="Up to 2000 characters."
    )
    pain_before: WholeNumber | None = Field(
        None,
        description="Pain before, 0 (no pain) to 10 (worst imaginable). "
        "Default: not recorded.",
        examples=[6],
    )
    pain_after: WholeNumber | None = Field(
        None, description="Pain after, 0 to 10. Default: not recorded.", examples=[3]
    )
    foot: str | None = Field(
        None, max_length=MAX_TEXT, description="both, left, right (any case), or empty."
    )
    where: list[str] | None = Field(
        None,
        max_length=MAX_ZONES,
        description="Zones massaged: heel, arch, ball, toes, ankle.",
        examples=[["heel", "arch"]],
    )


class TechniqueOut(Schema):
    id: int
    name: str


class SessionOut(Schema):
    id: int
    day: dt.date = Field(description="The practice day it counts for.")
    start: dt.datetime | None = Field(
        description="In the time zone it was logged in; null when not recorded."
    )
    timezone: str
    duration_minutes: int | None
    techniques: list[TechniqueOut]
    comfort: int | None
    pressure: str
    notes: str
    pain_before: int | None
    pain_after: int | None
    foot: str
    where: list[str]


class SessionLogged(Schema):
    session: SessionOut
    day: dt.date = Field(description="The practice day the session counted for.")
    current_streak: int = Field(description="Days in your current streak, after it.")


class SessionPage(Schema):
    items: list[SessionOut] = Field(description="Newest first.")
    count: int = Field(description="Sessions in the range, on every page.")
    page: int
    pages: int
    next: str | None = Field(description="The next page's address, or null.")


class SessionRange(Schema):
    from_: dt.date | None = Field(
        None, alias="from", description="First practice day (YYYY-MM-DD)."
    )
    to: dt.date | None = Field(None, description="Last practice day (YYYY-MM-DD).")
    page: int = Field(1, ge=1, le=1_000_000)


class RestDayIn(Schema):
    date: dt.date | None = Field(
        None, description="YYYY-MM-DD, up to a year ahead. Default: today."
    )
    reason: str | None = Field(
        None,
        max_length=MAX_TEXT,
        description="travel, skin, injury, illness, other (any case), or empty.",
    )


class RestDayOut(Schema):
    id: int
    date: dt.date
    reason: str


class Run(Schema):
    days: int
    start: dt.date
    end: dt.date


class NextTime(Schema):
    label: str
    start: dt.datetime
    state: str = Field(
        description="due (started under an hour ago), next, or done (practised "
        "today: the first time of a later day)."
    )
    text: str


class Summary(Schema):
    today: dt.date = Field(description="Your practice day now.")
    status: str = Field(description="done, rest or open.")
    status_text: str
    current_streak: int
    current_run: Run | None
    longest_streak: int
    longest_run: Run | None
    weekly_streak: int = Field(description="Weeks in a row that met your target.")
    week_progress: int = Field(description="Active days so far this week.")
    weekly_target: int
    consistency: dict[str, int | None] = Field(
        description="Practice days in the last 7, 30 and 365 days, in percent."
    )
    habit_strength: int = Field(description="0 to 100.")
    next_preferred_time: NextTime | None


class PauseIn(Schema):
    start: dt.date = Field(description="The first day, YYYY-MM-DD, from 2000 on.")
    end: dt.date = Field(
        description="The last day (included), YYYY-MM-DD, up to a year ahead; a "
        "pause lasts at most 366 days."
    )
    reason: str = Field(
        max_length=MAX_TEXT, description="illness, injury, travel or other (any case)."
    )
    note: str | None = Field(
        None, max_length=MAX_TEXT, description="Up to 200 characters. Default: none."
    )


class PauseOut(Schema):
    id: int
    start: dt.date = Field(description="The first day.")
    end: dt.date = Field(description="The last day (included).")
    reason: str
    note: str
    days: int = Field(description="Days paused, both ends included.")
