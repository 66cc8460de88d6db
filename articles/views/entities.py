"""Entity pages: people, outlets, organizations, places, events."""

from django.http import Http404

URL_PREFIXES = {
    "person": "people",
    "outlet": "outlets",
    "organization": "organizations",
    "place": "places",
    "event": "events",
}


def entity_list(request, kind):
    raise Http404("Entity pages are not built yet.")


def entity_detail(request, kind, slug):
    raise Http404("Entity pages are not built yet.")
