"""An article body as safe HTML: paragraphs, sentence anchors and links on the mentions.

The text is escaped piece by piece and only our own tags are added around the pieces, so nothing an
article contains can become markup. Mentions are placed by their stored offsets into ``body``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from articles.models.entities import entity_url
from articles.text import split_paragraphs, split_sentences


def escaped(value) -> str:
    """``conditional_escape`` for hot loops: markup (``__html__``) as is, anything else escaped.

    The same result as Django's (which is ``html.escape`` of the text), without its lazy-string
    wrapper, which cost more than the escaping on pages that escape thousands of values.
    """
    markup = getattr(value, "__html__", None)
    return markup() if markup is not None else html.escape(str(value))


def html_format(format_string: str, *args) -> SafeString:
    """``format_html`` for hot loops: every argument escaped (unless it is markup), then formatted."""
    return mark_safe(format_string.format(*map(escaped, args)))


def html_join(separator: str, format_string: str, rows) -> SafeString:
    """``format_html_join``: ``html_format`` of each row's arguments, joined by ``separator``."""
    return mark_safe(separator.join(format_string.format(*map(escaped, row)) for row in rows))


@dataclass(frozen=True, slots=True)
class Link:
    """A stretch of the body to link: offsets, target URL, kind and a tooltip."""

    start: int
    end: int
    url: str
    kind: str
    title: str


def links_from_mentions(body: str, mentions) -> list[Link]:
    """Links for the mentions whose offsets still point at their surface text, without overlaps.

    Mentions are model rows with ``start``, ``end``, ``surface`` and ``entity`` (joined). When two
    overlap, the earlier one wins, then the longer one.
    """
    candidates = []
    for m in mentions:
        if m.start is None or m.end is None or not (0 <= m.start < m.end <= len(body)):
            continue
        # Offsets from an older version of the body would link the wrong words: skip them.
        if m.surface and body[m.start : m.end].casefold() != m.surface.casefold():
            continue
        entity = m.entity
        candidates.append(
            Link(
                m.start,
                m.end,
                entity_url(entity.kind, entity.slug),
                entity.kind,
                f"{entity.kind}: {entity.name}",
            )
        )
    candidates.sort(key=lambda link: (link.start, -(link.end - link.start)))
    links: list[Link] = []
    for link in candidates:
        if links and link.start < links[-1].end:
            continue
        links.append(link)
    return links


def _fragment(body: str, start: int, end: int, links: list[Link]) -> str:
    """Escaped ``body[start:end]`` with the links that fall wholly inside it."""
    out, cursor = [], start
    for link in links:
        if link.start < start or link.end > end:
            continue
        out.append(html.escape(body[cursor : link.start]))
        out.append(
            html_format(
                '<a class="mention mention-{}" href="{}" title="{}">{}</a>',
                link.kind,
                link.url,
                link.title,
                body[link.start : link.end],
            )
        )
        cursor = link.end
    out.append(html.escape(body[cursor:end]))
    return "".join(out)


def body_html(body: str, links: list[Link]) -> list[SafeString]:
    """The body as a list of paragraph contents (safe HTML), each sentence in an anchored span.

    Sentence ``i`` (numbered as ``articles.text.split_sentences`` numbers it) gets ``id="s{i}"``
    and a small permalink, so quotes and claims can point at it.
    """
    sentences = split_sentences(body)
    paragraphs = []
    si = 0
    for paragraph in split_paragraphs(body):
        parts, cursor = [], paragraph.start
        while si < len(sentences) and sentences[si].end <= paragraph.end:
            s = sentences[si]
            if s.start > cursor:
                parts.append(_fragment(body, cursor, s.start, links))
            parts.append(
                html_format(
                    '<span class="sentence" id="s{}">{}<a class="cite" href="#s{}" tabindex="-1" '
                    'title="Permalink to this sentence" aria-hidden="true">#</a></span>',
                    s.index,
                    mark_safe(_fragment(body, s.start, s.end, links)),  # escaped by _fragment
                    s.index,
                )
            )
            cursor = s.end
            si += 1
        if cursor < paragraph.end:
            parts.append(_fragment(body, cursor, paragraph.end, links))
        paragraphs.append(mark_safe("".join(parts)))  # built from escaped pieces
    return paragraphs
