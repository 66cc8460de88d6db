"""Placeholder until story pages land."""

from django.http import Http404


def story_list(request):
    raise Http404("Not built yet.")


def story_detail(request, pk):
    raise Http404("Not built yet.")
