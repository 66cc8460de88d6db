"""PostgreSQL: a stored weighted tsvector (title A, body B) with a GIN index (migration 0002).

The tsquery is built from the tree with every lexeme single-quoted and passed as a parameter to
``to_tsquery``; user text never reaches the tsquery parser as syntax. The text search
configuration ``articles_english`` is English (Snowball stemmer, stop words) plus unaccent, with
hyphenated compounds indexed as their parts only, so token positions match FTS5's.
"""

from __future__ import annotations

import json
import time

from .backend import MARK_END, MARK_START, SearchBackend
from .query import And, Node, Not, Or, Phrase, Term, has_phrase, looser_tree, positive_leaves

CONFIG = "articles_english"
WORDS_TABLE = "articles_search_word"
# ts_rank_cd weights {D, C, B, A}: body (B) hits count 1/20 of a title (A) hit; normalisation 1
# (divide by 1 + log(length)) favours shorter articles among equal hits, as bm25 does.
WEIGHTS = "{0.05, 0.05, 0.05, 1.0}"
HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=40, MinWords=20, ShortWord=3,'
    ' MaxFragments=2, FragmentDelimiter=" … "'
)
# Private-use characters that stand in for "<" and ">" while ts_headline reads a body.
ANGLE_STANDINS = "\ue010\ue011"
# ts_headline parses all the text it is given (about 0.7 ms per 3 KB here), so a long body is
# read through a window: SNIPPET_WINDOW characters starting at a word boundary up to SNIPPET_LEAD
# characters before the first place a query lexeme occurs. A window whose headline marks nothing
# (the lexeme was part of another word, or the match is a phrase further on) is read whole again.
SNIPPET_WINDOW = 1000
SNIPPET_LEAD = 200


# What reading one match through the GIN index costs (a heap fetch), relative to testing one row
# in the id-ordered walk (a heap fetch plus reading and matching its compressed vector).
INDEX_ROW_COST = 0.2  # measured: 1.2 µs a match through the index, 5-7 µs a row walked
# candidate_ids collects the GIN index's matches among the newest ids first: a range expected to
# hold RANGE_MARGIN times the matches it needs, unless that is RANGE_WHOLE of all ids or more.
RANGE_MARGIN = 2.0
RANGE_WHOLE = 0.5
# candidate_ids' ways in (PostgresBackend._way_in).
WALK, COLLECT, PLANNER = "walk", "collect", "planner"
GIN_INDEX = "articles_article_search_vector"
# A prefix is priced as the words it begins when it begins at most this many (_estimation_tree).
PREFIX_WORDS = 64
_table_stats = {"rows": 0.0, "low": None, "high": None, "at": float("-inf")}


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def compile_tsquery(node: Node) -> str:
    """The ``to_tsquery`` text of a tree."""
    if isinstance(node, Term):
        return _lexeme(node.word) + (":*" if node.prefix else "")
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(_lexeme(w) for w in node.words) + ")"
    if isinstance(node, Not):
        return f"!({compile_tsquery(node.child)})"
    joiner = " & " if isinstance(node, And) else " | "
    return "(" + joiner.join(compile_tsquery(c) for c in node.children) + ")"


def _terms(node: Node) -> list[Term]:
    """Every word of the tree, excluded ones included (phrases' words are not Terms)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return _terms(node.child)
    if isinstance(node, And | Or):
        return [leaf for child in node.children for leaf in _terms(child)]
    return []


def _id_array(ids) -> str:
    """Ids as one array literal for a ``%s::bigint[]`` parameter: psycopg adapts a list of 500
    ints element by element (550 µs a statement here), a string in one piece (220 µs)."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


def _first_words(tree: Node) -> list[str]:
    """The word each positive leaf starts with: where in a body its match can begin."""
    return [
        leaf.word if isinstance(leaf, Term) else leaf.words[0] for leaf in positive_leaves(tree)
    ]


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def match_sql(self, tree: Node) -> tuple[str, list]:
        return (
            f"SELECT id FROM articles_article WHERE search_vector @@ to_tsquery('{CONFIG}', %s)",
            [compile_tsquery(tree)],
        )

    def candidates_sql(self, tree, *, within, limit, oldest=False) -> tuple[str, list]:
        way, _matches = self._way_in(tree, within=within, limit=limit, oldest=oldest)
        if way == COLLECT:
            return self._collected_sql(tree, within=within, limit=limit, oldest=oldest)
        return self.newest_matches_sql(tree, within=within, limit=limit, oldest=oldest)

    def candidate_ids(self, tree, *, within, limit, oldest=False) -> list[int]:
        """The newest (oldest) ``limit`` matches, read from the newest (oldest) ids first.

        Walking ids, the walk is what runs (the planner may not pick it for a prefix whose
        matches it underestimates). When the GIN index is the way in, its matches are first
        taken only among the newest ids where ``limit`` of them should be (by the estimate,
        with a margin): rows outside that range are never read from the table. If the range
        holds fewer, the rest of the archive is read for the others — the same ids either way.
        """
        way, matches = self._way_in(tree, within=within, limit=limit, oldest=oldest)
        if way != COLLECT:
            walk = self.newest_matches_sql(tree, within=within, limit=limit, oldest=oldest)
            if way == PLANNER:
                return [row[0] for row in self._fetch(*walk)]
            return [row[0] for row in self._fetch_planned(*walk, without="enable_bitmapscan")]
        found: list[int] = []
        for id_range in self._id_ranges(matches, limit, has_phrase(tree), oldest):
            sql, params = self._collected_sql(
                tree, within=within, limit=limit - len(found), oldest=oldest, id_range=id_range
            )
            found += [row[0] for row in self._fetch_planned(sql, params)]
            if len(found) >= limit:
                break
        return found

    def _collected_sql(self, tree, *, within, limit, oldest, id_range=(None, None)):
        return self.newest_matches_sql(
            tree,
            within=within,
            limit=limit,
            oldest=oldest,
            collect_first=True,
            check_order_later=has_phrase(tree),
            id_range=id_range,
        )

    def _id_ranges(self, matches: float, limit: int, phrase: bool, oldest: bool) -> list:
        """Id ranges to collect matches from in turn, newest (oldest) first: (low, high) bounds,
        inclusive, None for open. The first should hold ``limit`` matches if the estimate of
        ``matches`` is right (a phrase: if half the rows holding its words hold it too)."""
        stats = self._table_stats()
        low, high = stats["low"], stats["high"]
        if low is None or high is None:
            return [(None, None)]
        span = RANGE_MARGIN * limit * max(stats["rows"], matches) / matches * (2 if phrase else 1)
        span = int(span) + 1
        if span >= (high - low + 1) * RANGE_WHOLE:
            return [(None, None)]
        if oldest:
            return [(None, low + span - 1), (low + span, None)]
        return [(high - span + 1, None), (None, high - span)]

    def _fetch_planned(
        self, sql: str, params: list, *, without: str = "enable_indexscan"
    ) -> list[tuple]:
        """Rows of ``sql`` planned without plain index scans (or, ``without`` another planner
        setting, without that kind of plan).

        Without plain index scans the id range of a collection is read as a bitmap ANDed with
        the GIN index's, so only the rows in both are read from the table, where the planner
        would walk the range reading every row's vector (8 against 43 ms for a prefix in a
        fifth of the archive); without bitmap scans a walk is a walk. ``SET LOCAL`` in the same
        simple query lasts for that query's implicit transaction; inside a transaction the
        second ``SET LOCAL`` puts the default back. Several statements in one ``execute`` need
        client-side binding, psycopg's default and Django's."""
        if self.connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
            return self._fetch(sql, params)  # one statement per execute: the planner's own plan
        with self.connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {without} = off; {sql}; SET LOCAL {without} = on", params)
            cursor.nextset()
            return cursor.fetchall()

    def newest_matches_sql(
        self,
        tree,
        *,
        within,
        limit,
        oldest=False,
        collect_first=False,
        check_order_later=False,
        id_range=(None, None),
    ) -> tuple[str, list]:
        """The newest (oldest) ``limit`` matches, walking ids in order or collected first.

        ``collect_first`` puts a fence (OFFSET 0) between the match and the ORDER BY … LIMIT, so
        every match is found through the GIN index before the newest are picked.
        ``check_order_later`` (with ``collect_first``) collects the rows of ``looser_tree(tree)``
        instead — a phrase's words in any order, which the index answers without reading a
        vector — sorts them by id and checks the whole tree, word order included, row by row
        until ``limit`` match: only the newest rows holding the words are read, not all of them.
        ``id_range`` (low, high; inclusive, None for open) keeps to the ids between.
        """
        order = "ASC" if oldest else "DESC"
        looser = looser_tree(tree) if check_order_later and collect_first else tree
        where, params = self._where(looser, within)
        for bound, op in zip(id_range, (">=", "<="), strict=True):
            if bound is not None:
                where += f" AND id {op} %s"
                params.append(int(bound))
        if looser != tree:
            sql = (
                f"SELECT id FROM (SELECT id, search_vector FROM articles_article WHERE {where}"
                f" ORDER BY id {order} OFFSET 0) AS found"
                f" WHERE search_vector @@ to_tsquery('{CONFIG}', %s) ORDER BY id {order} LIMIT %s"
            )
            return sql, [*params, compile_tsquery(tree), limit]
        if collect_first:
            sql = (
                f"SELECT id FROM (SELECT id FROM articles_article WHERE {where} OFFSET 0) AS found"
                f" ORDER BY id {order} LIMIT %s"
            )
        else:
            sql = f"SELECT id FROM articles_article WHERE {where} ORDER BY id {order} LIMIT %s"
        return sql, [*params, limit]

    @staticmethod
    def _where(tree, within) -> tuple[str, list]:
        where = f"search_vector @@ to_tsquery('{CONFIG}', %s)"
        params = [compile_tsquery(tree)]
        if within is not None and within.where is not None:
            # On the same rows: the planner can AND the filter's index with the GIN index.
            where += f" AND ({within.where[0]})"
            params += list(within.where[1])
        elif within is not None:
            where += f" AND id IN ({within.sql})"
            params += list(within.params)
        return where, params

    def _way_in(self, tree, *, within, limit, oldest) -> tuple[str, float]:
        """How to find the newest (oldest) matches: WALK ids in order testing each row, COLLECT
        them through the GIN index first, or leave it to the PLANNER; and the matches expected.

        PostgreSQL's planner walks the primary key newest first and tests each row's vector
        until ``limit`` rows match, and prices that test as nearly free. It is not: each test
        reads a compressed vector, so for a word in 5 % of the archive it reads 20 rows per match,
        where the index would hand over every match at a fraction of a row's cost each. Asked
        for its estimate of how many rows match, we take the index when that walk would test
        more rows than the index would return — for a phrase, the rows holding all its words,
        since the index cannot check word order and each of those must be read — and walk
        otherwise. Where the planner finds another way in (a filter on the outlet, say), its
        plan stands.
        """
        estimated = self._estimation_tree(tree)
        plan = self._plan(
            *self.newest_matches_sql(estimated, within=within, limit=limit, oldest=oldest)
        )
        scan = plan.get("Plans", [{}])[0] if plan.get("Node Type") == "Limit" else {}
        heap = scan.get("Plans", [{}])[0] if scan.get("Node Type") == "Sort" else {}
        if scan.get("Index Name") == "articles_article_pkey":
            matches = float(scan.get("Plan Rows", 0))
        elif heap.get("Node Type") == "Bitmap Heap Scan" and [
            node.get("Index Name") for node in heap.get("Plans", [])
        ] == [GIN_INDEX]:
            matches = float(heap.get("Plan Rows", 0))
        else:
            return PLANNER, 0.0
        matches = max(matches, 1.0)
        table = max(self._table_stats()["rows"], matches)
        if has_phrase(tree):
            # The index hands over the rows holding the phrase's words (the estimate is of those
            # rows) at INDEX_ROW_COST each, sorted by id; then word order is checked in id
            # order until ``limit`` rows pass, at least ``limit`` rows read. The walk reads at
            # least limit * table / matches rows (every row with the words holding the phrase).
            # Take the index when it wins even in that best case of the walk.
            wins = matches * INDEX_ROW_COST + limit < limit * table / matches
        else:
            wins = matches * INDEX_ROW_COST < min(table, limit * table / matches)
        return (COLLECT if wins else WALK), matches

    def _estimation_tree(self, tree: Node) -> Node:
        """``tree`` with each prefix as the indexed words it begins, if at most PREFIX_WORDS.

        The planner prices ``word:*`` from the column's most common lexemes, and with fewer
        than 100 of them guesses 2 % of the rows: a prefix found in nearly every article of
        the load benchmark's archive was collected through the index (216 ms at 100k) instead
        of walked (2 ms). Its words, each priced on its own, give the planner the figures it
        has for words. Only estimates are made from this tree; the search runs the prefix.
        """
        prefixes = sorted({leaf.word for leaf in _terms(tree) if leaf.prefix})
        if not prefixes:
            return tree
        words: dict[str, list[str]] = {prefix: [] for prefix in prefixes}
        rows = self._fetch(
            "SELECT p.prefix, w.word FROM unnest(%s::text[]) AS p (prefix)"
            " CROSS JOIN LATERAL (SELECT min(lexeme) AS stem"
            f" FROM unnest(to_tsvector('{CONFIG}', p.prefix))) AS n"
            f" CROSS JOIN LATERAL (SELECT word FROM {WORDS_TABLE} WHERE word >= n.stem"
            " AND word < n.stem || chr(1114111) AND starts_with(word, n.stem)"
            " ORDER BY word LIMIT %s) AS w",
            [prefixes, PREFIX_WORDS + 1],
        )
        for prefix, word in rows:
            words[prefix].append(word)

        def expand(node: Node) -> Node:
            if isinstance(node, Term):
                found = words.get(node.word, []) if node.prefix else []
                if not 0 < len(found) <= PREFIX_WORDS:
                    return node
                terms = tuple(Term(word) for word in found)
                return terms[0] if len(terms) == 1 else Or(terms)
            if isinstance(node, Not):
                return Not(expand(node.child))
            if isinstance(node, And | Or):
                return type(node)(tuple(expand(c) for c in node.children))
            return node

        return expand(tree)

    def _plan(self, sql: str, params: list) -> dict:
        (document,), *_ = self._fetch(f"EXPLAIN (FORMAT JSON) {sql}", params)
        if isinstance(document, str):
            document = json.loads(document)
        return document[0]["Plan"]

    def _table_stats(self) -> dict:
        """The article table's estimated rows and its lowest and highest ids, read once a
        minute (a stale figure only makes the first id range of ``candidate_ids`` hold more
        or fewer matches: the ranges together always cover every id)."""
        now = time.monotonic()
        if _table_stats["at"] + 60 < now:
            (rows, low, high), *_ = self._fetch(
                "SELECT (SELECT reltuples FROM pg_class WHERE oid = 'articles_article'::regclass),"
                " (SELECT min(id) FROM articles_article), (SELECT max(id) FROM articles_article)",
                [],
            )
            _table_stats.update(rows=max(float(rows or 0.0), 0.0), low=low, high=high, at=now)
        return _table_stats

    def ranked_ids(self, tree, ids, *, offset, limit) -> list[int]:
        if not ids:
            return []
        sql = (
            f"SELECT id FROM articles_article WHERE id = ANY(%s::bigint[])"
            f" ORDER BY ts_rank_cd('{WEIGHTS}'::float4[], search_vector,"
            f" to_tsquery('{CONFIG}', %s), 1) DESC, id DESC LIMIT %s OFFSET %s"
        )
        params = [_id_array(ids), compile_tsquery(tree), limit, offset]
        # Not kept planned: a generic plan would parse the tsquery for every row it ranks
        # (its text a parameter, not a constant the planner folds): 9.8 -> 12.0 ms at 500.
        return [row[0] for row in self._fetch(sql, params)]

    def snippets(self, tree, ids) -> dict[int, str]:
        if not ids:
            return {}
        # ts_headline treats "<...>" as HTML tags and drops them, so a snippet would differ from
        # SQLite's (which keeps the text). Angle brackets go through as private-use characters
        # and come back after; safe_snippet() escapes everything either way.
        tsquery = compile_tsquery(tree)
        lexemes = f"SELECT lexeme FROM unnest(to_tsvector('{CONFIG}', %s))"
        headline = f"ts_headline('{CONFIG}', translate({{}}, '<>', %s), q.query, %s)"
        # The window starts after the first space of the lead, unless it starts the body.
        start = (
            f"CASE WHEN first <= {SNIPPET_LEAD + 1} THEN 1 ELSE first - {SNIPPET_LEAD}"
            f" + strpos(substr(body, first - {SNIPPET_LEAD}, {SNIPPET_LEAD}), ' ') END"
        )
        windowed = "in_body AND first IS NOT NULL"
        # A hit on its title alone (the body's part of the stored vector does not match) shows
        # the body's first words, as ts_headline does for a text it finds nothing in: the
        # window at the start holds them. Bodies that fit the window are read as they are.
        text = (
            f"CASE WHEN NOT in_body THEN substr(body, 1, {SNIPPET_WINDOW})"
            f" WHEN {windowed} THEN substr(body, {start}, {SNIPPET_WINDOW}) ELSE body END"
        )
        long = f"length(a.body) > {SNIPPET_WINDOW}"
        sql = (
            f"WITH q AS MATERIALIZED (SELECT to_tsquery('{CONFIG}', %s) AS query),"
            f" lexemes AS MATERIALIZED ({lexemes}),"
            " found AS MATERIALIZED (SELECT a.id, a.body,"
            f" CASE WHEN {long} THEN ts_filter(a.search_vector, '{{b}}') @@ (SELECT query FROM q)"
            " ELSE TRUE END AS in_body,"
            f" CASE WHEN {long} THEN (SELECT min(nullif(strpos(lower(a.body), l.lexeme), 0))"
            " FROM lexemes l) END AS first"
            " FROM articles_article a WHERE a.id = ANY(%s::bigint[]))"
            f" SELECT id, {headline.format(text)}, {windowed} FROM found, q"
        )
        params = [
            tsquery,
            " ".join(_first_words(tree)),
            _id_array(ids),
            ANGLE_STANDINS,
            HEADLINE_OPTIONS,
        ]
        back = str.maketrans(ANGLE_STANDINS, "<>")
        snippets, again = {}, []
        for pk, text, abridged in self._fetch(sql, params, keep_plan=True):
            if abridged and MARK_START not in text:
                again.append(pk)
            else:
                snippets[pk] = text.translate(back)
        if again:
            whole = (
                f"SELECT id, {headline.format('body')} FROM articles_article,"
                f" (SELECT to_tsquery('{CONFIG}', %s) AS query) AS q WHERE id = ANY(%s::bigint[])"
            )
            params = [ANGLE_STANDINS, HEADLINE_OPTIONS, tsquery, _id_array(again)]
            rows = self._fetch(whole, params, keep_plan=True)
            snippets.update((pk, text.translate(back)) for pk, text in rows)
        return snippets

    def id_list_sql(self, ids: list[int]) -> tuple[str, list]:
        return "SELECT unnest(%s::bigint[]) AS id", [_id_array(ids)]

    def in_sample_sql(self, column: str) -> str:
        # As an array the ids reach each index scan in one probe list, where IN (SELECT …)
        # hashed the sample again for every table (facets at 500 matches: 8.1 -> 6.9 ms).
        return f"{column} = ANY((SELECT array_agg(id) FROM sample)::bigint[])"

    def year_sql(self, column: str) -> str:
        return f"CAST(EXTRACT(YEAR FROM {column} AT TIME ZONE 'UTC') AS INTEGER)"

    def similar_words(self, word: str, limit: int = 20) -> list[str]:
        if not word:
            return []
        rows = self._fetch(
            f"SELECT word FROM {WORDS_TABLE} WHERE word %% %s"
            f" ORDER BY similarity(word, %s) DESC, word LIMIT %s",
            [word.lower(), word.lower(), limit],
        )
        return [r[0] for r in rows]


def refresh_vocabulary(connection) -> None:
    """Rebuild the words table from the index (after a bulk load that bypassed its trigger)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WORDS_TABLE} (word) SELECT word FROM"
            " ts_stat('SELECT search_vector FROM articles_article') ON CONFLICT DO NOTHING"
        )
