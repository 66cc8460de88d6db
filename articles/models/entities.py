"""People, outlets, organizations, places and events: the things articles talk about."""

from __future__ import annotations

from functools import lru_cache

from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils.text import slugify
from unidecode import unidecode


@lru_cache(maxsize=64)
def _url_pattern(url_name: str, script_prefix: str) -> str:
    return reverse(url_name, kwargs={"slug": "SLUG"}).replace("SLUG", "{}", 1)


def entity_url(kind: str, slug: str) -> str:
    """The page of the entity of ``kind`` at ``slug``: ``reverse`` once per kind, not per link.

    Pages link to hundreds of entities; resolving each link through the URL resolver was a
    visible share of their rendering time.
    """
    return _url_pattern(f"articles:{kind}", get_script_prefix()).format(slug)


@lru_cache(maxsize=65536)  # extraction asks for the same few hundred names again and again
def name_key(name: str) -> str:
    """Return the comparison key of a name: transliterated, lowercase, without punctuation or spaces.

    "Kim Jong-un", "Kim Jong Un" and "Kim Jong-Un" share the key "kimjongun".
    """
    return "".join(ch for ch in unidecode(name).lower() if ch.isalnum())


class EntityQuerySet(models.QuerySet):
    def by_name(self, name: str):
        """Entities whose name or one of whose aliases has the same key as ``name``.

        An index look-up in :class:`EntityKey` (a substring test on ``alias_keys`` read every
        row of the table, for every author the loader resolves and every name it extracts).
        """
        return self.named_by([name_key(name)])

    def named_by(self, keys: list[str]):
        """Entities whose name or one of whose aliases has one of these keys."""
        matching = EntityKey.objects.filter(kind=self.model.kind, key__in=keys)
        return self.filter(pk__in=matching.values("entity_id"))

    def with_article_counts(self):
        """Annotate ``article_count``: the number of distinct articles that mention the entity."""
        return self.annotate(
            article_count=models.Count("articles", distinct=True),
        )


class Entity(models.Model):
    """What every kind of entity has: a name, a slug for its page, aliases and a curation flag."""

    kind = ""  # set by each concrete class: "person", "outlet", ...
    url_name = ""

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=False)
    key = models.CharField(
        max_length=255, db_index=True, editable=False, help_text="Normalised name for matching."
    )
    aliases = models.JSONField(default=list, blank=True, help_text="Other spellings of the name.")
    alias_keys = models.TextField(
        default="", blank=True, editable=False, help_text="|key|key| of the aliases, for lookups."
    )
    description = models.TextField(blank=True)
    curated = models.BooleanField(
        default=False, help_text="A curator checked this entity; extraction never removes it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Keys are derived data, kept next to the columns they index so lookups stay one query.
        self.refresh_keys()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return entity_url(self.kind, self.slug)

    @property
    def all_names(self) -> list[str]:
        """The name followed by every alias."""
        return [self.name, *[a for a in self.aliases if a != self.name]]

    def refresh_keys(self) -> None:
        """Recompute the matching keys from the name and aliases (call before saving)."""
        self.key = name_key(self.name)
        keys = sorted({name_key(a) for a in self.aliases if name_key(a)})
        self.alias_keys = "|" + "|".join(keys) + "|" if keys else ""
        if not self.slug:
            self.slug = unique_slug(type(self), self.name)


def unique_slug(model, name: str) -> str:
    """Return a slug for ``name`` that no row of ``model`` uses yet."""
    base = slugify(unidecode(name))[:200] or model.kind or "entity"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class Person(Entity):
    kind = "person"
    url_name = "articles:person"
    role = models.CharField(max_length=255, blank=True, help_text="e.g. Prime Minister of Russia")

    class Meta(Entity.Meta):
        verbose_name_plural = "people"


class Outlet(Entity):
    kind = "outlet"
    url_name = "articles:outlet"
    domain = models.CharField(max_length=255, blank=True, db_index=True)
    homepage = models.URLField(blank=True)


class Organization(Entity):
    kind = "organization"
    url_name = "articles:organization"


class Place(Entity):
    kind = "place"
    url_name = "articles:place"
    country = models.CharField(max_length=100, blank=True)


class Event(Entity):
    kind = "event"
    url_name = "articles:event"
    date_start = models.DateField(null=True, blank=True)
    date_end = models.DateField(null=True, blank=True)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )

    class Meta(Entity.Meta):
        ordering = ["date_start", "name"]


ENTITY_MODELS = {m.kind: m for m in (Person, Outlet, Organization, Place, Event)}


class EntityKey(models.Model):
    """Each key an entity can be found by — its name's and each alias's — kept by the database.

    Triggers on the entity tables (migration 0013) write these rows whenever ``key`` or
    ``alias_keys`` change, by any path (saves, merges, the admin, bulk writes, raw SQL), so a
    look-up by name is one index probe however many entities the archive holds. Derived data:
    leave it out of ``dumpdata`` (the triggers write it again as entities are loaded).
    """

    kind = models.CharField(max_length=16)
    entity_id = models.BigIntegerField()
    key = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity_id", "kind", "key"], name="entitykey_unique")
        ]
        # Key first: without statistics SQLite would otherwise walk every row of a kind.
        indexes = [models.Index(fields=["key", "kind"], name="entitykey_lookup")]

    def __str__(self) -> str:
        return f"{self.kind} {self.entity_id}: {self.key}"


class ArticleTotal(models.Model):
    """How many articles mention an entity (rejected mentions left out), kept by the database.

    Triggers on the entity's mention table (migration 0011) keep the number in step with every
    write — extraction, curation, merges, the admin, cascades, raw SQL — so no code path has to
    remember it. It lives in a table of its own, one row per entity that was ever mentioned, so
    saving an entity (a stale instance in the admin, new aliases from extraction) never writes it
    back and counting never locks the entity's row; and it is no Django relation of the entity,
    so merges and deletions, which move or delete whatever points at an entity, leave it to the
    triggers (a deleted entity's row stays behind at zero). Backups copy the database whole; a
    ``loaddata`` of a ``dumpdata`` would count the mentions twice, so exclude these models from
    such dumps (the triggers count the mentions as they are loaded).
    """

    entity_id = models.BigIntegerField(primary_key=True)
    articles = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.articles}"


class PersonTotal(ArticleTotal):
    pass


class OrganizationTotal(ArticleTotal):
    pass


class PlaceTotal(ArticleTotal):
    pass


class EventTotal(ArticleTotal):
    pass


# Outlets are counted by the articles they publish (``Article.outlet``, indexed), not mentions.
TOTAL_MODELS = {
    "person": PersonTotal,
    "organization": OrganizationTotal,
    "place": PlaceTotal,
    "event": EventTotal,
}


def catalogue_version() -> tuple:
    """A cheap fingerprint of every entity table: it changes whenever an entity is added,
    changed or removed, so per-process caches built from the catalogue know when to rebuild."""
    from django.db.models import Count, Max

    parts = []
    for kind, model in sorted(ENTITY_MODELS.items()):
        agg = model.objects.aggregate(n=Count("id"), latest=Max("updated_at"), top=Max("id"))
        parts.append((kind, agg["n"], agg["top"], agg["latest"]))
    return tuple(parts)
