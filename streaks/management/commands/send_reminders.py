from django.core.management.base import BaseCommand

from streaks import reminders


class Command(BaseCommand):
    help = (
        "Email the users whose preferred session time started in the last 15 "
        "minutes and who have not practised today. Safe to run often and in "
        "parallel: each reminder goes out once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the reminders that are due; send and write nothing.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        outcome = reminders.send_due_reminders(dry_run=dry_run)
        if dry_run:
            for reminder in outcome.would_send:
                self.stdout.write(f"Would send: {reminder}")
            self.stdout.write(
                f"Dry run: {len(outcome.would_send)} reminder(s) due; "
                "nothing sent or written."
            )
            return
        if verbosity >= 2:
            for reminder in outcome.sent:
                self.stdout.write(f"Sent: {reminder}")
            for reminder in outcome.taken:
                self.stdout.write(f"Taken by another run: {reminder}")
        for reminder in outcome.failed:
            self.stderr.write(f"Failed, will retry: {reminder}")
        if verbosity >= 1:
            self.stdout.write(
                f"Sent {len(outcome.sent)} reminder(s), {len(outcome.failed)} failed."
            )
