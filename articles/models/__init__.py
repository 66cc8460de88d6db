"""The archive's data: entities, articles, mentions, quotes, claims, stories and curation records."""

from .articles import Article, Claim, Quote
from .curation import EntityRedirect, MergeRecord, RejectedSurface
from .entities import (
    ENTITY_MODELS,
    Entity,
    EntityKey,
    Event,
    Organization,
    Outlet,
    Person,
    Place,
)
from .mentions import (
    EventMention,
    Mention,
    MentionMethod,
    MentionStatus,
    OrganizationMention,
    OutletMention,
    PersonMention,
    PlaceMention,
)
from .stories import Story, StoryMembership, StoryRedirect

__all__ = [
    "ENTITY_MODELS",
    "Article",
    "Claim",
    "Entity",
    "EntityKey",
    "EntityRedirect",
    "Event",
    "EventMention",
    "Mention",
    "MentionMethod",
    "MentionStatus",
    "MergeRecord",
    "Organization",
    "OrganizationMention",
    "Outlet",
    "OutletMention",
    "Person",
    "PersonMention",
    "Place",
    "PlaceMention",
    "Quote",
    "RejectedSurface",
    "Story",
    "StoryMembership",
    "StoryRedirect",
]
