"""python manage.py backup_archive [--output PATH] — a consistent copy of the whole archive."""

from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (SQLite backup API or pg_dump) to var/backups/ or --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Where to write the backup file.")

    def handle(self, *args, **options):
        try:
            path = backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            self.stdout.write(f"Backup written to {path}")
