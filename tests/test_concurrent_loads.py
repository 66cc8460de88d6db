"""Two ``load_articles`` processes loading the same directory at once store each article once.

Real processes on a real shared database: a temporary SQLite file, or a fresh database on the
PostgreSQL server the test session uses. Each process runs the ordinary management command; a tiny
wrapper only holds both at a common start line after Django has set up, so their writes overlap
instead of one finishing while the other is still importing.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
GENERATED = 200
NAMES = [
    f"{a} {b}" for a in ("Anna", "Boris", "Chen", "Dara") for b in ("Ivanova", "Novak", "Park")
]
OUTLETS = ["The Daily Herald", "The Evening Courier", "The Weekly Ledger"]
WORDS = "bridge river road minister talks border troops construction agreement city".split()

# Set up Django, say so, wait until every process has, then run the command exactly as manage.py
# would (same output, same exit codes).
START_LINE = """
import os, sys, time
from pathlib import Path
import django
django.setup()
import articles.management.commands.load_articles  # noqa: F401 - import before the start line
from django.core.management import execute_from_command_line
ready = Path(os.environ["READY_DIR"])
(ready / str(os.getpid())).touch()
deadline = time.time() + 120
while len(list(ready.iterdir())) < int(os.environ["PROCESSES"]) and time.time() < deadline:
    time.sleep(0.005)
execute_from_command_line(["manage.py", *sys.argv[1:]])
"""


def write_directory(folder: Path) -> int:
    """~200 generated articles (text files and JSON Lines) plus the seeds; returns the count."""
    folder.mkdir()
    lines = []
    for i in range(GENERATED):
        words = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(40))
        title = f"Generated report number {i} on the {WORDS[i % len(WORDS)]}"
        body = f"{words.capitalize()} {i}.\n\nA second paragraph for report {i}."
        author, outlet = NAMES[i % len(NAMES)], OUTLETS[i % len(OUTLETS)]
        if i % 2:
            text = f"Title: {title}\nAuthor: {author}\nSource: {outlet}\n\n{body}\n"
            (folder / f"gen{i:03d}.txt").write_text(text, encoding="utf-8")
        else:
            item = {"title": title, "body": body, "authors": [author], "outlet": outlet}
            lines.append(json.dumps(item))
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    return GENERATED + len(list(SEEDS.glob("*.txt")))


def run_manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def counts_sqlite(path: Path) -> dict:
    with sqlite3.connect(path) as db:
        return _counts(db.execute)


def counts_postgres(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as db:
        return _counts(lambda sql: db.execute(sql))


def _counts(execute) -> dict:
    def one(sql):
        return execute(sql).fetchone()[0]

    return {
        "articles": one("SELECT COUNT(*) FROM articles_article"),
        "distinct_hashes": one("SELECT COUNT(DISTINCT content_hash) FROM articles_article"),
        "distinct_titles": one("SELECT COUNT(DISTINCT title) FROM articles_article"),
        "people": one("SELECT COUNT(*) FROM articles_person"),
        "distinct_people": one("SELECT COUNT(DISTINCT key) FROM articles_person"),
        "outlets": one("SELECT COUNT(*) FROM articles_outlet"),
        "distinct_outlets": one("SELECT COUNT(DISTINCT key) FROM articles_outlet"),
        "generated_without_author": one(
            "SELECT COUNT(*) FROM articles_article a WHERE a.title LIKE 'Generated report%' "
            "AND NOT EXISTS (SELECT 1 FROM articles_article_authors l WHERE l.article_id = a.id)"
        ),
    }


@pytest.fixture
def shared_database(tmp_path):
    """(DATABASE_URL, counting function) for a fresh database both processes can reach."""
    if connection.vendor == "postgresql":
        import psycopg

        settings = connection.settings_dict
        server = (
            f"postgres://{settings['USER'] or 'postgres'}"
            f"{':' + settings['PASSWORD'] if settings['PASSWORD'] else ''}"
            f"@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        )
        name = f"na_conc_{secrets.token_hex(4)}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{server}/{name}"
        try:
            yield url, lambda: counts_postgres(url)
        finally:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "db.sqlite3"
        yield f"sqlite:///{path}", lambda: counts_sqlite(path)


def test_two_loads_of_the_same_directory_store_each_article_once(tmp_path, shared_database):
    url, counts = shared_database
    folder = tmp_path / "articles"
    expected = write_directory(folder)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "newsarchive.settings"}
    migrated = run_manage(env, "migrate", "--noinput", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr

    (tmp_path / "ready").mkdir()
    env.update(READY_DIR=str(tmp_path / "ready"), PROCESSES="2")
    command = [sys.executable, "-c", START_LINE, "load_articles", str(folder), "--no-extract"]
    loads = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [load.communicate(timeout=300) for load in loads]

    for load, (out, err) in zip(loads, outputs, strict=True):
        assert load.returncode == 0, f"exit {load.returncode}\n{out.decode()}\n{err.decode()}"
    summaries = [out.decode().strip().splitlines()[-1] for out, _ in outputs]
    loaded = [int(s.split(" loaded")[0].rsplit(" ", 1)[-1]) for s in summaries]
    assert sum(loaded) == expected, summaries  # every article loaded by exactly one of them
    found = counts()
    assert found["articles"] == expected
    assert found["distinct_hashes"] == expected
    assert found["distinct_titles"] == expected
    assert found["people"] == found["distinct_people"] == len(NAMES) + 2  # two seed bylines
    assert found["outlets"] == found["distinct_outlets"]
    assert found["generated_without_author"] == 0
