"""What works for me: sessions grouped by technique, zone, pressure, foot and
half of the day, with their average comfort and average pain change (after -
before), ranked. Pure Python: the view hands it one Entry per session.

The ranking rule lives here alone: a group is ranked only with at least
MIN_SESSIONS sessions behind the figure it is ranked by. That figure is the
pain change (the biggest drop first, then comfort) when the history has any
session with pain before and after, else the average comfort (best first)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

MIN_SESSIONS = 3
PAIN, COMFORT = "pain", "comfort"
TREND_WEEKS = 12


@dataclass(frozen=True)
class Entry:
    """One session, as the page groups it (labels, not codes)."""

    day: dt.date
    techniques: Sequence[str] = ()
    zones: Sequence[str] = ()
    pressure: str = ""  # "" when not noted, and so for the others
    foot: str = ""
    half: str = ""
    comfort: int | None = None
    pain_before: int | None = None
    pain_after: int | None = None

    @property
    def change(self):
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before


@dataclass
class Group:
    label: str
    sessions: int = 0
    comfort_sum: int = 0
    rated: int = 0
    change_sum: int = 0
    changed: int = 0
    rank: int | None = None

    def add(self, comfort, change):
        self.sessions += 1
        if comfort is not None:
            self.comfort_sum += comfort
            self.rated += 1
        if change is not None:
            self.change_sum += change
            self.changed += 1

    @property
    def comfort(self):
        return Fraction(self.comfort_sum, self.rated) if self.rated else None

    @property
    def change(self):
        return Fraction(self.change_sum, self.changed) if self.changed else None

    def ranked_by(self, measure):
        """How many sessions stand behind the figure `measure` ranks by."""
        return self.changed if measure == PAIN else self.rated


DIMENSIONS = (
    ("technique", "Technique", lambda entry: entry.techniques),
    ("zone", "Where", lambda entry: entry.zones),
    ("pressure", "Pressure", lambda entry: [entry.pressure] if entry.pressure else []),
    ("foot", "Foot", lambda entry: [entry.foot] if entry.foot else []),
    ("half", "Time of day", lambda entry: [entry.half] if entry.half else []),
)


def measure(entries: Iterable[Entry]):
    """What the groups are ranked by: PAIN once any session has a pain change."""
    return PAIN if any(entry.change is not None for entry in entries) else COMFORT


def _key(group, by):
    if by == PAIN:
        return (group.change, -(group.comfort or 0), group.label)
    return (-group.comfort, group.label)


def what_works(entries: Sequence[Entry], order=None):
    """{dimension: {"title", "ranked": [Group...], "unranked": [Group...]}} and
    the measure they are ranked by. `order` gives the labels' order among the
    unranked (default: by name)."""
    by = measure(entries)
    result = {}
    for name, title, labels in DIMENSIONS:
        groups = {}
        for entry in entries:
            comfort, change = entry.comfort, entry.change
            for label in labels(entry):
                if label not in groups:
                    groups[label] = Group(label)
                groups[label].add(comfort, change)
        ranked = sorted(
            (g for g in groups.values() if g.ranked_by(by) >= MIN_SESSIONS),
            key=lambda g: _key(g, by),
        )
        for number, group in enumerate(ranked, start=1):
            group.rank = number
        unranked = sorted(
            (g for g in groups.values() if g.rank is None),
            key=lambda g: (-g.sessions, g.label),
        )
        result[name] = {"title": title, "ranked": ranked, "unranked": unranked}
    return result, by


def _monday(day):
    return day - dt.timedelta(days=day.weekday())


def pain_by_week(entries: Iterable[Entry], today: dt.date, weeks=TREND_WEEKS):
    """(week starts, {foot label: [average pain before or None per week]},
    {foot label: [sessions per week]}) over the last `weeks` weeks up to
    `today`, for sessions with a pain-before rating; "" is the foot not noted."""
    this = _monday(today)
    starts = [this - dt.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    index = {start: i for i, start in enumerate(starts)}
    sums, counts = {}, {}
    for entry in entries:
        if entry.pain_before is None or not starts[0] <= entry.day <= today:
            continue
        i = index[_monday(entry.day)]
        sums.setdefault(entry.foot, [0] * weeks)[i] += entry.pain_before
        counts.setdefault(entry.foot, [0] * weeks)[i] += 1
    averages = {
        foot: [
            Fraction(s, n) if n else None
            for s, n in zip(sums[foot], counts[foot], strict=True)
        ]
        for foot in sums
    }
    return starts, averages, counts
