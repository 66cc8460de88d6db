"""Stories in the database: place new articles, rebuild everything, refresh a story's signature.

``assign_stories(article_ids)`` is what the loader calls after storing articles: each article not
yet in a story joins its best story or starts one. Only stories whose date range lies near the
articles' dates are read, and each story's state is its ``signature`` JSON, so the cost does not
grow with the archive.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count, Q

from articles.models import (
    Article,
    OrganizationMention,
    PersonMention,
    PlaceMention,
    Story,
    StoryMembership,
)

from .cluster import Clusterer, Params, StoryState
from .features import ArticleFeatures, article_features
from .naming import story_name
from .redirects import record_successors, regrouped_successors

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
CHUNK = 1000
IN_LIMIT = 900  # ids per IN (...) clause: well under SQLite's bound on query parameters
ENTITY_MODELS = (("person", PersonMention), ("place", PlaceMention), ("org", OrganizationMention))
DEFAULT_PARAMS = Params()


def to_day(when: dt.datetime) -> float:
    """Days since the epoch."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return (when - EPOCH).total_seconds() / 86400


def from_day(day: float) -> dt.datetime | None:
    """The datetime of a day number, to the second (None for an unbounded day)."""
    if math.isinf(day):
        return None
    return EPOCH + dt.timedelta(seconds=round(day * 86400))


def _chunks(items: list, size: int = IN_LIMIT):
    for k in range(0, len(items), size):
        yield items[k : k + size]


def article_entities(article_ids: list[int]) -> tuple[dict, dict]:
    """People, places and organizations each article names (rejected mentions left out):
    ({article: {key: name}}, {article: {key: number of mentions}})."""
    names: dict[int, dict[str, str]] = defaultdict(dict)
    counts: dict[int, Counter] = defaultdict(Counter)
    for prefix, model in ENTITY_MODELS:
        for ids in _chunks(article_ids):
            rows = (
                model.objects.visible()
                .filter(article_id__in=ids)
                .values_list("article_id", "entity_id", "entity__name", "count")
            )
            for article_id, entity_id, name, count in rows:
                key = f"{prefix}:{entity_id}"
                names[article_id][key] = name
                counts[article_id][key] += count or 1
    return names, counts


def entity_rarity(keys: set[str], total_articles: int) -> dict[str, float]:
    """How telling each entity is: log(1 + articles / articles naming it)."""
    by_prefix = defaultdict(list)
    for key in keys:
        prefix, pk = key.split(":", 1)
        by_prefix[prefix].append(int(pk))
    rarity = {}
    models = dict(ENTITY_MODELS)
    for prefix, pks in by_prefix.items():
        for ids in _chunks(pks):
            rows = (
                models[prefix]
                .objects.visible()
                .filter(entity_id__in=ids)
                .values("entity_id")
                .annotate(n=Count("article_id", distinct=True))
                .values_list("entity_id", "n")
            )
            for pk, n in rows:
                rarity[f"{prefix}:{pk}"] = math.log(1 + total_articles / max(1, n))
    return rarity


def features_for(article_ids: list[int]) -> list[ArticleFeatures]:
    """ArticleFeatures of stored articles, in date order."""
    rows = []
    for ids in _chunks(article_ids):
        rows += Article.objects.filter(pk__in=ids).values_list(
            "id", "title", "body", "published_at", "outlet_id", "language"
        )
    entities, counts = article_entities([r[0] for r in rows])
    keys = {k for names in entities.values() for k in names}
    rarity = entity_rarity(keys, Article.objects.count()) if keys else {}
    feats = [
        article_features(
            id=pk,
            title=title,
            body=body,
            day=to_day(published) if published else None,
            outlet=outlet,
            language=language,
            entities=entities.get(pk),
            entity_counts=counts.get(pk),
            entity_rarity=lambda key: rarity.get(key, 1.0),
        )
        for pk, title, body, published, outlet, language in rows
    ]
    feats.sort(key=lambda f: (f.day is None, f.day or 0.0, f.id))
    return feats


class _Session:
    """One run of placing articles: the clusterer, the stories read, what changed."""

    def __init__(self, params: Params):
        self.clusterer = Clusterer(params)
        self.seen: set[int] = set()
        self.locked: dict[int, bool] = {}
        self.dirty: dict = {}  # key -> StoryState
        self.members: list[tuple[int, object, float]] = []  # (article id, story key, score)

    def load_window(self, low: float, high: float) -> None:
        """Read the stories whose date range overlaps [low, high] into the clusterer."""
        rows = Story.objects.filter(
            date_end__gte=from_day(low), date_start__lte=from_day(high)
        ).values_list("id", flat=True)
        fresh = [pk for pk in rows if pk not in self.seen]
        for ids in _chunks(fresh):
            for pk, signature, start, end, locked in Story.objects.filter(pk__in=ids).values_list(
                "id", "signature", "date_start", "date_end", "name_locked"
            ):
                self.seen.add(pk)
                self.locked[pk] = locked
                if signature and signature.get("terms"):
                    state = StoryState.from_json(pk, signature, to_day(start), to_day(end))
                    self.clusterer.add_story(state)

    def place(self, article: ArticleFeatures) -> None:
        story, score, _ = self.clusterer.assign(article)
        self.dirty[story.key] = story
        self.members.append((article.id, story.key, score))

    def flush(self) -> dict[int, int]:
        """Write new stories, memberships and changed signatures; return {article: story}."""
        # Articles that started a story of their own get a second look first.
        moved = {}
        for key, state in list(self.dirty.items()):
            if isinstance(key, str) and state.size == 1:
                target = self.clusterer.reconsider(state)
                if target is not None:
                    moved[key] = target.key
                    self.dirty[target.key] = target
                    del self.dirty[key]
        if moved:
            self.members = [(a, moved.get(k, k), score) for a, k, score in self.members]
        new = [s for k, s in self.dirty.items() if isinstance(k, str)]
        created = Story.objects.bulk_create(
            [
                Story(
                    name=story_name(s),
                    date_start=from_day(s.start),
                    date_end=from_day(s.end),
                    signature=s.to_json(),
                )
                for s in new
            ]
        )
        keys = {}
        for state, row in zip(new, created, strict=True):
            keys[state.key] = row.pk
            self.clusterer.rekey(state, row.pk)
            self.seen.add(row.pk)
            self.locked[row.pk] = False
        changed = [s for k, s in self.dirty.items() if not isinstance(k, str)]
        rows = []
        for state in changed:
            row = Story(
                pk=state.key,
                date_start=from_day(state.start),
                date_end=from_day(state.end),
                signature=state.to_json(),
                updated_at=dt.datetime.now(dt.UTC),
            )
            row.name = story_name(state)
            rows.append(row)
        unlocked = [r for r in rows if not self.locked.get(r.pk)]
        locked = [r for r in rows if self.locked.get(r.pk)]
        fields = ["date_start", "date_end", "signature", "updated_at"]
        Story.objects.bulk_update(unlocked, [*fields, "name"], batch_size=500)
        Story.objects.bulk_update(locked, fields, batch_size=500)
        placed = {aid: keys.get(key, key) for aid, key, _ in self.members}
        StoryMembership.objects.bulk_create(
            [
                StoryMembership(article_id=aid, story_id=keys.get(key, key), score=round(score, 4))
                for aid, key, score in self.members
            ],
            batch_size=1000,
        )
        self.dirty, self.members = {}, []
        return placed


def assign_stories(article_ids, *, params: Params | None = None) -> dict[int, int]:
    """Place each listed article that is in no story yet; return {article id: story id}.

    Articles go in date order; each joins the best nearby story or starts a new one.
    """
    ids = sorted(set(article_ids))
    placed_already = set()
    for chunk in _chunks(ids):
        placed_already.update(
            StoryMembership.objects.filter(article_id__in=chunk).values_list(
                "article_id", flat=True
            )
        )
    ids = [pk for pk in ids if pk not in placed_already]
    if not ids:
        return {}
    # Date order first, so each chunk reads only the stories near its own dates.
    dated = []
    for chunk in _chunks(ids):
        dated += Article.objects.filter(pk__in=chunk).values_list("id", "published_at")
    dated.sort(key=lambda r: (r[1] is None, r[1] or EPOCH, r[0]))
    session = _Session(params or DEFAULT_PARAMS)
    window = session.clusterer.params.hard_days
    placed: dict[int, int] = {}
    for k in range(0, len(dated), CHUNK):
        with transaction.atomic():
            feats = features_for([r[0] for r in dated[k : k + CHUNK]])
            days = [f.day for f in feats if f.day is not None]
            if days:
                session.load_window(days[0] - window - 1, days[-1] + window + 1)
            for feat in feats:
                session.place(feat)
            placed.update(session.flush())
    return placed


def assign_story(article: Article, *, params: Params | None = None) -> Story:
    """Place one article (if it is in no story yet) and return its story."""
    assign_stories([article.pk], params=params)
    return StoryMembership.objects.select_related("story").get(article_id=article.pk).story


def refresh_story(story: Story) -> Story:
    """Recompute a story's signature, date range and (unless locked) name from its members."""
    ids = list(story.memberships.values_list("article_id", flat=True))
    state = StoryState(key=story.pk)
    for feat in features_for(ids):
        state.add(feat)
    decisions = (story.signature or {}).get("decisions", [])
    story.signature = {**state.to_json(), "decisions": decisions} if ids else {"decisions": []}
    story.date_start, story.date_end = from_day(state.start), from_day(state.end)
    if not story.name_locked and ids:
        story.name = story_name(state)
    story.save()
    return story


def rebuild_stories(*, params: Params | None = None) -> dict[str, int]:
    """Group the whole archive again, keeping every curator decision.

    Pinned memberships stay where curators put them and confirmed stories stay; every other
    membership is dropped and its article placed afresh. The address of each story that goes
    leads to the story that took most of its articles. Returns counts.
    """
    with transaction.atomic():
        keep = Q(status=Story.Status.CONFIRMED) | Q(memberships__pinned=True)
        kept_ids = set(Story.objects.filter(keep).values_list("id", flat=True))
        names = dict(Story.objects.exclude(pk__in=kept_ids).values_list("id", "name"))
        old_members: dict[int, list[int]] = {pk: [] for pk in names}
        going = StoryMembership.objects.exclude(story_id__in=kept_ids)
        for story_id, article_id in going.values_list("story_id", "article_id"):
            old_members.setdefault(story_id, []).append(article_id)
        dropped = StoryMembership.objects.filter(pinned=False).delete()[0]
        Story.objects.exclude(pk__in=kept_ids).delete()
        for story in Story.objects.filter(pk__in=kept_ids):
            refresh_story(story)
    todo = list(Article.objects.filter(story_membership__isnull=True).values_list("id", flat=True))
    placed = assign_stories(todo, params=params)
    with transaction.atomic():
        record_successors(regrouped_successors(old_members, names))
    return {
        "unpinned_dropped": dropped,
        "stories_kept": len(kept_ids),
        "articles_placed": len(placed),
        "stories": Story.objects.count(),
    }
