"""The review queue: one mention changelist per kind; confirm, reject, reject everywhere, link."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.curation import (
    CurationError,
    confirm_mentions,
    link_mention,
    reject_everywhere,
    reject_mentions,
)
from articles.models.mentions import MENTION_MODELS, MentionStatus


class SurfaceFilter(admin.SimpleListFilter):
    """The surface forms suggested most often, to review one spelling at a time."""

    title = "surface form"
    parameter_name = "surface_form"

    def lookups(self, request, model_admin):
        top = (
            model_admin.model.objects.filter(status=MentionStatus.SUGGESTED)
            .values("surface")
            .annotate(n=Count("pk"))
            .order_by("-n", "surface")[:25]
        )
        return [(row["surface"], f"{row['surface']} ({row['n']})") for row in top]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(surface=self.value())
        return queryset


class LinkMentionForm(forms.Form):
    """Which entity the selected mentions should point at."""

    entity = forms.ModelChoiceField(queryset=None, label="Link to")

    def __init__(self, *args, mention_model, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        field = mention_model._meta.get_field("entity")
        # The widget first: assigning the queryset hands the widget its choices.
        self.fields["entity"].widget = AutocompleteSelect(field, admin_site)
        self.fields["entity"].queryset = field.related_model.objects.all()


class MentionAdmin(admin.ModelAdmin):
    """One review queue per kind of entity: filter, read the context, decide."""

    change_list_template = "admin/articles/mention_change_list.html"
    list_display = ("surface", "entity_link", "context", "article_link", "status", "method")
    list_editable = ("status",)
    list_filter = ("status", "method", SurfaceFilter, ("article", admin.RelatedOnlyFieldListFilter))
    search_fields = ("surface", "entity__name", "article__title")
    list_select_related = ("article", "entity")
    autocomplete_fields = ("entity",)
    raw_id_fields = ("article",)
    readonly_fields = ("context",)
    actions = ["confirm_selected", "reject_selected", "reject_everywhere_selected", "link_selected"]
    list_per_page = 50

    @property
    def kind(self) -> str:
        return self.model._meta.get_field("entity").related_model.kind

    @admin.display(description="entity", ordering="entity__name")
    def entity_link(self, obj):
        url = reverse(f"admin:articles_{obj.entity._meta.model_name}_change", args=[obj.entity_id])
        return format_html('<a href="{}">{}</a>', url, obj.entity)

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(obj.article.title).chars(50))

    @admin.display(description="in context")
    def context(self, obj):
        """The words around the mention; article text is escaped by format_html, never trusted."""
        body = obj.article.body
        if obj.start is None or obj.end is None or obj.end > len(body):
            return "—"
        before = body[max(0, obj.start - 60) : obj.start]
        after = body[obj.end : obj.end + 60]
        return format_html("…{}<mark>{}</mark>{}…", before, body[obj.start : obj.end], after)

    def changelist_view(self, request, extra_context=None):
        kinds = []
        for kind, mention_model in MENTION_MODELS.items():
            opts = mention_model._meta
            if not request.user.has_perm(f"articles.view_{opts.model_name}"):
                continue
            url = reverse(f"admin:articles_{opts.model_name}_changelist")
            suggested = mention_model.objects.filter(status=MentionStatus.SUGGESTED).count()
            kinds.append(
                {
                    "kind": kind,
                    "url": f"{url}?status__exact=suggested",
                    "suggested": suggested,
                    "current": mention_model is self.model,
                }
            )
        return super().changelist_view(request, {"mention_kinds": kinds, **(extra_context or {})})

    def has_reject_everywhere_permission(self, request) -> bool:
        return self.has_change_permission(request) and request.user.has_perm(
            "articles.add_rejectedsurface"
        )

    @admin.action(description="Confirm selected mentions", permissions=["change"])
    def confirm_selected(self, request, queryset):
        count = confirm_mentions(queryset, by=request.user)
        self.message_user(request, f"Confirmed {count} mentions.", messages.SUCCESS)

    @admin.action(description="Reject selected mentions", permissions=["change"])
    def reject_selected(self, request, queryset):
        count = reject_mentions(queryset, by=request.user)
        self.message_user(request, f"Rejected {count} mentions.", messages.SUCCESS)

    @admin.action(
        description="Reject these surface forms everywhere (never suggest them again)",
        permissions=["reject_everywhere"],
    )
    def reject_everywhere_selected(self, request, queryset):
        surfaces = sorted({m.surface for m in queryset})
        for surface in surfaces:
            try:
                _, count = reject_everywhere(kind=self.kind, surface=surface, by=request.user)
            except CurationError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            self.message_user(
                request,
                f"“{surface}” will not be suggested as a {self.kind} again; "
                f"{count} suggestions rejected.",
                messages.SUCCESS,
            )

    @admin.action(description="Link selected mentions to…", permissions=["change"])
    def link_selected(self, request, queryset):
        """Ask for the entity, then attach every selected mention to it."""
        mentions = list(queryset.select_related("entity", "article"))
        data = request.POST if request.POST.get("post") == "yes" else None
        form = LinkMentionForm(data, mention_model=self.model, admin_site=self.admin_site)
        if data is not None and form.is_valid():
            entity = form.cleaned_data["entity"]
            for mention in mentions:
                link_mention(mention=mention, entity=entity, by=request.user)
            self.message_user(
                request, f"Linked {len(mentions)} mentions to “{entity}”.", messages.SUCCESS
            )
            return None
        if data is not None:
            # A choice that names no entity (tampered with, or deleted meanwhile): say so and
            # ask again with an empty form, which cannot choke on the bad value as the widget would.
            chosen = Truncator(data.get("entity", "").strip()).chars(40)
            reason = f"No {self.kind} has the id “{chosen}”" if chosen else f"No {self.kind} chosen"
            self.message_user(request, f"{reason}; no mention was changed.", messages.ERROR)
            form = LinkMentionForm(mention_model=self.model, admin_site=self.admin_site)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Link {len(mentions)} mentions to a {self.kind}",
            "opts": opts,
            "mentions": mentions,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "link_selected",
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/link_mentions.html", context)


for _mention_model in MENTION_MODELS.values():
    admin.site.register(_mention_model, MentionAdmin)
