from django import forms

from accounts.forms import NameField
from api.models import ApiToken
from sessions.forms import SessionForm

# Tokens one account may hold: plenty for every phone, speaker and script.
MAX_TOKENS = 20


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("name", "scope")
        field_classes = {"name": NameField}
        labels = {"name": "Name", "scope": "It may"}
        help_texts = {
            "name": "Where you will use it, e.g. “iPhone shortcut” or “Home Assistant”."
        }
        widgets = {"scope": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["scope"].choices = [
            (ApiToken.Scope.LOG, "Read and log: log and delete sessions, rest days"),
            (ApiToken.Scope.READ, "Read only: your sessions and streaks"),
        ]

    def clean(self):
        if ApiToken.objects.for_user(self.user).count() >= MAX_TOKENS:
            raise forms.ValidationError(
                "You have %(max)s tokens, the most one account may hold. Revoke one "
                "you no longer use first.",
                code="too_many",
                params={"max": MAX_TOKENS},
            )
        return super().clean()


class ApiSessionForm(SessionForm):
    """The log form, its fields and rules, as the API fills it in (api/logbook.py
    turns the JSON into its data). Comfort may be left out, as on the log form:
    the session then has none recorded. Pain, foot and where are taken whenever
    they are sent, whatever the user's What to record switches (which decide
    what the pages ask)."""

    splits_feet = False

    def records(self, user, switch):
        return True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        techniques = self.fields["techniques"]
        techniques.error_messages = {
            **techniques.error_messages,
            "required": "Give at least one technique, or leave techniques out.",
            "invalid_choice": (
                "Technique %(value)s is not one of yours, or it is archived."
            ),
        }

    def logged_techniques(self):
        """The saved session's techniques, (id, name) in the form's order (the
        catalog's), from the choices the form read already."""
        ticked = set(self.cleaned_data["techniques"])
        return [
            (pk, name) for pk, name in self.fields["techniques"].choices if pk in ticked
        ]
