"""Read files into :class:`RawArticle` records: plain text, HTML, JSON and JSON Lines.

Every refusal is a :class:`ReaderError` whose message says why in plain words (the caller adds the
file name). A file that holds several articles and is only partly readable (a JSON array or a JSON
Lines file with some bad items) raises :class:`PartialReadError`, which carries the good articles
and names the bad items, so nothing is dropped without a message.

This module decodes bytes, tells the format and reads plain text; HTML pages are read in
:mod:`articles.ingest.html_reader`, JSON and JSON Lines in :mod:`articles.ingest.json_reader`,
whose public names are re-exported here.
"""

from __future__ import annotations

import codecs
import glob
import json
import re
import sys
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from articles.ingest.cleaning import normalise_newlines
from articles.ingest.html_reader import parse_html
from articles.ingest.json_reader import (
    PartialReadError,
    article_from_mapping,
    parse_json,
    parse_json_lines,
)
from articles.ingest.metadata import extract_metadata
from articles.ingest.records import build_article
from articles.ingest.types import RawArticle, ReaderError

__all__ = [
    "FORMATS",
    "MAX_FILE_BYTES",
    "STDIN",
    "PartialReadError",
    "article_from_mapping",
    "decode",
    "expand_paths",
    "parse_html",
    "parse_json",
    "parse_json_lines",
    "parse_text",
    "read_source",
    "sniff_format",
]

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
    try:
        # UTF-8 cut inside its last character (a truncated download): keep all but that character
        # rather than let a legacy-encoding guess turn the whole text into mojibake.
        return _checked(codecs.getincrementaldecoder("utf-8")().decode(data, final=False))
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
        except RecursionError:
            return "json"  # too deep to read: parse_json reports it
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
    return build_article(
        title=meta.title, text=text, raw_text=text, source_name=source_name, fmt="txt", meta=meta
    )
