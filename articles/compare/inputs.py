"""What a comparison needs of each article, read once and kept while the archive is unchanged.

Most of comparing articles is per-article work: reading the row, splitting the body into
sentences and counting their n-grams (``similarity.prepare``), reading the claims, quotes and
entity mentions. Only the alignment, the IDF and the grouping of facts depend on which articles
are put side by side, so each process keeps the inputs of the ``COMPARE_MEMO`` articles it
compared last (``NEWSARCHIVE`` setting, env ``COMPARE_MEMO``; ``articles.memo``).
"""

from __future__ import annotations

from dataclasses import dataclass

from articles.memo import VersionedMemo
from articles.models import Article, Claim, Quote
from articles.models.entities import name_key
from articles.models.mentions import MENTION_MODELS

from .facts import ClaimFact
from .quotes import QuoteFact
from .similarity import PreparedText, prepare

ENTITY_KINDS = ("person", "organization", "place", "event")


@dataclass(frozen=True, slots=True)
class ArticleInputs:
    """One article as every comparison it takes part in reads it."""

    article: Article  # with its outlet and authors
    text: PreparedText
    claims: tuple[ClaimFact, ...]  # in reading order
    quotes: tuple[QuoteFact, ...]  # in reading order
    # kind -> (entity id, name, slug, times mentioned) for each entity the article mentions
    mentions: dict[str, tuple[tuple[int, str, str, int], ...]]


# A prepared article holds its sentences' n-gram counts: tens of kilobytes.
memo: VersionedMemo[ArticleInputs] = VersionedMemo("COMPARE_MEMO", 512)


def article_inputs(ids: list[int]) -> dict[int, ArticleInputs]:
    """The inputs of the articles with these ids that exist, by id (from the memo when kept)."""
    return memo.get_many(ids, _read)


def _read(ids: list[int]) -> dict[int, ArticleInputs]:
    """Read the inputs of these articles from the database: one query per table for all."""
    articles = (
        Article.objects.filter(pk__in=ids)
        .select_related("outlet")
        .prefetch_related("authors")
        .defer("raw_text")  # the file as read: never shown side by side, and often large
    )
    articles = {a.pk: a for a in articles}
    ids = list(articles)
    claims = _claims(ids)
    quotes = _quotes(ids)
    mentions = _mentions(ids)
    return {
        pk: ArticleInputs(
            article=article,
            text=prepare(article.body),
            claims=tuple(claims.get(pk, ())),
            quotes=tuple(quotes.get(pk, ())),
            mentions={kind: tuple(mentions[kind].get(pk, ())) for kind in ENTITY_KINDS},
        )
        for pk, article in articles.items()
    }


def _claims(ids: list[int]) -> dict[int, list[ClaimFact]]:
    rows = Claim.objects.filter(article__in=ids)
    out: dict[int, list[ClaimFact]] = {}
    # Sorted here: the engines put claims without a position (NULL) at opposite ends.
    for c in sorted(rows, key=lambda c: (c.article_id, c.start or 0, c.pk)):
        out.setdefault(c.article_id, []).append(
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
        )
    return out


def _quotes(ids: list[int]) -> dict[int, list[QuoteFact]]:
    rows = Quote.objects.filter(article__in=ids).select_related("speaker")
    out: dict[int, list[QuoteFact]] = {}
    for q in sorted(rows, key=lambda q: (q.article_id, q.start or 0, q.pk)):
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
        out.setdefault(q.article_id, []).append(
            QuoteFact(q.pk, q.article_id, q.text, key, name, q.sentence_index, url)
        )
    return out


def _mentions(ids: list[int]) -> dict[str, dict[int, list[tuple[int, str, str, int]]]]:
    out: dict[str, dict[int, list[tuple[int, str, str, int]]]] = {}
    for kind in ENTITY_KINDS:
        # Tuples, not a model instance per mention and per entity: a long article mentions a
        # hundred entities.
        by_article: dict[int, list[tuple[int, str, str, int]]] = {}
        rows = (
            MENTION_MODELS[kind]
            .objects.visible()
            .filter(article__in=ids)
            .values_list("article_id", "entity_id", "entity__name", "entity__slug", "count")
        )
        for article_id, entity_id, name, slug, count in rows:
            by_article.setdefault(article_id, []).append((entity_id, name, slug, count or 1))
        out[kind] = by_article
    return out
