"""Gather 2–6 articles and compare them: alignment, overlap, facts, quotes, entities. The pure
parts live in ``align``, ``facts`` and ``quotes``; ``inputs`` reads (and keeps) each article's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.models import Article
from articles.queries.items import EntityRef, entity_pattern

from .align import Alignment, align
from .facts import FactGroup, group_claims
from .inputs import ENTITY_KINDS, ArticleInputs, article_inputs
from .quotes import SpeakerQuotes, match_quotes

MIN_ARTICLES, MAX_ARTICLES = 2, 6


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


def load_articles(ids: list[int]) -> list[ArticleInputs]:
    """The articles with these ids, as comparisons read them, in publication order (undated
    last, in the order asked).

    Raises ``CompareError`` naming the ids that do not exist.
    """
    found = article_inputs(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        numbers = ", ".join(str(i) for i in missing)
        raise CompareError(f"No article with number {numbers} in the archive.")
    position = {pk: n for n, pk in enumerate(ids)}
    return sorted(
        found.values(),
        key=lambda i: (
            i.article.published_at is None,
            i.article.published_at or 0,
            position[i.article.pk],
        ),
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


def _entities(inputs: list[ArticleInputs]) -> dict[str, list[EntityRow]]:
    matrix: dict[str, list[EntityRow]] = {}
    for kind in ENTITY_KINDS:
        pattern = entity_pattern(kind)
        rows: dict[int, EntityRow] = {}
        for column, item in enumerate(inputs):
            for entity_id, name, slug, count in item.mentions[kind]:
                row = rows.get(entity_id)
                if row is None:
                    link = EntityRef(kind, entity_id, name, slug, pattern.format(slug))
                    row = rows[entity_id] = EntityRow(link, [0] * len(inputs))
                row.counts[column] += count
        matrix[kind] = sorted(
            rows.values(), key=lambda r: (-r.present, r.entity.name.lower(), r.entity.id)
        )
    return matrix


def build_comparison(inputs: list[ArticleInputs]) -> Comparison:
    """Compare these articles (``load_articles``, already in column order)."""
    articles = [i.article for i in inputs]
    published = [a.published_at.timestamp() if a.published_at else None for a in articles]
    return Comparison(
        articles=articles,
        alignment=align([i.text for i in inputs], published),
        facts=group_claims([c for i in inputs for c in i.claims]),
        quotes=match_quotes([q for i in inputs for q in i.quotes]),
        entities=_entities(inputs),
    )
