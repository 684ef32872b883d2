"""Fill the log form in from its address: /sessions/new/?date=...&start=...

The guided session ends there, and any link can open the form filled in. Each
parameter is optional and read on its own; a bad value is ignored (the form keeps
its default), never an error:

    date        YYYY-MM-DD, from 1 January 2000 to tomorrow
    start       HH:MM, 24-hour, in the user's time zone
    minutes     whole minutes, 1 to 180
    techniques  a technique id, repeated for each; ids that are not the user's own
                or built-in, or are archived, are dropped
"""

import datetime as dt

from django import forms
from django.utils import timezone

from sessions.forms import EARLIEST_DATE

MAX_ID = 2**31 - 1  # the largest id a database column holds everywhere
MAX_TECHNIQUES = 50


class PrefillForm(forms.Form):
    date = forms.DateField(input_formats=["%Y-%m-%d"])
    start = forms.TimeField(input_formats=["%H:%M"])
    minutes = forms.IntegerField(min_value=1, max_value=180)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not EARLIEST_DATE <= day <= self.today + dt.timedelta(days=1):
            raise forms.ValidationError("Out of range.", code="range")
        return day


def technique_ids(values):
    """Ids as integers a query can take; anything else is dropped before any query
    sees it (SQLite overflows on a 30-digit id)."""
    ids = []
    for value in values[:MAX_TECHNIQUES]:
        if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
            ids.append(int(value))
    return ids


def initial_from_query(query, form):
    """Initial values for the unbound log `form` from the query parameters that
    are valid; `form` supplies the user's zone and the techniques they may tick."""
    today = timezone.now().astimezone(form.tz).date()
    prefill = PrefillForm(query, today=today)
    prefill.is_valid()  # every valid parameter applies, whatever the others hold
    found = prefill.cleaned_data
    fields = {"date": "date", "start": "start_time", "minutes": "duration_minutes"}
    initial = {field: found[name] for name, field in fields.items() if found.get(name)}
    ids = technique_ids(query.getlist("techniques"))
    if ids:
        choosable = form.fields["techniques"].queryset.filter(pk__in=ids)
        kept = set(choosable.values_list("pk", flat=True))
        if kept:
            initial["techniques"] = [pk for pk in dict.fromkeys(ids) if pk in kept]
    return initial
