"""Spelling variants of names: titles, possessives, hyphens, diacritics, surnames, fuzzy matches."""

import pytest

from articles.extraction.gazetteer import Entry, Gazetteer
from articles.extraction.resolution import (
    FullName,
    clean_name,
    fuzzy_person,
    name_key,
    parts_compatible,
    resolve_short_name,
    strip_possessive,
)


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("President Vladimir Putin", "Vladimir Putin"),
        ("Putin’s", "Putin"),
        ("Putin's", "Putin"),
        ("Vladimir Putin’s", "Vladimir Putin"),
        ("Mr Pak", "Pak"),
        ("Mr. Pak", "Pak"),
        ("Prime Minister Mikhail Mishustin", "Mikhail Mishustin"),
        ("Premier Pak Thae Song", "Pak Thae Song"),
        ("Supreme Leader Kim Jong-Un", "Kim Jong-Un"),
        ("North Korean Premier Pak Thae Song", "Pak Thae Song"),
        ("Russian Foreign Minister Sergei Lavrov", "Sergei Lavrov"),
        ("Minister of Transport Roman Starovoit", "Roman Starovoit"),
        ("Roman Starovoit", "Roman Starovoit"),
    ],
)
def test_clean_name_strips_titles_honorifics_and_possessives(surface, name):
    assert clean_name(surface) == name


def test_possessive_of_a_name_ending_in_s_keeps_the_s():
    assert strip_possessive("Davis’") == "Davis"
    assert strip_possessive("Jones's") == "Jones"


def test_hyphens_spaces_and_case_share_one_key():
    assert name_key("Kim Jong-un") == name_key("Kim Jong Un") == name_key("Kim Jong-Un")
    assert name_key("Pak Thae-song") == name_key("Pak Thae Song") == "pakthaesong"


def test_diacritics_and_transliteration_share_one_key():
    assert name_key("Sergueï Lavrov") == name_key("Serguei Lavrov")
    assert name_key("José Martí") == name_key("Jose Marti")
    assert name_key("Владимир Путин") == name_key("Vladimir Putin")


def test_two_people_sharing_a_family_name_are_not_compatible():
    assert not parts_compatible("Kim Jong Gyu", "Kim Jong Un")
    assert not parts_compatible("Kim Kyong Jun", "Kim Jong Un")
    assert not parts_compatible("Kim Kyong Jun", "Kim Jong Gyu")
    assert parts_compatible("Kim Jong-un", "Kim Jong Un")
    assert parts_compatible("Mikhail Mishustn", "Mikhail Mishustin")
    assert parts_compatible("V. Putin", "Vladimir Putin")


def test_fuzzy_match_finds_a_misspelling_but_never_another_kim():
    known = {"Mikhail Mishustin": 1, "Kim Jong Un": 2, "Kim Kyong Jun": 3}
    assert fuzzy_person("Mikhail Mishustn", known) == 1
    assert fuzzy_person("Kim Jong Gyu", known) is None
    assert fuzzy_person("Kim Jong Ung", known) is None
    assert fuzzy_person("Mishustin", known) is None  # a bare surname is never matched globally


def test_surname_resolves_to_the_full_name_of_this_article():
    names = [FullName("Mikhail Mishustin", 10), FullName("Pak Thae-song", 200)]
    assert resolve_short_name("Mishustin", 300, names) == "Mikhail Mishustin"
    assert resolve_short_name("Pak", 300, names) == "Pak Thae-song"
    # Korean family names come first; a middle part stands for nobody.
    assert resolve_short_name("Thae", 300, names) is None
    assert resolve_short_name("Mikhail", 300, names) is None


def test_a_bare_kim_is_only_resolved_when_the_article_makes_it_unambiguous():
    assert resolve_short_name("Kim", 900, [FullName("Kim Jong-Un", 100)]) == "Kim Jong-Un"
    two_kims = [FullName("Kim Kyong Jun", 100), FullName("Kim Jong Gyu", 400)]
    assert resolve_short_name("Kim", 900, two_kims) is None
    # One Kim named far more often than the other is the one a bare "Kim" means.
    prominent = [FullName("Kim Jong Un", 100, mentions=4), FullName("Kim Yo Jong", 400)]
    assert resolve_short_name("Kim", 900, prominent) == "Kim Jong Un"


def test_gazetteer_matches_variants_at_word_boundaries_only():
    gazetteer = Gazetteer()
    gazetteer.add("Kim Jong Un", Entry("person", 1, "Kim Jong Un"))
    gazetteer.add("Russia", Entry("place", 2, "Russia"))
    gazetteer.add("US", Entry("place", 3, "United States"))
    gazetteer.build()
    text = "Kim Jong-Un told us that Russian and US officials met in Russia’s east."
    found = [(m.surface, m.entries[0].entity_id) for m in gazetteer.find(text)]
    assert found == [("Kim Jong-Un", 1), ("US", 3), ("Russia", 2)]
    assert [m.start for m in gazetteer.find(text)] == [0, text.index("US"), text.index("Russia’s")]
