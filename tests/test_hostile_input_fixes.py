"""Hostile input found by a review of the running app: each case once gave a 500 or bad data."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command

from articles.ingest.pipeline import safe_url
from articles.models import Article, Outlet, Person

pytestmark = pytest.mark.django_db


def load(*paths) -> str:
    err = io.StringIO()
    call_command(
        "load_articles", *map(str, paths), "--no-extract", stdout=io.StringIO(), stderr=err
    )
    return err.getvalue()


def test_control_characters_never_reach_pages_feeds_or_the_database(client, tmp_path, settings):
    settings.RATE_LIMITS = {}
    (tmp_path / "pdf.txt").write_text(
        "Ferry zqxferry sails\n\nPage one.\x0cPage two of the ferry.\n"
    )
    (tmp_path / "bell.json").write_text(
        json.dumps(
            {
                "title": "Bell\u0007 zqxferry",
                "body": "Body\u001b with\u0000 zqxferry.",
                "author": "Ann\u0000 Lee",
                "outlet": "Port\u0007 News",
            }
        )  # fmt: skip
    )
    assert load(tmp_path / "pdf.txt", tmp_path / "bell.json") == ""
    pdf = Article.objects.get(title="Ferry zqxferry sails")
    assert pdf.body == "Page one.\nPage two of the ferry."
    bell = Article.objects.get(title="Bell zqxferry")
    assert bell.body == "Body with zqxferry."
    assert "Ann\\u0000 Lee" in bell.raw_text  # the file as read: nothing lost
    assert Person.objects.filter(name="Ann Lee").exists()
    assert Outlet.objects.filter(name="Port News").exists()
    feed = client.get("/search/", {"q": "zqxferry", "format": "atom"})
    assert feed.status_code == 200
    titles = [
        e.text for e in ET.fromstring(feed.content).iter("{http://www.w3.org/2005/Atom}title")
    ]
    assert "Bell zqxferry" in titles


def test_nul_in_an_entity_filter_is_ignored_not_an_error(client):
    Person.objects.create(name="Zed Alpha")
    Person.objects.create(name="Bea Beta")
    response = client.get("/people/", {"q": "\x00zed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zed Alpha" in page and "Bea Beta" not in page


def test_article_redirects_keep_the_query_string(client):
    article = Article.objects.create(title="A title", body="Text.", content_hash="x")
    for url in (f"/articles/{article.pk}/", f"/articles/{article.pk}/wrong-slug/"):
        response = client.get(url, {"format": "json"})
        assert response.status_code == 301
        assert response["Location"] == f"/articles/{article.pk}/a-title/?format=json"


def test_urls_with_spaces_or_no_web_host_make_no_link_and_no_outlet(tmp_path):
    assert safe_url("http://x y.com/") == ""
    (tmp_path / "a.json").write_text(
        json.dumps(
            [
                {"title": "One", "body": "Text one.", "url": "javascript:alert(1)"},
                {"title": "Two", "body": "Text two.", "url": "http://x y.com/a"},
            ]
        )  # fmt: skip
    )
    load(tmp_path / "a.json")
    assert set(Article.objects.values_list("url", flat=True)) == {""}
    assert not Outlet.objects.exists()


def test_catalogue_entries_of_the_wrong_shape_fail_one_by_one(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "entities": [
                    {"kind": "person", "name": "Zed Alpha", "aliases": "notalist"},
                    {"kind": "person", "name": "Long Name", "aliases": [1, None]},
                    {"kind": "person", "name": "Ann Lee", "aliases": ["A"]},
                    {"kind": "event", "name": "Ev Y", "place": {"x": 1}},
                    {"kind": "person", "name": "Bad Slug", "slug": "bad slug !!"},
                    {"kind": "person", "name": "Good Person", "aliases": ["G. Person"]},
                ],
            }
        )  # fmt: skip
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="5 catalogue"):
        call_command("import_catalogue", str(path), stdout=io.StringIO(), stderr=err)
    messages = err.getvalue()
    assert "aliases must be a list of names" in messages
    assert "too short to match safely" in messages
    assert "place must be the place's name" in messages
    assert "is not a valid slug" in messages
    assert list(Person.objects.values_list("name", "aliases")) == [("Good Person", ["G. Person"])]
