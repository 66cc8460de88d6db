"""The reads behind an event's page (and the home page's timeline): related events, the
events at a place, and the numbers its coverage states (each one prepared query)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Q

from articles.models import Claim, Event
from articles.prepared import Prepared

from .counted import EVENT_WINDOW, article_total, visible_mentions
from .entity_pages import window_ids
from .items import ArticleItem, ClaimItem, EventItem, article_pattern, entity_pattern, outlet_ref

EVENT_COLUMNS = ("pk", "name", "slug", "date_start", "date_end")
_EVENTS_AT = Prepared(
    lambda place_id: (
        Event.objects.filter(place_id=place_id)
        .order_by("date_start", "name")
        .values_list(*EVENT_COLUMNS)[:30]
    )
)
_RELATED = Prepared(
    lambda event_id, place_id: (
        Event.objects.filter(
            Q(
                pk__in=visible_mentions("event")
                .filter(article_id__in=window_ids("event", event_id, EVENT_WINDOW))
                .values("entity_id")
            )
            | Q(place_id=place_id)
        )
        .exclude(pk=event_id)
        .order_by(F("date_start").asc(nulls_last=True), "name")
        .values_list(*EVENT_COLUMNS)[:15]
    )
)
_TIMELINE = Prepared(
    lambda *, limit: (
        Event.objects.filter(date_start__isnull=False)
        .annotate(article_total=article_total("event"))
        .order_by("-date_start", "name")
        .values_list(*EVENT_COLUMNS, "article_total")[:limit]
    )
)


def events_at(place) -> list[EventItem]:
    """The events that took place at ``place``, by date (1 query)."""
    return [EventItem(*row) for row in _EVENTS_AT.rows(place.pk)]


def related_events(event) -> list[EventItem]:
    """Events mentioned alongside ``event`` (in the articles its page lists), or at its place."""
    # An event without a place matches no place: -1 is no row's id.
    place_id = event.place_id if event.place_id is not None else -1
    return [EventItem(*row) for row in _RELATED.rows(event.pk, place_id)]


def events_for_timeline(limit: int = 30) -> list[EventItem]:
    """The most recent dated events with their article totals, oldest first (1 query)."""
    return [EventItem(*row) for row in reversed(_TIMELINE.rows(limit=limit))]


def by_outlet(articles) -> list[tuple]:
    """Group articles by outlet, keeping their order: ``[(outlet or None, [articles…])]``."""
    groups: dict[int | None, list] = defaultdict(list)
    outlets: dict[int | None, object] = {}
    for article in articles:
        groups[article.outlet_id].append(article)
        outlets.setdefault(article.outlet_id, article.outlet)
    return sorted(
        ((outlets[k], v) for k, v in groups.items()),
        key=lambda pair: (pair[0] is None, pair[0].name.lower() if pair[0] else ""),
    )


# -- the numbers an event's coverage states ---------------------------------------------------

CLAIM_COLUMNS = (
    "pk", "article_id", "quantity", "value", "low", "high", "unit", "qualifier", "subject",
    "text", "sentence_index",
)  # fmt: skip


def _claims(event_id, *, limit):
    # The claims to show are picked from the claims table alone; only they join their articles.
    picked = (
        Claim.objects.filter(article_id__in=window_ids("event", event_id, EVENT_WINDOW))
        .order_by("quantity", "subject", "value", "pk")
        .values("pk")[:limit]
    )
    return Claim.objects.filter(pk__in=picked).values_list(
        *CLAIM_COLUMNS,
        "article__title",
        "article__slug",
        "article__published_at",
        "article__outlet_id",
        "article__outlet__name",
        "article__outlet__slug",
    )


_CLAIMS = Prepared(_claims)


def _claim_order(claim: ClaimItem) -> tuple:
    return (claim.quantity, claim.subject, claim.value, claim.pk)


def event_claims(event, limit: int = 200) -> list[ClaimItem]:
    """Claims of the articles an event's page lists, article and outlet joined (1 query).

    At most ``limit``, by quantity, subject and value.
    """
    from .claims import with_display

    claims = []
    articles: dict[int, ArticleItem] = {}
    pages, outlets = article_pattern(), entity_pattern("outlet")
    for row in _CLAIMS.rows(event.pk, limit=limit):
        claim = ClaimItem(*row[: len(CLAIM_COLUMNS)])
        title, slug, published, *outlet = row[len(CLAIM_COLUMNS) :]
        article = articles.get(claim.article_id)
        if article is None:
            article = articles[claim.article_id] = ArticleItem(
                claim.article_id,
                title,
                slug,
                published,
                outlet_ref(*outlet, outlets),
                page_url=pages.format(claim.article_id, slug or "article"),
            )
        claim.article = article
        claims.append(claim)
    claims.sort(key=_claim_order)
    return with_display(claims)
