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
from articles.models import ENTITY_MODELS, EntityRedirect, Quote
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
# An event page lists at most this many articles (the newest); its people, places, numbers and
# related events are those of the articles it lists.
COVERAGE_MAX = queries.EVENT_WINDOW
# The kinds a page lists "most often mentioned with", in display order.
CO_KINDS = ("person", "organization", "place", "event")
# A person's page shows this many of their newest quotes and links to the rest.
QUOTES_SHOWN = 20
QUOTES_PER_PAGE = 50
# The sidebar lists at most this many outlets and spellings, and outlets per spelling (the JSON
# twin has them all): a name covered everywhere would otherwise list hundreds.
OUTLETS_SHOWN = 15
SPELLINGS_SHOWN = 10
OUTLETS_PER_SPELLING = 8
# What each page counts over the newest articles about its entity (one query per page).
CO_PARTS = {
    kind: tuple(queries.mention_part(k, 10, exclude=k == kind) for k in CO_KINDS)
    for kind in ("person", "organization", "place")
}
EVENT_PARTS = tuple(queries.mention_part(k, 10) for k in ("person", "organization", "place"))
OUTLET_PARTS = (
    queries.authors_part(20),
    *(queries.mention_part(k, 8) for k in CO_KINDS),
    queries.mention_part("outlet", 20, name="sources"),
)


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
    # The totals are read from the table the database keeps (or, for outlets, counted on an
    # index): sorting by them costs a lookup per row, not a count per row.
    rows = model.objects.annotate(article_count=queries.article_total(kind))
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

    Returns ``(entity, None)`` or ``(None, url)``; raises Http404 when neither exists. The entity
    carries ``article_count``; an event, its place.
    """
    model = _model(kind)
    entity = queries.entity_by_slug(kind, slug)
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


def _timeline_chart(entity, months, *, total: int):
    """Articles per month; past ``queries.WINDOW`` articles, of the newest ones (and says so)."""
    of = f" (the newest {queries.WINDOW:,} of {total:,} articles)" if total > queries.WINDOW else ""
    return bar_chart(
        [(m.month, m.count) for m in months],
        chart_id=f"{entity.kind}-timeline",
        title=f"Articles mentioning {entity.name} per month",
        description=f"How many articles mention {entity.name}, month by month{of}.",
    )


def _subject_page(request, entity):
    """A person, organization or place: who writes about it, where, with whom, and when."""
    kind = entity.kind
    page = paginate(request, queries.articles_mentioning(entity), per_page=20)
    # Bounded like the lists beside it: a name in half the archive would otherwise make the
    # summaries read half the archive's rows.
    summary = queries.subject_summary(entity)
    outlets, spellings, months = summary["outlets"], summary["spellings"], summary["months"]
    co = queries.counted_lists(
        queries.subject_window(kind), [entity.pk], CO_PARTS[kind], entity_id=entity.pk
    )
    quotes, more_quotes = [], False
    if kind == "person":
        quotes = queries.quotes_by(entity, limit=QUOTES_SHOWN + 1)
        more_quotes = len(quotes) > QUOTES_SHOWN
        quotes = quotes[:QUOTES_SHOWN]
    quotes_url = (
        reverse("articles:person-quotes", kwargs={"slug": entity.slug}) if more_quotes else ""
    )
    events_here = queries.events_at(entity) if kind == "place" else []
    chart = _timeline_chart(entity, months, total=page.paginator.count)

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
            data["more_quotes"] = request.build_absolute_uri(quotes_url) if quotes_url else None
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
            outlets_shown=outlets[:OUTLETS_SHOWN],
            outlets_more=max(len(outlets) - OUTLETS_SHOWN, 0),
            spellings=spellings,
            spellings_shown=[
                {
                    **s,
                    "outlets": s["outlets"][:OUTLETS_PER_SPELLING],
                    "more": max(len(s["outlets"]) - OUTLETS_PER_SPELLING, 0),
                }
                for s in spellings[:SPELLINGS_SHOWN]
            ],
            spellings_more=max(len(spellings) - SPELLINGS_SHOWN, 0),
            co_groups=_labelled_groups(co),
            quotes=quotes,
            quotes_url=quotes_url,
            events_here=events_here,
        ),
        to_json,
    )


def _outlet_page(request, outlet):
    """An outlet: its articles newest first, authors, what it covers, when, and whom it cites."""
    page = paginate(request, queries.articles_published(outlet), per_page=20)
    lists = queries.counted_lists(queries.outlet_window(), [outlet.pk], OUTLET_PARTS)
    authors, sources = lists["authors"], lists["sources"]
    top = {k: lists[k] for k in CO_KINDS}
    # An outlet's dates come from the (outlet, published_at) index: exact at any size.
    months = queries.outlet_months(outlet)
    chart = _timeline_chart(outlet, months, total=0)

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
    coverage = queries.articles_mentioning(event)[0:COVERAGE_MAX]
    total = event.article_count
    groups = queries.by_outlet(coverage)
    related = queries.related_events(event)
    claim_groups = queries.group_claims(queries.event_claims(event))
    for group in claim_groups:
        if len(group.article_ids) > 1:
            group.compare_url = compare_url(group.article_ids[:COMPARE_MAX])
    co = queries.counted_lists(
        queries.subject_window("event", COVERAGE_MAX), [event.pk], EVENT_PARTS
    )
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


def person_quotes(request, slug):
    """Every quote attributed to a person, newest stored article first, 50 a page."""
    person, moved_to = _lookup("person", slug)
    if moved_to is not None:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(f"{moved_to}quotes/{query}", permanent=True)
    total = Quote.objects.filter(speaker_id=person.pk).count()
    quotes = queries.Paged(total, lambda **window: queries.quotes_by(person, **window))
    page = paginate(request, quotes, per_page=QUOTES_PER_PAGE)

    def to_json():
        data = page_data(
            page, request, [quote_data(q, request, with_article=True) for q in page.object_list]
        )
        data["person"] = entity_ref(person, request)
        return data

    return render_page(
        request,
        "articles/person_quotes.html",
        {"entity": person, "kind": "person", "page": page, "quotes": page.object_list},
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
