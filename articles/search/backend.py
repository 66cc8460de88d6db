"""The search backend interface, what backends return, and the choice of backend per database.

This is the only module that asks which database it is on (``connection.vendor``); everything
else talks to a ``SearchBackend``.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.db import connection as default_connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.prepared import planned_cursor

from .query import Node

# Private-use characters mark highlights inside engine output: they survive escaping unchanged
# and are turned into <mark> tags only after the whole snippet has been escaped.
MARK_START = "\ue000"
MARK_END = "\ue001"
_MARKS = re.compile(f"([{MARK_START}{MARK_END}])")

# Bounds that keep a word found in most of the archive as fast as a rare one: totals are counted
# up to CANDIDATES ("1,000+"), date sorts order the newest CANDIDATES matches, and relevance ranks
# the newest RANK_POOL matches (older matches are still found, filtered and counted).
CANDIDATES = 1000
RANK_POOL = 500


def safe_snippet(raw: str) -> SafeString:
    """Escape engine output, then turn the sentinel characters into balanced ``<mark>`` tags.

    Article text can never inject markup: every character from it is escaped, and stray
    sentinel characters in the article itself can at worst add a ``<mark>``, always closed.
    """
    out: list[str] = []
    open_ = False
    for part in _split_marks(escape(raw)):
        if part == MARK_START:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif part == MARK_END:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(part)
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - built from escaped text and our own tags


def _split_marks(text: str) -> list[str]:
    """``text`` cut into runs of text and single marks, in order (empty runs left out)."""
    return [part for part in _MARKS.split(text) if part]


def lead_snippet(body: str, words: int = 40) -> SafeString:
    """The first ``words`` words of a body, escaped: the snippet when there is nothing to mark."""
    parts = body.split()
    text = " ".join(parts[:words]) + (" …" if len(parts) > words else "")
    return safe_snippet(text.replace(MARK_START, "").replace(MARK_END, ""))


@dataclass(frozen=True)
class Within:
    """The articles a search's filters allow, as SQL.

    ``sql``/``params`` select their ids. ``where``, when the filters read only the article table
    (no join), is the same condition as a WHERE clause on ``articles_article`` itself, so an
    engine can combine it with its full-text index on the same rows.
    """

    sql: str
    params: list
    where: tuple[str, list] | None = None


class SearchBackend(ABC):
    """What an engine must do with a query tree. Every SQL fragment uses ``%s`` parameters."""

    vendor = ""
    # Whether the facet statement names only the leading groups of each entity facet (those
    # whose count reaches the FACET_SIZE-th largest, ties kept) instead of every group before
    # ranking them. The top FACET_SIZE are the same either way; which form is cheaper depends
    # on the engine.
    name_leading_facets_only = False

    def __init__(self, connection=None):
        self.connection = connection or default_connection

    @abstractmethod
    def match_sql(self, tree: Node) -> tuple[str, list]:
        """SQL selecting the ids of the articles that match ``tree`` (a positive tree)."""

    @abstractmethod
    def candidates_sql(
        self, tree: Node, *, within: Within | None, limit: int, oldest: bool = False
    ) -> tuple[str, list]:
        """SQL selecting the ids of the newest (or oldest) ``limit`` matches, by id.

        ``within`` is the articles the filters allow, or None for the whole archive.
        Bounding every result set this way keeps a word found in most of the archive as cheap
        as a rare one: ranking, sorting by date and facets work on at most ``limit`` rows.
        """

    def candidate_ids(
        self, tree: Node, *, within: Within | None, limit: int, oldest: bool = False
    ) -> list[int]:
        """The ids ``candidates_sql`` selects, read by whatever statements the engine likes."""
        sql, params = self.candidates_sql(tree, within=within, limit=limit, oldest=oldest)
        return [row[0] for row in self._fetch(sql, params)]

    def scored_candidates_sql(
        self, tree: Node, *, within: Within | None, limit: int
    ) -> tuple[str, list] | None:
        """Like ``candidates_sql`` with each id's relevance score as a second column (lower is
        better), where the engine finds that cheaper than ranking the pool afterwards; else None.
        """
        return None

    @abstractmethod
    def ranked_ids(self, tree: Node, ids: list[int], *, offset: int, limit: int) -> list[int]:
        """One page of ``ids`` (matches of ``tree``), best first: title hits above body-only hits."""

    @abstractmethod
    def snippets(self, tree: Node, ids: list[int]) -> dict[int, str]:
        """Raw snippets with MARK_START/MARK_END around matched words, for ``ids`` only."""

    @abstractmethod
    def year_sql(self, column: str) -> str:
        """SQL for the UTC year of a datetime column (facets count by year)."""

    def in_sample_sql(self, column: str) -> str:
        """SQL true when ``column`` is one of the ids of the statement's ``sample`` (facets)."""
        return f"{column} IN (SELECT id FROM sample)"

    @abstractmethod
    def similar_words(self, word: str, limit: int = 20) -> list[str]:
        """Indexed words (as the index stores them) spelled like ``word``, for "did you mean"."""

    @abstractmethod
    def id_list_sql(self, ids: list[int]) -> tuple[str, list]:
        """SQL selecting exactly ``ids`` as a column ``id``, passed as one parameter (a list of
        hundreds of literals costs more to parse and plan than the query costs to run)."""

    def _fetch(self, sql: str, params: list, *, keep_plan: bool = False) -> list[tuple]:
        """The rows of ``sql``; ``keep_plan``: a statement whose plan does not depend on the
        values, kept planned (``articles.prepared.planned_cursor``, as ``Prepared``'s)."""
        with planned_cursor(self.connection) if keep_plan else self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def get_backend(connection=None) -> SearchBackend:
    """The backend for ``connection`` (default: the default database)."""
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend(connection)
    if connection.vendor == "sqlite":
        from .sqlite import SqliteBackend

        return SqliteBackend(connection)
    raise NotImplementedError(f"No search backend for {connection.vendor}.")
