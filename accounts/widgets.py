"""A select for the ~600 time zones, written by format_html_join.

Django's Select builds a dict and renders a template per option, after walking
the field's (callable) choices several times, which for 600 zones made the
settings page the slowest of all (bench/load.py --pages). Here each option is
one format_html (every value and label escaped), from the same list the field
validates against."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join

from accounts import timezones


def options_html(selected):
    # The two markers escaped once, not once per option.
    chosen, other = escape(" selected"), escape("")
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        (
            (value, chosen if value == selected else other, label)
            for value, label in timezones.choices()
        ),
    )


class TimeZoneSelect(forms.Select):
    def use_required_attribute(self, initial):
        # Select's answer (only with a blank first option), without walking
        # every choice to find out: the zone list never has a blank one.
        return False

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options_html(values[0] if values else ""),
        )
