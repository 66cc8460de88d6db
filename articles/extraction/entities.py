"""Find the people, organizations, places and cited outlets an article names: text in, candidates out.

Two passes over one body. The gazetteer finds every known name exactly; spaCy's named-entity
recognizer proposes the names nobody knows yet. The small model errs in known ways — it calls
section headings, places and adjectives people, and glues titles and places onto names — so every
proposal must pass checks of evidence that hold for any news text, never rules for one article:

- a person has the shape of a name (two to four capitalised words, none of them a common word, a
  title, an organization or place word), or is a single word that stands for a full name the same
  article spells out (a surname), or is a known person;
- headings (short lines without sentence punctuation) never yield people, and site furniture
  (``boilerplate_line``) yields nothing;
- an organization carries an organization word ("Ministry", "Agency", "Committee"…), is an acronym,
  or is known; an organization with news words or reporting verbs around it is a cited outlet;
- a single capitalised word the article also uses as an ordinary lowercase word is not a name.

Nothing here touches the database: the caller passes a :class:`Gazetteer` snapshot and the set of
rejected surfaces, so worker processes can run it in parallel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import ENT_TYPE, IS_ALPHA, IS_TITLE
from spacy.lang.en.stop_words import STOP_WORDS

from articles.extraction.gazetteer import Gazetteer
from articles.extraction.resolution import (
    TITLE_WORDS,
    FullName,
    clean_name,
    is_demonym,
    name_key,
    resolve_short_name,
)
from articles.text import split_paragraphs

try:  # helper-1's rules for site furniture; without them only headings are skipped.
    from articles.ingest.cleaning import boilerplate_line
except ImportError:  # pragma: no cover

    def boilerplate_line(line: str) -> bool:
        return False


__all__ = ["EntityCandidate", "extract_entities", "blocked_regions"]

PERSON, ORGANIZATION, PLACE, OUTLET, EVENT = "person", "organization", "place", "outlet", "event"

ORG_WORDS = frozenset(
    """
    agency agencies ministry ministries commission committee council department assembly academy
    institute institution center centre university college school party army navy forces command
    bank company corporation corp inc ltd llc plc group office administration government parliament
    congress senate duma union organization organisation association court service services bureau
    foundation fund board authority police guard alliance coalition league movement society club
    network news press media broadcaster broadcasting newspaper television tv radio times post
    journal daily herald tribune telegraph gazette kremlin pentagon secretariat directorate
    inspectorate cabinet front brigade battalion division regiment corps fleet
    """.split()
)
# Words that head an organization's name ("Foreign Ministry", "Central Military Commission").
ORG_HEADS = frozenset(
    """
    ministry agency commission committee council department assembly academy institute center
    centre university party army bank company corporation office administration government
    parliament union organization organisation association court bureau foundation fund board
    authority police
    """.split()
)
PLACE_WORDS = frozenset(
    """
    river sea ocean lake mountain mountains mount island islands peninsula bay gulf strait valley
    oblast krai province region district county city town village state republic kingdom
    federation territory border desert coast port airport bridge street square park
    """.split()
)
NEWS_WORDS = frozenset(
    """
    news agency press media tv television radio broadcaster broadcasting newspaper gazette times
    post journal daily herald tribune telegraph wire newswire channel outlet
    """.split()
)
# Verbs after a name that make it a cited outlet; "said" is left out, since ministries say too.
REPORT_VERBS = frozenset({"reported", "reports", "quoted", "cited"})
COMPASS = frozenset("north south east west northern southern eastern western central".split())
MONTHS_DAYS = frozenset(
    """
    january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday
    """.split()
)
NAME_PARTICLES = frozenset("da de do dos das di du van von der den ter bin ibn al el la le".split())
LOCATIVE = frozenset("in at near from into across outside inside".split())
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)]\s*$")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Z.&-]{1,9})\)")
_NAME_WORD = re.compile(r"^[A-Z][\w.'’-]*$")


@dataclass(frozen=True, slots=True)
class EntityCandidate:
    """A stretch of the body that names an entity of a kind, as found by one method.

    ``name`` is the proposed canonical name (the surface without titles or possessive, or the full
    name a surname stands for); ``entity_id`` is set when the gazetteer knows the entity.
    """

    kind: str
    name: str
    surface: str
    start: int
    end: int
    method: str
    entity_id: int | None = None


@dataclass(frozen=True, slots=True)
class Region:
    start: int
    end: int
    reason: str  # "boilerplate" or "heading"


def _is_heading(line: str) -> bool:
    words = line.split()
    return len(words) <= 10 and not _SENTENCE_END.search(line)


def blocked_regions(body: str) -> list[Region]:
    """Lines that yield no entities (site furniture) and lines that yield no people (headings)."""
    regions = []
    for paragraph in split_paragraphs(body):
        if boilerplate_line(paragraph.text):
            regions.append(Region(paragraph.start, paragraph.end, "boilerplate"))
        elif _is_heading(paragraph.text):
            regions.append(Region(paragraph.start, paragraph.end, "heading"))
    return regions


def _region_at(regions: list[Region], start: int) -> str:
    for region in regions:
        if region.start <= start < region.end:
            return region.reason
    return ""


def _word_ok_in_name(word: str) -> bool:
    """A word that can be part of a person's name: capitalised, not a common or office word."""
    if not _NAME_WORD.match(word):
        return False
    letters = [c for c in word if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return False  # all capitals: a shouted heading or an acronym, not a name
    low = word.lower().strip(".")
    return not (
        low in STOP_WORDS
        or low in TITLE_WORDS
        or low in ORG_WORDS
        or low in PLACE_WORDS
        or low in COMPASS
        or low in MONTHS_DAYS
    )


# Endings of English nouns and adjectives that names almost never have ("Protection", "Relations",
# "Environmental"); "-ing", "-ance", "-ence" are left out for Xi Jinping, JD Vance, Lawrence.
_COMMON_ENDINGS = re.compile(
    r"^\w{3,}(?:tions?|sions?|ments?|ness|ity|ities|ous|ship|ural|onal|ental|ical)$", re.IGNORECASE
)


def person_shaped(name: str, lower_words: frozenset[str] | set[str] = frozenset()) -> bool:
    """True if ``name`` looks like a person's full name: two to four name words.

    ``lower_words`` are the words the article uses in lowercase: a word of the candidate found
    among them is an ordinary word ("Technical Cooperation"), so the candidate is not a name.
    """
    words = name.split()
    # Lowercase particles inside a name ("Luiz Inácio Lula da Silva") are allowed, not counted.
    inner = {i for i, w in enumerate(words) if 0 < i < len(words) - 1 and w in NAME_PARTICLES}
    words = [w for i, w in enumerate(words) if i not in inner]
    return (
        2 <= len(words) <= 4
        and all(_word_ok_in_name(w) for w in words)
        and not any(_COMMON_ENDINGS.search(w) for w in words)
        and not any(w.lower() in lower_words for w in words)
    )


class _Article:
    """What the checks need to know about one body: its words, blocked lines, found spans."""

    def __init__(self, body: str, doc, gazetteer: Gazetteer | None, rejected):
        self.body = body
        self.doc = doc
        self.gazetteer = gazetteer
        self.rejected = rejected
        self.regions = blocked_regions(body)
        # Lowercase words the article uses as ordinary words ("the border", "the author").
        self.lower_words = {
            m.group() for m in re.finditer(r"(?<![\w-])[a-z][a-z]+(?![\w-])", body) if m.group()
        }
        self.candidates: list[EntityCandidate] = []
        self.taken: list[tuple[int, int]] = []
        self.acronyms: dict[str, tuple[str, str]] = {}

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.taken)

    def rejected_surface(self, kind: str, *texts: str) -> bool:
        return any((kind, name_key(t)) in self.rejected for t in texts if t)

    def add(self, candidate: EntityCandidate) -> None:
        if self.rejected_surface(candidate.kind, candidate.surface, candidate.name):
            return
        if candidate.kind == EVENT:
            # Events overlap the names inside them and take no room from them.
            self.candidates.append(candidate)
            return
        if not self.free(candidate.start, candidate.end) and not self._supersede(candidate):
            return
        self.candidates.append(candidate)
        self.taken.append((candidate.start, candidate.end))
        match = _ACRONYM_AFTER.match(self.body, candidate.end)
        if match and candidate.kind != PERSON:
            self.acronyms[match.group(1).replace(".", "")] = (candidate.kind, candidate.name)

    def _supersede(self, candidate: EntityCandidate) -> bool:
        """Let a longer name replace the shorter known names inside it ("South Korea" over a
        known "Korea"); people are never replaced, and a name never replaces a person."""
        if candidate.kind == PERSON:
            return False
        s, e = candidate.start, candidate.end
        inside = [c for c in self.candidates if c.kind != EVENT and c.start < e and s < c.end]
        if not inside or any(
            c.kind == PERSON or c.start < s or c.end > e or (c.start, c.end) == (s, e)
            for c in inside
        ):
            return False
        for old in inside:
            self.candidates.remove(old)
            self.taken.remove((old.start, old.end))
        return True

    def known_kinds(self, name: str) -> set[str]:
        return self.gazetteer.kinds_of(name) if self.gazetteer else set()


def _trim(body: str, start: int, end: int, text: str) -> tuple[int, int] | None:
    """Offsets of ``text`` (a cleaned piece) inside ``body[start:end]``, or None."""
    i = body.find(text, start, end)
    if i < 0:
        return None
    return i, i + len(text)


def _gazetteer_pass(art: _Article) -> None:
    if not art.gazetteer:
        return
    for match in art.gazetteer.find(art.body):
        region = _region_at(art.regions, match.start)
        if region == "boilerplate":
            continue
        ids = {(e.kind, e.entity_id) for e in match.entries}
        kinds = {e.kind for e in match.entries}
        if len(ids) > len(kinds):
            continue  # one spelling, two entities of one kind: ambiguous, leave it to NER/curators
        entry = match.entries[0]
        if len(kinds) > 1:
            entry = next(
                (
                    e
                    for e in match.entries
                    if e.kind
                    == (OUTLET if _news_context(art, match.start, match.end) else ORGANIZATION)
                ),
                entry,
            )
        if entry.kind == PERSON and region == "heading":
            continue
        start, end = match.start, match.end
        surface = art.body[start:end]
        art.add(
            EntityCandidate(
                entry.kind, entry.name, surface, start, end, "gazetteer", entry.entity_id
            )
        )


def _news_context(art: _Article, start: int, end: int) -> bool:
    """Evidence that the organization at ``start:end`` is a news outlet being cited."""
    inside = {w.lower() for w in re.findall(r"[A-Za-z]+", art.body[start:end])}
    if inside & NEWS_WORDS:
        return True
    after = re.findall(r"[A-Za-z]+", art.body[end : end + 40])[:3]
    before = re.findall(r"[A-Za-z]+", art.body[max(0, start - 40) : start])[-3:]
    after_l = [w.lower() for w in after]
    before_l = [w.lower() for w in before]
    if set(after_l[:2]) & NEWS_WORDS:
        return True
    if set(after_l[:3]) & REPORT_VERBS:
        return True  # "TASS had already reported", "Reuters reported"
    if before_l[-1:] == ["told"]:
        return True
    return before_l[-2:] in (
        ["reported", "by"],
        ["quoted", "by"],
        ["speaking", "with"],
        ["speaking", "to"],
        ["interview", "with"],
        ["told", "the"],
    )


_HYPHENS = frozenset({"-", "‐", "‑"})


def _past_hyphens(doc, end: int) -> int:
    """Grow a span's end over hyphenated name parts: "Pak Thae" + "-song" (the model stops)."""
    while end + 1 < len(doc) and doc[end].text in _HYPHENS and not doc[end - 1].whitespace_:
        if doc[end].whitespace_ or not doc[end + 1].is_alpha:
            break
        end += 2
    return end


def _extend_person(doc, span) -> tuple[int, int]:
    """Token bounds of a PERSON span, grown over hyphenated parts and a missed first name part."""
    start, end = span.start, _past_hyphens(doc, span.end)
    # "Sin" + PERSON "Chang Il": a name part the model left out, not a title or another entity.
    while start > 0 and end - start < 4:
        prev = doc[start - 1]
        if not (
            prev.pos_ == "PROPN"
            and not prev.ent_type_
            and prev.is_title
            and prev.whitespace_
            and not prev.is_sent_start
            and prev.lower_ not in TITLE_WORDS
            and prev.lower_ not in ORG_WORDS
            and prev.lower_ not in STOP_WORDS
        ):
            break
        start -= 1
    return start, end


def _person_from(
    art: _Article,
    start: int,
    end: int,
    full: list[tuple[str, int, int, str]],
    single: list[tuple[str, int, int]],
    *,
    strict: bool = False,
) -> bool:
    """Queue the person named in ``body[start:end]`` (titles and possessive stripped)."""
    text = art.body[start:end]
    name = clean_name(text)
    if not name:
        return False
    bounds = _trim(art.body, start, end, name)
    if bounds is None:
        return False
    s, e = bounds
    words = name.split()
    if len(words) == 1:
        if _word_ok_in_name(name):
            single.append((name, s, e))
            return True
        return False
    if not person_shaped(name, art.lower_words if strict else frozenset()):
        return False
    kinds = art.known_kinds(name)
    if kinds and PERSON not in kinds:
        return False
    full.append((name, s, e, "ner"))
    return True


def _split_tail(doc, span) -> tuple[int, int] | None:
    """Token bounds of a person's name at the end of an organization or place span.

    "Supreme People's Assembly Pak Thae-song", "Transport Roman Starovoit": the name is the run of
    name words after the last organization, title or small word; "in Chongjin Oleg Kosheev": after a
    place preposition, the first word is the place.
    """
    start, end = span.start, _past_hyphens(doc, span.end)

    def name_piece(token) -> bool:
        # A capitalised word, a hyphen inside a name, or the lowercase part after it ("-song").
        after_hyphen = token.i - 1 >= start and doc[token.i - 1].text in _HYPHENS
        return token.is_title or token.text in _HYPHENS or (token.is_alpha and after_hyphen)

    i = end
    while i > start and name_piece(doc[i - 1]):
        word = doc[i - 1].lower_
        if word in ORG_WORDS or word in TITLE_WORDS or word in STOP_WORDS or word in PLACE_WORDS:
            break
        i -= 1
    tail = [t for t in doc[i:end] if t.is_alpha]
    if i == start:
        # No organization word: only a place before a name after "in"/"at" can be split off.
        if start > 0 and doc[start - 1].lower_ in LOCATIVE and len(tail) >= 3:
            return start + 1, end
        return None
    if not doc[i - 1].is_title:
        return None  # "University of São Paulo": what follows "of" belongs to the name of the body
    if len([t for t in doc[i:end] if t.whitespace_ or t.i == end - 1]) < 2:
        return None
    return i, end


def extract_entities(
    body: str,
    *,
    doc=None,
    gazetteer: Gazetteer | None = None,
    rejected: frozenset[tuple[str, str]] | set = frozenset(),
    use_ner: bool = True,
) -> list[EntityCandidate]:
    """Return the entity candidates of ``body`` in text order.

    ``doc`` is the spaCy parse of ``body`` (needed when ``use_ner``); ``gazetteer`` holds the known
    entities; ``rejected`` holds (kind, name_key) pairs curators rejected, never proposed again.
    """
    art = _Article(body, doc, gazetteer, rejected)
    _gazetteer_pass(art)
    if use_ner and doc is not None:
        _ner_pass(art)
    return sorted(art.candidates, key=lambda c: (c.start, c.end))


def _ner_pass(art: _Article) -> None:
    doc, body = art.doc, art.body
    full: list[tuple[str, int, int, str]] = []
    single: list[tuple[str, int, int]] = []
    others: list[tuple[str, int, int, str]] = []  # (label, start, end, text) of non-person spans
    place_keys = {name_key(e.text) for e in doc.ents if e.label_ in {"GPE", "LOC"}}
    for ent in doc.ents:
        region = _region_at(art.regions, ent.start_char)
        if region == "boilerplate":
            continue
        if "\n" in ent.text.strip():
            continue
        label = ent.label_
        if label == "PERSON":
            if region == "heading":
                continue
            t0, t1 = _extend_person(doc, ent)
            after = doc[t1] if t1 < len(doc) else None
            if (
                t0 > 0
                and doc[t0 - 1].lower_ in LOCATIVE
                and not (after is not None and after.lower_ in {"'s", "’s"})
            ):
                # "told reporters in Porto Alegre": people are rarely "in" someone.
                others.append(("GPE", ent.start_char, ent.end_char, ent.text))
                continue
            found = _person_from(art, doc[t0].idx, doc[t1 - 1].idx + len(doc[t1 - 1]), full, single)
            if not found and any(t.lower_ in PLACE_WORDS for t in ent):
                others.append(("LOC", ent.start_char, ent.end_char, ent.text))  # "Kursk Oblast"
        elif label in {"ORG", "FAC", "GPE", "LOC"}:
            bounds = _split_tail(doc, ent) if region != "heading" else None
            if bounds:
                t0, t1 = bounds
                p_start = doc[t0].idx
                _person_from(
                    art, p_start, doc[t1 - 1].idx + len(doc[t1 - 1]), full, single, strict=True
                )
                head = body[ent.start_char : p_start].rstrip()
                if head:
                    others.append((label, ent.start_char, ent.start_char + len(head), head))
            else:
                others.extend(_split_owner(art, label, ent, place_keys))

    org_runs = _proper_noun_runs(art, full)
    # People with full names first, so that surnames can find them.
    names = [FullName(n, s) for n, s, _e, _m in full]
    for n, s, e, _m in full:
        known = art.gazetteer.lookup(n, PERSON) if art.gazetteer else []
        entity_id = known[0].entity_id if len(known) == 1 else None
        canonical = known[0].name if len(known) == 1 else n
        art.add(EntityCandidate(PERSON, canonical, body[s:e], s, e, "ner", entity_id))

    person_keys = {name_key(n.name) for n in names}
    for label, s, e, text in others:
        _other_from(art, label, s, e, text, person_keys, names)
    for s, e in org_runs:
        if art.free(s, e):
            _other_from(art, "ORG", s, e, body[s:e], person_keys, names)

    for name, s, e in single:
        _single_person(art, name, s, e, names)

    # Bare surnames the model did not label at all ("Pak said", "Kim added"). The flags are read
    # for the whole document at once: a Python loop over every token cost more than the rest.
    norp = doc.vocab.strings["NORP"]
    flags = doc.to_array([IS_TITLE, IS_ALPHA, ENT_TYPE]).tolist()
    for i, (is_title, is_alpha, ent_type) in enumerate(flags):
        if not is_title or not is_alpha or ent_type == norp:
            continue
        token = doc[i]
        s, e = token.idx, token.idx + len(token)
        if not art.free(s, e) or _region_at(art.regions, s):
            continue
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if nxt is not None and nxt.is_title and nxt.pos_ == "PROPN":
            continue  # part of a longer name the model did not label
        if token.i > 0 and doc[token.i - 1].text in _HYPHENS:
            continue
        _single_person(art, token.text, s, e, names, strict=True)


def _single_person(
    art: _Article, name: str, s: int, e: int, names: list[FullName], strict: bool = False
) -> None:
    """A one-word person: the full name it stands for in this article, or a known person."""
    if _region_at(art.regions, s) or not _word_ok_in_name(name):
        return
    full = resolve_short_name(name, s, names)
    if full:
        known = art.gazetteer.lookup(full, PERSON) if art.gazetteer else []
        canonical = known[0].name if len(known) == 1 else full
        entity_id = known[0].entity_id if len(known) == 1 else None
        art.add(EntityCandidate(PERSON, canonical, art.body[s:e], s, e, "ner", entity_id))
        return
    if strict or not art.gazetteer:
        return
    known = art.gazetteer.lookup(name, PERSON)
    if len(known) == 1:
        art.add(
            EntityCandidate(
                PERSON, known[0].name, art.body[s:e], s, e, "gazetteer", known[0].entity_id
            )
        )


_OWNER = re.compile(r"^(?P<owner>.+?)['’]s\s+(?P<rest>[A-Z].*)$")


def _split_owner(art: _Article, label: str, ent, place_keys: set[str]) -> list[tuple]:
    """Split "Ukraine’s Foreign Ministry" into the owner and the organization it owns.

    Only when the owner is a known place or person, or a place the model found elsewhere in the
    article: "People’s" in "Supreme People’s Assembly" owns nothing.
    """
    match = _OWNER.match(ent.text)
    if match:
        owner = match.group("owner")
        owner_key = name_key(re.sub(r"^(?:the|The)\s+", "", owner))
        if owner_key in place_keys or art.known_kinds(owner) & {PLACE, PERSON}:
            rest_start = ent.start_char + match.start("rest")
            return [
                ("GPE", ent.start_char, ent.start_char + len(owner), owner),
                (label, rest_start, ent.end_char, match.group("rest")),
            ]
    return [(label, ent.start_char, ent.end_char, ent.text)]


# Words after which a run of proper nouns starts a new name ("Governor of Primorsky Krai Oleg …").
_RUN_BREAKS = TITLE_WORDS | ORG_WORDS | PLACE_WORDS


def _proper_noun_runs(
    art: _Article, full: list[tuple[str, int, int, str]]
) -> list[tuple[int, int]]:
    """Names the model left unlabelled: runs of capitalised proper nouns with a person's shape.

    A run is cut after its last title, organization or place word ("Governor of Primorsky Krai
    Oleg Kozhemyako"); what is left must pass the strict shape test, including the check that no
    word of it is used in lowercase elsewhere in the article.
    """
    doc = art.doc
    taken = [(s, e) for _n, s, e, _m in full]
    organizations: list[tuple[int, int]] = []

    def flush(run):
        if not run:
            return
        # "Foreign Ministry", "Rason Municipal Committee": a run headed by an organization word.
        if len(run) >= 2 and run[-1].lower_ in ORG_HEADS and run[0].lower_ not in STOP_WORDS:
            s, e = run[0].idx, run[-1].idx + len(run[-1])
            if not _region_at(art.regions, s):
                organizations.append((s, e))
            return
        while run and (
            run[0].lower_ in TITLE_WORDS
            or run[0].lower_ in ORG_WORDS
            or run[0].lower_ in PLACE_WORDS
            or run[0].lower_ in STOP_WORDS
        ):
            run = run[1:]
        cut = [i for i, t in enumerate(run) if t.lower_ in _RUN_BREAKS]
        if cut:
            run = run[cut[-1] + 1 :]
        # The longest tail of the run that has a name's shape ("Technical Cooperation Yun Jong Ho").
        for size in range(min(4, len(run)), 1, -1):
            tail = run[-size:]
            if person_shaped(" ".join(t.text for t in tail), art.lower_words):
                run = tail
                break
        else:
            return
        after = doc[run[-1].i + 1 : run[-1].i + 3]
        if len(after) == 2 and after[0].lower_ in {"'s", "’s"} and after[1].is_title:
            return  # "Democratic People’s Republic": part of a longer name with a possessive
        s, e = run[0].idx, run[-1].idx + len(run[-1])
        if _region_at(art.regions, s) or not art.free(s, e):
            return
        if any(not (e2 <= s or s2 >= e) for s2, e2 in taken):
            return
        before = doc[run[0].i - 1].lower_ if run[0].i > 0 else ""
        if all(t.ent_type_ == "ORG" for t in run) and before not in TITLE_WORDS:
            # The model calls it an organization ("at Morgan Stanley") and no title says otherwise
            # ("Chancellor Olaf Scholz").
            return
        name = art.body[s:e]
        if person_shaped(name, art.lower_words) and not art.known_kinds(name) - {PERSON}:
            full.append((name, s, e, "ner"))

    run: list = []
    for token in doc:
        ok = (
            token.pos_ == "PROPN"
            and token.is_title
            and token.is_alpha
            and token.ent_type_ in {"", "ORG"}
        )
        if ok and (not run or run[-1].whitespace_ == " "):
            run.append(token)
            continue
        flush(run)
        run = [token] if ok else []
    flush(run)
    return organizations


def _clean_other(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    text = re.sub(r"(?:['’]s|['’])$", "", text)
    text = text.strip(' ,;:()"“”‘’')
    # Keep the last full stop of an abbreviation ("U.S."), drop a sentence's.
    return text if re.search(r"\.\w\.$", text) else text.rstrip(".")


def _other_from(
    art: _Article,
    label: str,
    s: int,
    e: int,
    text: str,
    person_keys: set[str],
    names: list[FullName],
) -> None:
    """An organization, cited outlet or place proposed by the model, if the evidence holds."""
    name = _clean_other(text)
    if not name or not any(c.isalpha() for c in name):
        return
    bounds = _trim(art.body, s, e, name)
    if bounds is None:
        return
    s, e = bounds
    words = name.split()
    lows = [w.lower().strip(",.") for w in words]
    key = name_key(name)
    if key in person_keys:
        art.add(EntityCandidate(PERSON, name, art.body[s:e], s, e, "ner"))
        return
    if len(words) == 1 and resolve_short_name(name, s, names):
        _single_person(art, name, s, e, names)
        return
    if not words[0][:1].isupper() and not words[0][:1].isdigit():
        return
    if words[0].lower() in STOP_WORDS or words[-1].lower() in STOP_WORDS:
        return
    if art.acronyms.get(name):
        kind, full = art.acronyms[name]
        art.add(EntityCandidate(kind, full, art.body[s:e], s, e, "ner"))
        return
    known = art.known_kinds(name)
    acronym = name.isupper() and 2 <= len(name) <= 6 and name.isalpha()
    has_org_word = any(w in ORG_WORDS for w in lows)
    has_place_word = any(w in PLACE_WORDS for w in lows)
    if len(words) == 1 and not acronym:
        low = lows[0]
        if low in COMPASS or low in art.lower_words or low in MONTHS_DAYS or is_demonym(name):
            return
    if lows[0] in TITLE_WORDS and not has_org_word:
        return  # "Minister of External Economic Relations", "Consul General": an office, not a body
    if label == "ORG" or known & {ORGANIZATION, OUTLET}:
        news_inside = bool(set(lows) & NEWS_WORDS)
        if has_place_word and not has_org_word and not known & {ORGANIZATION, OUTLET}:
            kind = PLACE
        elif OUTLET in known or news_inside:
            kind = OUTLET
        elif ORGANIZATION in known or has_org_word:
            kind = ORGANIZATION
        elif _news_context(art, s, e) and len(words) <= 3:
            kind = OUTLET  # "the Tass news agency reported", "speaking with CNN"
        elif acronym:
            kind = ORGANIZATION
        else:
            return
    else:
        if PERSON in known:
            return
        if any(w in ORG_WORDS for w in lows):
            kind = OUTLET if _news_context(art, s, e) else ORGANIZATION
        else:
            kind = PLACE
    if kind == PLACE and any(
        not (w[:1].isupper() or w in {"of", "and", "the", "de"}) for w in words
    ):
        return
    art.add(EntityCandidate(kind, name, art.body[s:e], s, e, "ner"))
