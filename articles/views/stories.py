"""/stories/ and /stories/<id>/: articles grouped by the happening they cover."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from articles.models import Story
from articles.serializers import absolute, article_summary, entity_ref, iso, page_data
from articles.stories.queries import outlets_by_story, story_coverage, story_listing
from articles.stories.redirects import successor_of

from .base import paginate, render_page

PER_PAGE = 20


def _min_articles(request) -> int:
    """``?min=N``: list stories with at least N articles (default 2; 1 shows every story)."""
    try:
        return max(1, min(1000, int(request.GET.get("min", 2))))
    except ValueError:
        return 2


def _compare_url(ids: list[int]) -> str | None:
    if len(ids) < 2:
        return None
    return f"{reverse('articles:compare')}?ids={','.join(str(i) for i in ids)}"


def story_ref(story: Story, request=None) -> dict:
    """A story as a list item: id, page URL, name, status, date range."""
    return {
        "id": story.pk,
        "url": absolute(request, story.get_absolute_url()),
        "name": story.name,
        "status": story.status,
        "date_start": iso(story.date_start),
        "date_end": iso(story.date_end),
        "event": entity_ref(story.event, request),
    }


def story_list(request):
    """Stories newest first: name, date range, outlets, number of articles."""
    min_articles = _min_articles(request)
    page = paginate(request, story_listing(min_articles), PER_PAGE)
    stories = list(page.object_list)
    outlets = outlets_by_story(s.pk for s in stories)
    for story in stories:
        story.outlets = outlets.get(story.pk, [])

    def to_json():
        return page_data(
            page,
            request,
            [
                {
                    **story_ref(s, request),
                    "article_count": s.article_count,
                    "outlets": [entity_ref(o, request) for o in s.outlets],
                }
                for s in stories
            ],
        )

    context = {"page": page, "stories": stories, "min_articles": min_articles}
    return render_page(request, "articles/story_list.html", context, to_json)


def story_gone(request, pk):
    """A story merged or regrouped away: a permanent redirect to the story that took its
    articles (keeping the query, so ``?format=json`` stays), else a 404 that says so."""
    successor, name = successor_of(pk)
    if successor is not None:
        query = request.META.get("QUERY_STRING", "")
        return redirect(
            successor.get_absolute_url() + (f"?{query}" if query else ""), permanent=True
        )
    search_url = reverse("articles:search") + (f"?{urlencode({'q': name})}" if name else "")

    def to_json():
        return {
            "id": pk,
            "detail": f"Story {pk} no longer exists.",
            "name": name or None,
            "search_url": absolute(request, search_url),
        }

    context = {"story_id": pk, "name": name, "search_url": search_url}
    return render_page(request, "articles/story_gone.html", context, to_json, status=404)


def story_detail(request, pk):
    """One story: coverage by outlet in time order, who was first, shared entities, compare."""
    story = Story.objects.select_related("event").filter(pk=pk).first()
    if story is None:
        return story_gone(request, pk)
    coverage = story_coverage(story)
    compare_url = _compare_url(coverage.compare_ids)

    def summary(article):
        return {
            **article_summary(article, request),
            "score": article.membership.score,
            "pinned": article.membership.pinned,
        }

    def to_json():
        return {
            **story_ref(story, request),
            "name_locked": story.name_locked,
            "article_count": len(coverage.articles),
            "outlets": [entity_ref(o, request) for o, _ in coverage.by_outlet if o is not None],
            "first": summary(coverage.first) if coverage.first else None,
            "coverage": [
                {"outlet": entity_ref(o, request), "articles": [a.pk for a in items]}
                for o, items in coverage.by_outlet
            ],
            "shared_entities": [
                {**entity_ref(e, request), "articles": n} for e, n in coverage.shared
            ],
            "compare_url": absolute(request, compare_url) if compare_url else None,
            "articles": [summary(a) for a in coverage.articles],
        }

    context = {"story": story, "coverage": coverage, "compare_url": compare_url}
    return render_page(request, "articles/story_detail.html", context, to_json)
