"""Dates in words, written the same everywhere (accounts.localtime): a plain
f-string, where the date filter's translated names made long lists slow."""

from django import template

from accounts import localtime

register = template.Library()
register.filter("day_name", localtime.day_name)  # Wed 25 Nov 2026
register.filter("long_date", localtime.long_date)  # 25 November 2026
