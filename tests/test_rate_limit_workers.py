"""Rate limits and the page cache hold for the whole app server, not per worker process.

``make serve`` runs several gunicorn workers. Counting in each worker's memory let a client make
its limit times the number of workers; the counters are now one file every worker shares
(articles.ratelimit), and ``make serve`` gives the workers one page cache (CACHE_URL=file://…).
These tests run a real gunicorn with three workers, and real processes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from articles import ratelimit
from tests.appserver import Browser, free_port, server, set_up

WORKERS = 3


@pytest.fixture
def sqlite_pass():
    if connection.vendor != "sqlite":
        pytest.skip("runs in the SQLite pass only (the server gets a database file of its own)")


def _server_env(tmp_path, **limits) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'archive.sqlite3'}",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SUPERUSER_PASSWORD": "correct horse battery staple",
        "RATE_LIMIT_STORE": str(tmp_path / "ratelimit.sqlite3"),
        "PAGE_CACHE_SECONDS": "0",
        **limits,
    }
    env.pop("SECURE_PROXY", None)
    return env


@contextlib.contextmanager
def three_workers(tmp_path, **settings):
    """A gunicorn with three workers on a fresh archive, with ``settings`` in its environment;
    yields a client and the server's log."""
    env = _server_env(tmp_path, **settings)
    set_up(env)
    port, log = free_port(), tmp_path / "gunicorn.log"
    with server(env, port, log, workers=WORKERS):
        yield Browser(port), log


def test_three_workers_allow_a_client_its_search_limit_once(sqlite_pass, tmp_path):
    with three_workers(tmp_path, RATE_LIMIT_SEARCH="5/60", RATE_LIMIT_LOGIN="0") as (browser, log):
        # Each request on a new connection: the workers take turns accepting them.
        answers = [browser.get("/search/?q=bridge") for _ in range(5 * WORKERS)]
    codes = [status for status, _headers, _text in answers]
    assert codes == [200] * 5 + [429] * (5 * WORKERS - 5), log.read_text()
    assert "Too many searches" in answers[-1][2]


def test_three_workers_lock_out_a_password_guesser_after_the_limit(sqlite_pass, tmp_path):
    with three_workers(tmp_path, RATE_LIMIT_SEARCH="0", RATE_LIMIT_LOGIN="3/900") as (guesser, log):
        codes = [
            guesser.post_form(
                "/admin/login/", {"username": "editor", "password": f"guess{attempt}"}
            )[0]
            for attempt in range(3 * WORKERS)
        ]
    # Three wrong passwords get the form again; every later attempt, on any worker, is refused.
    assert codes == [200] * 3 + [429] * (3 * WORKERS - 3), log.read_text()


def test_three_workers_share_one_page_cache(sqlite_pass, tmp_path):
    pages = f"file://{tmp_path / 'pages'}"
    shared = three_workers(
        tmp_path,
        RATE_LIMIT_SEARCH="0",
        RATE_LIMIT_LOGIN="0",
        PAGE_CACHE_SECONDS="300",
        CACHE_URL=pages,
    )
    with shared as (browser, log):
        first = browser.get("/search/?q=bridge")
        # Many readers at once, so that every worker takes some of them.
        with ThreadPoolExecutor(8 * WORKERS) as pool:
            answers = list(
                pool.map(lambda _: browser.get("/search/?q=bridge"), range(24 * WORKERS))
            )
    assert first[0] == 200 and first[1].get("X-Page-Cache") == "miss"
    assert [status for status, _, _ in answers] == [200] * len(answers)
    # Rendered once, by the first worker; every worker then answers from that copy.
    sources = {headers.get("X-Page-Cache") for _, headers, _ in answers}
    assert sources == {"hit"}, log.read_text()
    assert {text for _, _, text in answers} == {first[2]}


def _count_many(path: str, times: int, queue) -> None:
    from django.conf import settings

    settings.RATE_LIMIT_STORE = path
    queue.put([ratelimit.count("search:203.0.113.9", 60) for _ in range(times)])


def test_concurrent_processes_lose_no_count(sqlite_pass, tmp_path, settings):
    path = str(tmp_path / "ratelimit.sqlite3")
    settings.RATE_LIMIT_STORE = path
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_count_many, args=(path, 200, queue)) for _ in range(4)]
    for child in children:
        child.start()
    seen = sorted(n for _ in children for n in queue.get(timeout=60))
    for child in children:
        child.join(timeout=60)
    # Every increment counted once: the four processes together saw each of 1..800 exactly once.
    assert seen == list(range(1, 801))
    assert ratelimit.current("search:203.0.113.9") == 800
