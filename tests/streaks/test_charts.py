"""streaks.charts, the pictures' geometry, against hand-built histories."""

import datetime as dt
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.schedule import Slot
from sessions import engine
from streaks import charts

TODAY = dt.date(2026, 11, 25)  # a Wednesday


class Day(NamedTuple):
    sessions: int
    minutes: int
    comfort_sum: int = 0
    rated: int = 0


def d(month, day, year=2026):
    return dt.date(year, month, day)


# -- heatmap -------------------------------------------------------------------


def test_the_heatmap_has_a_cell_per_day_in_week_columns():
    days = {d(11, 24): Day(2, 18), d(11, 2): Day(1, 25)}
    rest = {d(11, 23): ("travel", 1), d(11, 20): ("", 2)}
    grid = charts.heatmap(days, rest, d(11, 1), TODAY, {"travel": "Travel"})
    cells = {cell["iso"]: cell for cell in grid["cells"]}
    assert len(cells) == 25
    assert cells["2026-11-24"]["label"] == "Tue 24 Nov 2026: 2 sessions, 18 minutes"
    assert cells["2026-11-24"]["level"] == "3"  # 11 to 20 minutes
    assert cells["2026-11-02"]["level"] == "4"  # over 20
    assert cells["2026-11-23"]["label"] == "Mon 23 Nov 2026: rest day (travel)"
    assert cells["2026-11-20"]["label"] == "Fri 20 Nov 2026: rest day"
    assert cells["2026-11-20"]["level"] == "rest"
    assert cells["2026-11-22"]["label"] == "Sun 22 Nov 2026: no session"
    # Sunday 1 Nov is the last row of the first column; Monday 2 Nov starts the next.
    weeks = [[c and c["iso"] for c in week["days"]] for week in grid["weeks"]]
    assert weeks[0] == [None] * 6 + ["2026-11-01"]
    assert weeks[1][0] == "2026-11-02"
    # The last week stops at the last day (Wednesday 25 Nov).
    assert weeks[-1] == ["2026-11-23", "2026-11-24", "2026-11-25"]
    assert [week["month"] for week in grid["weeks"]] == ["Nov", "", "", "", ""]


def test_today_is_marked_and_only_today():
    grid = charts.heatmap({}, {}, d(11, 1), TODAY, today=TODAY)
    marked = [cell["iso"] for cell in grid["cells"] if cell["today"]]
    assert marked == [TODAY.isoformat()]
    # A year page of a past year has no today in it.
    past = charts.heatmap({}, {}, d(1, 1, 2025), d(12, 31, 2025), today=TODAY)
    assert not any(cell["today"] for cell in past["cells"])


def test_month_names_sit_over_the_week_of_each_first_day():
    grid = charts.heatmap({}, {}, d(8, 1), TODAY)
    names = [
        (i, week["month"]) for i, week in enumerate(grid["weeks"]) if week["month"]
    ]
    # 1 Aug is a Saturday (column 0); 1 Sep a Tuesday in column 5.
    assert names == [(0, "Aug"), (5, "Sep"), (9, "Oct"), (13, "Nov")]


def test_a_day_imported_without_a_duration_is_named_by_its_sessions():
    grid = charts.heatmap({d(11, 24): Day(2, 0)}, {}, d(11, 24), d(11, 24))
    (cell,) = grid["cells"]
    assert cell["label"] == "Tue 24 Nov 2026: 2 sessions"
    assert cell["level"] == "1"


@pytest.mark.parametrize(
    ("minutes", "level"), [(1, 1), (5, 1), (6, 2), (10, 2), (11, 3), (20, 3), (21, 4)]
)
def test_heatmap_shades_by_minutes(minutes, level):
    assert charts.level(minutes) == level


def test_year_totals_count_only_that_year():
    days = {d(12, 31, 2025): Day(1, 9), d(1, 1): Day(2, 20), d(3, 1): Day(1, 5)}
    rest = {d(3, 1): ("", 1), d(3, 2): ("", 2), d(1, 1, 2025): ("", 3)}
    assert charts.year_totals(days, rest, 2026) == {
        "practice_days": 2,
        "sessions": 3,
        "minutes": 25,
        "rest_days": 1,  # 1 March is a practice day
        "paused_days": 0,
    }


def test_year_totals_count_a_paused_day_once():
    days = {d(1, 1): Day(2, 20)}
    rest = {d(3, 2): ("", 2)}
    paused = {d(3, 2), d(3, 3), d(1, 1, 2025)}
    totals = charts.year_totals(days, rest, 2026, paused)
    assert (totals["rest_days"], totals["paused_days"]) == (0, 2)


def test_a_paused_day_is_dotted_and_named_paused():
    grid = charts.heatmap(
        {d(11, 2): Day(1, 10)},
        {d(11, 3): ("travel", 1)},
        d(11, 1),
        d(11, 4),
        {"travel": "Travel"},
        paused={d(11, 2), d(11, 3), d(11, 4)},  # a practised day stays practised
    )
    assert [(c["level"], c["label"]) for c in grid["cells"]] == [
        ("0", "Sun 1 Nov 2026: no session"),
        ("2", "Mon 2 Nov 2026: 1 session, 10 minutes"),
        ("paused", "Tue 3 Nov 2026: paused"),
        ("paused", "Wed 4 Nov 2026: paused"),
    ]


# -- scales and bars -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "top"),
    [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (21, 25), (240, 250), (251, 500)],
)
def test_axes_end_on_a_round_number(value, top):
    assert charts.nice_ceiling(value) == top


def test_bars_scale_to_the_axis_and_label_without_overlap():
    chart = charts.bar_chart([("a", 0), ("b", 50), ("c", 100)], "minutes")
    plot = chart["plot"]
    heights = [bar["height"] for bar in chart["bars"]]
    assert heights == [0, plot["height"] / 2, plot["height"]]
    assert [tick["label"] for tick in chart["ticks"]] == ["0", "25", "50", "75", "100"]
    assert chart["width"] <= 360
    many = charts.bar_chart([(str(i), i) for i in range(40)], "minutes")
    shown = [bar["center"] for bar in many["bars"] if bar["label"]]
    assert min(b - a for a, b in zip(shown, shown[1:], strict=False)) >= 36
    assert many["bars"][-1]["label"] == "39"  # the newest bar is always named


def test_minutes_per_week_month_and_year():
    days = {
        d(11, 23): Day(2, 15),
        d(11, 17): Day(1, 20),
        d(10, 2): Day(1, 30),
        d(3, 3, 2025): Day(1, 15),
        d(11, 26): Day(1, 99),  # after today: never counted
    }
    weeks = charts.minutes_by_span(days, TODAY, "week")
    assert len(weeks) == 12
    assert weeks[-1] == ("23/11", "Week of 23 Nov 2026", 2, 15)
    assert weeks[-2][2:] == (1, 20)
    months = charts.minutes_by_span(days, TODAY, "month")
    assert [m[1] for m in months[:1] + months[-1:]] == [
        "December 2025",
        "November 2026",
    ]
    assert months[-1][2:] == (3, 35)
    assert months[-2][2:] == (1, 30)
    years = charts.minutes_by_span({}, TODAY, "year", [(2024, 1, 15), (2026, 4, 65)])
    assert years == [
        ("2024", "2024", 1, 15),
        ("2025", "2025", 0, 0),
        ("2026", "2026", 4, 65),
    ]


# -- lines ---------------------------------------------------------------------


def test_a_missing_value_breaks_the_line():
    chart = charts.line_chart(
        [("a", 1), ("b", 2), ("c", None), ("d", 4), ("e", 5)], 5, [0, 5]
    )
    assert len(chart["lines"]) == 2
    assert len(chart["dots"]) == 4
    plot = chart["plot"]
    first = [float(v) for v in chart["lines"][0].split()[0].split(",")]
    last = [float(v) for v in chart["lines"][1].split()[-1].split(",")]
    assert first == [plot["left"], plot["bottom"] - plot["height"] / 5]
    assert last == [plot["right"], plot["top"]]


practice_days = st.sets(
    st.integers(min_value=0, max_value=400).map(lambda n: TODAY - dt.timedelta(n)),
    max_size=120,
)


def strength_pictures(practice, rest, target, today=TODAY):
    """The strength charts for a history, from the engine's figures."""
    stats = engine.compute(practice, rest, today, target)
    if not practice:
        return stats, None
    first = min(practice)
    figures = engine.days(practice, rest, min(practice | rest), today, target)
    strengths = {day.date: day.strength for day in figures}
    assert charts.strength_days(first, stats.anchor) <= strengths.keys()
    return stats, charts.strength_charts(strengths, first, stats.anchor)


@given(practice=practice_days, rest=practice_days, target=st.integers(1, 7))
def test_strength_over_time_ends_where_the_engine_does(practice, rest, target):
    stats, pictures = strength_pictures(practice, rest, target)
    if pictures is not None:
        assert pictures["now"] == stats.habit_strength
        assert all(0 <= row["value"] <= 100 for row in pictures["all_rows"])


def test_strength_rises_with_daily_practice_and_does_not_fall_on_rest_days():
    practice = {d(11, 1) + dt.timedelta(i) for i in range(20)}
    rest = {d(11, 21), d(11, 22)}
    figures = engine.days(practice, rest, d(11, 1), d(11, 22), 7)
    values = [day.strength for day in figures]
    assert len(values) == 22
    assert values[:20] == sorted(values[:20])
    assert values[19] <= values[20] <= values[21]


def test_strength_charts_tables_give_month_and_year_ends():
    practice = {d(1, 1, 2024) + dt.timedelta(i) for i in range(0, 1060, 2)}
    stats, pictures = strength_pictures(practice, set(), 3)
    assert [row["label"] for row in pictures["recent_rows"]][-1] == "November 2026"
    assert len(pictures["recent_rows"]) == 12
    assert [row["label"] for row in pictures["all_rows"]] == [
        "End of 2024",
        "End of 2025",
        "Tue 24 Nov 2026",
    ]
    assert pictures["now"] == stats.habit_strength
    assert [label["text"] for label in pictures["all"]["x_labels"]] == [
        "2024",
        "2025",
        "2026",
    ]


def test_weekly_comfort_averages_sessions_not_days():
    days = {
        d(11, 23): Day(2, 15, 6, 2),
        d(11, 24): Day(2, 10, 5, 1),  # one of them imported without a rating
        d(11, 10): Day(1, 5, 1, 1),
    }
    rows = charts.comfort_by_week(days, TODAY, weeks=3)
    assert rows == [
        (d(11, 9), 1.0, 1),
        (d(11, 16), None, 0),
        (d(11, 23), round(11 / 3, 1), 3),
    ]
    assert charts.comfort_chart({}, TODAY) is None


# -- horizontal bars -----------------------------------------------------------


def test_practice_by_weekday_counts_days_out_of_those_so_far():
    days = [d(11, 23), d(11, 16), d(11, 25), d(8, 31)]
    rows = charts.weekday_practice(days, TODAY, 12)
    assert rows[0] == ("Mon", 2, 12)  # 31 Aug is before the 12 weeks
    assert rows[2] == ("Wed", 1, 12)
    assert rows[3] == ("Thu", 0, 11)
    chart = charts.weekday_chart(days, TODAY, 12)
    assert chart["bars"][0]["text"] == "2 of 12"
    assert chart["bars"][0]["width"] == round(chart["bar_width"] * 2 / 12, 1)


def test_long_technique_names_are_shortened_in_the_picture_only():
    name = "A very long technique name that would never fit beside its bar at all"
    chart = charts.comfort_bars([{"name": name, "avg": 2.5, "n": 4}])
    assert chart["bars"][0]["label"].endswith("…")
    assert len(chart["bars"][0]["label"]) == 44
    assert chart["bars"][0]["text"] == "2.5 (4)"
    assert chart["bars"][0]["width"] == chart["bar_width"] / 2
    assert charts.comfort_bars([]) is None


# -- best streaks --------------------------------------------------------------


def run(start, end, days=None):
    return engine.Run(start, end, days or (end - start).days + 1)


def test_the_ten_longest_streaks_on_a_time_axis():
    runs = [
        run(
            d(1, 1, 2020) + dt.timedelta(30 * i),
            d(1, 1, 2020) + dt.timedelta(30 * i + i),
        )
        for i in range(1, 15)
    ]
    runs.sort(key=lambda run: (run.days, run.end), reverse=True)  # as history gives
    chart = charts.best_streaks(runs[:10], len(runs), d(1, 1, 2020), TODAY)
    assert [row["days"] for row in chart["rows"]] == [
        f"{n} days" for n in range(15, 5, -1)
    ]
    assert chart["rows"][0]["dates"] == "24 Feb – 10 Mar 2021"
    # Later streaks sit further right; every bar can be seen.
    by_start = sorted(chart["rows"], key=lambda row: row["x"])
    assert [row["days"] for row in by_start] == [f"{n} days" for n in range(6, 16)]
    assert all(row["width"] >= 3 for row in chart["rows"])
    assert all(chart["left"] <= row["x"] <= chart["right"] for row in chart["rows"])
    assert [tick["text"] for tick in chart["ticks"]] == ["2020", "2022", "2024", "2026"]
    assert chart["shorter"] == 4
    assert charts.best_streaks([], 0, d(11, 20), TODAY) is None


def test_streaks_within_one_year_name_the_ends_of_the_axis():
    runs = [run(d(5, 1), d(5, 3)), run(d(1, 1), d(1, 3))]
    chart = charts.best_streaks(runs, 2, d(1, 1), TODAY)
    assert [row["dates"] for row in chart["rows"]] == [
        "1 May – 3 May 2026",
        "1 Jan – 3 Jan 2026",
    ]
    # Within one year the axis names its ends, the last one kept inside the chart.
    ticks = chart["ticks"]
    assert [(t["text"], t["anchor"]) for t in ticks][-1] == ("Nov 2026", "end")


# -- when sessions happen ------------------------------------------------------


def test_the_hour_grid_counts_and_marks_preferred_times():
    starts = [(0, 21), (0, 21), (4, 7), (6, 23)]
    preferred = charts.preferred_cells(
        [Slot("Evening", dt.time(21, 30), frozenset({0, 1}))]
    )
    assert preferred == {(0, 21), (1, 21)}
    grid = charts.hour_grid(starts, preferred)
    cells = {
        (w, h): row["cells"][h] for w, row in enumerate(grid["rows"]) for h in range(24)
    }
    assert cells[0, 21]["count"] == 2
    assert cells[0, 21]["level"] == 4
    assert cells[4, 7]["level"] == 2
    assert cells[1, 21]["preferred"]
    assert cells[1, 21]["count"] == 0
    assert not cells[4, 7]["preferred"]
    assert grid["busiest"][0] == "Mon 21:00 (2 sessions)"
    assert grid["table"] == [
        {"hour": "07:00", "counts": [0, 0, 0, 0, 1, 0, 0]},
        {"hour": "21:00", "counts": [2, 0, 0, 0, 0, 0, 0]},
        {"hour": "23:00", "counts": [0, 0, 0, 0, 0, 0, 1]},
    ]
    assert grid["width"] <= 360


def test_practice_by_weekday_counts_nothing_before_the_first_practice():
    """A new user's Monday was "1 of 12": the weeks before the first session
    counted against the habit, where consistency counts from it."""
    first = d(11, 16)  # a Monday, ten days before TODAY (Wed 25 Nov)
    rows = charts.weekday_practice([first, d(11, 23)], TODAY, 12, since=first)
    assert rows[0] == ("Mon", 2, 2)
    assert rows[2] == ("Wed", 0, 2)
    assert rows[3] == ("Thu", 0, 1)
    assert sum(possible for _, _, possible in rows) == (TODAY - first).days + 1
