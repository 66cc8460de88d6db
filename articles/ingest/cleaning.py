"""Turn an article's text into a clean body: no site furniture, tidy whitespace.

News pages copied or scraped into text carry the same furniture whatever the site: language
switchers, "Follow us" and "Share this" prompts, newsletter pitches, shouted cross-promotion
headlines, "Related content" lists, photo credits, pull quotes repeated from the text. The rules
here describe those shapes, never a particular article, and :func:`boilerplate_line` exposes them
so that entity extraction can refuse to take names from such lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

from articles.text import split_sentences

# Characters that render as nothing or as a plain space.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# "EN|FR|RU", "EN / DE", "English | Français | Русский".
_LANGUAGE_SWITCHER = re.compile(r"^[^\W\d_]{2,12}(?:\s*[|/·•]\s*[^\W\d_]{2,12})+$")
_LANGUAGE_CODE_LIST = re.compile(r"^(?:[A-Z]{2}\s+){2,}[A-Z]{2}$")

# Whole lines that are navigation, sharing or promotion prompts, in any site's wording.
_PROMPT = re.compile(
    r"""^(?:
        follow\s+us(?:\s+on)?(?:\s+\w+)?
      | share(?:\s+(?:this|the|on|via)(?:\s+\w+)?)?
      | share\s+this\s+(?:article|story|post|page)
      | (?:tweet|print|e-?mail|copy\s+link|whatsapp|facebook|twitter|linkedin|telegram)
      | subscribe\b.*
      | sign\s+up\b.*\b(?:newsletter|alerts?|updates|email)\b.*
      | (?:get|receive)\s+(?:our|the)\s+.*\bnewsletter\b.*
      | (?:join|download)\s+(?:us|our\s+app)\b.*
      | click\s+here\b.*
      | advertisement | sponsored(?:\s+content)? | ad
      | skip\s+to\s+(?:main\s+)?content
      | (?:accept|manage)\s+cookies.*
      | (?:leave\s+a\s+)?comments?(?:\s*\(\d+\))?
      | (?:all\s+rights\s+reserved)
      | (?:back\s+to\s+top)
      | read\s+(?:more|also|next)
      | listen\s+to\s+(?:this\s+)?(?:article|story)(?:\s+\d+\s+min)?
      | \d+\s+min(?:ute)?s?\s+read
    )\s*[:.!…»›>]*\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Headings that introduce a list of links to other stories; the list runs on after them.
_RELATED_HEADING = re.compile(
    r"""^(?:
        related(?:\s+(?:content|articles?|stories|posts|news|coverage|topics|reading))?
      | more\s+(?:on|about)\s+(?:this|the)\s+(?:topic|story|subject)
      | more\s+(?:from|in)\s+[\w\s&'-]{1,40}
      | more\s+(?:news|stories|articles)
      | (?:you\s+)?(?:may|might)\s+(?:also\s+)?(?:like|be\s+interested\s+in)
      | (?:recommended|suggested)(?:\s+(?:for\s+you|articles|stories|reading))?
      | (?:most\s+(?:read|popular|viewed)|trending(?:\s+now)?|top\s+stories|latest\s+news)
      | see\s+also | further\s+reading | read\s+more\s+(?:on|about)\s+[\w\s-]{1,40}
    )\s*[:.…»›>]*\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# "Original Source: www.example.com", "Source: Reuters" — provenance, read by metadata.
# The colon is required after "Source", so "Sources close to the Kremlin said…" stays content.
SOURCE_LINE = re.compile(
    r"^(?:(?:original\s+)?source\s*:"
    r"|(?:this\s+(?:article|story|piece|report)\s+(?:was\s+)?)?(?:originally|first)\s+"
    r"(?:published|appeared|ran)\s+(?:at|in|on|by)\s*:?)"
    r"\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)

# A photo caption or credit: "Putin meets Kim. Credit: Kremlin.ru", "Photo: AFP".
_CAPTION = re.compile(
    r"""(?:^|[\s.;|(])(?:photo(?:graph)?s?|image|picture|pic|credit|illustration|video)
        (?:\s+(?:credit|by|courtesy))?\s*:\s*[\w&'’ /.,@-]{0,60}[\w)]\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4}))", re.IGNORECASE)

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙■□➢►▶✓✔]|[-*–](?=\s))\s*")
# The end of a sentence: terminal punctuation, perhaps inside closing quotes or brackets.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def normalise_newlines(text: str) -> str:
    """Return ``text`` with Windows (CRLF) and old Mac (CR) line ends as ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _normalise_line(line: str) -> str:
    line = _INVISIBLE.sub("", line)
    return _SPACES.sub(" ", line).strip()


def is_shouting(line: str) -> bool:
    """A headline set entirely in capitals: a promotion for another story, not prose.

    Short capitalised lines ("NATO", "UN SECURITY COUNCIL") can be real content, so only lines of
    several words and a fair number of letters count.
    """
    if not line.isupper():  # no lower-case letter at all
        return False
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    return len(words) >= 5 and sum(c.isalpha() for c in line) >= 25


def boilerplate_line(line: str) -> bool:
    """Return True if ``line`` is site furniture rather than article content.

    Covers language switchers, follow/share/subscribe prompts, related-content headings, lines of
    lone punctuation, shouted all-capital headlines, source and copyright notices and photo
    credits. Entity, quote and claim extraction should skip these lines.
    """
    text = _normalise_line(line)
    if not text:
        return False
    if not any(c.isalnum() for c in text):
        return True
    return bool(
        _LANGUAGE_SWITCHER.match(text)
        or _LANGUAGE_CODE_LIST.match(text)
        or _PROMPT.match(text)
        or _RELATED_HEADING.match(text)
        or SOURCE_LINE.match(text)
        or _COPYRIGHT.match(text)
        or _CAPTION.search(text)
        or is_shouting(text)
    )


def _is_link_title(line: str) -> bool:
    """A short line without a final full stop: the shape of a headline in a list of links."""
    return len(line.split()) <= 18 and not SENTENCE_END.search(line)


def _sentence_key(text: str) -> str:
    return text.casefold().rstrip(" .!?…\"'”’")


def _pull_quotes(lines: list[str]) -> set[str]:
    """Lines that repeat, for display, a sentence found inside a longer paragraph of the text.

    A pull quote has no final full stop and is long; it is found by comparing it with the
    sentences of the other paragraphs, so the work stays linear in the length of the text.
    """
    candidates = {
        _sentence_key(line) for line in lines if len(line) >= 40 and not SENTENCE_END.search(line)
    }
    if not candidates:
        return set()
    in_paragraphs: Counter[str] = Counter()
    for line in lines:
        if _sentence_key(line) in candidates:
            continue
        for sentence in split_sentences(line):
            key = _sentence_key(sentence.text)
            if key in candidates:
                in_paragraphs[key] += 1
    return set(in_paragraphs)


def clean_body(text: str, *, drop_lines: Collection[int] = ()) -> str:
    """Return the article body of ``text`` without furniture and with tidy whitespace.

    ``drop_lines`` holds 0-based numbers of lines of ``text.split("\\n")`` to leave out, such as
    the title, byline and date lines that metadata extraction consumed. Besides the lines
    :func:`boilerplate_line` recognises, a related-content heading takes the list of short headline
    lines after it with it, and a pull quote (a line repeated inside another paragraph) goes.
    Bullet glyphs become "• " so list items stay recognisable. Runs of blank lines become one,
    spaces are collapsed, and lines lose their surrounding whitespace.
    """
    lines = [_normalise_line(line) for line in normalise_newlines(text).split("\n")]
    kept: list[str] = []
    in_related_list = False
    for number, line in enumerate(lines):
        if number in drop_lines:
            continue
        if not line:
            kept.append("")
            continue
        if _RELATED_HEADING.match(line):
            in_related_list = True
            continue
        if in_related_list:
            if _is_link_title(line):
                continue
            in_related_list = False  # prose again: the list was only part of the page
        if boilerplate_line(line):
            continue
        line = _MARKDOWN_HEADING.sub("", line)
        bullet = _BULLET.match(line)
        if bullet and len(line) > bullet.end():
            line = "• " + line[bullet.end() :]
        kept.append(line)

    pull_quotes = _pull_quotes(kept)
    paragraphs = [line for line in kept if not line or _sentence_key(line) not in pull_quotes]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(paragraphs)).strip("\n")
