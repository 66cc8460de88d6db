"""The numbers an article states: what they measure, in which unit, and how exactly.

``extract_claims(body)`` finds quantities with a regular grammar (digits, number words, ranges,
scale words, units, hedges), normalises each to a base unit, and reads what it measures from the
dependency parse, so "the bridge will be 1 kilometer long", "the bridge itself will span
approximately 850 meters" and "the 1-kilometer bridge" all become ``bridge length`` in metres, and
"construction is expected to take one and a half years" and "the estimated construction period is
around 18 months" both become ``construction time`` in months.

Hedges become a range (``low``/``high``), by this rule:

==========================================================  =====================
nearly, almost, close to, just under                          [0.9 X, X]
about, around, approximately, roughly, some, an estimated     [0.9 X, 1.1 X]
more than, over, at least, above, in excess of                [X, 1.5 X]
up to, less than, fewer than, under, below                    [0, X]
exact figures                                                  [X, X]
==========================================================  =====================

Exact figures are never widened for rounding: "1 km" and "850 m" must disagree.

Not claims: years ("in 2023", "June 2024"), days of the month ("April 30", "19 June"), ordinals
("70th"), vague amounts ("hundreds of"), and number words that refer back to things already named
("the two countries").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from articles.extraction.nlp import entity_at, parse
from articles.text import split_sentences


@dataclass(frozen=True)
class ClaimCandidate:
    """A number an article states, normalised to a base unit."""

    quantity: str  # length, width, area, duration, count, percent, money, speed, weight
    value: float  # in the base unit; the midpoint of a range
    low: float
    high: float
    unit: str  # m, m2, month, "", %, km/h, kg, or a currency code
    qualifier: str  # "", about, nearly, at least, more than, less than, up to, over
    subject: str  # what it measures, normalised: "bridge length", "troops", "construction time"
    text: str  # the words as written
    start: int
    end: int
    sentence_index: int


# --- Lexicon ---------------------------------------------------------------------------------

_UNITS_UNDER_20 = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES = {word: float(i) for i, word in enumerate(_UNITS_UNDER_20)}
WORD_VALUES.update({word: float(20 + 10 * i) for i, word in enumerate(_TENS)})
WORD_VALUES.update({"dozen": 12.0, "a dozen": 12.0})

SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}

# unit as written -> (quantity, base unit, factor to the base unit)
_DAY_IN_MONTHS = 12 / 365.25
UNITS: dict[str, tuple[str, str, float]] = {}
for _names, _spec in [
    ("kilometer|kilometers|kilometre|kilometres|km|kms", ("length", "m", 1000.0)),
    ("meter|meters|metre|metres|m", ("length", "m", 1.0)),
    ("centimeter|centimeters|centimetre|centimetres|cm", ("length", "m", 0.01)),
    ("millimeter|millimeters|millimetre|millimetres|mm", ("length", "m", 0.001)),
    ("mile|miles|mi", ("length", "m", 1609.344)),
    ("nautical mile|nautical miles", ("length", "m", 1852.0)),
    ("foot|feet|ft", ("length", "m", 0.3048)),
    ("yard|yards|yd", ("length", "m", 0.9144)),
    (
        "square kilometer|square kilometers|square kilometre|square kilometres|sq km|km2|km²",
        ("area", "m2", 1e6),
    ),
    ("square meter|square meters|square metre|square metres|sq m|m2|m²", ("area", "m2", 1.0)),
    ("square mile|square miles|sq mi", ("area", "m2", 2_589_988.11)),
    ("hectare|hectares|ha", ("area", "m2", 1e4)),
    ("acre|acres", ("area", "m2", 4046.8564224)),
    ("decade|decades", ("duration", "month", 120.0)),
    ("year|years|yr|yrs", ("duration", "month", 12.0)),
    ("month|months", ("duration", "month", 1.0)),
    ("week|weeks", ("duration", "month", 7 * _DAY_IN_MONTHS)),
    ("day|days", ("duration", "month", _DAY_IN_MONTHS)),
    ("hour|hours", ("duration", "month", _DAY_IN_MONTHS / 24)),
    ("minute|minutes", ("duration", "month", _DAY_IN_MONTHS / 1440)),
    ("%|percent|per cent|pct", ("percent", "%", 1.0)),
    ("km/h|kph|kmh|kilometers per hour|kilometres per hour", ("speed", "km/h", 1.0)),
    ("mph|miles per hour", ("speed", "km/h", 1.609344)),
    ("knot|knots", ("speed", "km/h", 1.852)),
    ("kilogram|kilograms|kilogramme|kilogrammes|kg|kgs", ("weight", "kg", 1.0)),
    ("gram|grams|g", ("weight", "kg", 0.001)),
    ("tonne|tonnes|ton|tons|metric ton|metric tons", ("weight", "kg", 1000.0)),
    ("lb|lbs", ("weight", "kg", 0.45359237)),
    ("dollar|dollars", ("money", "USD", 1.0)),
    ("euro|euros", ("money", "EUR", 1.0)),
    ("ruble|rubles|rouble|roubles", ("money", "RUB", 1.0)),
    ("yuan|renminbi", ("money", "CNY", 1.0)),
    ("yen", ("money", "JPY", 1.0)),
    ("rupee|rupees", ("money", "INR", 1.0)),
    ("hryvnia|hryvnias", ("money", "UAH", 1.0)),
]:
    for _name in _names.split("|"):
        UNITS[_name] = _spec
# Words that are units only after a scale word ("5 billion won"), being common words otherwise.
SCALED_ONLY_UNITS = {
    "won": ("money", "KRW", 1.0),
    "pounds": ("money", "GBP", 1.0),
    "pound": ("money", "GBP", 1.0),
}
CURRENCY_SIGNS = {
    "US$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₽": "RUB",
    "₩": "KRW",
}
# Units whose one-letter abbreviation is too easily something else when spelled out of context.
_AMBIGUOUS_SHORT = {"m", "g", "mi", "ha", "yd", "ft"}

QUALIFIERS = {
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "approx.": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "more than": "more than",
    "in excess of": "more than",
    "over": "over",
    "just over": "over",
    "above": "over",
    "at least": "at least",
    "up to": "up to",
    "less than": "less than",
    "fewer than": "less than",
    "under": "less than",
    "below": "less than",
}
# qualifier -> (low factor, high factor) applied to the stated figure
HEDGE_BOUNDS = {
    "": (1.0, 1.0),
    "nearly": (0.9, 1.0),
    "about": (0.9, 1.1),
    "more than": (1.0, 1.5),
    "over": (1.0, 1.5),
    "at least": (1.0, 1.5),
    "up to": (0.0, 1.0),
    "less than": (0.0, 1.0),
}

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]

# Nouns that name a measure rather than the thing measured, and what they measure.
MEASURE_NOUNS = {
    "length": "length",
    "span": "length",
    "distance": "length",
    "width": "width",
    "breadth": "width",
    "height": "height",
    "depth": "depth",
    "thickness": "thickness",
    "area": "area",
    "period": "time",
    "time": "time",
    "duration": "time",
    "timeline": "time",
    "timeframe": "time",
    "term": "time",
    "cost": "cost",
    "price": "cost",
    "budget": "budget",
    "value": "value",
    "worth": "value",
    "investment": "investment",
    "speed": "speed",
    "weight": "weight",
    "capacity": "capacity",
    "share": "share",
}
DIMENSION_ADJECTIVES = {
    "long": "length",
    "wide": "width",
    "high": "height",
    "tall": "height",
    "deep": "depth",
    "thick": "thickness",
}
DEFAULT_MEASURE = {
    "length": "length",
    "area": "area",
    "duration": "time",
    "money": "cost",
    "speed": "speed",
    "weight": "weight",
    "percent": "share",
}
# What a pronoun or generic noun stands for is whatever the article was measuring just before.
REFERENCE = ""
NEUTER_PRONOUNS = {"it", "its", "this", "that", "these", "those", "they", "them", "their", "itself"}
TOTAL_WORDS = {"total", "overall", "combined", "entire", "whole"}
# Head nouns too general to say what is measured ("the bridge structure" is the bridge; "the
# project" is whatever the article has been measuring).
GENERIC_HEADS = {
    "structure",
    "section",
    "part",
    "portion",
    "project",
    "facility",
    "initiative",
    "scheme",
    "plan",
    "itself",
    "estimate",
    "figure",
    "number",
    "total",
    "toll",
    "tally",
    "count",
}
# One name for each group of synonyms, so different phrasings of a subject compare equal.
SYNONYMS = {
    "soldier": "troops",
    "troop": "troops",
    "serviceman": "troops",
    "servicemen": "troops",
    "individual": "people",
    "person": "people",
    "persons": "people",
    "people": "people",
    "casualty": "casualties",
    "death": "deaths",
    "construction": "construction",
    "build": "construction",
    "building": "construction",
    "construct": "construction",
    "completion": "construction",
    "complete": "construction",
    "finish": "construction",
    "work": "construction",
    "works": "construction",
}
# Adjectives that say nothing about which thing is counted or measured.
EMPTY_ADJECTIVES = {
    "new", "other", "more", "such", "own", "mere", "same", "first", "last", "further",
    "additional", "significant", "major", "small", "large", "big", "great", "huge", "recent",
    "various", "several", "many", "few", "current", "only", "estimated", "reported", "expected",
    "approximately", "roughly", "total", "overall", "combined", "entire", "whole", "some",
}  # fmt: skip
RATES = [
    (re.compile(r"^(?:daily|per day|a day|each day|every day)\b"), "per day"),
    (re.compile(r"^(?:weekly|per week|a week|each week|every week)\b"), "per week"),
    (re.compile(r"^(?:monthly|per month|a month|each month|every month)\b"), "per month"),
    (
        re.compile(r"^(?:annually|yearly|per year|a year|each year|every year|per annum)\b"),
        "per year",
    ),
    (re.compile(r"^(?:hourly|per hour|an hour|each hour|every hour)\b"), "per hour"),
]
# Nouns that are sums of money themselves: "revenue of $3.2 billion" is revenue, not its cost.
MONEY_NOUNS = {
    "revenue", "profit", "sale", "sales", "income", "loss", "deficit", "debt", "budget", "aid",
    "spending", "investment", "fine", "salary", "wage", "funding", "fund", "grant", "loan",
    "price", "value", "turnover", "earnings", "bill", "payment", "compensation", "subsidy",
}  # fmt: skip
SPENDING_VERBS = {"spend", "invest", "allocate", "earmark", "pay", "budget"}
CASUALTY_VERBS = {"kill", "wound", "injure"}

# --- Grammar ---------------------------------------------------------------------------------


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_WORD_NUMBER = (
    rf"(?:(?:{_alternation(_TENS)})(?:[- ](?:{_alternation(_UNITS_UNDER_20[1:10])}))?"
    rf"|a dozen|dozen|{_alternation(_UNITS_UNDER_20)})"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_HALF = r"\s+and\s+a\s+half\b"
# "a"/"an" is a number only in "a year and a half".
_NUMBER = rf"(?:{_DIGITS}|(?i:\b(?:{_WORD_NUMBER}|an?(?=\s+\w+{_HALF}))\b))(?:{_HALF})?"
_SCALE = rf"(?:[ \t]*(?i:(?:hundred\s+)?(?:{_alternation(SCALES)})\b))"
_UNIT = rf"(?:{_alternation(list(UNITS) + list(SCALED_ONLY_UNITS))})"
_QUALIFIER = rf"(?i:\b(?:just\s+)?(?:{_alternation(QUALIFIERS)})\s+)"
_CURRENCY = rf"(?:{_alternation(CURRENCY_SIGNS)})"

# Not re.VERBOSE: several units and hedges contain spaces ("per cent", "more than").
CLAIM_RE = re.compile(
    rf"(?P<qualifier>{_QUALIFIER})?"
    r"(?:(?i:between|from)\s+)?"
    r"(?<![\w.,/:\-–])"
    rf"(?P<currency>{_CURRENCY})?\s?"
    rf"(?P<number>{_NUMBER})(?P<scale>{_SCALE})?"
    r"(?:(?P<sep>\s*[–—]\s*|-|\s+(?:to|and)\s+)"
    rf"(?:{_CURRENCY})?(?P<number2>{_NUMBER})(?P<scale2>{_SCALE})?)?"
    rf"(?:(?P<unit_sep>[ \t]*|-)(?P<unit>(?i:{_UNIT}))(?![\w/²]))?"
    rf"(?P<half>{_HALF})?"
    r"(?![\w/:²])"
)
# A unit-less figure followed by a letter is an ordinal or a code ("70th", "G7").
_HYPHEN_NOUN = re.compile(r"-([a-z]+)\b")
_YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2})$")
_PARTITIVE_BEFORE = re.compile(r"\bof\s+(?:which|whom|them|these|those|it)\s*,?\s*$", re.I)
_PARTITIVE_AFTER = re.compile(r"^\s*of\s+(?:which|whom|them|these|those|it)\b", re.I)
_ANAPHORIC_BEFORE = re.compile(
    r"\b(?:the|these|those|its|their|our|your|his|her|my|both|all|last|past|next|first|"
    r"coming|following|previous)\s+$",
    re.I,
)
_VAGUE_AFTER = re.compile(r"^\s*(?:of|or so)\b", re.I)
_CLOCK_AFTER = re.compile(r"^\s*(?:a\.?m\b\.?|p\.?m\b\.?|o['’]clock|GMT|UTC|[AP]M\b)", re.I)
_TIME_OFFSET_AFTER = re.compile(
    r"^\s*(?:after|before|later|ago|earlier|into|since|from now)\b", re.I
)
_AGE_AFTER = re.compile(r"-old\b")
_PAREN_GAP = re.compile(r"^\s*[(\[]\s*$")


def _number_value(text: str) -> float | None:
    text = text.lower().strip()
    half = 0.0
    if re.search(r"\s+and\s+a\s+half$", text):
        text = re.sub(r"\s+and\s+a\s+half$", "", text)
        half = 0.5
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", text):
        return float(text.replace(",", "")) + half
    text = re.sub(r"\s+", " ", text)
    if text in WORD_VALUES:
        return WORD_VALUES[text] + half
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and parts[0] in WORD_VALUES and parts[1] in WORD_VALUES:
        return WORD_VALUES[parts[0]] + WORD_VALUES[parts[1]] + half
    return None


def _scale_value(text: str | None) -> float:
    if not text:
        return 1.0
    factor = 1.0
    for word in text.lower().split():
        factor *= SCALES.get(word, 1.0)
    return factor


@dataclass
class _Figure:
    """A quantity found by the grammar, before its subject is known."""

    quantity: str
    unit: str
    low: float
    high: float
    qualifier: str
    start: int
    end: int
    number_start: int
    noun: str = ""  # the counted noun of a hyphenated count ("two-lane")


def _read_figure(body: str, m: re.Match) -> _Figure | None:
    number = _number_value(m["number"])
    if m["number"].lower() in ("a", "an"):
        number = 1.0 if m["half"] and m["unit"] else None
    if number is None:
        return None
    if m["half"]:
        number += 0.5
    number2 = _number_value(m["number2"]) if m["number2"] else None
    sep = (m["sep"] or "").strip().lower()
    if (
        number2 is not None
        and sep == "and"
        and not re.search(r"between\s*\S?$", body[max(0, m.start() - 20) : m.start("number")], re.I)
    ):
        return None  # "2,850 people and 300 vehicles" is two figures, not a range
    is_word = not m["number"][0].isdigit()
    unit_text = (m["unit"] or "").lower()
    scale = _scale_value(m["scale"]) * (1.0 if m["scale"] else _scale_value(m["scale2"]))
    scale2 = _scale_value(m["scale2"])
    currency = CURRENCY_SIGNS.get(m["currency"] or "")
    scaled = bool(m["scale"] or m["scale2"])

    if unit_text in SCALED_ONLY_UNITS:
        if not scaled:
            unit_text = ""
        spec = SCALED_ONLY_UNITS.get(unit_text)
    else:
        spec = UNITS.get(unit_text)
    if spec and unit_text in _AMBIGUOUS_SHORT and (m["unit_sep"] or "").strip() == "-":
        spec = None
    end = (
        (m.end("half") if m["half"] else m.end("unit"))
        if spec
        else m.end("scale2")
        if m["scale2"]
        else m.end("number2")
    )
    if not spec and not m["number2"]:
        end = m.end("scale") if m["scale"] else m.end("number")
    if currency:
        quantity, unit, factor = "money", currency, 1.0
    elif spec:
        quantity, unit, factor = spec
    else:
        quantity, unit, factor = "count", "", 1.0
    if quantity == "money" and not currency and not spec:
        return None

    low = number * scale * factor
    high = (number2 * scale2 * factor) if number2 is not None else low
    if number2 is not None and high < low:
        return None  # "4-2" is a score or a code, not a range
    qualifier = ""
    if m["qualifier"]:
        words = " ".join(m["qualifier"].split()).lower()
        qualifier = QUALIFIERS.get(words) or QUALIFIERS.get(words.removeprefix("just "), "")
    if qualifier:
        start = m.start("qualifier")
    else:
        start = m.start("currency") if currency else m.start("number")
    figure = _Figure(quantity, unit, low, high, qualifier, start, end, m.start("number"))

    # Hyphenated counts: "a two-lane bridge", "a 12-story tower".
    if quantity == "count" and number2 is None:
        hyphen = _HYPHEN_NOUN.match(body, end)
        if hyphen and hyphen.group(1) not in {"old", "fold", "thirds", "third", "fourths", "odd"}:
            figure.noun = hyphen.group(1)
            figure.end = hyphen.end()
        elif is_word and not scaled and number < 2:
            return None  # "one of the few", "on the one hand"
        elif not scaled and number != int(number):
            return None  # "a magnitude 6.4 earthquake": things come in whole numbers
    return figure


def _is_date_or_year(body: str, m: re.Match, figure: _Figure) -> bool:
    if _AGE_AFTER.match(body, figure.end):
        return True  # "the 45-year-old"
    if figure.quantity != "count" or figure.noun or m["number2"] or m["scale"]:
        return False
    digits = m["number"]
    before = body[max(0, m.start("number") - 12) : m.start("number")].lower()
    after = body[m.end("number") : m.end("number") + 12].lower()
    month_before = re.search(rf"\b(?:{'|'.join(MONTHS)})\.?\s*$", before)
    month_after = re.match(rf"^\s*(?:{'|'.join(MONTHS)})\b", after)
    if _CLOCK_AFTER.match(after):
        return True  # "at 3 p.m."
    if _YEAR.match(digits):
        # Years are dates unless a plural noun follows at once ("2000 troops").
        return not re.match(r"^\s+[a-z]+s\b", after) or bool(
            month_before or re.search(r"\b(?:in|since|by|from|until|of|the|to|mid-?)\s*$", before)
        )
    return bool(digits.isdigit() and int(digits) <= 31 and (month_before or month_after))


# --- Subjects from the parse -----------------------------------------------------------------


def _tokens(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _phrase_root(tokens: list[Token]) -> Token | None:
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    return roots[-1] if roots else None


def _clause_subject(token: Token) -> Token | None:
    """The nominal subject of ``token``'s clause, climbing through raising and control verbs."""
    current = token
    for _ in range(6):
        for child in current.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.tag_ in ("WDT", "WP") and current.dep_ == "relcl":
                    return current.head  # "the tunnel, which cost …"
                return child
        if current.dep_ in ("acl", "relcl") and current.head.pos_ in ("NOUN", "PROPN"):
            return current.head
        if current.dep_ in ("xcomp", "ccomp", "conj", "advcl", "pcomp", "prep", "pobj", "acomp"):
            current = current.head
            continue
        break
    return None


def _is_unit_word(token: Token) -> bool:
    return token.lower_ in UNITS or any(c.pos_ == "NUM" for c in token.children)


def _likely_verb(token: Token) -> bool:
    """A small model's usual slip: "trade relies on", "project marks" read as compound nouns."""
    if token.tag_ != "NNS" or token.i == 0 or token.i + 1 >= len(token.doc):
        return False
    before, after = token.doc[token.i - 1], token.doc[token.i + 1]
    return (
        before.dep_ == "compound"
        and before.head.i == token.i
        and before.tag_ == "NN"
        and after.pos_ in ("ADP", "DET", "ADV", "PART")
        and after.lower_ != "of"
    )


def _modifiers(token: Token, keep_adjectives: bool) -> list[Token]:
    mods = []
    for child in token.lefts:
        if _is_unit_word(child):
            continue
        if child.dep_ == "compound" and child.pos_ == "NOUN":
            mods.extend(_modifiers(child, keep_adjectives))
            mods.append(child)
        elif (
            keep_adjectives
            and child.dep_ == "amod"
            and child.pos_ in ("ADJ", "VERB")
            and not child.ent_type_
            and child.lower_ not in EMPTY_ADJECTIVES
            and child.lower_ not in TOTAL_WORDS
        ):
            mods.append(child)
    return mods


def _word(token: Token) -> str:
    lemma = token.lemma_.lower()
    return SYNONYMS.get(lemma, lemma)


def _modifier_word(token: Token) -> str:
    return _word(token) if token.dep_ == "compound" else token.lower_


def _noun_phrase(token: Token | None, keep_adjectives: bool = True) -> str | None:
    """A normalised name for the thing ``token`` heads.

    ``REFERENCE`` for words that point back to a thing named earlier ("its", "the project"),
    None when there is no thing at all (a person, a missing subject).
    """
    if token is None or token.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    if token.pos_ == "PRON":
        return REFERENCE if token.lower_ in NEUTER_PRONOUNS else None
    if _likely_verb(token):
        token = token.doc[token.i - 1]
    mods = _modifiers(token, keep_adjectives)
    if token.lemma_.lower() in GENERIC_HEADS:
        nouns = [m for m in mods if m.pos_ == "NOUN"]
        if not nouns:
            return REFERENCE
        words = [_modifier_word(m) for m in mods]
    elif token.pos_ == "PROPN" and token.ent_type_:
        return None  # proper names say which thing, not what kind: keep the key general
    else:
        words = [_modifier_word(m) for m in mods] + [_word(token)]
    # Coordinated things are measured together: "the bridge and its access roads".
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ == "NOUN":
            other = _noun_phrase(child, keep_adjectives)
            if other:
                words += ["and", other]
    return " ".join(words) or None


def _of_object(token: Token, prepositions=("of", "including")) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in prepositions:
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _owner_of_measure(measure: Token) -> Token | None:
    """The thing a measure noun belongs to: "the length of the bridge", "the bridge's width"."""
    target = _of_object(measure)
    if target is not None and target.pos_ != "NUM" and target.lemma_.lower() not in UNITS:
        return target
    for child in measure.children:
        if child.dep_ == "poss":
            return child
    if measure.dep_ in ("dobj", "attr"):
        return _clause_subject(measure.head)
    return None


def _measure_of_noun(token: Token) -> str | None:
    return MEASURE_NOUNS.get(token.lemma_.lower())


_HEDGE_WORDS = {word for word in QUALIFIERS if " " not in word}


def _measured(root: Token, quantity: str) -> tuple[str | None, str, bool]:
    """(owner phrase, measure name, total?) for a unit phrase rooted at ``root``."""
    head, dep = root.head, root.dep_
    if dep == "pobj" and head.lower_ in _HEDGE_WORDS and head.dep_ != "prep":
        # "is around 18 months" parsed with the hedge as a preposition: skip the hedge.
        head, dep = head.head, "attr"
    default = DEFAULT_MEASURE.get(quantity, "")

    def from_measure_noun(noun: Token) -> tuple[str | None, str, bool]:
        total = any(c.lower_ in TOTAL_WORDS for c in noun.children)
        owner = _noun_phrase(_owner_of_measure(noun), keep_adjectives=True)
        nouns = [c for c in _modifiers(noun, False) if c.pos_ == "NOUN"]
        if not owner and nouns:
            # "the construction period": the compound names what the measure belongs to
            owner = " ".join(_word(c) for c in nouns)
        return owner, _measure_of_noun(noun), total

    # "the 1-kilometer bridge", "its 7-meter width", "a 1.5-year project": the modified noun
    # follows the unit at once (or after further compounds, "1-kilometer road bridge").
    if dep in ("compound", "amod", "nmod", "nummod") and head.pos_ == "NOUN" and head.i > root.i:
        target = root.doc[root.i + 1]
        while (
            target.dep_ == "compound" and target.head.i == target.i + 1 and target.head.tag_ == "NN"
        ):
            target = target.head
        if target.pos_ != "NOUN":
            target = head
        if _measure_of_noun(target):
            return from_measure_noun(target)
        return _noun_phrase(target), default, False
    # "2.4 kilometers of approach roads"
    target = _of_object(root, ("of",))
    if target is not None and target.pos_ in ("NOUN", "PROPN"):
        return _noun_phrase(target), default, False
    # "a total length of 4.7 km", "a width of 7 meters"
    if dep in ("pobj", "appos") and head.lower_ == "of" and _measure_of_noun(head.head):
        return from_measure_noun(head.head)
    # "revenue of $3.2 billion", "a tunnel of 5 km"
    if dep == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        owner = _noun_phrase(head.head)
        if quantity == "money" and head.head.lemma_.lower() in MONEY_NOUNS:
            return owner, "", False
        return owner, default, False
    # "1 kilometer long"
    if head.lemma_.lower() in DIMENSION_ADJECTIVES:
        subject = _clause_subject(head.head) if head.dep_ == "acomp" else head.head
        if head.dep_ == "amod":
            subject = head.head
        return _noun_phrase(subject), DIMENSION_ADJECTIVES[head.lemma_.lower()], False
    # "completion in approximately 18 months", "scheduled for completion in 18 months"
    if quantity == "duration" and dep == "pobj" and head.lower_ in ("in", "within"):
        governor = head.head
        if governor.pos_ == "VERB":
            for child in governor.children:
                if child.dep_ == "prep" and child.lower_ in ("for", "to"):
                    for grandchild in child.children:
                        if grandchild.dep_ == "pobj":
                            return _word(grandchild), default, False
            return _word(governor), default, False
        return _noun_phrase(governor), default, False
    # "the bridge will span 850 meters", "construction is expected to take 18 months"
    if dep in ("dobj", "attr", "npadvmod", "pobj", "oprd") and head.pos_ in ("VERB", "AUX"):
        if quantity == "duration":
            for child in head.children:
                if child.dep_ in ("xcomp", "advcl") and child.pos_ == "VERB":
                    return _word(child), default, False
        if quantity == "money" and head.lemma_.lower() in SPENDING_VERBS:
            # "spend $5 billion on the new airport": the money buys the object of "on"
            target = _of_object(head, ("on", "for"))
            return _noun_phrase(target), default, False
        subject = _clause_subject(head)
        if subject is not None and _measure_of_noun(subject):
            return from_measure_noun(subject)
        return _noun_phrase(subject), default, False
    return None, default, False


def _counted(doc: Doc, figure: _Figure, chunks: dict[int, object]) -> tuple[str | None, int]:
    """The counted noun of a count figure and the end offset of its noun phrase."""
    tokens = _tokens(doc, figure.number_start, figure.end)
    if not tokens:
        return None, figure.end
    last = tokens[-1]
    chunk = chunks.get(last.i)
    noun = None
    if chunk is not None and chunk.root.i > last.i and chunk.root.pos_ == "NOUN":
        noun = chunk.root
    elif last.head.i > last.i and last.head.pos_ == "NOUN" and last.dep_ in ("nummod", "quantmod"):
        noun = last.head
    if noun is None:
        # A bare figure stands for the subject of its clause: "casualty estimates rose to 4,700".
        root = _phrase_root(tokens)
        if root is None or root.dep_ not in ("pobj", "attr", "dobj"):
            return None, figure.end
        subject = _clause_subject(root.head)
        if subject is None:
            return None, figure.end
        for token in [*_modifiers(subject, False), subject]:
            if _word(token) in ("casualties", "deaths"):
                return _word(token), figure.end
        return None, figure.end
    if noun.lemma_.lower() in UNITS or noun.lemma_.lower() in MONTHS:
        return None, figure.end
    phrase = _count_phrase(noun)
    return phrase, noun.idx + len(noun.text)


def _count_phrase(noun: Token) -> str | None:
    if noun.pos_ != "NOUN" or noun.lemma_.lower() in GENERIC_HEADS:
        return None
    verbs = set()
    if noun.dep_ in ("nsubj", "nsubjpass"):
        verb = noun.head
        verbs = {verb.lemma_.lower()} | {
            c.lemma_.lower() for c in verb.children if c.dep_ == "conj"
        }
    if verbs & CASUALTY_VERBS:
        return "casualties" if verbs & {"wound", "injure"} else "deaths"
    if "die" in verbs:
        return "deaths"
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in CASUALTY_VERBS:
        return "deaths" if noun.head.lemma_.lower() == "kill" else "injured"
    head = SYNONYMS.get(noun.lemma_.lower())
    if head is None:
        head = noun.lower_ if noun.tag_ == "NNS" else noun.lemma_.lower()
    mods = [_modifier_word(m) for m in _modifiers(noun, keep_adjectives=True)]
    return " ".join([*mods, head])


def _rate(doc: Doc, body: str, figure_end: int) -> str:
    """'per day' when the figure is a rate ("300 vehicles daily", "2,850 people per day")."""
    span = doc.char_span(figure_end, len(body), alignment_mode="expand")
    if span is None:
        return ""
    for token in span[:12]:
        if token.is_punct and token.text not in "-–":
            break
        rest = body[token.idx : token.idx + 16].lower()
        for pattern, name in RATES:
            if pattern.match(rest):
                return name
    return ""


_PARTNER_PREPOSITIONS = {"with", "on", "involving", "to", "from"}


def _percent_subject(doc: Doc, body: str, figure: _Figure, previous: str | None) -> str | None:
    """'external trade with china' for "97% of North Korea's external trade was with China"."""
    tokens = _tokens(doc, figure.number_start, figure.end)
    root = _phrase_root(tokens)
    base = None
    if root is not None:
        target = _of_object(root, ("of",))
        if target is not None:
            base = _noun_phrase(target)
    if base is None and root is not None and root.dep_ not in ("nsubj", "nsubjpass"):
        # "unemployment fell to 4.2 percent"
        head = root.head.head if root.dep_ == "pobj" else root.head
        base = _noun_phrase(_clause_subject(head)) if head.pos_ in ("VERB", "AUX") else None
    if base is None and previous:
        base = previous.split(" with ")[0]
    after = doc.char_span(figure.end, len(body), alignment_mode="expand")
    partner = None
    if after is not None:
        for token in after[:14]:
            if token.is_sent_start or token.text in (";", ".") or token.pos_ == "NUM":
                break
            if (
                token.ent_type_ in ("GPE", "ORG", "NORP", "LOC")
                and token.ent_iob_ == "B"
                and token.i > 0
                and doc[token.i - 1].lower_ in _PARTNER_PREPOSITIONS
            ):
                partner = entity_at(token).text.lower()
                break
    if not base:
        return None
    subject = base
    if partner:
        subject = f"{subject} with {partner}"
    return subject


def _tidy(number: float) -> float:
    return float(f"{number:.10g}")


def _compose(owner: str | None, measure: str, total: bool) -> str:
    if total:
        return f"total {measure}"
    return f"{owner} {measure}".strip() if owner else measure


# --- Public interface ------------------------------------------------------------------------


def extract_claims(body: str, doc: Doc | None = None) -> list[ClaimCandidate]:
    """Return the quantities ``body`` states, in order, each with the subject it measures."""
    if doc is None:
        doc = parse(body)
    sentences = split_sentences(body)
    starts = [s.start for s in sentences]
    chunks: dict[int, object] = {}
    for chunk in doc.noun_chunks:
        for token in chunk:
            chunks[token.i] = chunk

    claims: list[ClaimCandidate] = []
    last_owner: dict[str, str] = {}  # salience: what the article last measured, per quantity
    last_subject: dict[str, str] = {}
    last_percent: tuple[int, str] = (-1, "")
    previous_end = -1
    previous_quantity = ""
    for m in CLAIM_RE.finditer(body):
        figure = _read_figure(body, m)
        if figure is None or _is_date_or_year(body, m, figure):
            continue
        before = body[max(0, figure.start - 40) : figure.start]
        after = body[figure.end : figure.end + 30]
        # A converted figure in brackets repeats the one before it: "4.7 km (2.9 miles)".
        if (
            previous_end >= 0
            and figure.quantity == previous_quantity
            and _PAREN_GAP.match(body[previous_end : figure.start])
        ):
            continue
        if figure.quantity == "count" and not figure.noun:
            if _ANAPHORIC_BEFORE.search(before) and not m["number"][0].isdigit():
                continue  # "the two countries" points back; it states nothing new
            if _VAGUE_AFTER.match(after) and not _PARTITIVE_AFTER.match(after):
                continue  # "one of", "two or so"
        if figure.quantity == "duration" and (
            _ANAPHORIC_BEFORE.search(before) or _TIME_OFFSET_AFTER.match(after)
        ):
            continue  # "over the last three years", "two days later": when, not how long

        if figure.qualifier:
            hedge = _tokens(doc, figure.start, figure.start + 1)
            if hedge and hedge[0].dep_ == "prep" and figure.quantity == "duration":
                # "pulled 17 survivors over three days": a preposition, not a hedge
                figure.qualifier, figure.start = (
                    "",
                    m.start("currency") if m["currency"] else (m.start("number")),
                )
        partitive = bool(_PARTITIVE_BEFORE.search(before) or _PARTITIVE_AFTER.match(after))
        sentence_index = max(0, bisect.bisect_right(starts, figure.start) - 1)
        quantity = figure.quantity
        end = figure.end
        tokens = _tokens(doc, figure.number_start, figure.end)
        root = _phrase_root(tokens)
        if figure.quantity == "count":
            if figure.noun:
                noun = figure.noun if figure.noun.endswith("s") else figure.noun + "s"
                subject = SYNONYMS.get(figure.noun, noun)
            else:
                subject, end = _counted(doc, figure, chunks)
                if subject is None:
                    continue
                rate = _rate(doc, body, end)
                if rate:
                    subject = f"{subject} {rate}"
        elif figure.quantity == "percent":
            previous = last_percent[1] if last_percent[0] == sentence_index else None
            subject = _percent_subject(doc, body, figure, previous)
            if subject is None:
                continue
            last_percent = (sentence_index, subject)
        elif root is None:
            continue
        else:
            owner, measure, total = _measured(root, figure.quantity)
            family = "duration" if figure.quantity == "duration" else "dimension"
            if owner == REFERENCE and family == "duration" and last_subject.get("duration"):
                subject = last_subject["duration"]  # "this 1.5-year project"
            else:
                if partitive and last_owner.get(family):
                    owner = f"{last_owner[family]} section"
                elif owner == REFERENCE:
                    owner = last_owner.get(family)
                elif owner and not total:
                    last_owner[family] = owner
                if not owner and not total:
                    continue  # a measure of nothing in particular compares with nothing
                subject = _compose(owner, measure, total)
                if measure == "width":
                    quantity = "width"

        if figure.quantity == "duration":
            last_subject["duration"] = subject
        low_factor, high_factor = HEDGE_BOUNDS[figure.qualifier]
        if figure.high != figure.low:
            low, high = figure.low, figure.high
        else:
            low, high = figure.low * low_factor, figure.low * high_factor
        # Ten significant digits: 850 x 1.1 is 935, not 935.0000000000001.
        low, high = _tidy(low), _tidy(high)
        value = _tidy((figure.low + figure.high) / 2)
        claims.append(
            ClaimCandidate(
                quantity=quantity,
                value=value,
                low=low,
                high=high,
                unit=figure.unit,
                qualifier=figure.qualifier,
                subject=subject,
                text=body[figure.start : end],
                start=figure.start,
                end=end,
                sentence_index=sentence_index if sentences else 0,
            )
        )
        previous_end, previous_quantity = end, figure.quantity
    return claims


def subject_key(claim: ClaimCandidate) -> str:
    """The key the comparison view groups claims by: "length:bridge length"."""
    return f"{claim.quantity}:{claim.subject}"


def same_subject(a: ClaimCandidate, b: ClaimCandidate) -> bool:
    """True when two claims measure the same thing, allowing for extra modifiers.

    "artillery shells" and "shells", or "external trade with china" and "trade with china", are the
    same subject: the head words agree and one description only adds words to the other.
    """
    if a.quantity != b.quantity or a.unit != b.unit:
        return False
    if a.subject == b.subject:
        return True
    a_base, _, a_partner = a.subject.partition(" with ")
    b_base, _, b_partner = b.subject.partition(" with ")
    if a_partner != b_partner:
        return False
    a_words, b_words = a_base.split(), b_base.split()
    if not a_words or not b_words:
        return False
    # The last word is the head for counts and percentages; for measures it is the measure
    # ("length"), and the word before it names the thing measured.
    heads = 2 if a.quantity not in ("count", "percent") else 1
    if a_words[-heads:] != b_words[-heads:]:
        return False
    small, large = sorted((set(a_words), set(b_words)), key=len)
    return small <= large
