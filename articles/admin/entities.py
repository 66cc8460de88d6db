"""Entity admins: search by name and alias, article counts, aliases one per line, merge."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, URLField, Value
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from articles import models
from articles.curation import (
    CurationError,
    merge_entities,
)
from articles.models.entities import name_key
from articles.models.mentions import MENTION_MODELS, MentionStatus


class AliasesField(forms.Field):
    """A JSON list of aliases edited as text, one alias per line."""

    widget = forms.Textarea(attrs={"rows": 5, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value) -> list[str]:
        lines = value if isinstance(value, list | tuple) else str(value or "").splitlines()
        aliases: list[str] = []
        for line in lines:
            line = " ".join(str(line).split())
            if line and line not in aliases:
                aliases.append(line)
        return aliases


def _count(subquery_rows, column: str = "article"):
    """A correlated subquery counting distinct ``column`` values, 0 when there are none."""
    rows = subquery_rows.order_by().values("_group").annotate(n=Count(column, distinct=True))
    return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), Value(0))


def article_count_annotations(model) -> dict:
    """Annotations counting each entity's articles without a query per row.

    ``article_count`` counts the articles that mention it (rejected mentions left out); outlets
    add ``published_count`` and people ``authored_count``.
    """
    mention_model = MENTION_MODELS[model.kind]
    mentioned = (
        mention_model.objects.filter(entity=OuterRef("pk"))
        .exclude(status=MentionStatus.REJECTED)
        .annotate(_group=Value(1))
    )
    annotations = {"article_count": _count(mentioned)}
    if model is models.Outlet:
        published = models.Article.objects.filter(outlet=OuterRef("pk")).annotate(_group=Value(1))
        annotations["published_count"] = _count(published, "pk")
    if model is models.Person:
        authored = models.Article.authors.through.objects.filter(person=OuterRef("pk")).annotate(
            _group=Value(1)
        )
        annotations["authored_count"] = _count(authored)
    return annotations


class HasArticlesFilter(admin.SimpleListFilter):
    title = "articles"
    parameter_name = "has_articles"

    def lookups(self, request, model_admin):
        return [("yes", "With articles"), ("no", "Without articles")]

    def queryset(self, request, queryset):
        counts = [name for name in article_count_annotations(queryset.model)]
        any_article = Q()
        for name in counts:
            any_article |= Q(**{f"{name}__gt": 0})
        if self.value() == "yes":
            return queryset.filter(any_article)
        if self.value() == "no":
            return queryset.exclude(any_article)
        return queryset


def entity_columns(*own: str) -> tuple[str, ...]:
    """The change list columns: the name, then the kind's own ``own``, then curation and page."""
    return ("name", *own, "curated", "public_page")


def count_column(annotation: str, description: str):
    """A change list column showing one of ``article_count_annotations``, sortable by it."""

    @admin.display(description=description, ordering=annotation)
    def column(self, obj):
        return getattr(obj, annotation)

    return column


class EntityAdmin(admin.ModelAdmin):
    """What every entity admin shares: alias search, counts, aliases as lines, merge."""

    list_display = entity_columns("alias_list", "articles_column")
    list_filter = ("curated", HasArticlesFilter)
    search_fields = ("name", "aliases", "description")
    readonly_fields = ("public_page", "key", "alias_keys")
    prepopulated_fields = {"slug": ("name",)}
    actions = ["merge_selected", "mark_curated"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(**article_count_annotations(self.model))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        old_slug = form.initial.get("slug")
        if change and old_slug and old_slug != obj.slug:
            # A renamed page keeps its old address working, as a merged one does.
            models.EntityRedirect.objects.update_or_create(
                kind=obj.kind, old_slug=old_slug, defaults={"target_id": obj.pk, "merge": None}
            )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "aliases":
            return AliasesField(
                required=False,
                label="Aliases",
                help_text="Other spellings of the name, one per line. Extraction matches each.",
            )
        if isinstance(db_field, URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Also match the normalised key, so "Kim Jong-Un" finds "Kim Jong Un" and its aliases.
        key = name_key(search_term)
        if key:
            found |= queryset.filter(Q(key__contains=key) | Q(alias_keys__contains=key))
        return found, may_have_duplicates

    @admin.display(description="aliases")
    def alias_list(self, obj):
        return Truncator(", ".join(obj.aliases)).chars(80)

    articles_column = count_column("article_count", "articles")

    @admin.display(description="public page")
    def public_page(self, obj):
        if not obj.pk:
            return "—"
        url = obj.get_absolute_url()
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    # -- merge --

    def has_merge_permission(self, request) -> bool:
        return self.has_change_permission(request) and request.user.has_perm(
            "articles.add_mergerecord"
        )

    @admin.action(
        description="Mark selected %(verbose_name_plural)s as curated", permissions=["change"]
    )
    def mark_curated(self, request, queryset):
        rows = list(queryset.filter(curated=False))
        self.model.objects.filter(pk__in=[r.pk for r in rows]).update(curated=True)
        for row in rows:
            self.log_change(request, row, "Marked as curated.")
        self.message_user(request, f"{len(rows)} marked as curated.", messages.SUCCESS)

    @admin.action(description="Merge selected %(verbose_name_plural)s…", permissions=["merge"])
    def merge_selected(self, request, queryset):
        """Ask which entity to keep, then merge the others into it."""
        entities = list(queryset.order_by("name", "pk"))
        opts = self.model._meta
        if len(entities) < 2:
            self.message_user(
                request,
                f"Select at least two {opts.verbose_name_plural} to merge.",
                messages.WARNING,
            )
            return None
        if request.POST.get("post") == "yes":
            keep = next((e for e in entities if str(e.pk) == request.POST.get("keep")), None)
            if keep is None:
                self.message_user(request, "Choose which one to keep.", messages.ERROR)
            else:
                self._merge_into(request, keep, [e for e in entities if e.pk != keep.pk])
                return None
        default = max(entities, key=lambda e: (e.curated, e.article_count, -e.pk))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {opts.verbose_name_plural}",
            "opts": opts,
            "entities": entities,
            "default_keep": default.pk,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "merge_selected",
            "media": self.media,
        }
        return TemplateResponse(request, "admin/articles/merge_confirmation.html", context)

    def _merge_into(self, request, keep, others) -> None:
        for other in others:
            try:
                record = merge_entities(keep=keep, merge=other, by=request.user)
            except CurationError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            undo_url = reverse("admin:articles_mergerecord_change", args=[record.pk])
            self.message_user(
                request,
                format_html(
                    'Merged “{}” into “{}”; its page now redirects to <a href="{}">{}</a>. '
                    '<a href="{}">Merge record</a> (undo from there).',
                    record.merged_name,
                    keep.name,
                    keep.get_absolute_url(),
                    keep.get_absolute_url(),
                    undo_url,
                ),
                messages.SUCCESS,
            )


@admin.register(models.Person)
class PersonAdmin(EntityAdmin):
    list_display = entity_columns("role", "alias_list", "articles_column", "authored_column")
    list_filter = (*EntityAdmin.list_filter, ("role", admin.EmptyFieldListFilter))
    search_fields = ("name", "aliases", "role", "description")

    authored_column = count_column("authored_count", "authored")


@admin.register(models.Outlet)
class OutletAdmin(EntityAdmin):
    list_display = entity_columns("domain", "alias_list", "published_column", "articles_column")
    list_filter = (*EntityAdmin.list_filter, ("domain", admin.EmptyFieldListFilter))
    search_fields = ("name", "aliases", "domain")

    published_column = count_column("published_count", "published")
    articles_column = count_column("article_count", "cited in")


@admin.register(models.Organization)
class OrganizationAdmin(EntityAdmin):
    pass


@admin.register(models.Place)
class PlaceAdmin(EntityAdmin):
    list_display = entity_columns("country", "alias_list", "articles_column")
    list_filter = (*EntityAdmin.list_filter, "country")
    search_fields = ("name", "aliases", "country")


@admin.register(models.Event)
class EventAdmin(EntityAdmin):
    list_display = entity_columns("date_start", "date_end", "place", "articles_column")
    list_filter = (
        *EntityAdmin.list_filter,
        "date_start",
        ("place", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("place",)
    autocomplete_fields = ("place",)
