"""A story's proposed name: its most telling entities, then its most telling words.

"Mikhail Mishustin, Tumen River: bridge, road, construction" — a curator renames it at will.
"""

from __future__ import annotations

from .cluster import StoryState
from .features import words

NAME_ENTITIES = 2
NAME_WORDS = 3
MAX_LENGTH = 120


def story_name(state: StoryState) -> str:
    """A name for a story from its signature."""
    ranked = sorted(state.entities, key=state.entities.get, reverse=True)
    names: list[str] = []
    for key in ranked:
        name = state.names.get(key)
        if name and name not in names and not any(name in n or n in name for n in names):
            names.append(name)
        if len(names) >= NAME_ENTITIES:
            break
    # Words already said by the entity names are not repeated.
    taken = {w for name in names for w in words(name)}
    terms = [t for t in sorted(state.terms, key=state.terms.get, reverse=True) if t not in taken]
    # Capitalise words the story writes as names ("Tumen", not "tumen").
    proper = {w.lower(): w for n in state.names.values() for w in n.split() if w[:1].isupper()}
    chosen = [proper.get(t, t) for t in terms[:NAME_WORDS]]
    head = ", ".join(names)
    tail = ", ".join(chosen)
    name = f"{head}: {tail}" if head and tail else head or tail or "Untitled story"
    return name[:MAX_LENGTH]
