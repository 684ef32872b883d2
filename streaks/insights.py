"""What works for me: sessions grouped by technique, zone, pressure, foot and
half of the day, with their average comfort and average pain change (after -
before), ranked. Pure Python: streaks.history sums the groups in SQL.

The ranking rule lives here alone: a group is ranked only with at least
MIN_SESSIONS sessions behind the figure it is ranked by. That figure is the
pain change (the biggest drop first, then comfort) when the history has any
session with pain before and after, else the average comfort (best first)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from sessions import engine

MIN_SESSIONS = 3
PAIN, COMFORT = "pain", "comfort"
TREND_WEEKS = 12
DIMENSIONS = {
    "technique": "Technique",
    "zone": "Where",
    "pressure": "Pressure",
    "foot": "Foot",
    "half": "Time of day",
}


@dataclass
class Group:
    """Some sessions (a technique's, a zone's...) and what they add up to."""

    label: str
    sessions: int = 0
    comfort_sum: int = 0
    rated: int = 0  # sessions with a comfort rating
    change_sum: int = 0
    changed: int = 0  # sessions with pain before and after
    rank: int | None = None

    @classmethod
    def of(cls, label, groups):
        """One group of all the sessions of `groups`."""
        return cls(
            label,
            sessions=sum(g.sessions for g in groups),
            comfort_sum=sum(g.comfort_sum for g in groups),
            rated=sum(g.rated for g in groups),
            change_sum=sum(g.change_sum for g in groups),
            changed=sum(g.changed for g in groups),
        )

    @property
    def comfort(self):
        return Fraction(self.comfort_sum, self.rated) if self.rated else None

    @property
    def change(self):
        return Fraction(self.change_sum, self.changed) if self.changed else None

    def ranked_by(self, measure):
        """How many sessions stand behind the figure `measure` ranks by."""
        return self.changed if measure == PAIN else self.rated


def _figures(group, by):
    """What a group is ranked by, best first: groups with the same share a rank."""
    if by == PAIN:
        return (group.change, -(group.comfort or 0))
    return (-group.comfort,)


def what_works(groups, everything):
    """{dimension: {"title", "ranked": [Group...], "unranked": [Group...]}} of
    `groups` ({dimension: [Group...]}), and the measure they are ranked by:
    PAIN once any session (of `everything`, the group of them all) has a pain
    change, else COMFORT."""
    by = PAIN if everything.changed else COMFORT
    result = {}
    for name, title in DIMENSIONS.items():
        ranked = sorted(
            (g for g in groups[name] if g.ranked_by(by) >= MIN_SESSIONS),
            key=lambda g: (_figures(g, by), g.label),
        )
        # Equal figures, equal rank (1, 1, 3): techniques always done together
        # cannot be told apart.
        for number, group in enumerate(ranked, start=1):
            before = ranked[number - 2] if number > 1 else None
            same = before is not None and _figures(before, by) == _figures(group, by)
            group.rank = before.rank if same else number
        unranked = sorted(
            (g for g in groups[name] if g.rank is None),
            key=lambda g: (-g.sessions, g.label),
        )
        result[name] = {"title": title, "ranked": ranked, "unranked": unranked}
    return result, by


def trend_start(today, weeks=TREND_WEEKS):
    """The Monday that starts the pain trend ending in `today`'s week."""
    return engine.monday(today) - dt.timedelta(weeks=weeks - 1)


def pain_by_week(ratings: Iterable[tuple], today: dt.date, weeks=TREND_WEEKS):
    """(week starts, {foot label: [average pain before or None per week]},
    {foot label: [sessions per week]}) over the last `weeks` weeks up to
    `today`, from `ratings`: (day, foot label, pain before) of the sessions from
    trend_start(today); "" is the foot not noted."""
    first = trend_start(today, weeks)
    starts = [first + dt.timedelta(weeks=week) for week in range(weeks)]
    index = {start: i for i, start in enumerate(starts)}
    sums, counts = {}, {}
    for day, foot, pain_before in ratings:
        if not first <= day <= today:
            continue
        i = index[engine.monday(day)]
        sums.setdefault(foot, [0] * weeks)[i] += pain_before
        counts.setdefault(foot, [0] * weeks)[i] += 1
    averages = {
        foot: [
            Fraction(s, n) if n else None
            for s, n in zip(sums[foot], counts[foot], strict=True)
        ]
        for foot in sums
    }
    return starts, averages, counts
