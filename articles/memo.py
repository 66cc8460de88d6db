"""Rows a page reads per article, kept in the process while the archive is unchanged.

Readers keep coming back to the same articles: the ones in the news are in the results of search
after search and are compared with the rest of their coverage again and again. What a page reads
about one article (its row, its mentions, what a comparison prepares from its text) is the same
every time until something in the archive is written, so each process keeps the last few hundred
or thousand of them.

Entries are keyed on the archive version (``articles.cache.archive_version``), which the database
raises on every write to anything a page shows: after an article is edited, its extraction re-run
or an entity merged, every key changes and nothing kept before is used again. On PostgreSQL the
version is a sequence, raised when a writing statement runs, so a reader may see the new number a
moment before that transaction commits and keep the older rows under it; as for the page cache,
an entry is therefore used for ``MEMO_SECONDS`` at most (300). Kept rows are only read, never
changed or saved. Each memo's size is a ``NEWSARCHIVE`` setting (0 turns it off).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from django.conf import settings
from django.db import connection

from articles.cache import archive_version

T = TypeVar("T")
_memos: list[VersionedMemo] = []


class VersionedMemo(Generic[T]):
    """The entries read last, by (database, archive version, article id), least recent dropped."""

    def __init__(self, setting: str, default: int) -> None:
        self.setting, self.default = setting, default
        self._items: OrderedDict[tuple, tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()
        _memos.append(self)

    @property
    def size(self) -> int:
        return int(settings.NEWSARCHIVE.get(self.setting, self.default))

    def get_many(self, ids: list[int], read: Callable[[list[int]], dict[int, T]]) -> dict[int, T]:
        """The entries of ``ids``: kept ones from the memo, the others from ``read(missing)``
        (which may leave out ids it does not find), kept for next time."""
        size = self.size
        version = archive_version() if size else None
        if version is None:
            return read(ids)
        database = connection.settings_dict["NAME"]
        now = time.monotonic()
        fresh = now - settings.NEWSARCHIVE.get("MEMO_SECONDS", 300)
        found: dict[int, T] = {}
        with self._lock:
            for pk in ids:
                kept = self._items.get((database, version, pk))
                if kept is not None and kept[0] >= fresh:
                    self._items.move_to_end((database, version, pk))
                    found[pk] = kept[1]
        missing = [pk for pk in ids if pk not in found]
        if missing:
            read_now = read(missing)
            with self._lock:
                for pk, item in read_now.items():
                    self._items[(database, version, pk)] = (now, item)
                    self._items.move_to_end((database, version, pk))
                while len(self._items) > size:
                    self._items.popitem(last=False)
            found.update(read_now)
        return found

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def clear_all() -> None:
    """Empty every memo (tests, whose rolled-back writes can bring a version number back)."""
    for memo in _memos:
        memo.clear()
