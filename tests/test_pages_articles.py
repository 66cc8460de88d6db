"""The home page and article pages: linked text, sentence anchors, quotes, claims, coverage, JSON."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from articles.markup import body_html, links_from_mentions
from articles.models import (
    Article,
    EventMention,
    OrganizationMention,
    Outlet,
    OutletMention,
    PersonMention,
    PlaceMention,
)
from articles.queries import near_copy_overlap
from articles.text import split_sentences
from tests.pages_data import html

pytestmark = pytest.mark.django_db


def test_article_page_links_every_visible_mention_by_offset(client, archive):
    article = archive["articles"]["000"]
    page = html(client.get(article.get_absolute_url()))
    mishustin_url = archive["mishustin"].get_absolute_url()
    # "Mikhail Mishustin" and later "Mishustin": both occurrences link to his page.
    assert page.count(f'href="{mishustin_url}" title="person: Mikhail Mishustin"') == 2
    assert 'title="person: Pak Thae Song">Pak Thae-song</a>' in page
    assert f'href="{archive["tass"].get_absolute_url()}" title="outlet: TASS">Tass</a>' in page
    # The mention without offsets is listed with the entities but linked nowhere in the text.
    body = page.split('<div class="article-body">')[1].split("</div>")[0]
    assert "Korean Central News Agency" not in body
    assert "Korean Central News Agency" in page


def test_rejected_mentions_are_not_linked(client, archive):
    page = html(client.get(archive["articles"]["001"].get_absolute_url()))
    assert archive["putin"].get_absolute_url() not in page


def test_every_sentence_has_a_stable_anchor(client, archive):
    article = archive["articles"]["000"]
    page = html(client.get(article.get_absolute_url()))
    sentences = split_sentences(article.body)
    ids = re.findall(r'<span class="sentence" id="s(\d+)">', page)
    assert ids == [str(s.index) for s in sentences]
    # The quote's "cite this" link points at the sentence the quote is in.
    first_quote = archive["quotes"][0]
    assert first_quote.sentence_index == 2
    assert 'href="#s2">cite this' in page


def test_article_page_shows_metadata_quotes_claims_and_entities(client, archive):
    article = archive["articles"]["000"]
    page = html(client.get(article.get_absolute_url()))
    assert '<a href="/outlets/cnn/">CNN</a>' in page
    assert 'datetime="2025-04-30T12:00:00+00:00">30 April 2025</time>' in page
    assert f"{article.word_count} words" in page
    assert "We are creating a reliable basis for closer cooperation" in page
    assert "It will become an eternal historical memorial structure" in page
    assert "<td>1 kilometer</td>" in page and "<td>bridge length</td>" in page
    assert "<td>1,000 m</td>" in page
    for heading in ("People", "Places", "Events", "Organizations", "Sources cited"):
        assert f">{heading}</h2>" in page


def test_other_coverage_ranks_articles_sharing_events_and_entities(client, archive):
    a = archive["articles"]
    data = client.get(a["004"].get_absolute_url(), {"format": "json"}).json()
    coverage = data["other_coverage"]
    # Every other seed covers the same event, so all four are listed.
    assert sorted(c["id"] for c in coverage) == sorted(
        a[k].pk for k in ("000", "001", "002", "003")
    )
    scores = [c["shared_entities"] for c in coverage]
    assert scores == sorted(scores, reverse=True)
    assert data["compare_url"].endswith(
        reverse("articles:compare")
        + "?ids="
        + ",".join(str(i) for i in [a["004"].pk] + [c["id"] for c in coverage])
    )


def test_near_copy_note_names_the_copy_and_its_overlap(client, archive):
    original = archive["articles"]["000"]
    copy = Article.objects.create(
        title="Road link: Russia and North Korea",
        body=original.body.replace("Thursday", "on Thursday") + "\nAn added closing line.",
        content_hash="near-copy-test",
        outlet=Outlet.objects.create(name="Copy Desk"),
    )
    # A copy names everything its original names.
    for model in (PersonMention, PlaceMention, EventMention, OutletMention, OrganizationMention):
        for m in model.objects.filter(article=original):
            offset = copy.body.find(m.surface) if m.surface else -1
            model.objects.create(
                article=copy,
                entity=m.entity,
                surface=m.surface,
                start=offset if offset >= 0 else None,
                end=offset + len(m.surface) if offset >= 0 else None,
            )
    page = html(client.get(original.get_absolute_url()))
    assert "<strong>Near-copy:</strong>" in page
    note = page.split("<strong>Near-copy:</strong>")[1].split("</p>")[0]
    assert copy.get_absolute_url() in note and "(Copy Desk)" in note
    percent = int(re.search(r"shares (\d+)% of its wording", note).group(1))
    assert 70 <= percent < 100
    data = client.get(original.get_absolute_url(), {"format": "json"}).json()
    assert [c["id"] for c in data["near_copies"]] == [copy.pk]


def test_article_json_twin(client, archive):
    article = archive["articles"]["000"]
    data = client.get(article.get_absolute_url(), {"format": "json"}).json()
    assert data["id"] == article.pk and data["title"] == article.title
    assert data["outlet"]["name"] == "CNN" and data["outlet"]["kind"] == "outlet"
    assert data["published_at"] == "2025-04-30T12:00:00+00:00"
    assert [q["speaker"]["name"] for q in data["quotes"]] == [
        "Mikhail Mishustin",
        "Mikhail Mishustin",
        "Pak Thae Song",
    ]
    assert data["quotes"][0]["url"].endswith(article.get_absolute_url() + "#s2")
    assert data["claims"][0]["subject"] == "bridge length" and data["claims"][0]["value"] == 1000
    assert [p["name"] for p in data["people"]] == ["Mikhail Mishustin", "Pak Thae Song"]
    assert [p["name"] for p in data["events"]] == [archive["ceremony"].name]
    assert {m["surface"] for m in data["mentions"]} >= {"Mikhail Mishustin", "Mishustin", "Tass"}


def test_script_in_title_and_body_renders_as_text(client):
    article = Article.objects.create(
        title="<script>alert('t')</script> Bridge",
        body="The <script>alert('b')</script> bridge opens. A second <b>sentence</b>.",
        content_hash="xss",
    )
    page = html(client.get(article.get_absolute_url()))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;b&#x27;)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; Bridge" in page
    assert "<b>sentence</b>" not in page


def test_mention_markup_escapes_the_surface_and_skips_stale_offsets():
    body = "Ask <Bob> & Alice. Then Carol."

    class E:
        kind = "person"

        def __init__(self, name):
            self.name = name
            self.slug = name.lower()

        def get_absolute_url(self):
            return f"/people/{self.name.lower()}/"

    class M:
        def __init__(self, start, end, surface, name):
            self.start, self.end, self.surface, self.entity = start, end, surface, E(name)

    links = links_from_mentions(
        body, [M(4, 9, "<Bob>", "Bob"), M(12, 17, "Alice", "Alice"), M(24, 29, "Dave", "Dave")]
    )
    assert [(link.start, link.end) for link in links] == [(4, 9), (12, 17)]
    (paragraph,) = body_html(body, links)
    assert (
        '<a class="mention mention-person" href="/people/bob/" title="person: Bob">&lt;Bob&gt;</a>'
        in paragraph
    )
    assert " &amp; " in paragraph
    assert 'id="s0"' in paragraph and 'id="s1"' in paragraph
    assert "Carol" in paragraph and "/people/dave/" not in paragraph


def test_overlapping_links_keep_the_earlier_longer_one():
    class M:
        def __init__(self, start, end, slug):
            self.start, self.end, self.surface = start, end, ""
            self.entity = type("E", (), {"kind": "place", "name": slug, "slug": slug})()

    kept = links_from_mentions("North Korea", [M(0, 5, "a"), M(0, 11, "b"), M(6, 11, "c")])
    assert [(k.start, k.end, k.url) for k in kept] == [(0, 11, "/places/b/")]


def test_near_copy_overlap_measure():
    text = "one two three four five six seven eight nine ten eleven twelve"
    assert near_copy_overlap(text, text) == 1.0
    assert near_copy_overlap(text, "completely different words in this other text here now") == 0.0
    assert 0.3 < near_copy_overlap(text, text.replace("twelve", "thirteen")) < 1.0


def test_home_page_shows_newest_articles_people_and_event_timeline(client, archive):
    page = html(client.get(reverse("articles:home")))
    a = archive["articles"]
    titles = re.findall(r'class="article-item-title"><a href="[^"]+">([^<]+)</a>', page)
    # Newest first: 10 May, 1 May 15:00, 1 May 09:00, 30 April 12:00, 30 April 00:00.
    expected = [a[k].title for k in ("003", "002", "001", "000", "004")]
    assert [t.replace("&#x27;", "'") for t in titles] == expected
    assert 'id="home-q"' in page and 'action="/search/"' in page
    people = page.split('id="people-heading"')[1].split("</ul>")[0]
    assert people.index("Mikhail Mishustin") < people.index("Vladimir Putin")
    assert '<svg class="chart timeline"' in page
    assert archive["ceremony"].name in page and archive["summit"].name in page
    data = client.get(reverse("articles:home"), {"format": "json"}).json()
    assert data["count"] == 5 and [r["id"] for r in data["results"]][0] == a["003"].pk
    assert data["people"][0] == {
        "kind": "person",
        "id": archive["mishustin"].pk,
        "name": "Mikhail Mishustin",
        "slug": "mikhail-mishustin",
        "url": "http://testserver/people/mikhail-mishustin/",
        "count": 5,
    }
    assert [e["name"] for e in data["events"]] == [archive["summit"].name, archive["ceremony"].name]


def test_article_short_url_and_wrong_slug_redirect(client, archive):
    article = archive["articles"]["000"]
    response = client.get(f"/articles/{article.pk}/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    response = client.get(f"/articles/{article.pk}/not-the-slug/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    assert client.get("/articles/999999/x/").status_code == 404


def test_seeded_article_links_extracted_mentions(client, seeded):
    """On the real pipeline's output: every visible mention with offsets ends up inside a link.

    Links never nest, so a mention inside a longer one (a person inside an event's words) is
    covered by the longer link.
    """
    from articles.queries import article_mentions

    article = seeded["000"]
    page = html(client.get(article.get_absolute_url()))
    body = page.split('<div class="article-body">')[1].split("</div>")[0]
    anchors = re.findall(
        r'<a class="mention mention-\w+" href="[^"]+" title="[^"]+">([^<]+)</a>', body
    )
    mentions = [
        m for rows in article_mentions(article).values() for m in rows if m.start is not None
    ]
    assert mentions
    for m in mentions:
        assert any(m.surface in text for text in anchors), m.surface
    assert '<a class="mention mention-person" href="/people/mikhail-mishustin/"' in body


def test_near_copy_overlaps_match_the_pairwise_measure():
    from articles.queries import near_copy_overlaps

    base = " ".join(f"w{i}" for i in range(60))
    others = [base, base.replace("w30", "x"), "w1 w2 w3", base + " " + base.replace("w", "v")]
    got = near_copy_overlaps(base, others)
    assert got[0] == 1.0 and got[1] == near_copy_overlap(base, others[1])
    # Far shorter or far longer texts cannot be near-copies: scored 0 without shingling.
    assert got[2] == 0.0 and got[3] == 0.0


def test_home_pagination_links_keep_one_question_mark(client):
    for n in range(25):
        Article.objects.create(title=f"Story {n}", body="Text.", content_hash=f"h{n}")
    page_one = client.get("/").content.decode()
    assert 'href="?page=2"' in page_one
    assert "??" not in page_one
    page_two = client.get("/?page=2").content.decode()
    assert 'href="?page=1"' in page_two and 'href="?page=3"' in page_two
    assert "Story 14" in page_two and "Story 24" not in page_two
