"""ORM queries compiled to SQL once per process, then run with new values.

Django compiles a QuerySet to SQL every time it is evaluated. On this project's pages that costs
more than running the query: about 0.5 ms a query on the 2-core machine the benchmarks run on,
against tens of microseconds for an indexed read of a few rows. A page that runs ten queries of
a fixed shape therefore spent most of its database time in Python.

``Prepared`` keeps the QuerySet as the one definition of a query. It builds it once per database
and shape with stand-in values, finds where the stand-ins went among the compiled parameters,
and from then on executes the same SQL with the real values in their places, converting the
columns as Django would (dates on SQLite, JSON…). The stand-ins are ordinary values of the right
type that no real query would use, so nothing in the SQL can depend on them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet

# Integers that fit every integer column (PostgreSQL's 4-byte ones too) and are no real id.
FIRST_STAND_IN = 2_000_000_000
# Compiled shapes kept per query: a shape is one per list length or distinct keyword value
# (an offset, a limit); the few in use stay, a crawler's deep pages do not pile up.
MAX_SHAPES = 64


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    params: tuple
    # For each parameter: the index of the value it takes (-1: keep the compiled one), and for
    # list values the position inside the list.
    slots: tuple[tuple[int, int], ...]
    converters: tuple[tuple[int, tuple, Any], ...]


def _shape(value) -> tuple:
    if isinstance(value, list | tuple):
        return ("list", len(value))
    return ("str",) if isinstance(value, str) else ("int",)


class Prepared:
    """A query whose SQL is compiled once per database and shape, then reused.

    ``build`` receives stand-ins for the positional values (a list of stand-ins for a list of
    integers, so ``pk__in`` works) and the keyword arguments as given; it returns a
    values_list() QuerySet. Keyword arguments change the SQL itself (a LIMIT, an OFFSET) and are
    part of the cache key. Positional values are integers, strings or lists of integers and
    must reach the SQL unchanged, as parameters (``exact`` and ``in`` filters, not ``contains``).
    ``keep_plan``: the query's best plan does not depend on the values (rows by primary key,
    an article's own rows), so PostgreSQL may keep one (``planned_cursor``); not for a query
    whose rows per value vary widely (an outlet's articles: 5 or 20,000).
    """

    def __init__(self, build: Callable[..., QuerySet], *, keep_plan: bool = False):
        self.build = build
        self.keep_plan = keep_plan
        self._compiled: dict[tuple, _Compiled] = {}

    def compiled(self, values: Sequence, options: dict, using: str = "default") -> _Compiled:
        connection = connections[using]
        shape = tuple(_shape(v) for v in values)
        key = (using, connection.vendor, shape, tuple(sorted(options.items())))
        found = self._compiled.get(key)
        if found is None:
            if len(self._compiled) >= MAX_SHAPES:
                self._compiled.clear()
            found = self._compiled[key] = self._compile(shape, options, using)
        return found

    def _compile(self, shape: tuple, options: dict, using: str) -> _Compiled:
        stand_ins: dict[object, tuple[int, int]] = {}
        arguments: list = []
        counter = iter(range(FIRST_STAND_IN, FIRST_STAND_IN + 1_000_000))

        def stand_in(kind: str, index: int, position: int):
            n = next(counter)
            value = f"\x1fstand-in {n}\x1f" if kind == "str" else n
            stand_ins[value] = (index, position)
            return value

        for index, (kind, *size) in enumerate(shape):
            if kind == "list":
                arguments.append([stand_in("int", index, i) for i in range(size[0])])
            else:
                arguments.append(stand_in(kind, index, -1))
        queryset = self.build(*arguments, **options)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = tuple(
            stand_ins.get(p, (-1, -1)) if type(p) in (int, str) else (-1, -1) for p in params
        )
        missing = set(stand_ins.values()) - set(slots)
        if missing:
            raise ValueError(f"{self.build!r}: values {sorted(missing)} never reached the SQL")
        selected = [column for column, _sql, _alias in compiler.select]
        converters = tuple(
            (position, tuple(funcs), expression)
            for position, (funcs, expression) in compiler.get_converters(selected).items()
        )
        return _Compiled(sql, tuple(params), slots, converters)

    def rows(self, *values, using: str = "default", **options) -> list[tuple]:
        """The query's rows for ``values`` (and ``options``) as tuples, columns converted."""
        compiled = self.compiled(values, options, using)
        params = [
            p if index < 0 else (values[index] if position < 0 else values[index][position])
            for p, (index, position) in zip(compiled.params, compiled.slots, strict=True)
        ]
        connection = connections[using]
        with planned_cursor(connection) if self.keep_plan else connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, funcs, expression in compiled.converters:
                value = row[position]
                for func in funcs:
                    value = func(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted


# Runs of one statement on a connection before psycopg prepares it: a statement run once (a
# list of ids of a length seldom seen) is not prepared, which would cost a round trip more.
PREPARE_AFTER = 2


def planned_cursor(connection):
    """A cursor whose repeated statements PostgreSQL keeps planned for the connection's life.

    For statements of a fixed shape whose best plan does not depend on the values (facets over a
    sample of ids, names by key, a page's rows by id), planning costs more than running: 1.3 ms
    planning against 0.2 ms running for the entities a query names, 1.6-2.3 ms of a facet
    statement's 7-20 ms. This cursor binds values server-side, so psycopg prepares a statement
    on the server once it has run PREPARE_AFTER times on the connection (psycopg keeps 100 per
    connection, the least used dropped first); PostgreSQL plans a prepared statement for its
    first five runs with their values and, once a generic plan is estimated to cost no more,
    reuses that. Statements whose plan should follow the values — a search's candidates, priced
    from the query's words — go through ``connection.cursor()``. Elsewhere than PostgreSQL, or
    with ``PG_KEEP_PLANS=0`` (a pooler that cannot keep prepared statements), this is
    ``connection.cursor()``.
    """
    if connection.vendor != "postgresql" or not settings.PG_KEEP_PLANS:
        return connection.cursor()
    if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
        return connection.cursor()  # its statements are bound server-side already
    from django.db.backends.postgresql.base import ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    # What Django's connection.cursor() does, with a cursor that binds server-side.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparing off; it only ever applies to cursors that bind
        # server-side, which Django's own do not (they bind client-side and never prepare).
        raw.prepare_threshold = PREPARE_AFTER
    with connection.wrap_database_errors:
        cursor = ServerBindingCursor(raw)
        # As Django's create_cursor: dates come back in the connection's time zone.
        oid = raw.adapters.types["timestamptz"].oid
        if connection.timezone != raw.adapters.get_loader(oid, Format.TEXT).timezone:
            register_tzloader(connection.timezone, cursor)
        return connection._prepare_cursor(cursor)
