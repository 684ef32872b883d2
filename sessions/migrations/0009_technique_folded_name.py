from django.db import migrations, models


def fold(name):
    # Technique.fold as it was when this migration was written.
    return " ".join(name.split()).casefold()


def fill_folded_names(apps, schema_editor):
    """Give every technique its folded name. Where two names of one owner are the
    same under the new rule but were not under lower() ("Straße", "STRASSE"),
    the later one becomes "... (2)", so the new constraints can hold."""
    Technique = apps.get_model("logbook", "Technique")
    taken = set()
    changed = []
    for technique in Technique.objects.order_by("pk").iterator():
        name, number = technique.name, 2
        while (technique.user_id, fold(name)) in taken:
            suffix = f" ({number})"
            name = technique.name[: 80 - len(suffix)] + suffix
            number += 1
        taken.add((technique.user_id, fold(name)))
        technique.name, technique.folded_name = name, fold(name)
        changed.append(technique)
    Technique.objects.bulk_update(changed, ["name", "folded_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("logbook", "0008_restdays_and_days")]

    operations = [
        migrations.RemoveConstraint(
            model_name="technique", name="logbook_technique_unique_own_name"
        ),
        migrations.RemoveConstraint(
            model_name="technique", name="logbook_technique_unique_builtin_name"
        ),
        migrations.AddField(
            model_name="technique",
            name="folded_name",
            field=models.CharField(default="", editable=False, max_length=240),
            preserve_default=False,
        ),
        migrations.RunPython(fill_folded_names, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="technique",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("user", "folded_name"),
                name="logbook_technique_unique_own_name",
            ),
        ),
        migrations.AddConstraint(
            model_name="technique",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", True)),
                fields=("folded_name",),
                name="logbook_technique_unique_builtin_name",
            ),
        ),
    ]
