"""How many articles mention each person, organization, place and event, kept by the database.

Pages show "mentioned in N articles" and sort the entity lists by it; counting the mentions of a
name found in a third of the archive took longer than the rest of its page. The number is the
count of distinct articles with at least one visible (not rejected) mention of the entity, kept in
``articles_<kind>total`` (one row per entity that has any) by triggers on the mention table, so it
is right after any write — extraction, curation, merges and their undoing, the admin, cascades.

SQLite: row triggers. A row changes the count only when it is the first visible mention of its
entity in its article, or the last one to go; SQLite runs a row trigger right after its row is
written, before the statement's next row, so each trigger sees the rows before it.

PostgreSQL: one trigger per statement, reading the statement's rows from its transition tables.
For each (article, entity) pair the statement touched it compares "visible before" with "visible
after", then applies the sums per entity in one pass. Deadlocks: the rows of the totals table a
statement changes are locked in entity-id order, and the extraction store writes its kinds in a
fixed order, so two loads storing articles at once wait for each other at worst; they cannot
each hold a row the other needs.

Note for later migrations on SQLite: Django rebuilds a mention table to alter some of its fields,
which drops its triggers; such a migration must run ``sqlite_triggers`` for that table again.
"""

from django.db import migrations, models

KINDS = ("person", "organization", "place", "event")
VISIBLE = "status <> 'rejected'"


def _tables(kind: str) -> tuple[str, str]:
    return f"articles_{kind}mention", f"articles_{kind}total"


def sqlite_triggers(kind: str) -> list[str]:
    mentions, total = _tables(kind)

    def others(row: str, *, excluding_itself: bool) -> str:
        own = f" AND m.id <> {row}.id" if excluding_itself else ""
        return (
            f"SELECT 1 FROM {mentions} m WHERE m.article_id = {row}.article_id"
            f" AND m.entity_id = {row}.entity_id AND m.{VISIBLE}{own}"
        )

    add = (
        f"INSERT INTO {total} (entity_id, articles) SELECT NEW.entity_id, 1 WHERE {{when}}"
        f" AND NOT EXISTS ({others('NEW', excluding_itself=True)})"
        " ON CONFLICT (entity_id) DO UPDATE SET articles = articles + 1;"
    )
    remove = (
        f"UPDATE {total} SET articles = articles - 1 WHERE entity_id = OLD.entity_id AND {{when}}"
        f" AND NOT EXISTS ({others('OLD', excluding_itself=False)});"
    )
    same_pair_was_visible = (
        f"OLD.{VISIBLE} AND OLD.article_id = NEW.article_id AND OLD.entity_id = NEW.entity_id"
    )
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {mentions}_total_insert AFTER INSERT ON {mentions}
        BEGIN {add.format(when=f"NEW.{VISIBLE}")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS {mentions}_total_delete AFTER DELETE ON {mentions}
        BEGIN {remove.format(when=f"OLD.{VISIBLE}")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS {mentions}_total_update
        AFTER UPDATE OF article_id, entity_id, status ON {mentions}
        BEGIN
            {remove.format(when=f"OLD.{VISIBLE}")}
            {add.format(when=f"NEW.{VISIBLE} AND NOT ({same_pair_was_visible})")}
        END""",
    ]


# Per pair the statement touched: visible after (the table now) minus visible before (the
# table without the statement's new rows, plus its old rows).
POSTGRES_DELTAS = """
SELECT p.entity_id, SUM(
    EXISTS (SELECT 1 FROM {mentions} m WHERE m.article_id = p.article_id
            AND m.entity_id = p.entity_id AND m.status <> 'rejected')::int
    - (ov.article_id IS NOT NULL OR EXISTS (
        SELECT 1 FROM {mentions} m WHERE m.article_id = p.article_id
        AND m.entity_id = p.entity_id AND m.status <> 'rejected'
        AND m.id NOT IN (SELECT id FROM {new})))::int
) AS delta
FROM (SELECT article_id, entity_id FROM {new} UNION SELECT article_id, entity_id FROM {old}) p
LEFT JOIN (SELECT DISTINCT article_id, entity_id FROM {old} WHERE status <> 'rejected') ov
    ON ov.article_id = p.article_id AND ov.entity_id = p.entity_id
GROUP BY p.entity_id
"""
# Stands in for the transition table a statement does not have (no old rows for an INSERT…).
NO_ROWS = (
    "(SELECT NULL::bigint AS id, NULL::bigint AS article_id, NULL::bigint AS entity_id,"
    " NULL::varchar AS status WHERE false) AS no_rows"
)


def postgres_function(kind: str) -> str:
    mentions, total = _tables(kind)

    def deltas(old: str, new: str) -> str:
        query = POSTGRES_DELTAS.format(mentions=mentions, old=old, new=new)
        return (
            "SELECT array_agg(entity_id ORDER BY entity_id), array_agg(delta ORDER BY entity_id)"
            f" INTO ids, deltas FROM ({query}) d WHERE delta <> 0;"
        )

    return f"""CREATE FUNCTION {total}_count() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        ids bigint[];
        deltas bigint[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {deltas(NO_ROWS, "new_rows")}
        ELSIF TG_OP = 'DELETE' THEN
            {deltas("old_rows", NO_ROWS)}
        ELSE
            {deltas("old_rows", "new_rows")}
        END IF;
        IF ids IS NULL THEN
            RETURN NULL;
        END IF;
        -- One order for every writer: entity id.
        PERFORM 1 FROM {total} WHERE entity_id = ANY (ids) ORDER BY entity_id FOR UPDATE;
        UPDATE {total} t SET articles = t.articles + d.delta
        FROM unnest(ids, deltas) AS d (entity_id, delta) WHERE t.entity_id = d.entity_id;
        INSERT INTO {total} AS t (entity_id, articles)
        SELECT d.entity_id, d.delta FROM unnest(ids, deltas) AS d (entity_id, delta)
        WHERE d.delta > 0 AND NOT EXISTS (SELECT 1 FROM {total} x WHERE x.entity_id = d.entity_id)
        ORDER BY d.entity_id
        ON CONFLICT (entity_id) DO UPDATE SET articles = t.articles + EXCLUDED.articles;
        RETURN NULL;
    END $$"""


def postgres_triggers(kind: str) -> list[str]:
    mentions, total = _tables(kind)
    return [
        postgres_function(kind),
        f"""CREATE TRIGGER {mentions}_total_insert AFTER INSERT ON {mentions}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {total}_count()""",
        f"""CREATE TRIGGER {mentions}_total_delete AFTER DELETE ON {mentions}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {total}_count()""",
        f"""CREATE TRIGGER {mentions}_total_update AFTER UPDATE ON {mentions}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION {total}_count()""",
    ]


def backfill(kind: str) -> str:
    mentions, total = _tables(kind)
    return (
        f"INSERT INTO {total} (entity_id, articles) SELECT entity_id, COUNT(DISTINCT article_id)"
        f" FROM {mentions} WHERE {VISIBLE} GROUP BY entity_id"
    )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for kind in KINDS:
        if vendor == "sqlite":
            statements = sqlite_triggers(kind)
        elif vendor == "postgresql":
            statements = postgres_triggers(kind)
        else:
            return
        for sql in [backfill(kind), *statements]:
            schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for kind in KINDS:
        mentions, total = _tables(kind)
        events = ("insert", "delete", "update")
        if vendor == "sqlite":
            statements = [f"DROP TRIGGER IF EXISTS {mentions}_total_{event}" for event in events]
        elif vendor == "postgresql":
            statements = [
                *(f"DROP TRIGGER IF EXISTS {mentions}_total_{e} ON {mentions}" for e in events),
                f"DROP FUNCTION IF EXISTS {total}_count()",
            ]
        else:
            return
        for sql in statements:
            schema_editor.execute(sql, params=None)


def _total_model(name: str) -> migrations.CreateModel:
    return migrations.CreateModel(
        name=name,
        fields=[
            ("entity_id", models.BigIntegerField(primary_key=True, serialize=False)),
            ("articles", models.IntegerField(default=0)),
        ],
        options={"abstract": False},
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_covering_indexes")]

    operations = [
        _total_model("EventTotal"),
        _total_model("OrganizationTotal"),
        _total_model("PersonTotal"),
        _total_model("PlaceTotal"),
        migrations.RunPython(forwards, backwards),
    ]
