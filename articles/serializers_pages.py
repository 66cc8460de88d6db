"""JSON shapes of the browsing pages that ``articles.serializers`` does not cover yet.

They follow the shared shape: objects carry "id" and "url"; references to entities are
``entity_ref``-shaped ({"kind", "id", "name", "slug", "url"}); dates are ISO 8601.
"""

from __future__ import annotations

from typing import Any

from articles.serializers import absolute, article_reference, article_summary, entity_ref


def sentence_url(request, article, sentence_index: int | None) -> str:
    """The permalink of one sentence of an article (its "cite this" link)."""
    anchor = f"#s{sentence_index}" if sentence_index is not None else ""
    return absolute(request, article.get_absolute_url() + anchor)


def _sentence_fact(fact, request, with_article: bool, fields: dict[str, Any]) -> dict[str, Any]:
    """A quote or claim: its id, its own ``fields``, its sentence link (and article if asked)."""
    data = {
        "id": fact.pk,
        **fields,
        "sentence_index": fact.sentence_index,
        "url": sentence_url(request, fact.article, fact.sentence_index),
    }
    if with_article:
        data["article"] = article_reference(fact.article, request)
    return data


def quote_data(quote, request=None, *, with_article: bool = False) -> dict[str, Any]:
    """A quote: text, speaker (a person reference or None), the source and its sentence link."""
    fields = {
        "text": quote.text,
        "speaker": entity_ref(quote.speaker, request),
        "speaker_surface": quote.speaker_surface,
        "source": quote.source,
    }
    return _sentence_fact(quote, request, with_article, fields)


def claim_data(claim, request=None, *, with_article: bool = False) -> dict[str, Any]:
    """A claim: the words, what they measure, the normalised value, range and unit."""
    fields = {
        "text": claim.text,
        "subject": claim.subject,
        "quantity": claim.quantity,
        "value": claim.value,
        "low": claim.low,
        "high": claim.high,
        "unit": claim.unit,
        "qualifier": claim.qualifier,
    }
    return _sentence_fact(claim, request, with_article, fields)


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
