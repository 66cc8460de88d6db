"""SQLite: an FTS5 external-content table over articles (migration 0002), bm25 and snippet().

Every word goes into the MATCH string double-quoted, so nothing a user types is FTS5 syntax:
the operators come from the tree alone.
"""

from __future__ import annotations

import json

from .backend import MARK_END, MARK_START, SearchBackend
from .query import And, Node, Not, Or, Phrase, Term, has_phrase, looser_tree

FTS_TABLE = "articles_fts"
VOCAB_TABLE = "articles_fts_vocab"
# bm25 column weights: a word in the title counts ten times a word in the body; bm25 saturates
# with repetition, so a single title hit outranks any number of body-only hits in practice.
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
# Snippets scan the page's id range when it is at most this many ids wide per id, else probe.
SNIPPET_SCAN_SPAN = 1000


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def compile_match(node: Node) -> str:
    """The FTS5 MATCH expression of a tree."""
    if isinstance(node, Term):
        return _quote(node.word) + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return _quote(" ".join(node.words))
    if isinstance(node, Or):
        return " OR ".join(f"({compile_match(c)})" for c in node.children)
    if isinstance(node, And):
        positive = [c for c in node.children if not isinstance(c, Not)]
        negative = [c for c in node.children if isinstance(c, Not)]
        if not positive:
            raise ValueError("An AND of exclusions alone has nothing to exclude from.")
        expr = " AND ".join(f"({compile_match(c)})" for c in positive)
        for neg in negative:
            expr = f"({expr}) NOT ({compile_match(neg.child)})"
        return expr
    raise ValueError("A lone exclusion has nothing to exclude from.")


class SqliteBackend(SearchBackend):
    vendor = "sqlite"
    # Numbering the named groups is most of SQLite's facet statement (measured at 100k, 500
    # matches: 3.9 -> 2.6 ms naming only the leading ones; PostgreSQL 4-10 % slower that way).
    name_leading_facets_only = True

    def match_sql(self, tree: Node) -> tuple[str, list]:
        return (
            f"SELECT rowid AS id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            [compile_match(tree)],
        )

    def candidates_sql(self, tree, *, within, limit, oldest=False) -> tuple[str, list]:
        return self._newest(tree, within=within, limit=limit, oldest=oldest)

    def _newest(
        self, tree, *, within, limit, oldest=False, columns="rowid AS id"
    ) -> tuple[str, list]:
        where, params = f"{FTS_TABLE} MATCH %s", [compile_match(tree)]
        if within is not None:
            # Unary plus: filter the FTS scan by the ids instead of probing FTS once per id.
            where += f" AND +rowid IN ({within.sql})"
            params += list(within.params)
        order = "ASC" if oldest else "DESC"
        sql = f"SELECT {columns} FROM {FTS_TABLE} WHERE {where} ORDER BY rowid {order} LIMIT %s"
        return sql, [*params, limit]

    def scored_candidates_sql(self, tree, *, within, limit) -> tuple[str, list] | None:
        # A filtered search's newest matches lie far apart, so the ranking statement's rowid
        # range holds most of the archive's matches and scans them all a second time. Scoring
        # while the candidates are found costs less (at 100k, a word in one outlet: 2.0 + 1.8 ms
        # -> 2.7 ms); without filters the pool is one short stretch and the second statement is
        # cheaper. Only where bm25 would rank by this very tree (no phrase, no exclusion).
        if within is None or looser_tree(tree) != tree:
            return None
        score = f"bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        return self._newest(tree, within=within, limit=limit, columns=f"rowid AS id, {score}")

    def ranked_ids(self, tree, ids, *, offset, limit) -> list[int]:
        """The pool ranked by bm25 of ``looser_tree(tree)``: the same order, cheaper to score.

        FTS5's bm25 counts, for each phrase of the MATCH expression, the rows of the whole table
        that contain it (its IDF) before scoring a single row. Exclusions score nothing in a
        matching row, so they are left out, without a scan of every article holding the
        excluded word. A phrase is scored as its words: counting a phrase's rows means checking
        word positions across the archive, three times the cost of counting its words'; the pool
        holds only articles that contain the phrase, and a title holding it holds its words.
        """
        if not ids:
            return []
        # bm25() only exists inside a MATCH query on the FTS table. The rowid range lets FTS5
        # scan just the pool's part of the doclist; the unary plus keeps SQLite from probing the
        # index once per listed id, which would re-run the whole MATCH for each of them.
        listed = ", ".join(str(int(i)) for i in ids)
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
            f" AND rowid >= %s AND rowid <= %s AND +rowid IN ({listed})"
            f" ORDER BY bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}), rowid DESC"
            f" LIMIT %s OFFSET %s"
        )
        params = [compile_match(looser_tree(tree)), min(ids), max(ids), limit, offset]
        return [row[0] for row in self._fetch(sql, params)]

    def snippets(self, tree, ids) -> dict[int, str]:
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        where, params = f"rowid IN ({marks})", list(ids)
        if not has_phrase(tree) and max(ids) - min(ids) <= SNIPPET_SCAN_SPAN * len(ids):
            # Probing the index once per id re-reads every word's doclist for each of them;
            # scanning the ids' range once is cheaper, except where a phrase makes the scan
            # check word positions in every row of the range, or where the ids lie far apart
            # (a filtered search: the range holds most of the archive's matches). Measured at
            # 100k articles: 0.9 ms either way for a page of nearby ids; 1.8 (scan) against
            # 1.1 ms (probes) for a page of one outlet's hits spread over the whole archive.
            where = f"rowid >= %s AND rowid <= %s AND +rowid IN ({marks})"
            params = [min(ids), max(ids), *ids]
        sql = (
            f"SELECT rowid, snippet({FTS_TABLE}, 1, %s, %s, %s, 40) FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH %s AND {where}"
        )
        rows = self._fetch(sql, [MARK_START, MARK_END, " … ", compile_match(tree), *params])
        return {rowid: text for rowid, text in rows}

    def id_list_sql(self, ids: list[int]) -> tuple[str, list]:
        return "SELECT value AS id FROM json_each(%s)", [json.dumps([int(i) for i in ids])]

    def year_sql(self, column: str) -> str:
        # Django stores aware datetimes as UTC ISO text; the year is its first four characters.
        return f"CAST(substr({column}, 1, 4) AS INTEGER)"

    def similar_words(self, word: str, limit: int = 20) -> list[str]:
        # The vocabulary holds porter stems; compare against terms sharing the first letter and
        # of a similar length, which keeps the candidate list short on a large archive.
        word = word.lower()
        if not word:
            return []
        from rapidfuzz import fuzz, process

        rows = self._fetch(
            f"SELECT term FROM {VOCAB_TABLE} WHERE term >= %s AND term < %s"
            f" AND length(term) BETWEEN %s AND %s AND doc > 0",
            [word[0], word[0] + "\U0010ffff", max(1, len(word) - 3), len(word) + 2],
        )
        terms = [r[0] for r in rows]
        found = process.extract(word, terms, scorer=fuzz.ratio, limit=limit, score_cutoff=70)
        return [term for term, _score, _i in found]
