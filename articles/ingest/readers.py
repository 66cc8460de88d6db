"""Read files into :class:`RawArticle` records: plain text, HTML, JSON and JSON Lines.

Every refusal is a :class:`ReaderError` whose message says why in plain words (the caller adds the
file name). A file that holds several articles and is only partly readable (a JSON array or a JSON
Lines file with some bad items) raises :class:`PartialReadError`, which carries the good articles
and names the bad items, so nothing is dropped without a message.
"""

from __future__ import annotations

import codecs
import datetime as dt
import glob
import json
import re
import sys
from pathlib import Path
from typing import Any, BinaryIO

import lxml.html
import trafilatura
from charset_normalizer import from_bytes

from articles.ingest.cleaning import clean_body, normalise_newlines
from articles.ingest.metadata import (
    Metadata,
    domain_of,
    extract_metadata,
    parse_date,
    split_authors,
)
from articles.ingest.types import RawArticle, ReaderError

MAX_FILE_BYTES = 20 * 1024 * 1024

# Extension -> format; directories are searched for these extensions only.
FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
STDIN = "-"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy encodings in order of how common they are on the web: the tie-break between readings
# charset-normalizer finds equally clean (short texts often read cleanly as Mac or DOS pages too).
_LEGACY_ENCODINGS = (
    "cp1252", "cp1251", "cp1250", "koi8_r", "gb18030", "gbk", "big5", "shift_jis", "euc_jp",
    "euc_kr", "cp949", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "iso8859_15",
    "latin_1", "iso8859_2", "iso8859_5", "tis_620", "cp874",
)  # fmt: skip
_COMMON_ENCODINGS = {name: rank for rank, name in enumerate(_LEGACY_ENCODINGS)}
# Control characters that never occur in text (tab, newline, form feed and carriage return do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|meta|title|div|p|h1)\b", re.IGNORECASE
)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
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


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _directory_files(directory: Path) -> list[Path]:
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file() and path.suffix.lower() in FORMATS and not _is_hidden(path, directory)
    )


def expand_paths(args: list[str]) -> list[str | Path]:
    """Turn command-line arguments into the list of sources to read, in order, without repeats.

    A directory gives its article files (extensions in :data:`FORMATS`), recursively and sorted,
    leaving out hidden files and folders; a glob pattern gives its matches, sorted; "-" stays "-"
    (standard input). A path that does not exist, or a pattern that matches nothing, is kept as
    given so that reading it reports the problem for that argument.
    """
    sources: list[str | Path] = []
    seen: set[str] = set()

    def add(source: str | Path) -> None:
        key = source if source == STDIN else str(Path(source).resolve())
        if key not in seen:
            seen.add(key)
            sources.append(source)

    for arg in args:
        if arg == STDIN:
            add(STDIN)
            continue
        path = Path(arg)
        if any(char in arg for char in "*?[") and not path.exists():
            matches = sorted(glob.glob(arg, recursive=True))
            for match in matches or [arg]:
                match_path = Path(match)
                if match_path.is_dir():
                    for file in _directory_files(match_path):
                        add(file)
                else:
                    add(match_path)
        elif path.is_dir():
            for file in _directory_files(path):
                add(file)
        else:
            add(path)
    return sources


def decode(data: bytes) -> str:
    """Decode file bytes to text with newlines as ``\\n``; raise ReaderError if it is not text.

    UTF-8 (with or without a byte-order mark) and UTF-16/32 with a mark come first; anything else
    goes to charset-normalizer, and where it finds several equally clean legacy readings, the
    encoding most used on the web wins: Windows-1252 first, as in browsers (it is what most
    "Latin-1" text really is), then Windows-1251, and so on.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding))
            except UnicodeDecodeError as error:
                raise ReaderError(f"text is not valid {encoding.upper()}: {error.reason}") from None
    if b"\x00" in data:
        raise ReaderError("file holds binary data (NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(data))
    if not matches:
        raise ReaderError("file is not text in any encoding that could be recognised")
    least_chaos = min(match.chaos for match in matches)
    best = [match for match in matches if match.chaos <= least_chaos + 0.01]
    chosen = min(
        best, key=lambda match: _COMMON_ENCODINGS.get(match.encoding, len(_COMMON_ENCODINGS))
    )
    return _checked(str(chosen))


def _checked(text: str) -> str:
    text = normalise_newlines(text)
    if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        raise ReaderError("file holds binary data (control characters), not text")
    return text


def sniff_format(text: str) -> str:
    """Guess the format of text with no telling extension: "json", "jsonl", "html" or "txt"."""
    start = text.lstrip()
    if start.startswith(("{", "[")):
        try:
            json.loads(text)
        except json.JSONDecodeError:
            lines = [line.strip() for line in text.split("\n") if line.strip()]
            if len(lines) > 1 and all(line.startswith("{") for line in lines):
                return "jsonl"
        return "json"
    if _HTML_START.match(start):
        return "html"
    return "txt"


def _size(count: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


def _read_bytes(source: str | Path, stdin: BinaryIO | None) -> bytes:
    limit = _size(MAX_FILE_BYTES)
    if source == STDIN:
        data = (stdin or sys.stdin.buffer).read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ReaderError(f"input is larger than the limit of {limit}")
        return data
    path = Path(source)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReaderError(f"file is {_size(size)}, over the limit of {limit}")
    try:
        return path.read_bytes()
    except OSError as error:
        raise ReaderError(f"cannot be read: {error.strerror or error}") from None


def read_source(source: str | Path, *, stdin: BinaryIO | None = None) -> list[RawArticle]:
    """Read one file, or standard input for "-", and return its articles.

    The format comes from the extension (see :data:`FORMATS`); standard input and files without an
    extension are sniffed; other extensions are refused. Raises ReaderError with the reason for a
    missing file, a directory, an empty or whitespace-only file, a file over
    :data:`MAX_FILE_BYTES`, binary data, malformed JSON (with line and column) and items without a
    title or body; and PartialReadError when only some articles of a file could be read.
    """
    suffix = ""
    if source != STDIN:
        path = Path(source)
        if not path.exists():
            raise ReaderError("no such file")
        if path.is_dir():
            raise ReaderError("is a directory, not a file")
        suffix = path.suffix.lower()
    if suffix and suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise ReaderError(f"unsupported file type {suffix!r} (readable types: {known})")
    data = _read_bytes(source, stdin)
    if not data:
        raise ReaderError("file is empty")
    text = decode(data)
    if not text.strip():
        raise ReaderError("file holds only whitespace")
    name = "<stdin>" if source == STDIN else str(source)
    fmt = FORMATS.get(suffix) or sniff_format(text)
    if fmt == "html":
        return [parse_html(text, source_name=name)]
    if fmt == "json":
        return parse_json(text, source_name=name)
    if fmt == "jsonl":
        return parse_json_lines(text, source_name=name)
    return [parse_text(text, source_name=name)]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _article(
    *, title: str, text: str, raw_text: str, source_name: str, fmt: str, meta: Metadata
) -> RawArticle:
    """Clean ``text`` into a body (dropping the lines ``meta`` consumed) and build the record."""
    body = clean_body(text, drop_lines=meta.consumed_lines)
    if not body:
        raise ReaderError("no article text besides the title and metadata")
    return RawArticle(
        title=_one_line(title),
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
    )


def parse_text(text: str, *, source_name: str) -> RawArticle:
    """Read a plain-text article: optional ``Key: value`` header, title line, byline, body.

    The title is the header's ``Title:`` or the first line that is not boilerplate; bylines,
    date lines and source notices become metadata and leave the body (see
    :func:`articles.ingest.metadata.extract_metadata`).
    """
    text = normalise_newlines(text)
    meta = extract_metadata(text)
    if not meta.title:
        raise ReaderError("no title: the text has no line that could be a headline")
    return _article(
        title=meta.title, text=text, raw_text=text, source_name=source_name, fmt="txt", meta=meta
    )


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
    title = _one_line(document.title or "")
    if not title:
        raise ReaderError("the HTML page has no title")
    lines = document.text.split("\n")
    if lines and _one_line(lines[0]) == title:
        lines = lines[1:]  # the page's <h1> repeats the title
    body_text = "\n".join(lines)
    meta = extract_metadata(body_text, find_title=False)
    meta.authors = split_authors(document.author or "") or meta.authors
    meta.published_at = parse_date(document.date or "") or meta.published_at
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
    return _article(
        title=title, text=body_text, raw_text=text, source_name=source_name, fmt="html", meta=meta
    )


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
    seconds); ``language``. Bylines and notices inside the body also count when no field gives them.
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
    if isinstance(published, int | float) and not isinstance(published, bool):
        meta.published_at = _from_epoch(published)
    elif isinstance(published, str):
        meta.published_at = parse_date(published)
        if meta.published_at is None:
            raise ReaderError(f"date {published!r} is not a date that can be read")
    language = obj.get("language") or obj.get("lang")
    if isinstance(language, str) and language.strip():
        meta.language = language.strip().lower()
    return _article(
        title=title, text=body, raw_text=raw_text, source_name=source_name, fmt=fmt, meta=meta
    )


def _from_epoch(seconds: float) -> dt.datetime:
    """A Unix time in seconds, or in milliseconds as JavaScript writes it, as a UTC datetime."""
    if abs(seconds) > 1e11:
        seconds /= 1000
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise ReaderError(f"date {seconds!r} is not a Unix time that can be read") from None


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
        _, end = decoder.raw_decode(text, position)
        items.append(text[position:end])
        position = end
    return items


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
        data = json.loads(text)
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
        results.append((where, article))
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
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            results.append(
                (where, ReaderError(f"malformed JSON at column {error.colno}: {error.msg}"))
            )
            continue
        try:
            article = article_from_mapping(obj, raw_text=line, source_name=source_name, fmt="jsonl")
        except ReaderError as error:
            results.append((where, error))
            continue
        results.append((where, article))
    return _collect(results, "lines")
