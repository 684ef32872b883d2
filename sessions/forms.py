import datetime as dt
import uuid

from django import forms
from django.db import transaction
from django.db.models import Q, Subquery
from django.utils import timezone

from accounts import localtime, words
from accounts.forms import NameField
from sessions import days, guide
from sessions.models import (
    MAX_MINUTES,
    MIN_MINUTES,
    PAIN_MAX,
    PAIN_MIN,
    GuidePreference,
    MassageSession,
    Pause,
    RestDay,
    Technique,
    mask_from_zones,
    placed,
)

# The largest id a BigAutoField holds. Larger numbers never reach a query:
# SQLite raises OverflowError for them (a 500) instead of finding nothing.
MAX_ID = 2**63 - 1

EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(9998, 12, 1)  # filters: room for "the next day / month"
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
DEFAULT_MINUTES = 10
FUTURE = "That is in the future. Log a session once it has started."
TOO_EARLY = "Sessions can be logged from 1 January 2000 on."
BASIC_ROUTINE = ("warm-up", "arch", "toes", "ankle")
# How far ahead a rest day or a pause may be planned (its form, an import).
MAX_REST_AHEAD = dt.timedelta(days=366)


def is_id(value):
    """Whether a submitted value is a whole number an id column can hold."""
    text = str(value).strip()
    return (
        0 < len(text) <= len(str(MAX_ID))
        and text.isascii()
        and text.isdigit()
        and 0 < int(text) <= MAX_ID
    )


def basic_routine():
    """The built-in techniques a newcomer starts with ticked (those still
    offered: the admin may archive a built-in one)."""
    return list(
        Technique.objects.active()
        .filter(user__isnull=True, key__in=BASIC_ROUTINE)
        .values_list("pk", flat=True)
    )


def default_techniques(user, last=None):
    """What a new session ticks when nothing says otherwise (the log form, the
    API's empty body, "Done as usual"): the techniques of the user's latest
    session that are still offered (an archived one is left out), or, when
    that leaves none (a newcomer, or a session imported without any), the
    basic routine. `last`: those ids, when the caller has them already."""
    if last is None:
        latest = MassageSession.objects.for_user(user).newest_first().values("pk")
        last = list(
            MassageSession.techniques.through.objects.filter(
                massagesession=Subquery(latest[:1]), technique__archived=False
            ).values_list("technique_id", flat=True)
        )
    return last or basic_routine()


def new_session_form(user, data=None, query=None, last_techniques=None):
    """The log form, on the dashboard and on /sessions/new/: bound to what was
    sent, or with its defaults (now, ten minutes, what the user did last time,
    or the basic routine for a newcomer) and any valid values its query
    parameters fill in (see SessionForm.fill_in). The dashboard passes the
    last session's techniques still offered when it has them already."""
    if data is not None:
        return SessionForm(data, user=user)
    now = user.local_now()
    form = SessionForm(
        user=user,
        initial={
            "date": now.date(),
            "start_time": now.time().replace(second=0, microsecond=0),
            "duration_minutes": DEFAULT_MINUTES,
            "techniques": default_techniques(user, last_techniques),
        },
    )
    if query:
        form.fill_in(query)
    return form


def latest_day(tz):
    """The last day a session can be logged for: tomorrow in zone `tz`."""
    return timezone.now().astimezone(tz).date() + dt.timedelta(days=1)


def check_day(day, tz):
    """A session's day: from 1 January 2000 to tomorrow in zone `tz` (caught
    here, before a date near 9999 overflows converting to UTC)."""
    if day < EARLIEST_DATE:
        raise forms.ValidationError(TOO_EARLY, code="too_early")
    if day > latest_day(tz):
        raise forms.ValidationError(FUTURE, code="future")
    return day


PAIN_ENDS = {PAIN_MIN: "no pain", PAIN_MAX: "worst imaginable"}
PAIN_HELP = f"{PAIN_MIN} = {PAIN_ENDS[PAIN_MIN]}, {PAIN_MAX} = {PAIN_ENDS[PAIN_MAX]}."
PAIN_CHOICES = [
    ("", "Not noted"),
    *(
        (level, f"{level} = {PAIN_ENDS[level]}" if level in PAIN_ENDS else str(level))
        for level in range(PAIN_MIN, PAIN_MAX + 1)
    ),
]


def pain_field(label):
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=PAIN_HELP,
        error_messages={
            "invalid_choice": f"Choose the pain from {PAIN_MIN} (no pain) to "
            f"{PAIN_MAX} (worst imaginable), or Not noted."
        },
    )


# The foot choice of a new session that logs each foot apart: two sessions.
EACH_FOOT = "each"
EACH_FOOT_LABEL = "Each apart"
EACH_FOOT_HELP = "Each apart: a session for each foot, the minutes shared."

# What each of the user's "What to record" switches adds to the session forms.
RECORDED_FIELDS = {
    "record_pain": ("pain_before", "pain_after"),
    "record_foot": ("foot",),
    "record_where": ("zones",),
}


class SessionForm(forms.ModelForm):
    date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In your time zone. On the night clocks go back, the earlier one.",
    )
    # One per form shown: a form sent twice finds the session it already made.
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    # Choices read once, for the page and the check alike: an id that is not one
    # of them never reaches a query.
    techniques = forms.TypedMultipleChoiceField(
        label="Techniques",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Tick at least one technique.",
            "invalid_choice": (
                "One of the ticked techniques is not available. Reload the page "
                "and tick them again."
            ),
        },
    )
    # Optional: Save without it logs the session unrated (README, "The daily
    # loop"): the session happened, and statistics leave unrated ones out.
    comfort = forms.TypedChoiceField(
        label="Comfort",
        choices=MassageSession.Comfort.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=(
            "How did it feel? 1 = painful … 5 = very comfortable. Listen to your body: "
            "if it hurts, ease the pressure or change the technique."
        ),
    )
    pressure = forms.ChoiceField(
        label="Pressure (optional)",
        choices=[("", "Not noted"), *MassageSession.Pressure.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    pain_before = pain_field("Pain before")
    pain_after = pain_field("Pain after")
    foot = forms.ChoiceField(
        label="Foot",
        choices=[("", "Not noted"), *MassageSession.Foot.choices],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose both feet, left or right."},
    )
    zones = forms.TypedMultipleChoiceField(
        label="Where",
        choices=MassageSession.Zone.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Tick heel, arch, ball of the foot, toes or ankle."
        },
    )
    # The guided session's check-in ("good" or "hurt"), carried through the form
    # so a page shown again after an error keeps its layout (the note prompt).
    felt = forms.ChoiceField(
        choices=[(answer, answer) for answer in guide.CHECK_IN],
        required=False,
        widget=forms.HiddenInput,
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            f"Enter the minutes as a whole number, {MIN_MINUTES} to {MAX_MINUTES}.",
        ),
    )

    class Meta:
        model = MassageSession
        fields = (
            *("duration_minutes", "comfort", "pressure", "notes"),
            # Not foot: it may be "each apart" on a new session (see save).
            *("pain_before", "pain_after", "zones"),
        )
        labels = {"notes": "Notes (optional)"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    field_order = (
        "date",
        "start_time",
        "duration_minutes",
        "techniques",
        "comfort",
        "pain_before",
        "pain_after",
        "foot",
        "zones",
        "pressure",
        "notes",
        "token",
        "felt",
    )

    def __init__(self, *args, user, tz=None, **kwargs):
        """`tz` is the zone the date and time are read in: the user's current zone
        for a new session, the session's own zone when editing one."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.tz = tz or user.tzinfo
        # The date picker offers the days check_day takes.
        self.first_day, self.last_day = EARLIEST_DATE, latest_day(self.tz)
        if str(self.tz) != user.timezone:  # a session logged elsewhere
            self.fields["start_time"].help_text = (
                f"In {self.tz}, where it was logged. On the night clocks go back, "
                "the earlier one."
            )
        self.note = ""
        # Only what the user chose to record is asked; what a session has of
        # the rest stays as it is.
        for switch, names in RECORDED_FIELDS.items():
            if not self.records(user, switch):
                for name in names:
                    del self.fields[name]
        instance = self.instance
        if "foot" in self.fields and instance.pk is None and self.splits_feet:
            # A new session may be two: the guide's halves, one per foot.
            foot = self.fields["foot"]
            foot.choices = [*foot.choices, (EACH_FOOT, EACH_FOOT_LABEL)]
            foot.help_text = EACH_FOOT_HELP
        choosable = Technique.objects.available_to(user).active()
        if instance.pk:
            # Archived techniques stay ticked on the sessions that used them.
            choosable = Technique.objects.available_to(user).filter(
                Q(archived=False) | Q(pk__in=instance.techniques.values("pk"))
            )
            start = instance.local_start
            if start is None:  # imported without a time: the form asks for one
                self.initial.update(date=instance.local_date)
            else:
                self.initial.update(date=start.date(), start_time=start.time())
            self.initial.setdefault("token", instance.submission_token)
            self.initial["zones"] = [zone.value for zone in instance.zone_list]
            self.initial.setdefault("foot", instance.foot)
            self.initial.setdefault(
                "techniques", list(instance.techniques.values_list("pk", flat=True))
            )
        self.fields["techniques"].choices = list(choosable.values_list("pk", "name"))

    # Whether a new session's foot may be "each apart" (not through the API,
    # which answers with one session).
    splits_feet = True

    def records(self, user, switch):
        """Whether the form asks the fields of What-to-record `switch`."""
        return getattr(user, switch)

    @property
    def recorded_fields(self):
        """The names of the What-to-record fields this form asks."""
        return [
            name
            for names in RECORDED_FIELDS.values()
            for name in names
            if name in self.fields
        ]

    def pain_fields(self):
        return [self["pain_before"], self["pain_after"]]

    def fill_in(self, query):
        """Initial values from a new page's query parameters, each read by its
        field's own rules; a bad value is ignored (the default stays):

            date        YYYY-MM-DD, the calendar date, from 1 January 2000 to
                        tomorrow
            day         YYYY-MM-DD, a practice day (what the links of days
                        pass), when no date is given: the form opens on the
                        calendar date that counts for it at the start time
                        (after midnight, before the day-start hour, the next)
            start       the start time, in the user's time zone
            minutes     whole minutes, within the form's range
            techniques  a technique id, repeated for each; ids not on the form
                        (not the user's own or built-in, or archived) are dropped
            pain_before, pain_after, foot
                        as the form takes them, when the user records them
            felt        the guided session's check-in, "good" or "hurt": picks
                        the comfort it stands for (sessions.guide.CHECK_IN)

        The guided session ends there, and any link can open the form filled in."""
        felt = query.get("felt")
        if felt in guide.CHECK_IN:
            self.initial["felt"] = felt
            self.initial["comfort"] = guide.CHECK_IN[felt]
        fields = {
            "day": "date",
            "date": "date",
            "start": "start_time",
            "minutes": "duration_minutes",
        }
        # What to record, when the form asks it (the guide sends them).
        fields.update(
            (name, name)
            for name in ("pain_before", "pain_after", "foot")
            if name in self.fields
        )
        taken = set()
        for name, field in fields.items():
            value = query.get(name)
            if not value:
                continue
            try:
                value = self.fields[field].clean(value)
                if field == "date":
                    check_day(value, self.tz)
            except forms.ValidationError:
                continue
            self.initial[field] = value
            taken.add(name)
        if (
            "foot" in taken
            and self.initial["foot"] == EACH_FOOT
            and self.initial.get("duration_minutes", DEFAULT_MINUTES) < 2
        ):
            # Too short to share between two feet (a guide stopped early):
            # one session, which Save takes as it is.
            del self.initial["foot"]
        if "day" in taken and "date" not in taken:
            self.initial["date"] = self.calendar_date(
                self.initial["date"], self.initial["start_time"]
            )
        ticked = [
            int(pk)
            for pk in dict.fromkeys(query.getlist("techniques"))
            if self.fields["techniques"].valid_value(pk)
        ]
        if ticked:
            self.initial["techniques"] = ticked

    def clean_date(self):
        return check_day(self.cleaned_data["date"], self.tz)

    def clean_zones(self):
        return mask_from_zones(self.cleaned_data["zones"])

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("date"), cleaned.get("start_time")
        if day is None or time is None:
            return cleaned
        if self.keeps_start(day, time):
            # The start the form showed, unchanged: the stored one stays, with
            # its seconds and, on the night the clocks go back, the hour it was
            # in; and so does the day it counts for, whatever the day-start
            # hour is now.
            cleaned["started_at"] = self.instance.started_at
            return cleaned
        if self.instance.pk and self.instance.started_at is None:
            # Imported without a time, the session shows its day: a time given
            # after midnight, before the day start, is that day's night.
            day = self.calendar_date(day, time)
        try:
            started_at = localtime.aware(day, time, self.tz)
        except localtime.SkippedTime:
            self.add_error(
                "start_time",
                forms.ValidationError(
                    "%(time)s does not exist on %(day)s in %(zone)s: the clocks skip "
                    "that hour for daylight saving. Please pick a time outside it.",
                    code="nonexistent_time",
                    params={
                        "time": f"{time:%H:%M}",
                        "day": day.isoformat(),
                        "zone": self.tz.key,
                    },
                ),
            )
            return cleaned
        minutes = cleaned.get("duration_minutes")
        if cleaned.get("foot") == EACH_FOOT and minutes is not None and minutes < 2:
            self.add_error(
                "duration_minutes",
                forms.ValidationError(
                    "Logging each foot apart takes at least 2 minutes, one for each.",
                    code="too_short_for_each_foot",
                ),
            )
        now = timezone.now()
        if started_at > now + FUTURE_TOLERANCE:
            # A later date is what is wrong, not the time on it.
            field = "date" if day > now.astimezone(self.tz).date() else "start_time"
            self.add_error(field, forms.ValidationError(FUTURE, code="future"))
            return cleaned
        # A start a few minutes ahead is a clock running fast: it is now, so a
        # session at 23:58 counts for today, not tomorrow.
        started_at = min(started_at, now)
        counts_for = localtime.practice_day(
            started_at, self.user.day_start_hour, self.tz
        )
        if counts_for < EARLIEST_DATE:
            # Before the day start on 1 January 2000: it would count for 1999.
            self.add_error(
                "start_time", forms.ValidationError(TOO_EARLY, code="too_early")
            )
            return cleaned
        if localtime.is_repeated(day, time, self.tz):
            self.note = (
                f"{time:%H:%M} happens twice that night as the clocks go back; "
                "we counted the earlier one."
            )
        cleaned["started_at"] = started_at
        return cleaned

    def keeps_start(self, day, time):
        """Whether an edit leaves the start as the form showed it: its date and
        time, to the minute, in the session's zone."""
        start = self.instance.local_start if self.instance.pk else None
        return start is not None and (start.date(), start.hour, start.minute) == (
            day,
            time.hour,
            time.minute,
        )

    def calendar_date(self, day, time):
        """The calendar date on which `time` counts for practice day `day`:
        the next one when `time` is after midnight, before the day-start hour
        (when that date can be logged yet)."""
        after_midnight = day + dt.timedelta(days=1)
        if time.hour < self.user.day_start_hour and after_midnight <= self.last_day:
            return after_midnight
        return day

    def save(self):
        """Log a new session, or update the one being edited (with its day);
        None when the session was deleted meanwhile (nothing is written then)."""
        data = self.cleaned_data
        fields = {
            name: data[name] for name in (*self._meta.fields, "foot") if name in data
        }
        if self.instance.pk is None and self.each_foot:
            return self._log_each_foot(data, fields)
        if self.instance.pk is None:
            self.instance = MassageSession.objects.log(
                self.user,
                data["started_at"],
                self.tz,
                techniques=data["techniques"],
                submission_token=data["token"],
                **fields,
            )
            return self.instance
        session = self.instance
        with transaction.atomic():
            weekly_target = days.lock(self.user)
            # Deleted in another tab since the page was shown? Then saving
            # would bring it back.
            before = (
                MassageSession.objects.for_user(self.user)
                .filter(pk=session.pk)
                .values_list("local_date", flat=True)
                .first()
            )
            if before is None:
                return None
            if "foot" in data:
                session.foot = data["foot"]
            if data["started_at"] != session.started_at:
                # A new start is placed as a new session would be, by today's
                # day-start hour.
                session.started_at, session.local_date, session.local_time = placed(
                    data["started_at"], self.tz, self.user.day_start_hour
                )
                session.timezone = self.tz.key
            session.save(force_update=True)
            session.techniques.set(data["techniques"])
            days.refresh(self.user, min(before, session.local_date), weekly_target)
        return session

    @property
    def each_foot(self):
        """Whether the saved form logged each foot apart."""
        return self.cleaned_data.get("foot") == EACH_FOOT

    def _log_each_foot(self, data, fields):
        """The left foot and the right as two sessions, the minutes shared
        (the left takes an odd one). The right one's token comes from the
        form's, so a form sent twice finds both."""
        minutes = data["duration_minutes"]
        token = data["token"]
        with transaction.atomic():
            left, _right = (
                MassageSession.objects.log(
                    self.user,
                    data["started_at"],
                    self.tz,
                    techniques=data["techniques"],
                    submission_token=submission_token,
                    **{**fields, "foot": foot, "duration_minutes": share},
                )
                for foot, share, submission_token in (
                    ("left", minutes - minutes // 2, token),
                    ("right", minutes // 2, uuid.uuid5(token, "right")),
                )
            )
        self.instance = left
        return self.instance


def taken_days(user, first, last):
    """(practised, rested): the days from `first` to `last` with a session,
    and those marked as rest days already. Neither can become a rest day (a
    paused day can: the pause may end early)."""
    practised = MassageSession.objects.for_user(user).filter(
        local_date__gte=first, local_date__lte=last
    )
    rested = RestDay.objects.for_user(user).filter(date__gte=first, date__lte=last)
    return (
        set(practised.values_list("local_date", flat=True)),
        set(rested.values_list("date", flat=True)),
    )


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

    @classmethod
    def blank(cls, user):
        """The form as a page first shows it: on the first day of the week
        ahead that can still become a rest day (today, unless it is practised
        or a rest day already), or with no date when none of them can."""
        today = user.today()
        week = [today + dt.timedelta(days=n) for n in range(7)]
        practised, rested = taken_days(user, week[0], week[-1])
        free = next((day for day in week if day not in practised | rested), None)
        return cls(user=user, initial={"date": free})

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = self.user.today()
        if day < EARLIEST_DATE:
            raise forms.ValidationError("Pick a date from 2000 on.", code="too_early")
        if day > today + MAX_REST_AHEAD:
            raise forms.ValidationError(
                "Rest days can be planned up to a year ahead.", code="too_late"
            )
        practised, rested = taken_days(self.user, day, day)
        if practised:
            raise forms.ValidationError(
                "You practised on %(day)s: a day with a session cannot be a rest "
                "day. Delete its session first if it was logged by mistake.",
                code="practised",
                params={"day": words.full_date(day)},
            )
        if rested:
            raise forms.ValidationError(
                "%(day)s is already a rest day.",
                code="duplicate",
                params={"day": words.long_date(day)},
            )
        return day

    def save(self):
        """Mark the day as rest (IntegrityError when another request just did)."""
        data = self.cleaned_data
        self.instance = RestDay.objects.mark(self.user, data["date"], data["reason"])
        return self.instance


class PauseForm(forms.ModelForm):
    """A pause from a first to a last day; its rules are Pause.problem's."""

    prefix = "pause"  # beside the rest-day form on one page

    class Meta:
        model = Pause
        fields = ("start", "end", "reason", "note")
        labels = {
            "start": "First day",
            "end": "Last day",
            "reason": "Reason",
            "note": "Note (optional)",
        }
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start < EARLIEST_DATE:
            raise forms.ValidationError("Pick a date from 2000 on.", code="too_early")
        return start

    def clean_end(self):
        end = self.cleaned_data["end"]
        if end > self.user.today() + MAX_REST_AHEAD:
            raise forms.ValidationError(
                "A pause can be planned up to a year ahead.", code="too_late"
            )
        return end

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            return data
        # Asked even when another field is wrong (no reason chosen), so that
        # days in the wrong order are said in words, not by the model's check.
        problem = Pause.problem(self.user, start, end)
        if problem:
            # Days in the wrong order: said on the last day, so the model's own
            # check of the order (which skips a field with an error) stays quiet.
            field = "end" if end < start else None
            self.add_error(field, forms.ValidationError(problem, code="clash"))
        return data

    def save(self):
        """Make the pause: ValidationError when another request just made a
        clashing one or logged a session on its days."""
        data = self.cleaned_data
        self.instance = Pause.objects.add(
            self.user, data["start"], data["end"], data["reason"], data["note"]
        )
        return self.instance


class TechniqueForm(forms.ModelForm):
    class Meta:
        model = Technique
        fields = ("name", "how_to")
        field_classes = {"name": NameField}
        labels = {"name": "Name", "how_to": "How to (optional)"}
        widgets = {"how_to": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = self.instance.user = user

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Technique.objects.available_to(self.user).filter(
            folded_name=Technique.fold(name)
        )
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                "You already have a technique called “%(name)s”.",
                code="duplicate",
                params={"name": name},
            )
        return name


class SessionFilterForm(forms.Form):
    date = forms.DateField(
        label="Day",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    month = forms.CharField(
        label="Month",
        required=False,
        max_length=len("YYYY-MM"),
        widget=forms.DateInput(attrs={"type": "month"}),
    )
    # Choices, not a ModelChoiceField: the list is read once and rendered by the
    # template, and an id that is not one of them never reaches the database.
    technique = forms.TypedChoiceField(
        label="Technique", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.technique_choices = list(
            Technique.objects.available_to(user).values_list("pk", "name")
        )
        self.fields["technique"].choices = [("", "All techniques")] + [
            (str(pk), name) for pk, name in self.technique_choices
        ]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise forms.ValidationError(
                "Enter a day from the year 2000 on.", code="out_of_range"
            )
        return day

    def clean_month(self):
        raw = self.cleaned_data["month"].strip()
        if not raw:
            return None
        year, _, month = raw.partition("-")
        try:
            first = dt.date(int(year), int(month), 1)
        except ValueError:
            raise forms.ValidationError(
                "Enter a month as YYYY-MM.", code="invalid"
            ) from None
        if not EARLIEST_DATE <= first <= LATEST_DATE:
            raise forms.ValidationError(
                "Enter a month from the year 2000 on.", code="out_of_range"
            )
        return first


class GuidePreferenceForm(forms.ModelForm):
    """The guided session's optional steps and step lengths."""

    class Meta:
        model = GuidePreference
        fields = ("soak", "oil", "tool")
        labels = {
            "soak": "Warm soak first",
            "oil": "Oil or cream",
            "tool": "Roller or ball at the end",
        }
        widgets = {"tool": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (seconds, guide.format_seconds(seconds))
            for seconds in guide.DURATION_CHOICES
        ]
        for spec in guide.STEPS:
            per_foot = "per foot" if spec.feet == guide.EACH_FOOT else "both feet"
            self.fields[self.duration_field(spec)] = forms.TypedChoiceField(
                label=f"{spec.label} ({per_foot})",
                choices=choices,
                coerce=int,
                initial=guide.seconds_for(self.instance, spec),
            )

    @staticmethod
    def duration_field(spec):
        return f"seconds_{spec.slot.replace('-', '_')}"

    def duration_fields(self):
        return [self[self.duration_field(spec)] for spec in guide.STEPS]

    def save(self):
        """Create or update the user's one row (a double submit finds the row the
        other request made)."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["durations"] = {
            spec.slot: self.cleaned_data[self.duration_field(spec)]
            for spec in guide.STEPS
        }
        preference, _ = GuidePreference.objects.update_or_create(
            user=self.instance.user, defaults=values
        )
        self.instance = preference
        return preference
