"""The guided routine: which steps, in what order, for how long, on which foot.

The steps follow the source article's routine (warm-up strokes, the arch, the toes,
ankle circles, the heel) with its optional extras (a warm soak first, oil or cream,
a roller or ball). Each step is a built-in technique of the catalog, so the log
form can tick what was done. Plain Python: the view loads the techniques and the
person's choices, this module turns them into a routine.
"""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from sessions.models import GuidePreference, MassageSession, Technique

BOTH_FEET = ("both",)
EACH_FOOT = ("left", "right")
FOOT_LABELS = {"left": "Left foot", "right": "Right foot", "both": "Both feet"}
# Step lengths someone can choose, in seconds.
DURATION_CHOICES = (15, 30, 45, 60, 90, 120, 180, 300, 600)


@dataclass(frozen=True)
class StepSpec:
    slot: str  # the step's place in the routine; also its key in preferences
    label: str  # what the choices form calls it
    default_seconds: int  # per foot for a step done on each foot
    feet: tuple
    switch: str = ""  # the preference that turns an optional step on


STEPS = (
    StepSpec("soak", "Warm soak", 180, BOTH_FEET, switch="soak"),
    StepSpec("oil", "Oil or cream", 30, BOTH_FEET, switch="oil"),
    StepSpec("warm-up", "Warm-up strokes", 60, EACH_FOOT),
    StepSpec("arch", "Arch thumb pressure", 90, EACH_FOOT),
    StepSpec("toes", "Toe pull and rotate", 60, EACH_FOOT),
    StepSpec("ankle", "Ankle circles", 45, EACH_FOOT),
    StepSpec("heel", "Heel press", 45, EACH_FOOT),
    StepSpec("tool", "Roller or ball", 60, EACH_FOOT, switch="tool"),
)
# The end's check-in and the comfort it picks on the log form (still changeable).
CHECK_IN = {
    "good": MassageSession.Comfort.COMFORTABLE,
    "hurt": MassageSession.Comfort.UNCOMFORTABLE,
}
TECHNIQUE_KEYS = ("soak", "oil", "warm-up", "arch", "toes", "ankle", "heel")


def format_seconds(seconds):
    """90 -> "1 min 30 s", 45 -> "45 s", 120 -> "2 min"."""
    minutes, rest = divmod(int(seconds), 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} min")
    if rest or not minutes:
        parts.append(f"{rest} s")
    return " ".join(parts)


@dataclass(frozen=True)
class RoutineStep:
    slot: str
    technique: Technique
    seconds: int  # per foot
    feet: tuple

    @property
    def total_seconds(self):
        return self.seconds * len(self.feet)

    @property
    def duration_text(self):
        if self.feet == EACH_FOOT:
            return f"{format_seconds(self.seconds)} per foot, left then right"
        return f"{format_seconds(self.seconds)}, both feet"

    @property
    def summary(self):
        """The how-to's first sentence."""
        sentence, dot, _ = self.technique.how_to.strip().partition(". ")
        return sentence + ("." if dot else "")


def seconds_for(preference, spec):
    """The chosen length of a step, or its default when none (or a bad one) is
    stored."""
    chosen = (preference.durations or {}).get(spec.slot)
    if isinstance(chosen, int) and chosen in DURATION_CHOICES:
        return chosen
    return spec.default_seconds


def build_routine(preference, techniques):
    """The steps to do, in order. `techniques` maps built-in keys to techniques; a
    step whose technique is missing (archived in the admin) is left out."""
    routine = []
    for spec in STEPS:
        if spec.switch and not getattr(preference, spec.switch):
            continue
        key = preference.tool if spec.slot == "tool" else spec.slot
        if key not in techniques:
            continue
        routine.append(
            RoutineStep(
                spec.slot, techniques[key], seconds_for(preference, spec), spec.feet
            )
        )
    return routine


def builtin_techniques():
    """The active built-in techniques the routine can use, by key (one query)."""
    keys = (*TECHNIQUE_KEYS, *GuidePreference.Tool.values)
    found = Technique.objects.filter(user__isnull=True, archived=False, key__in=keys)
    return {technique.key: technique for technique in found}


def preference_for(user):
    """The saved choices, or the defaults (unsaved) for someone who has none."""
    return GuidePreference.objects.filter(user=user).first() or GuidePreference(
        user=user
    )


def total_seconds(routine):
    return sum(step.total_seconds for step in routine)


def logged_minutes(seconds):
    """Whole minutes for the log form: rounded up, 1 to 180."""
    return max(1, min(180, math.ceil(seconds / 60)))


def log_url(routine):
    """The log form, filled in with the whole routine (the path without the timer)."""
    query = [("minutes", logged_minutes(total_seconds(routine)))]
    # Each technique once, in routine order.
    ticked = dict.fromkeys(step.technique.pk for step in routine)
    query += [("techniques", pk) for pk in ticked]
    return f"{reverse('sessions:new')}?{urlencode(query)}"


def running_steps(routine):
    """The routine as the timer runs it: one entry per foot, plain data for JSON."""
    return [
        {
            "technique": step.technique.pk,
            "name": step.technique.name,
            "how_to": step.technique.how_to,
            "foot": FOOT_LABELS[foot],
            "seconds": step.seconds,
        }
        for step in routine
        for foot in step.feet
    ]
