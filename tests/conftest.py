"""Fixtures shared by the whole suite: the real seed articles and the curated catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "fixtures" / "seeds"
CATALOGUE = ROOT / "fixtures" / "catalogue.json"


@pytest.fixture(autouse=True)
def _own_rate_counters(settings, tmp_path):
    """Each test counts requests against its limits from zero, in a file of its own."""
    settings.RATE_LIMIT_STORE = tmp_path / "ratelimit.sqlite3"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages render afresh in tests unless a test turns the page cache on (tests/test_cache.py):
    tests roll their writes back, and on SQLite the archive version with them, so a page cached
    by one test could match another test's version. Caches start empty for the same reason, and
    so do the per-article memos (articles.memo), kept under that version."""
    from django.core.cache import caches

    from articles import memo

    settings.PAGE_CACHE_SECONDS = 0
    for cache in caches.all():
        cache.clear()
    memo.clear_all()


@pytest.fixture
def seed_paths() -> list[Path]:
    """The five seed article files, in name order."""
    return sorted(SEEDS_DIR.glob("*.txt"))


def _load(paths, *, extract: bool) -> dict:
    from articles.models import Article

    if CATALOGUE.exists():
        call_command("import_catalogue", str(CATALOGUE), verbosity=0)
    args = [str(p) for p in paths] + ([] if extract else ["--no-extract"])
    call_command("load_articles", *args, verbosity=0)
    by_prefix = {}
    for article in Article.objects.all():
        by_prefix[Path(article.source_name).name[:3]] = article
    return by_prefix


@pytest.fixture
def seeded(db, seed_paths) -> dict:
    """The seed archive with the catalogue and extraction: articles keyed "000" … "004"."""
    return _load(seed_paths, extract=True)


@pytest.fixture
def seeded_plain(db, seed_paths) -> dict:
    """The seed archive loaded without extraction (faster; no mentions, quotes or claims)."""
    return _load(seed_paths, extract=False)


@pytest.fixture
def engine() -> str:
    """The database vendor under test: "sqlite" or "postgresql"."""
    from django.db import connection

    return connection.vendor


@pytest.fixture
def archive(db, seed_paths) -> dict:
    """The seed articles with hand-made entities, mentions, quotes and claims (tests/pages_data)."""
    from tests.pages_data import make_archive

    return make_archive(seed_paths)
