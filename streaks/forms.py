import datetime as dt

from django import forms
from django.utils import timezone

from sessions.forms import EARLIEST_DATE
from streaks import report
from streaks.models import ReportLink


class ReportForm(forms.Form):
    """The range of a report (?from=YYYY-MM-DD&to=YYYY-MM-DD) and whether it
    shows the notes. Left out, the range is the last DEFAULT_DAYS days."""

    notes = forms.BooleanField(label="Include the notes", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        # "from" is a Python keyword: the fields are added by name.
        self.fields["from"] = forms.DateField(label="From", required=False, widget=date)
        self.fields["to"] = forms.DateField(label="To", required=False, widget=date)
        self.order_fields(["from", "to", "notes"])
        # A first visit shows the range it reports on.
        first, last = self.default_range()
        self.initial.setdefault("from", first)
        self.initial.setdefault("to", last)

    def default_range(self):
        """The last DEFAULT_DAYS days, today included."""
        today = self.user.today()
        return today - dt.timedelta(days=report.DEFAULT_DAYS - 1), today

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = self.user.today()
        last = data.get("to") or today
        if last < EARLIEST_DATE:
            raise forms.ValidationError("Pick a last day from 2000 on.")
        first = data.get("from") or max(
            EARLIEST_DATE, last - dt.timedelta(days=report.DEFAULT_DAYS - 1)
        )
        if first < EARLIEST_DATE:
            raise forms.ValidationError("Pick a first day from 2000 on.")
        if last > today:
            raise forms.ValidationError("A report ends today at the latest.")
        if first > last:
            raise forms.ValidationError("The first day must be on or before the last.")
        if (last - first).days + 1 > report.MAX_DAYS:
            raise forms.ValidationError(
                f"A report covers at most {report.MAX_DAYS:,} days (ten years)."
            )
        data["from"], data["to"] = first, last
        return data

    @property
    def range(self):
        """The range asked for, or the one it shows (by default the last
        DEFAULT_DAYS days) when it is not bound or not valid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["from"], self.cleaned_data["to"]
        return self.initial["from"], self.initial["to"]


class ShareReportForm(ReportForm):
    """A link to the report of one range."""

    days = forms.TypedChoiceField(
        label="Valid for",
        choices=[(n, f"{n} days") for n in ReportLink.VALID_DAYS],
        coerce=int,
        initial=ReportLink.VALID_DAYS[0],
        widget=forms.RadioSelect,
    )
    show_name = forms.BooleanField(
        label="Show my username and email address on the shared report",
        required=False,
    )

    def clean(self):
        data = super().clean()
        working = ReportLink.objects.for_user(self.user).working(timezone.now())
        if working.count() >= ReportLink.MAX_WORKING:
            raise forms.ValidationError(
                "You have %(max)s links that still work, the most one account may "
                "hold. Revoke one you no longer need first.",
                code="too_many",
                params={"max": ReportLink.MAX_WORKING},
            )
        return data

    def save(self):
        """The new link and its token."""
        data = self.cleaned_data
        return ReportLink.make(
            self.user,
            data["from"],
            data["to"],
            data["days"],
            notes=data["notes"],
            show_name=data["show_name"],
        )
