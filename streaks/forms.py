import datetime as dt

from django import forms
from django.utils.dateformat import format as date_format

from sessions.forms import EARLIEST_DATE
from sessions.models import MassageSession
from streaks.models import RestDay

MAX_AHEAD = dt.timedelta(days=366)


class RestDayForm(forms.ModelForm):
    class Meta:
        model = RestDay
        fields = ("date", "reason")
        labels = {"date": "Date", "reason": "Reason (optional)"}
        # type=date inputs take only ISO dates, whatever the site's language.
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["reason"].choices = [
            ("", "No reason given"),
            *RestDay.Reason.choices,
        ]

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = self.user.today()
        if day < EARLIEST_DATE:
            raise forms.ValidationError("Pick a date from 2000 on.", code="too_early")
        if day > today + MAX_AHEAD:
            raise forms.ValidationError(
                "Rest days can be planned up to a year ahead.", code="too_late"
            )
        if MassageSession.objects.for_user(self.user).filter(local_date=day).exists():
            raise forms.ValidationError(
                "You practised on %(day)s: a day with a session cannot be a rest "
                "day. Delete its session first if it was logged by mistake.",
                code="practised",
                params={"day": date_format(day, "l j F Y")},
            )
        if RestDay.objects.for_user(self.user).filter(date=day).exists():
            raise forms.ValidationError(
                "%(day)s is already a rest day.",
                code="duplicate",
                params={"day": date_format(day, "j F Y")},
            )
        return day

    def save(self, commit=True):
        rest_day = super().save(commit=False)
        rest_day.user = self.user
        if commit:
            rest_day.save()
        return rest_day
