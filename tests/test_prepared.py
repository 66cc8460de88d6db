"""Prepared queries: compiled once, the same rows as the QuerySet they come from, on both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Person, PersonMention
from articles.prepared import Prepared

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    people = [Person.objects.create(name=f"Person {i}", aliases=[f"P{i}"]) for i in range(3)]
    articles = [
        Article.objects.create(
            title=f"Report {i}",
            body="Body.",
            content_hash=f"h{i}",
            published_at=dt.datetime(2025, 1, 1 + i, 12, tzinfo=dt.UTC),
        )
        for i in range(4)
    ]
    for i, article in enumerate(articles):
        for person in people[: i % 3 + 1]:
            PersonMention.objects.create(article=article, entity=person, surface=person.name)
    return people, articles


def test_same_rows_as_the_queryset_with_converted_columns(rows):
    people, articles = rows

    def build(person_id, *, limit):
        return (
            PersonMention.objects.filter(entity_id=person_id)
            .order_by("-article_id")
            .values_list("article_id", "article__published_at", "entity__aliases")[:limit]
        )

    query = Prepared(build)
    for person in people:
        for limit in (1, 10):
            expected = list(build(person.pk, limit=limit))
            assert query.rows(person.pk, limit=limit) == [tuple(r) for r in expected]
    # Dates come back as aware datetimes and JSON as lists, as from the ORM.
    _, published, aliases = query.rows(people[0].pk, limit=1)[0]
    assert published == articles[-1].published_at and aliases == ["P0"]


def test_compiled_once_per_shape(rows, monkeypatch):
    people, articles = rows
    calls = []

    def build(ids, slug):
        calls.append(len(ids))
        return Person.objects.filter(pk__in=ids).exclude(slug=slug).values_list("pk", flat=True)

    query = Prepared(build)
    all_ids = [p.pk for p in people]
    assert sorted(query.rows(all_ids, "nobody")) == [(pk,) for pk in all_ids]
    assert sorted(query.rows(all_ids, people[0].slug)) == [(pk,) for pk in all_ids[1:]]
    assert query.rows(all_ids[:1], "nobody") == [(all_ids[0],)]
    assert calls == [3, 1]  # one compilation per list length
    with CaptureQueriesContext(connection) as ctx:
        query.rows(all_ids, "nobody")
    assert len(ctx.captured_queries) == 1


def test_a_value_that_never_reaches_the_sql_is_refused(rows):
    query = Prepared(lambda person_id: Person.objects.values_list("pk"))
    with pytest.raises(ValueError, match="never reached the SQL"):
        query.rows(1)


def test_union_of_several_parts(rows):
    people, articles = rows

    def build(article_id):
        parts = [
            PersonMention.objects.filter(article_id=article_id, entity_id=p.pk)
            .values_list("entity_id", "surface")
            .order_by()
            for p in people
        ]
        return parts[0].union(*parts[1:], all=True)

    query = Prepared(build)
    for article in articles:
        assert sorted(query.rows(article.pk)) == sorted(build(article.pk))
