"""Store what the readers produce: one article, one transaction, one content hash."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from articles.models import Article, Outlet, Person
from articles.models.articles import article_slug
from articles.models.entities import name_key
from articles.text import without_controls

from .types import RawArticle

LOADED, UNCHANGED, UPDATED = "loaded", "unchanged", "updated"

_SPACE = re.compile(r"\s+")
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}")


def content_hash(title: str, body: str) -> str:
    """SHA-256 of the title and body with whitespace normalised: the idempotency key."""
    text = _SPACE.sub(" ", title).strip() + "\n" + _SPACE.sub(" ", body).strip()
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
    """What happened to one article: its status and the row (None on a dry run of a new one)."""

    status: str
    article: Article | None
    title: str


def resolve_outlet(name: str, domain: str) -> Outlet | None:
    """The outlet the file names, by name, alias or web domain; created if new. Never guessed."""
    name = _SPACE.sub(" ", without_controls(name or "")).strip()[:255]
    domain = without_controls(domain or "").strip().lower()
    if domain and not _HOST.fullmatch(domain.removeprefix("www.")):
        domain = ""  # not a web host ("javascript", "x y.com"): no outlet is made from it
    domain = domain.removeprefix("www.")
    if not name and not domain:
        return None
    if name:
        found = Outlet.objects.by_name(name).first()
        if found:
            if domain and not found.domain:
                found.domain = domain
                found.save(update_fields=["domain", "updated_at"])
            return found
    if domain:
        found = (
            Outlet.objects.filter(domain=domain).first() or Outlet.objects.by_name(domain).first()
        )
        if found:
            return found
    outlet = Outlet(name=name or domain, domain=domain)
    outlet.save()
    return outlet


def resolve_author(name: str) -> Person | None:
    """The person an author byline names (matched by name or alias), created if new."""
    name = _SPACE.sub(" ", without_controls(name or "")).strip()[:255]
    if not name_key(name):
        return None
    found = Person.objects.by_name(name).first()
    if found:
        return found
    person = Person(name=name)
    person.save()
    return person


def _fields(raw: RawArticle) -> dict:
    body = without_controls(raw.body).strip()
    return {
        "title": _SPACE.sub(" ", without_controls(raw.title)).strip()[:500] or "Untitled",
        "body": body,
        "raw_text": raw.raw_text.replace("\x00", "\ufffd"),
        "url": safe_url(raw.url),
        "language": (raw.language or "en")[:12],
        "source_name": raw.source_name[:500],
        "source_format": raw.format[:10],
        "published_at": raw.published_at,
        "word_count": len(body.split()),
    }


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
    fields = _fields(raw)
    digest = content_hash(fields["title"], fields["body"])
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
    """Store many articles, one result per input, in input order.

    New articles go in with one multi-row INSERT per batch (each row is atomic on its own: a row
    is stored whole or not at all, and a duplicate is skipped by the unique content hash). If the
    batch fails for any other reason, it falls back to ``store_article`` one by one, so one bad
    article never takes the others with it. Updates and dry runs always go one by one.
    Pass one ``Resolver`` to successive calls so each outlet and author is looked up once per load.
    """
    if update or dry_run or len(raws) < 2:
        return [store_article(r, update=update, dry_run=dry_run) for r in raws]
    prepared = []
    for raw in raws:
        fields = _fields(raw)
        prepared.append((raw, fields, content_hash(fields["title"], fields["body"])))
    try:
        return _store_batch(prepared, resolver or Resolver())
    except Exception:
        return [store_article(raw) for raw, _, _ in prepared]


def _store_batch(prepared, resolver: Resolver) -> list[StoreResult]:
    hashes = [digest for _, _, digest in prepared]
    with transaction.atomic():
        # Only the columns results need: re-reading bodies would cost as much as writing them.
        slim = Article.objects.only("id", "title", "slug", "content_hash")
        existing = {a.content_hash: a for a in slim.filter(content_hash__in=hashes)}
        new = {}
        for raw, fields, digest in prepared:
            if digest not in existing and digest not in new:
                article = Article(content_hash=digest, outlet=resolver.outlet(raw), **fields)
                article.slug = article_slug(article.title)  # bulk_create does not call save()
                new[digest] = (raw, article)
        Article.objects.bulk_create([a for _, a in new.values()], ignore_conflicts=True)
        stored = {a.content_hash: a for a in slim.filter(content_hash__in=list(new))}
        through = Article.authors.through
        links = [
            through(article_id=stored[digest].pk, person_id=person.pk)
            for digest, (raw, _) in new.items()
            for person in filter(None, map(resolver.author, raw.authors))
        ]
        through.objects.bulk_create(links, ignore_conflicts=True)
    results, reported = [], set()
    for _, _, digest in prepared:
        if digest in existing or digest in reported:
            article = existing.get(digest) or stored[digest]
            results.append(StoreResult(UNCHANGED, article, article.title))
        else:
            reported.add(digest)
            results.append(StoreResult(LOADED, stored[digest], stored[digest].title))
    return results
