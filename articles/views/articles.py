"""The home page and article pages."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from articles import queries
from articles.charts import TimelineItem, timeline
from articles.markup import body_html, links_from_mentions
from articles.models import Article
from articles.serializers import article_summary, entity_ref, iso, page_data
from articles.serializers_pages import (
    article_reference,
    claim_data,
    counted_ref,
    mention_data,
    quote_data,
)
from articles.text import split_paragraphs

from .base import paginate, render_page

KIND_LABELS = {
    "person": "People",
    "organization": "Organizations",
    "place": "Places",
    "event": "Events",
    "outlet": "Sources cited",
}
# Above this share of common word shingles, another article is called a near-copy.
NEAR_COPY_THRESHOLD = 0.5
NEAR_COPY_CANDIDATES = 3
# How many articles the compare link puts side by side (the compare page takes up to six).
COMPARE_MAX = 6


def compare_url(ids) -> str:
    """The comparison page for the given article ids."""
    return reverse("articles:compare") + "?ids=" + ",".join(str(i) for i in ids)


def home(request):
    """Search box, the newest articles, the most-mentioned people and the events on a timeline."""
    page = paginate(request, queries.newest_articles(), per_page=10)
    people = queries.in_the_news("person", limit=12)
    events = queries.events_for_timeline(limit=20)
    events_chart = timeline(
        [
            TimelineItem(
                e.name,
                e.date_start,
                e.date_end,
                e.get_absolute_url(),
                note=f"{e.article_count} article{'s' if e.article_count != 1 else ''}",
            )
            for e in events
        ],
        chart_id="home-events",
        title="Events in the archive",
        description=f"The {len(events)} most recent dated events, oldest first.",
    )

    def to_json():
        data = page_data(page, request, [article_summary(a, request) for a in page.object_list])
        data["people"] = [counted_ref(p, request) for p in people]
        data["events"] = [
            {
                **entity_ref(e, request),
                "date_start": iso(e.date_start),
                "date_end": iso(e.date_end),
                "article_count": e.article_count,
            }
            for e in events
        ]
        return data

    return render_page(
        request,
        "articles/home.html",
        {
            "page": page,
            "articles": page.object_list,
            "people": people,
            "events": events,
            "events_chart": events_chart,
            "window": queries.NEWS_WINDOW if page.paginator.count > queries.NEWS_WINDOW else None,
        },
        to_json,
    )


def _to_canonical(request, article):
    """A permanent redirect to the article's canonical URL, keeping the query (``?format=json``)."""
    query = request.META.get("QUERY_STRING", "")
    url = article.get_absolute_url() + (f"?{query}" if query else "")
    return redirect(url, permanent=True)


def article_redirect(request, pk: int):
    """/articles/<id>/ goes to the article's canonical URL."""
    return _to_canonical(request, get_object_or_404(Article.objects.only("id", "slug"), pk=pk))


def article_detail(request, pk: int, slug: str):
    """One article: linked text with sentence anchors, quotes, claims, entities, other coverage."""
    found = queries.article_for_page(pk)
    if found is None:
        raise Http404("No article at this address.")
    article, authors = found
    if slug != article.slug:
        return _to_canonical(request, article)

    mentions = queries.article_mentions(article)
    links = links_from_mentions(article.body, [m for rows in mentions.values() for m in rows])
    paragraphs = body_html(article.body, links)
    quotes = queries.article_quotes(article)
    claims = queries.article_claims(article)

    # One entry per entity (a mention row per occurrence would repeat it), in order of first use.
    entities: dict[str, list] = {}
    for kind, rows in mentions.items():
        seen = {}
        for m in rows:
            seen.setdefault(m.entity_id, m.entity)
        if seen:
            entities[kind] = list(seen.values())
    entity_ids = {kind: {e.pk for e in items} for kind, items in entities.items()}

    coverage = queries.other_coverage(article, entity_ids)
    # A near-copy shares nearly every entity, so it ranks at the top: only those are compared.
    checked = coverage[:NEAR_COPY_CANDIDATES]
    overlaps = queries.near_copy_overlaps(
        article.body, [c.article.body for c in checked], floor=NEAR_COPY_THRESHOLD
    )
    for item, overlap in zip(checked, overlaps, strict=True):
        item.overlap = overlap
    near_copies = sorted(
        (c for c in checked if c.overlap >= NEAR_COPY_THRESHOLD), key=lambda c: -c.overlap
    )
    compare_ids = [article.pk, *[c.article.pk for c in coverage[: COMPARE_MAX - 1]]]
    story = queries.story_summary(article)
    entity_groups = [
        (kind, KIND_LABELS[kind], entities[kind]) for kind in KIND_LABELS if kind in entities
    ]

    def to_json():
        data = article_summary(article, request, authors=authors)
        data.update(
            {
                "language": article.language,
                "body": article.body,
                "paragraphs": [p.text for p in split_paragraphs(article.body)],
                "ingested_at": iso(article.ingested_at),
                "mentions": [mention_data(m, request) for rows in mentions.values() for m in rows],
                "quotes": [quote_data(q, request) for q in quotes],
                "claims": [claim_data(c, request) for c in claims],
                "people": [entity_ref(e, request) for e in entities.get("person", [])],
                "organizations": [entity_ref(e, request) for e in entities.get("organization", [])],
                "places": [entity_ref(e, request) for e in entities.get("place", [])],
                "events": [entity_ref(e, request) for e in entities.get("event", [])],
                "cited_outlets": [entity_ref(e, request) for e in entities.get("outlet", [])],
                "other_coverage": [
                    {
                        **article_reference(c.article, request),
                        "shared_entities": c.score,
                        "overlap": round(c.overlap, 3) if c.overlap is not None else None,
                    }
                    for c in coverage
                ],
                "near_copies": [
                    {**article_reference(c.article, request), "overlap": round(c.overlap, 3)}
                    for c in near_copies
                ],
                "story": {
                    "id": story.id,
                    "name": story.name,
                    "url": request.build_absolute_uri(story.get_absolute_url()),
                    "articles": story.size,
                }
                if story
                else None,
                "compare_url": request.build_absolute_uri(compare_url(compare_ids))
                if len(compare_ids) > 1
                else None,
            }
        )
        return data

    return render_page(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "authors": authors,
            "paragraphs": paragraphs,
            "quotes": quotes,
            "claims": claims,
            "entity_groups": entity_groups,
            "coverage": coverage,
            "near_copies": near_copies,
            "story": story,
            "compare_url": compare_url(compare_ids) if len(compare_ids) > 1 else "",
        },
        to_json,
    )
