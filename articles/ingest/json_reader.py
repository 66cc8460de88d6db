"""Read JSON and JSON Lines files into :class:`RawArticle` records.

A file may hold one article object, an array of them, ``{"articles": [...]}``, or one object per
line (JSON Lines). When only some items can be read, :class:`PartialReadError` carries the good
articles and names each bad item by position or line, with its reason.
"""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html

from articles.ingest.cleaning import normalise_newlines
from articles.ingest.dates import ignored_date, parse_unix_time
from articles.ingest.metadata import domain_of, extract_metadata, parse_date, split_authors
from articles.ingest.records import build_article
from articles.ingest.types import RawArticle, ReaderError

_HTML_FRAGMENT = re.compile(r"<(?:p|br|div|h[1-6]|li|ul|ol|span|a|em|strong|b|i)\b[^>]*>", re.I)
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|div|h[1-6]|li|ul|ol|blockquote)\s*>", re.IGNORECASE)

_TITLE_KEYS = ("title", "headline")
_BODY_KEYS = ("body", "text", "content", "article", "articleBody")
_OUTLET_KEYS = ("outlet", "source", "publisher", "site_name", "sitename")
_DATE_KEYS = ("published", "published_at", "date", "datePublished", "pubDate", "publication_date")


class PartialReadError(ReaderError):
    """Some articles of a file were read and some were not.

    ``articles`` holds the good ones, to be stored; the message lists the bad items by line (JSON
    Lines) or by position (JSON arrays) with the reason for each.
    """

    def __init__(self, reason: str, articles: list[RawArticle]):
        super().__init__(reason)
        self.articles = articles


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((obj[key] for key in keys if obj.get(key) not in (None, "", [], {})), None)


def _html_fragment_text(value: str) -> str:
    """Text of a body given as an HTML fragment, one paragraph per line."""
    marked = _BLOCK_END.sub("\n", value)
    return lxml.html.fragment_fromstring(marked, create_parent="div").text_content()


def _name_of(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or ""
    return value.strip() if isinstance(value, str) else ""


def article_from_mapping(
    obj: Any, *, raw_text: str, source_name: str, fmt: str = "json"
) -> RawArticle:
    """Build an article from one JSON object; raise ReaderError if it lacks a title or a body.

    Fields: ``title`` (or ``headline``); ``body``, ``text`` or ``content`` (HTML markup in it is
    reduced to text); ``url``; ``outlet``, ``source`` or ``publisher`` (a string, a domain, or an
    object with ``name`` and ``url``); ``author`` (string) or ``authors`` (list of strings or of
    objects with ``name``); ``published``, ``date`` or ``published_at`` (a written date or Unix
    seconds; one that cannot be used is left out with a warning); ``language``. Bylines and
    notices inside the body also count when no field gives them.
    """
    if not isinstance(obj, dict):
        raise ReaderError(f"expected a JSON object, found {type(obj).__name__}")
    title = _first(obj, _TITLE_KEYS)
    body = _first(obj, _BODY_KEYS)
    if not isinstance(title, str) or not title.strip():
        raise ReaderError('no title (expected a "title" field with text)')
    if not isinstance(body, str) or not body.strip():
        raise ReaderError('no body (expected a "body", "text" or "content" field with text)')
    body = normalise_newlines(body)
    if _HTML_FRAGMENT.search(body):
        body = _html_fragment_text(body)

    meta = extract_metadata(body, find_title=False)
    url = obj.get("url") or obj.get("link")
    if isinstance(url, str) and url.strip():
        meta.url = url.strip()
        meta.outlet_domain = domain_of(meta.url)
    outlet = _first(obj, _OUTLET_KEYS)
    outlet_name = _name_of(outlet)
    if outlet_name:
        if " " not in outlet_name and "." in outlet_name:
            meta.outlet_domain = domain_of(outlet_name)
        else:
            meta.outlet = outlet_name
    if isinstance(outlet, dict) and isinstance(outlet.get("url"), str):
        meta.outlet_domain = domain_of(outlet["url"]) or meta.outlet_domain

    authors = obj.get("authors") or obj.get("author")
    if isinstance(authors, str):
        meta.authors = split_authors(authors)
    elif isinstance(authors, list):
        meta.authors = [name for name in map(_name_of, authors) if name]
    elif isinstance(authors, dict):
        meta.authors = [_name_of(authors)] if _name_of(authors) else meta.authors

    published = _first(obj, _DATE_KEYS)
    if published is not None:
        # A date that cannot be used costs the article its date, never the article itself.
        if isinstance(published, int | float) and not isinstance(published, bool):
            stated = parse_unix_time(published)
        else:
            stated = parse_date(published) if isinstance(published, str) else None
        if stated is None:
            meta.warnings.append(ignored_date(published))
        meta.published_at = stated or meta.published_at
    language = obj.get("language") or obj.get("lang")
    if isinstance(language, str) and language.strip():
        meta.language = language.strip().lower()
    return build_article(
        title=title, text=body, raw_text=raw_text, source_name=source_name, fmt=fmt, meta=meta
    )


def loads(text: str):
    """``json.loads`` that reports input nested too deeply to read as a ReaderError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ReaderError("JSON nested too deeply to read") from None


def _malformed(error: json.JSONDecodeError, where: str = "") -> ReaderError:
    return ReaderError(
        f"malformed JSON{where} at line {error.lineno}, column {error.colno}: {error.msg}"
    )


def _array_item_texts(text: str, count: int) -> list[str] | None:
    """The exact source text of each item of a top-level JSON array, so raw_text loses nothing."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    items = []
    while len(items) < count:
        while text[position] in " \t\n\r,":
            position += 1
        try:
            _, end = decoder.raw_decode(text, position)
        except RecursionError:
            raise ReaderError("JSON nested too deeply to read") from None
        items.append(text[position:end])
        position = end
    return items


def _placed(article: RawArticle, where: str) -> RawArticle:
    """``article`` with its warnings naming the item or line they are about."""
    if where:
        article.warnings = [f"{where}: {warning}" for warning in article.warnings]
    return article


def _collect(results: list[tuple[str, RawArticle | ReaderError]], what: str) -> list[RawArticle]:
    """Return the articles, or raise for the failed items (PartialReadError if some succeeded)."""
    articles = [result for _, result in results if isinstance(result, RawArticle)]
    failures = [
        f"{where}: {result}" if where else str(result)
        for where, result in results
        if isinstance(result, Exception)
    ]
    if not failures:
        return articles
    shown = "; ".join(failures[:5]) + (
        f"; and {len(failures) - 5} more" if len(failures) > 5 else ""
    )
    if articles:
        reason = f"{len(failures)} of {len(results)} {what} could not be read: {shown}"
        raise PartialReadError(reason, articles)
    raise ReaderError(shown if len(results) == 1 else f"no {what} could be read: {shown}")


def parse_json(text: str, *, source_name: str) -> list[RawArticle]:
    """Read a JSON file: one article object, an array of them, or ``{"articles": [...]}``.

    Each article's ``raw_text`` is its own JSON text from the file (for a single object, the whole
    file; for ``{"articles": [...]}``, the item re-serialised). Bad items raise PartialReadError
    naming them by position, with the good articles attached.
    """
    text = normalise_newlines(text)
    try:
        data = loads(text)
    except json.JSONDecodeError as error:
        raise _malformed(error) from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        items = data["articles"]
        raws = [json.dumps(item, ensure_ascii=False, indent=2) for item in items]
    elif isinstance(data, dict):
        items, raws = [data], [text]
    elif isinstance(data, list):
        items = data
        raws = _array_item_texts(text, len(items))
    else:
        raise ReaderError("JSON must be an article object or a list of article objects")
    if not items:
        raise ReaderError("the JSON holds no articles")
    results: list[tuple[str, RawArticle | ReaderError]] = []
    for number, (item, raw) in enumerate(zip(items, raws, strict=True), start=1):
        where = f"item {number}" if isinstance(data, list) or len(items) > 1 else ""
        try:
            article = article_from_mapping(item, raw_text=raw, source_name=source_name)
        except ReaderError as error:
            results.append((where, error))
            continue
        results.append((where, _placed(article, where)))
    return _collect(results, "items")


def parse_json_lines(text: str, *, source_name: str) -> list[RawArticle]:
    """Read JSON Lines: one article object per line; blank lines are allowed.

    Good lines are always read. Bad lines (malformed JSON, no title, no body) raise
    PartialReadError carrying the good articles and naming each bad line by number; if no line is
    good, a plain ReaderError. Each article's ``raw_text`` is its line.
    """
    text = normalise_newlines(text)
    results: list[tuple[str, RawArticle | ReaderError]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            obj = loads(line)
        except json.JSONDecodeError as error:
            results.append(
                (where, ReaderError(f"malformed JSON at column {error.colno}: {error.msg}"))
            )
            continue
        except ReaderError as error:
            results.append((where, error))
            continue
        try:
            article = article_from_mapping(obj, raw_text=line, source_name=source_name, fmt="jsonl")
        except ReaderError as error:
            results.append((where, error))
            continue
        results.append((where, _placed(article, where)))
    return _collect(results, "lines")
