"""Did you mean: a corrected query built from the archive's own vocabulary and entity names.

A word is corrected only when it finds nothing on its own. Candidates come first from the words
of entity names and aliases (so "Mishustn" becomes "Mishustin", spelled as the archive spells
it), then from the index vocabulary (fts5vocab on SQLite, a pg_trgm-indexed words table on
PostgreSQL); a candidate is kept only if searching for it finds articles.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from .backend import SearchBackend
from .query import ParsedQuery, Term, positive_leaves

MIN_SCORE = 75
MIN_LENGTH = 3


def _finds_something(backend: SearchBackend, word: str) -> bool:
    sql, params = backend.match_sql(Term(word))
    return bool(backend._fetch(f"SELECT 1 FROM ({sql}) AS m LIMIT 1", params))


_entity_words: tuple[tuple, list[str]] | None = None


def entity_words() -> list[str]:
    """Distinct words of every entity name and alias, as spelled there.

    Kept per process until the catalogue changes: reading every name costs far more than the
    five aggregates that tell whether it changed.
    """
    global _entity_words
    from articles.models.entities import catalogue_version

    version = catalogue_version()
    if _entity_words is None or _entity_words[0] != version:
        _entity_words = (version, _read_entity_words())
    return _entity_words[1]


def _read_entity_words() -> list[str]:
    from articles.models import ENTITY_MODELS

    words: dict[str, str] = {}
    for model in ENTITY_MODELS.values():
        for name, aliases in model.objects.values_list("name", "aliases"):
            for text in [name, *(aliases or [])]:
                for word in re.findall(r"[^\W\d_]{3,}", str(text)):
                    words.setdefault(word.lower(), word)
    return list(words.values())


def correct_word(word: str, backend: SearchBackend, names: list[str]) -> str | None:
    """The best replacement for a word that finds nothing, or None."""
    lowered = {n.lower(): n for n in names}
    found = process.extract(
        word.lower(), list(lowered), scorer=fuzz.ratio, limit=3, score_cutoff=MIN_SCORE
    )
    for candidate, _score, _i in found:
        if candidate != word.lower() and _finds_something(backend, candidate):
            return lowered[candidate]
    for candidate in backend.similar_words(word, limit=10):
        if fuzz.ratio(word.lower(), candidate) < MIN_SCORE or candidate == word.lower():
            continue
        if _finds_something(backend, candidate):
            return candidate
    return None


def suggest(parsed: ParsedQuery, backend: SearchBackend) -> str | None:
    """The query with misspelt words corrected, or None if nothing needed or could be corrected."""
    text = parsed.text
    names: list[str] | None = None
    changed = False
    for leaf in positive_leaves(parsed.tree):
        if not isinstance(leaf, Term) or leaf.prefix or len(leaf.word) < MIN_LENGTH:
            continue
        if leaf.word.isdigit() or _finds_something(backend, leaf.word):
            continue
        if names is None:
            names = entity_words()
        better = correct_word(leaf.word, backend, names)
        if better:
            pattern = re.compile(rf"(?<![^\W_]){re.escape(leaf.word)}(?![^\W_])", re.IGNORECASE)
            text, n = pattern.subn(lambda _m, b=better: b, text)
            changed = changed or n > 0
    return text.strip() if changed else None
