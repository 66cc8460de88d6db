"""Claims: the numbers an article states, normalised, with what they measure."""

from pathlib import Path

import pytest

from articles.extraction.claims import ClaimCandidate, extract_claims, same_subject, subject_key
from articles.extraction.nlp import parse
from articles.text import split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_claims() -> dict[str, list[ClaimCandidate]]:
    return {p: extract_claims(seed(p)) for p in ("000", "001", "002", "003", "004")}


def find(claims: list[ClaimCandidate], text: str) -> ClaimCandidate:
    matches = [c for c in claims if c.text == text]
    assert matches, f"no claim {text!r} in {[c.text for c in claims]}"
    return matches[0]


def one(body: str) -> ClaimCandidate:
    claims = extract_claims(body)
    assert len(claims) == 1, claims
    return claims[0]


# --- The seed articles -----------------------------------------------------------------------


def test_seed_000_bridge_length_and_construction_time(seed_claims):
    length = find(seed_claims["000"], "1 kilometer")
    assert (length.quantity, length.value, length.unit, length.subject) == (
        "length",
        1000.0,
        "m",
        "bridge length",
    )
    assert (length.low, length.high, length.qualifier) == (1000.0, 1000.0, "")
    duration = find(seed_claims["000"], "one and a half years")
    assert (duration.quantity, duration.value, duration.unit, duration.subject) == (
        "duration",
        18.0,
        "month",
        "construction time",
    )


def test_seed_000_offsets_and_sentence_point_into_the_body(seed_claims):
    body = seed("000")
    claim = find(seed_claims["000"], "one and a half years")
    assert body[claim.start : claim.end] == "one and a half years"
    sentence = split_sentences(body)[claim.sentence_index]
    assert sentence.text.startswith("The bridge will be 1 kilometer long")


def test_seed_000_percentages_troops_and_casualties(seed_claims):
    claims = seed_claims["000"]
    china = find(claims, "about 97%")
    assert (china.quantity, china.value, china.unit, china.qualifier) == (
        "percent",
        97,
        "%",
        "about",
    )
    assert china.subject == "external trade with china"
    assert find(claims, "1.2%").subject == "external trade with russia"
    troops = find(claims, "15,000 troops")
    assert (troops.quantity, troops.value, troops.unit, troops.subject) == (
        "count",
        15000,
        "",
        "troops",
    )
    assert find(claims, "4,700 soldiers").subject == "casualties"


def test_seed_000_years_dates_and_no_vague_numbers(seed_claims):
    texts = [c.text for c in seed_claims["000"]]
    assert texts == [
        "1 kilometer",
        "one and a half years",
        "about 97%",
        "1.2%",
        "15,000 troops",
        "4,700 soldiers",
    ]


def test_seed_001_daily_flows_are_rates_with_hedges(seed_claims):
    claims = seed_claims["001"]
    people = find(claims, "2,850 people")
    assert (people.value, people.subject, people.qualifier) == (2850, "people per day", "")
    vehicles = find(claims, "nearly 300 vehicles")
    assert (vehicles.value, vehicles.low, vehicles.high) == (300, 270, 300)
    assert (vehicles.qualifier, vehicles.subject) == ("nearly", "vehicles per day")
    # "individuals" is the same subject as "people"
    assert find(claims, "2,850 individuals").subject == "people per day"


def test_seed_001_every_phrasing_of_the_construction_time_agrees(seed_claims):
    durations = [c for c in seed_claims["001"] if c.quantity == "duration"]
    assert [(c.text, c.value, c.subject) for c in durations] == [
        ("1.5 years", 18.0, "construction time"),
        ("1.5-year", 18.0, "construction time"),
    ]
    assert find(seed_claims["001"], "1-kilometer").subject == "bridge length"
    casualties = find(seed_claims["001"], "about 4,700")
    assert (casualties.subject, casualties.low, casualties.high) == ("casualties", 4230, 5170)


def test_seed_002_bridge_length_and_the_part_russia_builds(seed_claims):
    claims = seed_claims["002"]
    bridge = find(claims, "850 meters")
    assert (bridge.value, bridge.subject) == (850, "bridge length")
    part = find(claims, "300 meters")
    assert part.value == 300
    assert part.subject != "bridge length"
    assert find(claims, "11-mile").value == pytest.approx(17702.784)
    assert find(claims, "11-mile").subject == "border length"
    shells = find(claims, "over 2.5 million shells")
    assert (shells.value, shells.low, shells.high, shells.qualifier) == (
        2.5e6,
        2.5e6,
        3.75e6,
        "over",
    )
    # "in 1959", "the 70th anniversary", "July 2023" are not claims
    assert not [c for c in claims if c.value in (1959, 70, 75, 2023, 2024)]


def test_seed_003_total_length_is_not_bridge_length(seed_claims):
    claims = seed_claims["003"]
    bridge = find(claims, "approximately 850 meters")
    assert (bridge.subject, bridge.qualifier, bridge.low, bridge.high) == (
        "bridge length",
        "about",
        765.0,
        935.0,
    )
    total = find(claims, "4.7 kilometers")
    assert (total.value, total.unit) == (4700.0, "m")
    assert total.subject == "total length"
    assert not same_subject(total, bridge)
    assert find(claims, "7 meters").subject == "bridge width"
    assert find(claims, "2.4 kilometers").subject == "approach road length"
    period = find(claims, "around 18 months")
    assert (period.value, period.subject) == (18.0, "construction time")
    lanes = find(claims, "two lanes")
    assert (lanes.quantity, lanes.value) == ("count", 2)


def test_seed_004_range_conversion_and_width(seed_claims):
    claims = seed_claims["004"]
    shells = find(claims, "4–6 million artillery shells")
    assert (shells.quantity, shells.value, shells.low, shells.high) == ("count", 5e6, 4e6, 6e6)
    assert shells.subject == "artillery shells"
    total = find(claims, "4.7 km")
    assert total.subject == "total length"
    # the bracketed conversion "(2.9 miles)" is the same figure, not a second claim
    assert not [c for c in claims if "2.9" in c.text]
    assert find(claims, "one kilometer").subject == "bridge length"
    assert find(claims, "7-meter").subject == "bridge width"
    assert find(claims, "approximately 18 months").subject == "construction time"
    assert find(claims, "two-lane").subject == "lanes"


def test_across_articles_the_same_subjects_line_up(seed_claims):
    """The comparison view's promise: 1 km vs 850 m disagree; 1.5 years vs 18 months agree."""
    one_km = find(seed_claims["000"], "1 kilometer")
    meters = find(seed_claims["002"], "850 meters")
    assert subject_key(one_km) == subject_key(meters)
    assert one_km.value != meters.value
    years = find(seed_claims["000"], "one and a half years")
    months = find(seed_claims["003"], "around 18 months")
    assert subject_key(years) == subject_key(months)
    assert years.value == months.value == 18.0
    trade = find(seed_claims["002"], "97%")
    assert same_subject(trade, find(seed_claims["000"], "about 97%"))
    assert not same_subject(trade, find(seed_claims["000"], "1.2%"))
    assert same_subject(find(seed_claims["003"], "two lanes"), find(seed_claims["004"], "two-lane"))
    assert same_subject(
        find(seed_claims["003"], "two lanes"), find(seed_claims["004"], "two traffic lanes")
    )
    assert not same_subject(
        find(seed_claims["003"], "approximately 850 meters"), find(seed_claims["003"], "300 meters")
    )


def test_one_parse_is_shared_by_every_extractor():
    body = seed("000")
    assert parse(body) is parse(body)


# --- Synthetic sentences ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "quantity", "value", "unit"),
    [
        ("The tunnel is 12 miles long.", "length", 12 * 1609.344, "m"),
        ("The road is two and a half kilometres long.", "length", 2500.0, "m"),
        ("It took a year and a half to finish the bridge.", "duration", 18.0, "month"),
        ("The strike lasted three weeks.", "duration", 21 * 12 / 365.25, "month"),
        ("The reservoir covers 300 square kilometers.", "area", 3e8, "m2"),
        ("The car reached 250 km/h.", "speed", 250.0, "km/h"),
        ("Unemployment fell to 4.2 percent.", "percent", 4.2, "%"),
        ("The dam cost €2.3 billion.", "money", 2.3e9, "EUR"),
        ("A dozen ships docked in the harbour.", "count", 12.0, ""),
        ("In 1959, twenty-five villages were flooded.", "count", 25.0, ""),
    ],
)
def test_units_and_number_words_normalise(sentence, quantity, value, unit):
    claim = one(sentence)
    assert (claim.quantity, claim.unit) == (quantity, unit)
    assert claim.value == pytest.approx(value)


def test_hyphenated_units_measure_the_noun_they_modify():
    claim = one("Workers finished the 7-meter wall.")
    assert (claim.text, claim.value, claim.subject) == ("7-meter", 7.0, "wall length")
    lanes = one("They opened a four-lane highway.")
    assert (lanes.quantity, lanes.value, lanes.subject) == ("count", 4.0, "lanes")


def test_money_and_what_it_buys():
    claim = one("The government will spend $5 billion on the new airport.")
    assert (claim.quantity, claim.value, claim.unit, claim.subject) == (
        "money",
        5e9,
        "USD",
        "airport cost",
    )


def test_ranges_take_the_midpoint_and_keep_the_bounds():
    claim = one("Officials said 4-6 million people were displaced.")
    assert (claim.value, claim.low, claim.high, claim.subject) == (5e6, 4e6, 6e6, "people")
    between = one("Between 40 and 60 workers were hired.")
    assert (between.value, between.low, between.high) == (50, 40, 60)


@pytest.mark.parametrize(
    ("sentence", "qualifier", "low", "high"),
    [
        ("At least 40 people died in the fire.", "at least", 40, 60),
        ("More than 2,000 cars were sold.", "more than", 2000, 3000),
        ("Up to 500 refugees crossed the border every day.", "up to", 0, 500),
        ("Almost 200 homes were damaged.", "nearly", 180, 200),
        ("Roughly 80 villages were evacuated.", "about", 72, 88),
    ],
)
def test_hedges_become_documented_ranges(sentence, qualifier, low, high):
    claim = one(sentence)
    assert claim.qualifier == qualifier
    assert (claim.low, claim.high) == pytest.approx((low, high))


def test_rates_and_casualty_verbs_shape_the_subject():
    assert one("Up to 500 refugees crossed the border every day.").subject == "refugees per day"
    assert one("At least 40 people died in the fire.").subject == "deaths"
    assert one("Some 30 soldiers were killed or wounded.").subject == "casualties"


@pytest.mark.parametrize(
    "sentence",
    [
        "The treaty was signed in 2019.",
        "They met on June 25, 2023 and again on 3 July.",
        "It marked the 70th anniversary of the war.",
        "The two countries share a border.",
        "Hundreds of people gathered.",
        "One of the few countries to agree.",
        "Over the last three years relations improved.",
        "Their 2024 treaty changed everything.",
    ],
)
def test_years_dates_ordinals_and_vague_amounts_are_not_claims(sentence):
    assert extract_claims(sentence) == []
