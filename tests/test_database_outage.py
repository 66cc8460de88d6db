"""A lost database: the running app answers a friendly 503, then recovers by itself.

The app runs as a real server (gunicorn, one sync worker, so one persistent database connection is
reused across requests as in production) against a throwaway PostgreSQL cluster that the test stops
and starts again on the same port. Runs once per ``make test``: in the PostgreSQL pass.
"""

from __future__ import annotations

import html
import os
import secrets
import time

import pytest
from django.db import connection

from tests.appserver import Browser, free_port, server, set_up
from tests.pgcluster import find_binaries, throwaway_cluster

SEED_TITLES = [
    "Russia, North Korea start building first road link amid growing alliance",
    "Strategic bridge over river to connect Russia and North Korea by 2026",
]
FRIENDLY = "temporarily unavailable"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def cluster():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass only (stops and starts a PostgreSQL cluster)")
    if find_binaries() is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI=true but PostgreSQL server binaries (initdb, pg_ctl) are missing")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    with throwaway_cluster() as started:
        yield started


def assert_friendly_503(status: int, headers: dict, text: str, path: str) -> None:
    assert status == 503, f"{path}: {status}\n{text[:2000]}"
    assert FRIENDLY in text.lower(), path
    assert "Traceback" not in text and "OperationalError" not in text, path
    assert headers.get("Retry-After") == "30", path


def test_pages_answer_503_while_the_database_is_down_and_recover_without_restart(cluster, tmp_path):
    import psycopg

    with psycopg.connect(cluster.url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE newsarchive")
    database_url = cluster.url.rsplit("/", 1)[0] + "/newsarchive"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        "RATE_LIMIT_SEARCH": "0",
    }
    env.pop("SECURE_PROXY", None)
    set_up(env)
    with psycopg.connect(database_url) as db:
        article_id, slug = db.execute("SELECT id, slug FROM articles_article LIMIT 1").fetchone()
    article_path = f"/articles/{article_id}/{slug}/"
    port, log = free_port(), tmp_path / "gunicorn.log"

    with server(env, port, log):
        browser, editor = Browser(port), Browser(port)
        status, _, home = browser.get("/")
        assert status == 200, home[:2000]
        for title in SEED_TITLES:
            assert html.escape(title) in home
        editor.sign_in("editor", PASSWORD)
        assert editor.get("/admin/")[0] == 200

        cluster.stop()
        for path in ("/", article_path, "/search/?q=bridge", "/people/", "/?format=json"):
            assert_friendly_503(*browser.get(path), path)
        # Session and user look-ups hit the database in middleware, before any view runs.
        assert_friendly_503(*editor.get("/admin/"), "/admin/ (signed in)")
        assert_friendly_503(*editor.get("/admin/articles/article/"), "admin article list")

        cluster.start()
        deadline, status = time.time() + 15, None
        while time.time() < deadline:
            status, _, home = browser.get("/")
            if status == 200:
                break
            time.sleep(0.5)
        assert status == 200, f"no recovery after the database came back:\n{log.read_text()}"
        for title in SEED_TITLES:
            assert html.escape(title) in home
        assert browser.get(article_path)[0] == 200
        assert editor.get("/admin/")[0] == 200  # the session survived the outage

    assert "Traceback" not in log.read_text(), log.read_text()
