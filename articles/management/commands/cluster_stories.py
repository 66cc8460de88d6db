"""python manage.py cluster_stories [--rebuild] — group articles into stories."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article, Story
from articles.stories import assign_stories, rebuild_stories


class Command(BaseCommand):
    help = (
        "Group articles that cover the same happening into stories. By default only articles in "
        "no story yet are placed (incremental); --rebuild groups the whole archive again, keeping "
        "every curator decision (pinned articles, confirmed stories, locked names)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Drop every unpinned membership and group all articles again.",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        began = time.perf_counter()
        before = Story.objects.count()
        try:
            if options["rebuild"]:
                totals = rebuild_stories()
                placed = totals["articles_placed"]
            else:
                todo = list(
                    Article.objects.filter(story_membership__isnull=True).values_list(
                        "id", flat=True
                    )
                )
                placed = len(assign_stories(todo))
                totals = {"stories": Story.objects.count()}
        except Exception as exc:  # reported as a failed run with its reason
            raise CommandError(f"clustering failed: {exc}") from exc
        elapsed = time.perf_counter() - began
        if verbosity >= 1:
            rate = placed / elapsed if elapsed > 0 else 0.0
            parts = [f"{placed} articles placed in {elapsed:.1f} s ({rate:,.0f}/s)"]
            if options["rebuild"]:
                parts.append(f"{totals['stories_kept']} curated stories kept")
                parts.append(f"{totals['unpinned_dropped']} unpinned memberships regrouped")
            else:
                parts.append(f"{totals['stories'] - before} new stories")
            parts.append(f"{totals['stories']} stories in all")
            self.stdout.write("; ".join(parts) + ".")
