"""Quotations in an article body and who said them.

``extract_quotes(body, people)`` finds text between quotation marks (straight "…", curly “…”, and
curly single ‘…’ when they quote rather than mark an apostrophe, as in "Russia’s"), then reads the
attribution from the dependency parse: the subject of a speech verb ("said", "added", "declared",
"noted"…) in the words after the quotation ("“…,” Mishustin said") or before it ("Kozlov remarked
that …: “…”"). Pronouns ("he added") resolve to the nearest person named before them outside
quotations; a surname ("Pak said") resolves to the full name in ``people``. "according to X" names
the speaker only when no speech verb does; when X is not a person (a news agency, a statement) it
is returned as ``source`` and ``speaker`` stays empty. A quotation with no attribution that follows
an attributed one in the next sentence continues it ("“…,” Pak said. “It will create …”").

Only quotations of at least four words are returned: shorter quoted words are scare quotes, titles
or nicknames ("the “hermit kingdom”"), not reported speech.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from articles.extraction.nlp import entity_at, parse
from articles.text import split_paragraphs, split_sentences

MIN_WORDS = 4

SPEECH_VERBS = {
    "say", "add", "declare", "remark", "note", "emphasize", "emphasise", "state", "tell", "write",
    "observe", "stress", "insist", "explain", "announce", "continue", "warn", "argue", "claim",
    "recall", "conclude", "comment", "reply", "respond", "ask", "quote", "call", "describe",
    "affirm", "assert", "underscore", "underline", "acknowledge", "admit", "vow", "pledge",
    "promise", "urge", "tweet", "post", "proclaim", "point", "highlight",
}  # fmt: skip
PERSONAL_PRONOUNS = {"he", "she", "they", "him", "her"}

# “…”, with an unclosed quotation running to the end of its paragraph (a quotation that goes on
# in the next paragraph opens again there without having closed).
_CURLY = re.compile(r"“([^“”\n]+)(”|(?=\n)|$)")
_STRAIGHT = re.compile(r'(?<![\w"])"([^"\n]+)"(?!\w)')
# ‘…’ opens after a space or bracket and closes before a non-letter, so "Russia’s" is not a quote.
_SINGLE = re.compile(r"(?<![\w‘’])‘(\w[^‘\n]*?)’(?!\w)")
_ACCORDING_TO = re.compile(r"\baccording to\b", re.I)


@dataclass(frozen=True)
class QuoteCandidate:
    """A quotation and who said it."""

    text: str  # the quoted words, without the quotation marks
    start: int
    end: int
    speaker: str  # canonical person name when resolved, else the attributed name, else ""
    speaker_start: int | None  # offsets of the attributing name ("Mishustin"); None for "he"
    speaker_end: int | None
    sentence_index: int
    source: str = ""  # a non-person attribution: "TASS news agency", "the statement"


@dataclass
class _Quote:
    start: int  # of the quoted words
    end: int
    mark_start: int  # of the opening mark
    mark_end: int  # after the closing mark (== end when unclosed)
    closed: bool


def _find_quotes(body: str) -> list[_Quote]:
    found: list[_Quote] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_CURLY, _STRAIGHT, _SINGLE):
        for m in pattern.finditer(body):
            start, end = m.start(1), m.end(1)
            if any(a <= m.start() < b for a, b in taken):
                continue  # a quotation inside a quotation belongs to the outer one
            closed = m.end() > m.end(1)
            text = body[start:end]
            # Trailing commas belong to the sentence around the quotation, not to the quote.
            stripped = text.rstrip().rstrip(",").rstrip()
            end = start + len(stripped)
            found.append(_Quote(start, end, m.start(), m.end() if closed else end, closed))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda q: q.start)
    return found


def _speech_verb(span: Span | None, nearest_last: bool, inside_quote) -> Token | None:
    if span is None:
        return None
    verbs = [
        t
        for t in span
        if t.lemma_.lower() in SPEECH_VERBS
        and t.pos_ in ("VERB", "AUX")
        and not inside_quote(t.idx)
    ]
    if not verbs:
        return None
    return verbs[-1] if nearest_last else verbs[0]


def _subject_of(verb: Token) -> Token | None:
    current = verb
    for _ in range(5):
        for child in current.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        if current.dep_ in ("advcl", "xcomp", "conj", "pcomp", "ccomp", "prep", "pobj"):
            current = current.head
            continue
        break
    return None


class _Resolver:
    """Turns an attributing token into a person (canonical name) or a non-person source."""

    def __init__(self, doc: Doc, people, quotes: list[_Quote]):
        self.doc = doc
        self.people = sorted(people)
        self.person_ents = [e for e in doc.ents if e.label_ == "PERSON"]
        self.quote_ranges = [(q.start, q.end) for q in quotes]
        # Attributions already resolved: "Pak said" makes Pak the referent of a later "he".
        self.attributed: list[tuple[int, int, str]] = []
        self.names = {word for _s, _e, name in self.people for word in name.split()}

    def inside_quote(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self.quote_ranges)

    def _canonical(self, surface: str, before: int) -> str:
        """The full name in ``people`` that ``surface`` (a surname, say) refers to."""
        words = set(re.split(r"[\s]+", surface.strip()))
        matches = [(s, n) for s, _e, n in self.people if surface == n or words <= set(n.split())]
        earlier = [n for s, n in matches if s < before]
        # The nearest earlier full name wins: "Kim" after "Kim Jong-un" is Kim Jong-un.
        if earlier:
            return earlier[-1]
        return matches[0][1] if matches else surface

    def person_at(self, token: Token) -> tuple[str, int, int] | None:
        for start, end, name in self.people:
            if start <= token.idx < end:
                return name, start, end
        for ent in self.person_ents:
            if ent.start <= token.i < ent.end:
                return self._canonical(ent.text, ent.start_char), ent.start_char, ent.end_char
        return None

    def previous_person(self, offset: int) -> tuple[str, int, int] | None:
        """The nearest person named before ``offset`` outside quotations."""
        candidates = [(s, e, n) for s, e, n in [*self.people, *self.attributed] if e <= offset]
        candidates += [
            (e.start_char, e.end_char, self._canonical(e.text, e.start_char))
            for e in self.person_ents
            if e.end_char <= offset
        ]
        candidates = [c for c in candidates if not self.inside_quote(c[0])]
        if not candidates:
            return None
        start, end, name = max(candidates)
        return name, start, end

    def source_of(self, token: Token) -> str:
        entity = entity_at(token)
        if entity is not None and entity.label_ in ("ORG", "NORP", "GPE"):
            return entity.text
        words = [t for t in token.subtree if t.dep_ not in ("det", "punct") and t.i <= token.i]
        return " ".join(t.text for t in words)

    def resolve(self, token: Token) -> tuple[str, int | None, int | None, str]:
        """(speaker, start, end, source) for the token that names who spoke."""
        speaker, start, end, source = self._resolve(token)
        if speaker and start is not None and token.lower_ not in PERSONAL_PRONOUNS:
            self.attributed.append((start, end, speaker))
        return speaker, start, end, source

    def _resolve(self, token: Token) -> tuple[str, int | None, int | None, str]:
        if token.lower_ in PERSONAL_PRONOUNS:
            person = self.previous_person(token.idx)
            if person:
                return person[0], None, None, ""  # a pronoun is no name: no name offsets
            return "", None, None, ""
        person = self.person_at(token)
        if person:
            return (*person, "")
        if token.pos_ == "PROPN" and (token.text in self.names or not token.ent_type_):
            name = " ".join(t.text for t in token.lefts if t.dep_ == "compound") + " " + token.text
            name = name.strip()
            start = token.idx - (len(name) - len(token.text))
            return self._canonical(name, start), start, token.idx + len(token.text), ""
        if token.pos_ in ("PROPN", "NOUN"):
            return "", None, None, self.source_of(token)
        return "", None, None, ""


def _according_to(doc: Doc, region: Span | None) -> Token | None:
    if region is None:
        return None
    for token in region:
        if token.lower_ == "to" and token.i > 0 and doc[token.i - 1].lower_ == "according":
            for child in token.children:
                if child.dep_ == "pobj":
                    return child
    return None


def _regions(
    doc: Doc, body: str, quote: _Quote, next_start: int, sentences: list, paragraph
) -> tuple[Span | None, Span | None]:
    """The words before a quotation (its sentence so far) and after it (where "X said" goes)."""
    starts = [s.start for s in sentences]

    def sentence_of(offset: int):
        return sentences[max(0, bisect.bisect_right(starts, offset) - 1)] if sentences else None

    limit = min(next_start, paragraph.end if paragraph else len(body))
    # After: to the end of the sentence the quotation ends in ("“…,” Mishustin said.")…
    last = sentence_of(max(quote.end - 1, quote.start))
    post_end = min(limit, max(last.end if last else len(body), quote.mark_end))
    if post_end <= quote.mark_end and last is not None:
        # …or, when the quotation ends its sentence ("“… win?” Smith asked."), a short sentence
        # right after it that starts no quotation of its own.
        following = sentence_of(quote.mark_end + 1)
        gap = body[quote.mark_end : following.start if following else quote.mark_end]
        if (
            following is not None
            and following.start >= quote.mark_end
            and not gap.strip()
            and "\n" not in gap
            and not following.text.startswith(("“", '"', "‘"))
            and len(following.text.split()) <= 8
        ):
            post_end = min(limit, following.end)
    post = doc.char_span(quote.mark_end, post_end, alignment_mode="contract")
    first = sentence_of(quote.start)
    pre = doc.char_span(first.start if first else 0, quote.mark_start, alignment_mode="contract")
    return pre, post


def extract_quotes(
    body: str, people: list[tuple[int, int, str]] = (), doc: Doc | None = None
) -> list[QuoteCandidate]:
    """Return the quotations in ``body`` with their speakers, in order.

    ``people`` holds (start, end, canonical name) for the person mentions found in ``body``.
    """
    if doc is None:
        doc = parse(body)
    sentences = split_sentences(body)
    sentence_starts = [s.start for s in sentences]
    paragraphs = split_paragraphs(body)
    paragraph_starts = [p.start for p in paragraphs]
    quotes = _find_quotes(body)
    resolver = _Resolver(doc, people, quotes)

    def sentence_of(offset: int) -> int:
        return max(0, bisect.bisect_right(sentence_starts, offset) - 1)

    def paragraph_of(offset: int) -> int:
        return max(0, bisect.bisect_right(paragraph_starts, offset) - 1)

    results: list[QuoteCandidate] = []
    previous: tuple[_Quote, QuoteCandidate] | None = None
    for index, quote in enumerate(quotes):
        text = body[quote.start : quote.end]
        if len(text.split()) < MIN_WORDS:
            continue
        sentence_index = sentence_of(quote.start)
        paragraph = paragraphs[paragraph_of(quote.start)] if paragraphs else None
        next_start = quotes[index + 1].mark_start if index + 1 < len(quotes) else len(body)
        pre, post = _regions(doc, body, quote, next_start, sentences, paragraph)

        speaker, s_start, s_end, source = "", None, None, ""
        before_mark = body[max(0, quote.mark_start - 3) : quote.mark_start].strip()
        order = (
            ((pre, True), (post, False))
            if before_mark.endswith(":")
            else (
                (post, False),
                (pre, True),
            )
        )
        for region, nearest_last in order:
            verb = _speech_verb(region, nearest_last, resolver.inside_quote)
            subject = _subject_of(verb) if verb is not None else None
            if subject is not None and not (quote.start <= subject.idx < quote.end):
                speaker, s_start, s_end, source = resolver.resolve(subject)
                break
        if not speaker and not source:
            for region in (post, pre):
                target = _according_to(doc, region)
                if target is not None:
                    speaker, s_start, s_end, source = resolver.resolve(target)
                    break
        if not speaker and not source and previous is not None:
            # An unattributed quotation right after an attributed one goes on with its speaker:
            # "“…,” Pak said. “It will create …”", or a quotation reopened in the next paragraph.
            last_quote, last = previous
            gap = body[last_quote.mark_end : quote.mark_start]
            same_paragraph = "\n" not in gap.strip()
            if last.speaker and (
                sentence_index == last.sentence_index
                or (
                    sentence_index - last.sentence_index <= 2
                    and len(gap.split()) <= 8
                    and (same_paragraph or not last_quote.closed)
                )
            ):
                speaker, source = last.speaker, last.source

        candidate = QuoteCandidate(
            text=text,
            start=quote.start,
            end=quote.end,
            speaker=speaker,
            speaker_start=s_start,
            speaker_end=s_end,
            sentence_index=sentence_index,
            source=source,
        )
        results.append(candidate)
        previous = (quote, candidate)
    return results
