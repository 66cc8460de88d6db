"""SQLite: prefix indexes for 3- and 4-letter prefixes in the full-text index.

Without them FTS5 answers ``bridg*`` by merging the postings of every indexed word that begins so,
for each of the three statements a search page runs (matches, ranking, snippets): 10 ms each for a
4-letter prefix on 100k articles, over 100 ms for a short one. With them a prefix is one posting
list, like a word. The index grows by about 150 %; prefixes need 3 letters (articles/search/query.py),
and longer ones match few enough words to merge quickly. The table is rebuilt from the articles;
the triggers of 0002 refer to it by name and keep working. PostgreSQL needs nothing.
"""

from django.db import migrations

COLUMNS = (
    "title, body, content='articles_article', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2'"
)


def _rebuild(schema_editor, options: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in (
        "DROP TABLE IF EXISTS articles_fts",
        f"CREATE VIRTUAL TABLE articles_fts USING fts5({COLUMNS}{options})",
        "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
    ):
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    _rebuild(schema_editor, ", prefix='3 4'")


def backwards(apps, schema_editor):
    _rebuild(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_article_totals")]

    operations = [migrations.RunPython(forwards, backwards)]
