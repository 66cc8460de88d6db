"""Incremental grouping of articles into stories: one pass, each article joins its best story or
starts one. Pure Python, no database.

A story keeps a compact signature: the sum of its members' word vectors (cut to its heaviest
words), the sum of their entity vectors, its date range and size. An article's evidence is its
mean similarity to the members (average linkage), read off those sums in one dot product. A new
article is compared only with stories that share its heavy words or entities (an inverted index)
and whose date range lies within ``Params.hard_days`` of its date; stories that fall out of that
window leave the index, so the cost per article stays flat as the archive grows.

The time rule: inside a story's date range or up to ``soft_days`` from it, an article joins when
its evidence reaches ``threshold``; beyond that the bar rises by ``slope`` per day, and beyond
``hard_days`` it never joins. A story that would cover more than ``span_days`` counts the excess
as distance too, so no story creeps on for months. The same kind of happening months later is
another story.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from .features import ArticleFeatures, dot

STORY_TERMS = 200  # words a story's signature keeps
STORY_ENTITIES = 60
INDEX_TERMS = 25  # a story is findable by this many of its heaviest words...
INDEX_ENTITIES = 12  # ...and entities
QUERY_TERMS = 15  # an article looks stories up by this many of its words
QUERY_ENTITIES = 10
MAX_CANDIDATES = 15
MIN_HITS = 2
SIGNATURE_KEYS = {"v", "size", "terms", "entities", "names"}


@dataclass(frozen=True)
class Params:
    """Weights and thresholds of the joining rule, tuned on labelled sets (bench/stories.py).

    The generated set alone favours a threshold near 0.38; real coverage of one happening is more
    varied than generated rewording (the seed articles average ~0.4 similarity to each other),
    so the threshold sits at the low end of the generated set's good range.
    """

    text_weight: float = 0.8
    entity_weight: float = 0.2
    threshold: float = 0.32
    soft_days: float = 6.0
    slope: float = 0.015  # extra evidence needed per day beyond soft_days
    hard_days: float = 30.0
    span_days: float = 10.0  # a story may cover this many days before the bar starts rising
    average: bool = True  # mean similarity to members (else cosine to the story's centroid)


@dataclass
class StoryState:
    """A story's signature while clustering."""

    key: int | str
    terms: dict[str, float] = field(default_factory=dict)
    entities: dict[str, float] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    size: int = 0
    start: float = math.inf
    end: float = -math.inf
    term_norm: float = 0.0
    entity_norm: float = 0.0
    indexed: tuple[frozenset, frozenset] = (frozenset(), frozenset())
    extra: dict = field(default_factory=dict)  # other signature keys (curator decisions), kept

    def add(self, article: ArticleFeatures) -> None:
        """Fold an article into the signature."""
        self.terms = _add_top(self.terms, article.terms, STORY_TERMS)
        self.entities = _add_top(self.entities, article.entities, STORY_ENTITIES)
        for k, name in article.names.items():
            if k in self.entities:
                self.names.setdefault(k, name)
        self.names = {k: v for k, v in self.names.items() if k in self.entities}
        self.size += 1
        if article.day is not None:  # an undated article says nothing about when
            self.start = min(self.start, article.day)
            self.end = max(self.end, article.day)
        self.refresh()

    def refresh(self) -> None:
        """Recompute the cached norms."""
        self.term_norm = math.sqrt(sum(v * v for v in self.terms.values()))
        self.entity_norm = math.sqrt(sum(v * v for v in self.entities.values()))

    @property
    def dated(self) -> bool:
        """Whether any member has a date."""
        return self.end >= self.start

    def gap(self, day: float | None, span_days: float = math.inf) -> float:
        """Days between ``day`` and this story's date range (0 inside it or when unknown).

        With ``span_days``, a story that would then cover more than ``span_days`` counts the
        excess as gap too, so a story cannot creep on for months one small step at a time.
        """
        if day is None or not self.dated:
            return 0.0
        outside = max(self.start - day, day - self.end, 0.0)
        span = max(self.end, day) - min(self.start, day)
        return max(outside, span - span_days)

    def to_json(self) -> dict:
        """The signature as stored in ``Story.signature``."""
        return {
            **self.extra,
            "v": 1,
            "size": self.size,
            "terms": {k: round(v, 5) for k, v in self.terms.items()},
            "entities": {k: round(v, 5) for k, v in self.entities.items()},
            "names": self.names,
        }

    @classmethod
    def from_json(cls, key, data: dict, start: float | None, end: float | None) -> StoryState:
        """A state from a stored signature and the story's date range (days since the epoch)."""
        state = cls(
            key=key,
            terms=dict(data.get("terms") or {}),
            entities=dict(data.get("entities") or {}),
            names=dict(data.get("names") or {}),
            size=int(data.get("size") or 0),
            start=math.inf if start is None else start,
            end=-math.inf if end is None else end,
            extra={k: v for k, v in data.items() if k not in SIGNATURE_KEYS},
        )
        state.refresh()
        return state


def _add_top(total: dict[str, float], extra: dict[str, float], limit: int) -> dict[str, float]:
    merged = dict(total)
    for k, v in extra.items():
        merged[k] = merged.get(k, 0.0) + v
    if len(merged) > limit:
        merged = dict(sorted(merged.items(), key=lambda kv: kv[1], reverse=True)[:limit])
    return merged


def _top(vector: dict[str, float], n: int) -> frozenset:
    if len(vector) <= n:
        return frozenset(vector)
    return frozenset(sorted(vector, key=vector.get, reverse=True)[:n])


class Clusterer:
    """Stories in memory with an inverted index; ``assign`` places one article at a time."""

    def __init__(self, params: Params | None = None):
        self.params = params or Params()
        self.stories: dict[int | str, StoryState] = {}
        self.postings: dict[str, set] = {}
        self.latest = -math.inf
        self._since_sweep = 0
        self._next_key = 0

    # -- stories in and out of the index -------------------------------------------------------
    def add_story(self, story: StoryState) -> None:
        """Make an existing story (e.g. loaded from the database) a candidate."""
        self.stories[story.key] = story
        self._index(story)

    def new_key(self) -> str:
        """A temporary key for a story that is not stored yet."""
        self._next_key += 1
        return f"new:{self._next_key}"

    def rekey(self, story: StoryState, key) -> None:
        """Give a story its stored id in place of its temporary key."""
        self._unindex(story)
        self.stories.pop(story.key, None)
        story.key = key
        self.add_story(story)

    def _index(self, story: StoryState) -> None:
        terms, ents = _top(story.terms, INDEX_TERMS), _top(story.entities, INDEX_ENTITIES)
        old_terms, old_ents = story.indexed
        for t in old_terms - terms:
            self.postings.get(t, set()).discard(story.key)
        for e in old_ents - ents:
            self.postings.get("@" + e, set()).discard(story.key)
        for t in terms - old_terms:
            self.postings.setdefault(t, set()).add(story.key)
        for e in ents - old_ents:
            self.postings.setdefault("@" + e, set()).add(story.key)
        story.indexed = (terms, ents)

    def _unindex(self, story: StoryState) -> None:
        terms, ents = story.indexed
        for t in terms:
            self.postings.get(t, set()).discard(story.key)
        for e in ents:
            self.postings.get("@" + e, set()).discard(story.key)
        story.indexed = (frozenset(), frozenset())

    def sweep(self, day: float) -> list[StoryState]:
        """Drop stories that ended more than ``hard_days`` before ``day``; return them."""
        gone = [
            s
            for s in self.stories.values()
            if s.dated and s.end < day - self.params.hard_days and s.indexed[0]
        ]
        for story in gone:
            self._unindex(story)
            del self.stories[story.key]
        for t in [t for t, keys in self.postings.items() if not keys]:
            del self.postings[t]
        return gone

    # -- scoring ---------------------------------------------------------------------------------
    def evidence(self, article: ArticleFeatures, story: StoryState) -> float:
        """Similarity of an article to a story: weighted text and entity similarities."""
        p = self.params
        if p.average:
            # Mean similarity to the members (average linkage): a story that drifted wide does
            # not look closer to everything, as its normalised centroid would.
            size = max(1, story.size)
            text, ents = (
                dot(article.terms, story.terms) / size,
                dot(article.entities, story.entities) / size,
            )
        else:
            text = dot(article.terms, story.terms) / story.term_norm if story.term_norm else 0.0
            ents = (
                dot(article.entities, story.entities) / story.entity_norm
                if story.entity_norm
                else 0.0
            )
        return p.text_weight * text + p.entity_weight * ents

    def required(self, gap_days: float) -> float:
        """The evidence an article needs to join a story ``gap_days`` from its range."""
        p = self.params
        if gap_days > p.hard_days:
            return math.inf
        return p.threshold + p.slope * max(0.0, gap_days - p.soft_days)

    def candidates(self, article: ArticleFeatures) -> list[StoryState]:
        """Stories that share a heavy word or entity with the article, within the time window."""
        hits: Counter = Counter()
        for t in _top(article.terms, QUERY_TERMS):
            hits.update(self.postings.get(t, ()))
        for e in _top(article.entities, QUERY_ENTITIES):
            hits.update(self.postings.get("@" + e, ()))
        out = []
        for key, n in hits.most_common():
            if n < MIN_HITS and out:
                break  # one shared word is chance; kept only when nothing shares more
            story = self.stories[key]
            if story.gap(article.day, self.params.span_days) <= self.params.hard_days:
                out.append(story)
                if len(out) >= MAX_CANDIDATES:
                    break
        return out

    def best(self, article: ArticleFeatures) -> tuple[StoryState | None, float]:
        """The story the article should join and its evidence, or (None, best evidence seen)."""
        chosen, chosen_margin, top = None, -math.inf, 0.0
        for story in self.candidates(article):
            score = self.evidence(article, story)
            top = max(top, score)
            margin = score - self.required(story.gap(article.day, self.params.span_days))
            if margin >= 0 and margin > chosen_margin:
                chosen, chosen_margin = story, margin
        if chosen is None:
            return None, top
        return chosen, self.evidence(article, chosen)

    # -- placing articles --------------------------------------------------------------------------
    def join(self, article: ArticleFeatures, story: StoryState) -> None:
        """Put an article into a story and refresh the story's index entries."""
        story.add(article)
        self._index(story)

    def assign(self, article: ArticleFeatures) -> tuple[StoryState, float, bool]:
        """Place an article: (its story, evidence, whether the story is new)."""
        self._since_sweep += 1
        if article.day is not None and article.day > self.latest:
            self.latest = article.day
        if self._since_sweep >= 500:
            self._since_sweep = 0
            self.sweep(self.latest)
        story, score = self.best(article)
        if story is not None:
            self.join(article, story)
            return story, score, False
        story = StoryState(key=self.new_key())
        story.add(article)
        self.add_story(story)
        return story, 1.0, True

    def reconsider(self, story: StoryState) -> StoryState | None:
        """Move a one-article story into a story that grew since, if the evidence is there now.

        One pass over a batch depends on order: an article that came before its story's other
        articles could only compare with what was there then. Returns the story it joined.
        """
        if story.size != 1 or story.key not in self.stories:
            return None
        article = ArticleFeatures(
            id=story.key,
            day=story.start if story.dated else None,
            terms=story.terms,
            entities=story.entities,
            names=story.names,
        )
        self._unindex(story)
        del self.stories[story.key]
        target, _ = self.best(article)
        if target is None:
            self.add_story(story)
            return None
        self.join(article, target)
        return target


def cluster(articles, params: Params | None = None) -> dict:
    """Group ``articles`` (ArticleFeatures, any order) in date order; return {article id: story key}."""
    clusterer = Clusterer(params)
    labels = {}
    # Dated articles in date order, then the undated ones.
    ordered = sorted(articles, key=lambda a: (a.day is None, a.day or 0.0, str(a.id)))
    for article in ordered:
        story, _, _ = clusterer.assign(article)
        labels[article.id] = story.key
    # Second look for the articles left alone (see Clusterer.reconsider).
    sizes = Counter(labels.values())
    for article in ordered:
        key = labels[article.id]
        if sizes[key] == 1 and key in clusterer.stories:
            target = clusterer.reconsider(clusterer.stories[key])
            if target is not None:
                labels[article.id] = target.key
                sizes[target.key] += 1
    return labels
