"""Every page runs a fixed number of queries, whatever the number of rows it shows.

Each page is rendered on the small archive, then again after adding many more articles (with
authors, mentions, quotes and claims): the number of queries must not change, and stays under
a stated ceiling.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import (
    Article,
    Claim,
    EntityRedirect,
    EventMention,
    OrganizationMention,
    OutletMention,
    Person,
    PersonMention,
    PlaceMention,
    Quote,
)

pytestmark = pytest.mark.django_db

# Queries per page (HTML and JSON alike); the count is also checked not to grow with the rows.
CEILINGS = {
    "home": 4,
    "article": 7,  # mentions of every kind in one UNION; the story in one query
    "person": 5,  # the "mentioned with" lists of every kind in one statement
    "person-quotes": 3,
    "organization": 4,
    "place": 5,
    "outlet": 4,
    "event": 5,
    "person-list": 2,  # article totals are read, not counted
    "person-list-by-name": 2,
    "event-list": 2,
    "outlet-list": 2,
}


def grow(archive, n: int = 25) -> None:
    """Add ``n`` articles by the same outlet mentioning the same entities, with quotes and claims."""
    outlet = archive["outlets"]["000"]
    authors = [Person.objects.create(name=f"Reporter {i}") for i in range(3)]
    body = (
        "Mikhail Mishustin met Pak Thae Song at the Tumen River for the construction. "
        "“We build,” Mishustin said. The bridge is 900 meters long.\nKCNA and Tass reported it."
    )
    for i in range(n):
        article = Article.objects.create(
            title=f"Extra report {i}",
            body=body + f" Report {i}.",
            content_hash=f"extra-{i}",
            outlet=outlet,
            published_at=dt.datetime(2024, 1 + i % 12, 1, tzinfo=dt.UTC),
        )
        article.authors.set(authors[: 1 + i % 3])
        for model, entity, surface in (
            (PersonMention, archive["mishustin"], "Mikhail Mishustin"),
            (PersonMention, archive["pak"], "Pak Thae Song"),
            (PlaceMention, archive["tumen"], "Tumen River"),
            (EventMention, archive["ceremony"], "construction"),
            (OrganizationMention, archive["kcna"], "KCNA"),
            (OutletMention, archive["tass"], "Tass"),
        ):
            start = body.index(surface)
            model.objects.create(
                article=article,
                entity=entity,
                surface=surface,
                start=start,
                end=start + len(surface),
            )
        Quote.objects.create(
            article=article, speaker=archive["mishustin"], text="We build", sentence_index=1
        )
        Claim.objects.create(
            article=article, quantity="length", value=900, low=900, high=900, unit="m",
            subject="bridge length", text="900 meters", sentence_index=2,
        )  # fmt: skip


def pages(archive) -> dict[str, str]:
    return {
        "home": "/",
        "article": archive["articles"]["000"].get_absolute_url(),
        "person": archive["mishustin"].get_absolute_url(),
        "person-quotes": archive["mishustin"].get_absolute_url() + "quotes/",
        "organization": archive["kcna"].get_absolute_url(),
        "place": archive["tumen"].get_absolute_url(),
        "outlet": archive["outlets"]["000"].get_absolute_url(),
        "event": archive["ceremony"].get_absolute_url(),
        "person-list": "/people/?sort=articles",
        "person-list-by-name": "/people/",
        "event-list": "/events/",
        "outlet-list": "/outlets/?q=c",
    }


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("fmt", ["", "json"])
def test_query_count_does_not_grow_with_rows(client, archive, fmt):
    urls = pages(archive)
    suffix = {"": "", "json": "format=json"}[fmt]

    def with_format(url):
        return url if not suffix else url + ("&" if "?" in url else "?") + suffix

    before = {name: count_queries(client, with_format(url)) for name, url in urls.items()}
    grow(archive)
    after = {name: count_queries(client, with_format(url)) for name, url in urls.items()}
    assert after == before
    for name, count in after.items():
        assert count <= CEILINGS[name], (name, count)


def test_pages_stay_under_their_ceilings(client, archive, django_assert_max_num_queries):
    grow(archive, n=40)
    for name, url in pages(archive).items():
        with django_assert_max_num_queries(CEILINGS[name]):
            assert client.get(url).status_code == 200


def test_merged_slug_redirect_costs_three_queries(client, archive, django_assert_num_queries):
    EntityRedirect.objects.create(kind="place", old_slug="tumen", target_id=archive["tumen"].pk)
    with django_assert_num_queries(3):
        response = client.get("/places/tumen/")
    assert response.status_code == 301 and response["Location"] == "/places/tumen-river/"
