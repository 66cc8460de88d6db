"""Entity pages: people, outlets, organizations, places, events — an index and a page per entity.

Each page runs a fixed number of queries (see ``articles.queries``), whatever the number of rows.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from articles import queries
from articles.charts import TimelineItem, bar_chart, timeline
from articles.models import ENTITY_MODELS, Article, EntityRedirect
from articles.models.entities import name_key
from articles.serializers import entity_data, entity_ref, iso, page_data
from articles.serializers_pages import (
    article_reference,
    articles_data,
    claim_data,
    counted_ref,
    quote_data,
)
from articles.text import without_controls

from .articles import COMPARE_MAX, compare_url
from .base import paginate, render_page

URL_PREFIXES = {
    "person": "people",
    "outlet": "outlets",
    "organization": "organizations",
    "place": "places",
    "event": "events",
}
PLURALS = {
    "person": "People",
    "outlet": "Outlets",
    "organization": "Organizations",
    "place": "Places",
    "event": "Events",
}
SORTS = ("name", "articles")
# An event page lists at most this many articles (the newest).
COVERAGE_MAX = 100
# The kinds a page lists "most often mentioned with", in display order.
CO_KINDS = ("person", "organization", "place", "event")


def _model(kind: str):
    try:
        return ENTITY_MODELS[kind]
    except KeyError:
        raise Http404("No such kind of entity.") from None


def entity_list(request, kind):
    """Every entity of one kind with article counts; ?q= filters, ?sort=name|articles orders."""
    model = _model(kind)
    q = without_controls(request.GET.get("q", "")).strip()[:200]
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    rows = model.objects.all()
    if sort == "articles":
        rows = rows.annotate(article_count=queries.article_count_annotation(kind))
    if kind == "event":
        rows = rows.select_related("place")
    if q:
        # The keys are transliterated and punctuation-free: "kim jong un" finds "Kim Jong-un".
        match = Q(name__icontains=q)
        key = name_key(q)
        if key:
            match |= Q(key__contains=key) | Q(alias_keys__contains=key)
        rows = rows.filter(match)
    rows = (
        rows.order_by("-article_count", "name", "pk")
        if sort == "articles"
        else rows.order_by("name", "pk")
    )
    page = paginate(request, rows, per_page=50)
    if sort == "name":
        # Counted for the rows shown only: a count per row in the sorted query would make the
        # database count for every entity before it can sort by name.
        counts = queries.article_counts(kind, [e.pk for e in page.object_list])
        for entity in page.object_list:
            entity.article_count = counts.get(entity.pk, 0)

    def to_json():
        results = []
        for entity in page.object_list:
            item = entity_data(entity, request)
            item["article_count"] = entity.article_count
            results.append(item)
        return page_data(page, request, results)

    return render_page(
        request,
        "articles/entity_list.html",
        {
            "kind": kind,
            "title": PLURALS[kind],
            "page": page,
            "entities": page.object_list,
            "q": q,
            "sort": sort,
        },
        to_json,
    )


def _lookup(kind: str, slug: str):
    """The entity of ``kind`` at ``slug``, or the URL a merged entity's page moved to.

    Returns ``(entity, None)`` or ``(None, url)``; raises Http404 when neither exists.
    """
    model = _model(kind)
    rows = model.objects.select_related("place") if kind == "event" else model.objects
    entity = rows.filter(slug=slug).first()
    if entity is not None:
        return entity, None
    moved = EntityRedirect.objects.filter(kind=kind, old_slug=slug).values("target_id").first()
    if moved:
        target = model.objects.filter(pk=moved["target_id"]).values("slug").first()
        if target is not None:
            return None, reverse(f"articles:{kind}", kwargs={"slug": target["slug"]})
    raise Http404(f"No {kind} at this address.")


def entity_detail(request, kind, slug):
    """One entity's page; what it shows depends on the kind."""
    entity, moved_to = _lookup(kind, slug)
    if moved_to is not None:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(moved_to + query, permanent=True)
    if kind == "outlet":
        return _outlet_page(request, entity)
    if kind == "event":
        return _event_page(request, entity)
    return _subject_page(request, entity)


def _timeline_chart(entity, articles, *, total: int):
    """Articles per month; past ``queries.WINDOW`` articles, of the newest ones (and says so)."""
    months = queries.monthly_counts(articles)
    of = f" (the newest {queries.WINDOW:,} of {total:,} articles)" if total > queries.WINDOW else ""
    return months, bar_chart(
        [(m.month, m.count) for m in months],
        chart_id=f"{entity.kind}-timeline",
        title=f"Articles mentioning {entity.name} per month",
        description=f"How many articles mention {entity.name}, month by month{of}.",
    )


def _subject_page(request, entity):
    """A person, organization or place: who writes about it, where, with whom, and when."""
    kind = entity.kind
    page = paginate(request, queries.article_ids_newest_first(entity), per_page=20)
    page.object_list = queries.articles_by_ids(page.object_list)
    outlets = queries.outlets_covering(entity)
    spellings = queries.spellings_by_outlet(entity)
    co = {k: queries.co_mentions(entity, k) for k in CO_KINDS}
    quotes = queries.quotes_by(entity) if kind == "person" else []
    events_here = list(entity.events.order_by("date_start", "name")[:30]) if kind == "place" else []
    # Bounded like the lists beside it: a name in half the archive would otherwise make the
    # chart read half the archive's rows for their dates.
    months, chart = _timeline_chart(
        entity,
        Article.objects.filter(pk__in=queries.recent_article_ids(entity)),
        total=page.paginator.count,
    )

    def to_json():
        data = entity_data(entity, request)
        data.update(
            {
                **_paged_articles(request, page),
                "outlets": [counted_ref(o, request) for o in outlets],
                "spellings": [
                    {
                        "surface": s["surface"],
                        "count": s["count"],
                        "outlets": [counted_ref(o, request) for o in s["outlets"]],
                    }
                    for s in spellings
                ],
                **_counted_groups(request, co),
                "timeline": [{"month": iso(m.month), "count": m.count} for m in months],
                "summary_window": _window(page),
            }
        )
        if kind == "person":
            data["quotes"] = [quote_data(q, request, with_article=True) for q in quotes]
        if kind == "place":
            data["events_here"] = [entity_ref(e, request) for e in events_here]
        return data

    return render_page(
        request,
        f"articles/{kind}_detail.html",
        _paged_context(
            entity,
            page,
            chart,
            outlets=outlets,
            spellings=spellings,
            co_groups=_labelled_groups(co),
            quotes=quotes,
            events_here=events_here,
        ),
        to_json,
    )


def _outlet_page(request, outlet):
    """An outlet: its articles newest first, authors, what it covers, when, and whom it cites."""
    articles = queries.articles_about(outlet)
    page = paginate(request, articles, per_page=20)
    authors = queries.authors_of(outlet)
    top = {k: queries.most_mentioned(k, limit=8, outlet=outlet) for k in CO_KINDS}
    sources = queries.cited_sources(outlet)
    # An outlet's dates come from the (outlet, published_at) index: exact at any size.
    months, chart = _timeline_chart(outlet, articles, total=0)

    def to_json():
        data = entity_data(outlet, request)
        data.update(
            {
                **_paged_articles(request, page),
                "authors": [counted_ref(a, request) for a in authors],
                **_counted_groups(request, top),
                "sources": [counted_ref(s, request) for s in sources],
                "timeline": [{"month": iso(m.month), "count": m.count} for m in months],
            }
        )
        return data

    return render_page(
        request,
        "articles/outlet_detail.html",
        _paged_context(
            outlet, page, chart, authors=authors, top_groups=_labelled_groups(top), sources=sources
        ),
        to_json,
    )


def _event_page(request, event):
    """An event: when and where, all coverage by outlet, related events, the numbers stated."""
    ids = queries.article_ids_newest_first(event)
    coverage = queries.articles_by_ids(list(ids[:COVERAGE_MAX]))
    total = ids.count()
    groups = queries.by_outlet(coverage)
    related = queries.related_events(event)
    claim_groups = queries.group_claims(queries.claims_in(queries.recent_article_ids(event)))
    for group in claim_groups:
        if len(group.article_ids) > 1:
            group.compare_url = compare_url(group.article_ids[:COMPARE_MAX])
    co = {k: queries.co_mentions(event, k) for k in ("person", "organization", "place")}
    dated = [e for e in [event, *related] if e.date_start]
    chart = timeline(
        [
            TimelineItem(e.name, e.date_start, e.date_end, e.get_absolute_url(), e.pk == event.pk)
            for e in dated
        ],
        chart_id="event-timeline",
        title=f"{event.name} and related events",
        description=f"{event.name} on a timeline with {len(dated) - (1 if event.date_start else 0)} related dated events.",
    )
    # One article per outlet first, so the comparison shows different voices.
    picked, seen = [], set()
    for article in coverage:
        if article.outlet_id not in seen:
            picked.append(article.pk)
            seen.add(article.outlet_id)
    picked += [a.pk for a in coverage if a.pk not in picked]
    compare_ids = picked[:COMPARE_MAX]
    compare = compare_url(compare_ids) if len(compare_ids) > 1 else ""

    def to_json():
        data = entity_data(event, request)
        data.update(
            {
                "place": entity_ref(event.place, request),
                "article_count": total,
                "articles": articles_data(coverage, request),
                "outlets": [
                    {
                        "outlet": entity_ref(outlet, request),
                        "articles": [article_reference(a, request) for a in items],
                    }
                    for outlet, items in groups
                ],
                "related_events": [
                    {
                        **entity_ref(e, request),
                        "date_start": iso(e.date_start),
                        "date_end": iso(e.date_end),
                    }
                    for e in related
                ],
                "claims": [
                    {
                        "quantity": g.quantity,
                        "subject": g.subject,
                        "agree": g.agree,
                        "claims": [claim_data(c, request, with_article=True) for c in g.claims],
                        "compare_url": request.build_absolute_uri(g.compare_url)
                        if g.compare_url
                        else None,
                    }
                    for g in claim_groups
                ],
                **_counted_groups(request, co),
                "compare_url": request.build_absolute_uri(compare) if compare else None,
            }
        )
        return data

    return render_page(
        request,
        "articles/event_detail.html",
        {
            "entity": event,
            "kind": "event",
            "coverage": coverage,
            "total": total,
            "groups": groups,
            "related": related,
            "claim_groups": claim_groups,
            "co_groups": _labelled_groups(co),
            "chart": chart,
            "compare_url": compare,
            "compare_ids": compare_ids,
        },
        to_json,
    )


def _paged_context(entity, page, chart, **extra) -> dict:
    """The template context of a page listing an entity's articles a page at a time."""
    return {
        "entity": entity,
        "kind": entity.kind,
        "page": page,
        "articles": page.object_list,
        "chart": chart,
        "window": _window(page),
        **extra,
    }


def _labelled_groups(groups: dict) -> list[tuple]:
    """Entity lists keyed by kind as the templates show them: (kind, label, rows), none empty."""
    return [(k, PLURALS[k], rows) for k, rows in groups.items() if rows]


def _paged_articles(request, page) -> dict:
    """A paginated article list as JSON: the total, this page's summaries, the page links."""
    return {
        "article_count": page.paginator.count,
        "articles": articles_data(page.object_list, request),
        "next": _page_link(request, page, "next"),
        "previous": _page_link(request, page, "previous"),
    }


def _counted_groups(request, groups: dict) -> dict:
    """Counted entity lists keyed by kind, as JSON under their plural names ("people"…)."""
    return {
        PLURALS[k].lower(): [counted_ref(e, request) for e in rows] for k, rows in groups.items()
    }


def _window(page) -> int | None:
    """``queries.WINDOW`` when the list is longer than it (summaries then cover the newest)."""
    return queries.WINDOW if page.paginator.count > queries.WINDOW else None


def _page_link(request, page, which: str):
    """The absolute URL of the next or previous page of a paginated list, or None."""
    has = page.has_next() if which == "next" else page.has_previous()
    if not has:
        return None
    number = page.next_page_number() if which == "next" else page.previous_page_number()
    params = request.GET.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
