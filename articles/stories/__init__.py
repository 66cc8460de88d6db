"""Stories: articles that cover the same happening, grouped automatically and incrementally.

- ``features``: what clustering sees of an article (telling words, entities, date).
- ``cluster``: the one-pass clustering with its time rule (pure Python).
- ``naming``: a story's proposed name.
- ``store``: the database side — ``assign_stories``, ``assign_story``, ``rebuild_stories``.
- ``curation``: curator decisions that survive a rebuild.
- ``queries``: what pages ask — a story's coverage, an article's other coverage.
- ``redirects``: where the address of a merged or regrouped story leads.
"""

from .cluster import Params
from .curation import (
    StoryError,
    confirm_story,
    merge_stories,
    move_article,
    rename_story,
    split_story,
)
from .queries import other_coverage, stories_for, story_of
from .redirects import successor_of
from .store import assign_stories, assign_story, rebuild_stories, refresh_story

__all__ = [
    "Params",
    "StoryError",
    "assign_stories",
    "assign_story",
    "confirm_story",
    "merge_stories",
    "move_article",
    "other_coverage",
    "rebuild_stories",
    "refresh_story",
    "rename_story",
    "split_story",
    "stories_for",
    "story_of",
    "successor_of",
]
