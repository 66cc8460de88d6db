"""The archive version and the page cache: a reader never gets a page older than the archive.

The version is kept by the database (migration 0009); every write to a table that pages show must
raise it, or a cached page would outlive the change. The page cache serves readers' GETs stored
under the current version only, and never what was rendered for a signed-in curator.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F

from articles.cache import CACHE_HEADER, archive_version
from articles.models import (
    Article,
    EntityRedirect,
    Person,
    Story,
    StoryMembership,
    StoryRedirect,
)

pytestmark = pytest.mark.django_db

TRACKED = importlib.import_module("articles.migrations.0009_archive_version").TRACKED


def model_of(table: str):
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table:
            return model
    raise AssertionError(f"no model for {table}")


def test_every_write_to_a_table_pages_show_raises_the_version(seeded):
    story = Story.objects.create(name="Bridge")
    for article in Article.objects.all():
        StoryMembership.objects.get_or_create(article=article, defaults={"story": story})
    StoryRedirect.objects.create(old_id=987654, target_id=None)
    EntityRedirect.objects.create(kind="person", old_slug="gone", target_id=1)
    unchanged = []
    for table in TRACKED:
        model = model_of(table)
        row = model.objects.order_by("pk").first()
        assert row is not None, f"the test archive has no row in {table}"
        field = next(f for f in model._meta.concrete_fields if not f.primary_key)

        before = archive_version()
        model.objects.filter(pk=row.pk).update(**{field.attname: F(field.attname)})
        updated = archive_version()
        with connection.cursor() as cursor:  # no cascade: the rows pointing here stay for later
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])
        deleted = archive_version()
        row.save(force_insert=True)
        inserted = archive_version()
        if not before < updated < deleted < inserted:
            unchanged.append((table, before, updated, deleted, inserted))
    assert unchanged == []


def test_a_readers_page_is_served_from_the_cache_until_the_archive_changes(
    client, archive, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    person = archive["mishustin"]
    url = person.get_absolute_url()

    first = client.get(url)
    second = client.get(url)
    assert first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content

    Person.objects.filter(pk=person.pk).update(description="Prime minister, as cached never said")
    third = client.get(url)
    assert third[CACHE_HEADER] == "miss"
    assert "as cached never said" in third.content.decode()


def test_json_twins_and_other_hosts_are_cached_apart_from_the_html(client, archive, settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.ALLOWED_HOSTS = ["testserver", "archive.example.org"]
    url = archive["mishustin"].get_absolute_url()

    html = client.get(url)
    data = client.get(url, {"format": "json"})
    elsewhere = client.get(url, {"format": "json"}, HTTP_HOST="archive.example.org")

    assert html["Content-Type"].startswith("text/html")
    assert data["Content-Type"] == "application/json"
    assert data[CACHE_HEADER] == elsewhere[CACHE_HEADER] == "miss"
    assert "http://testserver/" in data.json()["url"]
    assert "http://archive.example.org/" in elsewhere.json()["url"]


def test_signed_in_curators_and_pages_that_set_cookies_are_never_cached(
    client, archive, settings, admin_user
):
    settings.PAGE_CACHE_SECONDS = 300
    url = archive["mishustin"].get_absolute_url()
    client.get(url)  # cached for readers

    client.force_login(admin_user)
    signed_in = client.get(url)
    assert CACHE_HEADER not in signed_in
    client.logout()

    login_page = client.get("/admin/login/")  # sets the CSRF cookie
    assert CACHE_HEADER not in login_page
    assert client.get("/admin/login/").status_code == 200
    assert CACHE_HEADER not in client.get("/admin/login/")


def test_a_reader_holding_the_current_page_is_told_it_is_not_modified(client, archive, settings):
    settings.PAGE_CACHE_SECONDS = 300
    url = archive["mishustin"].get_absolute_url()

    first = client.get(url)
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]  # reuse only after checking back
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # Another page's ETag is not this page's.
    other = client.get(archive["putin"].get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200

    Person.objects.filter(pk=archive["mishustin"].pk).update(description="Changed since")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Changed since" in changed.content.decode()
    assert changed["ETag"] != etag


def test_a_feed_reader_polling_a_saved_search_gets_304_until_new_articles_arrive(
    client, seeded, settings, tmp_path
):
    from django.core.management import call_command

    settings.PAGE_CACHE_SECONDS = 300
    settings.RATE_LIMITS = {}
    feed = "/search/?q=bridge&format=atom"
    first = client.get(feed)
    assert first.status_code == 200
    assert client.get(feed, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    article = tmp_path / "new.txt"
    article.write_text("A new bridge opens\n\nThe new bridge opened to traffic on Monday.\n")
    call_command("load_articles", str(article), no_extract=True, verbosity=0)
    polled = client.get(feed, HTTP_IF_NONE_MATCH=first["ETag"])
    assert polled.status_code == 200
    assert "A new bridge opens" in polled.content.decode()


def test_signed_in_curators_get_no_etag_and_never_a_304(client, archive, settings, admin_user):
    settings.PAGE_CACHE_SECONDS = 300
    url = archive["mishustin"].get_absolute_url()
    etag = client.get(url)["ETag"]

    client.force_login(admin_user)
    signed_in = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert signed_in.status_code == 200
    assert "ETag" not in signed_in
