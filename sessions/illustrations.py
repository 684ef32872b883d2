"""Pictures of the built-in techniques: one SVG drawn for this project per
technique key (static/img/techniques/<key>.svg), and what each one shows in
words, for people who do not see it.

Each file draws its picture in a group with the id "picture" and takes its
colours from the page (currentColor and the --fc-pic-* properties of
static/css/app.css), so one file serves the light and the dark theme when a page
shows it with <use> (templates/sessions/technique_picture.html). The file's own
<title> and fallback colours are for the file opened on its own; a test checks
that the title says what DESCRIPTIONS says.
"""

from dataclasses import dataclass

DESCRIPTIONS = {
    "warm-up": (
        "Warm-up strokes: an open hand sweeps over the sole and the top of the "
        "foot, up and down, from heel to toes and back."
    ),
    "arch": (
        "Arch thumb pressure: two thumbs press small circles into the arch of the "
        "sole, working up from the heel to the toes."
    ),
    "toes": (
        "Toe pull and rotate: a thumb and finger hold the big toe, pull it gently "
        "away from the foot and turn it in slow circles."
    ),
    "ankle": (
        "Ankle circles: one hand holds the foot from below while two fingers of "
        "the other hand draw slow circles around the ankle bone."
    ),
    "heel": "Heel press: a loose fist presses firmly and steadily into the heel.",
    "roller": (
        "Foot roller: the sole rests on a roller on the floor and rolls slowly "
        "back and forth over it."
    ),
    "ball": (
        "Massage ball: the sole rolls a ball on the floor back and forth, and the "
        "weight of the leg presses down on it."
    ),
    "soak": (
        "Warm soak: the foot rests in a basin of warm water, with steam rising, "
        "for a few minutes before the massage."
    ),
    "oil": (
        "Massage oil or cream: a drop of oil falls from a bottle onto the foot, "
        "and an open hand glides over the top of the foot towards the toes."
    ),
}


@dataclass(frozen=True)
class Picture:
    path: str  # for {% static %}
    description: str


def picture_for(technique):
    """The picture of a built-in technique, or None (the user's own techniques
    and any built-in one drawn later have none)."""
    if not technique.is_builtin or technique.key not in DESCRIPTIONS:
        return None
    return Picture(f"img/techniques/{technique.key}.svg", DESCRIPTIONS[technique.key])
