"""Entity candidates from text: NER with noise control, surnames, headings, outlets (no database)."""

from pathlib import Path

import pytest

from articles.extraction.entities import blocked_regions, extract_entities, person_shaped
from articles.extraction.gazetteer import Entry, Gazetteer
from articles.extraction.nlp import parse
from articles.ingest.readers import read_source
from articles.models.entities import name_key

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def _found(body, **kwargs):
    candidates = extract_entities(body, doc=parse(body), **kwargs)
    by_kind: dict[str, dict[str, set[str]]] = {}
    for c in candidates:
        by_kind.setdefault(c.kind, {}).setdefault(c.name, set()).add(c.surface)
    return by_kind


def _seed(prefix: str) -> str:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return read_source(path)[0].body


def test_people_of_an_unseen_article_with_titles_and_surnames():
    body = (
        "German Chancellor Olaf Scholz met President Emmanuel Macron in Berlin on Tuesday.\n"
        "Scholz said the talks were “open and constructive for both of our countries”.\n"
        "Macron’s office did not comment, the Reuters news agency reported."
    )
    found = _found(body)
    assert found["person"] == {
        "Olaf Scholz": {"Olaf Scholz", "Scholz"},
        "Emmanuel Macron": {"Emmanuel Macron", "Macron"},
    }
    assert found["place"] == {"Berlin": {"Berlin"}}
    assert found["outlet"] == {"Reuters": {"Reuters"}}


def test_seed_003_keeps_the_three_kims_apart_and_finds_names_the_model_missed():
    people = _found(_seed("003"))["person"]
    assert {"Kim Kyong Jun", "Kim Jong Gyu"} <= set(people)
    assert "Kim" not in people
    # Names the small model labels as organizations, facilities or nothing at all.
    assert {"Sin Chang Il", "Yun Jong Ho", "Oleg Kozhemyako", "Oleg Kosheev"} <= set(people)
    assert {"Alexei Chekunkov", "Pak Thae Song", "Mikhail Mishustin"} <= set(people)
    assert people["Pak Thae Song"] == {"Pak Thae Song", "Pak"}


def test_seed_002_resolves_each_bare_surname_to_the_full_name_in_the_article():
    people = _found(_seed("002"))["person"]
    assert people == {
        "Mikhail Mishustin": {"Mikhail Mishustin", "Mishustin"},
        "Pak Thae Song": {"Pak Thae Song", "Pak"},
        "Roman Starovoit": {"Roman Starovoit"},
        "Sergei Lavrov": {"Sergei Lavrov", "Lavrov"},
        "Kim Jong-Un": {"Kim Jong-Un", "Kim"},
        "Vladimir Putin": {"Vladimir Putin", "Putin"},
    }


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_heading_place_or_adjective_is_a_person(prefix):
    people = set(_found(_seed(prefix)).get("person", {}))
    for wrong in (
        "Technical Details", "Partnership of Russia and North Korea", "Rason", "Kursk Oblast",
        "Kursk", "Russo-Guinean", "Extraordinary", "Beyond Parallel", "Democratic People",
        "Tumen River", "Environmental Protection", "External Economic Relations",
    ):  # fmt: skip
        assert wrong not in people
    assert all(person_shaped(name) for name in people)


def test_headings_yield_no_people_and_boilerplate_yields_nothing():
    body = (
        "Technical Details\n"
        "Pak Thae Song said the bridge will open in 2026.\n"
        "RUSSIA CONFIRMS NORTH KOREAN TROOPS FIGHTING UKRAINE AS TRUMP’S PATIENCE WITH PUTIN "
        "WEARS THIN\n"
        "Roman Starovoit spoke next.\n"
    )
    assert [r.reason for r in blocked_regions(body)] == ["heading", "boilerplate"]
    found = _found(body)
    assert set(found["person"]) == {"Pak Thae Song", "Roman Starovoit"}
    assert "place" not in found  # Russia, Ukraine and Putin sit only in the shouted headline


def test_cited_outlets_are_told_apart_from_organizations():
    body = (
        "The bridge will be 1 kilometer long, the Tass news agency reported Thursday.\n"
        "The Korean Central News Agency (KCNA) said the project aligns with the treaty, and KCNA "
        "later repeated it. North Korea’s Central Military Commission issued a statement."
    )
    found = _found(body)
    assert found["outlet"] == {
        "Tass": {"Tass"},
        "Korean Central News Agency": {"Korean Central News Agency", "KCNA"},
    }
    assert found["organization"] == {"Central Military Commission": {"Central Military Commission"}}


def test_gazetteer_knows_curated_names_and_rejected_surfaces_are_never_proposed():
    gazetteer = Gazetteer()
    gazetteer.add("Vladimir Putin", Entry("person", 7, "Vladimir Putin"))
    gazetteer.add("Putin", Entry("person", 7, "Vladimir Putin"))
    gazetteer.build()
    body = "Putin visited Pyongyang in June 2024. Roman Starovoit spoke about the bridge."
    candidates = extract_entities(body, doc=parse(body), gazetteer=gazetteer)
    putin = [c for c in candidates if c.kind == "person" and c.entity_id == 7]
    assert [(c.surface, c.method) for c in putin] == [("Putin", "gazetteer")]
    rejected = {("person", name_key("Roman Starovoit"))}
    names = {c.name for c in extract_entities(body, doc=parse(body), rejected=rejected)}
    assert "Roman Starovoit" not in names


def test_unseen_article_with_particles_places_after_in_and_organizations_named_like_people():
    body = (
        "At least 39 people have died after torrential rain, Governor Eduardo Leite said.\n"
        "President Luiz Inácio Lula da Silva flew to the region. “We will not leave anyone "
        "behind,” Lula told reporters in Porto Alegre.\n"
        "Leite described the disaster as the worst in the state’s history.\n"
        "Dr Maria Souza, a hydrologist at the University of São Paulo, said more rain was due.\n"
        "“We expect a modest upgrade cycle,” said Erik Woodring, an analyst at Morgan Stanley.\n"
    )
    found = _found(body)
    assert set(found["person"]) == {
        "Eduardo Leite",
        "Luiz Inácio Lula da Silva",
        "Maria Souza",
        "Erik Woodring",
    }
    assert found["person"]["Eduardo Leite"] == {"Eduardo Leite", "Leite"}
    assert "University of São Paulo" in found["organization"]


@pytest.mark.parametrize(
    ("name", "shaped"),
    [
        ("Xi Jinping", True),
        ("JD Vance", False),  # an all-capital part reads as an acronym
        ("Lawrence Wong", True),
        ("Luiz Inácio Lula da Silva", True),
        ("Environmental Protection", False),
        ("Technical Details", False),
        ("Beyond Parallel", False),
        ("Kursk Oblast", False),
        ("Prime Minister", False),
    ],
)
def test_person_shape(name, shaped):
    assert person_shaped(name) is shaped
