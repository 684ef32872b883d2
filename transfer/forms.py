from django import forms

from transfer import formats


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        help_text=(
            "A Footcare export (.json), a Loop Habit Tracker export (the .zip, a "
            "Checkmarks.csv or the .db backup) or a Beaver Habit Tracker export "
            "(.json). At most 20 MB."
        ),
        error_messages={
            "required": "Choose a file to import.",
            "empty": "The file is empty.",
        },
    )


class HabitForm(forms.Form):
    habit = forms.TypedChoiceField(
        label="Habit",
        coerce=int,
        help_text="The habit whose done days become sessions here.",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, parsed: formats.Parsed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["habit"].choices = [
            (index, habit.name) for index, habit in enumerate(parsed.habits)
        ]


class ConfirmForm(forms.Form):
    """What the preview showed, sent back with "Import" (hidden fields): the
    waiting upload's name, the habit whose figures were on the page, and the
    plan's digest (importer.Plan.digest)."""

    upload = forms.CharField(max_length=64, widget=forms.HiddenInput)
    shown_habit = forms.IntegerField(
        min_value=0, max_value=formats.MAX_HABITS, widget=forms.HiddenInput
    )
    plan = forms.CharField(max_length=64, widget=forms.HiddenInput)
