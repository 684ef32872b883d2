"""Dates in words, written the same everywhere (accounts.words). A date and
time is read in the current time zone first, as Django's date filter does."""

import datetime as dt

from django import template
from django.utils import timezone

from accounts import words

register = template.Library()


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def day_name(value):
    """Wed 25 Nov 2026"""
    return words.day_name(_local(value))


@register.filter
def long_date(value):
    """25 November 2026"""
    return words.long_date(_local(value))


@register.filter
def full_date(value, year=True):
    """Wednesday 25 November 2026; with False, no year"""
    return words.full_date(_local(value), year)


@register.filter
def month_name(value):
    """November 2026"""
    return words.month_name(_local(value))


@register.filter
def short_date(value, with_year=False):
    """25 Nov; with True: 25 Nov 2026"""
    return words.short_date(_local(value), with_year)
