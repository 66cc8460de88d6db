"""Curators' story decisions through the admin: confirm, rename, merge, split off, move out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from articles.models import Article, Event, Story, StoryMembership
from articles.stories import rebuild_stories

pytestmark = pytest.mark.django_db

STORIES = "/admin/articles/story/"
MEMBERSHIPS = "/admin/articles/storymembership/"


@pytest.fixture
def curator_client() -> Client:
    user = get_user_model().objects.create_user("cora", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    client = Client()
    client.force_login(user)
    return client


def story_of(*articles: Article, name: str) -> Story:
    story = Story.objects.create(name=name)
    for article in articles:
        StoryMembership.objects.create(story=story, article=article, score=0.5)
    return story


@pytest.fixture
def stories():
    when = dt.datetime(2025, 4, 30, 9, tzinfo=dt.UTC)
    arts = [
        Article.objects.create(
            title=f"Bridge article {n}",
            body=f"The Tumen River road bridge ceremony, report {n}.",
            content_hash=f"s{n}",
            published_at=when + dt.timedelta(hours=n),
        )
        for n in range(5)
    ]
    big = story_of(*arts[:3], name="Tumen bridge ceremony")
    small = story_of(*arts[3:], name="Bridge ceremony follow-up")
    return big, small, arts


def action(client, url, name, ids):
    return client.post(url, {"action": name, "_selected_action": [str(i) for i in ids]})


def test_confirm_as_event_links_every_article(curator_client, stories):
    big, _, arts = stories
    response = action(curator_client, STORIES, "confirm_selected", [big.pk])
    assert response.status_code == 302
    big.refresh_from_db()
    assert big.status == Story.Status.CONFIRMED
    event = Event.objects.get(pk=big.event_id)
    assert event.name == "Tumen bridge ceremony"
    assert set(event.articles.values_list("id", flat=True)) == {a.pk for a in arts[:3]}
    assert LogEntry.objects.filter(object_id=str(big.pk), change_message__contains="Confirmed")


def test_merge_keeps_the_largest_and_survives_a_rebuild(curator_client, stories):
    big, small, arts = stories
    action(curator_client, STORIES, "merge_selected", [big.pk, small.pk])
    assert list(Story.objects.values_list("pk", flat=True)) == [big.pk]
    assert big.memberships.count() == 5
    rebuild_stories()
    assert Story.objects.get(pk=big.pk).memberships.count() == 5


def test_a_merged_story_address_leads_to_the_story_it_joined(curator_client, stories):
    big, small, _ = stories
    action(curator_client, STORIES, "merge_selected", [big.pk, small.pk])
    reader = Client()
    response = reader.get(f"/stories/{small.pk}/", {"format": "json"})
    assert (response.status_code, response["Location"]) == (301, f"/stories/{big.pk}/?format=json")
    data = reader.get(response["Location"]).json()
    assert (data["id"], data["article_count"]) == (big.pk, 5)


def test_a_story_emptied_by_moves_leads_to_where_its_last_article_went(curator_client, stories):
    _, small, arts = stories
    for article in arts[3:]:
        membership = StoryMembership.objects.get(article=article)
        action(curator_client, MEMBERSHIPS, "move_out", [membership.pk])
    assert not Story.objects.filter(pk=small.pk).exists()
    last = StoryMembership.objects.get(article=arts[4]).story_id
    response = Client().get(f"/stories/{small.pk}/")
    assert (response.status_code, response["Location"]) == (301, f"/stories/{last}/")


def test_rename_locks_the_name(curator_client, stories):
    big, _, _ = stories
    url = f"{STORIES}{big.pk}/change/"
    data = {
        "name": "Ground-breaking on the Tumen",
        "memberships-TOTAL_FORMS": "3",
        "memberships-INITIAL_FORMS": "3",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(big.memberships.order_by("pk")):
        data[f"memberships-{i}-id"] = str(m.pk)
        data[f"memberships-{i}-story"] = str(big.pk)
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    big.refresh_from_db()
    assert (big.name, big.name_locked) == ("Ground-breaking on the Tumen", True)


def test_split_off_and_move_out_from_the_membership_list(curator_client, stories):
    big, _, arts = stories
    first = StoryMembership.objects.get(article=arts[0])
    action(curator_client, MEMBERSHIPS, "split_off", [first.pk])
    first.refresh_from_db()
    assert first.story_id != big.pk and first.pinned
    assert big.memberships.count() == 2

    second = StoryMembership.objects.get(article=arts[1])
    action(curator_client, MEMBERSHIPS, "move_out", [second.pk])
    second.refresh_from_db()
    assert second.story_id not in (big.pk, first.story_id)
    assert list(big.memberships.values_list("article_id", flat=True)) == [arts[2].pk]


def test_splitting_a_whole_story_is_refused_with_a_message(curator_client, stories):
    _, small, arts = stories
    ids = list(small.memberships.values_list("pk", flat=True))
    response = curator_client.post(
        MEMBERSHIPS, {"action": "split_off", "_selected_action": ids}, follow=True
    )
    assert "Split needs some, not all" in response.content.decode()
    assert small.memberships.count() == 2
