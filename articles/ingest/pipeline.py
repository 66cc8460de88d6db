"""Store what the readers produce: one article, one transaction, one content hash."""

from __future__ import annotations

import hashlib
import queue
import re
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import IntegrityError, connection, connections, transaction

from articles.models import Article, Outlet, Person
from articles.models.articles import article_slug
from articles.models.entities import name_key
from articles.text import without_controls

from .bulk import concurrent_writers, creation_lock, insert_articles
from .types import RawArticle

LOADED, UNCHANGED, UPDATED, FAILED = "loaded", "unchanged", "updated", "failed"

_SPACE = re.compile(r"\s+")
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}")


def content_hash(title: str, body: str) -> str:
    """SHA-256 of the title and body with whitespace normalised: the idempotency key."""
    return _hash_words(title.split(), body.split())


def _hash_words(title_words: list[str], body_words: list[str]) -> str:
    # str.split() and the regex \s use the same notion of whitespace, so this is the hash that
    # articles stored by earlier versions carry; joining split words is several times faster.
    text = " ".join(title_words) + "\n" + " ".join(body_words)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def safe_url(url: str) -> str:
    """``url`` if it is an http(s) URL a page may link to, else "" (no javascript: links)."""
    url = (url or "").strip()
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return ""
    if url.lower().startswith("www."):
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or len(url) > 2000:
        return ""
    return url


@dataclass(slots=True)
class StoreResult:
    """What happened to one article: its status and the row (None on a dry run of a new one, or
    when it failed: then ``error`` says why)."""

    status: str
    article: Article | None
    title: str
    error: str = ""


def resolve_outlet(name: str, domain: str) -> Outlet | None:
    """The outlet the file names, by name, alias or web domain; created if new. Never guessed."""
    name = _SPACE.sub(" ", without_controls(name or "")).strip()[:255]
    domain = without_controls(domain or "").strip().lower()
    if domain and not _HOST.fullmatch(domain.removeprefix("www.")):
        domain = ""  # not a web host ("javascript", "x y.com"): no outlet is made from it
    domain = domain.removeprefix("www.")
    if not name and not domain:
        return None
    found = _find_outlet(name, domain)
    if found is None:
        with creation_lock("outlet", name_key(name or domain)):
            found = _find_outlet(name, domain)
            if found is None:
                found = Outlet(name=name or domain, domain=domain)
                found.save()
                return found
    if name and domain and not found.domain:
        found.domain = domain
        found.save(update_fields=["domain", "updated_at"])
    return found


def _find_outlet(name: str, domain: str) -> Outlet | None:
    if name:
        found = Outlet.objects.by_name(name).first()
        if found:
            return found
    if domain:
        return (
            Outlet.objects.filter(domain=domain).first() or Outlet.objects.by_name(domain).first()
        )
    return None


def resolve_author(name: str) -> Person | None:
    """The person an author byline names (matched by name or alias), created if new."""
    name = _SPACE.sub(" ", without_controls(name or "")).strip()[:255]
    if not name_key(name):
        return None
    found = Person.objects.by_name(name).first()
    if found:
        return found
    with creation_lock("person", name_key(name)):
        found = Person.objects.by_name(name).first()
        if found is None:
            found = Person(name=name)
            found.save()
        return found


def _prepare(raw: RawArticle) -> tuple[dict, str]:
    """The row's fields and its content hash, each text normalised once."""
    body = without_controls(raw.body).strip()
    body_words = body.split()
    title = " ".join(without_controls(raw.title).split())[:500] or "Untitled"
    fields = {
        "title": title,
        "body": body,
        "raw_text": raw.raw_text.replace("\x00", "\ufffd"),
        "url": safe_url(raw.url),
        "language": (raw.language or "en")[:12],
        "source_name": raw.source_name[:500],
        "source_format": raw.format[:10],
        "published_at": raw.published_at,
        "word_count": len(body_words),
    }
    # The title is already single-spaced; cutting it at 500 may leave a trailing space.
    return fields, _hash_words(title.split(), body_words)


def _find_existing(raw: RawArticle) -> Article | None:
    url = safe_url(raw.url)
    if url:
        found = Article.objects.filter(url=url).order_by("id").first()
        if found:
            return found
    if raw.source_name:
        return Article.objects.filter(source_name=raw.source_name).order_by("id").first()
    return None


def store_article(raw: RawArticle, *, update: bool = False, dry_run: bool = False) -> StoreResult:
    """Store one article atomically; loading the same content twice changes nothing.

    With ``update``, an article whose URL or source name matches is refreshed in place (its id and
    page stay). With ``dry_run`` nothing is written and the result says what would happen.
    """
    fields, digest = _prepare(raw)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing:
        return StoreResult(UNCHANGED, existing, existing.title)
    target = _find_existing(raw) if update else None
    if dry_run:
        return StoreResult(UPDATED if target else LOADED, target, fields["title"])
    try:
        with transaction.atomic():
            outlet = resolve_outlet(raw.outlet, raw.outlet_domain)
            if target:
                for name, value in fields.items():
                    setattr(target, name, value)
                target.content_hash = digest
                target.slug = ""
                if outlet:
                    target.outlet = outlet
                target.save()
                article, status = target, UPDATED
            else:
                article = Article.objects.create(content_hash=digest, outlet=outlet, **fields)
                status = LOADED
            authors = [p for p in (resolve_author(n) for n in raw.authors) if p]
            if authors:
                article.authors.set(authors)
    except IntegrityError:
        # Another process stored the same content between our check and our insert.
        existing = Article.objects.filter(content_hash=digest).first()
        if existing is None:
            raise
        return StoreResult(UNCHANGED, existing, existing.title)
    return StoreResult(status, article, article.title)


class Resolver:
    """Outlet and author look-ups remembered across batches, so a load asks once per name."""

    def __init__(self):
        self.outlets: dict[tuple[str, str], Outlet | None] = {}
        self.people: dict[str, Person | None] = {}

    def outlet(self, raw: RawArticle) -> Outlet | None:
        key = (name_key(raw.outlet or ""), (raw.outlet_domain or "").lower())
        if key not in self.outlets:
            self.outlets[key] = resolve_outlet(raw.outlet, raw.outlet_domain)
        return self.outlets[key]

    def author(self, name: str) -> Person | None:
        key = name_key(name)
        if key not in self.people:
            self.people[key] = resolve_author(name)
        return self.people[key]


def store_articles(
    raws: list[RawArticle],
    *,
    update: bool = False,
    dry_run: bool = False,
    resolver: Resolver | None = None,
) -> list[StoreResult]:
    """Store many articles, one result per input, in input order (a failure is a ``FAILED`` result).

    New articles go in with one multi-row INSERT per batch (each row is atomic on its own: a row
    is stored whole or not at all, and a duplicate is skipped by the unique content hash). If the
    batch fails for any other reason, it falls back to ``store_article`` one by one, so one bad
    article never takes the others with it. Updates and dry runs always go one by one.
    Pass one ``Resolver`` to successive calls so each outlet and author is looked up once per load.
    """
    if update or dry_run or len(raws) < 2:
        return [_store_one(raw, update=update, dry_run=dry_run) for raw in raws]
    return _write(raws, resolver or Resolver())()


def _write(raws: list[RawArticle], resolver: Resolver):
    """Prepare a batch here and now; return the call that writes it (in this or another thread)."""
    try:
        prepared = _prepare_batch(raws, resolver)
    except Exception:  # an outlet or author that cannot be resolved: each article on its own
        return lambda: [_store_one(raw) for raw in raws]
    return lambda: _write_batch(prepared)


def _store_one(raw: RawArticle, **options) -> StoreResult:
    """``store_article``, with a failure reported in the result instead of raised."""
    try:
        return store_article(raw, **options)
    except Exception as exc:  # one bad article must not stop the others
        return StoreResult(FAILED, None, raw.title, error=f"{type(exc).__name__}: {exc}")


def store_batches(
    batches: Iterable[list[RawArticle]],
    *,
    update: bool = False,
    dry_run: bool = False,
    resolver: Resolver | None = None,
    writers: int | None = None,
) -> Iterator[list[StoreResult]]:
    """Store successive batches, yielding each batch's results in input order.

    Up to ``writers`` batches (by default as many as suit the engine, see ``bulk.py``) are
    written at once, each on its own database connection, while this thread reads and prepares
    the next: the database's share of storing an article (above all building its search index)
    then runs on several cores. Outlets and authors are resolved
    here, before a batch is handed over, so concurrent writers never race to create one. Inside
    an open transaction (or with one writer, ``--update`` or ``--dry-run``) everything runs in
    the caller's thread and transaction instead.
    """
    resolver = resolver or Resolver()
    writers = concurrent_writers() if writers is None else writers
    if writers < 2 or update or dry_run or connection.in_atomic_block:
        for raws in batches:
            yield store_articles(raws, update=update, dry_run=dry_run, resolver=resolver)
        return
    with _Writers(writers) as pool:
        in_flight: deque[Future] = deque()
        for raws in batches:
            in_flight.append(pool.submit(_write(raws, resolver)))
            while len(in_flight) > writers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()


class _Writers:
    """Threads that each keep one database connection for the whole load, closed at the end."""

    def __init__(self, count: int):
        self.tasks: queue.SimpleQueue = queue.SimpleQueue()
        self.threads = [
            threading.Thread(target=self._work, name=f"store-{n}", daemon=True)
            for n in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def submit(self, function, *args) -> Future:
        future: Future = Future()
        self.tasks.put((future, function, args))
        return future

    def _work(self) -> None:
        try:
            while (task := self.tasks.get()) is not None:
                future, function, args = task
                try:
                    future.set_result(function(*args))
                except BaseException as exc:
                    future.set_exception(exc)
        finally:
            connections.close_all()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        for _ in self.threads:
            self.tasks.put(None)
        for thread in self.threads:
            thread.join()


@dataclass(slots=True)
class _Prepared:
    raw: RawArticle
    article: Article
    authors: list[Person]


def _prepare_batch(raws: list[RawArticle], resolver: Resolver) -> list[_Prepared]:
    prepared = []
    for raw in raws:
        fields, digest = _prepare(raw)
        article = Article(content_hash=digest, outlet=resolver.outlet(raw), **fields)
        article.slug = article_slug(article.title)
        authors = list(dict.fromkeys(filter(None, map(resolver.author, raw.authors))))
        prepared.append(_Prepared(raw, article, authors))
    return prepared


def _write_batch(prepared: list[_Prepared]) -> list[StoreResult]:
    try:
        return _insert_batch(prepared)
    except Exception:
        return [_store_one(item.raw) for item in prepared]


def _insert_batch(prepared: list[_Prepared]) -> list[StoreResult]:
    hashes = [item.article.content_hash for item in prepared]
    slim = Article.objects.only("id", "title", "slug", "content_hash")
    with transaction.atomic():
        # Only the columns results need: re-reading bodies would cost as much as writing them.
        existing = {a.content_hash: a for a in slim.filter(content_hash__in=hashes)}
        new: dict[str, _Prepared] = {}
        for item in prepared:
            digest = item.article.content_hash
            if digest not in existing and digest not in new:
                new[digest] = item
        inserted = insert_articles([item.article for item in new.values()])
        for digest, pk in inserted.items():
            new[digest].article.pk = pk
        through = Article.authors.through
        links = [
            through(article_id=item.article.pk, person_id=person.pk)
            for digest, item in new.items()
            if digest in inserted
            for person in item.authors
        ]
        through.objects.bulk_create(links, ignore_conflicts=True)
    # Rows another writer stored between our check and our insert were skipped: theirs, unchanged.
    others = [digest for digest in new if digest not in inserted]
    if others:
        existing.update({a.content_hash: a for a in slim.filter(content_hash__in=others)})
    results = []
    for item in prepared:
        digest = item.article.content_hash
        if digest in inserted:
            del inserted[digest]  # a second copy in the same batch is unchanged
            results.append(StoreResult(LOADED, item.article, item.article.title))
        else:
            article = existing.get(digest) or new[digest].article
            results.append(StoreResult(UNCHANGED, article, article.title))
    return results
