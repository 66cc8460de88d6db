"""The full-text index, kept in step by the database itself (hand-written, engine-aware).

SQLite: an FTS5 external-content table over articles_article(title, body) with triggers, and an
fts5vocab table over it for "did you mean".
PostgreSQL: a text search configuration (English + unaccent, hyphenated compounds as parts), a
stored generated tsvector (title A, body B) with a GIN index, pg_trgm, and a words table for
"did you mean" filled by a trigger.

Note for later migrations on SQLite: Django rebuilds a table to alter it, which drops its
triggers; a migration that alters articles_article must run SQLITE_TRIGGERS again.
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
        title, body, content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts_vocab USING fts5vocab(articles_fts, 'row')",
]
SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, body
    ON articles_article BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]
SQLITE_REBUILD = "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')"
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TABLE IF EXISTS articles_fts_vocab",
    "DROP TABLE IF EXISTS articles_fts",
]

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION articles_english (COPY = pg_catalog.english)",
    # Hyphenated compounds ("Jong-un") are indexed as their parts only, as FTS5 does, so phrase
    # positions agree between the engines.
    "ALTER TEXT SEARCH CONFIGURATION articles_english DROP MAPPING FOR asciihword, hword, numhword",
    "ALTER TEXT SEARCH CONFIGURATION articles_english"
    " ALTER MAPPING FOR hword_part, word WITH unaccent, english_stem",
    """ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('articles_english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('articles_english'::regconfig, coalesce(body, '')), 'B')
    ) STORED""",
    "CREATE INDEX articles_article_search_vector ON articles_article USING gin (search_vector)",
    "CREATE TABLE articles_search_word (word text PRIMARY KEY)",
    "CREATE INDEX articles_search_word_trgm ON articles_search_word USING gin (word gin_trgm_ops)",
    """CREATE FUNCTION articles_search_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO articles_search_word (word)
        SELECT unnest(tsvector_to_array(NEW.search_vector)) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER articles_search_word_sync AFTER INSERT OR UPDATE OF title, body
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_search_word_add()""",
    """INSERT INTO articles_search_word (word)
    SELECT word FROM ts_stat('SELECT search_vector FROM articles_article')
    ON CONFLICT DO NOTHING""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS articles_search_word_sync ON articles_article",
    "DROP FUNCTION IF EXISTS articles_search_word_add()",
    "DROP TABLE IF EXISTS articles_search_word",
    "DROP INDEX IF EXISTS articles_article_search_vector",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS articles_english",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [*SQLITE_CREATE, *SQLITE_TRIGGERS, SQLITE_REBUILD])
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_CREATE)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
