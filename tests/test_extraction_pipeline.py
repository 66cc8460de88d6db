"""Extraction stored in the database: one entity per person, curator decisions kept on re-runs."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.extraction import gazetteer as gazetteer_module
from articles.extraction.pipeline import extract_article, extract_articles
from articles.models import (
    Article,
    Claim,
    Event,
    MentionMethod,
    MentionStatus,
    Outlet,
    Person,
    PersonMention,
    PlaceMention,
    Quote,
    RejectedSurface,
)
from articles.models.entities import name_key

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))

SEED_PEOPLE = {
    "Vladimir Putin", "Kim Jong-un", "Mikhail Mishustin", "Pak Thae-song", "Roman Starovoit",
    "Sergei Lavrov", "Jong Myong Su", "Yun Jong Ho", "Kim Kyong Jun", "Sin Chang Il",
    "Jo Sok Chol", "Kim Jong Gyu", "Yuri Trutnev", "Alexander Kozlov", "Alexei Chekunkov",
    "Oleg Kozhemyako", "Alexander Matsegora", "Oleg Kosheev", "Konstantin Asmolov",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_gazetteer():
    # Each test has its own database; the process-wide gazetteer must not outlive it.
    gazetteer_module._current = None
    yield
    gazetteer_module._current = None


def _load(*, catalogue: bool) -> dict[str, Article]:
    if catalogue:
        call_command("import_catalogue", verbosity=0)
    call_command("load_articles", *map(str, SEEDS), "--no-extract", verbosity=0)
    articles = {Path(a.source_name).name[:3]: a for a in Article.objects.all()}
    extract_articles([a.pk for a in sorted(articles.values(), key=lambda a: a.source_name)])
    for article in articles.values():
        article.refresh_from_db()
    return articles


def _person(name: str) -> Person:
    return Person.objects.by_name(name).get()


@pytest.mark.django_db
def test_each_seed_person_is_one_entity_with_every_spelling_as_alias():
    articles = _load(catalogue=False)
    mentioned = Person.objects.filter(mentions__isnull=False).distinct()
    assert {name_key(p.name) for p in mentioned} == {name_key(n) for n in SEED_PEOPLE}
    kim = _person("Kim Jong Un")
    assert {"Kim Jong-un", "Kim Jong-Un", "Kim Jong Un"} <= set(kim.all_names)
    assert {"Pak Thae-song", "Pak Thae Song"} <= set(_person("Pak Thae Song").all_names)
    assert not any(len(a.split()) == 1 for a in kim.aliases)  # "Kim" is no alias of anyone
    # Three Kims, three people; the bare "Kim" of seed 002 is Kim Jong-Un.
    kims = {p.name for p in mentioned if p.name.startswith("Kim ")}
    assert {name_key(k) for k in kims} == {"kimjongun", "kimkyongjun", "kimjonggyu"}
    bare = PersonMention.objects.get(article=articles["002"], surface="Kim")
    assert bare.entity == kim and bare.count == 3
    assert articles["000"].extracted_at is not None


@pytest.mark.django_db
def test_no_heading_place_or_adjective_becomes_a_person():
    _load(catalogue=False)
    names = set(Person.objects.filter(mentions__isnull=False).values_list("name", flat=True))
    for wrong in ("Technical Details", "Rason", "Kursk Oblast", "Beyond Parallel", "Extraordinary"):
        assert wrong not in names
    places = set(PlaceMention.objects.values_list("entity__name", flat=True))
    assert {"Tumen River", "Pyongyang", "Vladivostok", "Kursk Oblast"} <= places


@pytest.mark.django_db
def test_with_the_catalogue_mentions_link_to_curated_entities_and_events():
    articles = _load(catalogue=True)
    putin = _person("Vladimir Putin")
    assert putin.curated
    assert set(
        articles["002"].people.filter(pk=putin.pk).values_list("mentions__surface", flat=True)
    ) >= {
        "Vladimir Putin",
        "Putin",
    }
    assert articles["003"].cited_outlets.filter(name="TASS").exists()
    assert articles["003"].cited_outlets.filter(name="Korean Central News Agency").exists()
    assert articles["000"].cited_outlets.get().name == "TASS"
    ceremony = Event.objects.get(slug="tumen-river-bridge-groundbreaking")
    assert articles["003"].events.filter(pk=ceremony.pk).exists()
    visit = Event.objects.get(slug="putin-visit-pyongyang-2024")
    assert articles["003"].events.filter(pk=visit.pk).exists()
    # Every seed covers the ceremony, though only 003 dates it: the others are linked by its
    # place, the words of its name and (where dated) their publication date.
    assert set(ceremony.articles.values_list("id", flat=True)) == {a.pk for a in articles.values()}


@pytest.mark.django_db
def test_a_like_happening_at_the_same_place_a_year_later_is_not_the_known_event():
    call_command("import_catalogue", verbosity=0)
    ceremony = Event.objects.get(slug="tumen-river-bridge-groundbreaking")
    text = (
        "Officials held a ground-breaking ceremony for a second road bridge over the Tumen River, "
        "a year after the first bridge ceremony."
    )
    later = Article.objects.create(
        title="Another bridge ceremony on the Tumen River",
        body=text,
        content_hash="later",
        published_at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC),
    )
    same_week = Article.objects.create(
        title="Bridge ceremony on the Tumen River",
        body=text.replace(", a year after the first bridge ceremony", ""),
        content_hash="same-week",
        published_at=dt.datetime(2025, 5, 2, tzinfo=dt.UTC),
    )
    for article in (later, same_week):
        extract_article(article, use_ner=False)
    assert not later.events.filter(pk=ceremony.pk).exists()
    assert same_week.events.filter(pk=ceremony.pk).exists()


@pytest.mark.django_db
def test_quotes_are_stored_with_their_speakers():
    articles = _load(catalogue=False)
    quotes = {q.text[:30]: q for q in Quote.objects.filter(article=articles["002"])}
    speaker = {text: (q.speaker.name if q.speaker else None) for text, q in quotes.items()}
    assert speaker["I would like to emphasize that"] == "Mikhail Mishustin"
    assert speaker["The completion of this bridge o"[:30]] == "Pak Thae-song"
    assert speaker["They who fought for justice ar"] == "Kim Jong-un"
    assert quotes["They who fought for justice ar"].speaker_surface == "Kim"


@pytest.mark.django_db
def test_claims_are_stored_with_units_qualifiers_and_number_words():
    articles = _load(catalogue=False)
    claims = {c.text: c for c in Claim.objects.filter(article=articles["000"])}
    length = claims["1 kilometer"]
    assert (length.quantity, length.value, length.unit) == ("length", 1000.0, "m")
    duration = claims["one and a half years"]
    assert (duration.quantity, duration.value, duration.unit) == ("duration", 18.0, "month")
    share = claims["about 97%"]
    assert (share.quantity, share.value, share.qualifier) == ("percent", 97.0, "about")
    assert share.sentence.startswith("In 2023, about 97%")
    bridge = Claim.objects.get(article=articles["003"], text="approximately 850 meters")
    assert (bridge.value, bridge.unit, bridge.qualifier) == (850.0, "m", "about")


@pytest.mark.django_db
def test_rerun_is_idempotent_and_keeps_curator_decisions():
    articles = _load(catalogue=False)
    article = articles["002"]

    def state():
        return sorted(
            PersonMention.objects.filter(article=article).values_list(
                "entity__name", "surface", "start", "end", "status"
            )
        )

    first = state()
    counts = extract_article(article)
    assert state() == first
    assert counts["person"] == len(first)

    confirmed = PersonMention.objects.get(article=article, surface="Vladimir Putin")
    confirmed.status = MentionStatus.CONFIRMED
    confirmed.save()
    rejected = PersonMention.objects.get(article=article, surface="Lavrov")
    rejected.status = MentionStatus.REJECTED
    rejected.save()
    biden = Person.objects.create(name="Biden")
    manual = PersonMention.objects.create(
        article=article, entity=biden, surface="Biden", start=article.body.index("Biden"),
        end=article.body.index("Biden") + 5, status=MentionStatus.SUGGESTED,
        method=MentionMethod.MANUAL,
    )  # fmt: skip

    extract_article(article)
    second = state()
    extract_article(article)
    assert state() == second  # stable across runs

    assert PersonMention.objects.get(pk=confirmed.pk).status == MentionStatus.CONFIRMED
    assert PersonMention.objects.get(pk=rejected.pk).status == MentionStatus.REJECTED
    assert PersonMention.objects.filter(pk=manual.pk).exists()
    # The rejected surface is not suggested again, and the confirmed mention is not duplicated.
    lavrov = PersonMention.objects.filter(article=article, entity=rejected.entity)
    assert sorted(lavrov.values_list("surface", "status")) == [
        ("Lavrov", "rejected"),
        ("Sergei Lavrov", "suggested"),
    ]
    putin = PersonMention.objects.filter(article=article, entity=confirmed.entity)
    assert putin.filter(surface="Vladimir Putin").count() == 1
    assert len(second) == len(first) + 1  # the manual Biden mention


@pytest.mark.django_db
def test_rejected_surfaces_are_never_suggested():
    RejectedSurface.objects.create(kind="person", key=name_key("Roman Starovoit"), surface="x")
    articles = _load(catalogue=False)
    assert not PersonMention.objects.filter(entity__name="Roman Starovoit").exists()
    assert PersonMention.objects.filter(article=articles["002"], surface="Sergei Lavrov").exists()


@pytest.mark.django_db
def test_article_created_directly_and_fuzzy_variant_resolves_to_known_person():
    person = Person.objects.create(name="Mikhail Mishustin")
    article = Article.objects.create(
        title="t",
        body="Prime Minister Mikhail Mishustn visited Vladivostok. Mishustn said little.",
        content_hash="h1",
    )
    counts = extract_article(article)
    assert counts["person"] == 2
    assert set(article.people.values_list("pk", flat=True)) == {person.pk}
    assert "Mikhail Mishustn" in Person.objects.get(pk=person.pk).aliases


@pytest.mark.django_db
def test_import_catalogue_is_idempotent(capsys):
    call_command("import_catalogue")
    counts = (Person.objects.count(), Outlet.objects.count(), Event.objects.count())
    stamps = sorted(Person.objects.values_list("updated_at", flat=True))
    capsys.readouterr()
    call_command("import_catalogue")
    assert (Person.objects.count(), Outlet.objects.count(), Event.objects.count()) == counts
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 63 unchanged, 0 failed" in out
    assert sorted(Person.objects.values_list("updated_at", flat=True)) == stamps  # no rewrite
    kim = Person.objects.by_name("Kim Jong-Un").get()
    assert kim.curated and kim.role.startswith("Supreme Leader")
    ceremony = Event.objects.get(slug="tumen-river-bridge-groundbreaking")
    assert str(ceremony.date_start) == "2025-04-30" and ceremony.place.name == "Tumen River"


@pytest.mark.django_db
def test_extract_entities_command_reports_totals(capsys):
    call_command("load_articles", str(SEEDS[0]), "--no-extract", verbosity=0)
    article = Article.objects.get()
    call_command("extract_entities", "--article", str(article.pk))
    out = capsys.readouterr().out
    # One suggestion per person and spelling: Mishustin and Pak are each written two ways.
    assert out.startswith("Extracted 1 article(s): 5 person, 1 organization, 6 place, 1 outlet,")
    assert "4 quotes" in out
    # A gazetteer-only run keeps what NER found, and the quotes and claims.
    before = set(PersonMention.objects.values_list("surface", flat=True))
    call_command("extract_entities", "--all", "--no-ner", verbosity=0)
    assert set(PersonMention.objects.values_list("surface", flat=True)) == before
    assert (Quote.objects.count(), Claim.objects.count()) == (4, 6)


@pytest.mark.django_db
def test_parallel_workers_store_the_same_results_as_one_process(monkeypatch):
    from articles.extraction import pipeline

    call_command("import_catalogue", verbosity=0)
    call_command("load_articles", *map(str, SEEDS), "--no-extract", verbosity=0)
    ids = sorted(Article.objects.values_list("id", flat=True))

    def snapshot():
        return sorted(
            PersonMention.objects.values_list("article_id", "entity__name", "surface", "start")
        ), sorted(
            (a, s or "", start)
            for a, s, start in Quote.objects.values_list("article_id", "speaker__name", "start")
        )

    serial = extract_articles(ids, workers=1)
    first = snapshot()
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_ARTICLES", 2)
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    parallel = extract_articles(ids, workers=2)
    assert snapshot() == first
    assert parallel["articles"] == serial["articles"] == 5
    assert parallel["person"] == serial["person"] and parallel["failed"] == 0


@pytest.mark.django_db
def test_one_bad_article_in_a_stored_batch_costs_the_others_nothing():
    import dataclasses

    from articles.extraction.gazetteer import current_gazetteer
    from articles.extraction.pipeline import compute, store_many

    call_command("load_articles", *map(str, SEEDS), "--no-extract", verbosity=0)
    gazetteer = current_gazetteer()
    quoted = [
        (article, result)
        for article in Article.objects.order_by("source_name")
        if (result := compute(article.pk, article.body, gazetteer=gazetteer)).quotes
    ]
    (good, _), (bad, broken) = quoted[:2]
    results = [quoted[0][1], broken]
    broken.quotes[0] = dataclasses.replace(broken.quotes[0], text=None)  # NOT NULL in the table

    outcomes = store_many(list(zip((good, bad), results, strict=True)), gazetteer=gazetteer)

    assert isinstance(outcomes[1], Exception)
    assert outcomes[0]["person"] > 0 and outcomes[0]["quotes"] == len(results[0].quotes)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.extracted_at is not None and bad.extracted_at is None
    # The good article's rows point at people that exist: the ones created in the undone batch
    # were made again, not taken from memory.
    mentions = PersonMention.objects.filter(article=good)
    assert mentions.count() == outcomes[0]["person"]
    assert not mentions.exclude(entity__in=Person.objects.all()).exists()
    # Nothing half-written for the bad one.
    assert not PersonMention.objects.filter(article=bad).exists()
    assert not Quote.objects.filter(article=bad).exists()
    assert not Claim.objects.filter(article=bad).exists()
