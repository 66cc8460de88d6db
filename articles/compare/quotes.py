"""Quotes by speaker, with the same quotation matched across articles.

Quotations are compared piece by piece: each is normalised (ASCII, lowercase, punctuation dropped)
and cut at sentence ends, semicolons, colons, dashes and ellipses, because one outlet often quotes
only part of what another quotes in full. Two quotations are the same when some piece of one and
some piece of the other reach rapidfuzz ``token_set_ratio`` >= ``SAME_SPEAKER`` (75) for quotes
given to the same person, or where one side names no person (an agency relayed it: "according to
TASS"); quotes credited to two different people need plain ``ratio`` >= ``ANY_SPEAKER`` (90), near
verbatim. On the seeds the true pairs score 77 (two translations of Pak's "eternal historical
monument"), 88 and 96; other pairs of one speaker score 56 or less, and the best pair of two
different people (83, Trutnev and Mishustin on friendship) is kept apart by the stricter bar.

A match is "verbatim" when some pieces agree almost letter for letter (``ratio`` >= 90), otherwise
"reworded".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from .similarity import normalise

SAME_SPEAKER = 75.0
ANY_SPEAKER = 90.0
VERBATIM = 90.0
_CUT = re.compile(r"[.!?;:…—–]+|\s-\s")


@dataclass(frozen=True)
class QuoteFact:
    """A quotation as the comparison needs it."""

    id: int
    article: int
    text: str
    speaker: str = ""  # a key that identifies the speaker ("" when unknown)
    speaker_name: str = ""
    sentence_index: int | None = None
    speaker_url: str = ""  # the speaker's page, when the speaker is a known person


@dataclass
class QuoteMatch:
    """Quotations of several articles found to be the same."""

    quotes: list[QuoteFact]
    kind: str  # verbatim · reworded
    score: float


@dataclass
class SpeakerQuotes:
    """Everything one speaker is quoted as saying, across the articles compared."""

    speaker: str
    name: str
    url: str = ""
    quotes: list[QuoteFact] = field(default_factory=list)
    matches: list[QuoteMatch] = field(default_factory=list)

    @property
    def articles(self) -> list[int]:
        return list(dict.fromkeys(q.article for q in self.quotes))


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", normalise(text)).split())


@lru_cache(maxsize=4096)
def pieces(text: str) -> tuple[str, ...]:
    """The normalised clauses of a quotation (the whole of it when it has no long clause)."""
    parts = [_normalise(p) for p in _CUT.split(text)]
    parts = [p for p in parts if len(p.split()) >= 3]
    whole = _normalise(text)
    return tuple(parts if whole in parts else [*parts, whole] if parts else [whole])


def quote_scores(a: str, b: str) -> tuple[float, float]:
    """The best ``token_set_ratio`` and the best ``ratio`` over the pieces of two quotations."""
    pa, pb = pieces(a), pieces(b)
    token_set = max(fuzz.token_set_ratio(x, y) for x in pa for y in pb)
    plain = max(fuzz.ratio(x, y) for x in pa for y in pb)
    return token_set, plain


def _person(speaker: str) -> bool:
    return speaker.startswith(("person:", "name:"))


def same_quote(a: QuoteFact, b: QuoteFact) -> tuple[bool, float, float]:
    """Whether two quotations are the same, with their token-set and plain scores.

    Quotes of one person, or where one side names no person (only an agency that relayed it, or
    nobody), pass at the lenient bar; quotes credited to two different people need near-verbatim
    wording.
    """
    token_set, plain = quote_scores(a.text, b.text)
    if a.speaker == b.speaker or not (_person(a.speaker) and _person(b.speaker)):
        return token_set >= SAME_SPEAKER or plain >= ANY_SPEAKER, token_set, plain
    return plain >= ANY_SPEAKER, token_set, plain


def match_quotes(quotes: list[QuoteFact]) -> list[SpeakerQuotes]:
    """Group ``quotes`` by speaker and match the same quotation across articles.

    A match joins quotations of different articles; a match spanning speakers is listed under the
    speaker most of its quotes name. Speakers quoted in more articles come first.
    """
    n = len(quotes)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    best: dict[int, tuple[float, float]] = {}
    for i in range(n):
        for j in range(i + 1, n):
            if quotes[i].article == quotes[j].article:
                continue
            same, token_set, plain = same_quote(quotes[i], quotes[j])
            if same:
                root_i, root_j = find(i), find(j)
                parent[root_j] = root_i
                old = best.pop(root_j, (0.0, 0.0))
                current = best.get(root_i, (0.0, 0.0))
                best[root_i] = (max(current[0], old[0], token_set), max(current[1], old[1], plain))

    speakers: dict[str, SpeakerQuotes] = {}
    for quote in quotes:
        key = quote.speaker or ""
        entry = speakers.setdefault(
            key, SpeakerQuotes(key, quote.speaker_name or "Unattributed", quote.speaker_url)
        )
        entry.quotes.append(quote)

    clusters: dict[int, list[QuoteFact]] = {}
    for i in range(n):
        clusters.setdefault(find(i), []).append(quotes[i])
    for root, members in clusters.items():
        if len(members) < 2:
            continue
        named = [q.speaker for q in members if _person(q.speaker)] or [
            q.speaker for q in members if q.speaker
        ]
        owner = max(set(named), key=named.count) if named else ""
        token_set, plain = best.get(root, (0.0, 0.0))
        kind = "verbatim" if plain >= VERBATIM else "reworded"
        speakers[owner].matches.append(QuoteMatch(members, kind, max(token_set, plain)))
    return sorted(speakers.values(), key=lambda s: (not s.speaker, -len(s.articles), s.name))
