"""Shared set-up for the benchmarks: a fresh database on the chosen engine, migrated.

SQLite: a new file under var/bench/. PostgreSQL: DATABASE_URL if it names one (its database is
recreated as <name>_bench), else 127.0.0.1:5432, else a throwaway cluster from tests/pgcluster.py.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Benchmarks time rendering, not the page cache (articles/cache.py) nor the per-article memos
# (articles/memo.py: a query timed fifty times would find its results' rows kept after the first).
# bench/load.py serves as production does, with all of them on; a variable set by whoever runs a
# benchmark is left as it is.
RENDER_ONLY = {"PAGE_CACHE_SECONDS": "0", "HIT_MEMO": "0", "COMPARE_MEMO": "0"}
SET_BY_CALLER = {name for name in RENDER_ONLY if name in os.environ}
for _name, _value in RENDER_ONLY.items():
    os.environ.setdefault(_name, _value)


def production_env(env: dict) -> dict:
    """``env`` without the render-only settings above that the caller did not set themselves."""
    return {k: v for k, v in env.items() if k in SET_BY_CALLER or k not in RENDER_ONLY}


@contextlib.contextmanager
def database(engine: str, name: str):
    """Point Django at a fresh, migrated database on ``engine``; yield its URL."""
    import django

    cluster = None
    if engine == "sqlite":
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        import psycopg

        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith("postgres"):
            base = "postgres://postgres@127.0.0.1:5432/postgres"
            try:
                psycopg.connect(base, connect_timeout=2).close()
            except psycopg.OperationalError:
                from tests.pgcluster import throwaway_cluster

                cluster = throwaway_cluster()
                base = cluster.__enter__().url
        server = base.rsplit("/", 1)[0]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "na_{name}"')
            conn.execute(f'CREATE DATABASE "na_{name}"')
        url = f"{server}/na_{name}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        if cluster is not None:
            cluster.__exit__(None, None, None)
