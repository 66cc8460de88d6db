"""Entity keys in an indexed table of their own, kept by triggers on the entity tables.

Finding an entity by name tested ``key = k OR alias_keys LIKE '%|k|%'``: the substring test cannot
use an index, so every look-up read the whole table — once per author the loader resolves, per
name extraction finds, per search (the entities above the results). ``articles_entitykey`` holds
one row per (kind, entity, key) for the name's key and each alias's; a look-up is an index probe.

The triggers fire on insert, delete, and an update that changes ``key`` or ``alias_keys``, and
rewrite that entity's rows. Keys are letters and digits only (``name_key``), so on SQLite the
``|key|key|`` text splits as a JSON array; text that is not one yields no rows rather than an
error. Keys over 255 characters are left out (the column's width; no name that long is looked up).

Note for later migrations on SQLite: Django rebuilds a table to alter some of its fields, which
drops its triggers; such a migration on an entity table must run ``sqlite_triggers`` again.
"""

from django.db import migrations, models

KINDS = {
    "person": "articles_person",
    "outlet": "articles_outlet",
    "organization": "articles_organization",
    "place": "articles_place",
    "event": "articles_event",
}
KEYS = "articles_entitykey"


def _sqlite_keys(row: str) -> str:
    """SQLite: the keys of ``row`` (NEW or a table alias) as json_each's ``value``."""
    array = (
        f"""'["' || {row}.key || '","' || replace(substr({row}.alias_keys, 2,"""
        f""" max(length({row}.alias_keys) - 2, 0)), '|', '","') || '"]'"""
    )
    return f"json_each(CASE WHEN json_valid({array}) THEN {array} ELSE '[]' END)"


def sqlite_triggers(kind: str) -> list[str]:
    table = KINDS[kind]
    insert = (
        f"INSERT OR IGNORE INTO {KEYS} (kind, entity_id, key) SELECT '{kind}', NEW.id, value"
        f" FROM {_sqlite_keys('NEW')} WHERE value <> '' AND length(value) <= 255;"
    )
    delete = f"DELETE FROM {KEYS} WHERE kind = '{kind}' AND entity_id = OLD.id;"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_keys_insert AFTER INSERT ON {table}"
        f" BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_keys_delete AFTER DELETE ON {table}"
        f" BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_keys_update AFTER UPDATE OF id, key, alias_keys"
        f" ON {table} WHEN OLD.id IS NOT NEW.id OR OLD.key IS NOT NEW.key"
        f" OR OLD.alias_keys IS NOT NEW.alias_keys BEGIN {delete} {insert} END",
    ]


def sqlite_backfill(kind: str) -> str:
    table = KINDS[kind]
    return (
        f"INSERT OR IGNORE INTO {KEYS} (kind, entity_id, key) SELECT '{kind}', e.id, value"
        f" FROM {table} e, {_sqlite_keys('e')} WHERE value <> '' AND length(value) <= 255"
    )


POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {KEYS}_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM {KEYS} WHERE kind = TG_ARGV[0] AND entity_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO {KEYS} (kind, entity_id, key)
        SELECT TG_ARGV[0], NEW.id, k
        FROM unnest(array_append(string_to_array(NEW.alias_keys, '|'), NEW.key)) AS k
        WHERE k <> '' AND length(k) <= 255
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$
"""


def postgres_triggers(kind: str) -> list[str]:
    table = KINDS[kind]
    return [
        f"CREATE TRIGGER {table}_keys_write AFTER INSERT OR DELETE ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION {KEYS}_keep('{kind}')",
        f"CREATE TRIGGER {table}_keys_update AFTER UPDATE OF id, key, alias_keys ON {table}"
        " FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.key IS DISTINCT FROM NEW.key"
        " OR OLD.alias_keys IS DISTINCT FROM NEW.alias_keys)"
        f" EXECUTE FUNCTION {KEYS}_keep('{kind}')",
    ]


def postgres_backfill(kind: str) -> str:
    table = KINDS[kind]
    return (
        f"INSERT INTO {KEYS} (kind, entity_id, key) SELECT '{kind}', e.id, k FROM {table} e,"
        " unnest(array_append(string_to_array(e.alias_keys, '|'), e.key)) AS k"
        " WHERE k <> '' AND length(k) <= 255 ON CONFLICT DO NOTHING"
    )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [s for kind in KINDS for s in (sqlite_backfill(kind), *sqlite_triggers(kind))]
    elif vendor == "postgresql":
        statements = [POSTGRES_FUNCTION]
        for kind in KINDS:
            statements += [postgres_backfill(kind), *postgres_triggers(kind)]
    else:
        return
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in KINDS.values():
        if vendor == "sqlite":
            for event in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_keys_{event}", params=None)
        elif vendor == "postgresql":
            for event in ("write", "update"):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS {table}_keys_{event} ON {table}", params=None
                )
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {KEYS}_keep()", params=None)


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_search_prefix_index")]

    operations = [
        migrations.CreateModel(
            name="EntityKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=16)),
                ("entity_id", models.BigIntegerField()),
                ("key", models.CharField(max_length=255)),
            ],
            options={
                "indexes": [models.Index(fields=["key", "kind"], name="entitykey_lookup")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("entity_id", "kind", "key"), name="entitykey_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
