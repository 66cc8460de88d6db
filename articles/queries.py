"""The reads behind the browsing pages, each a fixed number of queries whatever the row count.

Every function here runs one query (or a stated small number); none loops over rows issuing more.
Entity lists come back as ``EntityCount`` rows (kind, id, name, slug, count) built from ``values()``
so that no model instance, and no lazy relation, is touched per row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Count, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from articles.models import Article, Claim, Event, MentionStatus, Quote
from articles.models.entities import entity_url
from articles.models.mentions import MENTION_MODELS

# Kinds whose mentions say what an article is about (an outlet mention is a cited source).
TOPIC_KINDS = ("person", "organization", "place", "event")
# Sharing an event says more about "same story" than sharing a place or a person.
EVENT_WEIGHT = 3
# Entity-page summaries read at most this many of the newest articles about the entity.
WINDOW = 1000
# "Other coverage" looks at this many articles either side of the page's, per shared entity …
NEIGHBOURS = 200
# … for at most this many of the page's entities.
MAX_COVERAGE_ENTITIES = 40


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity with a count (articles, mentions…), enough to link to it."""

    kind: str
    id: int
    name: str
    slug: str
    count: int

    @property
    def url(self) -> str:
        return entity_url(self.kind, self.slug)


@dataclass(frozen=True, slots=True)
class MonthCount:
    """How many articles fall in one calendar month."""

    month: dt.date
    count: int


def visible_mentions(kind: str):
    """Mentions of ``kind`` that are confirmed or suggested (not rejected)."""
    return MENTION_MODELS[kind].objects.exclude(status=MentionStatus.REJECTED)


def article_ids_mentioning(entity):
    """A subquery of the ids of articles that mention ``entity`` (an outlet: that it published)."""
    if entity.kind == "outlet":
        return Article.objects.filter(outlet=entity).values("pk")
    return visible_mentions(entity.kind).filter(entity=entity).values("article_id")


def recent_article_ids(entity, window: int | None = None):
    """A subquery of the ids of the newest ``window`` articles about ``entity``.

    Summaries on entity pages (who else is named, which spellings, which sources) read this
    window rather than every article, so a name found in half a million articles costs the same
    as one found in fifty; the page says so when the window is smaller than the whole.
    """
    window = window or WINDOW
    if entity.kind == "outlet":
        rows = Article.objects.filter(outlet=entity).order_by("-published_at", "-pk")
        return rows.values("pk")[:window]
    rows = visible_mentions(entity.kind).filter(entity=entity).order_by("-article_id")
    return rows.values("article_id")[:window]


def articles_about(entity):
    """Articles mentioning ``entity`` (or published by it), ready for listing, newest first."""
    if entity.kind == "outlet":
        return Article.objects.filter(outlet=entity).for_listing()
    return Article.objects.filter(pk__in=article_ids_mentioning(entity)).for_listing()


# -- one article ------------------------------------------------------------------------------


@dataclass(slots=True)
class MentionRow:
    """One visible mention in an article, with a light entity to link to (no lazy relations)."""

    kind: str
    pk: int
    entity_id: int
    surface: str
    start: int | None
    end: int | None
    status: str
    entity: object


def article_mentions(article) -> dict[str, list[MentionRow]]:
    """The visible mentions in ``article`` per kind, in text order (1 query: a UNION ALL)."""
    parts = [
        visible_mentions(kind)
        .filter(article=article)
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list(
            "kind",
            "pk",
            "entity_id",
            "entity__name",
            "entity__slug",
            "surface",
            "start",
            "end",
            "status",
        )  # fmt: skip
        .order_by()
        for kind in MENTION_MODELS
    ]
    rows = sorted(
        parts[0].union(*parts[1:], all=True),
        key=lambda r: (r[6] is None, r[6] or 0, r[1]),
    )
    entities: dict[tuple[str, int], object] = {}
    found: dict[str, list[MentionRow]] = {kind: [] for kind in MENTION_MODELS}
    for kind, pk, entity_id, name, slug, surface, start, end, status in rows:
        entity = entities.get((kind, entity_id))
        if entity is None:
            model = MENTION_MODELS[kind]._meta.get_field("entity").related_model
            entity = entities[(kind, entity_id)] = model(pk=entity_id, name=name, slug=slug)
        found[kind].append(MentionRow(kind, pk, entity_id, surface, start, end, status, entity))
    return found


def article_quotes(article) -> list[Quote]:
    """The quotes ``article`` reports, speakers joined, in text order (1 query)."""
    rows = list(
        Quote.objects.filter(article=article)
        .select_related("speaker")
        .order_by(F("start").asc(nulls_last=True), "pk")
    )
    for row in rows:
        row.article = article  # already loaded: links to the quote's sentence cost no query
    return rows


def article_claims(article) -> list[Claim]:
    """The numbers ``article`` states, in text order (1 query)."""
    rows = list(
        Claim.objects.filter(article=article).order_by(F("start").asc(nulls_last=True), "pk")
    )
    for row in rows:
        row.article = article
    return _with_display(rows)


@dataclass
class Coverage:
    """Another article on the same story: how many entities (and events) it shares."""

    article: Article
    score: int
    shared_events: int
    overlap: float | None = field(default=None)

    @property
    def percent(self) -> int:
        """The text overlap as a whole percentage."""
        return round((self.overlap or 0) * 100)


def other_coverage(article, entity_ids: dict[str, set[int]], limit: int = 8) -> list[Coverage]:
    """Other articles sharing events or entities with ``article``, best first (2 queries).

    ``entity_ids`` maps a kind to the ids of the entities ``article`` mentions. The score counts
    the distinct shared entities, an event counting ``EVENT_WEIGHT`` times; ties go to the newer id.

    The cost is bounded whatever the archive's size: for each entity only the ``NEIGHBOURS``
    articles stored just before and just after this one are looked at (an index range scan on
    (entity, article)) — coverage of one story is stored close together, and a name found in
    half the archive would otherwise make every page that mentions it scan half the archive.
    """
    parts, params = [], []
    chosen = [(kind, pk) for kind in TOPIC_KINDS for pk in sorted(entity_ids.get(kind) or ())]
    # Events first: they say most about "same story"; the cap keeps the statement small.
    chosen.sort(key=lambda pair: pair[0] != "event")
    for n, (kind, pk) in enumerate(chosen[:MAX_COVERAGE_ENTITIES]):
        table = connection.ops.quote_name(MENTION_MODELS[kind]._meta.db_table)
        weight, is_event = (EVENT_WEIGHT, 1) if kind == "event" else (1, 0)
        for side, (op, order) in enumerate((("<", "DESC"), (">", "ASC"))):
            parts.append(
                f"SELECT DISTINCT article_id, {weight} AS w, {is_event} AS ev FROM ("
                f"SELECT article_id FROM {table} WHERE entity_id = %s AND article_id {op} %s "
                f"AND status <> %s ORDER BY article_id {order} LIMIT {NEIGHBOURS}) n{n}_{side}"
            )
            params += [pk, article.pk, MentionStatus.REJECTED]
    if not parts:
        return []
    sql = (
        f"SELECT article_id, SUM(w), SUM(ev) FROM ({' UNION ALL '.join(parts)}) shared "
        "GROUP BY article_id ORDER BY 2 DESC, 1 DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        scored = cursor.fetchall()
    if not scored:
        return []
    rows = Article.objects.select_related("outlet").in_bulk([row[0] for row in scored])
    return [
        Coverage(rows[pk], int(score), int(events)) for pk, score, events in scored if pk in rows
    ]


# -- entities ---------------------------------------------------------------------------------


def _entity_counts(kind: str, rows) -> list[EntityCount]:
    return [
        EntityCount(kind, r["entity_id"], r["entity__name"], r["entity__slug"], r["n"])
        for r in rows
    ]


def co_mentions(entity, kind: str, limit: int = 10) -> list[EntityCount]:
    """Entities of ``kind`` most often mentioned in the articles about ``entity`` (1 query).

    The count is the number of distinct articles they share.
    """
    rows = visible_mentions(kind).filter(article_id__in=recent_article_ids(entity))
    if kind == entity.kind:
        rows = rows.exclude(entity_id=entity.pk)
    rows = (
        rows.values("entity_id", "entity__name", "entity__slug")
        .annotate(n=Count("article_id", distinct=True))
        .order_by("-n", "entity__name")[:limit]
    )
    return _entity_counts(kind, rows)


def most_mentioned(kind: str, limit: int = 10, *, outlet=None) -> list[EntityCount]:
    """Entities of ``kind`` mentioned in the most articles (of ``outlet`` when given) (1 query)."""
    rows = visible_mentions(kind)
    if outlet is not None:
        rows = rows.filter(article_id__in=recent_article_ids(outlet))
    else:
        # The home page: who is in the news now, i.e. in the newest articles (an id range, so
        # the article index is read, not a list of ids).
        newest = Article.objects.order_by("-pk").values("pk")[WINDOW - 1 : WINDOW]
        rows = rows.filter(article_id__gte=Coalesce(Subquery(newest), Value(0)))
    rows = (
        rows.values("entity_id", "entity__name", "entity__slug")
        .annotate(n=Count("article_id", distinct=True))
        .order_by("-n", "entity__name")[:limit]
    )
    return _entity_counts(kind, rows)


def cited_sources(outlet, limit: int = 20) -> list[EntityCount]:
    """The outlets that ``outlet``'s articles cite as sources, most cited first (1 query)."""
    rows = (
        visible_mentions("outlet")
        .filter(article_id__in=recent_article_ids(outlet))
        .values("entity_id", "entity__name", "entity__slug")
        .annotate(n=Count("article_id", distinct=True))
        .order_by("-n", "entity__name")[:limit]
    )
    return _entity_counts("outlet", rows)


def authors_of(outlet, limit: int = 20) -> list[EntityCount]:
    """The people with bylines on ``outlet``'s articles, most prolific first (1 query)."""
    through = Article.authors.through
    rows = (
        through.objects.filter(article_id__in=recent_article_ids(outlet))
        .values("person_id", "person__name", "person__slug")
        .annotate(n=Count("article_id", distinct=True))
        .order_by("-n", "person__name")[:limit]
    )
    return [
        EntityCount("person", r["person_id"], r["person__name"], r["person__slug"], r["n"])
        for r in rows
    ]


def outlets_covering(entity) -> list[EntityCount]:
    """The outlets whose articles mention ``entity``, with article counts (1 query)."""
    rows = (
        Article.objects.filter(pk__in=recent_article_ids(entity), outlet__isnull=False)
        .values("outlet_id", "outlet__name", "outlet__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "outlet__name")
    )
    return [
        EntityCount("outlet", r["outlet_id"], r["outlet__name"], r["outlet__slug"], r["n"])
        for r in rows
    ]


def spellings_by_outlet(entity) -> list[dict]:
    """Each way articles write ``entity``'s name, with the outlets using it (1 query).

    Returns ``[{"surface", "count", "outlets": [EntityCount…]}]``, most used spelling first.
    """
    rows = (
        visible_mentions(entity.kind)
        .filter(entity=entity, article_id__in=recent_article_ids(entity))
        .values("surface", "article__outlet_id", "article__outlet__name", "article__outlet__slug")
        .annotate(n=Count("article_id", distinct=True))
        .order_by()
    )
    spellings: dict[str, dict] = {}
    for r in rows:
        entry = spellings.setdefault(
            r["surface"], {"surface": r["surface"], "count": 0, "outlets": []}
        )
        entry["count"] += r["n"]
        if r["article__outlet_id"]:
            entry["outlets"].append(
                EntityCount(
                    "outlet",
                    r["article__outlet_id"],
                    r["article__outlet__name"],
                    r["article__outlet__slug"],
                    r["n"],
                )
            )
    for entry in spellings.values():
        entry["outlets"].sort(key=lambda o: (-o.count, o.name))
    return sorted(spellings.values(), key=lambda e: (-e["count"], e["surface"]))


class YearMonth(Func):
    """The "YYYY-MM" (UTC) of a datetime column, computed by the database itself.

    ``TruncMonth`` on SQLite calls back into Python once per row; on a name found in tens of
    thousands of articles that callback is most of the page's time.
    """

    output_field = CharField()
    template = "SUBSTR(CAST(%(expressions)s AS CHAR(32)), 1, 7)"

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores aware datetimes on SQLite as UTC text: "2025-04-30 12:00:00".
        return self.as_sql(compiler, connection, template="SUBSTR(%(expressions)s, 1, 7)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="TO_CHAR(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM')",
            **extra,
        )


def monthly_counts(articles) -> list[MonthCount]:
    """Articles of a queryset per month of publication (UTC), oldest first (1 query)."""
    rows = (
        articles.filter(published_at__isnull=False)
        .order_by()
        .annotate(month=YearMonth("published_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return [MonthCount(dt.date(int(r["month"][:4]), int(r["month"][5:7]), 1), r["n"]) for r in rows]


def article_ids_newest_first(entity):
    """The distinct ids of the articles mentioning ``entity``, highest (newest stored) first.

    Read from the (entity, article) index alone: sorting a popular name's articles by date would
    read every one of them; ids follow the order articles were stored, which is close to the
    order they were published, and each page is then shown by date.
    """
    return (
        visible_mentions(entity.kind)
        .filter(entity=entity)
        .order_by("-article_id")
        .values_list("article_id", flat=True)
        .distinct()
    )


def articles_by_ids(ids) -> list[Article]:
    """The articles with ``ids`` ready for listing (2 queries), by date, newest first."""
    rows = Article.objects.for_listing().in_bulk(list(ids))
    articles = [rows[pk] for pk in ids if pk in rows]
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(articles, key=lambda a: (a.published_at or oldest, a.pk), reverse=True)


def quotes_by(person, limit: int = 100) -> list[Quote]:
    """Quotes attributed to ``person``, newest stored article first (2 queries).

    The ids come first from the speaker's index, so only the quotes shown join their articles.
    """
    ids = list(
        Quote.objects.filter(speaker=person)
        .order_by("-article_id", "start", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    rows = Quote.objects.select_related("article__outlet", "speaker").in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def claims_in(articles_subquery, limit: int = 200) -> list[Claim]:
    """Claims of the given articles, article and outlet joined (1 query)."""
    return _with_display(
        list(
            Claim.objects.filter(article_id__in=articles_subquery)
            .select_related("article__outlet")
            .order_by("quantity", "subject", "value", "pk")[:limit]
        )
    )


def number(value: float) -> str:
    """A float as people write it: thousands separated, no needless decimals (1,000; 1.2; 87.3)."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1 else f"{value:.3g}"


def claim_display(claim) -> str:
    """A claim's normalised value: "1,000 m", "about 97 %", "2,500,000–3,750,000"."""
    unit = f" {claim.unit}" if claim.unit else ""
    if claim.qualifier:
        return f"{claim.qualifier} {number(claim.value)}{unit}"
    if claim.low != claim.high:
        return f"{number(claim.low)}–{number(claim.high)}{unit}"
    return f"{number(claim.value)}{unit}"


def _with_display(claims):
    for claim in claims:
        claim.display = claim_display(claim)
    return claims


@dataclass
class ClaimGroup:
    """The claims on one subject (same quantity), and whether their ranges all overlap."""

    quantity: str
    subject: str
    claims: list[Claim]
    compare_url: str = ""

    @property
    def agree(self) -> bool:
        """True when one value lies inside every stated [low, high] range."""
        low = max(c.low for c in self.claims)
        high = min(c.high for c in self.claims)
        # A tiny relative tolerance absorbs float noise from unit conversion.
        return low <= high + abs(high) * 1e-9

    @property
    def article_ids(self) -> list[int]:
        return sorted({c.article_id for c in self.claims})


def group_claims(claims) -> list[ClaimGroup]:
    """Group claims by (quantity, subject, case-insensitive); groups with disagreements first."""
    groups: dict[tuple[str, str], ClaimGroup] = {}
    for claim in claims:
        key = (claim.quantity, claim.subject.strip().lower())
        if key not in groups:
            groups[key] = ClaimGroup(claim.quantity, claim.subject, [])
        groups[key].claims.append(claim)
    return sorted(
        groups.values(),
        key=lambda g: (len(g.article_ids) < 2, g.agree, -len(g.article_ids), g.subject.lower()),
    )


def related_events(event, limit: int = 15) -> list[Event]:
    """Events mentioned alongside ``event``, or at its place, by date (1 query)."""
    related = Q(
        pk__in=visible_mentions("event")
        .filter(article_id__in=recent_article_ids(event))
        .values("entity_id")
    )
    if event.place_id:
        related |= Q(place_id=event.place_id)
    return list(
        Event.objects.filter(related)
        .exclude(pk=event.pk)
        .order_by(F("date_start").asc(nulls_last=True), "name")[:limit]
    )


def by_outlet(articles) -> list[tuple]:
    """Group articles by outlet, keeping their order: ``[(outlet or None, [articles…])]``."""
    groups: dict[int | None, list] = defaultdict(list)
    outlets: dict[int | None, object] = {}
    for article in articles:
        groups[article.outlet_id].append(article)
        outlets.setdefault(article.outlet_id, article.outlet)
    return sorted(
        ((outlets[k], v) for k, v in groups.items()),
        key=lambda pair: (pair[0] is None, pair[0].name.lower() if pair[0] else ""),
    )


# -- lists of entities ------------------------------------------------------------------------


def article_count_annotation(kind: str):
    """A correlated subquery counting the articles that mention (or an outlet: publish) a row."""
    if kind == "outlet":
        inner = Article.objects.filter(outlet=OuterRef("pk")).order_by()
        inner = inner.values("outlet").annotate(c=Count("pk")).values("c")
    else:
        inner = visible_mentions(kind).filter(entity=OuterRef("pk")).order_by()
        inner = inner.values("entity").annotate(c=Count("article_id", distinct=True)).values("c")
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def article_counts(kind: str, ids) -> dict[int, int]:
    """The number of articles mentioning (an outlet: publishing) each of ``ids`` (1 query)."""
    if kind == "outlet":
        rows = Article.objects.filter(outlet_id__in=ids).values("outlet_id")
        rows = rows.annotate(n=Count("pk")).values_list("outlet_id", "n")
    else:
        rows = visible_mentions(kind).filter(entity_id__in=ids).values("entity_id")
        rows = rows.annotate(n=Count("article_id", distinct=True)).values_list("entity_id", "n")
    return dict(rows.order_by())


def events_for_timeline(limit: int = 30) -> list[Event]:
    """The most recent dated events with their article counts, oldest first (2 queries)."""
    rows = list(
        Event.objects.filter(date_start__isnull=False).order_by("-date_start", "name")[:limit]
    )
    counts = article_counts("event", [e.pk for e in rows])
    for event in rows:
        event.article_count = counts.get(event.pk, 0)
    rows.reverse()
    return rows


# -- near copies ------------------------------------------------------------------------------


def shingles(text: str, size: int = 5) -> set[int]:
    """Hashes of the overlapping ``size``-word runs of ``text`` (lowercased)."""
    # Whitespace words, punctuation kept: a copy keeps the punctuation too, and split() is
    # several times faster than a word regex on a page's worth of candidates.
    words = text.lower().split()
    if len(words) < size:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1)}


def near_copy_overlaps(text: str, others: list[str], floor: float = 0.5) -> list[float]:
    """``near_copy_overlap`` of ``text`` with each of ``others``, shingling ``text`` once.

    A pair whose word counts differ too much to reach ``floor`` (Jaccard can't exceed the ratio
    of the two sizes) scores 0 without being shingled.
    """
    own = shingles(text)
    size = len(own)
    out = []
    for other in others:
        approx = max(len(other.split()) - 4, 1)
        if not own or min(size, approx) / max(size, approx) < floor:
            out.append(0.0)
            continue
        theirs = shingles(other)
        out.append(len(own & theirs) / len(own | theirs) if theirs else 0.0)
    return out


def near_copy_overlap(a: str, b: str) -> float:
    """The share of word 5-shingles two texts have in common (Jaccard, 0–1).

    Used on a handful of candidates per page: a rewrite of an agency story scores high, two
    independent reports of one event score low.
    """
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
