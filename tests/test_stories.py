"""Stories: articles on one happening grouped incrementally; the time rule; curator decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from articles.models import Article, Event, EventMention, Outlet, Story, StoryMembership
from articles.stories import (
    StoryError,
    assign_stories,
    assign_story,
    confirm_story,
    merge_stories,
    move_article,
    rebuild_stories,
    rename_story,
    split_story,
)
from articles.stories.cluster import Clusterer, Params, cluster
from articles.stories.features import article_features, name_entities, term_vector

QUAKE = (
    "A magnitude 6.4 earthquake struck near {city} on {day}, killing {n} people. Rescuers searched "
    "collapsed buildings in {city} through the night. Governor {who} visited the worst-hit "
    "districts and promised aid to survivors. Aftershocks were felt across {region}."
)
STRIKE = (
    "Workers at the {city} steelworks walked out over pay on {day}. The union, led by {who}, "
    "demands a 12 percent raise; the company offered 3 percent. Production at the plant stopped "
    "and the strike is planned to last five days, union leaders in {region} said."
)


def when(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2025, 3, 1, hour, tzinfo=dt.UTC) + dt.timedelta(days=day)


def make(title, body, day, outlet="Daily Herald", hour=9):
    outlet_row, _ = Outlet.objects.get_or_create(name=outlet)
    return Article.objects.create(
        title=title,
        body=body,
        outlet=outlet_row,
        published_at=when(day, hour),
        content_hash=f"{title}|{day}|{outlet}|{hour}",
    )


def quake(city, day, who, n=12, outlet="Daily Herald", region="Kestria"):
    body = QUAKE.format(city=city, day="Monday", who=who, n=n, region=region)
    return make(f"Earthquake kills {n} in {city}", body, day, outlet)


def strike(city, day, who, outlet="Daily Herald", region="Norland"):
    body = STRIKE.format(city=city, day="Tuesday", who=who, region=region)
    return make(f"Steelworkers strike in {city}", body, day, outlet)


def story_of(article) -> int:
    return StoryMembership.objects.get(article=article).story_id


# -- pure parts ------------------------------------------------------------------------------
def test_term_vector_weights_rare_words_over_common_ones():
    vector = term_vector("Earthquake in Kalmo", "The earthquake in Kalmo, the people said.")
    assert set(vector) == {"earthquake", "kalmo"}
    assert vector["kalmo"] > vector["earthquake"]
    assert abs(sum(v * v for v in vector.values()) - 1) < 1e-9


def test_name_entities_finds_rare_capitalised_words_only():
    found = name_entities("Mishustin opens bridge", "The Prime Minister Mikhail Mishustin spoke.")
    assert found == {"name:mishustin": "Mishustin", "name:mikhail": "Mikhail"}


def _feat(i, title, body, day):
    return article_features(id=i, title=title, body=body, day=20000 + day)


def test_cluster_groups_rewordings_and_separates_a_similar_happening_elsewhere():
    a = QUAKE.format(city="Daruz", day="Monday", who="Omar Hassan", n=12, region="Kestria")
    b = QUAKE.format(city="Daruz", day="Monday", who="Omar Hassan", n=14, region="Kestria")
    c = QUAKE.format(city="Vellano", day="Sunday", who="Lucia Rossi", n=30, region="Umbria")
    labels = cluster(
        [
            _feat(1, "Quake kills 12 in Daruz", a, 0),
            _feat(2, "Daruz earthquake: death toll rises to 14", b, 1),
            _feat(3, "Earthquake hits Vellano", c, 1),
        ]
    )
    assert labels[1] == labels[2]
    assert labels[3] != labels[1]


def test_time_rule_refuses_the_same_text_beyond_the_hard_window():
    params = Params()
    text = STRIKE.format(city="Kalmo", day="Tuesday", who="Anna Novak", region="Norland")
    clusterer = Clusterer(params)
    first, _, _ = clusterer.assign(_feat(1, "Strike in Kalmo", text, 0))
    near, _, _ = clusterer.assign(_feat(2, "Strike in Kalmo", text, 3))
    far, _, new = clusterer.assign(_feat(3, "Strike in Kalmo", text, params.hard_days + 20))
    assert near.key == first.key
    assert new and far.key != first.key
    assert clusterer.required(params.soft_days) == params.threshold
    assert clusterer.required(params.soft_days + 10) > params.threshold
    assert clusterer.required(params.hard_days + 1) == float("inf")


# -- database --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_seed_articles_form_one_story(seeded_plain):
    # load_articles groups what it loads; asking again places nothing twice.
    assert assign_stories([a.pk for a in seeded_plain.values()]) == {}
    story = Story.objects.get()
    dates = sorted(a.published_at for a in seeded_plain.values() if a.published_at)
    assert story.date_start == dates[0] and story.date_end == dates[-1]
    assert "Tumen" in story.name or "bridge" in story.name.lower()
    assert story.memberships.count() == 5


@pytest.mark.django_db
def test_incremental_joining_and_idempotence():
    a = quake("Daruz", 0, "Omar Hassan")
    b = strike("Kalmo", 0, "Anna Novak")
    first = assign_stories([a.pk, b.pk])
    assert first[a.pk] != first[b.pk]
    c = quake("Daruz", 1, "Omar Hassan", n=14, outlet="Morning Courier")
    story = assign_story(c)
    assert story.pk == first[a.pk]
    assert story.memberships.count() == 2
    assert story.date_end == when(1)
    assert assign_stories([a.pk, b.pk, c.pk]) == {}  # already placed: nothing moves
    assert Story.objects.count() == 2


@pytest.mark.django_db
def test_similar_text_far_apart_in_time_is_two_stories():
    a = strike("Kalmo", 0, "Anna Novak")
    b = strike("Kalmo", 2, "Anna Novak", outlet="Morning Courier")
    c = strike("Kalmo", 120, "Anna Novak")
    placed = assign_stories([a.pk, b.pk, c.pk])
    assert placed[a.pk] == placed[b.pk]
    assert placed[c.pk] != placed[a.pk]


@pytest.mark.django_db
def test_curator_decisions_survive_a_rebuild(django_user_model):
    curator = django_user_model.objects.create(username="cura")
    a = quake("Daruz", 0, "Omar Hassan")
    b = quake("Daruz", 1, "Omar Hassan", n=14, outlet="Morning Courier")
    c = quake("Daruz", 1, "Omar Hassan", n=13, outlet="World Post")
    d = strike("Kalmo", 0, "Anna Novak")
    e = strike("Kalmo", 1, "Anna Novak", outlet="World Post")
    assign_stories([x.pk for x in (a, b, c, d, e)])
    quake_story = Story.objects.get(pk=story_of(a))
    assert story_of(b) == story_of(c) == quake_story.pk

    rename_story(story=quake_story, name="Daruz earthquake", by=curator)
    event = confirm_story(story=quake_story, by=curator)
    moved = move_article(article=c, to_story=None, by=curator)  # curator: c is another story
    strike_story = Story.objects.get(pk=story_of(d))
    merge_stories(keep=quake_story, merge=strike_story, by=curator)  # odd, but a decision

    totals = rebuild_stories()
    assert totals["stories_kept"] == 2
    quake_story.refresh_from_db()
    assert quake_story.name == "Daruz earthquake" and quake_story.name_locked
    assert quake_story.status == Story.Status.CONFIRMED and quake_story.event == event
    assert {story_of(x) for x in (a, b, d, e)} == {quake_story.pk}
    assert story_of(c) == moved.pk != quake_story.pk
    assert Event.objects.get(pk=event.pk).name == "Daruz earthquake"
    assert set(EventMention.objects.filter(entity=event).values_list("article_id", flat=True)) == {
        a.pk,
        b.pk,
        c.pk,
    }
    actions = [d["action"] for d in quake_story.signature["decisions"]]
    assert actions == ["rename", "confirm", "move-out", "merge"]
    assert quake_story.signature["decisions"][0]["by"] == "cura"


@pytest.mark.django_db
def test_split_keeps_both_sides_through_a_rebuild():
    a = quake("Daruz", 0, "Omar Hassan")
    b = quake("Daruz", 1, "Omar Hassan", outlet="Morning Courier")
    c = quake("Daruz", 1, "Omar Hassan", outlet="World Post")
    assign_stories([a.pk, b.pk, c.pk])
    story = Story.objects.get()
    with pytest.raises(StoryError):
        split_story(story=story, article_ids=[a.pk, b.pk, c.pk])
    new = split_story(story=story, article_ids=[c.pk])
    rebuild_stories()
    assert story_of(a) == story_of(b) == story.pk
    assert story_of(c) == new.pk
    assert StoryMembership.objects.filter(pinned=True).count() == 3


@pytest.mark.django_db
def test_rebuild_regroups_unpinned_articles_and_command_reports_totals(capsys):
    a = quake("Daruz", 0, "Omar Hassan")
    b = quake("Daruz", 1, "Omar Hassan", outlet="Morning Courier")
    call_command("cluster_stories")
    assert "2 articles placed" in capsys.readouterr().out
    first = story_of(a)
    call_command("cluster_stories", "--rebuild")
    out = capsys.readouterr().out
    assert "2 articles placed" in out and "1 stories in all" in out
    assert story_of(a) == story_of(b) != first  # regrouped into a fresh story


@pytest.mark.django_db
def test_seed_articles_form_one_story_with_extracted_entities(seeded):
    story = Story.objects.get()
    assert {m.article_id for m in story.memberships.all()} == {a.pk for a in seeded.values()}
    assert story.signature["entities"]  # people, places, organizations from the mention tables
    assert all(":" in key and not key.startswith("name:") for key in story.signature["entities"])
