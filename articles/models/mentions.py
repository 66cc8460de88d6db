"""Where an article mentions an entity: one through model per kind, from one abstract base."""

from django.db import models


class MentionStatus(models.TextChoices):
    SUGGESTED = "suggested", "suggested"
    CONFIRMED = "confirmed", "confirmed"
    REJECTED = "rejected", "rejected"


class MentionMethod(models.TextChoices):
    GAZETTEER = "gazetteer", "gazetteer"
    NER = "ner", "NER"
    METADATA = "metadata", "metadata"
    MANUAL = "manual", "manual"


class MentionQuerySet(models.QuerySet):
    def visible(self):
        """Mentions that are not rejected."""
        return self.exclude(status=MentionStatus.REJECTED)

    def machine_made(self):
        """Suggestions a re-extraction may replace (curator decisions and manual ones are kept)."""
        return self.filter(status=MentionStatus.SUGGESTED).exclude(method=MentionMethod.MANUAL)


class Mention(models.Model):
    """One stretch of an article's body that names an entity."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE)
    surface = models.CharField(max_length=255, help_text="The words as the article writes them.")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    count = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=MentionStatus.choices, default=MentionStatus.SUGGESTED, db_index=True
    )
    method = models.CharField(
        max_length=10, choices=MentionMethod.choices, default=MentionMethod.NER, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MentionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["article", "start"]
        # Each subclass adds its own ``entity`` foreign key. Both indexes end with the status, so
        # the pages' reads ("the visible mentions of this entity", "of these articles") are
        # answered from the index alone, never from the table's rows.
        indexes = [
            models.Index(fields=["entity", "article", "status"]),
            models.Index(fields=["article", "entity", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.surface} @ {self.article_id}:{self.start}"


class PersonMention(Mention):
    entity = models.ForeignKey("articles.Person", on_delete=models.CASCADE, related_name="mentions")


class OutletMention(Mention):
    """An outlet the article cites as a source (the publisher is ``Article.outlet``)."""

    entity = models.ForeignKey("articles.Outlet", on_delete=models.CASCADE, related_name="mentions")


class OrganizationMention(Mention):
    entity = models.ForeignKey(
        "articles.Organization", on_delete=models.CASCADE, related_name="mentions"
    )


class PlaceMention(Mention):
    entity = models.ForeignKey("articles.Place", on_delete=models.CASCADE, related_name="mentions")


class EventMention(Mention):
    entity = models.ForeignKey("articles.Event", on_delete=models.CASCADE, related_name="mentions")


MENTION_MODELS = {
    "person": PersonMention,
    "outlet": OutletMention,
    "organization": OrganizationMention,
    "place": PlaceMention,
    "event": EventMention,
}
