"""Paragraphs and sentences of an article body, with character offsets.

Every part of the archive that points into a text (sentence anchors on article pages, the sentence a
claim or quote came from, the comparison view's alignment) uses these two functions, so an offset or
a sentence number means the same thing everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that end with a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sgt", "capt", "rep",
        "sen", "gov", "pres", "rev", "hon", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
        "e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m",
    }
)  # fmt: skip

# Control characters other than tab and newline: invisible in text, refused by XML (feeds) and,
# for NUL, by PostgreSQL. Stripped from what pages show; the raw text keeps a visible stand-in.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def without_controls(text: str) -> str:
    """``text`` with control characters (other than tab and newline) removed; form feeds and
    vertical tabs, which separate lines in converted documents, become newlines."""
    return _CONTROL.sub("", text.replace("\x0c", "\n").replace("\x0b", "\n"))


_PARAGRAPH = re.compile(r"[^\n]+")
# A candidate sentence end: terminal punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9А-ЯЁ])")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the body: its number in order, its offsets and its text."""

    index: int
    start: int
    end: int
    text: str


def split_paragraphs(body: str) -> list[Span]:
    """Return the non-blank lines of ``body`` as paragraphs, stripped, with offsets into ``body``."""
    spans = []
    for match in _PARAGRAPH.finditer(body):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        spans.append(Span(len(spans), start, start + len(stripped), stripped))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[:dot])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    # Single capital initials ("J. Smith") do not end sentences either.
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def split_sentences(body: str) -> list[Span]:
    """Return the sentences of ``body`` in order; a sentence never crosses a paragraph break."""
    sentences: list[Span] = []
    for paragraph in split_paragraphs(body):
        text, offset, cursor = paragraph.text, paragraph.start, 0
        for match in _BOUNDARY.finditer(text):
            if match.group().startswith(".") and _is_abbreviation(text, match.start()):
                continue
            piece = text[cursor : match.end()]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                start = offset + cursor + lead
                sentences.append(Span(len(sentences), start, offset + match.end(), piece.strip()))
            cursor = match.end()
        piece = text[cursor:]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            start = offset + cursor + lead
            sentences.append(Span(len(sentences), start, start + len(piece.strip()), piece.strip()))
    return sentences


def sentence_at(sentences: list[Span], offset: int) -> Span | None:
    """Return the sentence that contains character ``offset``, if any."""
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None
