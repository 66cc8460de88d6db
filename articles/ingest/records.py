"""Build the :class:`RawArticle` record every reader returns, from its title, text and metadata."""

from __future__ import annotations

from articles.ingest.cleaning import clean_body
from articles.ingest.metadata import Metadata, domain_of
from articles.ingest.types import RawArticle, ReaderError


def one_line(text: str) -> str:
    """``text`` with its whitespace runs, newlines included, collapsed to single spaces."""
    return " ".join(text.split())


def build_article(
    *, title: str, text: str, raw_text: str, source_name: str, fmt: str, meta: Metadata
) -> RawArticle:
    """Clean ``text`` into a body (dropping the lines ``meta`` consumed) and build the record."""
    body = clean_body(text, drop_lines=meta.consumed_lines)
    if not body:
        raise ReaderError("no article text besides the title and metadata")
    return RawArticle(
        title=one_line(title),
        body=body,
        raw_text=raw_text,
        source_name=source_name,
        url=meta.url,
        outlet=meta.outlet,
        outlet_domain=meta.outlet_domain or (domain_of(meta.url) if meta.url else ""),
        authors=meta.authors,
        published_at=meta.published_at,
        language=meta.language or "en",
        format=fmt,
        warnings=list(meta.warnings),
    )
