"""The number grammar of claim extraction: where an article states a figure, and its value.

``CLAIM_RE`` finds figures written in digits ("2,850", "1.5"), in words ("forty-two", "a dozen",
"one and a half"), with scale words ("3.2 billion"), ranges ("3-5", "between 3 and 5"), currency
signs, units and hedges; ``read_figure`` turns a match into a ``Figure`` in the base unit, and
``is_date_or_year`` tells the dates, years, times and ages that only look like figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.extraction.units import (
    AMBIGUOUS_SHORT,
    CURRENCY_SIGNS,
    QUALIFIERS,
    SCALED_ONLY_UNITS,
    UNITS,
)

# Number words up to ninety-nine, and the scale words that multiply them.
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

# A small number beside a month name is a day of the month, and a year is a date, not a count.
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
_CLOCK_AFTER = re.compile(r"^\s*(?:a\.?m\b\.?|p\.?m\b\.?|o['’]clock|GMT|UTC|[AP]M\b)", re.I)
_AGE_AFTER = re.compile(r"-old\b")


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
class Figure:
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


def read_figure(body: str, m: re.Match) -> Figure | None:
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
    if spec and unit_text in AMBIGUOUS_SHORT and (m["unit_sep"] or "").strip() == "-":
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
    figure = Figure(quantity, unit, low, high, qualifier, start, end, m.start("number"))

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


def is_date_or_year(body: str, m: re.Match, figure: Figure) -> bool:
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
