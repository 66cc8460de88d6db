"""Title, byline, date and provenance read from the text of an article.

Copied news text keeps its metadata as lines of the page: a header block (``Author: …``), a byline
(``By Jane Doe``, ``byJane Doe``, ``Jane Doe, May 10, 2025``), a date line, an ``Original Source:``
or copyright notice at the end. Only lines of those shapes, near the top or the bottom of the text,
count: a date inside a sentence of the story is never taken for the publication date, and an
outlet is never guessed when the text does not name one. The numbers of the lines used are
returned so that cleaning drops them from the body.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from articles.ingest.cleaning import (
    SENTENCE_END,
    SOURCE_LINE,
    boilerplate_line,
    is_shouting,
    normalise_newlines,
)
from articles.ingest.dates import (
    DATE,
    DATE_PREFIX,
    DATE_SEPARATORS,
    MONTHS,
    date_line,
    ignored_date,
    parse_date,
)

# parse_date and date_line are re-exported: callers read dates through this module too.
__all__ = [
    "TOP_LINES",
    "BOTTOM_LINES",
    "Metadata",
    "date_line",
    "domain_of",
    "extract_metadata",
    "parse_byline",
    "parse_date",
    "split_authors",
]

# How many non-blank lines after the title, and before the end, may hold a byline or a date.
TOP_LINES = 6
BOTTOM_LINES = 4

# "By Jane Doe", "BY JANE DOE", "Reporting by Jane Doe" and the glued "byJane Doe" of scraped pages
# (the glued form only before a capital letter, so "Byron" or "bypass" never count).
_BYLINE = re.compile(
    r"^(?i:(?:written|words|story|text|reporting|reported|report)\s+)?"
    r"(?:[Bb]y|BY)(?:\s*:\s*|\s+|(?=[A-Z]))(?P<rest>.+)$"
)
_AUTHOR_LABEL = re.compile(r"^(?:authors?|byline|writers?)\s*:\s*(?P<rest>.+)$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\|)\s*")
_NAME_PARTICLES = frozenset(
    {
        "de", "da", "das", "do", "dos", "del", "della", "der", "den", "di", "du", "la", "le", "van",
        "von", "ter", "ten", "bin", "ibn", "al", "el", "y", "e",
    }
)  # fmt: skip
# Words that show a capitalised phrase is not a name ("By The Associated Press", "By Staff").
_NOT_NAME_WORDS = frozenset(
    {
        "the", "a", "an", "in", "on", "at", "of", "for", "to", "from", "with", "and", "or", "staff",
        "reporter", "correspondent", "editor", "news", "agency", "updated", "published", "posted",
        "share", "follow", "more", "read",
    }
)  # fmt: skip
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_]\.)+$|^[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?$")
_CALENDAR_WORD = re.compile(
    rf"^(?:{MONTHS}|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|today|yesterday)\.?,?$", re.IGNORECASE
)

_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    r"(?P<name>[^.,]+?)\s*[.,]?\s*(?:all\s+rights\s+reserved\.?)?$",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"^(?:www\d?\.)?(?:[a-z0-9-]+\.)+[a-z]{2,24}(?:[/?#]\S*)?$", re.IGNORECASE)

_LOCATED_BYLINE = re.compile(r"^(?P<names>.+?)\s+in\s+(?P<place>[^\W\d_][\w'’.-]*(?:\s+\S+){0,2})$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,24}?)\s*:\s*(?P<value>\S.*)$")
_HEADER_FIELDS = {
    "title": "title",
    "headline": "title",
    "outlet": "outlet",
    "source": "outlet",
    "publication": "outlet",
    "publisher": "outlet",
    "site": "outlet",
    "url": "url",
    "link": "url",
    "source url": "url",
    "canonical": "url",
    "author": "authors",
    "authors": "authors",
    "by": "authors",
    "byline": "authors",
    "date": "published",
    "published": "published",
    "published at": "published",
    "publication date": "published",
    "pubdate": "published",
    "language": "language",
    "lang": "language",
}


@dataclass(slots=True)
class Metadata:
    """What the text says about itself.

    ``consumed_lines`` holds 0-based numbers of lines of ``text.split("\\n")`` (after newline
    normalisation) that were metadata and should not stay in the body. ``warnings`` says what
    the text stated but could not be used (a header's date in year 1), for the loader to report.
    """

    title: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: dt.datetime | None = None
    outlet: str = ""
    outlet_domain: str = ""
    url: str = ""
    language: str = ""
    consumed_lines: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def domain_of(url_or_host: str) -> str:
    """Return the host of a URL or bare domain, lower-cased and without a leading ``www.``."""
    value = url_or_host.strip()
    if "//" not in value:
        value = "//" + value
    host = (urlsplit(value).hostname or "").lower()
    return re.sub(r"^www\d?\.", "", host)


def _name(candidate: str) -> str:
    """Return ``candidate`` if it has the shape of a person's name, else ""."""
    tokens = candidate.strip().strip(".").split()
    if not 2 <= len(tokens) <= 5:
        return ""
    capitalised = 0
    for token in tokens:
        if token.lower() in _NAME_PARTICLES:
            continue
        if (
            not _NAME_TOKEN.match(token)
            or not token[0].isupper()
            or token.lower().strip(".") in _NOT_NAME_WORDS
            or _CALENDAR_WORD.match(token)
        ):
            return ""
        capitalised += 1
    if capitalised < 2:
        return ""
    name = " ".join(tokens)
    # "BY JANE DOE": shouting bylines become ordinary capitalisation.
    return name.title() if name.isupper() else name


def _names(text: str) -> list[str]:
    """Split a list of names; return [] unless every part is a name."""
    parts = [part for part in _NAME_SPLIT.split(text.strip()) if part]
    names = [_name(part) for part in parts]
    return names if names and all(names) else []


def split_authors(value: str) -> list[str]:
    """Split an author field ("A and B", "A; B", "A, B") into names.

    When the parts are not all person-shaped names (for example "Reuters" or "Smith, Jr."), the
    field is split only on semicolons, so nothing in it is lost.
    """
    value = " ".join(value.split())
    if not value:
        return []
    return _names(value) or [part.strip() for part in value.split(";") if part.strip()]


def parse_byline(line: str) -> tuple[list[str], dt.datetime | None] | None:
    """Read a byline: "By A and B", "byA B", "Author: A", "A B, May 10, 2025".

    Returns the authors and the date the line also carries, or None when the line is not a byline.
    After an explicit "By", names may be followed by a date or by a short affiliation
    ("By Jane Doe, Reuters"), which is left out; a bare "Name, date" line must be exactly that.
    """
    text = line.strip()
    labelled = _BYLINE.match(text) or _AUTHOR_LABEL.match(text)
    rest = labelled.group("rest") if labelled else text
    published = None
    date_match = DATE.search(rest)
    if date_match:
        published = parse_date(date_match.group("date"))
        if rest[date_match.end() :].strip(DATE_SEPARATORS) and not labelled:
            return None
        rest = rest[: date_match.start()]
    rest = DATE_PREFIX.sub("", rest.strip(DATE_SEPARATORS)).strip(DATE_SEPARATORS)
    if not rest:
        return None
    if not labelled:
        if published is None:
            return None
        authors = _names(rest)
        return (authors, published) if authors else None
    authors = _names(rest)
    if not authors:
        # "By Jane Doe, Reuters": keep the leading names, drop a short affiliation after them.
        parts = [part for part in _NAME_SPLIT.split(rest) if part]
        while parts and not _name(parts[-1]) and len(parts[-1].split()) <= 4:
            parts.pop()
        authors = _names(", ".join(parts)) if parts else []
    return (authors, published) if authors else None


def _apply_source(meta: Metadata, value: str) -> None:
    value = value.strip().rstrip(".")
    if re.match(r"^https?://", value, re.IGNORECASE):
        meta.url = meta.url or value
        meta.outlet_domain = meta.outlet_domain or domain_of(value)
    elif _DOMAIN.match(value):
        meta.outlet_domain = meta.outlet_domain or domain_of(value)
    elif len(value.split()) <= 6 and value[:1].isupper():
        meta.outlet = meta.outlet or value


def _apply_header(meta: Metadata, key: str, value: str) -> None:
    value = value.strip()
    if key == "title":
        meta.title = value
    elif key == "outlet":
        _apply_source(meta, value)
    elif key == "url":
        meta.url = value
        meta.outlet_domain = meta.outlet_domain or domain_of(value)
    elif key == "authors":
        meta.authors = split_authors(value)
    elif key == "published":
        meta.published_at = parse_date(value)
        if meta.published_at is None:
            meta.warnings.append(ignored_date(value))
    elif key == "language":
        meta.language = value.lower()


def _header_block(lines: list[str], start: int, meta: Metadata) -> int:
    """Read the ``Key: value`` lines at ``start``; return the number of the first line after.

    A block fenced by ``---`` lines (Markdown front matter) is consumed whole, known keys read.
    """
    if lines[start].strip() == "---":
        end = next((n for n in range(start + 1, len(lines)) if lines[n].strip() == "---"), None)
        if end is not None:
            for number in range(start, end + 1):
                match = _HEADER.match(lines[number].strip())
                key = match and _HEADER_FIELDS.get(match.group("key").strip().lower())
                if key:
                    _apply_header(meta, key, match.group("value").strip().strip("\"'"))
                meta.consumed_lines.add(number)
            return end + 1
    number = start
    while number < len(lines):
        match = _HEADER.match(lines[number].strip())
        key = match and _HEADER_FIELDS.get(match.group("key").strip().lower())
        if not key:
            break
        _apply_header(meta, key, match.group("value"))
        meta.consumed_lines.add(number)
        number += 1
    return number


def _affiliation(line: str) -> bool:
    """A short capitalised line such as "Associated Press" or "Staff Writer" under a byline."""
    words = line.split()
    return (
        1 <= len(words) <= 4
        and all(word[:1].isupper() or word.lower() in _NOT_NAME_WORDS for word in words)
        and not any(char.isdigit() for char in line)
        and not SENTENCE_END.search(line)
    )


def _located_byline(line: str) -> list[str]:
    """The names of a "Jane Doe in Seoul" byline, or []."""
    match = _LOCATED_BYLINE.match(line.strip())
    if not match or not all(word[:1].isupper() for word in match.group("place").split()):
        return []
    return _names(match.group("names"))


def _read_line(meta: Metadata, lines: list[str], number: int, *, at_bottom: bool) -> None:
    """Take a byline, date, source or copyright line into ``meta`` and mark it consumed."""
    text = lines[number].strip()
    byline = parse_byline(text)
    if byline:
        authors, published = byline
        meta.authors = meta.authors or authors
        meta.published_at = meta.published_at or published
        meta.consumed_lines.add(number)
        following = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if following and _affiliation(following) and not boilerplate_line(following):
            meta.consumed_lines.add(number + 1)
        return
    # "Jane Doe in Seoul" is a byline only next to a date line, where such bylines stand.
    neighbours = [lines[n] for n in (number - 1, number + 1) if 0 <= n < len(lines)]
    located = _located_byline(text) if any(map(date_line, neighbours)) else []
    if located:
        meta.authors = meta.authors or located
        meta.consumed_lines.add(number)
        return
    published = date_line(text)
    if published:
        meta.published_at = meta.published_at or published
        meta.consumed_lines.add(number)
        return
    source = SOURCE_LINE.match(text)
    if source:
        _apply_source(meta, source.group("value"))
        meta.consumed_lines.add(number)
        return
    copyright_notice = _COPYRIGHT.match(text) if at_bottom else None
    if copyright_notice:
        _apply_source(meta, copyright_notice.group("name"))
        meta.consumed_lines.add(number)


def extract_metadata(text: str, *, find_title: bool = True) -> Metadata:
    """Read title, authors, date, outlet and URL from the text of an article.

    The title is the header's ``Title:`` or else the first non-blank line that is not boilerplate
    (``find_title=False`` skips this, for text whose title is known, such as HTML's). Bylines and
    date lines count only among the first :data:`TOP_LINES` non-blank lines after the title;
    source and copyright notices and "By" bylines also among the last :data:`BOTTOM_LINES`.
    """
    lines = normalise_newlines(text).split("\n")
    meta = Metadata()
    content = [number for number, line in enumerate(lines) if line.strip()]
    if not content:
        return meta
    after_header = _header_block(lines, content[0], meta)
    rest = [number for number in content if number >= after_header]

    before_title: list[int] = []
    if find_title:
        for position, number in enumerate(rest):
            line = _MARKDOWN_HEADING.sub("", lines[number].strip())
            # A headline in capitals is still the headline when it comes first.
            if (boilerplate_line(line) and not is_shouting(line)) or parse_byline(line):
                continue
            if date_line(line):
                continue
            if not meta.title:
                meta.title = line
            if line == meta.title:
                meta.consumed_lines.add(number)
                before_title, rest = rest[:position], rest[position + 1 :]
            break

    # A byline or date may also stand above the headline.
    top, bottom = before_title + rest[:TOP_LINES], rest[-BOTTOM_LINES:]
    for number in top:
        if number not in meta.consumed_lines:
            _read_line(meta, lines, number, at_bottom=number in bottom)
    for number in bottom:
        if number in top or number in meta.consumed_lines:
            continue
        line = lines[number].strip()
        if parse_byline(line) and not (_BYLINE.match(line) or _AUTHOR_LABEL.match(line)):
            continue  # a "Name, date" line at the end is an author's note, not a byline
        _read_line(meta, lines, number, at_bottom=True)
    return meta
