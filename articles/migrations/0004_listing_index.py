"""An index in the order article lists use: newest first, undated last, then by id.

``published_at DESC NULLS LAST, id DESC`` cannot use the plain ``published_at`` index on
PostgreSQL, so the home page and outlet pages sorted a whole archive. SQLite already puts NULLs
last in descending order, so the same index without the NULLS clause serves it.
"""

from django.db import migrations

INDEX = "article_newest_first_idx"


def create(apps, schema_editor):
    nulls = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article (published_at DESC{nulls}, id DESC)"
    )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_curator_group")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
