"""Where the address of a story that no longer exists leads: the story that took its articles.

Stories go when a curator merges one into another, when moving an article out empties one, and
when ``rebuild_stories`` regroups the archive. Each time, :func:`record_successors` notes the
story that took the articles (after a rebuild, the one that took most of them), so
``/stories/<id>/`` keeps leading somewhere; redirects that led to a story that goes lead on.
"""

from __future__ import annotations

from collections import Counter

from articles.models import Story, StoryMembership, StoryRedirect

IN_LIMIT = 900  # ids per IN (...) clause: well under SQLite's bound on query parameters


def _chunks(items: list, size: int = IN_LIMIT):
    for k in range(0, len(items), size):
        yield items[k : k + size]


def record_successors(gone: dict[int, tuple[str, int | None]]) -> None:
    """Note where each story of ``gone`` ({id: (its name, the story that took it, or None)}) went.

    Call it inside the transaction that removes the stories.
    """
    if not gone:
        return
    onward = []
    for ids in _chunks(list(gone)):
        for redirect in StoryRedirect.objects.filter(target_id__in=ids):
            redirect.target_id = gone[redirect.target_id][1]
            onward.append(redirect)
    StoryRedirect.objects.bulk_update(onward, ["target_id"], batch_size=500)
    StoryRedirect.objects.bulk_create(
        [
            StoryRedirect(old_id=pk, name=name[:255], target_id=target)
            for pk, (name, target) in gone.items()
        ],
        batch_size=500,
    )


def regrouped_successors(
    old_members: dict[int, list[int]], names: dict[int, str]
) -> dict[int, tuple[str, int | None]]:
    """After a regrouping: for each old story ({id: its articles}), the story holding most of them.

    Ties go to the lower story id, so the answer does not depend on query order.
    """
    article_ids = [a for members in old_members.values() for a in members]
    story_of: dict[int, int] = {}
    for ids in _chunks(article_ids):
        story_of.update(
            StoryMembership.objects.filter(article_id__in=ids).values_list("article_id", "story_id")
        )
    successors = {}
    for pk, members in old_members.items():
        counts = Counter(story_of[a] for a in members if a in story_of)
        best = min(counts, key=lambda story: (-counts[story], story)) if counts else None
        successors[pk] = (names.get(pk, ""), best)
    return successors


def successor_of(pk: int) -> tuple[Story | None, str]:
    """For an id no story has any more: the story that took its articles (or None), and the name
    it had ("" when the archive never knew a story by that id)."""
    redirect = StoryRedirect.objects.filter(old_id=pk).values_list("target_id", "name").first()
    if redirect is None:
        return None, ""
    target_id, name = redirect
    target = Story.objects.filter(pk=target_id).only("id").first() if target_id else None
    return target, name
