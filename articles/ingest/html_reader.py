"""Read an HTML page into a :class:`RawArticle` with trafilatura: main text and page metadata."""

from __future__ import annotations

import re

import trafilatura

from articles.ingest.cleaning import normalise_newlines
from articles.ingest.dates import ignored_date
from articles.ingest.metadata import domain_of, extract_metadata, parse_date, split_authors
from articles.ingest.records import build_article, one_line
from articles.ingest.types import RawArticle, ReaderError

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def parse_html(text: str, *, source_name: str) -> RawArticle:
    """Read an HTML page with trafilatura: main text without navigation, plus page metadata.

    The outlet is the page's own name for itself (og:site_name or publisher metadata); a bare
    domain there, or the canonical URL, gives only ``outlet_domain``.
    """
    text = normalise_newlines(text)
    document = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # Only dates the page states as its own, never guesses from text or links.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or not (document.text or "").strip():
        raise ReaderError("no article text found in the HTML page")
    title = one_line(document.title or "")
    if not title:
        raise ReaderError("the HTML page has no title")
    lines = document.text.split("\n")
    if lines and one_line(lines[0]) == title:
        lines = lines[1:]  # the page's <h1> repeats the title
    body_text = "\n".join(lines)
    meta = extract_metadata(body_text, find_title=False)
    meta.authors = split_authors(document.author or "") or meta.authors
    if document.date:
        published = parse_date(document.date)
        if published is None:
            meta.warnings.append(ignored_date(document.date))
        meta.published_at = published or meta.published_at
    meta.url = document.url or meta.url
    sitename = (document.sitename or "").strip()
    if sitename and "." in sitename and domain_of(sitename) and " " not in sitename:
        meta.outlet_domain = domain_of(sitename)
    elif sitename:
        meta.outlet = sitename
    if document.url:
        meta.outlet_domain = domain_of(document.url)
    declared = _HTML_LANG.search(text)
    language = document.language or (declared.group(1) if declared else "")
    meta.language = (language or meta.language or "en").lower()
    return build_article(
        title=title, text=body_text, raw_text=text, source_name=source_name, fmt="html", meta=meta
    )
