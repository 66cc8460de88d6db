"""Dated happenings an article reports: "Lavrov visited Pyongyang in July 2023", "the ceremony on
April 30".

``extract_event_phrases(body)`` finds calendar dates (day and month, month and year, or all three),
then asks the dependency parse what the date is attached to. Only a noun that names a happening
("visit", "ceremony", "groundbreaking", "treaty"…) or a verb that reports one ("visited", "signed",
"held a …") makes an event, so the result favours precision over recall. The name is short and
normalised: the happening, who did it (a surname) and where it went ("Putin visit to Pyongyang").
A date without a year takes the year of ``published_at``; weekdays and bare years are skipped.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from spacy.tokens import Doc, Token

from articles.extraction.nlp import entity_at, parse
from articles.text import split_sentences

# English month names, spelled out here rather than taken from the (locale-dependent) calendar.
_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()
MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(_MONTH_NAMES, start=1)}
MONTH_NUMBERS.update({name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, start=1)})
MONTH_NUMBERS["sept"] = 9
_MONTH = (
    "(?:"
    + "|".join(
        sorted({*_MONTH_NAMES, *(n[:3] for n in _MONTH_NAMES), "Sept"}, key=len, reverse=True)
    )
    + r")\.?"
)
_DAY = r"(?:[12]?\d|3[01])(?:st|nd|rd|th)?"
DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?!\d)(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH})(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<m3>{_MONTH})\s+(?:of\s+)?(?P<y3>\d{{4}}))\b"
)

# Nouns that name a happening, and verbs that report one (verb -> its noun).
EVENT_NOUNS = {
    "visit", "trip", "tour", "meeting", "summit", "talks", "ceremony", "groundbreaking",
    "inauguration", "opening", "launch", "signing", "conference", "forum", "election", "vote",
    "referendum", "attack", "strike", "invasion", "offensive", "deployment", "treaty", "agreement",
    "accord", "deal", "parade", "exercise", "drill", "celebration", "festival", "anniversary",
    "speech", "address", "announcement", "session", "congress", "test", "explosion", "earthquake",
    "flood", "crash", "protest", "rally", "funeral", "wedding", "coup", "ceasefire", "truce",
}  # fmt: skip
EVENT_VERBS = {
    "visit": "visit",
    "meet": "meeting",
    "sign": "signing",
    "attack": "attack",
    "invade": "invasion",
    "deploy": "deployment",
    "inaugurate": "inauguration",
    "announce": "announcement",
    "vote": "vote",
    "elect": "election",
    "test": "test",
    "launch": "launch",
    "open": "opening",
    "begin": "start",
    "start": "start",
}
# Verbs whose object is the happening: "held a ceremonial groundbreaking".
HOLDING_VERBS = {"hold", "host", "stage", "organize", "organise", "attend", "conduct", "celebrate"}
_SKIP_ADJECTIVES = {"official", "first", "new", "recent", "last", "historic", "major"}


@dataclass(frozen=True)
class EventCandidate:
    """A happening the article dates."""

    name: str  # "Putin visit to Pyongyang", "ceremonial groundbreaking"
    date_start: date | None
    date_end: date | None
    date_text: str  # the date as written
    start: int  # of the whole phrase (happening and date)
    end: int
    sentence_index: int


def _resolve_date(m: re.Match, published_at: datetime | None) -> tuple[date | None, date | None]:
    month_text = (m["m1"] or m["m2"] or m["m3"]).rstrip(".").lower()
    month = MONTH_NUMBERS.get(month_text)
    day_text = m["d1"] or m["d2"]
    year_text = m["y1"] or m["y2"] or m["y3"]
    if year_text:
        year = int(year_text)
    elif published_at is not None:
        year = published_at.year
    else:
        return None, None
    if not month:
        return None, None
    if day_text:
        day = int(re.match(r"\d+", day_text).group())
        try:
            value = date(year, month, day)
        except ValueError:
            return None, None
        return value, value
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


def _surname(token: Token) -> str | None:
    """The last word of the person named at ``token`` ("Vladimir Putin’s" -> "Putin")."""
    if token.ent_type_ == "PERSON" or token.pos_ == "PROPN":
        return token.text
    return None


def _name_at(token: Token) -> str:
    """The whole proper name ``token`` belongs to ("Kim Jong-un", "North Korea")."""
    entity = entity_at(token)
    if entity is not None:
        return entity.text
    words = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
    return " ".join(t.text for t in [*words, token])


def _place(token: Token) -> str | None:
    """ "to Pyongyang" / "with Kim Jong-un" among ``token``'s dependents."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "in", "with"):
            for obj in child.children:
                if (
                    obj.dep_ == "pobj"
                    and obj.pos_ == "PROPN"
                    and obj.lower_.rstrip(".") not in MONTH_NUMBERS
                ):
                    return f"{child.lower_} {_name_at(obj)}"
        if child.dep_ == "dobj" and child.ent_type_ in ("GPE", "LOC"):
            return f"to {_name_at(child)}"
    return None


def _modifier_words(noun: Token) -> list[str]:
    """Descriptive words before ``noun``, keeping hyphenated ones whole ("ground-breaking")."""
    words: list[str] = []
    for t in noun.lefts:
        if t.dep_ not in ("amod", "compound") or t.pos_ not in ("ADJ", "NOUN", "VERB"):
            continue
        if t.lower_ in _SKIP_ADJECTIVES or t.ent_type_:
            continue
        parts = [p for p in t.subtree if p.pos_ != "DET"]
        text = "".join(p.text_with_ws for p in parts).strip().lower()
        words.append(re.sub(r"\s*-\s*", "-", text))
    return words


def _noun_name(noun: Token) -> str:
    words = _modifier_words(noun)
    actor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if actor is None:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "by":
                actor = next((g for g in child.children if g.dep_ == "pobj"), None)
    parts = []
    if actor is not None and _surname(actor):
        parts.append(_surname(actor))
    parts += [*words, noun.lemma_.lower() if noun.tag_ != "NNS" else noun.lower_]
    place = _place(noun)
    if place:
        parts.append(place)
    return " ".join(parts)


def _verb_name(verb: Token) -> str | None:
    lemma = verb.lemma_.lower()
    if lemma in HOLDING_VERBS:
        # "held a ceremonial groundbreaking"; passive: "elections were held"
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
        return _noun_name(obj) if obj is not None and obj.pos_ == "NOUN" else None
    noun = EVENT_VERBS.get(lemma)
    if noun is None:
        return None
    if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":
        # "a defense agreement signed in June 2024", "a railway crossing opened in 1959"
        return f"{_noun_name(verb.head)} {noun}"
    parts = []
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.ent_type_ == "PERSON":
        parts.append(subject.text)
    if noun in ("start", "launch", "signing"):
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.pos_ == "NOUN":
            parts.append(f"{obj.lemma_.lower()} {noun}")
        else:
            parts.append(noun)
    else:
        parts.append(noun)
    place = _place(verb)
    if place:
        parts.append(place)
    return " ".join(parts)


def _attachment(tokens: list[Token]) -> Token | None:
    """The word a date phrase modifies: through "on"/"in"/"since", or directly."""
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in ids]
    if not roots:
        return None
    root = roots[0]
    head = root.head
    if root.dep_ == "pobj" and head.pos_ == "ADP":
        if head.lower_ not in ("on", "in", "during", "at"):
            return None  # "since February 2024", "by mid-2026" frame a period, not an event
        return head.head
    if root.dep_ in ("npadvmod", "compound", "nmod", "nummod", "appos"):
        return head
    return None


def extract_event_phrases(
    body: str, doc: Doc | None = None, published_at: datetime | None = None
) -> list[EventCandidate]:
    """Return the dated happenings in ``body``, in order of their dates' appearance."""
    if doc is None:
        doc = parse(body)
    sentences = split_sentences(body)
    starts = [s.start for s in sentences]
    events: list[EventCandidate] = []
    for m in DATE_RE.finditer(body):
        date_start, date_end = _resolve_date(m, published_at)
        if date_start is None:
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        target = _attachment(list(span))
        if target is None:
            continue
        found: list[tuple[str, Token]] = []
        if target.pos_ == "NOUN" and target.lemma_.lower() in EVENT_NOUNS | {"talk"}:
            found.append((_noun_name(target), target))
        elif target.pos_ in ("VERB", "AUX"):
            name = _verb_name(target)
            subject = next((c for c in target.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if name:
                found.append((name, target))
            elif subject is not None and subject.lemma_.lower() in EVENT_NOUNS:
                # "an earthquake struck central Italy on 24 August 2016"
                found.append((_noun_name(subject), subject))
            # "In June 2024, during Putin’s visit to Pyongyang, they signed …"
            for child in target.children:
                if child.dep_ == "prep" and child.lower_ == "during":
                    for obj in child.children:
                        if obj.dep_ == "pobj" and obj.lemma_.lower() in EVENT_NOUNS:
                            found.append((_noun_name(obj), obj))
        for name, anchor in found:
            index = max(0, bisect.bisect_right(starts, m.start()) - 1)
            sentence = sentences[index] if sentences else None
            if anchor.dep_ == "acl" and anchor.head.pos_ == "NOUN":
                anchor = anchor.head  # the phrase is "a defense agreement signed …"
            phrase = list(anchor.subtree) if anchor.pos_ == "NOUN" else [anchor]
            if anchor.lemma_.lower() in HOLDING_VERBS:
                phrase = [
                    anchor,
                    *(t for c in anchor.children if c.dep_ == "dobj" for t in c.subtree),
                ]
            start = min(m.start(), phrase[0].idx)
            end = max(m.end(), phrase[-1].idx + len(phrase[-1].text))
            if sentence is not None:
                start, end = max(start, sentence.start), min(end, max(sentence.end, m.end()))
            events.append(EventCandidate(name, date_start, date_end, m.group(), start, end, index))
    return events
