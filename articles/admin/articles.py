"""Articles with their mentions, quotes and claims inline; re-running extraction."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import URLField
from django.urls import reverse
from django.utils.html import format_html

from articles import models
from articles.models.mentions import MENTION_MODELS


class ExtractedInline(admin.TabularInline):
    """Rows extraction made for an article: listed collapsed, never added or deleted by hand."""

    extra = 0
    can_delete = False
    classes = ("collapse",)

    def has_add_permission(self, request, obj=None):
        return False


class MentionInline(ExtractedInline):
    """An article's mentions of one kind; curators change the status here, links in the queue."""

    fields = ("surface", "entity_link", "start", "end", "status", "method")
    readonly_fields = ("surface", "entity_link", "start", "end", "method")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity")

    @admin.display(description="entity")
    def entity_link(self, obj):
        url = reverse(f"admin:articles_{obj.entity._meta.model_name}_change", args=[obj.entity_id])
        return format_html('<a href="{}">{}</a>', url, obj.entity)


def _mention_inline(mention_model):
    verbose = mention_model._meta.get_field("entity").related_model._meta.verbose_name
    return type(
        f"{mention_model.__name__}Inline",
        (MentionInline,),
        {"model": mention_model, "verbose_name": f"{verbose} mention"},
    )


class QuoteInline(ExtractedInline):
    model = models.Quote
    fields = ("text", "speaker", "speaker_surface", "source", "start")
    readonly_fields = ("text", "speaker_surface", "source", "start")
    autocomplete_fields = ("speaker",)


class ClaimInline(ExtractedInline):
    model = models.Claim
    fields = ("subject", "text", "quantity", "value", "unit", "qualifier")
    readonly_fields = fields


# Where the article came from and when it was processed: shown together, set only by loading.
SOURCE_FIELDS = (
    "source_name",
    "source_format",
    "word_count",
    "content_hash",
    "ingested_at",
    "updated_at",
    "extracted_at",
)


@admin.register(models.Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "published_at", "author_names", "word_count", "extracted_at")
    list_filter = (
        "outlet",
        "language",
        "source_format",
        ("extracted_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("title", "url", "source_name")
    date_hierarchy = "published_at"
    autocomplete_fields = ("outlet", "authors")
    fieldsets = [
        (
            None,
            {"fields": ("title", "slug", "outlet", "authors", "published_at", "url", "language")},
        ),
        ("Text", {"fields": ("body",), "classes": ("collapse",)}),
        ("Source", {"fields": SOURCE_FIELDS, "classes": ("collapse",)}),
    ]
    # Offsets of mentions, quotes and claims point into the body, so it is not editable here.
    readonly_fields = ("body", *SOURCE_FIELDS)
    inlines = [*(_mention_inline(m) for m in MENTION_MODELS.values()), QuoteInline, ClaimInline]
    actions = ["rerun_extraction"]
    list_select_related = ("outlet",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    @admin.display(description="authors")
    def author_names(self, obj):
        return ", ".join(a.name for a in obj.authors.all())

    @admin.action(
        description="Re-run extraction on selected articles (keeps curator decisions)",
        permissions=["change"],
    )
    def rerun_extraction(self, request, queryset):
        from articles.extraction.pipeline import extract_articles

        articles = list(queryset)
        totals = extract_articles([a.pk for a in articles])
        for article in articles:
            self.log_change(request, article, "Re-ran extraction.")
        found = ", ".join(f"{totals.get(kind, 0)} {kind}" for kind in MENTION_MODELS)
        self.message_user(
            request,
            f"Re-ran extraction on {totals.get('articles', 0)} articles "
            f"(suggested mentions: {found}); confirmed, rejected and manual mentions were kept.",
            messages.SUCCESS,
        )
        if totals.get("failed"):
            self.message_user(
                request, f"Extraction failed on {totals['failed']} articles.", messages.ERROR
            )


@admin.register(models.Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("text", "speaker", "source", "article")
    list_filter = (("speaker", admin.EmptyFieldListFilter),)
    search_fields = ("text", "speaker__name", "speaker_surface", "article__title")
    list_select_related = ("speaker", "article")
    autocomplete_fields = ("speaker",)
    raw_id_fields = ("article",)


@admin.register(models.Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("subject", "text", "quantity", "value", "unit", "qualifier", "article")
    list_filter = ("quantity",)
    search_fields = ("subject", "text", "article__title")
    list_select_related = ("article",)
    raw_id_fields = ("article",)
