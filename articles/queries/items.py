"""What list rows are made of: plain objects built from one query's tuples, no lazy relations.

A page listing twenty articles or a hundred quotes used to build a model instance per row (and
per joined outlet and author); these carry only what the pages and their JSON twins show, with
the page URLs worked out once. They quack like the models where templates and serializers touch
them: ``pk``, ``kind``, ``name``, ``slug``, ``get_absolute_url()``, ``outlet``, ``published_at``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import get_script_prefix

from articles.models.articles import _article_url_pattern
from articles.models.entities import _url_pattern, entity_url


def entity_pattern(kind: str) -> str:
    """The page URL of an entity of ``kind`` with a ``{}`` for its slug.

    Builders of long lists ask once and fill in each row's slug, rather than resolve per row.
    """
    return _url_pattern(f"articles:{kind}", get_script_prefix())


def article_pattern() -> str:
    """The page URL of an article with ``{}`` for its id and slug."""
    return _article_url_pattern(get_script_prefix())


class _Linked:
    """What an entity row needs to be a link: its URL worked out once, ``pk`` and
    ``get_absolute_url`` as on a model instance (for the templates and serializers)."""

    __slots__ = ()

    def __post_init__(self):
        if not self.url:
            object.__setattr__(self, "url", entity_url(self.kind, self.slug))

    @property
    def pk(self) -> int:
        return self.id

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(frozen=True, slots=True)
class EntityRef(_Linked):
    """An entity as a link: kind, id, name, slug and its page URL (worked out when not given)."""

    kind: str
    id: int
    name: str
    slug: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class EntityCount(_Linked):
    """An entity with a count (articles, mentions…), enough to link to it."""

    kind: str
    id: int
    name: str
    slug: str
    count: int
    url: str = ""


@dataclass(slots=True)
class EventItem:
    """An event as lists and timelines show it: a link with its dates (and article total)."""

    id: int
    name: str
    slug: str
    date_start: dt.date | None
    date_end: dt.date | None
    article_count: int = 0
    kind: str = "event"
    url: str = ""

    def __post_init__(self):
        if not self.url:
            self.url = entity_url(self.kind, self.slug)

    @property
    def pk(self) -> int:
        return self.id

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(frozen=True, slots=True)
class MonthCount:
    """How many articles fall in one calendar month."""

    month: dt.date
    count: int


def outlet_ref(outlet_id, name, slug, pattern: str = "") -> EntityRef | None:
    """The outlet of a row's LEFT JOIN (``pattern``: ``entity_pattern("outlet")``), or None."""
    if outlet_id is None:
        return None
    return EntityRef("outlet", outlet_id, name, slug, pattern.format(slug) if pattern else "")


@dataclass(slots=True)
class ArticleItem:
    """An article as lists show it: title, outlet, date, authors (and its text when asked)."""

    pk: int
    title: str
    slug: str
    published_at: dt.datetime | None
    outlet: EntityRef | None
    url: str = ""  # the source URL, as on the model
    word_count: int = 0
    author_list: list[EntityRef] = field(default_factory=list)
    body: str = ""
    page_url: str = ""  # its page here (worked out when not given)

    def __post_init__(self):
        if not self.page_url:
            self.page_url = article_pattern().format(self.pk, self.slug or "article")

    @property
    def id(self) -> int:
        return self.pk

    @property
    def outlet_id(self) -> int | None:
        return self.outlet.id if self.outlet else None

    def get_absolute_url(self) -> str:
        return self.page_url


def newest_first(articles: list) -> list:
    """Articles by date, newest first, undated last, then by id (as ``newest_first()`` orders)."""
    return sorted(
        articles,
        key=lambda a: (a.published_at is not None, a.published_at or dt.datetime.min, a.pk),
        reverse=True,
    )


@dataclass(slots=True)
class QuoteItem:
    """A quote with its speaker and the article that reports it."""

    pk: int
    text: str
    speaker: EntityRef | None
    speaker_surface: str
    source: str
    sentence_index: int | None
    article: object  # an ArticleItem, or the Article whose page lists it


@dataclass(slots=True)
class ClaimItem:
    """A number an article states, normalised (see ``articles.models.Claim``)."""

    pk: int
    article_id: int
    quantity: str
    value: float
    low: float
    high: float
    unit: str
    qualifier: str
    subject: str
    text: str
    sentence_index: int | None
    article: object = None  # an ArticleItem, or the Article whose page lists it
    display: str = ""
