"""The per-entity article totals (migration 0011) stay equal to a fresh count after every write.

The truth is the count of distinct articles with a visible (not rejected) mention of the entity;
each test changes mentions the way one write path does and compares every total with it.
"""

from __future__ import annotations

import random
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.models import Count

from articles.curation import (
    confirm_mentions,
    link_mention,
    merge_entities,
    reject_everywhere,
    reject_mentions,
    undo_merge,
)
from articles.models import (
    Article,
    MentionStatus,
    Organization,
    OrganizationMention,
    Person,
    PersonMention,
    Place,
    PlaceMention,
)
from articles.models.entities import TOTAL_MODELS
from articles.models.mentions import MENTION_MODELS

pytestmark = pytest.mark.django_db


def truth(kind: str) -> dict[int, int]:
    rows = (
        MENTION_MODELS[kind]
        .objects.exclude(status=MentionStatus.REJECTED)
        .values("entity_id")
        .annotate(n=Count("article_id", distinct=True))
    )
    return {r["entity_id"]: r["n"] for r in rows}


def totals(kind: str) -> dict[int, int]:
    # A row at zero (an entity whose last mention went) is the same as no row.
    rows = TOTAL_MODELS[kind].objects.values_list("entity_id", "articles")
    return {pk: n for pk, n in rows if n}


def assert_totals_right() -> None:
    for kind in TOTAL_MODELS:
        assert totals(kind) == truth(kind), kind


def article(n: int) -> Article:
    return Article.objects.create(title=f"Report {n}", body=f"Body {n}.", content_hash=f"h{n}")


def mention(article, entity, surface="x", status=MentionStatus.SUGGESTED, start=0):
    model = MENTION_MODELS[entity.kind]
    return model(
        article=article, entity=entity, surface=surface, start=start, end=start + 1, status=status
    )


@pytest.fixture
def people():
    return [Person.objects.create(name=f"Person {i}") for i in range(4)]


@pytest.fixture
def articles():
    return [article(i) for i in range(5)]


def test_one_article_counts_once_whatever_its_spellings(people, articles):
    a, b = people[:2]
    # Two spellings of ``a`` in one article, written in one statement and then one by one.
    PersonMention.objects.bulk_create(
        [mention(articles[0], a, "A"), mention(articles[0], a, "Mr A"), mention(articles[1], a)]
    )
    mention(articles[2], a).save()
    mention(articles[2], a, "Mr A").save()
    mention(articles[0], b).save()
    assert totals("person") == {a.pk: 3, b.pk: 1}
    assert_totals_right()


def test_rejected_mentions_do_not_count_and_status_changes_do(people, articles):
    a = people[0]
    PersonMention.objects.bulk_create(
        [
            mention(articles[0], a, status=MentionStatus.REJECTED),
            mention(articles[1], a, "A"),
            mention(articles[1], a, "Mr A"),
        ]
    )
    assert totals("person") == {a.pk: 1}
    first = PersonMention.objects.get(article=articles[0])
    confirm_mentions(PersonMention.objects.filter(pk=first.pk))
    assert totals("person") == {a.pk: 2}
    # Rejecting one of two spellings leaves the article counted; rejecting both does not.
    reject_mentions(PersonMention.objects.filter(article=articles[1], surface="A"))
    assert totals("person") == {a.pk: 2}
    reject_mentions(PersonMention.objects.filter(article=articles[1]))
    assert totals("person") == {a.pk: 1}
    # A status change that keeps the mention visible changes nothing.
    PersonMention.objects.filter(article=articles[0]).update(status=MentionStatus.SUGGESTED)
    assert totals("person") == {a.pk: 1}
    assert_totals_right()


def test_reject_everywhere_and_deletes(people, articles):
    a, b = people[:2]
    PersonMention.objects.bulk_create(
        [mention(x, a, "Ghost") for x in articles[:3]] + [mention(articles[0], a, "A")]
    )
    PersonMention.objects.bulk_create([mention(x, b) for x in articles])
    reject_everywhere(kind="person", surface="Ghost")
    assert totals("person") == {a.pk: 1, b.pk: 5}
    # One statement deleting both of an article's rows for the same entity takes it off once.
    PersonMention.objects.filter(article=articles[0]).delete()
    assert totals("person") == {b.pk: 4}
    articles[1].delete()  # the article's mentions go with it (cascade)
    assert totals("person") == {b.pk: 3}
    people[1].delete()
    assert totals("person") == {}
    assert_totals_right()


def test_merge_and_undo(people, articles):
    keep, merge = people[:2]
    PersonMention.objects.bulk_create(
        [
            mention(articles[0], keep, "K"),
            mention(articles[0], merge, "M", start=5),  # same article, another place
            mention(articles[1], merge, "M"),
            mention(articles[1], merge, "Mr M", start=9),
            mention(articles[2], keep, "K", start=3),
            mention(articles[2], merge, "M", start=3),  # same place: kept once
        ]
    )
    assert totals("person") == {keep.pk: 2, merge.pk: 3}
    record = merge_entities(keep=keep, merge=merge)
    assert totals("person") == {keep.pk: 3}
    assert_totals_right()
    undo_merge(record=record)
    assert totals("person") == {keep.pk: 2, merge.pk: 3}
    assert_totals_right()


def test_linking_a_mention_moves_it(people, articles):
    a, b = people[:2]
    PersonMention.objects.bulk_create(
        [mention(articles[0], a), mention(articles[1], a), mention(articles[1], b, start=4)]
    )
    link_mention(mention=PersonMention.objects.get(article=articles[0]), entity=b)
    assert totals("person") == {a.pk: 1, b.pk: 2}
    # Linked onto a twin at the same place: the twin stays, the linked row goes.
    twin = mention(articles[1], a, start=4)
    twin.save()
    link_mention(mention=twin, entity=b)
    assert totals("person") == {a.pk: 1, b.pk: 2}
    assert_totals_right()


def test_every_kind_has_its_own_totals(articles):
    org = Organization.objects.create(name="Agency")
    place = Place.objects.create(name="River")
    OrganizationMention.objects.bulk_create([mention(x, org) for x in articles[:2]])
    PlaceMention.objects.bulk_create([mention(x, place) for x in articles])
    assert totals("organization") == {org.pk: 2}
    assert totals("place") == {place.pk: 5}
    assert totals("person") == {}


def test_random_writes_keep_every_total_right(people, articles):
    """Bulk inserts, moves between entities and articles, status flips and deletes, at random."""
    rng = random.Random(5)
    statuses = [MentionStatus.SUGGESTED, MentionStatus.CONFIRMED, MentionStatus.REJECTED]
    for step in range(40):
        ids = list(PersonMention.objects.values_list("pk", flat=True))
        some = rng.sample(ids, min(len(ids), rng.randint(1, 6))) if ids else []
        action = rng.choice(["insert", "insert", "entity", "article", "status", "delete"])
        rows = PersonMention.objects.filter(pk__in=some)
        if action == "insert" or not some:
            PersonMention.objects.bulk_create(
                [
                    mention(rng.choice(articles), rng.choice(people), status=rng.choice(statuses))
                    for _ in range(rng.randint(1, 8))
                ]
            )
        elif action == "entity":
            rows.update(entity=rng.choice(people))
        elif action == "article":
            rows.update(article=rng.choice(articles))
        elif action == "status":
            rows.update(status=rng.choice(statuses))
        else:
            rows.delete()
        assert totals("person") == truth("person"), (step, action)


def test_the_migration_counts_what_was_there_before(people, articles):
    """Rebuilding the totals from the mentions (as the migration's backfill does) agrees."""
    PersonMention.objects.bulk_create(
        [mention(x, p) for x in articles for p in people[: 1 + x.pk % 4]]
    )
    before = totals("person")
    TOTAL_MODELS["person"].objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_persontotal (entity_id, articles) "
            "SELECT entity_id, COUNT(DISTINCT article_id) FROM articles_personmention "
            "WHERE status <> 'rejected' GROUP BY entity_id"
        )
    assert totals("person") == before == truth("person")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_stores_naming_the_same_people_never_deadlock():
    """Two writers store articles naming the same popular people in opposite orders at once.

    Each transaction writes its mentions kind by kind, like the extraction store; the totals
    rows are taken in one order by every writer, so neither can hold a row the other waits for.
    """
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    people = [Person.objects.create(name=f"Popular {i}") for i in range(6)]
    places = [Place.objects.create(name=f"Place {i}") for i in range(3)]
    stored = [article(100 + i) for i in range(80)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(mine: list[Article], reverse: bool) -> None:
        try:
            start.wait(timeout=30)
            for a in mine:
                with transaction.atomic():
                    named = people[::-1] if reverse else people
                    PersonMention.objects.bulk_create([mention(a, p) for p in named])
                    spots = places[::-1] if reverse else places
                    PlaceMention.objects.bulk_create([mention(a, p) for p in spots])
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=(stored[0::2], False)),
        threading.Thread(target=writer, args=(stored[1::2], True)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert totals("person") == {p.pk: 80 for p in people}
    assert totals("place") == {p.pk: 80 for p in places}


def test_extraction_and_its_reruns_keep_totals_right(seed_paths):
    from articles.extraction import gazetteer
    from articles.extraction.pipeline import extract_article, extract_articles

    gazetteer._current = None  # the process-wide gazetteer must not outlive another test's rows
    try:
        call_command("load_articles", *map(str, seed_paths), "--no-extract", verbosity=0)
        first = Article.objects.order_by("source_name").first()
        extract_articles(list(Article.objects.order_by("source_name").values_list("pk", flat=True)))
        assert truth("person") and truth("place")  # the seeds name people and places
        assert_totals_right()
        # A curator rejects one suggestion and confirms another; re-runs replace the rest.
        rows = PersonMention.objects.filter(article=first).order_by("pk")
        reject_mentions(rows.filter(pk=rows[0].pk))
        confirm_mentions(rows.filter(pk=rows[1].pk))
        extract_article(first, use_ner=False)
        assert_totals_right()
        extract_article(first)
        assert_totals_right()
    finally:
        gazetteer._current = None
