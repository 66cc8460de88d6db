"""PostgreSQL: a stored weighted tsvector (title A, body B) with a GIN index (migration 0002).

The tsquery is built from the tree with every lexeme single-quoted and passed as a parameter to
``to_tsquery``; user text never reaches the tsquery parser as syntax. The text search
configuration ``articles_english`` is English (Snowball stemmer, stop words) plus unaccent, with
hyphenated compounds indexed as their parts only, so token positions match FTS5's.
"""

from __future__ import annotations

from .backend import MARK_END, MARK_START, SearchBackend
from .query import And, Node, Not, Phrase, Term

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


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def match_sql(self, tree: Node) -> tuple[str, list]:
        return (
            f"SELECT id FROM articles_article WHERE search_vector @@ to_tsquery('{CONFIG}', %s)",
            [compile_tsquery(tree)],
        )

    def candidates_sql(self, tree, *, within, limit, oldest=False) -> tuple[str, list]:
        where = f"search_vector @@ to_tsquery('{CONFIG}', %s)"
        params = [compile_tsquery(tree)]
        if within is not None:
            where += f" AND id IN ({within[0]})"
            params += list(within[1])
        order = "ASC" if oldest else "DESC"
        sql = f"SELECT id FROM articles_article WHERE {where} ORDER BY id {order} LIMIT %s"
        return sql, [*params, limit]

    def ranked_ids(self, tree, ids, *, offset, limit) -> list[int]:
        if not ids:
            return []
        sql = (
            f"SELECT id FROM articles_article WHERE id = ANY(%s)"
            f" ORDER BY ts_rank_cd('{WEIGHTS}'::float4[], search_vector,"
            f" to_tsquery('{CONFIG}', %s), 1) DESC, id DESC LIMIT %s OFFSET %s"
        )
        params = [list(ids), compile_tsquery(tree), limit, offset]
        return [row[0] for row in self._fetch(sql, params)]

    def snippets(self, tree, ids) -> dict[int, str]:
        if not ids:
            return {}
        # ts_headline treats "<...>" as HTML tags and drops them, so a snippet would differ from
        # SQLite's (which keeps the text). Angle brackets go through as private-use characters
        # and come back after; safe_snippet() escapes everything either way.
        sql = (
            f"SELECT id, ts_headline('{CONFIG}', translate(body, '<>', %s),"
            f" to_tsquery('{CONFIG}', %s), %s) FROM articles_article WHERE id = ANY(%s)"
        )
        params = [ANGLE_STANDINS, compile_tsquery(tree), HEADLINE_OPTIONS, list(ids)]
        back = str.maketrans(ANGLE_STANDINS, "<>")
        return {pk: text.translate(back) for pk, text in self._fetch(sql, params)}

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
