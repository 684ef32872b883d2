import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from streaks import reminders

logger = logging.getLogger("streaks.reminders")


class Command(BaseCommand):
    help = (
        "Remind users, by email and on their devices, whose preferred session time "
        "started in the last few minutes and whose day is not done, rested or "
        "paused. Safe to run often and in parallel: each reminder goes out once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the reminders that are due; send and write nothing.",
        )
        parser.add_argument(
            "--loop",
            action="store_true",
            help=(
                "Keep running: send due reminders every --interval seconds until "
                "SIGTERM or SIGINT, which lets the pass under way finish."
            ),
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="Seconds between passes with --loop (default 60).",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if options["loop"]:
            if dry_run:
                raise CommandError("--loop and --dry-run do not go together.")
            if options["interval"] < 1:
                raise CommandError("--interval must be at least 1 second.")
            return self.loop(options["interval"])
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
            if reminder.last_attempt:
                self.stderr.write(f"Failed for the last time: {reminder}")
            else:
                self.stderr.write(f"Failed, will retry: {reminder}")
        if verbosity >= 1:
            self.stdout.write(
                f"Sent {len(outcome.sent)} reminder(s), {len(outcome.failed)} failed."
            )

    def loop(self, interval):
        stop = threading.Event()

        def request_stop(signum, frame):
            logger.info(
                "Reminder loop: %s received, stopping after this pass",
                signal.Signals(signum).name,
            )
            stop.set()

        previous = {
            signum: signal.signal(signum, request_stop)
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        logger.info("Reminder loop started: a pass every %s s", interval)
        try:
            passes = reminders.run_loop(stop, interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        logger.info("Reminder loop stopped after %s pass(es)", passes)
        self.stdout.write(f"Stopped after {passes} pass(es).")
