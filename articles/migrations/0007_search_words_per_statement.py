"""PostgreSQL: add new articles' words to the "did you mean" vocabulary once per statement.

The row-level trigger of 0002 ran one ``INSERT … ON CONFLICT`` of a few hundred words for every
article, a sixth of the cost of storing one. A statement-level trigger over the transition table
does it once per multi-row INSERT, each word once, in a fixed order (so two loads that add the same
new words cannot deadlock). Updates of title or body keep the row-level trigger: they are rare and
one row at a time. SQLite needs nothing (its vocabulary is an fts5vocab view).
"""

from django.db import migrations

ROW_TRIGGER = """CREATE TRIGGER articles_search_word_sync AFTER INSERT OR UPDATE OF title, body
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_search_word_add()"""

FORWARDS = [
    "DROP TRIGGER IF EXISTS articles_search_word_sync ON articles_article",
    """CREATE FUNCTION articles_search_word_add_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO articles_search_word (word)
        SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM new_articles ORDER BY 1
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER articles_search_word_sync AFTER INSERT ON articles_article
    REFERENCING NEW TABLE AS new_articles
    FOR EACH STATEMENT EXECUTE FUNCTION articles_search_word_add_rows()""",
    """CREATE TRIGGER articles_search_word_sync_update AFTER UPDATE OF title, body
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_search_word_add()""",
]
BACKWARDS = [
    "DROP TRIGGER IF EXISTS articles_search_word_sync_update ON articles_article",
    "DROP TRIGGER IF EXISTS articles_search_word_sync ON articles_article",
    "DROP FUNCTION IF EXISTS articles_search_word_add_rows()",
    ROW_TRIGGER,
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_search_hyphenated_numbers")]

    operations = [migrations.RunPython(forwards, backwards)]
