"""JSON shapes of the browsing pages that ``articles.serializers`` does not cover yet.

They follow the shared shape: objects carry "id" and "url"; references to entities are
``entity_ref``-shaped ({"kind", "id", "name", "slug", "url"}); dates are ISO 8601.
"""

from __future__ import annotations

from typing import Any

from articles.serializers import absolute, article_summary, entity_ref


def sentence_url(request, article, sentence_index: int | None) -> str:
    """The permalink of one sentence of an article (its "cite this" link)."""
    anchor = f"#s{sentence_index}" if sentence_index is not None else ""
    return absolute(request, article.get_absolute_url() + anchor)


def quote_data(quote, request=None, *, with_article: bool = False) -> dict[str, Any]:
    """A quote: text, speaker (a person reference or None), the source and its sentence link."""
    data = {
        "id": quote.pk,
        "text": quote.text,
        "speaker": entity_ref(quote.speaker, request),
        "speaker_surface": quote.speaker_surface,
        "source": quote.source,
        "sentence_index": quote.sentence_index,
        "url": sentence_url(request, quote.article, quote.sentence_index),
    }
    if with_article:
        data["article"] = article_reference(quote.article, request)
    return data


def claim_data(claim, request=None, *, with_article: bool = False) -> dict[str, Any]:
    """A claim: the words, what they measure, the normalised value, range and unit."""
    data = {
        "id": claim.pk,
        "text": claim.text,
        "subject": claim.subject,
        "quantity": claim.quantity,
        "value": claim.value,
        "low": claim.low,
        "high": claim.high,
        "unit": claim.unit,
        "qualifier": claim.qualifier,
        "sentence_index": claim.sentence_index,
        "url": sentence_url(request, claim.article, claim.sentence_index),
    }
    if with_article:
        data["article"] = article_reference(claim.article, request)
    return data


def article_reference(article, request=None) -> dict[str, Any]:
    """A short reference to an article: id, url, title, outlet and date (no authors: no query)."""
    return {
        "id": article.pk,
        "url": absolute(request, article.get_absolute_url()),
        "title": article.title,
        "outlet": entity_ref(article.outlet, request),
        "published_at": article.published_at.isoformat() if article.published_at else None,
    }


def counted_ref(item, request=None) -> dict[str, Any]:
    """An entity reference with a count (``queries.EntityCount``)."""
    return {
        "kind": item.kind,
        "id": item.id,
        "name": item.name,
        "slug": item.slug,
        "url": absolute(request, item.url),
        "count": item.count,
    }


def mention_data(mention, request=None) -> dict[str, Any]:
    """A mention: the entity it names, the words as written, offsets and status."""
    return {
        "entity": entity_ref(mention.entity, request),
        "surface": mention.surface,
        "start": mention.start,
        "end": mention.end,
        "status": mention.status,
    }


def articles_data(articles, request=None) -> list[dict[str, Any]]:
    """Article summaries (authors must be prefetched)."""
    return [article_summary(a, request) for a in articles]
