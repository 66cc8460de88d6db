"""What curators decide about stories: confirm as an event, rename, split, merge, move an article.

Every decision pins the memberships it touches (``pinned=True``) or locks the name
(``name_locked=True``), so ``cluster_stories --rebuild`` keeps it. Each is one transaction and
is noted in the story's ``signature["decisions"]``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from articles.models import (
    Article,
    Event,
    EventMention,
    MentionMethod,
    MentionStatus,
    Story,
    StoryMembership,
)

from .redirects import record_successors
from .store import refresh_story


class StoryError(ValueError):
    """A curator operation that cannot be done as asked."""


def _note(story: Story, action: str, by, **details) -> None:
    signature = dict(story.signature or {})
    signature["decisions"] = [
        *signature.get("decisions", []),
        {
            "action": action,
            "by": getattr(by, "username", None) or (str(by) if by else None),
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **details,
        },
    ]
    story.signature = signature


def _pin_all(story: Story) -> None:
    story.memberships.update(pinned=True)


@transaction.atomic
def confirm_story(*, story: Story, by=None, name: str | None = None) -> Event:
    """Confirm a story as an event: create (or reuse) its Event, link every article to it.

    The event takes the story's name and date range; each article gets a manual, confirmed
    EventMention, so the event's page lists the coverage. The story's articles are pinned.
    """
    story.refresh_from_db()
    if name:
        story.name, story.name_locked = name.strip()[:255], True
    event = story.event
    if event is None:
        event = Event(
            name=story.name[:255],
            date_start=story.date_start.date() if story.date_start else None,
            date_end=story.date_end.date() if story.date_end else None,
            curated=True,
        )
        event.save()
    linked = set(EventMention.objects.filter(entity=event).values_list("article_id", flat=True))
    EventMention.objects.bulk_create(
        [
            EventMention(
                article_id=article_id,
                entity=event,
                surface=event.name[:255],
                method=MentionMethod.MANUAL,
                status=MentionStatus.CONFIRMED,
            )
            for article_id in story.memberships.values_list("article_id", flat=True)
            if article_id not in linked
        ]
    )
    _pin_all(story)
    story.event, story.status, story.name_locked = event, Story.Status.CONFIRMED, True
    _note(story, "confirm", by, event=event.pk)
    story.save()
    return event


@transaction.atomic
def rename_story(*, story: Story, name: str, by=None) -> Story:
    """Give a story a curator's name; clustering never renames it again."""
    name = (name or "").strip()
    if not name:
        raise StoryError("A story needs a name.")
    story.refresh_from_db()
    story.name, story.name_locked = name[:255], True
    _note(story, "rename", by, name=story.name)
    story.save()
    return story


@transaction.atomic
def split_story(*, story: Story, article_ids, by=None) -> Story:
    """Move the listed articles of ``story`` into a new story; both sides are pinned."""
    story.refresh_from_db()
    ids = set(article_ids)
    members = set(story.memberships.values_list("article_id", flat=True))
    if not ids or not ids <= members:
        raise StoryError("Split needs some, not all, of the story's own articles.")
    if ids == members:
        raise StoryError("Split needs some, not all, of the story's own articles.")
    new = Story.objects.create(name=story.name, signature={})
    story.memberships.filter(article_id__in=ids).update(story=new, pinned=True)
    _pin_all(story)
    _note(story, "split", by, moved=sorted(ids), into=new.pk)
    refresh_story(story)
    _note(new, "split", by, moved=sorted(ids), out_of=story.pk)
    return refresh_story(new)


@transaction.atomic
def merge_stories(*, keep: Story, merge: Story, by=None) -> Story:
    """Fold ``merge`` into ``keep``: its articles move over (pinned) and it is deleted; its
    address leads to ``keep`` from then on."""
    if keep.pk == merge.pk:
        raise StoryError("A story cannot be merged into itself.")
    keep.refresh_from_db()
    merge.refresh_from_db()
    merge.memberships.update(story=keep)
    _pin_all(keep)
    if keep.event is None and merge.event is not None:
        keep.event = merge.event
        keep.status = Story.Status.CONFIRMED
    _note(keep, "merge", by, merged=merge.pk, merged_name=merge.name)
    record_successors({merge.pk: (merge.name, keep.pk)})
    merge.delete()
    return refresh_story(keep)


@transaction.atomic
def move_article(*, article: Article, to_story: Story | None = None, by=None) -> Story:
    """Move an article into ``to_story``, or out into a story of its own; the move is pinned."""
    membership = StoryMembership.objects.filter(article=article).select_related("story").first()
    old = membership.story if membership else None
    if to_story is not None:
        to_story.refresh_from_db()
    else:
        to_story = Story.objects.create(name=article.title[:255], signature={})
    if membership is None:
        membership = StoryMembership(article=article, story=to_story)
    membership.story, membership.pinned, membership.score = to_story, True, 1.0
    membership.save()
    _note(to_story, "move-in", by, article=article.pk, origin=old.pk if old else None)
    refresh_story(to_story)
    if old is not None and old.pk != to_story.pk:
        # The curator looked at the old story and kept the rest: pin it, so a rebuild cannot
        # bring the moved article's neighbours back together with it.
        _pin_all(old)
        _note(old, "move-out", by, article=article.pk, to=to_story.pk)
        if old.memberships.exists() or old.status == Story.Status.CONFIRMED:
            refresh_story(old)
        else:
            record_successors({old.pk: (old.name, to_story.pk)})
            old.delete()
    return to_story
