"""Stories in the admin: confirm as events, rename, merge, split off or move articles out.

Every write goes through ``articles.stories`` (which pins what the curator decided, so
``cluster_stories --rebuild`` keeps it) and is logged in the admin's change history.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db.models import Count
from django.utils.html import format_html

from articles import models
from articles.stories import (
    StoryError,
    confirm_story,
    merge_stories,
    move_article,
    rename_story,
    split_story,
)


def _log(request, obj, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


class MembershipInline(admin.TabularInline):
    model = models.StoryMembership
    fields = ("article", "score", "pinned", "joined_at")
    readonly_fields = ("article", "score", "pinned", "joined_at")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "article_count", "date_start", "date_end", "event", "page")
    list_filter = ("status", "name_locked")
    search_fields = ("name",)
    fields = ("name", "status", "event", "date_start", "date_end", "name_locked")
    readonly_fields = ("status", "event", "date_start", "date_end", "name_locked")
    inlines = [MembershipInline]
    actions = ["confirm_selected", "merge_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("event")
            .annotate(n_articles=Count("memberships"))
        )

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles

    @admin.display(description="public page")
    def page(self, obj):
        return format_html('<a href="{}">view</a>', obj.get_absolute_url())

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            # A curator's name is kept through rebuilds: rename_story locks it.
            rename_story(story=obj, name=form.cleaned_data["name"], by=request.user)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="Confirm selected stories as events", permissions=["change"])
    def confirm_selected(self, request, queryset):
        for story in queryset:
            event = confirm_story(story=story, by=request.user)
            _log(request, story, f"Confirmed as event {event.name!r} (id {event.pk}).")
        self.message_user(request, f"{queryset.count()} story(ies) confirmed as events.")

    @admin.action(description="Merge selected stories into the largest", permissions=["change"])
    def merge_selected(self, request, queryset):
        stories = sorted(queryset, key=lambda s: (-s.n_articles, s.pk))
        if len(stories) < 2:
            self.message_user(request, "Select at least two stories to merge.", messages.ERROR)
            return
        keep = stories[0]
        for other in stories[1:]:
            name = other.name
            merge_stories(keep=keep, merge=other, by=request.user)
            _log(request, keep, f"Merged story {name!r} into this one.")
        self.message_user(request, f"Merged {len(stories) - 1} story(ies) into {keep.name!r}.")


@admin.register(models.StoryMembership)
class StoryMembershipAdmin(admin.ModelAdmin):
    """One row per article in a story: where curators split a story or move articles out."""

    list_display = ("article", "story", "score", "pinned", "joined_at")
    list_filter = ("pinned",)
    search_fields = ("article__title", "story__name")
    list_select_related = ("article", "story")
    raw_id_fields = ("article", "story")
    actions = ["split_off", "move_out"]

    def has_add_permission(self, request):
        return False

    @admin.action(
        description="Split selected articles off into a new story", permissions=["change"]
    )
    def split_off(self, request, queryset):
        by_story: dict[int, list[int]] = {}
        for membership in queryset:
            by_story.setdefault(membership.story_id, []).append(membership.article_id)
        for story_id, article_ids in by_story.items():
            story = models.Story.objects.get(pk=story_id)
            try:
                new = split_story(story=story, article_ids=article_ids, by=request.user)
            except StoryError as error:
                self.message_user(request, f"{story.name}: {error}", messages.ERROR)
                continue
            _log(request, story, f"Split {len(article_ids)} article(s) off into story {new.pk}.")
            self.message_user(request, f"Split {len(article_ids)} article(s) into a new story.")

    @admin.action(description="Move selected articles out of their story", permissions=["change"])
    def move_out(self, request, queryset):
        for membership in queryset.select_related("article", "story"):
            old = membership.story
            new = move_article(article=membership.article, by=request.user)
            _log(request, old, f"Moved article {membership.article_id} out to story {new.pk}.")
        self.message_user(
            request, f"Moved {queryset.count()} article(s) into stories of their own."
        )
