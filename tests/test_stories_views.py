"""The story pages and their JSON twins."""

from __future__ import annotations

import datetime as dt
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.utils.html import escape

from articles.models import Article, Outlet, Story
from articles.stories import assign_stories, confirm_story

BODY = (
    "A fire broke out at the {city} chemical plant on {day}, killing {n} workers. Firefighters "
    "battled the blaze for six hours. Prosecutors opened an inquiry into safety violations at "
    "the plant, which employs about 900 people, Governor Helga Brandt said."
)


def article(title, city, n, day, hour, outlet):
    outlet_row, _ = Outlet.objects.get_or_create(name=outlet)
    return Article.objects.create(
        title=title,
        body=BODY.format(city=city, day="Monday", n=n),
        outlet=outlet_row,
        published_at=dt.datetime(2025, 6, 2, hour, tzinfo=dt.UTC) + dt.timedelta(days=day),
        content_hash=f"{title}|{outlet}|{day}|{hour}",
    )


@pytest.fixture
def fire_story(db):
    rows = [
        article("Fire at Ghent plant kills 4", "Ghent", 4, 0, 10, "Morning Courier"),
        article("Ghent blaze: four workers dead", "Ghent", 4, 0, 8, "Daily Herald"),
        article("Ghent plant fire: toll rises to 5", "Ghent", 5, 1, 9, "Morning Courier"),
        article("Inquiry opened after Ghent fire <b>", "Ghent", 5, 2, 7, "World Post"),
    ]
    lone = article("Fire at Porto warehouse", "Porto", 2, 60, 9, "Daily Herald")
    placed = assign_stories([a.pk for a in rows] + [lone.pk])
    assert len({placed[a.pk] for a in rows}) == 1 and placed[lone.pk] != placed[rows[0].pk]
    return Story.objects.get(pk=placed[rows[0].pk]), rows, lone


def test_story_list_html_and_json(client, fire_story):
    story, rows, lone = fire_story
    html = client.get("/stories/").content.decode()
    assert story.name in html.replace("&#x27;", "'")
    assert "4 articles" in html
    assert "Fire at Porto" not in html  # one-article stories are listed with ?min=1 only
    data = client.get("/stories/?format=json").json()
    assert data["count"] == 1 and data["next"] is None and data["previous"] is None
    item = data["results"][0]
    assert item["id"] == story.pk and item["article_count"] == 4
    assert item["url"].endswith(f"/stories/{story.pk}/")
    assert [o["name"] for o in item["outlets"]] == ["Morning Courier", "Daily Herald", "World Post"]
    assert item["date_start"] == "2025-06-02T08:00:00+00:00"
    assert item["date_end"] == "2025-06-04T07:00:00+00:00"
    everything = client.get("/stories/?min=1&format=json").json()
    assert everything["count"] == 2
    assert [r["article_count"] for r in everything["results"]] == [1, 4]  # newest first


def test_story_detail_groups_by_outlet_in_time_order(client, fire_story):
    story, rows, _ = fire_story
    courier, herald, courier_later, post = rows
    data = client.get(f"/stories/{story.pk}/?format=json").json()
    assert data["name"] == story.name and data["status"] == "candidate"
    assert data["first"]["id"] == herald.pk
    assert [a["id"] for a in data["articles"]] == [herald.pk, courier.pk, courier_later.pk, post.pk]
    assert [(c["outlet"]["name"], c["articles"]) for c in data["coverage"]] == [
        ("Daily Herald", [herald.pk]),
        ("Morning Courier", [courier.pk, courier_later.pk]),
        ("World Post", [post.pk]),
    ]
    ids = f"{herald.pk},{courier.pk},{post.pk},{courier_later.pk}"  # one per outlet first
    assert data["compare_url"].endswith(f"/compare/?ids={ids}")
    html = client.get(f"/stories/{story.pk}/").content.decode()
    assert "Compare this coverage" in html
    assert f'href="/compare/?ids={ids}"' in html
    assert "Inquiry opened after Ghent fire &lt;b&gt;" in html  # article text is escaped
    assert html.index("Daily Herald") < html.index("World Post")


def test_confirmed_story_links_its_event(client, fire_story):
    story, _, _ = fire_story
    event = confirm_story(story=story, name="Ghent chemical plant fire")
    data = client.get(f"/stories/{story.pk}/?format=json").json()
    assert data["status"] == "confirmed" and data["name"] == "Ghent chemical plant fire"
    assert data["event"]["id"] == event.pk and data["event"]["kind"] == "event"
    assert all(a["pinned"] for a in data["articles"])
    assert "confirmed event" in client.get(f"/stories/{story.pk}/").content.decode()


def test_unknown_story_is_a_404_that_links_to_search(client, db):
    response = client.get("/stories/999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>This story no longer exists</h1>" in page
    assert "There is no story number 999" in page
    assert '<a href="/search/">Search the archive</a>' in page
    response = client.get("/stories/999/?format=json")
    assert (response.status_code, response.json()) == (
        404,
        {
            "id": 999,
            "detail": "Story 999 no longer exists.",
            "name": None,
            "search_url": "http://testserver/search/",
        },
    )


def test_a_regrouped_story_address_leads_to_the_story_that_took_its_articles(client, fire_story):
    story, rows, _ = fire_story
    call_command("cluster_stories", "--rebuild", verbosity=0)
    regrouped = Story.objects.get(memberships__article=rows[0])
    assert regrouped.pk != story.pk and not Story.objects.filter(pk=story.pk).exists()

    response = client.get(f"/stories/{story.pk}/")
    assert (response.status_code, response["Location"]) == (301, f"/stories/{regrouped.pk}/")
    response = client.get(f"/stories/{story.pk}/", {"format": "json"})
    assert (response.status_code, response["Location"]) == (
        301,
        f"/stories/{regrouped.pk}/?format=json",
    )
    data = client.get(response["Location"]).json()
    assert data["id"] == regrouped.pk
    assert sorted(a["id"] for a in data["articles"]) == sorted(a.pk for a in rows)

    # Regrouped again: the first address leads straight to the newest story, in one hop.
    call_command("cluster_stories", "--rebuild", verbosity=0)
    newest = Story.objects.get(memberships__article=rows[0])
    for old in (story, regrouped):
        assert client.get(f"/stories/{old.pk}/")["Location"] == f"/stories/{newest.pk}/"


def test_a_story_whose_articles_are_gone_says_so_and_links_to_search_for_it(client, fire_story):
    _, _, lone = fire_story
    story = Story.objects.get(memberships__article=lone)
    lone.delete()
    call_command("cluster_stories", "--rebuild", verbosity=0)

    response = client.get(f"/stories/{story.pk}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>This story no longer exists</h1>" in page
    name = escape(story.name)
    assert f"The story “{name}” (number {story.pk}) is no longer in the archive" in page
    search = escape(f"/search/?{urlencode({'q': story.name})}")
    assert f'<a href="{search}">Search the archive for “{name}”</a>' in page
    data = client.get(f"/stories/{story.pk}/", {"format": "json"}).json()
    assert (data["name"], data["search_url"]) == (
        story.name,
        f"http://testserver{unescape(search)}",
    )


def test_other_coverage_and_story_sizes_for_other_pages(fire_story):
    from articles.stories import other_coverage, stories_for, story_of

    story, rows, lone = fire_story
    courier, herald, courier_later, post = rows
    assert story_of(post) == story
    assert list(other_coverage(post)) == [herald, courier, courier_later]
    assert list(other_coverage(lone)) == []
    assert stories_for([post.pk, lone.pk]) == {
        post.pk: (story.pk, 4),
        lone.pk: (story_of(lone).pk, 1),
    }


def test_search_results_fold_a_story_and_say_how_many_more(client, fire_story, settings):
    settings.RATE_LIMITS = {}
    story, rows, lone = fire_story
    page = client.get("/search/", {"q": "fire", "sort": "newest"}).content.decode()
    # One lead per story; the story's other hits on the page fold away beneath it.
    assert page.count("more results from this story on this page") == 1
    assert "3 more results from this story on this page" in page
    assert f'href="/stories/{story.pk}/"' not in page  # every article of the story is shown

    data = client.get("/search/", {"q": "fire", "format": "json"}).json()
    stories = {r["id"]: r["story"] for r in data["results"]}
    assert {stories[a.pk]["id"] for a in rows} == {story.pk}
    assert stories[rows[0].pk]["articles"] == 4
    assert stories[lone.pk]["articles"] == 1


def test_search_links_the_rest_of_a_story_not_on_the_page(client, fire_story, settings):
    settings.RATE_LIMITS = {}
    story = fire_story[0]
    page = client.get("/search/", {"q": '"toll rises"'}).content.decode()
    assert f'<a href="/stories/{story.pk}/">3 more articles in this story</a>' in page


def test_article_page_names_its_story(client, fire_story):
    story, rows, _ = fire_story
    page = client.get(rows[0].get_absolute_url()).content.decode()
    assert f'Part of the story <a href="/stories/{story.pk}/">' in page
    assert "· 4 articles" in page
    data = client.get(rows[0].get_absolute_url(), {"format": "json"}).json()
    assert data["story"]["id"] == story.pk and data["story"]["articles"] == 4
