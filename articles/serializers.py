"""The JSON shapes every page shares (see the README's "JSON twins").

An object has "id", "url" (its HTML page) and "title" or "name"; an entity also has "kind", "slug" and
"aliases"; a reference to an entity is {"kind", "id", "name", "slug", "url"}; dates are ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def iso(value: dt.date | dt.datetime | None) -> str | None:
    """ISO 8601 text of a date or datetime, or None."""
    return value.isoformat() if value else None


def absolute(request, path: str) -> str:
    """The absolute URL of ``path`` for this request."""
    return request.build_absolute_uri(path) if request is not None else path


def entity_ref(entity, request=None) -> dict[str, Any] | None:
    """A reference to an entity: kind, id, name, slug and page URL."""
    if entity is None:
        return None
    return {
        "kind": entity.kind,
        "id": entity.pk,
        "name": entity.name,
        "slug": entity.slug,
        "url": absolute(request, entity.get_absolute_url()),
    }


def entity_data(entity, request=None) -> dict[str, Any]:
    """An entity as an object: its reference plus aliases and description."""
    data = entity_ref(entity, request)
    data["aliases"] = list(entity.aliases)
    data["description"] = entity.description
    for field in ("role", "domain", "country"):
        if hasattr(entity, field):
            data[field] = getattr(entity, field)
    if entity.kind == "event":
        data["date_start"] = iso(entity.date_start)
        data["date_end"] = iso(entity.date_end)
    return data


def article_reference(article, request=None) -> dict[str, Any]:
    """A short reference to an article: id, url, title, outlet and date (no authors: no query)."""
    return {
        "id": article.pk,
        "url": absolute(request, article.get_absolute_url()),
        "title": article.title,
        "outlet": entity_ref(article.outlet, request),
        "published_at": iso(article.published_at),
    }


def article_summary(article, request=None, *, authors=None) -> dict[str, Any]:
    """An article as a list item: its reference plus authors, source URL and word count.

    ``authors`` defaults to the list an ``ArticleItem`` carries, or the model's (prefetched).
    """
    if authors is None:
        authors = getattr(article, "author_list", None)
    if authors is None:
        authors = article.authors.all()
    return {
        **article_reference(article, request),
        "authors": [entity_ref(p, request) for p in authors],
        "source_url": article.url or None,
        "word_count": article.word_count,
    }


def page_data(page, request, results: list) -> dict[str, Any]:
    """A list page: count, next and previous page URLs, results."""

    def link(number):
        params = request.GET.copy()
        params["page"] = number
        return absolute(request, f"{request.path}?{params.urlencode()}")

    return {
        "count": page.paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": results,
    }
