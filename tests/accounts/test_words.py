"""accounts.words: dates and counts in words, the same everywhere."""

import datetime as dt

import pytest

from accounts import words

WED = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("n", "expected"), [(0, "0 days"), (1, "1 day"), (2, "2 days")]
)
def test_plural(n, expected):
    assert words.plural(n, "day") == expected


def test_dates_in_words():
    assert words.day_name(WED) == "Wed 25 Nov 2026"
    assert words.long_date(WED) == "25 November 2026"
    assert words.full_date(WED) == "Wednesday 25 November 2026"
    assert words.full_date(WED, year=False) == "Wednesday 25 November"
    assert words.month_name(WED) == "November 2026"
    assert words.short_date(WED) == "25 Nov"
    assert words.short_date(WED, True) == "25 Nov 2026"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (WED, WED, "25 Nov 2026"),
        (dt.date(2026, 11, 5), dt.date(2026, 11, 8), "5 Nov – 8 Nov 2026"),
        (dt.date(2025, 12, 28), dt.date(2026, 1, 3), "28 Dec 2025 – 3 Jan 2026"),
    ],
)
def test_date_ranges(start, end, expected):
    assert words.date_range(start, end) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], ""),
        (["Heel press"], "Heel press"),
        (["Heel press", "Warm soak"], "Heel press and Warm soak"),
        (["A", "B", "C"], "A, B and C"),
    ],
)
def test_listed(names, expected):
    assert words.listed(iter(names)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Ball   roll ", "Ball roll"),
        ("\u200bBall\u2060 roll\ufeff", "Ball roll"),
        ("\u202eBall\u00ad", "Ball"),
        ("\u3164 \u2800", ""),
        ("\u200d\u200c", ""),  # joiners with nothing to join
        ("Café", "Café"),
        # What joiners and tags draw stays as it is.
        ("Family \U0001f468\u200d\U0001f469\u200d\U0001f467", None),
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", None),
        (
            "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
            None,
        ),
    ],
)
def test_shown_text_keeps_what_shows(text, expected):
    assert words.shown_text(text) == (text if expected is None else expected)
