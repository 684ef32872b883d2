from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from streaks.demo import build_history


class Command(BaseCommand):
    help = (
        "Create (or reset) a demo account with years of realistic history: gaps, rest "
        "days, varied techniques and comfort, and a move from London to New York."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", default="demo", help="Username (default: demo).")
        parser.add_argument("--years", type=int, default=10, help="Years of history.")
        parser.add_argument("--password", default="footcare-demo", help="Its password.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, user, years, password, seed, **options):
        if not 1 <= years <= 30:
            raise CommandError("--years must be between 1 and 30.")
        User = get_user_model()
        account, created = User.objects.get_or_create(
            username=user,
            defaults={
                "email": f"{user}@example.com",
                "weekly_target": 5,
                "day_start_hour": 3,
            },
        )
        account.set_password(password)
        account.save()
        sessions, rest_days = build_history(account, years, account.today(), seed=seed)
        verb = "Created" if created else "Reset"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} “{user}” (password “{password}”): {sessions} sessions and "
                f"{rest_days} rest days over {years} years."
            )
        )
