"""The reads behind the entity pages: the entity, its articles a page at a time, the summaries.

Every query here has a fixed shape and is prepared once per process (``articles.prepared``); the
rows come back as tuples and become the light objects of ``articles.queries.items``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Field, Func

from articles.models import Article, Quote
from articles.models.entities import ENTITY_MODELS, TOTAL_MODELS, Place
from articles.prepared import Prepared

from .counted import WINDOW, article_total, visible_mentions
from .items import (
    ArticleItem,
    EntityCount,
    EntityRef,
    MonthCount,
    QuoteItem,
    article_pattern,
    entity_pattern,
    newest_first,
    outlet_ref,
)


class YearMonth(Func):
    """The month (UTC) of a datetime column, computed by the database itself: "YYYY-MM" text on
    SQLite, the month's first instant (a timestamp) on PostgreSQL; ``_month`` reads either.

    ``TruncMonth`` on SQLite calls back into Python once per row; on a name found in tens of
    thousands of articles that callback is most of the page's time. On PostgreSQL, formatting
    every row with ``TO_CHAR`` cost twice as much as truncating it (an outlet of 20,000
    articles: 12.7 against 6.7 ms for its months).
    """

    output_field = Field()
    template = "SUBSTR(CAST(%(expressions)s AS CHAR(32)), 1, 7)"

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores aware datetimes on SQLite as UTC text: "2025-04-30 12:00:00".
        return self.as_sql(compiler, connection, template="SUBSTR(%(expressions)s, 1, 7)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="DATE_TRUNC('month', %(expressions)s AT TIME ZONE 'UTC')",
            **extra,
        )


def _month(value: str | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date(int(value[:4]), int(value[5:7]), 1)


# -- the entity -------------------------------------------------------------------------------


def _lookup_build(kind: str):
    model = ENTITY_MODELS[kind]
    fields = [f.attname for f in model._meta.concrete_fields]

    def build(slug):
        rows = model.objects.filter(slug=slug).annotate(article_total=article_total(kind))
        extra = ["place__name", "place__slug"] if kind == "event" else []
        return rows.values_list(*fields, "article_total", *extra)

    return fields, Prepared(build)


_LOOKUPS = {kind: _lookup_build(kind) for kind in ENTITY_MODELS}


def entity_by_slug(kind: str, slug: str):
    """The entity of ``kind`` at ``slug`` with ``article_count`` (its total), or None (1 query).

    An event comes with its place (name and slug, enough to link to it).
    """
    fields, query = _LOOKUPS[kind]
    rows = query.rows(slug)
    if not rows:
        return None
    row = rows[0]
    entity = ENTITY_MODELS[kind].from_db("default", fields, row[: len(fields)])
    entity.article_count = row[len(fields)]
    if kind == "event" and entity.place_id is not None:
        name, place_slug = row[len(fields) + 1 :]
        entity.place = Place(id=entity.place_id, name=name, slug=place_slug)
    return entity


# -- articles, a page at a time ---------------------------------------------------------------

LISTING = (
    "pk", "title", "slug", "published_at", "url", "word_count",
    "outlet_id", "outlet__name", "outlet__slug",
    "authors__id", "authors__name", "authors__slug",
)  # fmt: skip


def article_items(rows) -> list[ArticleItem]:
    """``LISTING`` rows (one per article and author) as articles, newest first."""
    items: dict[int, ArticleItem] = {}
    pages, outlets, people = article_pattern(), entity_pattern("outlet"), entity_pattern("person")
    for pk, title, slug, published, url, words, o_id, o_name, o_slug, a_id, a_name, a_slug in rows:
        item = items.get(pk)
        if item is None:
            outlet = outlet_ref(o_id, o_name, o_slug, outlets)
            page = pages.format(pk, slug or "article")
            item = items[pk] = ArticleItem(
                pk, title, slug, published, outlet, url, words, page_url=page
            )
        if a_id is not None:
            author = EntityRef("person", a_id, a_name, a_slug, people.format(a_slug))
            item.author_list.append(author)
    return newest_first(list(items.values()))


def _listing(ids):
    # Authors by name, as ``article.authors.all()`` lists them.
    return Article.objects.filter(pk__in=ids).values_list(*LISTING).order_by("authors__name")


def _mentioning_build(kind: str):
    def build(entity_id, *, offset, limit):
        ids = (
            visible_mentions(kind)
            .filter(entity_id=entity_id)
            .order_by("-article_id")
            .values("article_id")
            .distinct()
        )
        return _listing(ids[offset : offset + limit])

    return Prepared(build)


_MENTIONING = {kind: _mentioning_build(kind) for kind in TOTAL_MODELS}
_PUBLISHED = Prepared(
    lambda outlet_id, *, offset, limit: _listing(
        Article.objects.filter(outlet_id=outlet_id)
        .newest_first()
        .values("pk")[offset : offset + limit]
    )
)
_NEWEST = Prepared(
    lambda *, offset, limit: _listing(
        Article.objects.newest_first().values("pk")[offset : offset + limit]
    )
)


class Paged:
    """A list of known length whose items are read a slice at a time (for ``Paginator``)."""

    def __init__(self, total: int, read):
        self.total = total
        self.read = read

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list:
        start = window.start or 0
        stop = self.total if window.stop is None else window.stop
        return self.read(offset=start, limit=max(stop - start, 0)) if stop > start else []


def articles_mentioning(entity) -> Paged:
    """The articles mentioning a person, organization, place or event, by a page's worth.

    The ids come from the (entity, article, status) index, highest (newest stored) first — sorting
    a popular name's articles by date would read every one of them; ids follow the order articles
    were stored, close to the order they were published, and each page is then shown by date.
    The length is the entity's article total: nothing is counted.
    """
    query = _MENTIONING[entity.kind]
    return Paged(
        entity.article_count, lambda **window: article_items(query.rows(entity.pk, **window))
    )


def articles_published(outlet) -> Paged:
    """An outlet's articles, newest first, by a page's worth (its total counted by the lookup)."""
    return Paged(
        outlet.article_count,
        lambda **window: article_items(_PUBLISHED.rows(outlet.pk, **window)),
    )


def newest_articles() -> Paged:
    """Every article, newest first, by a page's worth (1 query to count, 1 per page)."""
    return Paged(Article.objects.count(), lambda **window: article_items(_NEWEST.rows(**window)))


# -- what a page says about the newest WINDOW articles -----------------------------------------


def window_ids(kind: str, entity_id, size: int = WINDOW):
    """A subquery of the ids of the newest ``size`` articles mentioning an entity."""
    return (
        visible_mentions(kind)
        .filter(entity_id=entity_id)
        .order_by("-article_id")
        .values("article_id")
        .distinct()[:size]
    )


def _summary_build(kind: str):
    def build(entity_id):
        return (
            visible_mentions(kind)
            .filter(entity_id=entity_id, article_id__in=window_ids(kind, entity_id))
            .order_by()
            .values_list(
                "article_id",
                "surface",
                "article__outlet_id",
                "article__outlet__name",
                "article__outlet__slug",
                YearMonth("article__published_at"),
            )
        )

    return Prepared(build)


_SUMMARIES = {kind: _summary_build(kind) for kind in TOTAL_MODELS}


def subject_summary(entity) -> dict:
    """Outlets, spellings and months of the newest ``WINDOW`` articles about ``entity`` (1 query).

    Returns ``{"outlets": [EntityCount…], "spellings": [{"surface", "count", "outlets"}…],
    "months": [MonthCount…]}``: outlets by how many of the articles they published, spellings by
    how many articles use them (with the outlets that do), months oldest first.
    """
    outlets: dict[int, list] = {}
    pattern = entity_pattern("outlet")
    spellings: dict[str, dict] = defaultdict(lambda: defaultdict(set))
    months: dict[str, set] = defaultdict(set)
    for article_id, surface, o_id, o_name, o_slug, month in _SUMMARIES[entity.kind].rows(entity.pk):
        if o_id is not None:
            outlets.setdefault(o_id, [o_name, o_slug, set()])[2].add(article_id)
        spellings[surface][o_id].add(article_id)
        if month:
            months[month].add(article_id)
    outlet_counts = sorted(
        (
            EntityCount("outlet", pk, name, slug, len(ids), pattern.format(slug))
            for pk, (name, slug, ids) in outlets.items()
        ),
        key=lambda o: (-o.count, o.name),
    )
    names = {o.id: o for o in outlet_counts}
    spelled = []
    for surface, by_outlet in spellings.items():
        used = sorted(
            (
                EntityCount("outlet", pk, names[pk].name, names[pk].slug, len(ids), names[pk].url)
                for pk, ids in by_outlet.items()
                if pk is not None
            ),
            key=lambda o: (-o.count, o.name),
        )
        count = sum(len(ids) for ids in by_outlet.values())
        spelled.append({"surface": surface, "count": count, "outlets": used})
    spelled.sort(key=lambda e: (-e["count"], e["surface"]))
    timeline = [MonthCount(_month(m), len(ids)) for m, ids in sorted(months.items())]
    return {"outlets": outlet_counts, "spellings": spelled, "months": timeline}


_OUTLET_MONTHS = Prepared(
    lambda outlet_id: (
        Article.objects.filter(outlet_id=outlet_id, published_at__isnull=False)
        .order_by()
        .annotate(month=YearMonth("published_at"))
        .values("month")
        .annotate(n=Count("*"))  # from the (outlet, published_at) index alone, as article_total
        .order_by("month")
        .values_list("month", "n")
    )
)


def outlet_months(outlet) -> list[MonthCount]:
    """An outlet's articles per month of publication (UTC), oldest first, exact (1 query)."""
    return [MonthCount(_month(month), n) for month, n in _OUTLET_MONTHS.rows(outlet.pk)]


# -- quotes -----------------------------------------------------------------------------------

QUOTE_COLUMNS = (
    "pk", "text", "speaker_surface", "source", "sentence_index",
    "article_id", "article__title", "article__slug", "article__published_at",
    "article__outlet_id", "article__outlet__name", "article__outlet__slug",
)  # fmt: skip
_QUOTES = Prepared(
    lambda person_id, *, offset, limit: (
        Quote.objects.filter(speaker_id=person_id)
        .order_by("-article_id", "start", "pk")
        .values_list(*QUOTE_COLUMNS)[offset : offset + limit]
    )
)


def quotes_by(person, *, offset: int = 0, limit: int = 20) -> list[QuoteItem]:
    """Quotes attributed to ``person``, newest stored article first (1 query)."""
    quotes = []
    pages, outlets = article_pattern(), entity_pattern("outlet")
    for pk, text, surface, source, index, a_id, title, slug, published, *outlet in _QUOTES.rows(
        person.pk, offset=offset, limit=limit
    ):
        page = pages.format(a_id, slug or "article")
        article = ArticleItem(
            a_id, title, slug, published, outlet_ref(*outlet, outlets), page_url=page
        )
        quotes.append(QuoteItem(pk, text, person, surface, source, index, article))
    return quotes
