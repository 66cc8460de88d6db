"""Whole pages cached for readers, keyed on the archive version (migration 0009).

The archive version is a number the database itself raises whenever anything a page shows is
written: an article, an entity, a mention, a quote, a claim, a story. A cached page is stored under
the version it was rendered at, so the first request after any change renders afresh; nothing has
to remember to clear the cache. ``PAGE_CACHE_SECONDS`` bounds how long an entry lives, which also
bounds the one window where a page could be stale: on PostgreSQL the version is a sequence, raised
when a writing statement runs, so a reader may see the new number a moment before that
transaction commits and store the older page under it.

Only what every reader sees alike is cached: GET requests without a session (curators signed in
to the admin always see pages rendered for them), answered 200, setting no cookie.

The same key is the page's ``ETag``, with the release (a digest of the code and templates) in it:
a reader's browser or a feed reader polling a saved search sends it back in ``If-None-Match`` and
is answered ``304 Not Modified``, without rendering, until the archive or the code changes.
``Cache-Control: no-cache`` asks every cache on the way to check back like that before reusing
a page.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, ProgrammingError, connection, transaction
from django.utils.cache import get_conditional_response, patch_cache_control

from articles.middleware import DATABASE_DOWN, unavailable_response

VERSION_SQL = "SELECT n FROM articles_archive_version"
CACHE_HEADER = "X-Page-Cache"


def archive_version() -> int | None:
    """The current archive version (one read of one row); None before migration 0009 ran.

    An unreachable database raises, as any query would.
    """
    # Inside a transaction a failed read must not abort it: a savepoint. Outside, no transaction
    # at all (on SQLite one would take the write lock: this runs for every page).
    guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with guard, connection.cursor() as cursor:
            cursor.execute(VERSION_SQL)
            return int(cursor.fetchone()[0])
    except ProgrammingError:  # PostgreSQL: no such relation
        return None
    except OperationalError as error:
        if "no such table" in str(error):  # SQLite
            return None
        raise


def _cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith("/admin")
    )


def _cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def page_key(request, version: int) -> str:
    """The cache key of a page: the version, and everything the page's content depends on."""
    # JSON twins and feeds carry absolute URLs, so scheme and host are part of the key.
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.blake2b(where.encode("utf-8", "surrogateescape"), digest_size=16)
    return f"page:{version}:{digest.hexdigest()}"


@lru_cache(maxsize=1)
def release() -> str:
    """A digest of the code and templates pages are rendered from (the same in every worker).

    Part of every ETag, so that a deploy changing a template never answers "not modified" for a
    page rendered by the old one. Read once per process from file names, sizes and times.
    """
    digest = hashlib.blake2b(digest_size=6)
    root = Path(settings.BASE_DIR)
    for folder in ("articles", "templates", "newsarchive"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".xml", ".json"} and path.is_file():
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode()
                )
    return digest.hexdigest()


def page_etag(key: str) -> str:
    return f'"{release()}-{key.split(":", 1)[1].replace(":", "-")}"'


def _with_validators(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True)
    return response


class PageCacheMiddleware:
    """Serve a reader's GET from the page cache when the archive has not changed since.

    A reader who already holds the current page (``If-None-Match`` with its ETag) gets a 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        try:
            version = archive_version()
        except (
            DATABASE_DOWN
        ):  # answered here: an exception leaving a middleware is logged as a crash
            return unavailable_response()
        if version is None:
            return self.get_response(request)
        store = caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]
        key = page_key(request, version)
        etag = page_etag(key)
        if request.META.get("HTTP_IF_NONE_MATCH"):
            # Only a page answered 200 earlier carried this ETag, so the reader holds it already.
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return _with_validators(not_modified, etag)
        cached = store.get(key)
        if cached is not None:
            cached[CACHE_HEADER] = "hit"
            return _with_validators(cached, etag)
        response = self.get_response(request)
        if _cacheable_response(response):
            response[CACHE_HEADER] = "miss"
            _with_validators(response, etag)
            store.set(key, response, timeout=seconds)
        return response
