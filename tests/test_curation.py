"""Curation writes (articles.curation): merge and undo, confirm, reject, reject everywhere, link."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model

from articles.curation import (
    CurationError,
    confirm_mentions,
    link_mention,
    merge_entities,
    reject_everywhere,
    reject_mentions,
    undo_merge,
)
from articles.models import (
    Article,
    EntityRedirect,
    Event,
    EventMention,
    MergeRecord,
    Organization,
    Outlet,
    OutletMention,
    Person,
    PersonMention,
    Place,
    PlaceMention,
    Quote,
    RejectedSurface,
    Story,
)
from articles.models.entities import name_key

pytestmark = pytest.mark.django_db


def make_article(n: int, **fields) -> Article:
    body = fields.pop("body", f"Vladimir Putin spoke in Moscow on day {n}. Putin said little.")
    return Article.objects.create(
        title=fields.pop("title", f"Article {n}"), body=body, content_hash=f"hash-{n}", **fields
    )


@pytest.fixture
def curator():
    return get_user_model().objects.create_user("cora", password="pw", is_staff=True)


@pytest.fixture
def people():
    """Two records of one man, with overlapping and distinct mentions, quotes and bylines."""
    kept = Person.objects.create(name="Vladimir Putin", aliases=["Putin"], role="President")
    dup = Person.objects.create(name="Vladimir Poutine", aliases=["V. Putin", "Putin"])
    other = Person.objects.create(name="Mikhail Mishustin")
    a1, a2, a3 = make_article(1), make_article(2), make_article(3)
    PersonMention.objects.create(article=a1, entity=kept, surface="Vladimir Putin", start=0, end=14)
    # The same words of a1, also attached to the duplicate and confirmed there: kept once.
    PersonMention.objects.create(
        article=a1, entity=dup, surface="Vladimir Putin", start=0, end=14, status="confirmed"
    )
    PersonMention.objects.create(article=a1, entity=dup, surface="Putin", start=44, end=49)
    PersonMention.objects.create(article=a2, entity=dup, surface="Putin", start=44, end=49)
    PersonMention.objects.create(article=a3, entity=dup, surface="Putin", method="metadata")
    PersonMention.objects.create(article=a3, entity=other, surface="Mishustin", start=0, end=9)
    Quote.objects.create(article=a2, speaker=dup, text="Little.")
    Quote.objects.create(article=a1, speaker=other, text="Nothing.")
    a1.authors.set([kept, dup])
    a2.authors.set([dup])
    EntityRedirect.objects.create(kind="person", old_slug="putin-old", target_id=dup.pk)
    return {"kept": kept, "dup": dup, "other": other, "articles": (a1, a2, a3)}


def person_state() -> dict:
    """Everything a person merge can touch, in comparable form."""
    through = Article.authors.through.objects
    return {
        "people": sorted(
            Person.objects.values_list(
                "pk", "name", "slug", "key", "aliases", "alias_keys", "role", "description"
            )
        ),
        "mentions": sorted(
            PersonMention.objects.values_list(
                "pk", "entity_id", "article_id", "surface", "start", "end", "status", "method"
            ),
            key=repr,
        ),
        "quotes": sorted(Quote.objects.values_list("pk", "speaker_id")),
        "authors": sorted(through.values_list("pk", "article_id", "person_id")),
        "redirects": sorted(EntityRedirect.objects.values_list("kind", "old_slug", "target_id")),
    }


def test_merge_moves_every_row_once_and_records_it(people, curator):
    kept, dup = people["kept"], people["dup"]
    a1, a2, a3 = people["articles"]
    assert PersonMention.objects.count() == 6

    record = merge_entities(keep=kept, merge=dup, by=curator)

    assert not Person.objects.filter(pk=dup.pk).exists()
    # 6 mentions less the one duplicate at a1[0:14]; the kept copy carries the confirmation.
    assert PersonMention.objects.count() == 5
    slots = list(
        PersonMention.objects.filter(entity=kept).values_list("article_id", "start", "end")
    )
    assert sorted(slots, key=repr) == sorted(
        [(a1.pk, 0, 14), (a1.pk, 44, 49), (a2.pk, 44, 49), (a3.pk, None, None)], key=repr
    )
    assert PersonMention.objects.get(article=a1, start=0).status == "confirmed"
    assert PersonMention.objects.filter(entity=people["other"]).count() == 1
    assert list(Quote.objects.filter(speaker=kept).values_list("text", flat=True)) == ["Little."]
    assert list(a1.authors.all()) == [kept]
    assert list(a2.authors.all()) == [kept]
    assert Article.authors.through.objects.count() == 2

    kept.refresh_from_db()
    assert kept.aliases == ["Putin", "Vladimir Poutine", "V. Putin"]
    assert "|vputin|" in kept.alias_keys
    assert Person.objects.by_name("Vladimir Poutine").get() == kept

    assert sorted(EntityRedirect.objects.values_list("old_slug", "target_id")) == [
        ("putin-old", kept.pk),
        ("vladimir-poutine", kept.pk),
    ]
    assert (record.kind, record.kept_id, record.merged_id) == ("person", kept.pk, dup.pk)
    assert (record.merged_name, record.merged_slug, record.merged_by) == (
        "Vladimir Poutine",
        "vladimir-poutine",
        curator,
    )
    assert record.redirects.get().old_slug == "vladimir-poutine"
    history = LogEntry.objects.filter(user=curator)
    assert (
        history.filter(object_id=str(kept.pk), action_flag=CHANGE)
        .get()
        .change_message.startswith("Merged person “Vladimir Poutine”")
    )
    assert history.filter(object_id=str(dup.pk), action_flag=DELETION).exists()


def test_merged_pages_redirect_to_the_kept_page_until_undone(people, client):
    kept, dup = people["kept"], people["dup"]
    assert client.get("/people/vladimir-poutine/").status_code == 200
    record = merge_entities(keep=kept, merge=dup, by=None)

    for old in ("/people/vladimir-poutine/", "/people/putin-old/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/people/vladimir-putin/"), old
    page = client.get("/people/vladimir-putin/", {"format": "json"}).json()
    assert page["aliases"] == ["Putin", "Vladimir Poutine", "V. Putin"]

    undo_merge(record=record, by=None)
    assert client.get("/people/vladimir-poutine/").status_code == 200
    response = client.get("/people/putin-old/")
    assert (response.status_code, response["Location"]) == (301, "/people/vladimir-poutine/")


def test_undo_restores_exactly_the_state_before(people, curator):
    before = person_state()
    record = merge_entities(keep=people["kept"], merge=people["dup"], by=curator)
    assert person_state() != before

    undo_merge(record=record, by=curator)

    assert person_state() == before
    record.refresh_from_db()
    assert record.undone_at is not None
    assert not record.redirects.exists()
    assert LogEntry.objects.filter(
        user=curator, object_id=str(people["dup"].pk), change_message__contains="Restored"
    ).exists()


def test_refusals_say_why(people, curator):
    kept, dup = people["kept"], people["dup"]
    with pytest.raises(CurationError, match="into itself"):
        merge_entities(keep=kept, merge=kept, by=curator)
    place = Place.objects.create(name="Moscow")
    with pytest.raises(CurationError, match="same kind"):
        merge_entities(keep=kept, merge=place, by=curator)

    record = merge_entities(keep=kept, merge=dup, by=curator)
    with pytest.raises(CurationError, match="already merged into “Vladimir Putin”"):
        merge_entities(keep=kept, merge=dup, by=curator)
    with pytest.raises(CurationError, match="already merged"):
        merge_entities(keep=dup, merge=people["other"], by=curator)
    assert MergeRecord.objects.count() == 1

    undo_merge(record=record, by=curator)
    with pytest.raises(CurationError, match="already undone"):
        undo_merge(record=record, by=curator)


def test_chained_merges_repoint_redirects_and_undo_in_order(people, curator):
    kept, dup, other = people["kept"], people["dup"], people["other"]
    first = merge_entities(keep=kept, merge=dup, by=curator)
    second = merge_entities(keep=other, merge=kept, by=curator)
    targets = dict(EntityRedirect.objects.values_list("old_slug", "target_id"))
    assert targets == {
        "putin-old": other.pk,
        "vladimir-poutine": other.pk,
        "vladimir-putin": other.pk,
    }

    with pytest.raises(CurationError, match="Undo the merge of “Vladimir Putin” into “Mikhail"):
        undo_merge(record=first, by=curator)
    undo_merge(record=second, by=curator)
    undo_merge(record=first, by=curator)
    targets = dict(EntityRedirect.objects.values_list("old_slug", "target_id"))
    assert targets == {"putin-old": dup.pk}
    assert PersonMention.objects.filter(entity=dup).count() == 4


def test_merging_outlets_moves_publisher_and_citations():
    keep = Outlet.objects.create(name="TASS", domain="tass.com")
    dup = Outlet.objects.create(name="TASS news agency", homepage="https://tass.com/")
    a1 = make_article(1, outlet=dup)
    a2 = make_article(2, outlet=keep)
    OutletMention.objects.create(article=a2, entity=dup, surface="TASS", start=3, end=7)

    record = merge_entities(keep=keep, merge=dup, by=None)

    assert list(keep.articles.order_by("pk")) == [a1, a2]
    assert list(keep.citing_articles.all()) == [a2]
    keep.refresh_from_db()
    assert keep.homepage == "https://tass.com/"  # filled from the merged one
    undo_merge(record=record, by=None)
    a1.refresh_from_db()
    keep.refresh_from_db()
    assert a1.outlet.name == "TASS news agency"
    assert keep.homepage == ""


def test_merging_places_and_events_moves_their_links():
    moscow = Place.objects.create(name="Moscow")
    moskva = Place.objects.create(name="Moskva", country="Russia")
    parade = Event.objects.create(name="Victory Day parade", place=moskva)
    parade2 = Event.objects.create(name="Victory parade")
    story = Story.objects.create(name="Parade", event=parade2)
    article = make_article(1)
    PlaceMention.objects.create(article=article, entity=moskva, surface="Moskva", start=1, end=7)
    EventMention.objects.create(article=article, entity=parade2, surface="parade", start=9, end=15)

    merge_entities(keep=moscow, merge=moskva, by=None)
    merge_entities(keep=parade, merge=parade2, by=None)

    parade.refresh_from_db()
    story.refresh_from_db()
    moscow.refresh_from_db()
    assert parade.place == moscow
    assert story.event == parade
    assert moscow.country == "Russia"
    assert list(article.places.all()) == [moscow]
    assert list(article.events.all()) == [parade]
    assert parade.aliases == ["Victory parade"]


def test_confirm_and_reject_in_bulk_are_logged(people, curator):
    a1 = people["articles"][0]
    suggested = PersonMention.objects.filter(status="suggested")
    assert suggested.count() == 5

    assert confirm_mentions(suggested.filter(article=a1), by=curator) == 2
    assert reject_mentions(PersonMention.objects.filter(status="suggested"), by=curator) == 3

    statuses = sorted(PersonMention.objects.values_list("status", flat=True))
    assert statuses == ["confirmed"] * 3 + ["rejected"] * 3
    messages = LogEntry.objects.filter(user=curator).values_list("change_message", flat=True)
    assert sorted(messages) == ["Confirmed the mention."] * 2 + ["Rejected the mention."] * 3


def test_reject_everywhere_matches_the_normalised_surface(curator):
    org = Organization.objects.create(name="Comments")
    person = Person.objects.create(name="Comments Section")
    article = make_article(1)
    from articles.models import OrganizationMention

    m1 = OrganizationMention.objects.create(
        article=article, entity=org, surface="COMMENTS", start=0
    )
    m2 = OrganizationMention.objects.create(
        article=article, entity=org, surface="Comments:", start=9
    )
    kept = OrganizationMention.objects.create(
        article=article, entity=org, surface="Comments", start=20, status="confirmed"
    )
    other_kind = PersonMention.objects.create(article=article, entity=person, surface="Comments")

    rejection, count = reject_everywhere(kind="organization", surface=" Comments ", by=curator)

    assert count == 2
    assert (rejection.kind, rejection.key, rejection.surface, rejection.created_by) == (
        "organization",
        "comments",
        "Comments",
        curator,
    )
    statuses = {m.pk: m.status for m in OrganizationMention.objects.all()}
    assert statuses == {m1.pk: "rejected", m2.pk: "rejected", kept.pk: "confirmed"}
    other_kind.refresh_from_db()
    assert other_kind.status == "suggested"
    # Asking again reuses the rejection.
    assert reject_everywhere(kind="organization", surface="comments", by=curator)[1] == 0
    assert RejectedSurface.objects.count() == 1
    with pytest.raises(CurationError):
        reject_everywhere(kind="organization", surface="--", by=curator)


def test_link_mention_attaches_confirms_and_avoids_twins(people, curator):
    kept, other = people["kept"], people["other"]
    a1, a2, a3 = people["articles"]
    wrong = PersonMention.objects.get(article=a3, entity=other)

    linked = link_mention(mention=wrong, entity=kept, by=curator)

    assert (linked.pk, linked.entity, linked.status, linked.method) == (
        wrong.pk,
        kept,
        "confirmed",
        "manual",
    )
    # Linking a mention to an entity that already has one in the same place keeps one row.
    twin_source = PersonMention.objects.create(
        article=a1, entity=other, surface="Vladimir Putin", start=0, end=14
    )
    result = link_mention(mention=twin_source, entity=kept, by=curator)
    assert result == PersonMention.objects.get(article=a1, entity=kept, start=0)
    assert not PersonMention.objects.filter(pk=twin_source.pk).exists()
    assert result.status == "confirmed"
    with pytest.raises(CurationError, match="cannot be linked"):
        link_mention(mention=result, entity=Place.objects.create(name="Moscow"), by=curator)


def catalogue_rows() -> list[tuple]:
    """Every entity with what a catalogue carries, comparable across databases."""
    rows = []
    for model in (Person, Outlet, Organization, Place, Event):
        for e in model.objects.all():
            details = {
                f: str(getattr(e, f))
                for f in ("role", "domain", "homepage", "country", "date_start", "date_end")
                if hasattr(e, f)
            }
            if isinstance(e, Event):
                details["place"] = e.place.name if e.place else None
            rows.append(
                (e.kind, e.name, e.slug, tuple(e.aliases), e.description, e.curated, details)
            )
    return sorted(rows, key=repr)


def test_export_then_import_into_an_empty_database_reproduces_the_catalogue(tmp_path):
    import datetime as dt

    from django.core.management import call_command

    tumen = Place.objects.create(
        name="Tumen River", aliases=["Tumannaya"], country="", curated=False
    )
    Place.objects.create(
        name="Pyongyang", aliases=["Pjöngjang"], country="North Korea", curated=True
    )
    Person.objects.create(
        name="Kim Jong Un",
        aliases=["Kim Jong-un", "Kim Jong-Un"],
        role="Supreme Leader",
        description="Leader of the DPRK.",
        curated=True,
    )
    Outlet.objects.create(
        name="TASS", domain="tass.com", homepage="https://tass.com/", curated=True
    )
    Organization.objects.create(name="Korean Central News Agency", aliases=["KCNA"], curated=True)
    Event.objects.create(
        name="Tumen bridge ground-breaking",
        date_start=dt.date(2025, 4, 30),
        place=tumen,
        curated=True,
    )
    Person.objects.create(name="Unreviewed Guess")  # not curated: not exported
    path = tmp_path / "catalogue.json"

    call_command("export_catalogue", str(path), verbosity=0)
    expected = [
        row[:5] + (True,) + row[6:] for row in catalogue_rows() if row[1] != "Unreviewed Guess"
    ]
    for model in (Event, Person, Outlet, Organization, Place):
        model.objects.all().delete()
    call_command("import_catalogue", str(path), verbosity=0)

    assert catalogue_rows() == expected
    # The file is stable: exporting the imported catalogue writes the same bytes.
    again = tmp_path / "again.json"
    call_command("export_catalogue", str(again), verbosity=0)
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    assert '"Pjöngjang"' in path.read_text(encoding="utf-8")


def test_export_of_the_project_catalogue_matches_the_fixture(tmp_path):
    import json

    from django.core.management import call_command

    from tests.conftest import CATALOGUE

    call_command("import_catalogue", str(CATALOGUE), verbosity=0)
    path = tmp_path / "out.json"
    call_command("export_catalogue", str(path), verbosity=0)

    def entries(p):
        out = {}
        for e in json.loads(p.read_text(encoding="utf-8"))["entities"]:
            e = {k: v for k, v in e.items() if k != "slug" and v not in ("", None)}
            e.setdefault("aliases", [])
            out[(e["kind"], e["name"])] = e
        return out

    assert entries(path) == entries(CATALOGUE)


def _suggestions(kind: str, key: str) -> list[str]:
    from articles.models.mentions import MENTION_MODELS

    rows = MENTION_MODELS[kind].objects.filter(status="suggested").values_list("surface", flat=True)
    return [s for s in rows if name_key(s) == key]


def test_reject_everywhere_holds_across_a_re_extraction(seeded, curator):
    from articles.extraction.pipeline import extract_articles
    from articles.models.mentions import MENTION_MODELS

    # One spelling the NER proposed and one the gazetteer matched from the catalogue.
    ner = PlaceMention.objects.filter(status="suggested", method="ner").order_by("surface").first()
    gazetteer = PersonMention.objects.filter(surface="Mishustin", status="suggested").first()
    assert ner is not None and gazetteer is not None
    targets = [("place", ner.surface), ("person", gazetteer.surface)]
    rejected = {}
    for kind, surface in targets:
        rejection, count = reject_everywhere(kind=kind, surface=surface, by=curator)
        assert count >= 1
        assert _suggestions(kind, rejection.key) == []
        rejected[kind] = (rejection.key, count)
    confirmed = (
        PersonMention.objects.filter(status="suggested").exclude(surface="Mishustin").first()
    )
    confirm_mentions(PersonMention.objects.filter(pk=confirmed.pk), by=curator)

    totals = extract_articles([a.pk for a in seeded.values()])

    assert totals["articles"] == 5 and totals["failed"] == 0
    for kind, (key, count) in rejected.items():
        assert _suggestions(kind, key) == [], kind
        rows = MENTION_MODELS[kind].objects.filter(status="rejected")
        assert (
            len([s for s in rows.values_list("surface", flat=True) if name_key(s) == key]) == count
        )
    confirmed.refresh_from_db()
    assert confirmed.status == "confirmed"
