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
"""

from __future__ import annotations

import contextlib
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, ProgrammingError, connection, transaction

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


class PageCacheMiddleware:
    """Serve a reader's GET from the page cache when the archive has not changed since."""

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
        cached = store.get(key)
        if cached is not None:
            cached[CACHE_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(response):
            response[CACHE_HEADER] = "miss"
            store.set(key, response, timeout=seconds)
        return response
