"""PostgreSQL: index "mid-2026" and "2025-2026" as words, as SQLite's FTS5 does.

PostgreSQL's parser reads "-2026" after a hyphen as a signed number, so a search for 2026 missed
"mid-2026" there while SQLite found it. The generated tsvector now sees a space where a hyphen
joins a word to a number. SQLite needs nothing.
"""

from django.db import migrations


def _vector(hyphen_fix: bool) -> str:
    def text(column):
        source = f"coalesce({column}, '')"
        if hyphen_fix:
            source = rf"regexp_replace({source}, '(\w)-(\d)', '\1 \2', 'g')"
        return f"to_tsvector('articles_english'::regconfig, {source})"

    return (
        "ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        f"setweight({text('title')}, 'A') || setweight({text('body')}, 'B')) STORED"
    )


def _rebuild(schema_editor, hyphen_fix: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "DROP INDEX IF EXISTS articles_article_search_vector",
        "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
        _vector(hyphen_fix),
        "CREATE INDEX articles_article_search_vector ON articles_article USING gin (search_vector)",
    ):
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    _rebuild(schema_editor, hyphen_fix=True)


def backwards(apps, schema_editor):
    _rebuild(schema_editor, hyphen_fix=False)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_curator_story_permissions")]

    operations = [migrations.RunPython(forwards, backwards)]
