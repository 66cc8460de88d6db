"""The admin, where curators decide: entities, the review queue of suggested mentions, articles, merges.

Views here only parse requests and render; every curation write goes through ``articles.curation``,
which records it in the admin's change history. Curation actions are offered only to users whose
permissions allow them (the "Curator" group has exactly those; see migration 0003).

- ``entities``: people, outlets, organizations, places, events (search, counts, aliases, merge)
- ``mentions``: the review queue (confirm, reject, reject everywhere, link to …)
- ``articles``: articles with their mentions, quotes and claims; re-run extraction
- ``stories``: confirm a story as an event, rename, merge, split off, move an article out
- ``records``: merge records (undo), redirects, rejected surface forms
"""

from . import articles, entities, mentions, records, stories

__all__ = ["articles", "entities", "mentions", "records", "stories"]
