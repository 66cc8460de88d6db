"""The "Curator" group: exactly the permissions curation needs.

Curators view and change entities, mentions, articles, quotes and claims, merge records and rejected
surface forms, and add merge records (merging) and rejected surface forms ("reject everywhere").
They cannot delete articles or manage users, groups or permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Curator"
VIEW_CHANGE = [
    "person",
    "outlet",
    "organization",
    "place",
    "event",
    "personmention",
    "outletmention",
    "organizationmention",
    "placemention",
    "eventmention",
    "article",
    "quote",
    "claim",
    "mergerecord",
    "rejectedsurface",
]
ADD = ["mergerecord", "rejectedsurface"]
CODENAMES = [f"{action}_{model}" for model in VIEW_CHANGE for action in ("view", "change")] + [
    f"add_{model}" for model in ADD
]


def ensure_permissions(apps) -> None:
    """Create every model's permissions now (Django normally does it after migrations run).

    create_permissions skips app configs without a models module, as migration states have.
    """
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module


def create_curator_group(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=CODENAMES
    )
    missing = set(CODENAMES) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Permissions missing for the Curator group: {sorted(missing)}")
    group.permissions.set(permissions)


def delete_curator_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_curator_group, delete_curator_group)]
