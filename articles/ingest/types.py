"""The plain record every reader produces and the pipeline stores."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class ReaderError(ValueError):
    """A file cannot be read as articles; the message says why, in words a user understands."""


@dataclass(slots=True)
class RawArticle:
    """One article as read from a file, before it becomes a row.

    ``raw_text`` is the text exactly as decoded (nothing lost); ``body`` is the cleaned text that pages
    show and search indexes. ``outlet`` is only set when the file itself names the outlet (a header, a
    JSON field, an "Original Source:" line, HTML metadata): the loader never guesses. ``warnings``
    says, in words a user understands, what the file stated that the record leaves out (a date in
    an impossible year); the loader reports each one with the file's name.
    """

    title: str
    body: str
    raw_text: str
    source_name: str = ""
    url: str = ""
    outlet: str = ""
    outlet_domain: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: dt.datetime | None = None
    language: str = "en"
    format: str = "txt"
    warnings: list[str] = field(default_factory=list)
