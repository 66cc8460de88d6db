"""Template context every page gets: the addresses of the archive's fixed pages.

The site header alone links eight of them, and ``{% url %}`` resolves each one anew on every
render (measured: 70 µs a tag here, half a millisecond a page). They only change with the script
prefix the site is mounted under, so they are worked out once per prefix.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse

from .views.entities import URL_PREFIXES

FIXED_PAGES = ("home", "search", "compare", "stories", *(f"{kind}-list" for kind in URL_PREFIXES))


@lru_cache(maxsize=8)
def _links(prefix: str) -> dict[str, str]:
    return {name.replace("-", "_"): reverse(f"articles:{name}") for name in FIXED_PAGES}


def site_links(request) -> dict:
    """``links.home``, ``links.search``, ``links.person_list`` …: the fixed pages' addresses."""
    return {"links": _links(get_script_prefix())}
