"""Articles and what they say: the quotes they report and the numbers they claim."""

from __future__ import annotations

from functools import lru_cache

from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils.text import slugify
from unidecode import unidecode

from .entities import Event, Organization, Outlet, Person, Place
from .mentions import EventMention, OrganizationMention, OutletMention, PersonMention, PlaceMention


@lru_cache(maxsize=8)
def _article_url_pattern(script_prefix: str) -> str:
    """The article URL with holes for id and slug: resolved once, not once per link."""
    url = reverse("articles:article", kwargs={"pk": 987654321, "slug": "SLUG"})
    return url.replace("987654321", "{}", 1).replace("SLUG", "{}", 1)


def article_slug(title: str) -> str:
    """The URL slug of an article title (ASCII, at most 120 characters)."""
    return slugify(unidecode(title))[:120] or "article"


class ArticleQuerySet(models.QuerySet):
    def newest_first(self):
        """Articles by publication date, newest first; undated ones last, then by id."""
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-id")

    def with_outlet(self):
        """Fetch the publishing outlet in the same query."""
        return self.select_related("outlet")

    def for_listing(self):
        """What a list of articles shows: outlet joined, authors prefetched, newest first.

        The texts are deferred: a list never shows them, and reading them is most of the cost.
        """
        return (
            self.with_outlet().defer("body", "raw_text").prefetch_related("authors").newest_first()
        )

    def search(self, query: str, **options):
        """Full-text search; see ``articles.search``."""
        from articles.search import search_articles

        return search_articles(query, queryset=self, **options)


class Article(models.Model):
    """One news article as stored in the archive."""

    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=120, blank=True, db_index=False)
    body = models.TextField(help_text="Cleaned text: what pages show and search indexes.")
    raw_text = models.TextField(blank=True, help_text="The text as read from the file, uncleaned.")
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    authors = models.ManyToManyField(Person, blank=True, related_name="authored_articles")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    url = models.URLField(max_length=2000, blank=True)
    language = models.CharField(max_length=12, default="en")
    content_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the normalised title and body: the idempotency key."
    )
    source_name = models.CharField(
        max_length=500, blank=True, help_text="The file the article came from."
    )
    source_format = models.CharField(max_length=10, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    ingested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    extracted_at = models.DateTimeField(null=True, blank=True)

    people = models.ManyToManyField(Person, through=PersonMention, related_name="articles")
    cited_outlets = models.ManyToManyField(
        Outlet, through=OutletMention, related_name="citing_articles"
    )
    organizations = models.ManyToManyField(
        Organization, through=OrganizationMention, related_name="articles"
    )
    places = models.ManyToManyField(Place, through=PlaceMention, related_name="articles")
    events = models.ManyToManyField(Event, through=EventMention, related_name="articles")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        # Plain indexes declared here (not db_index=True) so PostgreSQL skips the extra
        # pattern-ops copies it would build for LIKE, which no query uses: cheaper inserts.
        constraints = [models.UniqueConstraint(fields=["content_hash"], name="unique_content_hash")]
        indexes = [
            models.Index(fields=["outlet", "published_at"]),
            models.Index(fields=["url"], name="article_url_idx"),
            models.Index(fields=["source_name"], name="article_source_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = article_slug(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return _article_url_pattern(get_script_prefix()).format(self.pk, self.slug or "article")


class Quote(models.Model):
    """A quotation an article reports, with the person it attributes it to."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    speaker_surface = models.CharField(max_length=255, blank=True)
    source = models.CharField(
        max_length=255, blank=True, help_text="A non-person attribution (an agency, 'state media')."
    )
    text = models.TextField()
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    sentence_index = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["article", "start"]
        # A person's page lists their newest quotes: read in order from the index, not sorted.
        indexes = [models.Index(fields=["speaker", "article"])]

    def __str__(self) -> str:
        return f"{self.speaker or self.source or '?'}: {self.text[:60]}"


class Claim(models.Model):
    """A number an article states, normalised to a base unit, with what it measures."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    quantity = models.CharField(max_length=20, db_index=True, help_text="length, duration, count…")
    value = models.FloatField(help_text="In the base unit; the midpoint for a range.")
    low = models.FloatField()
    high = models.FloatField()
    unit = models.CharField(max_length=20, blank=True)
    qualifier = models.CharField(max_length=20, blank=True, help_text="about, nearly, at least…")
    subject = models.CharField(max_length=255, db_index=True)
    text = models.CharField(max_length=255, help_text="The words as written.")
    sentence = models.TextField(blank=True)
    sentence_index = models.PositiveIntegerField(null=True, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["article", "start"]

    def __str__(self) -> str:
        return f"{self.subject}: {self.text}"
