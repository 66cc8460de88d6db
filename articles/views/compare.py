"""/compare/?ids=1,2,3 — 2 to 6 articles side by side, with its JSON twin and a CSV of the facts."""

from __future__ import annotations

import csv

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from articles.compare import CompareError, build_comparison, load_articles, parse_ids
from articles.compare.export import comparison_data, facts_csv_rows
from articles.compare.page import page_context

from .base import render_page, wants


def _error(request, message: str):
    if wants(request, "json") or wants(request, "csv"):
        return JsonResponse({"error": message}, status=400)
    return render(
        request,
        "articles/compare.html",
        {"error": message, "ids_value": ",".join(request.GET.getlist("ids"))[:200]},
        status=400,
    )


def compare(request):
    """Compare the articles named by ``?ids=`` (comma-separated, or repeated)."""
    try:
        comparison = build_comparison(load_articles(parse_ids(request.GET.getlist("ids"))))
    except CompareError as error:
        return _error(request, str(error))
    articles = comparison.articles
    if wants(request, "csv"):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        ids = "-".join(str(a.pk) for a in articles)
        response["Content-Disposition"] = f'attachment; filename="facts-{ids}.csv"'
        csv.writer(response).writerows(facts_csv_rows(comparison, request))
        return response
    context = page_context(comparison)
    context["ids_value"] = ",".join(str(a.pk) for a in articles)
    return render_page(
        request,
        "articles/compare.html",
        context,
        lambda: comparison_data(comparison, request),
    )
