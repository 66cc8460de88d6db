"""A lost database: the running app answers a friendly 503, then recovers by itself.

The app runs as a real server (gunicorn, one sync worker, so one persistent database connection is
reused across requests as in production) against a throwaway PostgreSQL cluster that the test stops
and starts again on the same port. Runs once per ``make test``: in the PostgreSQL pass.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.pgcluster import find_binaries, throwaway_cluster

ROOT = Path(__file__).resolve().parent.parent
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# One process for the set-up: each Django start-up costs seconds on a busy machine.
SET_UP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("load_articles", "fixtures/seeds", no_extract=True, verbosity=0)
call_command("createsuperuser", interactive=False, username="editor", email="e@example.org")
"""


def set_up(env: dict) -> None:
    """Migrate, load the seeds and create a superuser, in a subprocess with ``env``."""
    result = subprocess.run(
        [sys.executable, "-c", SET_UP], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


class Browser:
    """Plain HTTP requests to the server, keeping cookies (enough for the admin sign-in)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text

    def get(self, path: str):
        return self.request("GET", path)

    def sign_in(self, username: str, password: str) -> None:
        _, _, page = self.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = f"csrfmiddlewaretoken={token}&username={username}&password={password}&next=/admin/"
        status, headers, _ = self.request(
            "POST",
            "/admin/login/",
            body=form.replace(" ", "+"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/admin/login/",
            },
        )
        assert status == 302, "the admin sign-in should redirect"
        assert "sessionid" in self.cookies


@contextlib.contextmanager
def server(env: dict, port: int, log: Path):
    """gunicorn serving the app on 127.0.0.1:port until the block ends."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsarchive.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
