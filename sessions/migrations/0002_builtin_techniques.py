"""Seed the built-in technique catalog: the routine this app suggests,
in our own words, with no product names."""

from django.db import migrations

CATALOG = [
    (
        "warm-up",
        "Warm-up strokes",
        "Sweep your palms over the top and the sole of the foot, starting gently and "
        "pressing a little more with each pass. A minute of this readies the muscles.",
    ),
    (
        "arch",
        "Arch thumb pressure",
        "Work your thumbs along the arch from heel to toe in small circles. The arch "
        "holds a lot of tension, so give it time.",
    ),
    (
        "toes",
        "Toe pull and rotate",
        "Take each toe in turn, pull it gently and turn it in slow circles, then press "
        "its tip for a moment.",
    ),
    (
        "ankle",
        "Ankle circles",
        "Support the foot with one hand while the other draws slow circles around the "
        "ankle joint.",
    ),
    (
        "heel",
        "Heel press",
        "Press into the heel with a loose fist or the heel of your hand, keeping the "
        "pressure firm and steady.",
    ),
    (
        "roller",
        "Foot roller",
        "Roll the sole slowly back and forth over a foot roller, pausing on spots that "
        "feel tight.",
    ),
    (
        "ball",
        "Massage ball",
        "Roll a massage ball under the sole and let your weight set the pressure on the "
        "points that need it.",
    ),
    (
        "soak",
        "Warm soak",
        "Before you begin, rest your feet for a few minutes in warm water with a handful "
        "of Epsom salts to loosen the muscles.",
    ),
    (
        "oil",
        "Massage oil or cream",
        "A little oil or cream lets your hands glide; a peppermint or eucalyptus scent "
        "feels fresh on tired feet.",
    ),
]


def add_catalog(apps, schema_editor):
    Technique = apps.get_model("logbook", "Technique")
    for position, (key, name, how_to) in enumerate(CATALOG, start=1):
        Technique.objects.update_or_create(
            user=None, key=key, defaults={"name": name, "how_to": how_to, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("logbook", "0001_initial")]

    operations = [migrations.RunPython(add_catalog, migrations.RunPython.noop)]
