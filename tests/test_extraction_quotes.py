"""Quotes: quoted words and who said them, on the seed articles and small made-up texts."""

import re
from pathlib import Path

import pytest

from articles.extraction.quotes import QuoteCandidate, extract_quotes

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"

# Full names the entity extractor finds in the seeds; a surname mention maps to its full name.
FULL_NAMES = [
    "Mikhail Mishustin",
    "Pak Thae-song",
    "Pak Thae Song",
    "Kim Jong-Un",
    "Vladimir Putin",
    "Sergei Lavrov",
    "Roman Starovoit",
    "Yuri Trutnev",
    "Alexander Kozlov",
    "Alexei Chekunkov",
]


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def people_in(body: str) -> list[tuple[int, int, str]]:
    """Person spans as the entity extractor would give them, found by plain string search."""
    return [
        (m.start(), m.end(), name)
        for name in FULL_NAMES
        for m in re.finditer(re.escape(name), body)
    ]


def quotes_of(prefix: str) -> tuple[str, list[QuoteCandidate]]:
    body = seed(prefix)
    return body, extract_quotes(body, people_in(body))


def starting(quotes: list[QuoteCandidate], opening: str) -> QuoteCandidate:
    matches = [q for q in quotes if q.text.startswith(opening)]
    assert matches, f"no quote starting {opening!r}"
    return matches[0]


def test_seed_000_speakers_named_pronoun_and_surname():
    body, quotes = quotes_of("000")
    first = starting(quotes, "We are creating a reliable basis")
    assert first.speaker == "Mikhail Mishustin"
    assert body[first.speaker_start : first.speaker_end] == "Mikhail Mishustin"
    assert body[first.start : first.end] == first.text
    assert first.text.endswith("a road for an open and fruitful dialogue")
    assert starting(quotes, "The significance goes far beyond").speaker == "Mikhail Mishustin"
    memorial = starting(quotes, "It will become an eternal historical memorial structure")
    assert memorial.speaker == "Pak Thae-song"
    assert body[memorial.speaker_start : memorial.speaker_end] == "Pak"


def test_seed_000_scare_quotes_and_apostrophes_are_not_quotes():
    _body, quotes = quotes_of("000")
    texts = [q.text for q in quotes]
    assert "a historic monument" not in texts
    assert not any(t.startswith("s Prime Minister") for t in texts)  # "Russia’s" is no quote


def test_seed_002_speakers_pronouns_and_continuations():
    _body, quotes = quotes_of("002")
    assert starting(quotes, "I would like to emphasize").speaker == "Mikhail Mishustin"
    assert starting(quotes, "It is a great responsibility").speaker == "Mikhail Mishustin"
    assert starting(quotes, "The completion of this bridge").speaker == "Pak Thae Song"
    # the next quotation, after "Pak said.", goes on in Pak's voice
    assert starting(quotes, "It will create a practical guarantee").speaker == "Pak Thae Song"
    # "He added that …" follows "Pak was even more grandiose", so "he" is Pak
    assert starting(quotes, "entered a phase of even more dynamic").speaker == "Pak Thae Song"
    assert starting(quotes, "They who fought for justice").speaker == "Kim Jong-Un"
    assert starting(quotes, "annihilate and wipe out").speaker == "Kim Jong-Un"
    assert "hermit kingdom" not in [q.text for q in quotes]


def test_seed_002_sayer_wins_over_according_to():
    body, quotes = quotes_of("002")
    quote = starting(quotes, "I would like to emphasize")
    assert body[quote.speaker_start : quote.speaker_end] == "Mishustin"
    assert quote.source == ""


def test_seed_003_declared_remarked_and_colon_introductions():
    _body, quotes = quotes_of("003")
    assert starting(quotes, "The construction of the road bridge will lay").speaker == (
        "Pak Thae Song"
    )
    assert starting(quotes, "The bridge will not only link Russia and Korea").speaker == (
        "Alexander Kozlov"
    )
    today = starting(quotes, "Today, our friendship")
    assert today.speaker == "Yuri Trutnev"
    assert today.text.endswith("the support the DPRK has extended to us.")
    assert "road of friendship" not in [q.text for q in quotes]
    # an inscription and an anecdote are quoted words without a speaker
    assert starting(quotes, "To Commemorate the Start of Construction").speaker == ""


def test_seed_004_outlet_attribution_is_a_source_not_a_person():
    _body, quotes = quotes_of("004")
    quote = starting(quotes, "This is truly a landmark stage")
    assert quote.speaker == ""
    assert "TASS" in quote.source


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ('"We will rebuild the city quickly," said Maria Lopez.', "Maria Lopez"),
        ("Maria Lopez told reporters: “We will rebuild the city quickly.”", "Maria Lopez"),
        ("“We will rebuild the city quickly,” according to Maria Lopez.", "Maria Lopez"),
        (
            "Mayor Maria Lopez visited.\n“We will rebuild the city quickly,” Lopez noted.",
            "Maria Lopez",
        ),
        (
            "Mayor Maria Lopez visited.\n“We will rebuild the city quickly,” she added.",
            "Maria Lopez",
        ),
    ],
)
def test_attribution_patterns(body, speaker):
    start = body.index("Maria Lopez")
    people = [(start, start + len("Maria Lopez"), "Maria Lopez")]
    quotes = extract_quotes(body, people)
    assert [(q.text.rstrip("."), q.speaker) for q in quotes] == [
        ("We will rebuild the city quickly", speaker)
    ]


def test_single_curly_quotes_are_quotes_only_around_words():
    body = "The mayor’s office said ‘we will not give up on this city’ on Monday."
    quotes = extract_quotes(body)
    assert [q.text for q in quotes] == ["we will not give up on this city"]


def test_attribution_after_a_quotation_that_ends_its_sentence():
    body = "“Can anyone rebuild this city in a year?” Maria Lopez asked. The crowd cheered."
    quotes = extract_quotes(body, [(42, 53, "Maria Lopez")])
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Can anyone rebuild this city in a year?", "Maria Lopez")
    ]
    # a following sentence without a speech verb attributes nothing
    assert (
        extract_quotes("“We will win this war very soon.” Jones then left the room.")[0].speaker
        == ""
    )
