"""Entity pages and indexes: people, outlets, organizations, places, events; redirects; JSON."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from articles.models import EntityRedirect, Event, Person
from articles.models.entities import name_key
from tests.pages_data import html

pytestmark = pytest.mark.django_db


def section(page: str, heading_id: str) -> str:
    """The HTML from a heading with ``id`` to the next heading of its level (sections may nest)."""
    return page.split(f'id="{heading_id}"')[1].split("<h2")[0]


def test_person_page(client, archive):
    person = archive["mishustin"]
    page = html(client.get(person.get_absolute_url()))
    assert "<h1>Mikhail Mishustin</h1>" in page
    assert "Prime Minister of Russia" in page
    assert "Mentioned in <strong>5</strong> articles from 5 outlets." in page
    quotes = section(page, "quotes-heading")
    assert quotes.count("<blockquote>") == 2
    assert "We are creating a reliable basis" in quotes
    # Each quote links to its sentence in its article.
    assert f'href="{archive["articles"]["000"].get_absolute_url()}#s2"' in quotes
    assert "It will become an eternal" not in quotes  # Pak's quote, not his
    spellings = section(page, "spellings-heading")
    assert '<span class="chip">Mikhail Mishustin</span> <span class="count">5</span>' in spellings
    assert '<span class="chip">Mishustin</span>' in spellings
    with_people = section(page, "co-person")
    assert "Pak Thae Song" in with_people and "Vladimir Putin" in with_people
    assert with_people.index("Pak Thae Song") < with_people.index("Vladimir Putin")
    assert archive["ceremony"].name in section(page, "co-event")
    assert '<svg class="chart"' in section(page, "timeline-heading")
    assert "Apr 2025" in page and "May 2025" in page


def test_person_json_twin(client, archive):
    person = archive["mishustin"]
    data = client.get(person.get_absolute_url(), {"format": "json"}).json()
    assert data["id"] == person.pk and data["kind"] == "person" and data["slug"] == person.slug
    assert data["name"] == "Mikhail Mishustin" and data["role"] == "Prime Minister of Russia"
    assert data["aliases"] == ["Mishustin", "Mikhail Mishustin"]
    assert data["article_count"] == 5 and len(data["articles"]) == 5
    assert [q["text"][:20] for q in data["quotes"]] == [
        "We are creating a re",
        "The significance goe",
    ]
    assert data["quotes"][0]["article"]["id"] == archive["articles"]["000"].pk
    assert data["people"][0]["name"] == "Pak Thae Song"
    assert data["timeline"] == [
        {"month": "2025-04-01", "count": 2},
        {"month": "2025-05-01", "count": 3},
    ]
    outlets_by_spelling = {
        s["surface"]: [o["name"] for o in s["outlets"]] for s in data["spellings"]
    }
    assert sorted(outlets_by_spelling["Mikhail Mishustin"]) == sorted(
        o.name for o in archive["outlets"].values()
    )


def test_outlet_page(client, archive):
    outlet = archive["outlets"]["003"]
    page = html(client.get(outlet.get_absolute_url()))
    assert "<h1>New Eastern Outlook</h1>" in page
    assert "<strong>1</strong> article in the archive" in page
    assert archive["articles"]["003"].title in page
    assert "Konstantin Asmolov" in section(page, "authors-heading")
    assert "Mikhail Mishustin" in section(page, "top-person")
    cnn = html(client.get(archive["outlets"]["000"].get_absolute_url()))
    assert "TASS" in section(cnn, "sources-heading")
    data = client.get(outlet.get_absolute_url(), {"format": "json"}).json()
    assert data["kind"] == "outlet" and data["domain"] == "journal-neo.su"
    assert [a["id"] for a in data["articles"]] == [archive["articles"]["003"].pk]
    assert [a["name"] for a in data["authors"]] == ["Konstantin Asmolov"]


def test_place_and_organization_pages(client, archive):
    page = html(client.get(archive["tumen"].get_absolute_url()))
    assert "<h1>Tumen River</h1>" in page
    assert archive["ceremony"].name in section(page, "events-here-heading")
    spellings = section(page, "spellings-heading")
    assert "Tumannaya River" in spellings and "The Kyiv Independent" in spellings
    page = html(client.get(archive["kcna"].get_absolute_url()))
    assert "<h1>Korean Central News Agency</h1>" in page
    assert "Mentioned in <strong>1</strong> article from 1 outlet." in page


def test_event_page_lists_all_coverage_by_outlet_and_the_numbers(client, archive):
    event = archive["ceremony"]
    page = html(client.get(event.get_absolute_url()))
    assert f"<h1>{event.name}</h1>" in page
    assert '<time datetime="2025-04-30">30 April 2025</time>' in page
    assert 'href="/places/tumen-river/">Tumen River</a>' in page
    coverage = section(page, "coverage-heading")
    for article in archive["articles"].values():
        assert article.get_absolute_url() in page
    assert len(re.findall(r'<section class="outlet-group"', page)) == 5
    assert "5 articles from 5 outlets" in page
    claims = page.split('id="claims-heading"')[1].split("</table>")[0]
    assert '<tr class="row-disagree">' in claims and '<tr class="row-agree">' in claims
    # 1 km against 850 m is a disagreement; 1.5 years against about 18 months is not.
    length_row = claims.split("ridge length")[1].split("</tr>")[0]
    assert "✗ disagree" in length_row and "1 kilometer" in length_row and "850 meters" in length_row
    time_row = claims.split("construction time")[1].split("</tr>")[0]
    assert "✓ agree" in time_row
    assert "Compare this coverage" in page
    assert coverage  # the section exists
    assert archive["summit"].name in section(page, "timeline-heading")


def test_event_json_twin(client, archive):
    event = archive["ceremony"]
    a = archive["articles"]
    data = client.get(event.get_absolute_url(), {"format": "json"}).json()
    assert data["kind"] == "event" and data["date_start"] == "2025-04-30"
    assert data["place"]["name"] == "Tumen River"
    assert sorted(x["id"] for x in data["articles"]) == sorted(x.pk for x in a.values())
    groups = {g["subject"].lower(): g for g in data["claims"]}
    assert groups["bridge length"]["agree"] is False
    assert groups["construction time"]["agree"] is True
    ids = sorted([a["000"].pk, a["002"].pk])
    assert groups["bridge length"]["compare_url"].endswith(
        "/compare/?ids=" + ",".join(map(str, ids))
    )
    assert data["compare_url"].startswith("http://testserver/compare/?ids=")
    assert len(data["compare_url"].split("=")[1].split(",")) == 5
    assert [e["name"] for e in data["related_events"]] == [archive["summit"].name]


def test_unknown_slug_is_404_and_merged_slug_redirects(client, archive):
    for kind in ("person", "outlet", "organization", "place", "event"):
        assert (
            client.get(reverse(f"articles:{kind}", kwargs={"slug": "no-such"})).status_code == 404
        )
    EntityRedirect.objects.create(
        kind="person", old_slug="m-mishustin", target_id=archive["mishustin"].pk
    )
    response = client.get("/people/m-mishustin/?format=json")
    assert response.status_code == 301
    assert response["Location"] == "/people/mikhail-mishustin/?format=json"
    # A redirect row of another kind does not apply; one to a deleted entity is a 404.
    assert client.get("/places/m-mishustin/").status_code == 404
    EntityRedirect.objects.create(kind="person", old_slug="gone", target_id=999_999)
    assert client.get("/people/gone/").status_code == 404


def test_index_sorts_filters_and_counts(client, archive):
    page = html(client.get("/people/"))
    names = re.findall(r'<td><a href="/people/[^"]+/">([^<]+)</a>', page)
    assert names == sorted(names)
    data = client.get("/people/", {"sort": "articles", "format": "json"}).json()
    counts = [(r["name"], r["article_count"]) for r in data["results"]]
    assert counts[:3] == [("Mikhail Mishustin", 5), ("Pak Thae Song", 5), ("Vladimir Putin", 1)]
    assert data["count"] == Person.objects.count()
    # The filter matches names and aliases, ignoring case, hyphens and spaces.
    data = client.get("/people/", {"q": "THAE-SONG", "format": "json"}).json()
    assert [r["name"] for r in data["results"]] == ["Pak Thae Song"]
    data = client.get("/people/", {"q": "mishus", "format": "json"}).json()
    assert [r["name"] for r in data["results"]] == ["Mikhail Mishustin"]
    assert name_key("THAE-SONG") == "thaesong"
    page = html(client.get("/events/", {"sort": "articles"}))
    assert page.index(archive["ceremony"].name) < page.index(archive["summit"].name)
    outlets = client.get("/outlets/", {"format": "json", "sort": "articles"}).json()["results"]
    assert {r["name"]: r["article_count"] for r in outlets}["CNN"] == 1


def test_index_paginates(client, archive):
    Event.objects.bulk_create(
        [
            Event(name=f"Event {i:03d}", slug=f"event-{i:03d}", key=f"event{i:03d}")
            for i in range(60)
        ]
    )
    data = client.get("/events/", {"format": "json"}).json()
    assert data["count"] == 62 and len(data["results"]) == 50
    assert data["next"] == "http://testserver/events/?format=json&page=2"
    data = client.get(data["next"]).json()
    assert len(data["results"]) == 12 and data["next"] is None
    assert data["previous"] == "http://testserver/events/?format=json&page=1"


def test_entity_names_are_escaped(client, archive):
    person = Person.objects.create(name="<script>alert(1)</script>", aliases=["<i>x</i>"])
    page = html(client.get(person.get_absolute_url()))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<i>x</i>" not in page
    page = html(client.get("/people/"))
    assert "<script>alert(1)</script>" not in page


def test_seeded_person_page_lists_the_quotes(client, seeded):
    """On the real pipeline: Mikhail Mishustin's page lists the quotes attributed to him."""
    person = Person.objects.get(slug="mikhail-mishustin")
    page = html(client.get(person.get_absolute_url()))
    quotes = section(page, "quotes-heading")
    expected = list(person.quotes.all())
    assert len(expected) >= 3
    assert quotes.count("<blockquote>") == len(expected)
    assert "We are creating a reliable basis for closer cooperation" in quotes


def test_seeded_groundbreaking_event_lists_all_coverage(client, seeded):
    """On the real pipeline: the ground-breaking ceremony's page lists all five seed articles."""
    event = Event.objects.get(name__icontains="ground-breaking ceremony")
    page = html(client.get(event.get_absolute_url()))
    coverage = section(page, "coverage-heading")
    for article in seeded.values():
        assert article.get_absolute_url() in coverage, article.title


def add_quotes(archive, n: int) -> list[int]:
    """``n`` more quotes by Mishustin, each in an article of its own; returns the article ids."""
    from articles.models import Article, Quote

    ids = []
    for i in range(n):
        article = Article.objects.create(
            title=f"Quoted {i:03d}", body=f"“Words {i:03d},” he said.", content_hash=f"quoted-{i}"
        )
        Quote.objects.create(
            article=article, speaker=archive["mishustin"], text=f"Words {i:03d}", sentence_index=0
        )
        ids.append(article.pk)
    return ids


def test_person_page_shows_the_newest_quotes_and_links_to_all(client, archive):
    person = archive["mishustin"]
    page = html(client.get(person.get_absolute_url()))
    assert "All quotes by" not in page  # two quotes: all on the page
    add_quotes(archive, 25)
    page = html(client.get(person.get_absolute_url()))
    quotes = section(page, "quotes-heading")
    assert quotes.count("<blockquote>") == 20
    # Newest stored article first: the last quotes added lead.
    assert quotes.index("Words 024") < quotes.index("Words 023")
    assert "Words 004" not in quotes and "We are creating" not in quotes
    assert f'href="{person.get_absolute_url()}quotes/"' in quotes
    data = client.get(person.get_absolute_url(), {"format": "json"}).json()
    assert len(data["quotes"]) == 20
    assert data["more_quotes"] == f"http://testserver{person.get_absolute_url()}quotes/"


def test_quotes_page_lists_every_quote_a_page_at_a_time(client, archive):
    person = archive["mishustin"]
    add_quotes(archive, 55)
    url = f"{person.get_absolute_url()}quotes/"
    page = html(client.get(url))
    assert "57 quotes, newest first." in page
    assert page.count("<blockquote>") == 50 and "Words 054" in page
    assert "?page=2" in page
    data = client.get(url, {"format": "json", "page": 2}).json()
    assert data["count"] == 57 and data["person"]["name"] == "Mikhail Mishustin"
    texts = [q["text"][:20] for q in data["results"]]
    assert texts == ["Words 004", "Words 003", "Words 002", "Words 001", "Words 000"] + [
        "We are creating a re",
        "The significance goe",
    ]
    assert data["results"][-1]["article"]["id"] == archive["articles"]["000"].pk
    # A merged person's quotes page moves with the person; an unknown one is a 404.
    EntityRedirect.objects.create(kind="person", old_slug="m-m", target_id=person.pk)
    response = client.get("/people/m-m/quotes/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/people/mikhail-mishustin/quotes/?page=2"
    assert client.get("/people/nobody/quotes/").status_code == 404


def test_entity_sidebar_lists_the_first_outlets_and_says_how_many_more(client, archive):
    from articles.models import Article, Outlet, PlaceMention

    tumen = archive["tumen"]
    for i in range(20):
        outlet = Outlet.objects.create(name=f"Outlet {i:02d}")
        article = Article.objects.create(
            title=f"On the river {i}", body="The Tumen River.", content_hash=f"r{i}", outlet=outlet
        )
        PlaceMention.objects.create(
            article=article, entity=tumen, surface="Tumen River", start=4, end=15
        )
    page = html(client.get(tumen.get_absolute_url()))
    assert "Mentioned in <strong>25</strong> articles from 25 outlets." in page
    outlets = section(page, "outlets-heading")
    assert outlets.count("<li>") == 15 and "and 10 more outlets" in outlets
    spellings = section(page, "spellings-heading")
    assert "and 16 more" in spellings.split("Tumen River")[1]
    data = client.get(tumen.get_absolute_url(), {"format": "json"}).json()
    assert len(data["outlets"]) == 25


def test_event_claims_show_each_value_before_repeats(client, archive):
    from articles.models import Article, Claim, EventMention

    event = archive["ceremony"]
    for i in range(30):
        article = Article.objects.create(
            title=f"Bridge {i}", body="The bridge is 1 kilometer.", content_hash=f"b{i}"
        )
        EventMention.objects.create(
            article=article, entity=event, surface="bridge", start=4, end=10
        )
        Claim.objects.create(
            article=article, quantity="length", value=1000, low=1000, high=1000, unit="m",
            subject="bridge length", text="1 kilometer", sentence_index=0,
        )  # fmt: skip
    page = html(client.get(event.get_absolute_url()))
    row = page.split('id="claims-heading"')[1].split("ridge length")[1].split("</tr>")[0]
    assert "850 meters" in row and "✗ disagree" in row  # the one other value is shown
    assert row.count("<li>") == 10 and "and 22 more" in row
    data = client.get(event.get_absolute_url(), {"format": "json"}).json()
    lengths = {g["subject"].lower(): g for g in data["claims"]}["bridge length"]
    assert len(lengths["claims"]) == 32
