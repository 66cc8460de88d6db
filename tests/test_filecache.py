"""The shared page-cache folder stays bounded while no longer listing itself on every write."""

from __future__ import annotations

from pathlib import Path

from articles.filecache import CULL_EVERY, SharedFolderCache


def test_folder_is_culled_back_and_keeps_serving_pages(tmp_path: Path):
    cache = SharedFolderCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 300, "CULL_FREQUENCY": 3}})
    largest = 0
    for i in range(1200):
        cache.set(f"page-{i}", f"<p>page {i}</p>", 60)
        largest = max(largest, len(list(tmp_path.glob("*.djcache"))))
    # Never more than the bound plus the writes between two checks, and culled back each time.
    assert largest <= 300 + CULL_EVERY
    assert len(list(tmp_path.glob("*.djcache"))) <= 300 + CULL_EVERY
    cache.set("front", "<p>front page</p>", 60)
    assert cache.get("front") == "<p>front page</p>"


def test_make_serve_cache_url_uses_the_shared_folder_cache(settings):
    from newsarchive.settings import cache_from_url

    entry = cache_from_url("file://var/cache/pages")
    assert entry["BACKEND"] == "articles.filecache.SharedFolderCache"
    assert entry["LOCATION"].endswith("var/cache/pages")
