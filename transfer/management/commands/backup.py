from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from transfer import backup


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the whole database into FOOTCARE_BACKUP_DIR "
        "(var/backups/) with a timestamped name, and keep the newest "
        "FOOTCARE_BACKUP_KEEP. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", dest="directory", default=settings.FOOTCARE_BACKUP_DIR
        )
        parser.add_argument("--keep", type=int, default=settings.FOOTCARE_BACKUP_KEEP)

    def handle(self, *args, directory, keep, **options):
        try:
            path = backup.backup(directory, keep)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(f"Backup written: {path}")
