"""The facts table: claims of several articles grouped by what they measure, agreeing or not.

Grouping. Two claims measure the same thing when they have the same quantity and base unit and
compatible subjects. Subjects are normalised first (ASCII, lowercase, plural nouns to singular,
synonyms to one word: "individuals" / "persons" -> "people", "soldiers" -> "troops", "daily" /
"a day" -> "per day", "period" / "duration" -> "time"; "length of the bridge" -> "bridge length";
stop words dropped). Normalised subjects are
compatible when they are equal, or when their head words agree and one only adds words to the
other ("artillery shells" / "shells"). The head is the last word for counts, percentages and money,
and the last two for measures, whose last word is the measure and the one before it the thing
measured: "bridge length" never joins "total length" or "bridge section length".

Agreement. Each claim is a range [low, high] in its base unit: an exact figure is [x, x], a hedged
one spans its hedge ("nearly 3,000" is [2,700, 3,000]). A group agrees when the ranges of all its
claims, each widened by ``TOLERANCE`` (1 %) of its bounds for rounding, have a common point. So
"1.5 years" and "18 months" agree, "1 km" and "1,000 metres" agree, "nearly 3,000" and "2,850"
agree, and "1 km" and "850 m" disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from unidecode import unidecode

from articles.extraction.units import RATE_WORDS

TOLERANCE = 0.01

SYNONYMS = {
    "individual": "people", "person": "people", "persons": "people", "people": "people",
    "resident": "people", "passenger": "people", "traveler": "people", "traveller": "people",
    "soldier": "troops", "troop": "troops", "troops": "troops", "serviceman": "troops",
    "servicemen": "troops", "casualty": "casualties", "casualties": "casualties",
    "car": "vehicle", "automobile": "vehicle", "truck": "vehicle",
    "period": "time", "duration": "time", "term": "time",
    "building": "construction", "build": "construction", "completion": "construction",
    "long": "length", "wide": "width", "span": "length",
    "metre": "meter", "kilometre": "kilometer",
}  # fmt: skip
_RATES = [(re.compile(rf"\b(?:{words})\b"), rate) for words, rate in RATE_WORDS]
_STOP = {"the", "a", "an", "of", "and", "its", "their", "his", "her", "for", "to", "in", "on", "by"}
_KEEP_S = ("ss", "us", "is", "ics", "news")
# Quantities whose subject ends with a measure word after the thing measured.
MEASURES = {"length", "width", "height", "depth", "area", "duration", "speed", "weight", "volume"}


def _singular(word: str) -> str:
    if word in SYNONYMS:
        return SYNONYMS[word]
    if len(word) <= 3 or word.endswith(_KEEP_S):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return SYNONYMS.get(word[:-1], word[:-1])
    return word


def normalise_subject(subject: str) -> str:
    """The comparison key of a subject: "Individuals daily" -> "people per day"."""
    text = " ".join(unidecode(subject).lower().replace("-", " ").split())
    for pattern, rate in _RATES:
        text = pattern.sub(rate, text)
    main, _, partner = text.partition(" with ")
    # "length of the bridge" is "bridge length": the measure goes last, after what it measures.
    measure, of, measured = main.partition(" of ")
    if of:
        main = f"{measured} {measure}"
    words = [_singular(w) for w in re.findall(r"[a-z0-9]+", main) if w not in _STOP]
    key = " ".join(words)
    if partner:
        key += " with " + " ".join(re.findall(r"[a-z0-9]+", partner))
    return key


def compatible(quantity: str, a: str, b: str) -> bool:
    """Whether two normalised subjects of claims of ``quantity`` measure the same thing."""
    if a == b:
        return True
    a_main, _, a_partner = a.partition(" with ")
    b_main, _, b_partner = b.partition(" with ")
    if a_partner != b_partner:
        return False
    a_words, b_words = a_main.split(), b_main.split()
    if not a_words or not b_words:
        return False
    heads = 2 if quantity in MEASURES else 1
    if a_words[-heads:] != b_words[-heads:]:
        return False
    small, large = sorted((set(a_words), set(b_words)), key=len)
    return small <= large


@dataclass(frozen=True)
class ClaimFact:
    """A claim as the facts table needs it (a ``Claim`` row, or anything with these fields)."""

    article: int
    quantity: str
    value: float
    low: float
    high: float
    unit: str
    subject: str
    text: str
    qualifier: str = ""
    sentence: str = ""
    sentence_index: int | None = None


@dataclass
class FactGroup:
    """Claims that measure one thing, shown in one display unit."""

    subject: str  # the shortest subject as written by extraction
    key: str
    quantity: str
    base_unit: str
    unit: str  # the display unit
    factor: float  # base unit -> display unit: display = base / factor
    claims: list[ClaimFact] = field(default_factory=list)
    agree: bool = True

    @property
    def articles(self) -> list[int]:
        """The articles that state this fact, in order of first claim."""
        return list(dict.fromkeys(c.article for c in self.claims))

    @property
    def status(self) -> str:
        """agree · disagree · single (only one article states it)."""
        if len(self.articles) < 2:
            return "single"
        return "agree" if self.agree else "disagree"

    def display(self, value: float) -> float:
        """``value`` (in the base unit) in the group's display unit, rounded for reading."""
        return round(value / self.factor, 3)


def agree(ranges: list[tuple[float, float]], tolerance: float = TOLERANCE) -> bool:
    """True when the ranges, widened by ``tolerance`` of their bounds, have a point in common."""
    if not ranges:
        return True
    lows = [lo - abs(lo) * tolerance for lo, _ in ranges]
    highs = [hi + abs(hi) * tolerance for _, hi in ranges]
    return max(lows) <= min(highs)


def display_unit(quantity: str, base_unit: str, values: list[float]) -> tuple[str, float]:
    """A readable unit for a group of values in ``base_unit``, and the factor to divide by.

    Metres become kilometres when every value is at least 1,000 m; months become years when every
    value is at least two years, and days when every value is under a month.
    """
    smallest = min((abs(v) for v in values), default=0)
    largest = max((abs(v) for v in values), default=0)
    if base_unit == "m" and smallest >= 1000:
        return "km", 1000.0
    if base_unit == "month":
        if smallest >= 24:
            return "years", 12.0
        if largest < 1:
            return "days", 12 / 365.25
        return "months", 1.0
    return base_unit, 1.0


def group_claims(claims: list[ClaimFact]) -> list[FactGroup]:
    """Group ``claims`` by what they measure and mark each group as agreeing or not.

    Groups stated by more than one article come first (disagreements first), then by subject.
    """
    groups: list[FactGroup] = []
    for claim in claims:
        key = normalise_subject(claim.subject)
        for group in groups:
            if (
                group.quantity == claim.quantity
                and group.base_unit == claim.unit
                and compatible(claim.quantity, group.key, key)
            ):
                group.claims.append(claim)
                if len(key) < len(group.key):
                    group.key, group.subject = key, claim.subject
                break
        else:
            groups.append(
                FactGroup(claim.subject, key, claim.quantity, claim.unit, claim.unit, 1.0, [claim])
            )
    for group in groups:
        group.agree = agree([(c.low, c.high) for c in group.claims])
        group.unit, group.factor = display_unit(
            group.quantity, group.base_unit, [c.value for c in group.claims]
        )
    rank = {"disagree": 0, "agree": 1, "single": 2}
    groups.sort(key=lambda g: (rank[g.status], g.subject))
    return groups
