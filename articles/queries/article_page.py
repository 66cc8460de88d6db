"""The reads behind an article's page: the article, its mentions, quotes and claims, its story,
and the other coverage of the same events (each one prepared query)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Count, F, OuterRef, Subquery, Value

from articles.models import Article, Claim, MentionStatus, Outlet, Quote, Story, StoryMembership
from articles.models.mentions import MENTION_MODELS
from articles.prepared import Prepared

from .counted import visible_mentions
from .items import ArticleItem, ClaimItem, EntityRef, QuoteItem, entity_pattern, outlet_ref

# Kinds whose mentions say what an article is about (an outlet mention is a cited source).
TOPIC_KINDS = ("person", "organization", "place", "event")
# Sharing an event says more about "same story" than sharing a place or a person.
EVENT_WEIGHT = 3
# "Other coverage" looks at this many articles either side of the page's, per shared entity …
NEIGHBOURS = 200
# … for at most this many of the page's entities.
MAX_COVERAGE_ENTITIES = 40

# The raw text is kept for re-cleaning, never shown: not read.
ARTICLE_FIELDS = tuple(f.attname for f in Article._meta.concrete_fields if f.name != "raw_text")
_ARTICLE = Prepared(
    lambda pk: (
        Article.objects.filter(pk=pk)
        .order_by("authors__name")
        .values_list(
            *ARTICLE_FIELDS,
            "outlet__name",
            "outlet__slug",
            "authors__id",
            "authors__name",
            "authors__slug",
        )
    ),
    keep_plan=True,
)


def article_for_page(pk: int) -> tuple[Article, list[EntityRef]] | None:
    """The article with ``pk`` (its outlet joined, raw text deferred) and its authors (1 query)."""
    rows = _ARTICLE.rows(pk)
    if not rows:
        return None
    n = len(ARTICLE_FIELDS)
    article = Article.from_db("default", ARTICLE_FIELDS, rows[0][:n])
    outlet_name, outlet_slug = rows[0][n : n + 2]
    if article.outlet_id is not None:
        article.outlet = Outlet(id=article.outlet_id, name=outlet_name, slug=outlet_slug)
    authors = [EntityRef("person", *row[n + 2 :]) for row in rows if row[n + 2] is not None]
    return article, authors


@dataclass(slots=True)
class MentionRow:
    """One visible mention in an article, with a light entity to link to (no lazy relations)."""

    kind: str
    pk: int
    entity_id: int
    surface: str
    start: int | None
    end: int | None
    status: str
    entity: EntityRef


def _mentions_build(article_id):
    parts = [
        visible_mentions(kind)
        .filter(article_id=article_id)
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list(
            "kind",
            "pk",
            "entity_id",
            "entity__name",
            "entity__slug",
            "surface",
            "start",
            "end",
            "status",
        )  # fmt: skip
        .order_by()
        for kind in MENTION_MODELS
    ]
    return parts[0].union(*parts[1:], all=True)


_MENTIONS = Prepared(_mentions_build, keep_plan=True)


def article_mentions(article) -> dict[str, list[MentionRow]]:
    """The visible mentions in ``article`` per kind, in text order (1 query: a UNION ALL)."""
    rows = sorted(_MENTIONS.rows(article.pk), key=lambda r: (r[6] is None, r[6] or 0, r[1]))
    entities: dict[tuple[str, int], EntityRef] = {}
    found: dict[str, list[MentionRow]] = {kind: [] for kind in MENTION_MODELS}
    patterns = {kind: entity_pattern(kind) for kind in MENTION_MODELS}
    for kind, pk, entity_id, name, slug, surface, start, end, status in rows:
        entity = entities.get((kind, entity_id))
        if entity is None:
            url = patterns[kind].format(slug)
            entity = entities[(kind, entity_id)] = EntityRef(kind, entity_id, name, slug, url)
        found[kind].append(MentionRow(kind, pk, entity_id, surface, start, end, status, entity))
    return found


_QUOTES = Prepared(
    lambda article_id: (
        Quote.objects.filter(article_id=article_id)
        .order_by(F("start").asc(nulls_last=True), "pk")
        .values_list(
            "pk",
            "text",
            "speaker_surface",
            "source",
            "sentence_index",
            "speaker_id",
            "speaker__name",
            "speaker__slug",
        )
    ),  # fmt: skip
    keep_plan=True,
)


def article_quotes(article) -> list[QuoteItem]:
    """The quotes ``article`` reports, with their speakers, in text order (1 query)."""
    quotes = []
    for pk, text, surface, source, index, speaker_id, name, slug in _QUOTES.rows(article.pk):
        speaker = EntityRef("person", speaker_id, name, slug) if speaker_id is not None else None
        quotes.append(QuoteItem(pk, text, speaker, surface, source, index, article))
    return quotes


CLAIM_COLUMNS = (
    "pk", "article_id", "quantity", "value", "low", "high", "unit", "qualifier", "subject",
    "text", "sentence_index",
)  # fmt: skip
_CLAIMS = Prepared(
    lambda article_id: (
        Claim.objects.filter(article_id=article_id)
        .order_by(F("start").asc(nulls_last=True), "pk")
        .values_list(*CLAIM_COLUMNS)
    ),
    keep_plan=True,
)


def article_claims(article) -> list[ClaimItem]:
    """The numbers ``article`` states, in text order (1 query)."""
    from .claims import with_display

    return with_display([ClaimItem(*row, article=article) for row in _CLAIMS.rows(article.pk)])


_STORY = Prepared(
    lambda article_id: (
        Story.objects.filter(memberships__article_id=article_id)
        .annotate(
            size=Subquery(
                StoryMembership.objects.filter(story=OuterRef("pk"))
                .values("story")
                .annotate(n=Count("id"))
                .values("n")
            )
        )
        .values_list("id", "name", "size")[:1]
    ),
    keep_plan=True,
)


def story_summary(article) -> Story | None:
    """The story the article belongs to, with ``size`` (its article count), or None (1 query)."""
    rows = _STORY.rows(article.pk)
    if not rows:
        return None
    pk, name, size = rows[0]
    story = Story(id=pk, name=name)
    story.size = size
    return story


@dataclass
class Coverage:
    """Another article on the same story: how many entities (and events) it shares."""

    article: ArticleItem
    score: int
    shared_events: int
    overlap: float | None = field(default=None)

    @property
    def percent(self) -> int:
        """The text overlap as a whole percentage."""
        return round((self.overlap or 0) * 100)


_COVERAGE_ARTICLES = Prepared(
    lambda ids: (
        Article.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "title",
            "slug",
            "published_at",
            "outlet_id",
            "outlet__name",
            "outlet__slug",
            "body",
        )
    ),
    keep_plan=True,
)


def other_coverage(article, entity_ids: dict[str, set[int]], limit: int = 8) -> list[Coverage]:
    """Other articles sharing events or entities with ``article``, best first (2 queries).

    ``entity_ids`` maps a kind to the ids of the entities ``article`` mentions. The score counts
    the distinct shared entities, an event counting ``EVENT_WEIGHT`` times; ties go to the newer id.

    The cost is bounded whatever the archive's size: for each entity only the ``NEIGHBOURS``
    articles stored just before and just after this one are looked at (an index range scan on
    (entity, article)) — coverage of one story is stored close together, and a name found in
    half the archive would otherwise make every page that mentions it scan half the archive.
    The articles come with their texts, for the near-copy check.
    """
    parts, params = [], []
    chosen = [(kind, pk) for kind in TOPIC_KINDS for pk in sorted(entity_ids.get(kind) or ())]
    # Events first: they say most about "same story"; the cap keeps the statement small.
    chosen.sort(key=lambda pair: pair[0] != "event")
    for n, (kind, pk) in enumerate(chosen[:MAX_COVERAGE_ENTITIES]):
        table = connection.ops.quote_name(MENTION_MODELS[kind]._meta.db_table)
        weight, is_event = (EVENT_WEIGHT, 1) if kind == "event" else (1, 0)
        for side, (op, order) in enumerate((("<", "DESC"), (">", "ASC"))):
            parts.append(
                f"SELECT DISTINCT article_id, {weight} AS w, {is_event} AS ev FROM ("
                f"SELECT article_id FROM {table} WHERE entity_id = %s AND article_id {op} %s "
                f"AND status <> %s ORDER BY article_id {order} LIMIT {NEIGHBOURS}) n{n}_{side}"
            )
            params += [pk, article.pk, MentionStatus.REJECTED]
    if not parts:
        return []
    sql = (
        f"SELECT article_id, SUM(w), SUM(ev) FROM ({' UNION ALL '.join(parts)}) shared "
        "GROUP BY article_id ORDER BY 2 DESC, 1 DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        scored = cursor.fetchall()
    if not scored:
        return []
    outlets = entity_pattern("outlet")
    rows = {
        pk: ArticleItem(pk, title, slug, published, outlet_ref(*outlet, outlets), body=body)
        for pk, title, slug, published, *outlet, body in _COVERAGE_ARTICLES.rows(
            [row[0] for row in scored]
        )
    }
    return [
        Coverage(rows[pk], int(score), int(events)) for pk, score, events in scored if pk in rows
    ]


# -- near copies ------------------------------------------------------------------------------


def shingles(text: str, size: int = 5) -> set[int]:
    """Hashes of the overlapping ``size``-word runs of ``text`` (lowercased)."""
    # Whitespace words, punctuation kept: a copy keeps the punctuation too, and split() is
    # several times faster than a word regex on a page's worth of candidates.
    words = text.lower().split()
    if len(words) < size:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1)}


def near_copy_overlaps(text: str, others: list[str], floor: float = 0.5) -> list[float]:
    """``near_copy_overlap`` of ``text`` with each of ``others``, shingling ``text`` once.

    A pair whose word counts differ too much to reach ``floor`` (Jaccard can't exceed the ratio
    of the two sizes) scores 0 without being shingled.
    """
    own = shingles(text)
    size = len(own)
    out = []
    for other in others:
        approx = max(len(other.split()) - 4, 1)
        if not own or min(size, approx) / max(size, approx) < floor:
            out.append(0.0)
            continue
        theirs = shingles(other)
        out.append(len(own & theirs) / len(own | theirs) if theirs else 0.0)
    return out


def near_copy_overlap(a: str, b: str) -> float:
    """The share of word 5-shingles two texts have in common (Jaccard, 0–1).

    Used on a handful of candidates per page: a rewrite of an agency story scores high, two
    independent reports of one event score low.
    """
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
