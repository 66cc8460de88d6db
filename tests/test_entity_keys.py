"""Finding an entity by any of its names, through the key table the database keeps (0013).

Every path that writes an entity — a save, a bulk update, a merge, a deletion — must leave the
look-up by name right, since the loader, extraction and search all find entities that way.
"""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from articles.curation import merge_entities
from articles.models import EntityKey, Organization, Person
from articles.search import matching_entities
from articles.search.query import parse_query

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("articles.migrations.0013_entity_keys")


def person(name: str, *aliases: str) -> Person:
    entity = Person(name=name, aliases=list(aliases))
    entity.refresh_keys()
    entity.save()
    return entity


def found(model, name: str) -> list[int]:
    return sorted(model.objects.by_name(name).values_list("pk", flat=True))


def test_a_person_is_found_by_every_spelling_of_their_name_and_by_no_other():
    kim = person("Kim Jong Un", "Kim Jong-un", "Kim Chong-un")
    other_kim = person("Kim Yo Jong")
    for spelling in ("Kim Jong Un", "kim jong-un", "Kim Jong-Un", "KIM CHONG UN"):
        assert found(Person, spelling) == [kim.pk], spelling
    assert found(Person, "Kim Yo-jong") == [other_kim.pk]
    assert found(Person, "Kim") == []
    # Kinds stay apart: an organization with the same name is not a person.
    org = Organization(name="Kim Jong Un")
    org.refresh_keys()
    org.save()
    assert found(Organization, "Kim Jong-un") == [org.pk]
    assert found(Person, "Kim Jong-un") == [kim.pk]


def test_editing_aliases_replaces_the_spellings_that_find_the_entity():
    pak = person("Pak Thae Song", "Pak Tae-song")
    pak.aliases = ["Pak Thae-song"]
    pak.refresh_keys()
    pak.save()
    assert found(Person, "Pak Tae-song") == []
    assert found(Person, "Pak Thae-song") == [pak.pk]
    # A write that bypasses the model (a bulk update) is followed too.
    Person.objects.filter(pk=pak.pk).update(alias_keys="|premierpak|")
    assert found(Person, "Premier Pak") == [pak.pk]
    assert found(Person, "Pak Thae-song") == [pak.pk]  # the name itself still finds him


def test_a_merge_moves_the_spellings_and_a_deletion_removes_them():
    keep = person("Mikhail Mishustin")
    duplicate = person("Mikhail Mishoustine", "M. Mishoustine")
    merge_entities(keep=keep, merge=duplicate)
    keep.refresh_from_db()
    assert found(Person, "Mikhail Mishoustine") == [keep.pk]
    assert found(Person, "M. Mishoustine") == [keep.pk]
    keep.delete()
    assert found(Person, "Mikhail Mishustin") == []
    assert not EntityKey.objects.filter(kind="person", entity_id=keep.pk).exists()


def test_search_offers_the_entity_a_query_names_by_an_alias():
    kim = person("Kim Jong Un", "Kim Jong-un")
    offered = matching_entities(parse_query('"kim jong-un" summit').tree)
    assert [(e.kind, e.pk) for e in offered] == [("person", kim.pk)]


def test_the_migration_backfills_the_keys_of_existing_entities():
    kim = person("Kim Jong Un", "Kim Jong-un")
    EntityKey.objects.all().delete()
    assert found(Person, "Kim Jong-un") == []
    backfill = (
        MIGRATION.sqlite_backfill if connection.vendor == "sqlite" else MIGRATION.postgres_backfill
    )
    with connection.cursor() as cursor:
        for kind in MIGRATION.KINDS:
            cursor.execute(backfill(kind))
    assert found(Person, "Kim Jong-un") == [kim.pk]
    assert found(Person, "Kim Jong Un") == [kim.pk]
