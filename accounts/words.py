"""Dates and counts in words, written the same way on every page, message and
email: English names whatever the server's locale (and strftime is slow); and
names as they show. Pure Python."""

import datetime as dt
import unicodedata

# Characters that draw nothing and join nothing: zero-width space, word joiner,
# byte order mark, soft hyphen, direction marks, embeddings, overrides and
# isolates, the Mongolian vowel separator. (Not the zero-width joiner and
# non-joiner: emoji sequences and Persian or Indic spelling need them.)
INVISIBLE = frozenset(
    "\u200b\u2060\ufeff\u00ad\u200e\u200f\u061c\u180e"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Letters that draw nothing: the Hangul fillers and the blank braille pattern.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def shown_text(text):
    """`text` as it shows: without INVISIBLE and control characters, its runs
    of spaces made one; and empty when nothing in it draws anything (only
    blank letters, joiners and other format characters are left)."""
    kept = "".join(
        char
        for char in text
        if char not in INVISIBLE and unicodedata.category(char) != "Cc"
    )
    kept = " ".join(kept.split())
    if all(
        char in BLANK_LETTERS or unicodedata.category(char) in ("Cf", "Zs")
        for char in kept
    ):
        return ""
    return kept


DAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DAY_SHORT = tuple(name[:3] for name in DAY_NAMES)
MONTH_SHORT = tuple(name[:3] for name in MONTH_NAMES)


def listed(names):
    """ "A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def plural(n, word):
    """1 day, 2 days."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def day_name(day: dt.date) -> str:
    """Wed 25 Nov 2026"""
    weekday, month = DAY_SHORT[day.weekday()], MONTH_SHORT[day.month - 1]
    return f"{weekday} {day.day} {month} {day.year}"


def long_date(day: dt.date) -> str:
    """25 November 2026"""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def full_date(day: dt.date, year=True) -> str:
    """Wednesday 25 November 2026, or without the year: Wednesday 25 November"""
    words = f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"
    return f"{words} {day.year}" if year else words


def month_name(day: dt.date) -> str:
    """November 2026"""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def short_date(day: dt.date, with_year=False) -> str:
    """25 Nov, or 25 Nov 2026"""
    return f"{day.day} {MONTH_SHORT[day.month - 1]}" + (
        f" {day.year}" if with_year else ""
    )


def date_range(start: dt.date, end: dt.date) -> str:
    """5 Nov – 8 Nov 2026, 28 Dec 2025 – 3 Jan 2026, or one day: 5 Nov 2026"""
    if start == end:
        return short_date(start, True)
    return f"{short_date(start, start.year != end.year)} – {short_date(end, True)}"
