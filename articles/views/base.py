"""One way to answer a page: HTML from a template, or its ``?format=json`` twin from the same data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def wants(request: HttpRequest, fmt: str) -> bool:
    """Whether the request asks for ``fmt`` through ``?format=``."""
    return request.GET.get("format", "").lower() == fmt


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    to_json: Callable[[], dict[str, Any]],
    *,
    status: int = 200,
) -> HttpResponse:
    """Render ``template`` with ``context``, or ``to_json()`` as JSON when ``?format=json``."""
    if wants(request, "json"):
        return JsonResponse(
            to_json(), status=status, json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
    return render(request, template, context, status=status)


def paginate(request: HttpRequest, items, per_page: int = 20):
    """The requested page of ``items``; out-of-range or junk page numbers give the nearest page."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
