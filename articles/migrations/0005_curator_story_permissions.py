"""Curators also decide about stories: view and change stories and their memberships."""

from importlib import import_module

from django.db import migrations

CODENAMES = ["view_story", "change_story", "view_storymembership", "change_storymembership"]


def grant(apps, schema_editor):
    import_module("articles.migrations.0003_curator_group").ensure_permissions(apps)
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
