"""The pictures on the dashboard, the year pages and the statistics page: the
pure geometry of streaks.charts, with the many small squares of the heatmap and
the hour grid drawn by format_html_join rather than template loops
(bench/load.py --pages times the pages). No queries."""

import datetime as dt

from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join

from sessions.models import RestDay
from streaks import charts

HEATMAP_WEEKS = 53


def year_links(first_practice, joined, today):
    """Every year from the first practice day, or joining, to this one."""
    first = min(joined.date(), today, first_practice or today)
    return list(range(first.year, today.year + 1))


def heatmap(
    days,
    rest,
    first,
    last,
    heading,
    years,
    current_year=None,
    today=None,
    paused=(),
):
    """Context for templates/streaks/heatmap.html: `days`, `rest` and `paused`
    as in streaks.history.History; `today`'s cell is marked, when it is shown."""
    grid = charts.heatmap(
        days,
        rest,
        first,
        last,
        dict(RestDay.Reason.choices),
        today=today,
        paused=paused,
    )
    return {
        "grid": grid,
        "cells": day_cells(grid),
        "heading": heading,
        "first": first,
        "last": last,
        "year_links": years,
        "current_year": current_year,
    }


# One week: its month's name over the column, its blank places (before the
# first day), then its days; each day a link to its sessions, named by its
# aria-label (static/js/heatmap.js shows the name below the grid on hover).
WEEK = '<span class="heatmap-month" aria-hidden="true">{}</span>{}{}'
BLANK = '<span class="heatmap-blank">{}</span>'
DAY = '<a href="{}?date={}" aria-label="{}" class="level-{}"{}></a>'
CURRENT = ' aria-current="{}"'
HOUR = (
    '<rect class="cell level-{}" x="{}" y="{}" width="{}" height="{}" rx="2">'
    "<title>{}</title></rect>"
)


def day_cells(grid):
    """The grid's weeks in the order a column-first CSS grid places them: the
    371 days of the dashboard's year, one format_html each. What is the same
    for many days (the link, the shades, the mark on today) is escaped once,
    so each day escapes only its own date and name."""
    url = escape(reverse("sessions:list"))
    shades = {}
    today = format_html(CURRENT, "date")
    other_day = escape("")  # no attribute, and nothing left to escape

    def days(week):
        for cell in week:
            if cell is not None:
                level = cell["level"]
                if level not in shades:
                    shades[level] = escape(level)
                marked = today if cell["today"] else other_day
                yield url, escape(cell["iso"]), cell["label"], shades[level], marked

    return format_html_join(
        "",
        WEEK,
        (
            (
                week["month"],
                format_html_join("", BLANK, [("",)] * week["days"].count(None)),
                format_html_join("", DAY, days(week["days"])),
            )
            for week in grid["weeks"]
        ),
    )


def hour_cells(grid):
    """The 168 squares of the weekday x hour grid, and rings on preferred times."""
    size = grid["cell"]
    squares = format_html_join(
        "",
        HOUR,
        (
            (cell["level"], cell["x"], row["y"], size, size, cell["title"])
            for row in grid["rows"]
            for cell in row["cells"]
        ),
    )
    rings = format_html_join(
        "",
        '<circle class="preferred" cx="{}" cy="{}" r="3.5"></circle>',
        (
            (cell["x"] + size / 2, row["y"] + size / 2)
            for row in grid["rows"]
            for cell in row["cells"]
            if cell["preferred"]
        ),
    )
    return squares + rings


def heatmap_start(today):
    """The first day of the dashboard's heatmap: the Monday 52 weeks ago."""
    return today - dt.timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)


def year_page(days, rest, year, today, years, paused=()):
    """A calendar year (up to today), with its totals and the other years."""
    first = dt.date(year, 1, 1)
    last = min(dt.date(year, 12, 31), today)
    return {
        "map": heatmap(
            days,
            rest,
            first,
            last,
            f"Days of {year}",
            years,
            year,
            today=today,
            paused=paused,
        ),
        "year": year,
        "totals": charts.year_totals(days, rest, year, paused),
    }


def statistics(
    history, *, span, years, strengths, runs, run_count, first_practice, insights
):
    """The pictures on /streaks/ (no query)."""
    today = history.today
    anchor = history.stats.anchor
    return {
        "span": span,
        "spans": charts.SPANS,
        "minutes": charts.minutes_chart(history.days, today, span, years),
        "strength": (
            charts.strength_charts(strengths, first_practice, anchor)
            if first_practice and anchor >= first_practice
            else None
        ),
        "best_streaks": charts.best_streaks(runs, run_count, first_practice, today),
        "comfort": charts.comfort_chart(history.days, today),
        "comfort_techniques": charts.comfort_bars(insights["techniques"]),
        "comfort_pressures": charts.comfort_bars(insights["pressures"]),
    }


def when(history, *, starts, slots):
    """The pictures on /streaks/when/ (no query)."""
    today = history.today
    practice = list(history.days)
    grid = charts.hour_grid(
        [(start.weekday(), start.hour) for _, start in starts],
        charts.preferred_cells(slots),
    )
    grid["cells"] = hour_cells(grid)
    first = history.first_practice
    recent = charts.weekday_chart(practice, today, 12, first)
    year = charts.weekday_chart(practice, today, 52, first)
    return {
        "hours": grid,
        "has_slots": bool(slots),
        "weekday_12": recent,
        "weekday_52": year,
        "weekday_table": [
            (a["label"], a, b)
            for a, b in zip(recent["rows"], year["rows"], strict=True)
        ],
    }
