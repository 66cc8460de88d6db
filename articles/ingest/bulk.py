"""How the loader writes: its bulk INSERT and its entity-creation lock, per engine.

The one place outside ``articles/search/`` that asks which database it is on.

Storing an article is dominated by work the database does (building its search index), and a
load runs on a machine with several cores, so the fastest way in differs by engine, measured with
``bench/ingest.py``:

- PostgreSQL: each batch is streamed with ``COPY`` into a temporary table and moved into
  ``articles_article`` by one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` — a multi-row INSERT
  with thousands of parameters costs more to build and to parse than the rows cost to store. Two
  connections write at once, so two server processes build search vectors side by side.
- SQLite: one multi-row ``INSERT … ON CONFLICT DO NOTHING``; writes are serialised by SQLite, so
  a second writer only adds waiting.

Both return which rows were stored, so a row that another process stored first is reported as
unchanged rather than loaded.

Entities are found by name or created: two loads that meet a new author at the same moment must
create one person, not two, so creation holds a lock named after the name (``creation_lock``):
a transaction-scoped advisory lock on PostgreSQL; on SQLite the write transaction is the lock
(``transaction_mode = IMMEDIATE`` takes it when the transaction begins).
"""

from __future__ import annotations

import contextlib
import hashlib

from django.conf import settings
from django.db import connection, transaction

from articles.models import Article

STAGE = "articles_article_stage"


def concurrent_writers() -> int:
    """How many connections should write batches at once on this engine."""
    return 2 if connection.vendor == "postgresql" else 1


def insert_articles(articles: list[Article]) -> dict[str, int]:
    """INSERT ``articles``, skipping any whose content hash is already stored.

    Returns ``{content_hash: id}`` for the rows stored by this call. Must run inside a
    transaction (the loader's per-batch ``atomic``).
    """
    if not articles:
        return {}
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    rows = [
        [f.get_db_prep_save(f.pre_save(article, add=True), connection) for f in fields]
        for article in articles
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    if connection.vendor == "postgresql":
        return _copy_in(columns, rows)
    return _insert_values(columns, rows, fields, articles)


def _insert_values(columns: str, rows: list[list], fields, articles) -> dict[str, int]:
    table = connection.ops.quote_name(Article._meta.db_table)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = connection.ops.bulk_batch_size(fields, articles)  # SQLite caps parameters per query
    stored: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))}"
                " ON CONFLICT (content_hash) DO NOTHING RETURNING id, content_hash",
                [value for row in chunk for value in row],
            )
            stored.update({digest: pk for pk, digest in cursor.fetchall()})
    return stored


def _copy_in(columns: str, rows: list[list]) -> dict[str, int]:
    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        # The stage lives as long as the connection; the DELETE below empties it in the same
        # statement that moves its rows, so nothing is left over even inside an outer transaction.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} AS"
            f" SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"WITH staged AS (DELETE FROM {STAGE} RETURNING *)"
            f" INSERT INTO {table} ({columns}) SELECT {columns} FROM staged"
            " ON CONFLICT (content_hash) DO NOTHING RETURNING id, content_hash"
        )
        return {digest: pk for pk, digest in cursor.fetchall()}


@contextlib.contextmanager
def creation_lock(kind: str, key: str):
    """A transaction in which no other process creates an entity of ``kind`` named ``key``.

    Look the name up again inside it before creating: another load may just have created it.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            digest = hashlib.blake2b(f"{kind}:{key}".encode(), digest_size=8).digest()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
                )
        yield


# What a load writes and the search, entity and compare pages read.
LOADED_TABLES = (
    "articles_article", "articles_article_authors", "articles_outlet", "articles_person",
    "articles_organization", "articles_place", "articles_event", "articles_personmention",
    "articles_outletmention", "articles_organizationmention", "articles_placemention",
    "articles_eventmention", "articles_quote", "articles_claim", "articles_story",
    "articles_storymembership", "articles_entitykey",
)  # fmt: skip


def refresh_statistics(loaded: int, updated: int = 0) -> bool:
    """After a load that stored ``loaded`` new articles and ``updated`` others, have PostgreSQL's
    planner look at the tables again (``VACUUM (ANALYZE)``; inside a transaction ``ANALYZE``) if
    the load changed them enough to matter: at least ``ANALYZE_AFTER`` (1,000) articles, or a
    tenth of the archive as it was and at least 100. True if it did.

    Autovacuum may be off, or a minute behind a bulk load. Without statistics the planner prices
    every word alike (300 matches of 100,000 articles), and finds the newest matches of a word
    that most articles hold by reading all of them (138 ms for 82,591 matches; 2.4 ms once it
    knows to walk the ids newest first): every search page paid for it, and the load mix ran at
    half speed. SQLite plans these queries without statistics, and its searches were 5–9 %
    slower with them (``ANALYZE``): not run there.
    """
    changed = loaded + updated
    bar = settings.NEWSARCHIVE.get("ANALYZE_AFTER", 1000)
    if connection.vendor != "postgresql" or changed < min(bar, 100):
        return False
    before = Article.objects.count() - loaded
    if changed < min(bar, max(100, before // 10)):
        return False
    # VACUUM also marks the new pages all-visible, so counts (an outlet's articles, its months)
    # are read from an index alone; it cannot run inside a transaction, where ANALYZE still can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {', '.join(LOADED_TABLES)}")
    return True
