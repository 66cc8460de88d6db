"""What curators decide: merges (undoable), redirects of merged pages, surfaces never to suggest."""

from django.conf import settings
from django.db import models


class MergeRecord(models.Model):
    """One entity merged into another: who, when, and enough to undo it."""

    kind = models.CharField(max_length=20)
    kept_id = models.PositiveIntegerField()
    kept_name = models.CharField(max_length=255)
    merged_id = models.PositiveIntegerField()
    merged_name = models.CharField(max_length=255)
    merged_slug = models.CharField(max_length=255)
    snapshot = models.JSONField(default=dict, help_text="The state before the merge, for undo.")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.kept_name} ({self.kind})"


class EntityRedirect(models.Model):
    """The page of a merged entity now lives at its kept entity's page."""

    kind = models.CharField(max_length=20)
    old_slug = models.CharField(max_length=255)
    target_id = models.PositiveIntegerField()
    merge = models.ForeignKey(
        MergeRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="redirects"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="unique_redirect_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.old_slug} → {self.target_id}"


class RejectedSurface(models.Model):
    """A surface form curators rejected everywhere: extraction never suggests it again."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=255, help_text="Normalised surface (see name_key).")
    surface = models.CharField(max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="unique_rejection")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.surface}"
