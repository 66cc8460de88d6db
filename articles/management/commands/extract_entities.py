"""python manage.py extract_entities [--all | --article ID ...] — (re-)run extraction on articles."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from articles.extraction.pipeline import extract_articles
from articles.models import Article

KINDS = ("person", "organization", "place", "outlet", "event", "quotes", "claims", "new_entities")


class Command(BaseCommand):
    help = (
        "Find the people, organizations, places, cited outlets, events, quotes and claims of "
        "stored articles. Re-running replaces earlier machine suggestions and keeps every "
        "curator decision (confirmed, rejected and manual mentions)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Extract every stored article.")
        which.add_argument(
            "--article",
            type=int,
            nargs="+",
            metavar="ID",
            help="Extract only the articles with these ids.",
        )
        which.add_argument(
            "--pending",
            action="store_true",
            help="Extract only the articles never extracted before.",
        )
        parser.add_argument(
            "--no-ner",
            action="store_true",
            help="Use only the gazetteer of known entities (fast; finds no new names, "
            "quotes or claims).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="Worker processes for large runs (0: automatic, min(2, CPUs); 1: no workers).",
        )

    def handle(self, *args, **options):
        if options["all"]:
            ids = list(Article.objects.order_by("id").values_list("id", flat=True))
        elif options["pending"]:
            ids = list(
                Article.objects.filter(extracted_at__isnull=True)
                .order_by("id")
                .values_list("id", flat=True)
            )
        else:
            wanted = list(dict.fromkeys(options["article"]))
            found = set(Article.objects.filter(pk__in=wanted).values_list("id", flat=True))
            missing = [pk for pk in wanted if pk not in found]
            for pk in missing:
                self.stderr.write(f"article {pk}: no such article")
            ids = [pk for pk in wanted if pk in found]
            if missing and not ids:
                raise CommandError("None of the given articles exist.")
        verbosity = options["verbosity"]
        failures: list[str] = []

        def progress(article_id: int, counts: dict) -> None:
            if "error" in counts:
                failures.append(str(article_id))
                self.stderr.write(f"article {article_id}: {counts['error']}")
            elif verbosity >= 2:
                found = ", ".join(f"{counts.get(k, 0)} {k}" for k in KINDS if counts.get(k))
                self.stdout.write(f"article {article_id}: {found or 'nothing found'}")

        totals = extract_articles(
            ids, workers=options["workers"], use_ner=not options["no_ner"], progress=progress
        )
        if verbosity >= 1:
            found = ", ".join(f"{totals.get(k, 0)} {k.replace('_', ' ')}" for k in KINDS)
            self.stdout.write(
                f"Extracted {totals['articles']} article(s): {found}; {totals['failed']} failed."
            )
        if totals["failed"] or failures:
            raise CommandError(f"{totals['failed']} article(s) failed; see messages above.")
