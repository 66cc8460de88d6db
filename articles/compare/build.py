"""Gather 2–6 articles from the database and compare them: alignment, overlap, facts, quotes,
entities. The pure parts live in ``align``, ``facts`` and ``quotes``; this module reads the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.models import Article, Claim, Quote
from articles.models.entities import name_key
from articles.models.mentions import MENTION_MODELS
from articles.queries.items import EntityRef, entity_pattern

from .align import Alignment, align
from .facts import ClaimFact, FactGroup, group_claims
from .quotes import QuoteFact, SpeakerQuotes, match_quotes

MIN_ARTICLES, MAX_ARTICLES = 2, 6
ENTITY_KINDS = ("person", "organization", "place", "event")


class CompareError(ValueError):
    """A comparison that cannot be made; the message is meant for the reader."""


def parse_ids(values: list[str]) -> list[int]:
    """Article ids from ``?ids=1,2,3`` and/or ``?ids=1&ids=2``, in the order given.

    Raises ``CompareError`` with a readable message for junk, duplicates, fewer than two or more
    than six ids.
    """
    ids: list[int] = []
    for value in values:
        for part in value.replace(" ", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdigit()) or len(part) > 12:
                raise CompareError(f"“{part[:40]}” is not an article number.")
            ids.append(int(part))
    if len(set(ids)) != len(ids):
        raise CompareError("Each article can be compared only once: remove the repeated numbers.")
    if len(ids) < MIN_ARTICLES:
        raise CompareError("Choose at least two articles to compare.")
    if len(ids) > MAX_ARTICLES:
        raise CompareError(f"At most {MAX_ARTICLES} articles can be compared at once.")
    return ids


def load_articles(ids: list[int]) -> list[Article]:
    """The articles with these ids in publication order (undated last, in the order asked).

    Raises ``CompareError`` naming the ids that do not exist.
    """
    found = {
        a.pk: a
        for a in Article.objects.filter(pk__in=ids)
        .select_related("outlet")
        .prefetch_related("authors")
    }
    missing = [i for i in ids if i not in found]
    if missing:
        numbers = ", ".join(str(i) for i in missing)
        raise CompareError(f"No article with number {numbers} in the archive.")
    position = {pk: n for n, pk in enumerate(ids)}
    return sorted(
        found.values(),
        key=lambda a: (a.published_at is None, a.published_at or 0, position[a.pk]),
    )


@dataclass
class EntityRow:
    """One entity and how often each compared article mentions it (0: not at all)."""

    entity: object
    counts: list[int]

    @property
    def present(self) -> int:
        return sum(1 for c in self.counts if c)


@dataclass
class Comparison:
    articles: list[Article]
    alignment: Alignment
    facts: list[FactGroup]
    quotes: list[SpeakerQuotes]
    entities: dict[str, list[EntityRow]] = field(default_factory=dict)

    urls: dict[int, str] = field(default_factory=dict)

    def __post_init__(self):
        # Reversing a URL per sentence is the slowest part of rendering; do it once per article.
        self.urls = {a.pk: a.get_absolute_url() for a in self.articles}
        self._columns = {a.pk: n for n, a in enumerate(self.articles)}

    def column(self, article_id: int) -> int:
        """The column of an article."""
        return self._columns[article_id]

    def published_order(self, a: int, b: int) -> str:
        """Whether column ``a`` was published "earlier", "later" or at the "same time" as column
        ``b``; "unknown" when either is undated."""
        first, second = self.articles[a].published_at, self.articles[b].published_at
        if first is None or second is None:
            return "unknown"
        if first == second:
            return "same time"
        return "earlier" if first < second else "later"

    def sentence_url(self, article_id: int, index: int | None) -> str:
        """The page of an article, scrolled to its sentence ``index`` when known."""
        url = self.urls[article_id]
        return f"{url}#s{index}" if index is not None else url


def _claims(articles: list[Article]) -> list[ClaimFact]:
    column = {a.pk: n for n, a in enumerate(articles)}
    rows = Claim.objects.filter(article__in=column).order_by("article_id", "start", "id")
    rows = sorted(rows, key=lambda c: (column[c.article_id], c.start or 0, c.pk))
    return [
        ClaimFact(
            article=c.article_id,
            quantity=c.quantity,
            value=c.value,
            low=c.low,
            high=c.high,
            unit=c.unit,
            subject=c.subject,
            text=c.text,
            qualifier=c.qualifier,
            sentence=c.sentence,
            sentence_index=c.sentence_index,
        )
        for c in rows
    ]


def _quotes(articles: list[Article]) -> list[QuoteFact]:
    column = {a.pk: n for n, a in enumerate(articles)}
    rows = Quote.objects.filter(article__in=column).select_related("speaker")
    rows = sorted(rows, key=lambda q: (column[q.article_id], q.start or 0, q.pk))
    facts = []
    for q in rows:
        url = ""
        if q.speaker_id:
            key, name = f"person:{q.speaker_id}", q.speaker.name
            url = q.speaker.get_absolute_url()
        elif q.speaker_surface:
            key, name = f"name:{name_key(q.speaker_surface)}", q.speaker_surface
        elif q.source:
            key, name = f"source:{name_key(q.source)}", q.source
        else:
            key, name = "", ""
        facts.append(QuoteFact(q.pk, q.article_id, q.text, key, name, q.sentence_index, url))
    return facts


def _entities(articles: list[Article]) -> dict[str, list[EntityRow]]:
    column = {a.pk: n for n, a in enumerate(articles)}
    matrix: dict[str, list[EntityRow]] = {}
    for kind in ENTITY_KINDS:
        # Tuples and links, not a model instance per mention and per entity (a long article
        # mentions a hundred entities): 4.6 % of a comparison's time went into building them.
        pattern = entity_pattern(kind)
        rows: dict[int, EntityRow] = {}
        mentions = (
            MENTION_MODELS[kind]
            .objects.visible()
            .filter(article__in=column)
            .values_list("entity_id", "entity__name", "entity__slug", "article_id", "count")
        )
        for entity_id, name, slug, article_id, count in mentions:
            row = rows.get(entity_id)
            if row is None:
                link = EntityRef(kind, entity_id, name, slug, pattern.format(slug))
                row = rows[entity_id] = EntityRow(link, [0] * len(column))
            row.counts[column[article_id]] += count or 1
        matrix[kind] = sorted(rows.values(), key=lambda r: (-r.present, r.entity.name.lower()))
    return matrix


def build_comparison(articles: list[Article]) -> Comparison:
    """Compare ``articles`` (already in column order)."""
    published = [a.published_at.timestamp() if a.published_at else None for a in articles]
    alignment = align([a.body for a in articles], published)
    return Comparison(
        articles=articles,
        alignment=alignment,
        facts=group_claims(_claims(articles)),
        quotes=match_quotes(_quotes(articles)),
        entities=_entities(articles),
    )
