"""The home page and article pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect

from articles.models import Article
from articles.serializers import article_summary, entity_ref, iso, page_data
from articles.text import split_paragraphs

from .base import paginate, render_page


def home(request):
    """The newest articles, paginated."""
    page = paginate(request, Article.objects.for_listing())
    return render_page(
        request,
        "articles/home.html",
        {"page": page, "articles": page.object_list},
        lambda: page_data(page, request, [article_summary(a, request) for a in page.object_list]),
    )


def article_redirect(request, pk: int):
    """/articles/<id>/ goes to the article's canonical URL."""
    return redirect(get_object_or_404(Article, pk=pk), permanent=True)


def article_detail(request, pk: int, slug: str):
    """One article: metadata and body in paragraphs."""
    article = get_object_or_404(
        Article.objects.select_related("outlet").prefetch_related("authors"), pk=pk
    )
    if slug != article.slug:
        return redirect(article, permanent=True)
    paragraphs = split_paragraphs(article.body)

    def to_json():
        data = article_summary(article, request)
        data.update(
            {
                "language": article.language,
                "body": article.body,
                "paragraphs": [p.text for p in paragraphs],
                "ingested_at": iso(article.ingested_at),
                "outlet": entity_ref(article.outlet, request),
            }
        )
        return data

    return render_page(
        request,
        "articles/article_detail.html",
        {"article": article, "paragraphs": paragraphs},
        to_json,
    )
