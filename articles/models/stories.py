"""Stories: articles grouped automatically because they cover the same happening."""

from django.db import models
from django.urls import reverse


class Story(models.Model):
    """A group of articles on one happening, proposed by clustering and confirmable by curators."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "candidate"
        CONFIRMED = "confirmed", "confirmed"

    name = models.CharField(max_length=255)
    name_locked = models.BooleanField(default=False, help_text="A curator named it; keep the name.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    event = models.ForeignKey(
        "articles.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    date_start = models.DateTimeField(null=True, blank=True)
    date_end = models.DateTimeField(null=True, blank=True)
    signature = models.JSONField(default=dict, blank=True, help_text="Clustering state.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date_end", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:story", kwargs={"pk": self.pk})


class StoryMembership(models.Model):
    """An article's place in a story; ``pinned`` marks a curator's decision that clustering keeps."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="memberships")
    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="story_membership"
    )
    score = models.FloatField(default=0.0)
    pinned = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["story", "article"]

    def __str__(self) -> str:
        return f"{self.article_id} in {self.story_id}"


class StoryRedirect(models.Model):
    """The address of a story that no longer exists leads to the story that took its articles.

    Written when a story is merged away, emptied by a move or regrouped by a rebuild
    (``articles.stories.redirects``); story ids are never reused, so ``old_id`` stays unique.
    """

    old_id = models.PositiveIntegerField(unique=True)
    target_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="The story that took its articles; empty when none did."
    )
    name = models.CharField(max_length=255, blank=True, help_text="The story's name when it went.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"story {self.old_id} → {self.target_id or 'gone'}"
