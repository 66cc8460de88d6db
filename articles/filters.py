"""Filters for lists of articles (the search page's facets): outlet, entities, year, date range.

Every filter reads a plain URL parameter (``?outlet=tass&person=vladimir-putin&year=2024&from=
2024-01-01&to=2024-06-30``), so each state of the page is a URL. Junk values are ignored (and
reported through the form's errors), never an error page.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.utils import timezone

from articles.models import Article, Outlet
from articles.models.mentions import MENTION_MODELS, MentionStatus

ENTITY_FILTERS = ("person", "organization", "place", "event")


def _id_of(model, slug: str) -> int:
    """The id of the ``model`` row at ``slug``, or 0 (no row has it) when there is none."""
    return model.objects.filter(slug=slug).values_list("pk", flat=True).first() or 0


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), dt.UTC)


class ArticleFilter(django_filters.FilterSet):
    """Narrow articles by outlet, mentioned entity, year and publication date range."""

    outlet = django_filters.CharFilter(method="filter_outlet", label="Outlet (slug)")
    person = django_filters.CharFilter(method="filter_entity", label="Person (slug)")
    organization = django_filters.CharFilter(method="filter_entity", label="Organization (slug)")
    place = django_filters.CharFilter(method="filter_entity", label="Place (slug)")
    event = django_filters.CharFilter(method="filter_entity", label="Event (slug)")
    year = django_filters.NumberFilter(
        method="filter_year", label="Year", min_value=1, max_value=9998
    )

    class Meta:
        model = Article
        fields: list[str] = []

    # The slug is looked up first, so the filter reads "outlet_id = 7" rather than joining the
    # outlet table: PostgreSQL can then combine it with the full-text index on the same rows, and
    # it knows how common that outlet or entity is (its statistics cover values, not joins). An
    # unknown slug becomes id 0, which no row has.

    def filter_outlet(self, queryset, name, value):
        return queryset.filter(outlet_id=_id_of(Outlet, value))

    def filter_entity(self, queryset, name, value):
        # A subquery rather than a join: one row per article, however often it names the entity.
        model = MENTION_MODELS[name]
        mentions = (
            model.objects.filter(
                entity_id=_id_of(model._meta.get_field("entity").related_model, value)
            )
            .exclude(status=MentionStatus.REJECTED)
            .values("article_id")
        )
        return queryset.filter(pk__in=mentions)

    def filter_year(self, queryset, name, value):
        year = int(value)
        # A range on the indexed column, not __year, so the index serves it on both engines.
        return queryset.filter(
            published_at__gte=_day_start(dt.date(year, 1, 1)),
            published_at__lt=_day_start(dt.date(year + 1, 1, 1)),
        )

    def filter_from(self, queryset, name, value):
        return queryset.filter(published_at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        if value >= dt.date.max:
            return queryset
        return queryset.filter(published_at__lt=_day_start(value + dt.timedelta(days=1)))

    @property
    def active(self) -> dict[str, object]:
        """The valid filters in use, by parameter name (junk values are left out)."""
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "")}


# ``from`` and ``to`` are Python keywords, so these two are added after the class is built.
ArticleFilter.base_filters["from"] = django_filters.DateFilter(
    method="filter_from", label="From (YYYY-MM-DD)"
)
ArticleFilter.base_filters["to"] = django_filters.DateFilter(
    method="filter_to", label="To (YYYY-MM-DD)"
)
