"""The numbers an article states: what they measure, in which unit, and how exactly.

``extract_claims(body)`` finds quantities with a regular grammar (digits, number words, ranges,
scale words, units, hedges), normalises each to a base unit, and reads what it measures from the
dependency parse, so "the bridge will be 1 kilometer long", "the bridge itself will span
approximately 850 meters" and "the 1-kilometer bridge" all become ``bridge length`` in metres, and
"construction is expected to take one and a half years" and "the estimated construction period is
around 18 months" both become ``construction time`` in months.

Hedges become a range (``low``/``high``), by this rule:

==========================================================  =====================
nearly, almost, close to, just under                          [0.9 X, X]
about, around, approximately, roughly, some, an estimated     [0.9 X, 1.1 X]
more than, over, at least, above, in excess of                [X, 1.5 X]
up to, less than, fewer than, under, below                    [0, X]
exact figures                                                  [X, X]
==========================================================  =====================

Exact figures are never widened for rounding: "1 km" and "850 m" must disagree.

The grammar of figures (number words, scales, ranges, dates that look like figures) lives in
:mod:`articles.extraction.numbers`, the units, currency signs and hedge bounds in
:mod:`articles.extraction.units`; this module decides what each figure measures.

Not claims: years ("in 2023", "June 2024"), days of the month ("April 30", "19 June"), ordinals
("70th"), vague amounts ("hundreds of"), and number words that refer back to things already named
("the two countries").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from articles.extraction.nlp import entity_at, parse
from articles.extraction.numbers import CLAIM_RE, MONTHS, Figure, is_date_or_year, read_figure
from articles.extraction.units import HEDGE_BOUNDS, QUALIFIERS, RATE_WORDS, UNITS
from articles.text import split_sentences


@dataclass(frozen=True)
class ClaimCandidate:
    """A number an article states, normalised to a base unit."""

    quantity: str  # length, width, area, duration, count, percent, money, speed, weight
    value: float  # in the base unit; the midpoint of a range
    low: float
    high: float
    unit: str  # m, m2, month, "", %, km/h, kg, or a currency code
    qualifier: str  # "", about, nearly, at least, more than, less than, up to, over
    subject: str  # what it measures, normalised: "bridge length", "troops", "construction time"
    text: str  # the words as written
    start: int
    end: int
    sentence_index: int


# --- Subject lexicon -------------------------------------------------------------------------
# (Number words and units live in articles.extraction.numbers and articles.extraction.units.)

# Nouns that name a measure rather than the thing measured, and what they measure.
MEASURE_NOUNS = {
    "length": "length",
    "span": "length",
    "distance": "length",
    "width": "width",
    "breadth": "width",
    "height": "height",
    "depth": "depth",
    "thickness": "thickness",
    "area": "area",
    "period": "time",
    "time": "time",
    "duration": "time",
    "timeline": "time",
    "timeframe": "time",
    "term": "time",
    "cost": "cost",
    "price": "cost",
    "budget": "budget",
    "value": "value",
    "worth": "value",
    "investment": "investment",
    "speed": "speed",
    "weight": "weight",
    "capacity": "capacity",
    "share": "share",
}
DIMENSION_ADJECTIVES = {
    "long": "length",
    "wide": "width",
    "high": "height",
    "tall": "height",
    "deep": "depth",
    "thick": "thickness",
}
DEFAULT_MEASURE = {
    "length": "length",
    "area": "area",
    "duration": "time",
    "money": "cost",
    "speed": "speed",
    "weight": "weight",
    "percent": "share",
}
# What a pronoun or generic noun stands for is whatever the article was measuring just before.
REFERENCE = ""
NEUTER_PRONOUNS = {"it", "its", "this", "that", "these", "those", "they", "them", "their", "itself"}
TOTAL_WORDS = {"total", "overall", "combined", "entire", "whole"}
# Head nouns too general to say what is measured ("the bridge structure" is the bridge; "the
# project" is whatever the article has been measuring).
GENERIC_HEADS = {
    "structure",
    "section",
    "part",
    "portion",
    "project",
    "facility",
    "initiative",
    "scheme",
    "plan",
    "itself",
    "estimate",
    "figure",
    "number",
    "total",
    "toll",
    "tally",
    "count",
}
# One name for each group of synonyms, so different phrasings of a subject compare equal.
SYNONYMS = {
    "soldier": "troops",
    "troop": "troops",
    "serviceman": "troops",
    "servicemen": "troops",
    "individual": "people",
    "person": "people",
    "persons": "people",
    "people": "people",
    "casualty": "casualties",
    "death": "deaths",
    "construction": "construction",
    "build": "construction",
    "building": "construction",
    "construct": "construction",
    "completion": "construction",
    "complete": "construction",
    "finish": "construction",
    "work": "construction",
    "works": "construction",
}
# Adjectives that say nothing about which thing is counted or measured.
EMPTY_ADJECTIVES = {
    "new", "other", "more", "such", "own", "mere", "same", "first", "last", "further",
    "additional", "significant", "major", "small", "large", "big", "great", "huge", "recent",
    "various", "several", "many", "few", "current", "only", "estimated", "reported", "expected",
    "approximately", "roughly", "total", "overall", "combined", "entire", "whole", "some",
}  # fmt: skip
RATES = [(re.compile(rf"^(?:{words})\b"), rate) for words, rate in RATE_WORDS]
# Nouns that are sums of money themselves: "revenue of $3.2 billion" is revenue, not its cost.
MONEY_NOUNS = {
    "revenue", "profit", "sale", "sales", "income", "loss", "deficit", "debt", "budget", "aid",
    "spending", "investment", "fine", "salary", "wage", "funding", "fund", "grant", "loan",
    "price", "value", "turnover", "earnings", "bill", "payment", "compensation", "subsidy",
}  # fmt: skip
SPENDING_VERBS = {"spend", "invest", "allocate", "earmark", "pay", "budget"}
CASUALTY_VERBS = {"kill", "wound", "injure"}

# --- Context around a figure ------------------------------------------------------------------

_PARTITIVE_BEFORE = re.compile(r"\bof\s+(?:which|whom|them|these|those|it)\s*,?\s*$", re.I)
_PARTITIVE_AFTER = re.compile(r"^\s*of\s+(?:which|whom|them|these|those|it)\b", re.I)
_ANAPHORIC_BEFORE = re.compile(
    r"\b(?:the|these|those|its|their|our|your|his|her|my|both|all|last|past|next|first|"
    r"coming|following|previous)\s+$",
    re.I,
)
_VAGUE_AFTER = re.compile(r"^\s*(?:of|or so)\b", re.I)
_TIME_OFFSET_AFTER = re.compile(
    r"^\s*(?:after|before|later|ago|earlier|into|since|from now)\b", re.I
)
_PAREN_GAP = re.compile(r"^\s*[(\[]\s*$")


# --- Subjects from the parse -----------------------------------------------------------------


def _tokens(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _phrase_root(tokens: list[Token]) -> Token | None:
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    return roots[-1] if roots else None


def _clause_subject(token: Token) -> Token | None:
    """The nominal subject of ``token``'s clause, climbing through raising and control verbs."""
    current = token
    for _ in range(6):
        for child in current.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.tag_ in ("WDT", "WP") and current.dep_ == "relcl":
                    return current.head  # "the tunnel, which cost …"
                return child
        if current.dep_ in ("acl", "relcl") and current.head.pos_ in ("NOUN", "PROPN"):
            return current.head
        if current.dep_ in ("xcomp", "ccomp", "conj", "advcl", "pcomp", "prep", "pobj", "acomp"):
            current = current.head
            continue
        break
    return None


def _is_unit_word(token: Token) -> bool:
    return token.lower_ in UNITS or any(c.pos_ == "NUM" for c in token.children)


def _likely_verb(token: Token) -> bool:
    """A small model's usual slip: "trade relies on", "project marks" read as compound nouns."""
    if token.tag_ != "NNS" or token.i == 0 or token.i + 1 >= len(token.doc):
        return False
    before, after = token.doc[token.i - 1], token.doc[token.i + 1]
    return (
        before.dep_ == "compound"
        and before.head.i == token.i
        and before.tag_ == "NN"
        and after.pos_ in ("ADP", "DET", "ADV", "PART")
        and after.lower_ != "of"
    )


def _modifiers(token: Token, keep_adjectives: bool) -> list[Token]:
    mods = []
    for child in token.lefts:
        if _is_unit_word(child):
            continue
        if child.dep_ == "compound" and child.pos_ == "NOUN":
            mods.extend(_modifiers(child, keep_adjectives))
            mods.append(child)
        elif (
            keep_adjectives
            and child.dep_ == "amod"
            and child.pos_ in ("ADJ", "VERB")
            and not child.ent_type_
            and child.lower_ not in EMPTY_ADJECTIVES
            and child.lower_ not in TOTAL_WORDS
        ):
            mods.append(child)
    return mods


def _word(token: Token) -> str:
    lemma = token.lemma_.lower()
    return SYNONYMS.get(lemma, lemma)


def _modifier_word(token: Token) -> str:
    return _word(token) if token.dep_ == "compound" else token.lower_


def _noun_phrase(token: Token | None, keep_adjectives: bool = True) -> str | None:
    """A normalised name for the thing ``token`` heads.

    ``REFERENCE`` for words that point back to a thing named earlier ("its", "the project"),
    None when there is no thing at all (a person, a missing subject).
    """
    if token is None or token.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    if token.pos_ == "PRON":
        return REFERENCE if token.lower_ in NEUTER_PRONOUNS else None
    if _likely_verb(token):
        token = token.doc[token.i - 1]
    mods = _modifiers(token, keep_adjectives)
    if token.lemma_.lower() in GENERIC_HEADS:
        nouns = [m for m in mods if m.pos_ == "NOUN"]
        if not nouns:
            return REFERENCE
        words = [_modifier_word(m) for m in mods]
    elif token.pos_ == "PROPN" and token.ent_type_:
        return None  # proper names say which thing, not what kind: keep the key general
    else:
        words = [_modifier_word(m) for m in mods] + [_word(token)]
    # Coordinated things are measured together: "the bridge and its access roads".
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ == "NOUN":
            other = _noun_phrase(child, keep_adjectives)
            if other:
                words += ["and", other]
    return " ".join(words) or None


def _of_object(token: Token, prepositions=("of", "including")) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in prepositions:
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _owner_of_measure(measure: Token) -> Token | None:
    """The thing a measure noun belongs to: "the length of the bridge", "the bridge's width"."""
    target = _of_object(measure)
    if target is not None and target.pos_ != "NUM" and target.lemma_.lower() not in UNITS:
        return target
    for child in measure.children:
        if child.dep_ == "poss":
            return child
    if measure.dep_ in ("dobj", "attr"):
        return _clause_subject(measure.head)
    return None


def _measure_of_noun(token: Token) -> str | None:
    return MEASURE_NOUNS.get(token.lemma_.lower())


_HEDGE_WORDS = {word for word in QUALIFIERS if " " not in word}


def _measured(root: Token, quantity: str) -> tuple[str | None, str, bool]:
    """(owner phrase, measure name, total?) for a unit phrase rooted at ``root``."""
    head, dep = root.head, root.dep_
    if dep == "pobj" and head.lower_ in _HEDGE_WORDS and head.dep_ != "prep":
        # "is around 18 months" parsed with the hedge as a preposition: skip the hedge.
        head, dep = head.head, "attr"
    default = DEFAULT_MEASURE.get(quantity, "")

    def from_measure_noun(noun: Token) -> tuple[str | None, str, bool]:
        total = any(c.lower_ in TOTAL_WORDS for c in noun.children)
        owner = _noun_phrase(_owner_of_measure(noun), keep_adjectives=True)
        nouns = [c for c in _modifiers(noun, False) if c.pos_ == "NOUN"]
        if not owner and nouns:
            # "the construction period": the compound names what the measure belongs to
            owner = " ".join(_word(c) for c in nouns)
        return owner, _measure_of_noun(noun), total

    # "the 1-kilometer bridge", "its 7-meter width", "a 1.5-year project": the modified noun
    # follows the unit at once (or after further compounds, "1-kilometer road bridge").
    if dep in ("compound", "amod", "nmod", "nummod") and head.pos_ == "NOUN" and head.i > root.i:
        target = root.doc[root.i + 1]
        while (
            target.dep_ == "compound" and target.head.i == target.i + 1 and target.head.tag_ == "NN"
        ):
            target = target.head
        if target.pos_ != "NOUN":
            target = head
        if _measure_of_noun(target):
            return from_measure_noun(target)
        return _noun_phrase(target), default, False
    # "2.4 kilometers of approach roads"
    target = _of_object(root, ("of",))
    if target is not None and target.pos_ in ("NOUN", "PROPN"):
        return _noun_phrase(target), default, False
    # "a total length of 4.7 km", "a width of 7 meters"
    if dep in ("pobj", "appos") and head.lower_ == "of" and _measure_of_noun(head.head):
        return from_measure_noun(head.head)
    # "revenue of $3.2 billion", "a tunnel of 5 km"
    if dep == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        owner = _noun_phrase(head.head)
        if quantity == "money" and head.head.lemma_.lower() in MONEY_NOUNS:
            return owner, "", False
        return owner, default, False
    # "1 kilometer long"
    if head.lemma_.lower() in DIMENSION_ADJECTIVES:
        subject = _clause_subject(head.head) if head.dep_ == "acomp" else head.head
        if head.dep_ == "amod":
            subject = head.head
        return _noun_phrase(subject), DIMENSION_ADJECTIVES[head.lemma_.lower()], False
    # "completion in approximately 18 months", "scheduled for completion in 18 months"
    if quantity == "duration" and dep == "pobj" and head.lower_ in ("in", "within"):
        governor = head.head
        if governor.pos_ == "VERB":
            for child in governor.children:
                if child.dep_ == "prep" and child.lower_ in ("for", "to"):
                    for grandchild in child.children:
                        if grandchild.dep_ == "pobj":
                            return _word(grandchild), default, False
            return _word(governor), default, False
        return _noun_phrase(governor), default, False
    # "the bridge will span 850 meters", "construction is expected to take 18 months"
    if dep in ("dobj", "attr", "npadvmod", "pobj", "oprd") and head.pos_ in ("VERB", "AUX"):
        if quantity == "duration":
            for child in head.children:
                if child.dep_ in ("xcomp", "advcl") and child.pos_ == "VERB":
                    return _word(child), default, False
        if quantity == "money" and head.lemma_.lower() in SPENDING_VERBS:
            # "spend $5 billion on the new airport": the money buys the object of "on"
            target = _of_object(head, ("on", "for"))
            return _noun_phrase(target), default, False
        subject = _clause_subject(head)
        if subject is not None and _measure_of_noun(subject):
            return from_measure_noun(subject)
        return _noun_phrase(subject), default, False
    return None, default, False


class _NounChunks:
    """The noun chunk each token belongs to, found one sentence at a time and only when asked.

    spaCy's English noun-chunk iterator walks in Python; most sentences hold no count figure, so
    walking the whole document for every article cost more than finding the claims themselves.
    A chunk never crosses a sentence, so a sentence's chunks are the document's chunks there.
    The iterator is run on the sentence itself: ``Span.noun_chunks`` walks the whole document
    and keeps the chunks inside the span.
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        self.chunks: dict[int, object] = {}
        self.done: set[int] = set()

    def get(self, i: int):
        sentence = self.doc[i].sent
        if sentence.start not in self.done:
            self.done.add(sentence.start)
            for start, end, label in self.doc.noun_chunks_iterator(sentence):
                if start < sentence.start:
                    continue  # begins in the sentence before (as Span.noun_chunks drops it)
                chunk = Span(self.doc, start, end, label=label)
                for index in range(start, end):
                    self.chunks[index] = chunk
        return self.chunks.get(i)


def _counted(doc: Doc, figure: Figure, chunks: _NounChunks) -> tuple[str | None, int]:
    """The counted noun of a count figure and the end offset of its noun phrase."""
    tokens = _tokens(doc, figure.number_start, figure.end)
    if not tokens:
        return None, figure.end
    last = tokens[-1]
    chunk = chunks.get(last.i)
    noun = None
    if chunk is not None and chunk.root.i > last.i and chunk.root.pos_ == "NOUN":
        noun = chunk.root
    elif last.head.i > last.i and last.head.pos_ == "NOUN" and last.dep_ in ("nummod", "quantmod"):
        noun = last.head
    if noun is None:
        # A bare figure stands for the subject of its clause: "casualty estimates rose to 4,700".
        root = _phrase_root(tokens)
        if root is None or root.dep_ not in ("pobj", "attr", "dobj"):
            return None, figure.end
        subject = _clause_subject(root.head)
        if subject is None:
            return None, figure.end
        for token in [*_modifiers(subject, False), subject]:
            if _word(token) in ("casualties", "deaths"):
                return _word(token), figure.end
        return None, figure.end
    if noun.lemma_.lower() in UNITS or noun.lemma_.lower() in MONTHS:
        return None, figure.end
    phrase = _count_phrase(noun)
    return phrase, noun.idx + len(noun.text)


def _count_phrase(noun: Token) -> str | None:
    if noun.pos_ != "NOUN" or noun.lemma_.lower() in GENERIC_HEADS:
        return None
    verbs = set()
    if noun.dep_ in ("nsubj", "nsubjpass"):
        verb = noun.head
        verbs = {verb.lemma_.lower()} | {
            c.lemma_.lower() for c in verb.children if c.dep_ == "conj"
        }
    if verbs & CASUALTY_VERBS:
        return "casualties" if verbs & {"wound", "injure"} else "deaths"
    if "die" in verbs:
        return "deaths"
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in CASUALTY_VERBS:
        return "deaths" if noun.head.lemma_.lower() == "kill" else "injured"
    head = SYNONYMS.get(noun.lemma_.lower())
    if head is None:
        head = noun.lower_ if noun.tag_ == "NNS" else noun.lemma_.lower()
    mods = [_modifier_word(m) for m in _modifiers(noun, keep_adjectives=True)]
    return " ".join([*mods, head])


def _rate(doc: Doc, body: str, figure_end: int) -> str:
    """'per day' when the figure is a rate ("300 vehicles daily", "2,850 people per day")."""
    span = doc.char_span(figure_end, len(body), alignment_mode="expand")
    if span is None:
        return ""
    for token in span[:12]:
        if token.is_punct and token.text not in "-–":
            break
        rest = body[token.idx : token.idx + 16].lower()
        for pattern, name in RATES:
            if pattern.match(rest):
                return name
    return ""


_PARTNER_PREPOSITIONS = {"with", "on", "involving", "to", "from"}


def _percent_subject(doc: Doc, body: str, figure: Figure, previous: str | None) -> str | None:
    """'external trade with china' for "97% of North Korea's external trade was with China"."""
    tokens = _tokens(doc, figure.number_start, figure.end)
    root = _phrase_root(tokens)
    base = None
    if root is not None:
        target = _of_object(root, ("of",))
        if target is not None:
            base = _noun_phrase(target)
    if base is None and root is not None and root.dep_ not in ("nsubj", "nsubjpass"):
        # "unemployment fell to 4.2 percent"
        head = root.head.head if root.dep_ == "pobj" else root.head
        base = _noun_phrase(_clause_subject(head)) if head.pos_ in ("VERB", "AUX") else None
    if base is None and previous:
        base = previous.split(" with ")[0]
    after = doc.char_span(figure.end, len(body), alignment_mode="expand")
    partner = None
    if after is not None:
        for token in after[:14]:
            if token.is_sent_start or token.text in (";", ".") or token.pos_ == "NUM":
                break
            if (
                token.ent_type_ in ("GPE", "ORG", "NORP", "LOC")
                and token.ent_iob_ == "B"
                and token.i > 0
                and doc[token.i - 1].lower_ in _PARTNER_PREPOSITIONS
            ):
                partner = entity_at(token).text.lower()
                break
    if not base:
        return None
    subject = base
    if partner:
        subject = f"{subject} with {partner}"
    return subject


def _tidy(number: float) -> float:
    return float(f"{number:.10g}")


def _compose(owner: str | None, measure: str, total: bool) -> str:
    if total:
        return f"total {measure}"
    return f"{owner} {measure}".strip() if owner else measure


# --- Public interface ------------------------------------------------------------------------


def extract_claims(body: str, doc: Doc | None = None) -> list[ClaimCandidate]:
    """Return the quantities ``body`` states, in order, each with the subject it measures."""
    if doc is None:
        doc = parse(body)
    sentences = split_sentences(body)
    starts = [s.start for s in sentences]
    chunks = _NounChunks(doc)

    claims: list[ClaimCandidate] = []
    last_owner: dict[str, str] = {}  # salience: what the article last measured, per quantity
    last_subject: dict[str, str] = {}
    last_percent: tuple[int, str] = (-1, "")
    previous_end = -1
    previous_quantity = ""
    for m in CLAIM_RE.finditer(body):
        figure = read_figure(body, m)
        if figure is None or is_date_or_year(body, m, figure):
            continue
        before = body[max(0, figure.start - 40) : figure.start]
        after = body[figure.end : figure.end + 30]
        # A converted figure in brackets repeats the one before it: "4.7 km (2.9 miles)".
        if (
            previous_end >= 0
            and figure.quantity == previous_quantity
            and _PAREN_GAP.match(body[previous_end : figure.start])
        ):
            continue
        if figure.quantity == "count" and not figure.noun:
            if _ANAPHORIC_BEFORE.search(before) and not m["number"][0].isdigit():
                continue  # "the two countries" points back; it states nothing new
            if _VAGUE_AFTER.match(after) and not _PARTITIVE_AFTER.match(after):
                continue  # "one of", "two or so"
        if figure.quantity == "duration" and (
            _ANAPHORIC_BEFORE.search(before) or _TIME_OFFSET_AFTER.match(after)
        ):
            continue  # "over the last three years", "two days later": when, not how long

        if figure.qualifier:
            hedge = _tokens(doc, figure.start, figure.start + 1)
            if hedge and hedge[0].dep_ == "prep" and figure.quantity == "duration":
                # "pulled 17 survivors over three days": a preposition, not a hedge
                figure.qualifier, figure.start = (
                    "",
                    m.start("currency") if m["currency"] else (m.start("number")),
                )
        partitive = bool(_PARTITIVE_BEFORE.search(before) or _PARTITIVE_AFTER.match(after))
        sentence_index = max(0, bisect.bisect_right(starts, figure.start) - 1)
        quantity = figure.quantity
        end = figure.end
        tokens = _tokens(doc, figure.number_start, figure.end)
        root = _phrase_root(tokens)
        if figure.quantity == "count":
            if figure.noun:
                noun = figure.noun if figure.noun.endswith("s") else figure.noun + "s"
                subject = SYNONYMS.get(figure.noun, noun)
            else:
                subject, end = _counted(doc, figure, chunks)
                if subject is None:
                    continue
                rate = _rate(doc, body, end)
                if rate:
                    subject = f"{subject} {rate}"
        elif figure.quantity == "percent":
            previous = last_percent[1] if last_percent[0] == sentence_index else None
            subject = _percent_subject(doc, body, figure, previous)
            if subject is None:
                continue
            last_percent = (sentence_index, subject)
        elif root is None:
            continue
        else:
            owner, measure, total = _measured(root, figure.quantity)
            family = "duration" if figure.quantity == "duration" else "dimension"
            if owner == REFERENCE and family == "duration" and last_subject.get("duration"):
                subject = last_subject["duration"]  # "this 1.5-year project"
            else:
                if partitive and last_owner.get(family):
                    owner = f"{last_owner[family]} section"
                elif owner == REFERENCE:
                    owner = last_owner.get(family)
                elif owner and not total:
                    last_owner[family] = owner
                if not owner and not total:
                    continue  # a measure of nothing in particular compares with nothing
                subject = _compose(owner, measure, total)
                if measure == "width":
                    quantity = "width"

        if figure.quantity == "duration":
            last_subject["duration"] = subject
        low_factor, high_factor = HEDGE_BOUNDS[figure.qualifier]
        if figure.high != figure.low:
            low, high = figure.low, figure.high
        else:
            low, high = figure.low * low_factor, figure.low * high_factor
        # Ten significant digits: 850 x 1.1 is 935, not 935.0000000000001.
        low, high = _tidy(low), _tidy(high)
        value = _tidy((figure.low + figure.high) / 2)
        claims.append(
            ClaimCandidate(
                quantity=quantity,
                value=value,
                low=low,
                high=high,
                unit=figure.unit,
                qualifier=figure.qualifier,
                subject=subject,
                text=body[figure.start : end],
                start=figure.start,
                end=end,
                sentence_index=sentence_index if sentences else 0,
            )
        )
        previous_end, previous_quantity = end, figure.quantity
    return claims


def subject_key(claim: ClaimCandidate) -> str:
    """The key the comparison view groups claims by: "length:bridge length"."""
    return f"{claim.quantity}:{claim.subject}"


def same_subject(a: ClaimCandidate, b: ClaimCandidate) -> bool:
    """True when two claims measure the same thing, allowing for extra modifiers.

    "artillery shells" and "shells", or "external trade with china" and "trade with china", are the
    same subject: the head words agree and one description only adds words to the other.
    """
    if a.quantity != b.quantity or a.unit != b.unit:
        return False
    if a.subject == b.subject:
        return True
    a_base, _, a_partner = a.subject.partition(" with ")
    b_base, _, b_partner = b.subject.partition(" with ")
    if a_partner != b_partner:
        return False
    a_words, b_words = a_base.split(), b_base.split()
    if not a_words or not b_words:
        return False
    # The last word is the head for counts and percentages; for measures it is the measure
    # ("length"), and the word before it names the thing measured.
    heads = 2 if a.quantity not in ("count", "percent") else 1
    if a_words[-heads:] != b_words[-heads:]:
        return False
    small, large = sorted((set(a_words), set(b_words)), key=len)
    return small <= large
