"""python manage.py load_articles PATH [PATH ...] — load text, HTML, JSON and JSON Lines articles."""

from __future__ import annotations

import sys
from collections import Counter, deque
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError

from articles.ingest.bulk import refresh_statistics
from articles.ingest.checks import storage_warnings
from articles.ingest.pipeline import FAILED, LOADED, UNCHANGED, UPDATED, Resolver, store_batches
from articles.ingest.readers import expand_paths, read_source
from articles.ingest.types import RawArticle, ReaderError

BATCH_SIZE = 200


class Command(BaseCommand):
    help = (
        "Load articles from files, directories, glob patterns or '-' (standard input). "
        "Plain text, HTML, JSON and JSON Lines. Loading the same content twice adds nothing; "
        "each article is stored in its own transaction; bad files are reported and skipped. "
        "What a stored article loses (an unusable date, a title cut to length, a URL that is "
        "not kept) is reported as a warning."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="File, directory, glob pattern, or - for stdin.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Refresh an existing article whose URL or source file name matches.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen and write nothing."
        )
        parser.add_argument(
            "--no-extract",
            action="store_true",
            help="Skip entity, quote and claim extraction (run extract_entities later).",
        )
        parser.add_argument(
            "--no-stories",
            action="store_true",
            help="Do not group the new articles into stories (run cluster_stories later).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="Extraction worker processes for large loads (0: automatic).",
        )

    def handle(self, *args, **options):
        self.options = options
        self.totals: Counter[str] = Counter()
        self.to_extract: list[int] = []
        self.resolver = Resolver()
        sources = expand_paths(options["paths"])
        progress = self._progress(len(sources), options["verbosity"])
        # Files are read here while earlier batches are written (store_batches): reading one
        # batch overlaps with the database indexing the one before.
        named: deque[list[tuple[str, RawArticle]]] = deque()

        def batches():
            for batch in self._read(sources, progress):
                named.append(batch)
                yield [raw for _, raw in batch]

        for results in store_batches(
            batches(), update=options["update"], dry_run=options["dry_run"], resolver=self.resolver
        ):
            self._record(named.popleft(), results)
        if progress is not None:
            progress.close()

        if self.to_extract and not options["no_extract"] and not options["dry_run"]:
            from articles.extraction.pipeline import extract_articles

            extract_articles(self.to_extract, workers=options["workers"])

        # After extraction, so the grouping can use the people and places each article mentions.
        if self.to_extract and not options["no_stories"] and not options["dry_run"]:
            from articles.stories import assign_stories

            assign_stories(self.to_extract)

        totals = self.totals
        analyzed = not options["dry_run"] and refresh_statistics(totals[LOADED], totals[UPDATED])
        if analyzed and options["verbosity"] >= 1:
            self.stdout.write("Refreshed the database's statistics for its query planner.")
        summary = ", ".join(f"{totals[k]} {k}" for k in (LOADED, UNCHANGED, UPDATED, FAILED))
        prefix = "Dry run: " if options["dry_run"] else ""
        if options["verbosity"] >= 1:
            self.stdout.write(f"{prefix}{summary}.")
        if totals[FAILED]:
            raise CommandError(
                f"{totals[FAILED]} file(s) or article(s) failed; see messages above."
            )

    def _read(self, sources, progress) -> Iterator[list[tuple[str, RawArticle]]]:
        """Read every source, reporting bad files; yield what was read in batches."""
        pending: list[tuple[str, RawArticle]] = []
        for source in sources:
            name = "<stdin>" if source == "-" else str(source)
            try:
                raws, error = read_source(source, stdin=sys.stdin.buffer), None
            except ReaderError as exc:
                # A partly readable file hands over what it could read along with the reason.
                raws, error = list(getattr(exc, "articles", []) or []), str(exc)
            except Exception as exc:  # a reader bug must cost one file, never the whole load
                raws, error = [], f"could not be read ({type(exc).__name__}: {exc})"
            for raw in raws:
                self._warn(name, [*raw.warnings, *storage_warnings(raw)])
            pending.extend((name, raw) for raw in raws)
            if error:
                self.totals[FAILED] += 1
                self._fail(name, error)
            if len(pending) >= BATCH_SIZE:
                yield pending
                pending = []
            if progress is not None:
                progress.update(1)
        if pending:
            yield pending

    def _record(self, batch: list[tuple[str, RawArticle]], results) -> None:
        """Count and report what happened to each article of a stored batch."""
        dry_run = self.options["dry_run"]
        for (name, raw), result in zip(batch, results, strict=True):
            self.totals[result.status] += 1
            if result.status == FAILED:
                self._fail(name, f"could not store {raw.title[:60]!r}: {result.error}")
                continue
            if result.status in (LOADED, UPDATED) and result.article is not None:
                self.to_extract.append(result.article.pk)
            if self.options["verbosity"] >= 2:
                verb = f"would be {result.status}" if dry_run else result.status
                self.stdout.write(f"{name}: {verb}: {result.title}")

    def _fail(self, name: str, reason: str) -> None:
        self.stderr.write(f"{name}: {reason}")

    def _warn(self, name: str, warnings: list[str]) -> None:
        """Say what an article that is still stored loses (its date, part of its title…)."""
        if self.options["verbosity"] >= 1:
            for warning in warnings:
                self.stderr.write(f"{name}: warning: {warning}", style_func=self.style.WARNING)

    def _progress(self, total: int, verbosity: int):
        """A progress bar on a terminal for long loads; nothing when output is not a terminal."""
        if verbosity < 1 or total < 20 or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=total, unit="file", file=sys.stderr, leave=False)
