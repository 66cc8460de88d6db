"""Full-text search over articles: one query language, one backend per engine.

``search_articles(q, queryset=...)`` (also ``Article.objects.search(q)``) parses the query,
expands entity names to their aliases, and returns a ``SearchResults``: pages of hits with safe
snippets, a capped total, facets and a "did you mean" suggestion. Engine-specific SQL lives in
``sqlite.py`` and ``postgres.py``, chosen in ``backend.py``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString

from articles.memo import VersionedMemo
from articles.prepared import Prepared, planned_cursor

from .backend import (
    CANDIDATES,
    RANK_POOL,
    SearchBackend,
    Within,
    get_backend,
    lead_snippet,
    safe_snippet,
)
from .query import And, Node, Not, Or, ParsedQuery, Phrase, Term, parse_query, to_text

__all__ = ["SORTS", "Hit", "SearchResults", "parse_query", "search_articles"]

SORTS = ("relevance", "newest", "oldest")
FACET_SAMPLE = 500  # facets count over the newest this many matches
FACET_SIZE = 10
MAX_NGRAM = 4


@dataclass
class Hit:
    """One result: the article, its highlighted snippet, and the alias it was found through."""

    article: Any
    snippet: SafeString
    via_alias: str | None = None
    entities: list = field(default_factory=list)


@dataclass
class EntityMatch:
    """An entity whose name or alias the query names, and the names searched for it."""

    entity: Any
    names: list[str]


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` (shown as "5,000+"), so it never counts millions."""

    def __init__(self, object_list, per_page, *, cap: int, counted: int | None = None):
        super().__init__(object_list, per_page)
        self.cap = cap
        self._counted = counted

    @cached_property
    def count(self) -> int:
        if self._counted is not None:
            return min(self._counted, self.cap)
        return self.object_list[: self.cap + 1].count() if self.cap else 0

    @property
    def capped(self) -> bool:
        """Whether there are more results than counted."""
        return self.count >= self.cap and self.cap > 0


class _RankedIds:
    """A lazily ranked list of ids: the paginator slices it; only the page is ranked."""

    def __init__(self, results: SearchResults, total: int):
        self.results = results
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item: slice) -> list[int]:
        start, stop = item.start or 0, item.stop or self.total
        results = self.results
        pool = results.candidate_ids[: results.rank_pool]
        if results.candidate_scores is not None:
            # Scored with the candidates: the engine's own order, best score then newest first.
            scored = zip(pool, results.candidate_scores, strict=True)
            ranked = sorted(scored, key=lambda pair: (pair[1], -pair[0]))
            return [pk for pk, _score in ranked[start:stop]]
        return results.backend.ranked_ids(
            results.tree,
            pool,
            offset=start,
            limit=max(0, stop - start),
        )


class _DatedIds(_RankedIds):
    """The candidates by publication date (``sort`` newest or oldest), undated last, then by id.

    Only ids are sorted, and only the page's articles are read afterwards: sorting whole rows
    read every candidate's body (on SQLite, through its overflow pages) to show twenty.
    """

    def __getitem__(self, item: slice) -> list[int]:
        start, stop = item.start or 0, item.stop or self.total
        results = self.results
        listed, params = results.backend.id_list_sql(results.candidate_ids[: results.candidates])
        order = "ASC" if results.sort == "oldest" else "DESC"
        sql = (
            f"SELECT a.id FROM articles_article a WHERE a.id IN ({listed})"
            f" ORDER BY a.published_at {order} NULLS LAST, a.id {order} LIMIT %s OFFSET %s"
        )
        rows = results.backend._fetch(sql, [*params, max(0, stop - start), start])
        return [row[0] for row in rows]


class SearchResults:
    """The outcome of one search: hits page by page, the total, facets, entities, suggestion."""

    def __init__(
        self,
        parsed: ParsedQuery,
        tree: Node | None,
        queryset,
        *,
        sort: str,
        entities: list[EntityMatch],
        expansions: list[tuple[Node, str]],
        backend: SearchBackend,
        candidates: int,
        rank_pool: int = RANK_POOL,
    ):
        self.parsed = parsed
        self.tree = tree  # after alias expansion
        self.base = queryset
        self.sort = sort if sort in SORTS else "relevance"
        self.entities = entities
        self.expansions = expansions  # (alias node, alias text) added by expansion
        self.backend = backend
        self.candidates = candidates
        self.rank_pool = min(rank_pool, candidates)
        self.notes = list(parsed.notes)
        self.within = _within_sql(queryset)

    # --- which rows -----------------------------------------------------------------------------

    @property
    def positive(self) -> bool:
        """Whether the query looks for something (not blank, not exclusion-only)."""
        return self.tree is not None and not self.parsed.is_negative_only

    @property
    def nothing_to_search(self) -> bool:
        """A query was typed but nothing searchable was left in it."""
        return self.tree is None and not self.parsed.is_blank

    @cached_property
    def candidate_ids(self) -> list[int]:
        """Ids of the newest (oldest for that sort) matches, one more than ``candidates``.

        Fetched once per search and reused for the total, the ranking pool, date sorting and
        facets, so the engine evaluates the match once per page.
        """
        return self._candidates_fetched[0]

    @property
    def candidate_scores(self) -> list[float] | None:
        """Relevance scores of the ranking pool, where the engine gave them with the candidates."""
        return self._candidates_fetched[1]

    @cached_property
    def _candidates_fetched(self) -> tuple[list[int], list[float] | None]:
        if not self.positive:
            return [], None
        if self.sort == "relevance":
            scored = self.backend.scored_candidates_sql(
                self.tree, within=self.within, limit=self.candidates + 1
            )
            if scored is not None:
                rows = self.backend._fetch(*scored)
                return [row[0] for row in rows], [row[1] for row in rows[: self.rank_pool]]
        ids = self.backend.candidate_ids(
            self.tree, within=self.within, limit=self.candidates + 1, oldest=self.sort == "oldest"
        )
        return ids, None

    @cached_property
    def matched(self):
        """The matching articles as a queryset (bounded to the candidates for positive queries)."""
        if self.nothing_to_search:
            return self.base.none()
        if self.tree is None:
            return self.base
        if self.parsed.is_negative_only:
            excluded = [c.child for c in _children(self.tree)]
            tree = excluded[0] if len(excluded) == 1 else Or(tuple(excluded))
            sql, params = self.backend.match_sql(tree)
            return self.base.exclude(pk__in=RawSQL(sql, params))
        # The candidates already apply the filters (``within``); don't apply them twice.
        ids = self.candidate_ids[: self.candidates]
        return self.base.model.objects.filter(pk__in=RawSQL(_ids_sql(ids), []))

    @cached_property
    def _counted(self) -> int:
        if self.positive:
            return len(self.candidate_ids)
        return self.matched[: self.candidates + 1].count()

    @cached_property
    def total(self) -> int:
        """How many articles match, counted up to ``candidates``."""
        return min(self._counted, self.candidates)

    @property
    def capped(self) -> bool:
        """Whether more articles match than were counted (the total shows as "5,000+")."""
        return self._counted > self.candidates

    def paginator(self, per_page: int, *, with_authors: bool = True) -> CappedPaginator:
        """A paginator over the results in the chosen order."""
        if self.positive and self.sort == "relevance":
            counted = self._counted
            return CappedPaginator(
                _RankedIds(self, min(counted, self.rank_pool)),
                per_page,
                cap=self.rank_pool,
                counted=counted,
            )
        if self.positive:
            return CappedPaginator(
                _DatedIds(self, min(self._counted, self.candidates)),
                per_page,
                cap=self.candidates,
                counted=self._counted,
            )
        ordered = self.matched.with_outlet().defer("raw_text").newest_first()
        if with_authors:
            ordered = ordered.prefetch_related("authors")
        if self.sort == "oldest":
            ordered = ordered.order_by(F("published_at").asc(nulls_last=True), "pk")
        return CappedPaginator(ordered, per_page, cap=self.candidates, counted=self._counted)

    def page(self, number: Any = 1, per_page: int = 20, *, with_authors: bool = True) -> Page:
        """The requested page (junk or out-of-range numbers give the nearest page) of ``Hit``s.

        ``with_authors=False`` skips reading the bylines, for a page that does not show them.
        """
        paginator = self.paginator(per_page, with_authors=with_authors)
        page = paginator.get_page(number)
        page.object_list = self.hits(list(page.object_list), with_authors=with_authors)
        return page

    # --- what each hit shows --------------------------------------------------------------------

    def hits(self, items: list, *, with_authors: bool = True) -> list[Hit]:
        """Hits for a page of ids or articles, in the same order."""
        mentioned = None
        if items and not hasattr(items[0], "pk"):
            kept = _kept_hits([int(i) for i in items], with_authors=with_authors)
            items = [kept[i].article for i in items if i in kept]
            mentioned = {pk: list(row.entities) for pk, row in kept.items()}
        ids = [a.pk for a in items]
        raw = self.backend.snippets(self.tree, ids) if self.positive and ids else {}
        via = self._via_alias(ids)
        if mentioned is None:
            mentioned = _mentioned_entities(ids)
        return [
            Hit(
                article=a,
                snippet=safe_snippet(raw[a.pk]) if raw.get(a.pk) else lead_snippet(a.body),
                via_alias=via.get(a.pk),
                entities=mentioned.get(a.pk, []),
            )
            for a in items
        ]

    def _via_alias(self, ids: list[int]) -> dict[int, str]:
        """For hits that only an alias found, the alias that found them."""
        original = self.parsed.tree
        if not self.expansions or not ids or original is None or not self.positive:
            return {}
        id_list = ", ".join(str(int(i)) for i in ids)
        sql, params = self.backend.match_sql(original)
        direct = {r[0] for r in _fetch(self.backend, sql, params, id_list)}
        via: dict[int, str] = {}
        for node, text in self.expansions:
            if len(via) + len(direct) >= len(ids):
                break
            sql, params = self.backend.match_sql(node)
            for (pk,) in _fetch(self.backend, sql, params, id_list):
                if pk not in direct:
                    via.setdefault(pk, text)
        return via

    # --- facets and suggestion ------------------------------------------------------------------

    @cached_property
    def facets(self) -> dict[str, list[dict]]:
        """Counts per outlet, person, organization, place, event and year over the matches.

        Counted over the newest FACET_SAMPLE matches, so that facets of a huge result set cost
        no more than those of a small one (``facets_capped`` says when that happened).
        """
        if self.nothing_to_search:
            return {}
        if self.positive:
            sample, params = self.backend.id_list_sql(self.candidate_ids[:FACET_SAMPLE])
        else:
            query = self.matched.order_by("-pk").values("pk")[:FACET_SAMPLE].query
            sample, params = query.sql_with_params()
            params = list(params)
        self.facets_capped = self.total > FACET_SAMPLE
        sql, extra = _facets_sql(self.backend)
        facets: dict[str, list[dict]] = {name: [] for name in FACET_NAMES}
        # Kept planned over a list of ids; the newest filtered articles are found by a plan
        # that depends on the filter's values (an outlet of 5 articles or of 20,000).
        rows = self.backend._fetch(
            f"WITH sample (id) AS ({sample}), {sql}", [*params, *extra], keep_plan=self.positive
        )
        for facet, value, label, count in rows:
            facets[facet].append({"value": str(value), "label": str(label), "count": count})
        for name, options in facets.items():
            if name == "year":
                options.sort(key=lambda o: -int(o["value"]))
            else:
                options.sort(key=lambda o: -o["count"])  # stable: the database's tie order stays
        return facets

    facets_capped = False

    @cached_property
    def suggestion(self) -> str | None:
        """A corrected query when this one finds few or no articles, else None."""
        from .suggest import suggest

        if self.parsed.tree is None or self.total >= 3:
            return None
        return suggest(self.parsed, self.backend)


FACET_NAMES = ("outlet", "person", "organization", "place", "event", "year")


def _facets_sql(backend: SearchBackend) -> tuple[str, list]:
    """One statement counting every facet over ``sample``: the top FACET_SIZE of each, all years.

    The text continues a ``WITH sample (id) AS (…),`` the caller writes. Rows are (facet, value,
    label, count); entity counts are of distinct articles, rejected mentions left out.
    """
    from articles.models.mentions import MENTION_MODELS, MentionStatus

    # Each count groups by the id alone and names only the groups: joining the names first
    # looked an entity up once per mention, and doubled the cost of the statement.
    counted = [
        "SELECT 'outlet' AS facet, o.slug AS value, o.name AS label, c.n AS n FROM"
        " (SELECT outlet_id, COUNT(*) AS n FROM sampled GROUP BY outlet_id) AS c"
        " JOIN articles_outlet o ON o.id = c.outlet_id"
    ]
    params, leading = [], []
    for kind in ("person", "organization", "place", "event"):
        model = MENTION_MODELS[kind]
        entities = model._meta.get_field("entity").related_model._meta.db_table
        counts = (
            f"SELECT m.entity_id, COUNT(DISTINCT m.article_id) AS n FROM {model._meta.db_table} m"
            f" WHERE {backend.in_sample_sql('m.article_id')} AND m.status <> %s"
            " GROUP BY m.entity_id"
        )
        params.append(MentionStatus.REJECTED)
        if backend.name_leading_facets_only:
            leading.append(f", {kind}_counts AS MATERIALIZED ({counts})")
            counted.append(
                f"SELECT '{kind}', e.slug, e.name, c.n FROM {kind}_counts c"
                f" JOIN {entities} e ON e.id = c.entity_id WHERE c.n >= (SELECT MIN(n) FROM"
                f" (SELECT n FROM {kind}_counts ORDER BY n DESC LIMIT {FACET_SIZE}) AS top)"
            )
        else:
            counted.append(
                f"SELECT '{kind}', e.slug, e.name, c.n FROM ({counts}) AS c"
                f" JOIN {entities} e ON e.id = c.entity_id"
            )
    # Outlet and year are read from the articles in one pass over the sample.
    year = backend.year_sql("a.published_at")
    sql = (
        f"sampled AS MATERIALIZED (SELECT a.outlet_id, {year} AS year FROM articles_article a"
        f" WHERE {backend.in_sample_sql('a.id')})"
        f"{''.join(leading)}"
        " SELECT facet, value, label, n FROM ("
        " SELECT facet, value, label, n,"
        " ROW_NUMBER() OVER (PARTITION BY facet ORDER BY n DESC, label) AS position"
        f" FROM ({' UNION ALL '.join(counted)}) AS counted) AS ranked"
        f" WHERE position <= {FACET_SIZE}"
        " UNION ALL SELECT 'year', CAST(year AS TEXT), CAST(year AS TEXT), COUNT(*)"
        " FROM sampled WHERE year IS NOT NULL GROUP BY year"
        " ORDER BY 1, 4 DESC, 3"
    )
    return sql, params


def _children(node: Node) -> tuple[Node, ...]:
    return node.children if isinstance(node, And | Or) else (node,)


def _within_sql(queryset) -> Within | None:
    """What the filters of ``queryset`` allow (None: no filter)."""
    if not queryset.query.where:
        return None
    query = queryset.order_by().values("pk").query
    sql, params = query.sql_with_params()
    where = None
    joined = [alias for alias, count in query.alias_refcount.items() if count]
    if joined == [query.get_initial_alias()] and query.base_table == "articles_article":
        compiler = query.get_compiler(using=queryset.db)
        where_sql, where_params = compiler.compile(query.where)
        where = (where_sql, list(where_params))
    return Within(sql, list(params), where)


def _ids_sql(ids: list[int]) -> str:
    """SQL selecting exactly these article ids (integers from the database, written inline)."""
    listed = ", ".join(str(int(i)) for i in ids) or "NULL"
    return f"SELECT id FROM articles_article WHERE id IN ({listed})"


def _fetch(backend: SearchBackend, sql: str, params: list, id_list: str):
    return backend._fetch(f"SELECT id FROM ({sql}) AS m WHERE id IN ({id_list})", params)


@lru_cache(maxsize=1)
def _hit_query() -> tuple[Prepared, tuple[str, ...], tuple[str, ...]]:
    """The articles of a page of hits with their outlets, as one query compiled once."""
    from articles.models import Article, Outlet

    fields = tuple(f.attname for f in Article._meta.concrete_fields if f.name != "raw_text")
    outlet_fields = tuple(f.attname for f in Outlet._meta.concrete_fields)
    query = Prepared(
        lambda ids: Article.objects.filter(pk__in=ids).values_list(
            *fields, *(f"outlet__{name}" for name in outlet_fields)
        ),
        keep_plan=True,
    )
    return query, fields, outlet_fields


def _hit_articles(ids: list[int]) -> dict:
    """Articles (raw text deferred, outlet attached) by id; ``_kept_hits`` adds the bylines.

    Model instances, as the exports and JSON expect, built from one prepared query: compiling
    the equivalent ``in_bulk`` cost more than running it.
    """
    from articles.models import Article, Outlet

    query, fields, outlet_fields = _hit_query()
    width = len(fields)
    found = {}
    for row in query.rows([int(i) for i in ids]):
        article = Article.from_db("default", fields, row[:width])
        outlet = row[width:]
        article.outlet = Outlet.from_db("default", outlet_fields, outlet) if outlet[0] else None
        found[article.pk] = article
    return found


@dataclass(frozen=True, slots=True)
class KeptHit:
    """What a result shows of an article whatever the query: the row and the entities."""

    article: Any  # raw text deferred, outlet attached (bylines once a page needed them)
    entities: tuple


# The articles in the news are in the results of search after search (articles.memo).
hit_memo: VersionedMemo[KeptHit] = VersionedMemo("HIT_MEMO", 5000)


def _kept_hits(ids: list[int], *, with_authors: bool) -> dict[int, KeptHit]:
    """The articles of a page of hits with the entities they mention, by id (kept when read
    before); bylines too if ``with_authors``."""
    from django.db.models import prefetch_related_objects

    found = hit_memo.get_many(ids, _read_hits)
    if with_authors:  # reads only the bylines of articles kept without them
        prefetch_related_objects([row.article for row in found.values()], "authors")
    return found


def _read_hits(ids: list[int]) -> dict[int, KeptHit]:
    articles = _hit_articles(ids)
    mentioned = _mentioned_entities(list(articles))
    return {pk: KeptHit(a, tuple(mentioned.get(pk, ()))) for pk, a in articles.items()}


def _mentioned_entities(ids: list[int]) -> dict[int, list]:
    """The entities each article mentions (rejected mentions left out), people first (1 query)."""
    from articles.models.mentions import MENTION_MODELS, MentionStatus
    from articles.queries.items import EntityRef

    found: dict[int, list] = defaultdict(list)
    if not ids:
        return found
    listed = ", ".join(["%s"] * len(ids))
    parts = []
    for order, kind in enumerate(("person", "organization", "place", "event")):
        model = MENTION_MODELS[kind]
        entities = model._meta.get_field("entity").related_model._meta.db_table
        # Names are looked up per distinct pair by primary key: joined, PostgreSQL hashed the
        # whole entity table for a page's few dozen pairs (2.5 -> 1.4 ms; SQLite the same).
        name = f"(SELECT e.{{}} FROM {entities} e WHERE e.id = d.entity_id)"
        parts.append(
            f"SELECT d.article_id, {order} AS kind, d.entity_id,"
            f" {name.format('name')}, {name.format('slug')} FROM"
            f" (SELECT DISTINCT m.article_id, m.entity_id FROM {model._meta.db_table} m"
            f" WHERE m.article_id IN ({listed}) AND m.status <> %s) AS d"
        )
    sql = " UNION ALL ".join(parts) + " ORDER BY 1, 2, 4, 3"
    kinds = ("person", "organization", "place", "event")
    # A page's ids as parameters: one statement per page size, kept planned on PostgreSQL.
    with planned_cursor(connection) as cursor:
        cursor.execute(sql, [*ids, MentionStatus.REJECTED] * len(parts))
        for article_id, order, entity_id, name, slug in cursor.fetchall():
            # Links, not model instances: a page of hits mentions a hundred entities or more.
            found[article_id].append(EntityRef(kinds[order], entity_id, name, slug))
    return found


# --- entities and alias expansion ---------------------------------------------------------------


def _leaf_words(node: Node) -> list[str] | None:
    if isinstance(node, Term) and not node.prefix:
        return [node.word]
    if isinstance(node, Phrase):
        return list(node.words)
    return None


def _spans(tree: Node | None) -> list[list[str]]:
    """Runs of consecutive words (up to MAX_NGRAM leaves) that could name an entity."""
    if tree is None:
        return []
    if isinstance(tree, Not):
        return _spans(tree.child)
    if isinstance(tree, Term | Phrase):
        words = _leaf_words(tree)
        return [words] if words else []
    spans = []
    children = list(tree.children)
    for child in children:
        if isinstance(child, And | Or | Not):
            spans += _spans(child)
    if isinstance(tree, Or):
        return spans + [w for c in children if (w := _leaf_words(c))]
    for i in range(len(children)):
        words: list[str] = []
        for child in children[i : i + MAX_NGRAM]:
            leaf = _leaf_words(child)
            if leaf is None:
                break
            words = words + leaf
            spans.append(words)
    return spans


def matching_entities(tree: Node | None, limit: int = 8) -> list[Any]:
    """Entities whose name or an alias is named by a run of words in the query, longest first.

    One query over the five entity tables (a UNION ALL), reading only what a match shows; the
    entities come from the indexed key table (migration 0013), not from a scan of each table.
    """
    from articles.models import ENTITY_MODELS, EntityKey
    from articles.models.entities import name_key

    spans = sorted(_spans(tree), key=len, reverse=True)
    keys = list(dict.fromkeys(k for k in (name_key(" ".join(s)) for s in spans) if len(k) > 2))
    if not keys:
        return []
    parts, params = [], []
    for kind, model in ENTITY_MODELS.items():
        table = model._meta.db_table
        parts.append(
            f"SELECT * FROM (SELECT %s AS kind, id, name, slug, aliases FROM {table}"
            f" WHERE id IN (SELECT entity_id FROM {EntityKey._meta.db_table}"
            f" WHERE kind = %s AND key IN ({', '.join(['%s'] * len(keys))}))"
            f" ORDER BY name, id LIMIT {int(limit)}) AS {kind}_matches"
        )
        params += [kind, kind, *keys]
    with planned_cursor(connection) as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    found = []
    for kind, pk, name, slug, aliases in rows:
        if isinstance(aliases, str):  # SQLite hands JSON back as text
            aliases = json.loads(aliases or "[]")
        found.append(ENTITY_MODELS[kind](pk=pk, name=name, slug=slug, aliases=aliases or []))
    rank = {k: i for i, k in enumerate(keys)}

    def order(entity):
        own = [rank[k] for k in _entity_keys(entity) if k in rank]
        return (min(own) if own else len(keys), entity.name)

    return sorted(found, key=order)[:limit]


def _entity_keys(entity) -> set[str]:
    from articles.models.entities import name_key

    return {name_key(n) for n in entity.all_names}


def _name_node(name: str) -> Node | None:
    return parse_query(f'"{name}"').tree


def expand_aliases(tree: Node | None, entities: list[Any]) -> tuple[Node | None, list]:
    """Replace each run of words naming an entity by an OR over all the entity's names.

    Returns the new tree and the (node, name) pairs that expansion added.
    """
    from articles.models.entities import name_key

    if tree is None or not entities:
        return tree, []
    by_key: dict[str, Any] = {}
    for entity in entities:
        for key in _entity_keys(entity):
            by_key.setdefault(key, entity)
    added: list[tuple[Node, str]] = []

    def alternatives(words: list[str], original: Node) -> Node | None:
        entity = by_key.get(name_key(" ".join(words)))
        if entity is None:
            return None
        options: list[Node] = [original]
        for name in entity.all_names:
            node = _name_node(name)
            if node is not None and node not in options:
                options.append(node)
                added.append((node, name))
        return Or(tuple(options)) if len(options) > 1 else None

    def walk(node: Node) -> Node:
        if isinstance(node, Term | Phrase):
            words = _leaf_words(node)
            return (alternatives(words, node) if words else None) or node
        if isinstance(node, Not):
            return Not(walk(node.child))
        if isinstance(node, Or):
            return Or(tuple(walk(c) for c in node.children))
        children = list(node.children)
        out: list[Node] = []
        i = 0
        while i < len(children):
            replaced = False
            for size in range(min(MAX_NGRAM, len(children) - i), 1, -1):
                run = children[i : i + size]
                leaves = [_leaf_words(c) for c in run]
                if all(leaves):
                    words = [w for leaf in leaves for w in leaf]
                    alt = alternatives(words, And(tuple(run)))
                    if alt is not None:
                        out.append(alt)
                        i += size
                        replaced = True
                        break
            if not replaced:
                out.append(walk(children[i]))
                i += 1
        return out[0] if len(out) == 1 else And(tuple(out))

    return walk(tree), added


def search_articles(
    query: str,
    *,
    queryset=None,
    sort: str = "relevance",
    alias: bool = True,
    candidates: int = CANDIDATES,
    rank_pool: int = RANK_POOL,
    backend: SearchBackend | None = None,
) -> SearchResults:
    """Search ``queryset`` (default: all articles) for ``query``; never raises on any input.

    ``sort`` is relevance, newest or oldest; ``alias`` expands entity names to their aliases;
    ``candidates`` bounds how many of the newest matches are counted and sorted by date;
    ``rank_pool`` how many of the newest matches are ranked by relevance.
    """
    from articles.models import Article

    parsed = parse_query(query)
    queryset = Article.objects.all() if queryset is None else queryset
    entities = matching_entities(parsed.tree) if parsed.tree is not None else []
    tree, added = parsed.tree, []
    if alias and not parsed.is_negative_only:
        tree, added = expand_aliases(parsed.tree, entities)
    if sort == "relevance" and (parsed.tree is None or parsed.is_negative_only):
        sort = "newest"
    return SearchResults(
        parsed,
        tree,
        queryset,
        sort=sort,
        entities=[EntityMatch(e, e.all_names) for e in entities],
        expansions=added,
        backend=backend or get_backend(),
        candidates=candidates,
        rank_pool=rank_pool,
    )


def describe(tree: Node | None) -> str:
    """The query language text of a tree (for notes and debugging)."""
    return to_text(tree)
