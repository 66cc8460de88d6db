"""The units lexicon of claim extraction: units as written, currency signs and hedge words.

Every unit maps to ``(quantity, base unit, factor to the base unit)``, so "1 km" and "850 m" are
both lengths in metres and "one and a half years" and "18 months" both durations in months.
``HEDGE_BOUNDS`` turns a hedge ("about", "more than") into the range a stated figure covers.
"""

from __future__ import annotations

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
AMBIGUOUS_SHORT = {"m", "g", "mi", "ha", "yd", "ft"}

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

# Words that make a count a rate ("2,850 people daily"), and the rate each names. Claims match
# them right after a figure; the comparison view normalises subjects with them.
RATE_WORDS = [
    ("daily|per day|a day|each day|every day", "per day"),
    ("weekly|per week|a week|each week|every week", "per week"),
    ("monthly|per month|a month|each month|every month", "per month"),
    ("annually|yearly|annual|per year|a year|each year|every year|per annum", "per year"),
    ("hourly|per hour|an hour|each hour|every hour", "per hour"),
]
