"""What storing an article will change about what its file says, in words, before it is stored.

The pipeline keeps a title to the length its column holds and stores no URL a page could not
safely link to (:func:`articles.ingest.pipeline.safe_url`). The article is still stored; these
checks apply the same rules so the loader can tell the user, file by file, instead of cutting
silently.
"""

from __future__ import annotations

import re

from articles.models import Article
from articles.text import without_controls

from .pipeline import safe_url
from .types import RawArticle

_SPACE = re.compile(r"\s+")


def _shown(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def storage_warnings(raw: RawArticle) -> list[str]:
    """What storing ``raw`` will shorten or drop: an over-long title, a URL that is not kept."""
    warnings = []
    title = _SPACE.sub(" ", without_controls(raw.title)).strip()
    title_limit = Article._meta.get_field("title").max_length
    if len(title) > title_limit:
        warnings.append(
            f"title shortened to its first {title_limit:,} characters (it has {len(title):,}): "
            f"{_shown(title)}"
        )
    url = (raw.url or "").strip()
    if url and not safe_url(url):
        url_limit = Article._meta.get_field("url").max_length
        stored = "https://" + url if url.lower().startswith("www.") else url  # as safe_url would
        if len(stored) > url_limit:
            why = f"it is {len(stored):,} characters, over the limit of {url_limit:,}"
        else:
            why = f"{_shown(url)} is not an http(s) address a page can link to"
        warnings.append(f"URL dropped from {_shown(title)}: {why}")
    return warnings
