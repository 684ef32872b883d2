from django.db import migrations

from sessions import engine


def recount_weekly_streaks(apps, schema_editor):
    """A week of rest or paused days alone now bridges the weekly streak
    instead of adding to it (sessions.engine): every stored day's weekly streak
    is worked out again from the stored days (the other figures stay)."""
    User = apps.get_model("accounts", "User")
    Day = apps.get_model("logbook", "Day")
    users = User.objects.filter(pk__in=Day.objects.values("user_id"))
    for user_id, target in users.values_list("pk", "weekly_target"):
        rows = list(
            Day.objects.filter(user_id=user_id)
            .order_by("date")
            .only("date", "sessions", "rest", "weekly_streak")
        )
        practice = [row.date for row in rows if row.sessions]
        rest = [row.date for row in rows if row.rest]
        weekly = {
            day.date: day.weekly_streak
            for day in engine.days(practice, rest, rows[0].date, rows[-1].date, target)
        }
        changed = [row for row in rows if row.weekly_streak != weekly[row.date]]
        for row in changed:
            row.weekly_streak = weekly[row.date]
        Day.objects.bulk_update(changed, ["weekly_streak"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("logbook", "0012_local_time")]

    # Backwards the figures stay as they are: the old rule only counted more
    # weeks, and the next write of each user works its days out again.
    operations = [
        migrations.RunPython(recount_weekly_streaks, migrations.RunPython.noop)
    ]
