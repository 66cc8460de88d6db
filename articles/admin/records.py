"""Curation records: merges (undone from here, never edited), redirects, rejected surfaces."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles import models
from articles.curation import (
    CurationError,
    reject_everywhere,
    undo_merge,
)
from articles.models.entities import name_key
from articles.models.mentions import MENTION_MODELS


@admin.register(models.MergeRecord)
class MergeRecordAdmin(admin.ModelAdmin):
    """Who merged what and when; a merge is undone from its record, never edited."""

    change_form_template = "admin/articles/mergerecord_change_form.html"
    list_display = ("merged_name", "kept_link", "kind", "merged_by", "merged_at", "undone_at")
    list_filter = ("kind", ("undone_at", admin.EmptyFieldListFilter))
    search_fields = ("merged_name", "kept_name", "merged_slug")
    fields = (
        "kind",
        "merged_name",
        "merged_slug",
        "merged_id",
        "kept_link",
        "merged_by",
        "merged_at",
        "undone_at",
        "moved_summary",
    )
    readonly_fields = fields
    actions = ["undo_selected"]

    def has_add_permission(self, request):
        return False  # records come from merges

    def has_delete_permission(self, request, obj=None):
        return False  # a record is what makes a merge undoable

    @admin.display(description="kept")
    def kept_link(self, obj):
        model = models.ENTITY_MODELS[obj.kind]
        if model.objects.filter(pk=obj.kept_id).exists():
            url = reverse(f"admin:articles_{model._meta.model_name}_change", args=[obj.kept_id])
            return format_html('<a href="{}">{}</a>', url, obj.kept_name)
        return f"{obj.kept_name} (gone)"

    @admin.display(description="what moved")
    def moved_summary(self, obj):
        snapshot = obj.snapshot or {}
        rows = [(m["model"], len(m["ids"])) for m in snapshot.get("moved", [])]
        rows.append(("duplicates removed", len(snapshot.get("deleted", []))))
        rows.append(("aliases added", ", ".join(snapshot.get("added_aliases", [])) or "none"))
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", rows))

    def get_urls(self):
        undo = path(
            "<int:pk>/undo/",
            self.admin_site.admin_view(self.undo_view),
            name="articles_mergerecord_undo",
        )
        return [undo, *super().get_urls()]

    def undo_view(self, request, pk):
        """Confirm (GET) and undo (POST) one merge."""
        record = get_object_or_404(models.MergeRecord, pk=pk)
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        change_url = reverse("admin:articles_mergerecord_change", args=[record.pk])
        if request.method == "POST":
            self._undo(request, record)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": "Undo merge",
            "opts": self.model._meta,
            "record": record,
            "original": record,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/articles/undo_merge_confirmation.html", context)

    def _undo(self, request, record) -> bool:
        try:
            undo_merge(record=record, by=request.user)
        except CurationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return False
        self.message_user(
            request,
            f"Undid the merge: “{record.merged_name}” is back, with its mentions and page.",
            messages.SUCCESS,
        )
        return True

    @admin.action(description="Undo selected merges", permissions=["change"])
    def undo_selected(self, request, queryset):
        # Newest first: a later merge into an entity must be undone before an earlier one.
        for record in queryset.order_by("-merged_at", "-pk"):
            self._undo(request, record)


@admin.register(models.EntityRedirect)
class EntityRedirectAdmin(admin.ModelAdmin):
    list_display = ("kind", "old_slug", "target_id", "merge")
    list_filter = ("kind",)
    search_fields = ("old_slug",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RejectedSurfaceForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=[(k, k) for k in MENTION_MODELS])

    class Meta:
        model = models.RejectedSurface
        fields = ("kind", "surface")

    def clean(self):
        data = super().clean()
        key = name_key(data.get("surface") or "")
        if not key:
            raise forms.ValidationError("The surface form needs letters or digits.")
        clash = models.RejectedSurface.objects.filter(kind=data.get("kind"), key=key)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("This surface form is already rejected for that kind.")
        return data


@admin.register(models.RejectedSurface)
class RejectedSurfaceAdmin(admin.ModelAdmin):
    """Surface forms never suggested again; adding one here also rejects its suggestions."""

    form = RejectedSurfaceForm
    list_display = ("surface", "kind", "key", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("surface", "key")
    readonly_fields = ("key", "created_by", "created_at")

    def save_model(self, request, obj, form, change):
        obj.key = name_key(obj.surface)
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            _, count = reject_everywhere(kind=obj.kind, surface=obj.surface, by=request.user)
            self.message_user(request, f"{count} suggestions of “{obj.surface}” rejected.")
