"""python manage.py restore_archive PATH — replace the archive with a backup."""

from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database from a file made by backup_archive (replaces current contents)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file to restore.")

    def handle(self, *args, **options):
        try:
            restore(options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            self.stdout.write(f"Restored from {options['path']}")
