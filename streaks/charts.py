"""Chart geometry for the heatmap, the year pages and the statistics page.

Pure Python, like the engine: it takes plain data (a loaded history's practice
days and rest days, counts, averages) and returns plain dicts and lists of
numbers and words. The templates in templates/streaks/charts/ draw them as SVG
(escaped by the template engine), and streaks.pictures the many small squares
of the heatmap and the hour grid (escaped by format_html). Each chart also
returns the rows of its data table (its text alternative).

Coordinates are SVG user units drawn at one CSS pixel each (charts are at most
WIDTH wide, which fits a 390 px phone), so a font size of 12 here is 12 px.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence

from accounts.words import (
    DAY_SHORT,
    MONTH_SHORT,
    date_range,
    day_name,
    month_name,
    plural,
    short_date,
)
from sessions import engine

WIDTH = 360  # every chart's width, in px
FONT = 12  # text size in charts, in px (at least 11 px on a phone)
AXIS_ROOM = 36  # below a plot: the x labels, then the x axis title

# Heatmap: one column a week, Monday at the top (drawn by CSS grid, app.css).
WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def level(minutes):
    """Heatmap shade, 1 (a few minutes) to 4 (more than 20)."""
    if minutes <= 5:
        return 1
    if minutes <= 10:
        return 2
    if minutes <= 20:
        return 3
    return 4


def describe_day(day, practice, rest_reason, paused=False):
    """A day's accessible name: "Wed 25 Nov 2026: 2 sessions, 18 minutes"."""
    if practice:
        what = plural(practice.sessions, "session")
        if practice.minutes:  # days imported without a duration have none
            what += f", {plural(practice.minutes, 'minute')}"
    elif paused:
        what = "paused"
    elif rest_reason is not None:
        what = "rest day" + (f" ({rest_reason.lower()})" if rest_reason else "")
    else:
        what = "no session"
    return f"{day_name(day)}: {what}"


def heatmap(days, rest, first, last, reasons=None, today=None, paused=()):
    """Every day from `first` to `last` (inclusive) as a cell, in week columns.

    `days` maps a date to its practice (``.sessions``, ``.minutes``), `rest` maps
    a rest date to ``(reason, id)``; `reasons` names the reason codes; `paused`
    holds the paused days. A cell knows its shade (``"0"`` to ``"4"``,
    ``"paused"`` or ``"rest"``), its ISO date for the
    day's link, its accessible name and whether it is `today`.

    ``weeks`` lists the columns, Monday first: each has its month's name (over
    the week holding the month's first day, else "") and seven places, None
    before `first`; the last week stops at `last`. ``cells`` is every day in
    order."""
    reasons = reasons or {}
    monday = engine.monday(first)
    cells = []
    weeks = []
    while monday <= last:
        places = []
        for weekday in range(7):
            day = monday + dt.timedelta(days=weekday)
            if day > last:
                break
            if day < first:
                places.append(None)
                continue
            practice = days.get(day)
            reason = None
            if practice:
                shade = str(level(practice.minutes or 1))
            elif day in paused:
                shade = "paused"
            elif day in rest:
                shade, reason = "rest", reasons.get(rest[day][0], "")
            else:
                shade = "0"
            cell = {
                "iso": day.isoformat(),
                "level": shade,
                "label": describe_day(day, practice, reason, day in paused),
                "today": day == today,
            }
            cells.append(cell)
            places.append(cell)
        firsts = [
            day
            for day in (monday + dt.timedelta(days=i) for i in range(7))
            if day.day == 1 and first <= day <= last
        ]
        month = MONTH_SHORT[firsts[0].month - 1] if firsts else ""
        weeks.append({"month": month, "days": places})
        monday += dt.timedelta(weeks=1)
    # The first column's month too, when the next name leaves room for it.
    named = [i for i, week in enumerate(weeks) if week["month"]]
    if not named or named[0] >= 2:
        weeks[0]["month"] = MONTH_SHORT[first.month - 1]
    return {"cells": cells, "weeks": weeks, "weekdays": WEEKDAY_LABELS}


def year_totals(days, rest, year, paused=()):
    """Practice days, sessions, minutes, rest days and paused days within a
    calendar year (a paused day is not counted as a rest day too)."""
    in_year = [d for day, d in days.items() if day.year == year]
    return {
        "paused_days": sum(1 for day in paused if day.year == year and day not in days),
        "practice_days": len(in_year),
        "sessions": sum(d.sessions for d in in_year),
        "minutes": sum(d.minutes for d in in_year),
        "rest_days": sum(
            1
            for day in rest
            if day.year == year and day not in days and day not in paused
        ),
    }


# -- scales --------------------------------------------------------------------


def nice_ceiling(value):
    """The smallest 1, 2, 2.5 or 5 x 10^k at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            top = step * power
            return int(top) if top == int(top) else top
    return 10 * power  # pragma: no cover - the loop always returns


def ticks(top, count=4):
    """`count` + 1 evenly spaced values from 0 to `top`."""
    values = [top * i / count for i in range(count + 1)]
    return [int(v) if v == int(v) else round(v, 1) for v in values]


class Plot:
    """A rectangle inside a chart, mapping values to pixels."""

    def __init__(self, left, top, width, height, y_min, y_max):
        self.left, self.top, self.width, self.height = left, top, width, height
        self.y_min, self.y_max = y_min, y_max

    @property
    def bottom(self):
        return self.top + self.height

    @property
    def right(self):
        return self.left + self.width

    def y(self, value):
        share = (value - self.y_min) / (self.y_max - self.y_min)
        return round(self.bottom - share * self.height, 1)

    def frame(self):
        return {
            "left": self.left,
            "top": self.top,
            "right": self.right,
            "bottom": self.bottom,
            "width": self.width,
            "height": self.height,
        }


def _y_ticks(plot, values, unit=""):
    return [{"y": plot.y(v), "label": f"{v}{unit}"} for v in values]


# -- vertical bars: minutes per week, month or year ----------------------------


def bar_chart(items: Sequence[tuple[str, int]], unit: str, label_room=36):
    """Bars for (label, value) pairs, oldest first, on a 0-based axis in `unit`."""
    top = nice_ceiling(max((value for _, value in items), default=0))
    plot = Plot(left=44, top=24, width=WIDTH - 52, height=150, y_min=0, y_max=top)
    pitch = plot.width / max(len(items), 1)
    # Every n-th bar named, so that labels `label_room` px wide never collide.
    step = max(1, math.ceil(len(items) * label_room / plot.width))
    bars = []
    for i, (label, value) in enumerate(items):
        y = plot.y(value)
        bars.append(
            {
                "x": round(plot.left + i * pitch + pitch * 0.15, 1),
                "width": round(pitch * 0.7, 1),
                "y": y,
                "height": round(plot.bottom - y, 1),
                "center": round(plot.left + (i + 0.5) * pitch, 1),
                "label": label if (len(items) - 1 - i) % step == 0 else "",
                "value": value,
                "title": f"{label}: {value} {unit}",
            }
        )
    return {
        "width": WIDTH,
        "height": plot.bottom + AXIS_ROOM,
        "plot": plot.frame(),
        "ticks": _y_ticks(plot, ticks(top)),
        "bars": bars,
    }


def minutes_by_span(days: Mapping, today: dt.date, span: str, years=()):
    """(label, full label, sessions, minutes) rows for the chosen span: the last
    12 weeks or 12 months from `days` (a year of practice days), or every year
    since the first session from `years`: (year, sessions, minutes) rows."""
    if span == "week":
        this = engine.monday(today)
        starts = [this - dt.timedelta(weeks=back) for back in range(11, -1, -1)]
        key = engine.monday

        def names(start):
            return f"{start.day}/{start.month}", _week_of(start)

    elif span == "month":
        starts = []
        year, month = today.year, today.month
        for _ in range(12):
            starts.insert(0, dt.date(year, month, 1))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)

        def key(day):
            return day.replace(day=1)

        def names(start):
            return MONTH_SHORT[start.month - 1], month_name(start)

    else:
        totals = {year: (sessions, minutes) for year, sessions, minutes in years}
        first_year = min(totals, default=today.year)
        return [
            (str(year), str(year), *totals.get(year, (0, 0)))
            for year in range(first_year, today.year + 1)
        ]

    sessions = dict.fromkeys(starts, 0)
    minutes = dict.fromkeys(starts, 0)
    for day, practice in days.items():
        if starts[0] <= day <= today:
            sessions[key(day)] += practice.sessions
            minutes[key(day)] += practice.minutes
    return [(*names(start), sessions[start], minutes[start]) for start in starts]


SPANS = {"week": "Weeks", "month": "Months", "year": "Years"}


def minutes_chart(days, today, span, years=()):
    rows = minutes_by_span(days, today, span, years)
    chart = bar_chart(
        [(short, minutes) for short, _, _, minutes in rows],
        "minutes",
        label_room=40 if span == "week" else 34,
    )
    for bar, (_, full, _, _) in zip(chart["bars"], rows, strict=True):
        bar["title"] = f"{full}: {plural(bar['value'], 'minute')}"
    chart["rows"] = [
        {"label": full, "sessions": sessions, "minutes": minutes}
        for _, full, sessions, minutes in rows
    ]
    return chart


# -- lines: habit strength and comfort over time -------------------------------


def line_chart(points, y_max, y_ticks, unit="", y_min=0, x_labels=()):
    """A line through (label, value) points, evenly spaced; a None value breaks
    the line. `x_labels` are (index, text) pairs to write under the axis."""
    plot = Plot(left=44, top=24, width=WIDTH - 68, height=140, y_min=y_min, y_max=y_max)
    count = len(points)
    step = plot.width / max(count - 1, 1)
    lines, current, dots = [], [], []
    for i, (_, value) in enumerate(points):
        if value is None:
            if current:
                lines.append(current)
            current = []
            continue
        x = round(plot.left + i * step, 1)
        y = plot.y(value)
        current.append(f"{x},{y}")
        dots.append({"x": x, "y": y})
    if current:
        lines.append(current)
    return {
        "width": WIDTH,
        "height": plot.bottom + AXIS_ROOM,
        "plot": plot.frame(),
        "ticks": _y_ticks(plot, y_ticks, unit),
        "lines": [" ".join(line) for line in lines if len(line) > 1],
        # Dots on short series; a lone point between gaps shows only as a dot.
        "dots": dots if count <= 60 else [],
        "x_labels": [
            _label(round(plot.left + i * step, 1), text, plot.left, plot.right)
            for i, text in x_labels
        ],
    }


def _label(x, text, left, right):
    """An axis label centred on `x`, or ending there when it would run off the
    right edge (starting there at the left edge)."""
    half = len(text) * FONT * 0.3
    anchor = "middle"
    if x + half > right + 8:
        anchor = "end"
    elif x - half < left - 40:
        anchor = "start"
    return {"x": x, "text": text, "anchor": anchor}


def month_year(day):
    """Nov 2026"""
    return f"{MONTH_SHORT[day.month - 1]} {day.year}"


def _week_of(start):
    return f"Week of {short_date(start, with_year=True)}"


def _month_ends(first, last):
    """The last day of each month from `first`'s month to `last` (capped at `last`)."""
    ends = []
    year, month = first.year, first.month
    while True:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        end = min(nxt - dt.timedelta(days=1), last)
        ends.append(end)
        if end >= last:
            return ends
        year, month = nxt.year, nxt.month


def strength_days(first, last):
    """The days whose habit strength strength_charts draws: the end of each of
    the last 53 weeks and of every month from `first` to `last`."""
    weeks = [last - dt.timedelta(weeks=back) for back in range(52, -1, -1)]
    return {day for day in weeks if day >= first} | set(_month_ends(first, last))


def strength_charts(strengths: Mapping, first, last):
    """Habit strength over the last 12 months (weekly) and all history (monthly),
    in whole percent. `strengths` maps each of ``strength_days(first, last)``
    to the score at its end; `first` is the first practice day, `last` today's
    anchor."""

    def value(day):
        if day < first:
            return 0
        return engine.strength_percent(strengths[day])

    weeks = [last - dt.timedelta(weeks=back) for back in range(52, -1, -1)]
    recent_points = [(day, value(day)) for day in weeks]
    recent_labels = [
        (i, MONTH_SHORT[day.month - 1])
        for i, day in enumerate(weeks)
        if day.day <= 7 and 2 <= i <= len(weeks) - 3 and day.month % 2 == 1
    ]
    months = _month_ends(first, last)
    all_points = [(day, value(day)) for day in months]
    # A year's name under its January, every year or every few, six at most.
    januaries = [(i, day.year) for i, day in enumerate(months) if day.month == 1]
    step = max(1, math.ceil(len(januaries) / 6))
    all_labels = [(i, str(year)) for i, year in januaries[::step]]
    if not all_labels:
        all_labels = [(0, month_year(first))]
    percent_ticks = [0, 25, 50, 75, 100]
    year_ago = max(first, last - dt.timedelta(days=364))
    recent_rows = [
        {"label": month_name(day), "value": value(day)}
        for day in _month_ends(year_ago, last)[-12:]
    ]
    return {
        "recent": line_chart(
            recent_points, 100, percent_ticks, "%", x_labels=recent_labels
        ),
        "all": line_chart(all_points, 100, percent_ticks, "%", x_labels=all_labels),
        "recent_rows": recent_rows,
        "all_rows": [
            {
                "label": f"End of {day.year}" if day.month == 12 else day_name(day),
                "value": value(day),
            }
            for day in months
            if day.month == 12 or day == last
        ],
        "now": value(last),
    }


def comfort_by_week(days: Mapping, today, weeks=26):
    """(week start, average comfort or None, rated sessions) for the last `weeks`
    weeks; `days` values have ``comfort_sum`` and ``rated`` (sessions rated)."""
    this = engine.monday(today)
    starts = [this - dt.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    sums = {start: [0, 0] for start in starts}
    for day, practice in days.items():
        if starts[0] <= day <= today:
            bucket = sums[engine.monday(day)]
            bucket[0] += practice.comfort_sum
            bucket[1] += practice.rated  # sessions imported without one: left out
    return [
        (start, round(total / count, 1) if count else None, count)
        for start, (total, count) in sums.items()
    ]


def comfort_chart(days, today, weeks=26):
    rows = comfort_by_week(days, today, weeks)
    if not any(count for _, _, count in rows):
        return None
    labels = [
        (i, short_date(start)) for i, (start, _, _) in enumerate(rows) if i % 6 == 1
    ]
    chart = line_chart(
        [(start, avg) for start, avg, _ in rows],
        5,
        [1, 2, 3, 4, 5],
        y_min=1,
        x_labels=labels,
    )
    chart["rows"] = [
        {
            "label": _week_of(start),
            "value": avg,
            "sessions": n,
        }
        for start, avg, n in rows
    ]
    return chart


# -- horizontal bars: comfort by technique or pressure, practice by weekday ----


def hbar_chart(rows: Sequence[tuple[str, float, str]], top, label_width=None):
    """Horizontal bars for (label, value, value text) rows on a 0..`top` scale.

    With `label_width`, labels sit left of the bars (short ones: weekdays);
    without, each label sits above its bar, so a long name never wraps or
    squeezes the bar."""
    inline = label_width is not None
    value_room = 64
    left = label_width if inline else 0
    bar_width = WIDTH - left - value_room
    row_height = 24 if inline else 38
    bars = []
    for i, (label, value, text) in enumerate(rows):
        y = i * row_height + (0 if inline else 16)
        bars.append(
            {
                "label": label if len(label) <= 44 else label[:43] + "…",
                "label_y": y + 13 if inline else y - 4,
                "y": y + 2,
                "height": 16,
                "width": round(bar_width * max(value, 0) / top, 1) if top else 0,
                "text": text,
                "text_x": left + bar_width + 6,
                "text_y": y + 15,
            }
        )
    return {
        "width": WIDTH,
        "height": len(rows) * row_height + (0 if inline else 16),
        "left": left,
        "bar_width": bar_width,
        "bars": bars,
    }


def comfort_bars(items):
    """Average comfort (1-5) per technique or pressure: items of name, avg, n."""
    if not items:
        return None
    return hbar_chart(
        [(item["name"], item["avg"], f"{item['avg']} ({item['n']})") for item in items],
        5,
    )


def weekday_practice(days: Iterable[dt.date], today, weeks, since=None):
    """Practice days per weekday in the `weeks` full weeks ending with this one:
    (name, practised, out of) with `out of` the number of those weekdays so far,
    from `since` on (the first practice day: the weeks before it are not
    counted against the habit, as consistency does not count them)."""
    start = engine.monday(today) - dt.timedelta(weeks=weeks - 1)
    if since is not None:
        start = max(start, since)
    practised = [0] * 7
    possible = [0] * 7
    day = start
    while day <= today:
        possible[day.weekday()] += 1
        day += dt.timedelta(days=1)
    for day in days:
        if start <= day <= today:
            practised[day.weekday()] += 1
    return [(DAY_SHORT[i], practised[i], possible[i]) for i in range(7)]


def _done_of(done, out_of):
    """ "2 of 12", or "not yet" for a weekday that has not come since the first
    practice."""
    return f"{done} of {out_of}" if out_of else "not yet"


def weekday_chart(days, today, weeks, since=None):
    rows = weekday_practice(days, today, weeks, since)
    chart = hbar_chart(
        [
            (name, (done / out_of) if out_of else 0, _done_of(done, out_of))
            for name, done, out_of in rows
        ],
        1,
        label_width=40,
    )
    chart["rows"] = [
        {"label": name, "text": _done_of(done, out_of)} for name, done, out_of in rows
    ]
    return chart


# -- best streaks on a time axis -----------------------------------------------


def best_streaks(best: Sequence[engine.Run], total, first, today):
    """The `best` runs (the longest of two days or more, longest first and the
    most recent first among equals; `total` such runs in all) as bars on a
    shared time axis from the month of `first`, the first practice day, to
    today."""
    if not best:
        return None
    first = dt.date(first.year, first.month, 1)
    span = max((today - first).days + 1, 1)
    left, right = 64, WIDTH - 8
    width = right - left
    row_height = 26

    def x(day):
        return round(left + width * (day - first).days / span, 1)

    rows = []
    for i, run in enumerate(best):
        start_x = x(run.start)
        end_x = x(run.end + dt.timedelta(days=1))
        rows.append(
            {
                "days": plural(run.days, "day"),
                "dates": date_range(run.start, run.end),
                "y": 8 + i * row_height,
                "x": start_x,
                "width": max(round(end_x - start_x, 1), 3),
                "label_y": 8 + i * row_height + 13,
            }
        )
    axis_y = 8 + len(best) * row_height + 4
    years = range(first.year, today.year + 1)
    step = max(1, math.ceil(len(years) / 5))
    marks = [
        (dt.date(year, 1, 1), str(year))
        for year in years
        if dt.date(year, 1, 1) >= first and (year - years[0]) % step == 0
    ]
    if len(marks) < 2:
        marks = [
            (first, month_year(first)),
            (today, month_year(today)),
        ]
    return {
        "width": WIDTH,
        "height": axis_y + 22,
        "left": left,
        "right": right,
        "axis_y": axis_y,
        "rows": rows,
        "shorter": total - len(best),
        "ticks": [_label(x(day), text, left, right) for day, text in marks],
    }


# -- when sessions happen: weekday x hour --------------------------------------


def hour_grid(starts: Iterable[tuple[int, int]], preferred=frozenset()):
    """Sessions per (weekday, hour) of local wall-clock start, as a 7 x 24 grid;
    `preferred` holds the (weekday, hour) pairs a preferred time falls in."""
    counts = [[0] * 24 for _ in range(7)]
    total = 0
    for weekday, hour in starts:
        counts[weekday][hour] += 1
        total += 1
    most = max((max(row) for row in counts), default=0)
    left, top, cell, pitch_x, pitch_y = 34, 4, 12, 13, 18
    rows = []
    for weekday in range(7):
        cells = []
        for hour in range(24):
            n = counts[weekday][hour]
            shade = 0 if not n else min(4, 1 + (4 * n - 1) // most)
            cells.append(
                {
                    "x": left + hour * pitch_x,
                    "count": n,
                    "level": shade,
                    "preferred": (weekday, hour) in preferred,
                    "title": f"{DAY_SHORT[weekday]} {hour:02}:00–{hour:02}:59: "
                    f"{plural(n, 'session')}",
                }
            )
        rows.append(
            {
                "name": DAY_SHORT[weekday],
                "y": top + weekday * pitch_y,
                "text_y": top + weekday * pitch_y + cell - 2,
                "cells": cells,
            }
        )
    busiest = sorted(
        (-counts[w][h], w, h) for w in range(7) for h in range(24) if counts[w][h]
    )[:3]
    hours_used = sorted({h for w in range(7) for h in range(24) if counts[w][h]})
    return {
        "width": left + 24 * pitch_x,
        "height": top + 7 * pitch_y + 32,
        "cell": cell,
        "rows": rows,
        "hours": [
            {"x": left + h * pitch_x + cell / 2, "text": f"{h:02}"}
            for h in range(0, 24, 3)
        ],
        "axis_y": top + 7 * pitch_y + 12,
        "total": total,
        "weekdays": DAY_SHORT,
        "busiest": [
            f"{DAY_SHORT[w]} {h:02}:00 ({plural(-n, 'session')})" for n, w, h in busiest
        ],
        "table": [
            {"hour": f"{h:02}:00", "counts": [counts[w][h] for w in range(7)]}
            for h in hours_used
        ],
    }


def preferred_cells(slots):
    """(weekday, hour) pairs of preferred times: slots have .time and .weekdays."""
    return frozenset(
        (weekday, slot.time.hour) for slot in slots for weekday in slot.weekdays
    )


# -- pain before, per foot, week by week (What works for me) --------------------

FEET_ORDER = ("Left", "Right", "Both", "")


def lines_chart(labels, series, y_max, y_ticks, y_min=0):
    """One line per series through evenly spaced `labels` (x texts), on one
    scale: `series` is (name, [value or None per label]) pairs; at most four
    of the labels are written under the axis. Each series has its dash pattern and
    a line of the legend. None when no series has a value."""
    series = [
        (name, values)
        for name, values in series
        if any(value is not None for value in values)
    ]
    if not series:
        return None
    every = max(1, math.ceil(len(labels) / 4))
    x_labels = [(i, text) for i, text in enumerate(labels) if i % every == 0]
    drawn = []
    for number, (name, values) in enumerate(series, start=1):
        chart = line_chart(
            [
                (label, _rounded(value))
                for label, value in zip(labels, values, strict=True)
            ],
            y_max,
            y_ticks,
            y_min=y_min,
            x_labels=x_labels,
        )
        drawn.append(
            {
                "name": name,
                "style": f"series-{number}",
                "lines": chart["lines"],
                "dots": chart["dots"],
            }
        )
    chart["series"] = drawn
    return chart


def pain_trend_chart(starts, averages, counts):
    """One line per foot through the weekly average pain before (0-10), with a
    legend and the table's rows; None when no week has a rating."""
    feet = [foot for foot in FEET_ORDER if foot in averages]
    chart = lines_chart(
        [short_date(start) for start in starts],
        [(foot or "Foot not noted", averages[foot]) for foot in feet],
        10,
        ticks(10, 5),
    )
    if chart is None:
        return None
    chart["rows"] = [
        {
            "label": _week_of(start),
            "cells": [(_rounded(averages[foot][i]), counts[foot][i]) for foot in feet],
        }
        for i, start in enumerate(starts)
    ]
    return chart


def _rounded(value):
    return None if value is None else round(float(value), 1)
