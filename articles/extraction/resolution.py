"""Spelling variants of one name, resolved to one entity: pure functions, no database.

A name reaches us as the article writes it: "President Vladimir Putin", "Putin’s", "Mr Pak",
"Kim Jong-Un". These functions strip what is not the name (titles, honorifics, possessives),
compare what is left by its key (``name_key``: transliterated, no case, no spaces or hyphens), let a
bare surname stand for a full name only inside the article that spelled the full name out, and
accept a fuzzy match only when every part of the two names agrees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from unidecode import unidecode

from articles.models.entities import name_key

__all__ = [
    "HONORIFICS",
    "TITLE_WORDS",
    "FullName",
    "clean_name",
    "fuzzy_person",
    "is_demonym",
    "name_key",
    "name_parts",
    "parts_compatible",
    "resolve_short_name",
    "strip_possessive",
    "strip_titles",
]

# Honorifics and the words of office titles that come before a name ("Prime Minister Mikhail
# Mishustin", "Supreme Leader Kim Jong-Un", "Vice Premier Jong Myong Su").
HONORIFICS = frozenset("mr mrs ms miss dr prof sir dame lord lady madam mme mx rev".split())
TITLE_WORDS = (
    frozenset(
        """
    president vice prime minister premier chancellor leader supreme chairman chairwoman chair
    co-chairman chairperson secretary general governor mayor ambassador envoy consul deputy
    foreign defence defense interior finance transport justice state senator sen rep
    representative congressman congresswoman spokesman spokeswoman spokesperson king queen prince
    princess emperor pope commander gen general col colonel lt lieutenant major maj capt captain
    sgt sergeant admiral marshal officer director head chief ceo executive presidential ruler
    dictator chief justice judge speaker lawmaker MP official adviser advisor aide professor
    sheikh emir sultan cardinal bishop father brother sister cabinet extraordinary plenipotentiary
    first lady comrade marshal-general acting former late
    """.lower().split()
    )
    | HONORIFICS
)

_POSSESSIVE = re.compile(r"(?:['’`´]s|s['’`´]|['’`´])$", re.IGNORECASE)
_EDGE_JUNK = re.compile(r"^[\s\"'“”‘’«»()\[\],.;:!?–—-]+|[\s\"“”‘«»()\[\],;:!?–—-]+$")
_WORD_SPLIT = re.compile(r"[\s\-‐‑–—]+")
_DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish")


def strip_possessive(text: str) -> str:
    """Return ``text`` without a trailing possessive: "Putin’s" and "Putin's" give "Putin"."""
    text = text.strip()
    match = _POSSESSIVE.search(text)
    if not match:
        return text
    if match.group().lower().startswith("s") and len(match.group()) == 2:
        # "Davis'" style: keep the s, drop the apostrophe.
        return text[: match.start() + 1]
    return text[: match.start()]


def is_demonym(word: str) -> bool:
    """True for a capitalised people-or-country adjective: "Russian", "North-Korean", "Korean"."""
    word = word.strip()
    if not word[:1].isupper() or not word.isalpha() and "-" not in word:
        return False
    last = word.split("-")[-1].lower()
    return len(last) > 4 and last.endswith(_DEMONYM_ENDINGS)


def strip_titles(text: str) -> str:
    """Remove leading honorifics, titles and demonyms: "North Korean Premier Pak Thae Song" -> name.

    Only words at the start are removed, and only while a title word follows or is the word, so a
    name that merely contains such a word later on is kept.
    """
    words = text.split()
    i = 0
    while i < len(words) - 1:
        word = words[i].strip(".,").lower()
        if word in TITLE_WORDS or word in {"the", "of", "and"} and i > 0:
            i += 1
            continue
        # "North Korean Premier ...", "Russian President ...": a demonym before a title word.
        rest = [w.strip(".,").lower() for w in words[i + 1 : i + 3]]
        if (word in {"north", "south", "east", "west"} or is_demonym(words[i])) and any(
            r in TITLE_WORDS for r in rest
        ):
            i += 1
            continue
        break
    return " ".join(words[i:])


def clean_name(surface: str) -> str:
    """Return the bare name in ``surface``: no titles, honorifics, possessive or edge punctuation."""
    text = " ".join(surface.split())
    text = _EDGE_JUNK.sub("", text)
    text = strip_possessive(text)
    if text.lower().startswith("the "):
        text = text[4:]
    return _EDGE_JUNK.sub("", strip_titles(text))


def name_parts(name: str) -> list[str]:
    """Return the parts of a name, transliterated and lowercased: "Kim Jong-Un" -> kim, jong, un."""
    return list(_name_parts(name))


@lru_cache(maxsize=65536)  # resolution compares each short name with every full name in an article
def _name_parts(name: str) -> tuple[str, ...]:
    parts = []
    for word in _WORD_SPLIT.split(unidecode(name).lower()):
        word = "".join(ch for ch in word if ch.isalnum())
        if word:
            parts.append(word)
    return tuple(parts)


def _part_close(a: str, b: str) -> bool:
    if a == b:
        return True
    # An initial stands for a name that starts with it ("V. Putin").
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    # Short parts (Korean syllables, "Un" / "Gyu") must agree exactly: one letter is a new name.
    if min(len(a), len(b)) < 5:
        return False
    return fuzz.ratio(a, b) >= 85


def parts_compatible(a: str, b: str) -> bool:
    """True if names ``a`` and ``b`` can be one person: the same key, or every part agrees.

    "Mikhail Mishustn" and "Mikhail Mishustin" agree; "Kim Jong Gyu" and "Kim Jong Un" do not,
    because their last parts differ, however alike the whole strings look.
    """
    if name_key(a) == name_key(b):
        return True
    pa, pb = name_parts(a), name_parts(b)
    if len(pa) != len(pb) or not pa:
        return False
    return all(_part_close(x, y) for x, y in zip(pa, pb, strict=True))


def fuzzy_person(name: str, known: dict[str, int], *, cutoff: float = 90.0) -> int | None:
    """Return the id of the known person ``name`` is a close variant of, or None.

    ``known`` maps a spelling (a name or alias) to an entity id. A match needs a similarity of at
    least ``cutoff`` on the keys and compatible parts, and must not point at two different people.
    """
    if not known or len(name_parts(name)) < 2:
        return None
    spellings = list(known)
    keys = [name_key(s) for s in spellings]
    key = name_key(name)
    hits = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
    ids = {known[spellings[i]] for _, _, i in hits if parts_compatible(name, spellings[i])}
    return ids.pop() if len(ids) == 1 else None


@dataclass(frozen=True, slots=True)
class FullName:
    """A name of two or more parts spelled out in an article, at a position, with its weight."""

    name: str
    start: int
    mentions: int = 1


def _short_matches(short: str, full: str) -> bool:
    parts = name_parts(full)
    key = name_key(short)
    if len(parts) < 2 or not key:
        return False
    if parts[-1] == key:
        return True
    # Family name first (Korean, Chinese names of three parts: "Kim Jong-un", "Pak Thae-song").
    return len(parts) >= 3 and parts[0] == key


def resolve_short_name(short: str, position: int, names: Sequence[FullName]) -> str | None:
    """Return the full name a bare surname stands for in this article, or None when unsure.

    Candidates are the article's full names whose surname (or, for names of three parts, family
    name first) is ``short``. One candidate wins outright. Of several distinct people, the one
    mentioned most prominently wins if it has at least twice the mentions of any other; otherwise
    the most recent one before ``position`` wins only when it is also the only one before it.
    Different people sharing a family name are never merged: this picks one, or none.
    """
    by_key: dict[str, FullName] = {}
    for full in names:
        if not _short_matches(short, full.name):
            continue
        key = name_key(full.name)
        seen = by_key.get(key)
        if seen is None or full.start < seen.start:
            by_key[key] = FullName(
                (seen or full).name,
                min(full.start, seen.start if seen else full.start),
                full.mentions + (seen.mentions if seen else 0),
            )
    candidates = list(by_key.values())
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0].name
    ranked = sorted(candidates, key=lambda c: c.mentions, reverse=True)
    if ranked[0].mentions >= 2 * ranked[1].mentions:
        return ranked[0].name
    earlier = [c for c in candidates if c.start < position]
    if len(earlier) == 1:
        return earlier[0].name
    return None


def group_variants(names: Iterable[str]) -> dict[str, list[str]]:
    """Group spellings by key, in first-seen order: {"kimjongun": ["Kim Jong-un", "Kim Jong Un"]}."""
    groups: dict[str, list[str]] = {}
    for name in names:
        key = name_key(name)
        if key and name not in groups.setdefault(key, []):
            groups[key].append(name)
    return groups
