"""Run extraction on stored articles and keep its results: mentions, quotes, claims, events.

Extraction has two halves. :func:`compute` is pure (text in, candidates out) and can run in a
worker process; :func:`store` writes one article's results in one transaction. Re-running replaces
what the machine suggested before and keeps every curator decision: confirmed, rejected and
manual mentions stay, a suggestion that duplicates a kept mention is not made again, and neither
is a surface that was rejected in the article or everywhere (``RejectedSurface``).
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.models import CharField, Value
from django.utils import timezone

from articles.extraction.entities import EVENT, PERSON, EntityCandidate, extract_entities
from articles.extraction.gazetteer import Gazetteer, current_gazetteer
from articles.extraction.resolution import fuzzy_person, name_parts
from articles.models import (
    ENTITY_MODELS,
    Article,
    Claim,
    Event,
    MentionMethod,
    MentionStatus,
    Quote,
    RejectedSurface,
)
from articles.models.entities import name_key
from articles.models.mentions import MENTION_MODELS
from articles.text import split_sentences

__all__ = [
    "ExtractionResult",
    "compute",
    "extract_article",
    "extract_articles",
    "rejected_keys",
    "store",
    "store_many",
]

# Below this many articles a worker pool costs more to start than it saves.
PARALLEL_MIN_ARTICLES = 24
# Articles a worker parses in one spaCy batch.
BATCH_SIZE = 4

# Nouns that make a dated phrase an event ("the ground-breaking ceremony on April 30").
EVENT_NOUNS = frozenset(
    """
    visit visits ceremony groundbreaking ground-breaking summit meeting meetings talks signing
    election elections attack attacks war invasion offensive deployment launch conference parade
    inauguration funeral vote referendum exercise exercises drills festival anniversary opening
    visit trip tour forum congress session assembly celebration commemoration strike strikes
    """.split()
)


@dataclass(slots=True)
class ExtractionResult:
    """Everything found in one article body; plain data, so it crosses process boundaries."""

    article_id: int
    entities: list[EntityCandidate] = field(default_factory=list)
    quotes: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    events: list = field(default_factory=list)
    parsed: bool = False  # False when only the gazetteer ran: NER finds, quotes, claims are kept


def _helpers():
    """The quote, claim and event extractors, where they are installed."""
    try:
        from articles.extraction.quotes import extract_quotes
    except ImportError:  # pragma: no cover
        extract_quotes = None
    try:
        from articles.extraction.claims import extract_claims
    except ImportError:  # pragma: no cover
        extract_claims = None
    try:
        from articles.extraction.events import extract_event_phrases
    except ImportError:  # pragma: no cover
        extract_event_phrases = None
    return extract_quotes, extract_claims, extract_event_phrases


def compute(
    article_id: int,
    body: str,
    *,
    gazetteer: Gazetteer | None,
    rejected: frozenset[tuple[str, str]] = frozenset(),
    use_ner: bool = True,
    published_at: dt.datetime | None = None,
    doc=None,
) -> ExtractionResult:
    """Find the entities, quotes, claims and event phrases of one body (no database access).

    The body is parsed once (or ``doc`` is its parse already) and shared by every extractor.
    """
    result = ExtractionResult(article_id)
    if not body.strip():
        return result
    if not use_ner:
        doc = None
    elif doc is None:
        from articles.extraction.nlp import parse

        doc = parse(body)
    result.parsed = doc is not None
    result.entities = extract_entities(
        body, doc=doc, gazetteer=gazetteer, rejected=rejected, use_ner=use_ner
    )
    if doc is None:
        return result
    extract_quotes, extract_claims, extract_event_phrases = _helpers()
    people = [(c.start, c.end, c.name) for c in result.entities if c.kind == PERSON]
    if extract_quotes:
        result.quotes = list(extract_quotes(body, people, doc=doc))
    if extract_claims:
        result.claims = list(extract_claims(body, doc=doc))
    if extract_event_phrases:
        result.events = list(extract_event_phrases(body, doc=doc, published_at=published_at))
    return result


def rejected_keys() -> frozenset[tuple[str, str]]:
    """The (kind, name key) pairs curators rejected everywhere."""
    return frozenset(RejectedSurface.objects.values_list("kind", "key"))


class _Resolver:
    """Finds or creates the entity a candidate names, remembering answers within one article."""

    def __init__(self, gazetteer: Gazetteer | None):
        self.gazetteer = gazetteer
        self.cache: dict[tuple[str, str], object] = {}
        self.created = 0
        self._known_people: dict[str, int] | None = None

    def known_people(self) -> dict[str, int]:
        if self._known_people is None:
            known: dict[str, int] = {}
            if self.gazetteer:
                for spelling, entries in self.gazetteer.entries.items():
                    ids = {e.entity_id for e in entries if e.kind == PERSON}
                    if len(ids) == 1 and len(name_parts(spelling)) >= 2:
                        known[spelling] = ids.pop()
            self._known_people = known
        return self._known_people

    def forget(self) -> None:
        """Drop what was looked up: after a rollback, some of it may no longer exist."""
        self.cache.clear()

    def entity(self, candidate: EntityCandidate):
        model = ENTITY_MODELS[candidate.kind]
        key = (candidate.kind, name_key(candidate.name))
        if key in self.cache:
            return self.cache[key]
        found = None
        if candidate.entity_id:
            found = model.objects.filter(pk=candidate.entity_id).first()
        if found is None:
            found = model.objects.by_name(candidate.name).order_by("-curated", "id").first()
        if found is None and candidate.kind == PERSON:
            pk = fuzzy_person(candidate.name, self.known_people())
            if pk:
                found = model.objects.filter(pk=pk).first()
        if found is None:
            found = model(name=candidate.name[:255], curated=False)
            found.save()
            self.created += 1
        self.cache[key] = found
        return found


def _spelling(candidate: EntityCandidate, body: str) -> str:
    """The spelling a candidate adds to its entity's aliases ("" for a bare surname)."""
    from articles.extraction.resolution import clean_name

    text = clean_name(candidate.surface) if candidate.kind == PERSON else candidate.surface
    text = " ".join(text.split())
    if candidate.kind == PERSON and len(name_parts(text)) < 2:
        return ""
    return text


def _add_aliases(entity, spellings: Iterable[str]) -> None:
    if entity.curated:
        return
    names = set(entity.all_names)
    new = [s for s in spellings if s and s not in names and len(s) <= 255]
    if new:
        entity.aliases = [*entity.aliases, *dict.fromkeys(new)]
        entity.save(update_fields=["aliases", "key", "alias_keys", "slug", "updated_at"])


def _event_words(text: str) -> set[str]:
    """Crude stems of a phrase's words: "ceremonial" and "ceremony" share "cerem"."""
    text = re.sub(r"(?<=\w)[-‐](?=\w)", "", text.lower())
    return {w[:5] for w in re.findall(r"[a-z]+", text) if len(w) > 3} - {"with", "from"}


def _match_event(candidate, events: list[Event]) -> Event | None:
    """The known event a dated phrase refers to.

    A phrase dated to the very day of one known event is that event; a phrase dated more loosely
    (a month) must also share a word with the event's name or aliases.
    """
    if not candidate.date_start:
        return None
    end = candidate.date_end or candidate.date_start
    dated = [e for e in events if e.date_start and candidate.date_start <= e.date_start <= end]
    if candidate.date_start == end:
        same_day = [e for e in dated if e.date_start == end]
        if len(same_day) == 1:
            return same_day[0]
    words = _event_words(candidate.name)
    for event in dated:
        if words & _event_words(" ".join(event.all_names)):
            return event
    return None


# How far from a known event's date an article may be published and still be coverage of it.
COVERAGE_BEFORE = dt.timedelta(days=3)
COVERAGE_AFTER = dt.timedelta(days=45)


def _covered_events(article: Article, place_ids: set[int]) -> list[Event]:
    """Known events this article covers without naming their date.

    Evidence that generalises: the article mentions the event's place, uses at least half (and at
    least two) of the distinctive words of the event's name and aliases, and — when it is dated —
    was published within days of the event. A like event at the same place a year later fails
    the date rule; an undated article needs the words and the place.
    """
    if not place_ids:
        return []
    events = Event.objects.filter(place_id__in=place_ids, date_start__isnull=False)
    if article.published_at:
        day = article.published_at.date()
        events = events.filter(
            date_start__lte=day + COVERAGE_BEFORE, date_start__gte=day - COVERAGE_AFTER
        )
    events = list(events.select_related("place"))
    if not events:
        return []
    body_words = _event_words(article.title + " " + article.body)
    covered = []
    for event in events:
        distinctive = _event_words(" ".join(event.all_names)) - _event_words(
            " ".join(event.place.all_names)
        )
        found = distinctive & body_words
        if len(found) >= 2 and 2 * len(found) >= len(distinctive):
            covered.append(event)
    return covered


def _evidence_span(sentences, event: Event) -> tuple[int, int]:
    """The sentence that shares most words with the event's names: where the coverage shows."""
    words = _event_words(" ".join(event.all_names))
    best = max(
        sentences or [None],
        key=lambda s: len(_event_words(s.text) & words) if s else 0,
    )
    return (best.start, best.end) if best else (0, 0)


def _good_event(candidate) -> bool:
    words = set(re.findall(r"[a-z-]+", candidate.name.lower()))
    return bool(candidate.date_start) and bool(words & EVENT_NOUNS)


def _mentions_of(article: Article):
    """(kind, entity id, start, end, surface, status) of every mention in ``article``: one query."""
    first, *rest = (
        model.objects.filter(article=article)
        .order_by()
        .values_list(
            Value(kind, output_field=CharField()), "entity_id", "start", "end", "surface", "status"
        )
        for kind, model in MENTION_MODELS.items()
    )
    return first.union(*rest, all=True)


def store(
    article: Article,
    result: ExtractionResult,
    *,
    gazetteer: Gazetteer | None = None,
    resolver: _Resolver | None = None,
) -> dict:
    """Write one article's extraction results in one transaction; return counts by kind.

    ``resolver`` may be shared by the articles of one run, so each name is looked up once.
    """
    resolver = resolver or _Resolver(gazetteer)
    with transaction.atomic():
        counts, rows = _prepare(article, result, resolver)
        _write([article], rows)
    return counts


def store_many(
    pairs: list[tuple[Article, ExtractionResult]],
    *,
    gazetteer: Gazetteer | None = None,
    resolver: _Resolver | None = None,
) -> list[dict | Exception]:
    """Write several articles' results, each all or nothing; return counts or the error, in order.

    The rows of all of them go in one transaction with one INSERT per table, which halves the cost
    of storing on PostgreSQL (statements, their triggers and commits were most of it). If
    anything fails, that transaction is undone and each article is stored on its own, so one bad
    article never costs the others.
    """
    resolver = resolver or _Resolver(gazetteer)
    try:
        with transaction.atomic():
            prepared = [_prepare(article, result, resolver) for article, result in pairs]
            _write([article for article, _ in pairs], [r for _, rows in prepared for r in rows])
        return [counts for counts, _ in prepared]
    except Exception:  # noqa: BLE001 — retried one by one below, where the error is reported
        resolver.forget()
    outcomes: list[dict | Exception] = []
    for article, result in pairs:
        try:
            outcomes.append(store(article, result, resolver=resolver))
        except Exception as error:  # noqa: BLE001 — reported by the caller, the run goes on
            resolver.forget()
            outcomes.append(error)
    return outcomes


def _write(articles: list[Article], rows: list) -> None:
    """Insert the prepared rows, one statement per table, and mark the articles extracted."""
    by_model: dict[type, list] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    for model, objects in by_model.items():
        model.objects.bulk_create(objects)
    now = timezone.now()
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(extracted_at=now)
    for article in articles:
        article.extracted_at = now


def _prepare(article: Article, result: ExtractionResult, resolver: _Resolver) -> tuple[dict, list]:
    """Clear what a re-extraction replaces and build the new rows (unsaved); return counts, rows.

    Runs inside the caller's transaction. Entities and events the article names for the first
    time are created here, since the new rows point at them.
    """
    counts = {kind: 0 for kind in MENTION_MODELS}
    counts.update(quotes=0, claims=0, new_entities=0)
    body = article.body
    sentences = functools.cache(lambda: split_sentences(body))  # split once, when first needed
    created_before = resolver.created
    # Machine-made rows exist only once an article was extracted (this function alone writes them
    # and ``_write`` sets ``extracted_at``): a first extraction has nothing to replace.
    first_time = article.extracted_at is None
    # What curators decided stays; a suggestion never repeats a kept mention (same entity
    # and offsets, or same entity and spelling) nor a surface rejected in this article.
    kept: set[tuple] = set()
    kept_entities: set[tuple[str, int]] = set()
    rejected_here: set[tuple[str, str]] = set()
    for model in MENTION_MODELS.values() if not first_time else ():
        replaced = model.objects.machine_made().filter(article=article)
        if not result.parsed:
            replaced = replaced.filter(method=MentionMethod.GAZETTEER)
        replaced.delete()
    for kind, entity_id, start, end, surface, status in _mentions_of(article):
        kept.add((kind, entity_id, start, end))
        kept.add((kind, entity_id, name_key(surface)))
        kept_entities.add((kind, entity_id))
        if status == MentionStatus.REJECTED:
            rejected_here.add((kind, name_key(surface)))

    # One row per entity and spelling: the first occurrence's offsets and how often it occurs.
    rows: dict[tuple[str, int, str], dict] = {}
    spellings: dict[tuple[str, int], list[str]] = {}
    entities: dict[tuple[str, int], object] = {}
    person_ids: dict[str, object] = {}
    for candidate in result.entities:
        if (candidate.kind, name_key(candidate.surface)) in rejected_here:
            continue
        entity = resolver.entity(candidate)
        if candidate.kind == PERSON:
            person_ids[candidate.name] = entity
        ref = (candidate.kind, entity.pk)
        if (*ref, candidate.start, candidate.end) in kept:
            continue
        spellings.setdefault(ref, []).append(_spelling(candidate, body))
        entities[ref] = entity
        if (*ref, name_key(candidate.surface)) in kept:
            continue
        row_key = (candidate.kind, entity.pk, candidate.surface)
        if row_key in rows:
            rows[row_key]["count"] += 1
            continue
        rows[row_key] = {
            "entity": entity,
            "surface": candidate.surface[:255],
            "start": candidate.start,
            "end": candidate.end,
            "count": 1,
            "method": candidate.method,
        }

    # Dated event phrases: link known events, propose new ones on good evidence.
    dates = [d for c in result.events for d in (c.date_start, c.date_end) if d]
    events = list(Event.objects.filter(date_start__range=(min(dates), max(dates)))) if dates else []
    for candidate in result.events:
        event = _match_event(candidate, events)
        if event is None:
            if not _good_event(candidate):
                continue
            if ("event", name_key(candidate.name)) in rejected_here:
                continue
            event = Event.objects.by_name(candidate.name).first()
            if event is None:
                event = Event(
                    name=candidate.name[:255],
                    date_start=candidate.date_start,
                    date_end=candidate.date_end
                    if candidate.date_end != candidate.date_start
                    else None,
                    curated=False,
                )
                event.save()
                resolver.created += 1
                events.append(event)
        ref = (EVENT, event.pk)
        if ref in kept_entities:
            continue
        row_key = (EVENT, event.pk, body[candidate.start : candidate.end])
        if row_key in rows or any(k[:2] == ref for k in rows):
            continue
        rows[row_key] = {
            "entity": event,
            "surface": body[candidate.start : candidate.end][:255],
            "start": candidate.start,
            "end": candidate.end,
            "count": 1,
            "method": MentionMethod.NER,
        }

    # Known events covered without a dated phrase: place, name words and date as evidence.
    place_ids = {pk for kind, pk in entities if kind == "place"}
    place_ids |= {pk for kind, pk in kept_entities if kind == "place"}
    for event in _covered_events(article, place_ids):
        ref = (EVENT, event.pk)
        if ref in kept_entities or any(k[:2] == ref for k in rows):
            continue
        start, end = _evidence_span(sentences(), event)
        rows[(EVENT, event.pk, "")] = {
            "entity": event,
            "surface": body[start:end][:255],
            "start": start,
            "end": end,
            "count": 1,
            "method": MentionMethod.GAZETTEER,
        }

    new_rows = []
    for (kind, _pk, _surface), row in rows.items():
        new_rows.append(
            MENTION_MODELS[kind](article=article, status=MentionStatus.SUGGESTED, **row)
        )
        counts[kind] += 1
    for ref, names in spellings.items():
        _add_aliases(entities[ref], names)

    if not result.parsed:
        counts["new_entities"] = resolver.created - created_before
        return counts, new_rows

    # Quotes and claims carry no curator state: replace them all.
    if not first_time:
        Quote.objects.filter(article=article).delete()
        Claim.objects.filter(article=article).delete()
    quotes = []
    for q in result.quotes:
        speaker = person_ids.get(q.speaker) if q.speaker else None
        if speaker is None and q.speaker:
            speaker = _person_by_name(q.speaker)
        surface = ""
        if q.speaker_start is not None and q.speaker_end is not None:
            surface = body[q.speaker_start : q.speaker_end]
        quotes.append(
            Quote(
                article=article,
                speaker=speaker,
                speaker_surface=(surface or q.speaker)[:255],
                source=(getattr(q, "source", "") or "")[:255],
                text=q.text,
                start=q.start,
                end=q.end,
                sentence_index=q.sentence_index,
            )
        )
    counts["quotes"] = len(quotes)

    claims = [
        Claim(
            article=article,
            quantity=c.quantity[:20],
            value=c.value,
            low=c.low,
            high=c.high,
            unit=(c.unit or "")[:20],
            qualifier=(c.qualifier or "")[:20],
            subject=(c.subject or "")[:255],
            text=c.text[:255],
            sentence=_sentence(sentences(), c.start),
            sentence_index=c.sentence_index,
            start=c.start,
            end=c.end,
        )
        for c in result.claims
    ]
    counts["claims"] = len(claims)
    counts["new_entities"] = resolver.created - created_before
    return counts, [*new_rows, *quotes, *claims]


def _person_by_name(name: str):
    from articles.models import Person

    return Person.objects.by_name(name).order_by("-curated", "id").first()


def _sentence(sentences, offset: int) -> str:
    from articles.text import sentence_at

    sentence = sentence_at(sentences, offset)
    return sentence.text if sentence else ""


def extract_article(article: Article, *, use_ner: bool = True, _resolver=None) -> dict:
    """Extract and store one article's entities, quotes, claims and events; return counts by kind."""
    gazetteer = current_gazetteer()
    result = compute(
        article.pk,
        article.body,
        gazetteer=gazetteer,
        rejected=rejected_keys(),
        use_ner=use_ner,
        published_at=article.published_at,
    )
    if _resolver is not None and _resolver.gazetteer is not gazetteer:
        _resolver.__init__(gazetteer)  # the entities changed: forget what was looked up
    return store(article, result, gazetteer=gazetteer, resolver=_resolver)


# --- Many articles -------------------------------------------------------------------------------

_worker_state: dict = {}


def _work(batch: list[tuple[int, str, dt.datetime | None]]) -> list[ExtractionResult]:
    """Parse a batch of bodies together (spaCy is faster on batches) and extract each."""
    from articles.extraction.nlp import get_nlp

    docs = get_nlp().pipe([body for _pk, body, _published in batch], batch_size=len(batch))
    return [
        compute(
            article_id,
            body,
            gazetteer=_worker_state.get("gazetteer"),
            rejected=_worker_state.get("rejected", frozenset()),
            use_ner=True,
            published_at=published_at,
            doc=doc,
        )
        for (article_id, body, published_at), doc in zip(batch, docs, strict=True)
    ]


def _add(total: dict, counts: dict) -> None:
    for key, value in counts.items():
        total[key] = total.get(key, 0) + value


def extract_articles(
    article_ids: Iterable[int],
    *,
    workers: int = 0,
    use_ner: bool = True,
    progress: Callable[[int, dict], None] | None = None,
) -> dict:
    """Extract many articles; return summed counts plus ``articles`` and ``failed``.

    Small sets run in this process. Large sets with NER are parsed in worker processes (one spaCy
    pipeline each) while this process stores the results, since SQLite takes one writer at a time.
    ``workers=0`` means min(2, CPUs). ``progress(article_id, counts)`` is called after each article.
    """
    ids = list(article_ids)
    total: dict = {"articles": 0, "failed": 0}
    if workers <= 0:
        workers = min(2, os.cpu_count() or 1)
    parallel = use_ner and workers > 1 and len(ids) >= PARALLEL_MIN_ARTICLES

    if not parallel:
        resolver = _Resolver(None)
        for pk in ids:
            article = Article.objects.filter(pk=pk).first()
            if article is None:
                continue
            try:
                counts = extract_article(article, use_ner=use_ner, _resolver=resolver)
            except Exception as error:  # noqa: BLE001 — reported, the run goes on
                total["failed"] += 1
                if progress:
                    progress(pk, {"error": str(error)})
                continue
            total["articles"] += 1
            _add(total, counts)
            if progress:
                progress(pk, counts)
        return total

    gazetteer = current_gazetteer()
    from articles.extraction.nlp import get_nlp

    get_nlp()  # loaded before forking, so the workers share its memory
    _worker_state.update(gazetteer=gazetteer, rejected=rejected_keys())
    items = list(Article.objects.filter(pk__in=ids).values_list("id", "body", "published_at"))
    batches = [items[i : i + BATCH_SIZE] for i in range(0, len(items), BATCH_SIZE)]
    resolver = _Resolver(gazetteer)
    # Forked children must not share the parent's database sockets; inside a transaction (tests)
    # the connection stays, and the children never touch it.
    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        for batch in pool.imap_unordered(_work, batches):
            stored = Article.objects.in_bulk([r.article_id for r in batch])
            pairs = [(stored[r.article_id], r) for r in batch if r.article_id in stored]
            for (article, _result), outcome in zip(
                pairs, store_many(pairs, resolver=resolver), strict=True
            ):
                if isinstance(outcome, Exception):
                    total["failed"] += 1
                    if progress:
                        progress(article.pk, {"error": str(outcome)})
                    continue
                total["articles"] += 1
                _add(total, counts := outcome)
                if progress:
                    progress(article.pk, counts)
    return total
