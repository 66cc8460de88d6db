"""Per-client request counters that every app-server process on the machine shares.

The rate limits (articles.middleware) used to count in Django's cache, which under ``make serve``
is a memory cache per gunicorn worker: with three workers a client got three times its limit, and
five failed sign-ins became fifteen. The counters now live in one small SQLite file
(``RATE_LIMIT_STORE``, default ``var/ratelimit.sqlite3``), apart from the archive's database so
that counting never waits for a loader holding the archive's write lock, and without a server.
Each count is one atomic upsert, so concurrent workers never lose an increment.

Behind a load balancer each machine keeps its own counts: the limit then applies per machine.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

from django.conf import settings

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counter ("
    " bucket TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
)
_CREATE_INDEX = "CREATE INDEX IF NOT EXISTS counter_expires ON counter (expires)"
# A bucket whose window ended starts again at 1 with a new window; otherwise it counts on.
_COUNT = (
    "INSERT INTO counter (bucket, count, expires) VALUES (?, 1, ?)"
    " ON CONFLICT (bucket) DO UPDATE SET"
    " count = CASE WHEN counter.expires <= ? THEN 1 ELSE counter.count + 1 END,"
    " expires = CASE WHEN counter.expires <= ? THEN excluded.expires ELSE counter.expires END"
    " RETURNING count"
)

_local = threading.local()


def store_path() -> Path:
    configured = getattr(settings, "RATE_LIMIT_STORE", None)
    return Path(configured or settings.BASE_DIR / "var" / "ratelimit.sqlite3")


def _connection() -> sqlite3.Connection:
    """This thread's connection to the store (reopened when the configured path changes)."""
    path = store_path()
    held = getattr(_local, "held", None)
    if held is not None and held[0] == path:
        return held[1]
    if held is not None:
        held[1].close()
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    # Counters need no durability across a power cut, only atomicity between processes.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute(_SCHEMA)
    connection.execute(_CREATE_INDEX)
    _local.held = (path, connection)
    return connection


def count(bucket: str, window: int) -> int:
    """Count one event in ``bucket``; return the events in its current ``window``-second window.

    A window starts at a bucket's first event and lasts ``window`` seconds.
    """
    now = time.time()
    connection = _connection()
    (counted,) = connection.execute(_COUNT, (bucket, now + window, now, now)).fetchone()
    if counted == 1:  # a new window: drop buckets whose windows are over (indexed, cheap)
        connection.execute("DELETE FROM counter WHERE expires <= ?", (now,))
    return counted


def current(bucket: str) -> int:
    """Events in ``bucket``'s current window, without counting one."""
    row = (
        _connection()
        .execute(
            "SELECT count FROM counter WHERE bucket = ? AND expires > ?", (bucket, time.time())
        )
        .fetchone()
    )
    return row[0] if row else 0


def forget(bucket: str) -> None:
    _connection().execute("DELETE FROM counter WHERE bucket = ?", (bucket,))


def reset_after_fork() -> None:
    """Drop the inherited connection in a forked child (SQLite connections must not cross a fork)."""
    _local.__dict__.pop("held", None)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=reset_after_fork)
