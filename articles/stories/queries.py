"""What pages ask about stories: the list, one story's coverage, an article's other coverage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F

from articles.models import (
    Article,
    OrganizationMention,
    Outlet,
    PersonMention,
    PlaceMention,
    Story,
    StoryMembership,
)
from articles.prepared import planned_cursor

COMPARE_LIMIT = 6  # the comparison page takes 2 to 6 articles
SHARED_KINDS = (("person", PersonMention), ("place", PlaceMention), ("organization", OrganizationMention))  # fmt: skip


def story_of(article: Article) -> Story | None:
    """The story an article belongs to, if any."""
    membership = StoryMembership.objects.filter(article=article).select_related("story").first()
    return membership.story if membership else None


def other_coverage(article: Article, limit: int | None = 10):
    """Other articles of the article's story, earliest first (an empty queryset if none)."""
    story_id = (
        StoryMembership.objects.filter(article=article).values_list("story_id", flat=True).first()
    )
    if story_id is None:
        return Article.objects.none()
    qs = (
        Article.objects.filter(story_membership__story_id=story_id)
        .exclude(pk=article.pk)
        .with_outlet()
        .order_by(F("published_at").asc(nulls_last=True), "id")
    )
    return qs[:limit] if limit else qs


def story_listing(min_articles: int = 2):
    """Stories with at least ``min_articles`` articles, newest first, with ``article_count``."""
    return (
        Story.objects.annotate(article_count=Count("memberships"))
        .filter(article_count__gte=min_articles)
        .select_related("event")
        .order_by(F("date_end").desc(nulls_last=True), "-id")
    )


def outlets_by_story(story_ids) -> dict[int, list[Outlet]]:
    """The outlets that covered each story, by number of articles then name."""
    counts = (
        StoryMembership.objects.filter(story_id__in=list(story_ids), article__outlet__isnull=False)
        .values_list("story_id", "article__outlet_id")
        .annotate(n=Count("id"))
    )
    per_story = defaultdict(list)
    for story_id, outlet_id, n in counts:
        per_story[story_id].append((outlet_id, n))
    outlets = Outlet.objects.in_bulk({o for rows in per_story.values() for o, _ in rows})
    return {
        story_id: [outlets[o] for o, _ in sorted(rows, key=lambda r: (-r[1], outlets[r[0]].name))]
        for story_id, rows in per_story.items()
    }


@dataclass
class Coverage:
    """One story's coverage: its articles by outlet and time, who was first, what they share."""

    story: Story
    articles: list  # Article, earliest first, each with .membership
    by_outlet: list = field(default_factory=list)  # [(Outlet | None, [Article, ...])]
    first: Article | None = None
    shared: list = field(default_factory=list)  # [(entity, number of articles)]
    compare_ids: list[int] = field(default_factory=list)


def story_coverage(story: Story) -> Coverage:
    """Everything the story page shows, in a handful of queries."""
    memberships = {
        m.article_id: m
        for m in StoryMembership.objects.filter(story=story).only("article_id", "score", "pinned")
    }
    articles = list(
        Article.objects.filter(pk__in=list(memberships))
        .select_related("outlet")
        .prefetch_related("authors")
        .order_by(F("published_at").asc(nulls_last=True), "id")
    )
    for article in articles:
        article.membership = memberships[article.pk]
    groups: dict = {}
    for article in articles:
        groups.setdefault(article.outlet_id, (article.outlet, []))[1].append(article)
    # Outlets in the order they first reported.
    by_outlet = list(groups.values())
    # One article per outlet, earliest reports first, then the rest in time order.
    compare_ids = [items[0].pk for _, items in by_outlet][:COMPARE_LIMIT]
    for article in articles:
        if len(compare_ids) >= COMPARE_LIMIT:
            break
        if article.pk not in compare_ids:
            compare_ids.append(article.pk)
    return Coverage(
        story=story,
        articles=articles,
        by_outlet=by_outlet,
        first=articles[0] if articles else None,
        shared=shared_entities([a.pk for a in articles]),
        compare_ids=compare_ids,
    )


def shared_entities(article_ids: list[int], limit: int = 20) -> list[tuple[object, int]]:
    """People, places and organizations named by at least two of the articles, most shared first."""
    if len(article_ids) < 2:
        return []
    found = []
    for _, model in SHARED_KINDS:
        rows = (
            model.objects.visible()
            .filter(article_id__in=article_ids)
            .values("entity_id")
            .annotate(n=Count("article_id", distinct=True))
            .filter(n__gte=2)
            .values_list("entity_id", "n")
        )
        counts = dict(rows)
        entity_model = model._meta.get_field("entity").related_model
        for pk, entity in entity_model.objects.in_bulk(list(counts)).items():
            found.append((entity, counts[pk]))
    found.sort(key=lambda pair: (-pair[1], pair[0].name))
    return found[:limit]


def stories_for(article_ids) -> dict[int, tuple[int, int]]:
    """{article id: (story id, articles in that story)} — for "12 more articles in this story".

    One statement, written out: the search page asks it for every page of results, and compiling
    the equivalent QuerySet took longer than running it.
    """
    ids = [int(i) for i in article_ids]
    if not ids:
        return {}
    table = StoryMembership._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    with planned_cursor(connection) as cursor:
        cursor.execute(
            f"SELECT m.article_id, m.story_id,"
            f" (SELECT COUNT(*) FROM {table} c WHERE c.story_id = m.story_id)"
            f" FROM {table} m WHERE m.article_id IN ({marks})",
            ids,
        )
        return {article: (story, n or 1) for article, story, n in cursor.fetchall()}
