"""The reads behind the browsing pages, each a fixed number of queries whatever the row count.

Every function here runs one query (or a stated small number); none loops over rows issuing more.
The queries have fixed shapes and are compiled once per process (``articles.prepared``); lists
come back as the light objects of ``items`` (``ArticleItem``, ``EntityCount``…), built from the
rows, so that no model instance, and no lazy relation, is touched per row.

- ``entity_pages``: an entity, its articles a page at a time, the summaries of its newest ones.
- ``event_page``: related events, events at a place, the numbers an event's coverage states.
- ``counted``: the counted lists ("mentioned with", authors, sources) in one statement, totals.
- ``article_page``: an article, its mentions, quotes, claims, story and other coverage.
- ``claims``: the numbers articles state, normalised and grouped.
"""

from .article_page import (
    EVENT_WEIGHT,
    MAX_COVERAGE_ENTITIES,
    NEIGHBOURS,
    TOPIC_KINDS,
    Coverage,
    MentionRow,
    article_claims,
    article_for_page,
    article_mentions,
    article_quotes,
    near_copy_overlap,
    near_copy_overlaps,
    other_coverage,
    shingles,
    story_summary,
)
from .claims import ClaimGroup, claim_display, group_claims, number, with_display
from .counted import (
    EVENT_WINDOW,
    NEWS_WINDOW,
    WINDOW,
    Part,
    article_total,
    authors_part,
    counted_lists,
    in_the_news,
    mention_part,
    outlet_window,
    subject_window,
    visible_mentions,
)
from .entity_pages import (
    Paged,
    YearMonth,
    articles_mentioning,
    articles_published,
    entity_by_slug,
    newest_articles,
    outlet_months,
    quotes_by,
    subject_summary,
)
from .event_page import by_outlet, event_claims, events_at, events_for_timeline, related_events
from .items import ArticleItem, ClaimItem, EntityCount, EntityRef, EventItem, MonthCount, QuoteItem

__all__ = [
    "EVENT_WEIGHT",
    "EVENT_WINDOW",
    "MAX_COVERAGE_ENTITIES",
    "NEIGHBOURS",
    "TOPIC_KINDS",
    "WINDOW",
    "ArticleItem",
    "ClaimGroup",
    "ClaimItem",
    "Coverage",
    "EntityCount",
    "EntityRef",
    "EventItem",
    "MentionRow",
    "NEWS_WINDOW",
    "MonthCount",
    "Paged",
    "Part",
    "QuoteItem",
    "YearMonth",
    "article_claims",
    "article_for_page",
    "article_mentions",
    "article_quotes",
    "article_total",
    "articles_mentioning",
    "articles_published",
    "authors_part",
    "by_outlet",
    "claim_display",
    "counted_lists",
    "in_the_news",
    "entity_by_slug",
    "event_claims",
    "events_at",
    "events_for_timeline",
    "group_claims",
    "mention_part",
    "near_copy_overlap",
    "near_copy_overlaps",
    "newest_articles",
    "number",
    "other_coverage",
    "outlet_months",
    "outlet_window",
    "quotes_by",
    "related_events",
    "shingles",
    "story_summary",
    "subject_summary",
    "subject_window",
    "visible_mentions",
    "with_display",
]
