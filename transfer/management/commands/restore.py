from django.core.management.base import BaseCommand, CommandError

from transfer import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database "
        "(one that holds no account); it refuses a database with data in it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file (.sqlite3 or .dump)")

    def handle(self, *args, file, **options):
        try:
            backup.restore(file)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(f"Restored {file}.")
