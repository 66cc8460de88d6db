"""Counted lists of entities: "mentioned with", "it mentions most", authors, sources, totals.

Entity pages show several lists counted over one window of articles (the newest ``WINDOW`` about
the entity); each used to be its own query, each reading the window again. ``counted_lists``
asks for all of a page's lists in one statement: the window once, then per list the entities
ranked by the number of distinct window articles they appear in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from articles.models import Article, MentionStatus
from articles.models.entities import ENTITY_MODELS, TOTAL_MODELS
from articles.models.mentions import MENTION_MODELS
from articles.prepared import Prepared

from .items import EntityCount, entity_pattern

# Entity-page summaries read at most this many of the newest articles about the entity: a name
# found in a third of the archive then costs the same as one found in three hundred articles.
# The cost is in reading the window's article rows and index pages, scattered across the
# archive for a name that comes and goes: at 1,000 they overflowed SQLite's page cache and a
# popular name's page took three times as long as at 300 (bench/pages.py).
WINDOW = 300
# An event's page lists its newest articles (at most this many) and says what they state.
EVENT_WINDOW = 50
# The home page's "in the news" counts over the newest articles of all (read as an id range).
NEWS_WINDOW = 1000


def visible_mentions(kind: str):
    """Mentions of ``kind`` that are confirmed or suggested (not rejected)."""
    return MENTION_MODELS[kind].objects.exclude(status=MentionStatus.REJECTED)


@dataclass(frozen=True, slots=True)
class Part:
    """One counted list: rows of ``table`` link window articles to entities of ``kind``."""

    name: str  # the key of the list in the result
    kind: str  # the kind of entity it counts
    table: str
    column: str  # the column of ``table`` that names the entity
    limit: int
    mentions: bool = True  # a mention table: rejected rows do not count
    exclude: bool = False  # leave out the page's own entity (takes a parameter)


def mention_part(kind: str, limit: int, *, name: str = "", exclude: bool = False) -> Part:
    """The entities of ``kind`` mentioned in the window's articles."""
    table = MENTION_MODELS[kind]._meta.db_table
    return Part(name or kind, kind, table, "entity_id", limit, exclude=exclude)


def authors_part(limit: int) -> Part:
    """The people with bylines on the window's articles."""
    table = Article.authors.through._meta.db_table
    return Part("authors", "person", table, "person_id", limit, mentions=False)


def subject_window(kind: str, size: int = WINDOW) -> str:
    """SQL for the ids of the newest ``size`` articles mentioning an entity (one parameter)."""
    q = connection.ops.quote_name
    return (
        f"SELECT DISTINCT article_id FROM {q(MENTION_MODELS[kind]._meta.db_table)} "
        f"WHERE entity_id = %s AND status <> '{MentionStatus.REJECTED}' "
        f"ORDER BY article_id DESC LIMIT {size}"
    )


def outlet_window() -> str:
    """SQL for the ids of an outlet's newest ``WINDOW`` articles (one parameter)."""
    q = connection.ops.quote_name
    return (
        f"SELECT id FROM {q(Article._meta.db_table)} WHERE outlet_id = %s "
        f"ORDER BY published_at DESC, id DESC LIMIT {WINDOW}"
    )


@lru_cache(maxsize=32)
def _counted_sql(vendor: str, window: str, parts: tuple[Part, ...]) -> str:
    q = connection.ops.quote_name
    ctes = [f"w (article_id) AS ({window})"]
    ranked = []
    if vendor == "postgresql":
        # The window as one array: each mention table is probed on its article index, where
        # IN (SELECT …) was priced as a hash join over a whole mention table (20,000 rows read
        # for 300 articles) on two of them.
        ctes[0] = f"w (article_id) AS MATERIALIZED ({window})"
        in_window = "m.article_id = ANY((SELECT array_agg(article_id) FROM w)::bigint[])"
    else:
        in_window = "m.article_id IN (SELECT article_id FROM w)"
    for i, part in enumerate(parts):
        column = q(part.column)
        where = in_window
        if part.mentions:
            where += f" AND m.status <> '{MentionStatus.REJECTED}'"
        if part.exclude:
            where += f" AND m.{column} <> %s"
        ctes.append(
            f"c{i} AS (SELECT m.{column} AS id, COUNT(DISTINCT m.article_id) AS n "
            f"FROM {q(part.table)} m WHERE {where} GROUP BY m.{column})"
        )
        entities = q(ENTITY_MODELS[part.kind]._meta.db_table)
        # Names are joined only for the entities that can make the list: those counted at
        # least as often as its last place (ties there are settled by name, as before).
        # On PostgreSQL a lateral probe by primary key per counted entity (OFFSET 0 keeps the
        # planner from turning it into a hash join that reads every entity row).
        named = (
            f"CROSS JOIN LATERAL (SELECT x.id, x.name, x.slug FROM {entities} x"
            " WHERE x.id = c.id OFFSET 0) e"
            if vendor == "postgresql"
            else f"JOIN {entities} e ON e.id = c.id"
        )
        ranked.append(
            f"SELECT * FROM (SELECT {i} AS part, e.id, e.name, e.slug, c.n FROM c{i} c "
            f"{named} WHERE c.n >= COALESCE(("
            f"SELECT n FROM c{i} ORDER BY n DESC LIMIT 1 OFFSET {part.limit - 1}), 0) "
            f"ORDER BY c.n DESC, e.name LIMIT {part.limit}) p{i}"
        )
    union = " UNION ALL ".join(ranked)
    return f"WITH {', '.join(ctes)} SELECT * FROM ({union}) u ORDER BY part, n DESC, name"


def counted_lists(window: str, params: list, parts: tuple[Part, ...], entity_id=None) -> dict:
    """Each part's entities ranked by how many of the window's articles they appear in (1 query).

    ``window`` is SQL selecting article ids with ``params``; ``entity_id`` fills the parts that
    exclude the page's own entity. Returns ``{part.name: [EntityCount…]}``, most frequent first,
    ties by name.
    """
    sql = _counted_sql(connection.vendor, window, parts)
    values = [*params, *(entity_id for part in parts if part.exclude)]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        rows = cursor.fetchall()
    lists: dict[str, list[EntityCount]] = {part.name: [] for part in parts}
    patterns = {part.kind: entity_pattern(part.kind) for part in parts}
    for index, pk, name, slug, n in rows:
        kind = parts[index].kind
        lists[parts[index].name].append(
            EntityCount(kind, pk, name, slug, n, patterns[kind].format(slug))
        )
    return lists


# -- article totals ---------------------------------------------------------------------------


def article_total(kind: str):
    """The number of articles mentioning (an outlet: publishing) the row, as an expression.

    People, organizations, places and events read the total the database keeps (migration
    0011); an outlet's articles are counted on the (outlet, published_at) index.
    """
    if kind == "outlet":
        inner = Article.objects.filter(outlet=OuterRef("pk")).order_by()
        # COUNT(*), not COUNT(id): PostgreSQL reads id from the table, not the index (65 against
        # 1.5 ms for an outlet of 20,000 articles).
        inner = inner.values("outlet").annotate(c=Count("*")).values("c")
    else:
        inner = TOTAL_MODELS[kind].objects.filter(entity_id=OuterRef("pk")).values("articles")
    return Coalesce(Subquery(inner[:1], output_field=IntegerField()), Value(0))


def _in_the_news(*, kind: str, limit: int):
    # The newest articles as an id range, so the article index is read, not a list of ids.
    newest = Article.objects.order_by("-pk").values("pk")[NEWS_WINDOW - 1 : NEWS_WINDOW]
    return (
        visible_mentions(kind)
        .filter(article_id__gte=Coalesce(Subquery(newest), Value(0)))
        .values("entity_id", "entity__name", "entity__slug")
        .annotate(n=Count("article_id", distinct=True))
        .order_by("-n", "entity__name")
        .values_list("entity_id", "entity__name", "entity__slug", "n")[:limit]
    )


_IN_THE_NEWS = Prepared(_in_the_news)


def in_the_news(kind: str, limit: int = 10) -> list[EntityCount]:
    """Entities of ``kind`` mentioned in the most of the newest ``NEWS_WINDOW`` articles (1 query)."""
    return [EntityCount(kind, *row) for row in _IN_THE_NEWS.rows(kind=kind, limit=limit)]
