"""The search page: HTML, and the same results as JSON, CSV and an Atom feed."""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags

from articles.filters import ArticleFilter
from articles.models import Article
from articles.search import FACET_SAMPLE, SORTS, search_articles
from articles.serializers import absolute, article_summary, entity_ref, iso, page_data
from articles.stories import stories_for
from articles.text import without_controls

from .base import render_page, wants

FACET_PARAMS = ("outlet", "person", "organization", "place", "event", "year")
FACET_TITLES = {
    "outlet": "Outlet",
    "person": "People",
    "organization": "Organizations",
    "place": "Places",
    "event": "Events",
    "year": "Year",
}
CSV_ROWS = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def search(request):
    """Search the archive: ``?q=`` with filters, ``sort``, ``alias=0`` and ``page``."""
    query = request.GET.get("q", "")
    filterset = ArticleFilter(request.GET, queryset=Article.objects.all())
    sort = request.GET.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    alias = request.GET.get("alias") != "0"
    results = search_articles(query, queryset=filterset.qs, sort=sort, alias=alias)
    per_page = settings.NEWSARCHIVE.get("PAGE_SIZE", 20)
    if wants(request, "csv"):
        # A spreadsheet wants the rows, not a screenful: up to CSV_ROWS per file (``page`` pages).
        per_page = CSV_ROWS
    page = results.page(
        request.GET.get("page") or 1, per_page=per_page, with_authors=wants(request, "json")
    )
    notes = list(results.notes)
    if filterset.form.errors:
        notes.append("Some filters had values that could not be read and were ignored.")

    if wants(request, "csv"):
        return _csv(page.object_list, query)
    if wants(request, "atom"):
        return _atom(request, page.object_list, query)

    facets = _facet_groups(request, results.facets, filterset.active)
    stories = stories_for([hit.article.pk for hit in page.object_list])
    context = {
        "query": query,
        "results": results,
        "page": page,
        "hits": page.object_list,
        "groups": group_by_story([_hit_view(h) for h in page.object_list], stories),
        "total": results.total,
        "capped": results.capped,
        "sort": results.sort,
        "sorts": SORTS,
        "alias": alias,
        "notes": notes,
        "entities": results.entities,
        "suggestion": results.suggestion,
        "facet_groups": facets,
        "facets_capped": results.facets_capped,
        "facet_sample": FACET_SAMPLE,
        "active_filters": filterset.active,
        "filter_form": filterset.form,
    }

    def to_json():
        data = page_data(page, request, [_hit_data(h, request, stories) for h in page.object_list])
        data["count"] = results.total
        data["count_capped"] = results.capped
        data["facets"] = {
            group["param"]: [
                {"value": o["value"], "label": o["label"], "count": o["count"]}
                for o in group["options"]
            ]
            for group in facets
        }
        data["suggestion"] = results.suggestion
        data["notes"] = notes
        data["entities"] = [entity_ref(m.entity, request) for m in results.entities]
        data["query"] = {"q": query, "sort": context["sort"], "alias": alias}
        return data

    return render_page(request, "articles/search.html", context, to_json)


@dataclass
class StoryGroup:
    """Hits of one page that belong to one story: the best-ranked leads, the others fold away."""

    lead: object
    others: list = field(default_factory=list)
    story_id: int | None = None
    story_size: int = 1

    @property
    def more_in_story(self) -> int:
        """Articles of the story not shown in this group."""
        return max(self.story_size - 1 - len(self.others), 0)


def _hit_view(hit) -> dict:
    """What a result shows, as plain values: the template then only looks up dictionary keys,
    several times cheaper per value than resolving attributes and methods of model instances."""
    article, outlet = hit.article, hit.article.outlet
    return {
        "pk": article.pk,
        "title": article.title,
        "url": article.get_absolute_url(),
        "outlet": {"name": outlet.name, "url": outlet.get_absolute_url()} if outlet else None,
        "published": article.published_at,
        "snippet": hit.snippet,
        "via_alias": hit.via_alias,
        "entities": [{"name": e.name, "url": e.get_absolute_url()} for e in hit.entities[:8]],
    }


def group_by_story(hits: list[dict], stories: dict[int, tuple[int, int]]) -> list[StoryGroup]:
    """Group a page's hits by story, in the order of each story's best hit."""
    groups: list[StoryGroup] = []
    by_story: dict[int, StoryGroup] = {}
    for hit in hits:
        story_id, size = stories.get(hit["pk"], (None, 1))
        if story_id is not None and story_id in by_story:
            by_story[story_id].others.append(hit)
            continue
        group = StoryGroup(lead=hit, story_id=story_id, story_size=size)
        groups.append(group)
        if story_id is not None:
            by_story[story_id] = group
    return groups


def _hit_data(hit, request, stories) -> dict:
    data = article_summary(hit.article, request)
    story_id, size = stories.get(hit.article.pk, (None, 1))
    data["story"] = (
        {
            "id": story_id,
            "url": absolute(request, reverse("articles:story", kwargs={"pk": story_id})),
            "articles": size,
        }
        if story_id
        else None
    )
    data["snippet"] = str(hit.snippet)
    data["matched_via_alias"] = hit.via_alias
    data["entities"] = [entity_ref(e, request) for e in hit.entities]
    return data


def _facet_groups(request, facets: dict, active: dict) -> list[dict]:
    """Facets for the template: each option with the query string that selects it."""
    groups = []
    for param in FACET_PARAMS:
        options = facets.get(param, [])
        current = request.GET.get(param, "") if param in active else ""
        if not options and not current:
            continue
        without = request.GET.copy()
        without.pop("page", None)
        without.pop("format", None)
        without.pop(param, None)
        # Links built here, once per option: a template tag per option cost more than the counts.
        rest = without.urlencode()
        for option in options:
            value = urlencode({param: option["value"]})
            option["href"] = f"?{rest}&{value}" if rest else f"?{value}"
            option["selected"] = str(option["value"]) == current
        groups.append(
            {
                "param": param,
                "title": FACET_TITLES[param],
                "options": options,
                "current": current,
                "clear": f"?{rest}",
            }
        )
    return groups


def plain(snippet) -> str:
    """A snippet as plain text: marks removed, entities decoded."""
    return html.unescape(strip_tags(str(snippet)))


def neutralise(value) -> str:
    """A CSV cell that spreadsheets will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(hits, query: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="search.csv"'
    writer = csv.writer(response)
    writer.writerow(["id", "published_at", "outlet", "title", "url", "snippet", "via_alias"])
    for hit in hits:
        article = hit.article
        row = [
            article.pk,
            iso(article.published_at) or "",
            article.outlet.name if article.outlet else "",
            article.title,
            article.url,
            plain(hit.snippet),
            hit.via_alias or "",
        ]
        writer.writerow([neutralise(cell) for cell in row])
    return response


def _atom(request, hits, query: str) -> HttpResponse:
    params = request.GET.copy()
    params.pop("format", None)
    params.pop("page", None)
    link = absolute(request, f"{request.path}?{params.urlencode()}")
    feed = Atom1Feed(
        title=f"newsarchive search: {query}" if query.strip() else "newsarchive: newest articles",
        link=link,
        description=f"Articles matching {query!r}",
        feed_url=absolute(request, request.get_full_path()),
        language="en",
    )
    for hit in hits:
        article = hit.article
        url = absolute(request, article.get_absolute_url())
        feed.add_item(
            # XML 1.0 cannot carry control characters; rows stored before the loader removed
            # them must not break the whole feed.
            title=without_controls(article.title),
            link=url,
            # The summary is type="html": the escaped snippet with its <mark> highlights, never
            # the article's own text as markup.
            description=without_controls(str(hit.snippet)),
            unique_id=url,
            pubdate=article.published_at,
            updateddate=article.published_at,
            author_name=article.outlet.name if article.outlet else None,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
