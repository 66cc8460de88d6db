"""What clustering sees of an article: weighted telling words, the entities it names, its date.

Pure Python, no database: the loader, ``cluster_stories`` and ``bench/stories.py`` share it.

Word weights need no fitted vocabulary, so a new article is described without refitting anything:
a word's weight is its (sublinear) count times how rare it is in the language at large, from
``wordfreq``'s general frequency lists (news, books, web, subtitles). Rare words — names, places,
the particular nouns of a happening — weigh most; "said", "government" and "Thursday" weigh little.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from wordfreq import zipf_frequency

# Words that carry no happening, on top of scikit-learn's stop words: reporting verbs, calendar
# words and newsroom filler every story shares.
NEWS_STOP_WORDS = frozenset(
    """
    said says say told tells according reported reports reporting added adds including also
    would could should may might will just like one two three first new year years month months
    week weeks day days today yesterday tomorrow monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december
    time times people percent per cent mr mrs ms dr news agency statement official officials
    """.split()
)
STOP_WORDS = ENGLISH_STOP_WORDS | NEWS_STOP_WORDS

# Zipf frequency of a word (log10 per billion words): "the" is ~7.7, "bridge" ~4.8, unknown 0.
ZIPF_CEILING = 7.0
TITLE_BOOST = 2  # a title word counts as if written this many more times
VECTOR_TERMS = 80  # an article keeps its heaviest words only: noise and time both fall
ENTITY_TERMS = 15
NAME_ZIPF = 4.6  # a capitalised word rarer than this is taken as (part of) a name

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(slots=True)
class ArticleFeatures:
    """One article as clustering sees it."""

    id: int | str
    day: float | None  # days since the epoch (fractional); None when the date is unknown
    terms: dict[str, float]  # unit-length weighted words
    entities: dict[str, float]  # unit-length weighted entity keys
    names: dict[str, str] = field(default_factory=dict)  # entity key -> display name
    outlet: int | str | None = None


def stem(word: str) -> str:
    """A light plural stem so "bridges" and "bridge" meet; leaves short and Latin-ish words alone."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as", "os")):
        return word[:-1]
    return word


@lru_cache(maxsize=200_000)
def rarity(word: str, language: str = "en") -> float:
    """How telling a word is: 0 for the commonest words, up to ``ZIPF_CEILING`` for unseen ones."""
    try:
        zipf = zipf_frequency(word, language)
    except (LookupError, ValueError):  # a language wordfreq does not know
        zipf = zipf_frequency(word, "en")
    return max(0.0, ZIPF_CEILING - zipf)


@lru_cache(maxsize=200_000)
def _term(token: str) -> str | None:
    word = token.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) < 3 or word in STOP_WORDS:
        return None
    return stem(word)


def words(text: str) -> list[str]:
    """The content words of ``text``: lowercased, stop words dropped, plurals stemmed."""
    out = []
    for token in _WORD.findall(text):
        term = _term(token)
        if term is not None:
            out.append(term)
    return out


def unit(weights: dict[str, float], limit: int | None = None) -> dict[str, float]:
    """``weights`` cut to its ``limit`` heaviest entries and scaled to length 1."""
    items = [(k, v) for k, v in weights.items() if v > 0]
    if limit is not None and len(items) > limit:
        items.sort(key=lambda kv: kv[1], reverse=True)
        items = items[:limit]
    norm = math.sqrt(sum(v * v for _, v in items))
    return {k: v / norm for k, v in items} if norm else {}


def term_vector(title: str, body: str, language: str = "en") -> dict[str, float]:
    """Weighted telling words of an article: sublinear count times rarity, unit length."""
    counts = Counter(words(body))
    for term in words(title):
        counts[term] += TITLE_BOOST
    weights = {t: (1.0 + math.log(n)) * rarity(t, language) for t, n in counts.items()}
    return unit(weights, VECTOR_TERMS)


def name_entities(title: str, body: str, language: str = "en") -> dict[str, str]:
    """Names found by capitalisation alone, for articles without extracted mentions.

    Each capitalised word that is rare in the language stands for a name ("Mishustin", "Tumen"),
    keyed ``name:<word>``; it is a coarse stand-in for entity extraction, good enough to say that
    two articles name the same people and places.
    """
    return _scan_names(body, language)[0]


def _scan_names(body: str, language: str) -> tuple[dict[str, str], Counter]:
    found: dict[str, str] = {}
    counts: Counter = Counter()
    # Titles are often in Title Case, where capitals say nothing: the body alone is read.
    for token in _CAPITALISED.findall(body):
        word = token.replace("’", "'").split("'")[0]
        low = word.lower()
        if len(low) < 3 or low in STOP_WORDS:
            continue
        if ZIPF_CEILING - rarity(low, language) >= NAME_ZIPF:
            continue
        key = f"name:{low}"
        found.setdefault(key, word)
        counts[key] += 1
    return found, counts


def entity_vector(counts: dict[str, int], rarity_of=None) -> dict[str, float]:
    """Unit-length vector over an article's most prominent entities.

    An entity weighs its (sublinear) number of mentions times ``rarity_of(key)`` (default 1);
    only the ``ENTITY_TERMS`` heaviest are kept, so an article that names forty people in
    passing is still judged by the few it is about.
    """
    weights = {
        k: (1.0 + math.log(max(1, n))) * (rarity_of(k) if rarity_of else 1.0)
        for k, n in counts.items()
    }
    return unit(weights, ENTITY_TERMS)


def article_features(
    *,
    id,
    title: str,
    body: str,
    day: float | None,
    outlet=None,
    language: str = "en",
    entities: dict[str, str] | None = None,
    entity_counts: dict[str, int] | None = None,
    entity_rarity=None,
) -> ArticleFeatures:
    """Describe one article.

    ``entities`` maps entity keys to names (from the mention tables) and ``entity_counts`` says
    how often each is mentioned; without them, names are found by capitalisation
    (:func:`name_entities`).
    """
    language = (language or "en").split("-")[0].lower()
    if not entities:
        entities, counts = _scan_names(body, language)
        rarity_of = lambda key: rarity(key.split(":", 1)[1], language)  # noqa: E731
    else:
        counts = entity_counts or dict.fromkeys(entities, 1)
        rarity_of = entity_rarity
    vector = entity_vector(counts, rarity_of)
    return ArticleFeatures(
        id=id,
        day=day,
        terms=term_vector(title, body, language),
        entities=vector,
        names={k: entities[k] for k in vector},
        outlet=outlet,
    )


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two sparse vectors (iterates over the shorter one)."""
    # Key intersection runs in C; only the few shared words are then multiplied in Python.
    return sum(a[k] * b[k] for k in a.keys() & b.keys())
