from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from accounts import timezones
from accounts.models import User


class TimeZoneField(forms.ChoiceField):
    """A select of IANA names that also accepts the legacy names browsers report."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("initial", "UTC")
        super().__init__(choices=timezones.choices, **kwargs)
        self.widget.attrs.update({"data-timezone-select": "", "autocomplete": "off"})

    def to_python(self, value):
        return timezones.canonical(super().to_python(value))


def _check_email_free(email, user=None):
    taken = User.objects.filter(email__iexact=email)
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
        help_text="Your days and streaks follow this zone. Filled in from your browser."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
        labels = {"username": "Username"}

    field_order = ("username", "email", "password1", "password2", "timezone")

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
        self.fields["username"].label = "Username or email"
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254


class SettingsForm(forms.ModelForm):
    timezone = TimeZoneField(
        help_text="Sessions you already logged keep the day they were logged for."
    )

    class Meta:
        model = User
        fields = ("email", "timezone", "day_start_hour", "weekly_target")
        labels = {
            "email": "Email",
            "day_start_hour": "Day starts at",
            "weekly_target": "Weekly target",
        }
        help_texts = {
            "day_start_hour": (
                "An hour from 0 to 23. A session before it counts for the previous "
                "day: with 4, a 00:30 session still belongs to yesterday."
            ),
            "weekly_target": "Practice days per week you aim for, 1 to 7.",
        }
        widgets = {
            "day_start_hour": forms.NumberInput(attrs={"min": 0, "max": 23}),
            "weekly_target": forms.NumberInput(attrs={"min": 1, "max": 7}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_email(self):
        return _check_email_free(self.cleaned_data["email"].strip(), user=self.instance)


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
