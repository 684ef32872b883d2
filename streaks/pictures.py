"""The pictures on the dashboard, the year pages and the statistics page: the
pure geometry of streaks.charts, drawn as SVG markup where the template engine
would be too slow (no queries)."""

import datetime as dt
import functools
import zoneinfo

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from streaks import charts
from streaks.models import RestDay

HEATMAP_WEEKS = 53


def years(history, joined):
    """Every year from the first one with anything in it to this one."""
    first = min(
        [joined.year, history.today.year]
        + [min(history.days).year if history.days else history.today.year]
        + [min(history.rest).year if history.rest else history.today.year]
    )
    return list(range(first, history.today.year + 1))


def heatmap(history, first, last, heading, year_links, current_year=None):
    """Context for templates/streaks/heatmap.html."""
    grid = charts.heatmap(
        history.days, history.rest, first, last, dict(RestDay.Reason.choices)
    )
    return {
        "heatmap": grid,
        "cells": day_cells(grid),
        "heading": heading,
        "first": first,
        "last": last,
        "year_links": year_links,
        "current_year": current_year,
    }


DAY = (
    '<a href="{0}?date={1}" aria-label="{2}"><rect x="{3}" y="{4}" width="{5}" '
    'height="{5}" rx="3" class="level-{6}"><title>{2}</title></rect></a>'
)
HOUR = (
    '<rect class="cell level-{}" x="{}" y="{}" width="{}" height="{}" rx="2">'
    "<title>{}</title></rect>"
)


@functools.lru_cache(maxsize=10_000, typed=True)
def remembered_html(format_string, *args):
    """format_html, remembered by this process for the squares of the pictures:
    after a write only the few that changed are escaped again (escaping a day's
    values costs 15 µs; a page has 371 days, or 168 hours). About 0.75 kB an
    entry, 7.5 MB at most. Typed, so an already-safe string and a plain one
    never share an entry."""
    return format_html(format_string, *args)


def _joined(pieces):
    """Pieces of safe markup as one, kept safe by format_html: one call with a
    "{}" a piece (format_html_join's call a piece took 1 ms for a year's days)."""
    pieces = list(pieces) or [""]
    return format_html("{}" * len(pieces), *pieces)


def day_cells(grid):
    """The grid's days as SVG links (through the template engine the 371 cells
    of a year took several times as long)."""
    url, size = reverse("sessions:list"), grid["cell"]
    return _joined(
        remembered_html(
            DAY, url, c["iso"], c["label"], c["x"], c["y"], size, c["level"]
        )
        for c in grid["cells"]
    )


def hour_cells(grid):
    """The 168 squares of the weekday x hour grid, and rings on preferred times."""
    size = grid["cell"]
    squares = _joined(
        remembered_html(
            HOUR, cell["level"], cell["x"], row["y"], size, size, cell["title"]
        )
        for row in grid["rows"]
        for cell in row["cells"]
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


def recent_heatmap(history, joined):
    """The dashboard's: the last 53 weeks, Monday to today."""
    today = history.today
    first = today - dt.timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)
    return heatmap(history, first, today, "Your year", years(history, joined))


def year_page(history, year, joined):
    """A calendar year (up to today), with its totals and the other years."""
    first = dt.date(year, 1, 1)
    last = min(dt.date(year, 12, 31), history.today)
    return {
        **heatmap(
            history,
            first,
            last,
            f"Days of {year}",
            years(history, joined),
            current_year=year,
        ),
        "year": year,
        "totals": charts.year_totals(history.days, history.rest, year),
    }


def hours(starts, today):
    """(weekday, hour) of each start (from history.session_starts) up to today,
    on the clock of the zone it was logged in."""
    return [
        (local.weekday(), local.hour)
        for local in (
            started_at.astimezone(zoneinfo.ZoneInfo(zone))
            for day, started_at, zone in starts
            if day <= today
        )
    ]


def statistics(history, stats, *, insights, span, starts, slots):
    """Every picture on /streaks/ (no query)."""
    today = history.today
    practice = list(history.days)
    grid = charts.hour_grid(hours(starts, today), charts.preferred_cells(slots))
    grid["cells"] = hour_cells(grid)
    recent = charts.weekday_chart(practice, today, 12)
    year = charts.weekday_chart(practice, today, 52)
    return {
        "span": span,
        "spans": charts.SPANS,
        "minutes": charts.minutes_chart(history.days, today, span),
        "strength": charts.strength_charts(stats),
        "best_streaks": charts.best_streaks(stats.runs, today),
        "hours": grid,
        "has_slots": bool(slots),
        "comfort": charts.comfort_chart(history.days, today),
        "comfort_techniques": charts.comfort_bars(insights["techniques"]),
        "comfort_pressures": charts.comfort_bars(insights["pressures"]),
        "weekday_12": recent,
        "weekday_52": year,
        "weekday_table": [
            (a["label"], a, b)
            for a, b in zip(recent["rows"], year["rows"], strict=True)
        ],
    }
