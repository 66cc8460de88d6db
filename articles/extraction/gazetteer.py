"""Known entities found fast and exactly: an Aho-Corasick automaton over every name and alias.

Text and names are compared in a normal form (transliterated, lowercase, every run of punctuation
and space made one space) so "Kim Jong-Un", "Kim Jong Un" and "KIM JONG UN" meet; a match must
start and end at word boundaries. The automaton is built once per process from the database and
rebuilt when the entities change (a cheap version key: row counts and the newest ``updated_at``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import ahocorasick
from unidecode import unidecode

from articles.models.entities import name_key

__all__ = ["Entry", "Gazetteer", "GazetteerMatch", "current_gazetteer", "normalise"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One known entity a spelling names."""

    kind: str
    entity_id: int
    name: str


@dataclass(frozen=True, slots=True)
class GazetteerMatch:
    """A stretch of text that spells a known name, with the entities that name could be."""

    start: int
    end: int
    surface: str
    entries: tuple[Entry, ...]


def normalise(text: str) -> tuple[str, list[int]]:
    """Return the normal form of ``text`` and, for each of its characters, the offset it came from."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch.isalnum() and ch.isascii():
            piece = ch.lower()
        else:
            piece = unidecode(ch).lower() if not ch.isspace() else " "
        for p in piece:
            if not p.isalnum():
                p = " "
            if p == " " and (not out or out[-1] == " "):
                continue
            out.append(p)
            offsets.append(i)
    return "".join(out), offsets


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 1 < len(letters) <= 6 and all(c.isupper() for c in letters)


@dataclass
class Gazetteer:
    """An automaton over spellings of known entities; ``find(text)`` returns the matches."""

    entries: dict[str, list[Entry]] = field(default_factory=dict)
    acronyms: set[str] = field(default_factory=set)
    spelled_out: set[str] = field(default_factory=set)
    version: tuple = ()
    _automaton: ahocorasick.Automaton | None = None

    def add(self, spelling: str, entry: Entry) -> None:
        """Register ``spelling`` as a name of ``entry`` (call ``build`` afterwards)."""
        norm, _ = normalise(spelling.strip())
        norm = norm.strip()
        if not norm:
            return
        found = self.entries.setdefault(norm, [])
        if entry not in found:
            found.append(entry)
        # A key only written in capitals ("US") must match capitals; "TASS" / "Tass" need not.
        (self.acronyms if _is_acronym(spelling) else self.spelled_out).add(norm)

    def build(self) -> Gazetteer:
        """Compile the automaton from the spellings added so far."""
        automaton = ahocorasick.Automaton()
        for norm in self.entries:
            automaton.add_word(norm, norm)
        if len(automaton):
            automaton.make_automaton()
        self._automaton = automaton
        return self

    def kinds_of(self, name: str) -> set[str]:
        """The kinds of the known entities spelled ``name`` (by key)."""
        norm = normalise(name)[0].strip()
        return {e.kind for e in self.entries.get(norm, ())}

    def lookup(self, name: str, kind: str | None = None) -> list[Entry]:
        """The known entities spelled exactly ``name`` (in normal form), optionally of one kind."""
        norm = normalise(name)[0].strip()
        return [e for e in self.entries.get(norm, ()) if kind is None or e.kind == kind]

    def find(self, text: str) -> list[GazetteerMatch]:
        """Return the leftmost-longest matches in ``text`` at word boundaries, in order.

        Names are proper nouns: a match must start with a capital (or a digit) in the text, and a
        short all-capital name ("US", "TASS") only matches where the text also writes it in capitals,
        so "us" the pronoun is never the United States.
        """
        if not self._automaton or not len(self._automaton):
            return []
        norm, offsets = normalise(text)
        found = []
        for end, word in self._automaton.iter(norm):
            start = end - len(word) + 1
            if start > 0 and norm[start - 1] != " ":
                continue
            if end + 1 < len(norm) and norm[end + 1] != " ":
                continue
            o_start, o_end = offsets[start], offsets[end] + 1
            surface = text[o_start:o_end]
            if not (surface[:1].isupper() or surface[:1].isdigit()):
                continue
            if word in self.acronyms and word not in self.spelled_out and not _is_acronym(surface):
                continue
            found.append(GazetteerMatch(o_start, o_end, surface, tuple(self.entries[word])))
        # Leftmost-longest without overlaps, separately for events: an event's name often holds
        # other names ("Vladimir Putin's visit to Pyongyang") that must still be found.
        chosen: list[GazetteerMatch] = []
        for events in (False, True):
            group = [m for m in found if all(e.kind == "event" for e in m.entries) == events]
            group.sort(key=lambda m: (m.start, -(m.end - m.start)))
            last_end = -1
            for match in group:
                if match.start >= last_end:
                    chosen.append(match)
                    last_end = match.end
        return sorted(chosen, key=lambda m: (m.start, m.end))


_lock = threading.Lock()
_current: Gazetteer | None = None


def _version() -> tuple:
    from articles.models import RejectedSurface
    from articles.models.entities import catalogue_version

    return (*catalogue_version(), ("rejected", RejectedSurface.objects.count()))


def build_from_database() -> Gazetteer:
    """Build a gazetteer of every entity in the database: names, aliases, confirmed surfaces.

    Confirmed mentions teach it the spellings curators accepted; rejected surfaces are left out.
    """
    from articles.extraction.resolution import clean_name
    from articles.models import ENTITY_MODELS, RejectedSurface
    from articles.models.mentions import MENTION_MODELS, MentionStatus

    rejected = set(RejectedSurface.objects.values_list("kind", "key"))
    gazetteer = Gazetteer()
    for kind, model in ENTITY_MODELS.items():
        for pk, name, aliases in model.objects.values_list("id", "name", "aliases"):
            entry = Entry(kind, pk, name)
            for spelling in [name, *(aliases or [])]:
                if isinstance(spelling, str) and (kind, name_key(spelling)) not in rejected:
                    gazetteer.add(spelling, entry)
        confirmed = (
            MENTION_MODELS[kind]
            .objects.filter(status=MentionStatus.CONFIRMED)
            .values_list("entity_id", "entity__name", "surface")
            .distinct()
        )
        for pk, name, surface in confirmed:
            spelling = clean_name(surface) if kind == "person" else surface
            # A bare surname confirmed in one article must not name that person everywhere.
            if kind == "person" and len(spelling.split()) < 2:
                continue
            if (kind, name_key(spelling)) not in rejected:
                gazetteer.add(spelling, Entry(kind, pk, name))
    return gazetteer.build()


def current_gazetteer() -> Gazetteer:
    """Return this process's gazetteer, rebuilt if the entities changed since it was built."""
    global _current
    version = _version()
    with _lock:
        if _current is not None and _current.version == version:
            return _current
    gazetteer = build_from_database()
    gazetteer.version = version
    with _lock:
        _current = gazetteer
    return gazetteer
