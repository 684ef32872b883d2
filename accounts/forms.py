from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.db.models import Q

from accounts import localtime, schedule, timezones, words
from accounts.backends import LOGIN_MAX_LENGTH
from accounts.models import PreferredTime, User
from accounts.widgets import TimeZoneSelect


class NameField(forms.CharField):
    """A name the user gives something (a technique, a token): kept as it
    shows (words.shown_text), so one made only of invisible characters is
    refused as empty, like one of spaces."""

    def to_python(self, value):
        return words.shown_text(super().to_python(value))


class TimeZoneField(forms.ChoiceField):
    """A select of IANA names that also accepts the legacy names browsers report."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("initial", "UTC")
        kwargs.setdefault("widget", TimeZoneSelect)
        super().__init__(choices=timezones.choices, **kwargs)
        self.widget.attrs.update({"data-timezone-select": "", "autocomplete": "off"})

    def to_python(self, value):
        return timezones.canonical(super().to_python(value))


def _check_email_free(email, user=None):
    # An address that is someone's username would make log-in by that address
    # ambiguous (accounts created before usernames lost "@").
    taken = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if email and taken.exists():
        raise forms.ValidationError(
            "An account with this email address already exists.", code="duplicate_email"
        )
    return email


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label="Email", help_text="For password resets and reminders."
    )
    timezone = TimeZoneField(
        help_text=(
            "Your days and streaks follow this zone: check that it is yours "
            "(your browser fills it in when it can)."
        )
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
        labels = {"username": "Username"}
        help_texts = {
            "username": "150 characters or fewer: letters, digits and . + - _ only."
        }

    field_order = ("username", "email", "password1", "password2", "timezone")

    def clean_username(self):
        username = super().clean_username()
        if username and "@" in username:
            raise forms.ValidationError(
                "A username cannot contain “@”: log-in by email address uses it. "
                "Letters, digits and . + - _ are fine.",
                code="email_like_username",
            )
        return username

    def clean_email(self):
        return _check_email_free(self.cleaned_data["email"].strip())

    def save(self, commit=True):
        user = super().save(commit=False)
        user.timezone = self.cleaned_data["timezone"]
        if commit:
            user.save()
        return user


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Checked before authentication, so an over-long name never reaches the
        # lock-out records (AuthenticationForm sets the attribute, not a validator).
        username = self.fields["username"]
        username.label = "Username or email"
        username.max_length = LOGIN_MAX_LENGTH
        username.widget.attrs["maxlength"] = LOGIN_MAX_LENGTH
        username.validators.append(MaxLengthValidator(LOGIN_MAX_LENGTH))


def _hour_label(hour):
    return {0: "Midnight (00:00)", 12: "Noon (12:00)"}.get(hour, f"{hour:02d}:00")


class SettingsForm(forms.ModelForm):
    timezone = TimeZoneField(
        help_text="Sessions you already logged keep the day they were logged for."
    )
    day_start_hour = forms.TypedChoiceField(
        label="Day starts at",
        choices=[(hour, _hour_label(hour)) for hour in range(24)],
        coerce=int,
        help_text=(
            "A session before this time counts for the previous day: with 04:00, "
            "a session at 00:30 still belongs to yesterday."
        ),
        error_messages={"invalid_choice": "Choose a time from the list."},
    )

    class Meta:
        model = User
        # Email reminders have a form of their own (RemindersForm), so saving
        # these settings never switches them off; so has the weekly target
        # (WeeklyTargetForm).
        fields = ("email", "timezone", "day_start_hour")
        labels = {"email": "Email"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_email(self):
        return _check_email_free(self.cleaned_data["email"].strip(), user=self.instance)


class WeeklyTargetForm(forms.ModelForm):
    """The weekly target, on a form of its own: a new target changes the
    figures of every day (saved by sessions.views.weekly_target, which
    recomputes them)."""

    weekly_target = forms.TypedChoiceField(
        label="Weekly target",
        coerce=int,
        choices=[(n, f"{words.plural(n, 'day')} a week") for n in range(1, 8)],
        help_text="Active days (practice or rest days) per week you aim for.",
    )

    class Meta:
        model = User
        fields = ("weekly_target",)


class WhatToRecordForm(forms.ModelForm):
    """What the log, edit and guided-session forms ask beyond the two taps."""

    class Meta:
        model = User
        fields = ("record_pain", "record_foot", "record_where")
        labels = {
            "record_pain": "Pain before and after",
            "record_foot": "Which foot",
            "record_where": "Where on the foot",
        }
        help_texts = {
            "record_pain": "0 = no pain … 10 = worst imaginable, before and after.",
            "record_foot": "Both, left or right.",
            "record_where": "Heel, arch, ball of the foot, toes, ankle.",
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm.",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That password is not right. Nothing was deleted.",
                code="password_incorrect",
            )
        return password


class PreferredTimeForm(forms.ModelForm):
    time = forms.TimeField(
        label="Time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In your time zone.",
        error_messages={"invalid": "Enter a time like 21:00."},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Days",
        choices=list(enumerate(words.DAY_NAMES)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=sorted(localtime.ALL_DAYS),
        error_messages={"required": "Tick at least one day."},
    )

    class Meta:
        model = PreferredTime
        fields = ("label", "time", "weekdays")
        labels = {"label": "Label"}
        help_texts = {"label": "For example Morning or Evening."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The model keeps a bit mask; the checkboxes want the weekday numbers.
            self.initial["weekdays"] = sorted(self.instance.days)
        else:
            # A new block left empty is skipped, so nothing in it is required
            # (and no field is marked so); once used, clean() asks for each.
            for name in self.NEEDED:
                self.fields[name].required = False
        self.fields["label"].widget.attrs["autocomplete"] = "off"

    NEEDED = ("label", "time", "weekdays")

    def has_changed(self):
        # A blank new row stays blank even with every day still ticked by
        # default: only a label or a time makes it a slot to save.
        if self.instance.pk is None:
            return bool(
                self._raw_value("label").strip() or self._raw_value("time").strip()
            )
        return super().has_changed()

    def _raw_value(self, name):
        return self.data.get(self.add_prefix(name), "") or ""

    def clean_label(self):
        return self.cleaned_data["label"].strip()

    def clean_time(self):
        time = self.cleaned_data["time"]
        return time and time.replace(second=0, microsecond=0)

    def clean_weekdays(self):
        return localtime.mask_from_days(self.cleaned_data["weekdays"])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            for name in self.NEEDED:
                if name in cleaned and not cleaned[name]:
                    field = self.fields[name]
                    message = field.error_messages.get(
                        "required", forms.Field.default_error_messages["required"]
                    )
                    self.add_error(name, forms.ValidationError(message, "required"))
        return cleaned


class RemindersForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("email_reminders", "quiet_hours", "quiet_from", "quiet_until")
        labels = {
            "email_reminders": "Email reminders",
            "quiet_hours": "Quiet hours",
            "quiet_from": "From",
            "quiet_until": "Until",
        }
        help_texts = {
            "email_reminders": (
                "One email at a preferred time on days you have not practised yet."
            ),
            "quiet_hours": (
                "No reminder, by email or on a device, between these times "
                "(in your time zone)."
            ),
        }
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "quiet_from": {"invalid": "Enter a time like 22:00."},
            "quiet_until": {"invalid": "Enter a time like 07:00."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, a time keeps its value (and the switch alone may be sent).
        for name in ("quiet_from", "quiet_until"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in ("quiet_from", "quiet_until"):
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = getattr(self.instance, name)
        start, end = cleaned.get("quiet_from"), cleaned.get("quiet_until")
        if start and end:
            start = cleaned["quiet_from"] = start.replace(second=0, microsecond=0)
            end = cleaned["quiet_until"] = end.replace(second=0, microsecond=0)
            if start == end:
                self.add_error(
                    "quiet_until",
                    forms.ValidationError(
                        "Quiet hours must end at another time than they start.",
                        code="empty_span",
                    ),
                )
        return cleaned

    # Where the switch can be: the page to go back to after saving it.
    PAGES = {"settings": "accounts:settings", "times": "accounts:times"}


def _slot(cleaned_data):
    return schedule.Slot(
        cleaned_data["label"],
        cleaned_data["time"],
        localtime.days_from_mask(cleaned_data["weekdays"]),
    )


def slot_problems(slots):
    """What makes a set of slots invalid, in words: more than MAX_SLOTS, no
    weekday, or two slots at the same time on the same weekday."""
    problems = []
    if len(slots) > schedule.MAX_SLOTS:
        problems.append(f"You can keep up to {schedule.MAX_SLOTS} preferred times.")
    problems += [
        f"“{slot[0]}” needs at least one day." for slot in slots if not slot[2]
    ]
    problems += [
        f"“{slots[first][0]}” and “{slots[second][0]}” are both at "
        f"{time:%H:%M} on {words.DAY_NAMES[day]}."
        for first, second, time, day in schedule.clashes(slots)
    ]
    return problems


class BasePreferredTimeFormSet(forms.BaseModelFormSet):
    default_error_messages = {
        "too_many_forms": f"You can keep up to {schedule.MAX_SLOTS} preferred times.",
    }

    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault("queryset", PreferredTime.objects.for_user(user))
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django checks posted ids against every slot in the table; only the
        # user's own may be edited, anything else is an error on that row.
        gone = "This time no longer exists. Reload the page and try again."
        form.fields["id"].queryset = PreferredTime.objects.for_user(self.user)
        form.fields["id"].error_messages.update(invalid_choice=gone, required=gone)

    def kept_forms(self):
        """The forms whose slots remain after saving: filled in, not deleted."""
        return [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk is not None
            if not self._should_delete_form(form)
        ]

    def slots_gone(self):
        """Whether a slot this form edits was deleted since the page was loaded
        (another tab). Ask while holding the user's lock, just before saving:
        saving a deleted slot would bring it back."""
        editing = {
            form.instance.pk
            for form in self.initial_forms
            if not self._should_delete_form(form)
        }
        still_there = PreferredTime.objects.for_user(self.user).filter(pk__in=editing)
        return still_there.count() != len(editing)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = self.kept_forms()
        for first, second, time, day in schedule.clashes(
            [_slot(form.cleaned_data) for form in kept]
        )[:1]:
            # Next to the field for the person reading the form, and in the
            # summary so the formset as a whole is refused.
            kept[second].add_error(
                "time",
                f"“{kept[first].cleaned_data['label']}” is already at "
                f"{time:%H:%M} on {words.DAY_NAMES[day]}.",
            )
            raise forms.ValidationError(
                "Two of your times are at the same hour on the same day.",
                code="same_time",
            )
        if len(kept) > schedule.MAX_SLOTS:
            raise forms.ValidationError(
                self.error_messages["too_many_forms"] % {"num": schedule.MAX_SLOTS},
                code="too_many_forms",
            )

    def slots_after_save(self):
        """The user's slots as saving would leave them, in time order, with what
        another tab saved since this page was shown. Call with the user's row
        locked (the view does)."""
        after = {
            row.pk: ((row.time, row.pk), row.as_slot())
            for row in PreferredTime.objects.for_user(self.user)
        }
        new_pk = max(after, default=0)  # new rows come after in a time tie
        for form in self.forms:
            pk = form.instance.pk
            if self._should_delete_form(form):
                after.pop(pk, None)
            elif form.has_changed():
                if pk is None:
                    new_pk += 1
                    pk = new_pk
                after[pk] = ((form.cleaned_data["time"], pk), _slot(form.cleaned_data))
        return [slot for _, slot in sorted(after.values())]

    def save_new(self, form, commit=True):
        form.instance.user = self.user
        return super().save_new(form, commit=commit)


PreferredTimeFormSet = forms.modelformset_factory(
    PreferredTime,
    form=PreferredTimeForm,
    formset=BasePreferredTimeFormSet,
    extra=1,  # one empty "New time" block at a time; max_num caps the total at 4
    max_num=schedule.MAX_SLOTS,
    validate_max=True,
    absolute_max=2 * schedule.MAX_SLOTS,
    can_delete=True,
)
