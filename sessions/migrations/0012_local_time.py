"""Each session's wall-clock start time, stored beside its practice day, and
filled in for every session that has a start."""

import zoneinfo

from django.db import migrations, models


def fill(apps, schema_editor):
    MassageSession = apps.get_model("logbook", "MassageSession")
    sessions = MassageSession.objects.filter(started_at__isnull=False).only(
        "started_at", "timezone"
    )
    batch = []
    for session in sessions.iterator(chunk_size=2000):
        local = session.started_at.astimezone(zoneinfo.ZoneInfo(session.timezone))
        session.local_time = local.time()
        batch.append(session)
        if len(batch) == 2000:
            MassageSession.objects.bulk_update(batch, ["local_time"])
            batch = []
    MassageSession.objects.bulk_update(batch, ["local_time"])


class Migration(migrations.Migration):
    dependencies = [("logbook", "0011_pauses")]

    operations = [
        migrations.AddField(
            model_name="massagesession",
            name="local_time",
            field=models.TimeField(
                blank=True, null=True, verbose_name="local start time"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
