"""The admin: every model registered with useful columns, filters and search."""

from django.contrib import admin

from articles import models


class EntityAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "curated", "updated_at")
    list_filter = ("curated",)
    search_fields = ("name", "aliases", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Person)
class PersonAdmin(EntityAdmin):
    list_display = ("name", "role", "slug", "curated", "updated_at")
    search_fields = ("name", "aliases", "role", "description")


@admin.register(models.Outlet)
class OutletAdmin(EntityAdmin):
    list_display = ("name", "domain", "slug", "curated", "updated_at")
    search_fields = ("name", "aliases", "domain")


@admin.register(models.Organization)
class OrganizationAdmin(EntityAdmin):
    pass


@admin.register(models.Place)
class PlaceAdmin(EntityAdmin):
    list_display = ("name", "country", "slug", "curated", "updated_at")


@admin.register(models.Event)
class EventAdmin(EntityAdmin):
    list_display = ("name", "date_start", "date_end", "place", "curated")
    list_filter = ("curated", "date_start")
    autocomplete_fields = ("place",)


@admin.register(models.Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "published_at", "word_count", "source_name", "ingested_at")
    list_filter = ("outlet", "language", "source_format")
    search_fields = ("title", "url", "source_name")
    date_hierarchy = "published_at"
    autocomplete_fields = ("outlet", "authors")
    readonly_fields = ("content_hash", "raw_text", "ingested_at", "updated_at", "extracted_at")


class MentionAdmin(admin.ModelAdmin):
    list_display = ("surface", "entity", "article", "status", "method", "start")
    list_filter = ("status", "method")
    search_fields = ("surface", "entity__name", "article__title")
    raw_id_fields = ("article", "entity")


for mention_model in (
    models.PersonMention,
    models.OutletMention,
    models.OrganizationMention,
    models.PlaceMention,
    models.EventMention,
):
    admin.site.register(mention_model, MentionAdmin)


@admin.register(models.Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("text", "speaker", "source", "article")
    search_fields = ("text", "speaker__name", "article__title")
    raw_id_fields = ("article", "speaker")


@admin.register(models.Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("subject", "text", "quantity", "value", "unit", "qualifier", "article")
    list_filter = ("quantity",)
    search_fields = ("subject", "text", "article__title")
    raw_id_fields = ("article",)


@admin.register(models.MergeRecord)
class MergeRecordAdmin(admin.ModelAdmin):
    list_display = ("kind", "merged_name", "kept_name", "merged_by", "merged_at", "undone_at")
    list_filter = ("kind",)


@admin.register(models.RejectedSurface)
class RejectedSurfaceAdmin(admin.ModelAdmin):
    list_display = ("surface", "kind", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("surface",)


@admin.register(models.Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "date_start", "date_end", "event")
    list_filter = ("status",)
    search_fields = ("name",)
