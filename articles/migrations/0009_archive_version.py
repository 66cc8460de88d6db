"""The archive version: a number that grows whenever anything a page shows is written.

Caches of whole pages and of derived data (the search page's entity names, the gazetteer) are
keyed on it, so they are right the moment an article, a mention or an entity changes, without any
code having to remember to clear them; the database keeps it in step itself, as it keeps the
search index.

SQLite: a one-row table, bumped by a row trigger on every tracked table. The bump is part of the
writing transaction, so a reader sees the new number and the new rows together.
PostgreSQL: a sequence, bumped once per statement, read through a view. A sequence takes no row
lock, so concurrent loads never wait on each other for it (a one-row table would serialise every
writing transaction from its first statement to its commit). A reader may see the number of a
transaction that has not committed yet; the page cache's time limit bounds what that can cost.

Note for later migrations on SQLite: Django rebuilds a table to alter some of its fields, which
drops its triggers; such a migration must create this migration's triggers again
(tests/test_cache.py fails for any tracked table whose writes stop bumping the version).
"""

from django.db import migrations

TRACKED = (
    "articles_article",
    "articles_article_authors",
    "articles_person",
    "articles_outlet",
    "articles_organization",
    "articles_place",
    "articles_event",
    "articles_personmention",
    "articles_outletmention",
    "articles_organizationmention",
    "articles_placemention",
    "articles_eventmention",
    "articles_quote",
    "articles_claim",
    "articles_story",
    "articles_storymembership",
    "articles_entityredirect",
    "articles_storyredirect",
)
VERSION = "articles_archive_version"
SEQUENCE = "articles_archive_version_seq"


def sqlite_triggers(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_version_{event.lower()} AFTER {event} ON {table}
        BEGIN UPDATE {VERSION} SET n = n + 1; END"""
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def postgres_trigger(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
        ON {table} FOR EACH STATEMENT EXECUTE FUNCTION articles_archive_bump()"""
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [
            f"CREATE TABLE {VERSION} (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)",
            f"INSERT INTO {VERSION} (id, n) VALUES (1, 1)",
            *(sql for table in TRACKED for sql in sqlite_triggers(table)),
        ]
    elif vendor == "postgresql":
        statements = [
            f"CREATE SEQUENCE {SEQUENCE}",
            f"SELECT nextval('{SEQUENCE}')",
            f"CREATE VIEW {VERSION} AS SELECT 1 AS id, last_value AS n FROM {SEQUENCE}",
            f"""CREATE FUNCTION articles_archive_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM nextval('{SEQUENCE}');
                RETURN NULL;
            END $$""",
            *(sql for table in TRACKED for sql in postgres_trigger(table)),
        ]
    else:
        return
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [
            f"DROP TRIGGER IF EXISTS {table}_version_{event}"
            for table in TRACKED
            for event in ("insert", "update", "delete")
        ] + [f"DROP TABLE IF EXISTS {VERSION}"]
    elif vendor == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS {table}_version ON {table}" for table in TRACKED]
        statements += [
            "DROP FUNCTION IF EXISTS articles_archive_bump()",
            f"DROP VIEW IF EXISTS {VERSION}",
            f"DROP SEQUENCE IF EXISTS {SEQUENCE}",
        ]
    else:
        return
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_story_redirect")]

    operations = [migrations.RunPython(forwards, backwards)]
