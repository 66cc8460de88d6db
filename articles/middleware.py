"""Cross-cutting request handling: a friendly 503 while the database is away, rate limits."""

from __future__ import annotations

import logging
import sqlite3

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from articles import ratelimit

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)


def unavailable_response() -> HttpResponse:
    """The page shown while the database cannot be reached: no database access needed to render."""
    html = render_to_string("503.html")
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """Turn "database unreachable" errors into a 503 page instead of a stack trace.

    Django's persistent connections are health-checked (CONN_HEALTH_CHECKS), so once the database
    is back the next request opens a new connection: the app recovers without a restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_DOWN:
            return unavailable_response()

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN) or _is_connection_error(exception):
            return unavailable_response()
        return None


def _is_connection_error(exception: BaseException) -> bool:
    cause = exception.__cause__ or exception.__context__
    return isinstance(exception, DatabaseError) and isinstance(cause, DATABASE_DOWN)


def client_address(request) -> str:
    """The client's address: the first X-Forwarded-For hop behind our own proxy, else the socket."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(bucket: str, limit: int, window: int) -> bool:
    """Count one request in ``bucket``; False once more than ``limit`` fell in its window.

    The counts are shared by every worker process (articles.ratelimit). If the counter store
    cannot be written (a full or read-only disk) the request is let through and the failure
    logged: a broken counter must not take the archive down.
    """
    try:
        return ratelimit.count(bucket, window) <= limit
    except sqlite3.Error:
        logger.exception("Rate-limit counters unavailable; %s not counted", bucket)
        return True


def too_many_requests(message: str, window: int) -> HttpResponse:
    html = render_to_string("429.html", {"message": message})
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(window)
    return response


class RateLimitMiddleware:
    """Per-client limits on the expensive endpoints (search, exports) and on failed admin logins.

    Limits come from settings.RATE_LIMITS: {"search": (requests, seconds), "login": (failures,
    seconds)}; a limit of 0 requests turns that rule off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limits = getattr(settings, "RATE_LIMITS", {})
        address = client_address(request)
        search_limit, search_window = limits.get("search", (0, 60))
        expensive = search_limit and _is_expensive(request)
        if expensive and not hit(f"search:{address}", search_limit, search_window):
            return too_many_requests(
                f"Too many searches from your address: at most {search_limit} every "
                f"{search_window} seconds. Please wait a moment and try again.",
                search_window,
            )
        login_limit, login_window = limits.get("login", (0, 900))
        signing_in = request.method == "POST" and request.path == _admin_login_path()
        if login_limit and signing_in and login_failures(address) >= login_limit:
            return too_many_requests(
                "Too many failed sign-in attempts from your address. "
                f"Try again in {login_window // 60} minutes.",
                login_window,
            )
        return self.get_response(request)


def _is_expensive(request) -> bool:
    fmt = request.GET.get("format", "").lower()
    return request.path.startswith("/search") or fmt in {"csv", "atom"}


def _admin_login_path() -> str:
    from django.urls import reverse

    return reverse("admin:login")


def login_failures(address: str) -> int:
    """Failed sign-ins from ``address`` in the current window."""
    try:
        return ratelimit.current(f"login-failures:{address}")
    except sqlite3.Error:
        logger.exception("Rate-limit counters unavailable; sign-in failures not read")
        return 0


def record_login_failure(address: str) -> None:
    _, window = getattr(settings, "RATE_LIMITS", {}).get("login", (0, 900))
    hit(f"login-failures:{address}", 0, window)


def clear_login_failures(address: str) -> None:
    try:
        ratelimit.forget(f"login-failures:{address}")
    except sqlite3.Error:
        logger.exception("Rate-limit counters unavailable; sign-in failures not cleared")
