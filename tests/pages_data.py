"""A small browsing archive built with the ORM on top of the seed articles, for the page tests.

The seed files are loaded without the catalogue and without extraction; entities, mentions, quotes
and claims are then written here by finding their words in the bodies, so the page tests know every
expected value exactly whatever the catalogue holds and the extraction pipeline finds.

Test modules define an ``archive`` fixture returning ``make_archive(seed_paths)``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.core.management import call_command

from articles.models import (
    Article,
    Claim,
    Event,
    EventMention,
    MentionStatus,
    Organization,
    OrganizationMention,
    Outlet,
    OutletMention,
    Person,
    PersonMention,
    Place,
    PlaceMention,
    Quote,
)
from articles.text import split_sentences

MENTION = {
    "person": PersonMention,
    "organization": OrganizationMention,
    "place": PlaceMention,
    "event": EventMention,
    "outlet": OutletMention,
}


def sentence_of(article, offset: int) -> int:
    """The index of the sentence of ``article`` holding ``offset``."""
    for s in split_sentences(article.body):
        if s.start <= offset < s.end:
            return s.index
    raise AssertionError(f"offset {offset} is in no sentence")


def mention_all(article, entity, surfaces, *, status=MentionStatus.SUGGESTED) -> int:
    """One mention row per occurrence of any of ``surfaces`` in the body; returns how many."""
    pattern = re.compile(r"\b(" + "|".join(re.escape(s) for s in surfaces) + r")\b")
    model = MENTION[entity.kind]
    rows = [
        model(
            article=article,
            entity=entity,
            surface=m.group(),
            start=m.start(),
            end=m.end(),
            status=status,
            method="gazetteer",
        )
        for m in pattern.finditer(article.body)
    ]
    model.objects.bulk_create(rows)
    return len(rows)


def quote(article, text_start: str, speaker) -> Quote:
    """A quote of ``speaker`` starting with ``text_start``, up to the closing quotation mark."""
    start = article.body.index(text_start)
    end = article.body.index("”", start)
    return Quote.objects.create(
        article=article,
        speaker=speaker,
        speaker_surface=speaker.name if speaker else "",
        text=article.body[start:end].strip("“”"),
        start=start,
        end=end,
        sentence_index=sentence_of(article, start),
    )


def claim(article, words: str, **values) -> Claim:
    """A claim on the first occurrence of ``words`` in the body."""
    start = article.body.index(words)
    return Claim.objects.create(
        article=article,
        text=words,
        start=start,
        end=start + len(words),
        sentence_index=sentence_of(article, start),
        **values,
    )


def load_plain(paths) -> dict:
    """Load article files without catalogue or extraction: ``{"000": Article, …}`` by file prefix."""
    call_command("load_articles", *[str(p) for p in paths], "--no-extract", verbosity=0)
    return {Path(a.source_name).name[:3]: a for a in Article.objects.all()}


def make_archive(seed_paths) -> dict:
    """The seed articles with the entities, mentions, quotes and claims of ``build_archive``."""
    return build_archive(load_plain(seed_paths))


def build_archive(articles: dict) -> dict:
    """Outlets, people, places, an event, mentions, quotes and claims over the seed articles.

    ``articles`` maps "000" … "004" to the seed articles. Returns the created objects by name.
    """
    outlets = {
        "000": Outlet.objects.create(name="CNN", domain="cnn.com"),
        "001": Outlet.objects.create(name="Daily Express US", domain="the-express.com"),
        "002": Outlet.objects.create(name="The Kyiv Independent", domain="kyivindependent.com"),
        "003": Outlet.objects.create(name="New Eastern Outlook", domain="journal-neo.su"),
        "004": Outlet.objects.create(name="Army Technology", domain="army-technology.com"),
    }
    dates = {
        "000": dt.datetime(2025, 4, 30, 12, tzinfo=dt.UTC),
        "001": dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC),
        "002": dt.datetime(2025, 5, 1, 15, tzinfo=dt.UTC),
        "003": dt.datetime(2025, 5, 10, tzinfo=dt.UTC),
        "004": dt.datetime(2025, 4, 30, tzinfo=dt.UTC),
    }
    for key, article in articles.items():
        article.outlet = outlets[key]
        article.published_at = dates[key]
        article.save(update_fields=["outlet", "published_at"])

    mishustin = Person.objects.create(
        name="Mikhail Mishustin",
        role="Prime Minister of Russia",
        aliases=["Mishustin", "Mikhail Mishustin"],
    )
    pak = Person.objects.create(
        name="Pak Thae Song",
        role="Premier of North Korea",
        aliases=["Pak Thae-song", "Pak Thae Song", "Pak"],
    )
    putin = Person.objects.create(name="Vladimir Putin", aliases=["Putin"])
    tumen = Place.objects.create(name="Tumen River", aliases=["Tumannaya River"], country="")
    north_korea = Place.objects.create(name="North Korea", aliases=["DPRK"])
    tass = Outlet.objects.create(name="TASS", aliases=["Tass"], domain="tass.com")
    kcna = Organization.objects.create(name="Korean Central News Agency", aliases=["KCNA"])
    ceremony = Event.objects.create(
        name="Tumen River road bridge ground-breaking ceremony",
        aliases=["ground-breaking ceremony", "groundbreaking"],
        date_start=dt.date(2025, 4, 30),
        place=tumen,
    )
    summit = Event.objects.create(
        name="Putin–Kim summit in Pyongyang", date_start=dt.date(2024, 6, 19)
    )

    for article in articles.values():
        mention_all(article, mishustin, ["Mikhail Mishustin", "Mishustin"])
        mention_all(article, pak, ["Pak Thae-song", "Pak Thae Song"])
        mention_all(article, tumen, ["Tumen River", "Tumannaya River"])
        mention_all(article, north_korea, ["North Korea"])
        # The event is named by the bridge's construction in every article.
        start = article.body.index("construction")
        EventMention.objects.create(
            article=article,
            entity=ceremony,
            surface="construction",
            start=start,
            end=start + len("construction"),
            status=MentionStatus.CONFIRMED,
        )
    mention_all(articles["000"], tass, ["Tass"])
    mention_all(articles["004"], putin, ["Vladimir Putin", "Putin"])
    mention_all(articles["004"], summit, ["June 2024"])
    # A rejected mention must not be linked or counted.
    mention_all(articles["001"], putin, ["Putin"], status=MentionStatus.REJECTED)
    OrganizationMention.objects.create(
        article=articles["000"], entity=kcna, surface="", start=None, end=None
    )

    quotes = [
        quote(articles["000"], "“We are creating a reliable basis", mishustin),
        quote(articles["000"], "“The significance goes far beyond", mishustin),
        quote(articles["000"], "“It will become an eternal", pak),
    ]
    claims = [
        claim(
            articles["000"],
            "1 kilometer",
            quantity="length",
            value=1000,
            low=1000,
            high=1000,
            unit="m",
            subject="bridge length",
        ),  # fmt: skip
        claim(
            articles["002"],
            "850 meters",
            quantity="length",
            value=850,
            low=850,
            high=850,
            unit="m",
            subject="Bridge length",
        ),  # fmt: skip
        claim(
            articles["001"],
            "1.5 years",
            quantity="duration",
            value=547.5,
            low=547.5,
            high=547.5,
            unit="d",
            subject="construction time",
        ),  # fmt: skip
        claim(
            articles["004"],
            "18 months",
            quantity="duration",
            value=547.5,
            low=540,
            high=555,
            unit="d",
            qualifier="approximately",
            subject="construction time",
        ),  # fmt: skip
    ]
    return {
        "articles": articles,
        "outlets": outlets,
        "mishustin": mishustin,
        "pak": pak,
        "putin": putin,
        "tumen": tumen,
        "north_korea": north_korea,
        "tass": tass,
        "kcna": kcna,
        "ceremony": ceremony,
        "summit": summit,
        "quotes": quotes,
        "claims": claims,
    }


def html(response) -> str:
    """The page's HTML, after checking it answered 200."""
    assert response.status_code == 200, response.status_code
    return response.content.decode()
