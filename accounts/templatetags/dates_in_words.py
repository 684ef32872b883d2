"""Dates in words, written the same everywhere (accounts.words)."""

from django import template

from accounts import words

register = template.Library()
register.filter("day_name", words.day_name)  # Wed 25 Nov 2026
register.filter("long_date", words.long_date)  # 25 November 2026
register.filter("full_date", words.full_date)  # Wednesday 25 November 2026
register.filter("month_name", words.month_name)  # November 2026
register.filter("short_date", words.short_date)  # 25 Nov, with True: 25 Nov 2026
