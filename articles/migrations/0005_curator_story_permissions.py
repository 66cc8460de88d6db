"""Curators also decide about stories: view and change stories and their memberships."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_story", "change_story", "view_storymembership", "change_storymembership"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Curator")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Curator").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_listing_index")]

    operations = [migrations.RunPython(grant, revoke)]
