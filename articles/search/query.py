"""What a user types into the search box, parsed into a small syntax tree.

The language: words (stemmed by the engine), ``"exact phrases"``, ``OR``, ``-exclude``,
``-"excluded phrase"``, ``prefix*`` and parentheses; words side by side must all match.

``parse_query`` never raises: unbalanced quotes and parentheses are closed, lone operators are
ignored, stop words are dropped, long input is cut, and anything it had to change is reported as
a note for the page. Both engines compile the same tree (``sqlite.py``, ``postgres.py``), so the
decisions that make them agree are taken here:

- English stop words (PostgreSQL's own ``english.stop`` list) are dropped from words, prefixes
  and the ends of phrases, because PostgreSQL drops them and FTS5 would not. Stop words *inside*
  a phrase stay: FTS5 matches them exactly, PostgreSQL only counts their positions, so
  ``"bridge on the river"`` may also match "bridge in a river" on PostgreSQL.
- Words are runs of letters and digits; ``Jong-un`` or ``U.S.`` become phrases of their parts,
  which is how both indexes store them (hyphenated compounds are split on PostgreSQL too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# PostgreSQL 15 tsearch_data/english.stop (the Snowball list), so both engines drop the same words.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()
)

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
MAX_DEPTH = 8
MAX_WORD_CHARS = 64
# A prefix must have this many letters: "k*" would mean most of the vocabulary, slowly on both
# engines (FTS5 keeps prefix indexes for 3 and 4 letters; see migration 0012).
MIN_PREFIX = 3

WORD_RE = re.compile(r"[^\W_]+")
QUOTES = {'"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb"}
DASHES = {"-", "\u2212", "\u2013"}


@dataclass(frozen=True)
class Term:
    """One word, or the beginning of words when ``prefix``."""

    word: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must appear next to each other, in this order."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    """Documents that do not match ``child``."""

    child: Node


@dataclass(frozen=True)
class And:
    """Documents that match every child."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Documents that match at least one child."""

    children: tuple[Node, ...]


Node = Term | Phrase | Not | And | Or


@dataclass(frozen=True)
class ParsedQuery:
    """The tree of a query (None when nothing searchable is left) and notes for the user."""

    text: str
    tree: Node | None
    notes: tuple[str, ...] = field(default=())

    @property
    def is_blank(self) -> bool:
        """Whether the user typed nothing at all (the page then browses the archive)."""
        return not self.text.strip()

    @property
    def is_negative_only(self) -> bool:
        """Whether the query only excludes (``-putin``): every article except the matches."""
        return isinstance(self.tree, Not) or (
            isinstance(self.tree, And) and all(isinstance(c, Not) for c in self.tree.children)
        )


def positive_leaves(node: Node | None) -> list[Term | Phrase]:
    """Words and phrases the query looks for (not the excluded ones), in query order."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Term | Phrase):
        return [node]
    return [leaf for child in node.children for leaf in positive_leaves(child)]


def looser_tree(node: Node) -> Node:
    """A tree every match of ``node`` also matches, without exclusions or word order.

    Exclusions are left out and each phrase becomes its words. Engines use it where the looser
    tree is cheaper to evaluate: SQLite ranks by it, PostgreSQL finds phrase candidates with it
    through the GIN index before checking word order. A positive tree stays positive.
    """
    if isinstance(node, Phrase):
        terms = tuple(Term(word) for word in dict.fromkeys(node.words))
        return terms[0] if len(terms) == 1 else And(terms)
    if isinstance(node, And):
        kept = tuple(looser_tree(c) for c in node.children if not isinstance(c, Not))
        if not kept:
            return node
        return kept[0] if len(kept) == 1 else And(kept)
    if isinstance(node, Or):
        return Or(tuple(looser_tree(c) for c in node.children))
    return node


def has_phrase(node: Node) -> bool:
    """Whether a phrase appears anywhere in the tree, excluded ones included."""
    if isinstance(node, Phrase):
        return True
    if isinstance(node, Not):
        return has_phrase(node.child)
    if isinstance(node, And | Or):
        return any(has_phrase(c) for c in node.children)
    return False


def to_text(node: Node | None) -> str:
    """The query language text of a tree (parse_query(to_text(t)).tree == t for parsed trees)."""
    if node is None:
        return ""
    if isinstance(node, Term):
        return node.word + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Not):
        return "-" + _wrap(node.child)
    if isinstance(node, And):
        return " ".join(_wrap(c) for c in node.children)
    return " OR ".join(_wrap(c) for c in node.children)


def _wrap(node: Node) -> str:
    return f"({to_text(node)})" if isinstance(node, And | Or) else to_text(node)


# --- tokens -------------------------------------------------------------------------------------

_OPEN, _CLOSE, _OR, _NOT, _WORD, _PHRASE = "open", "close", "or", "not", "word", "phrase"


def _tokenize(text: str, notes: list[str]) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in QUOTES:
            end = next((j for j in range(i + 1, n) if text[j] in QUOTES), None)
            if end is None:
                notes.append("A quote was not closed; it was closed at the end of the query.")
                end = n
            tokens.append((_PHRASE, text[i + 1 : end]))
            i = end + 1
        elif ch == "(":
            tokens.append((_OPEN, ch))
            i += 1
        elif ch == ")":
            tokens.append((_CLOSE, ch))
            i += 1
        elif ch in DASHES and i + 1 < n and not text[i + 1].isspace():
            tokens.append((_NOT, ch))
            i += 1
        elif ch == "|":
            tokens.append((_OR, ch))
            i += 1
        else:
            j = i
            while (
                j < n and not text[j].isspace() and text[j] not in QUOTES and text[j] not in "()|"
            ):
                j += 1
            chunk = text[i:j]
            i = j
            if chunk == "OR":
                tokens.append((_OR, chunk))
            elif chunk == "NOT":
                tokens.append((_NOT, chunk))
            elif chunk != "AND":
                tokens.append((_WORD, chunk))
    return tokens


# --- parser -------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], notes: list[str]):
        self.tokens = tokens
        self.pos = 0
        self.notes = notes
        self.dropped: list[str] = []
        self.short: list[str] = []
        self.leaves = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def parse_or(self, depth: int) -> Node | None:
        children = [self.parse_and(depth)]
        while self.peek() == _OR:
            self.pos += 1
            children.append(self.parse_and(depth))
        kept = [c for c in children if c is not None]
        if len(kept) < len(children) and len(children) > 1:
            self.notes.append("An OR with nothing on one side was ignored.")
        return _make(Or, kept)

    def parse_and(self, depth: int) -> Node | None:
        children: list[Node] = []
        while (kind := self.peek()) is not None and kind != _OR:
            if kind == _CLOSE:
                if depth > 0:
                    break
                self.pos += 1
                self.notes.append("A closing parenthesis without an opening one was ignored.")
                continue
            node = self.parse_unary(depth)
            if node is not None:
                children.append(node)
        return _make(And, children)

    def parse_unary(self, depth: int) -> Node | None:
        if self.peek() == _NOT:
            self.pos += 1
            if self.peek() in (None, _OR, _CLOSE, _NOT):
                return None  # a lone minus: nothing to exclude
            child = self.parse_atom(depth)
            return _negate(child)
        return self.parse_atom(depth)

    def parse_atom(self, depth: int) -> Node | None:
        kind, value = self.tokens[self.pos]
        self.pos += 1
        if kind == _OPEN:
            if depth >= MAX_DEPTH:
                return None  # deeper nesting adds nothing a user means; its words still count
            node = self.parse_or(depth + 1)
            if self.peek() == _CLOSE:
                self.pos += 1
            else:
                self.notes.append("A parenthesis was not closed; it was closed at the end.")
            return node
        if kind == _PHRASE:
            return self.leaf(_phrase(value, self.dropped))
        if kind == _WORD:
            return self.leaf(_word(value, self.dropped, self.short))
        return None  # an operator where a word should be

    def leaf(self, node: Node | None) -> Node | None:
        if node is None:
            return None
        self.leaves += 1
        if self.leaves > MAX_TERMS:
            if self.leaves == MAX_TERMS + 1:
                self.notes.append(f"Only the first {MAX_TERMS} words and phrases were used.")
            return None
        return node


def _words(text: str) -> list[str]:
    return [w[:MAX_WORD_CHARS] for w in WORD_RE.findall(text.lower())]


def _word(chunk: str, dropped: list[str], short: list[str]) -> Node | None:
    prefix = chunk.endswith("*")
    words = _words(chunk)
    if len(words) > 1:
        return _phrase(" ".join(words), dropped)
    if not words:
        return None
    if words[0] in STOP_WORDS:
        dropped.append(words[0])
        return None
    if prefix and len(words[0]) < MIN_PREFIX:
        short.append(words[0])
        prefix = False
    return Term(words[0], prefix=prefix)


def _phrase(text: str, dropped: list[str]) -> Node | None:
    words = _words(text)
    # Stop words at the ends of a phrase constrain nothing on PostgreSQL; drop them on both.
    while words and words[0] in STOP_WORDS:
        dropped.append(words.pop(0))
    while words and words[-1] in STOP_WORDS:
        dropped.append(words.pop())
    if not words:
        return None
    if len(words) == 1:
        return Term(words[0])
    return Phrase(tuple(words))


def _negate(child: Node | None) -> Node | None:
    if child is None:
        return None
    if isinstance(child, Not):
        return child.child
    return Not(child)


def _make(kind: type[And] | type[Or], children: list[Node]) -> Node | None:
    flat: list[Node] = []
    for child in children:
        if isinstance(child, kind):
            flat.extend(child.children)
        elif child not in flat:
            flat.append(child)
    if not flat:
        return None
    if len(flat) == 1:
        return flat[0]
    return kind(tuple(flat))


def _only_excludes(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    return isinstance(node, And) and all(isinstance(c, Not) for c in node.children)


def _prune(node: Node | None, top: bool, notes: list[str]) -> Node | None:
    """Remove what no engine can run: an exclusion with nothing to exclude from, below the top."""
    if node is None or isinstance(node, Term | Phrase):
        return node
    if isinstance(node, Not):
        child = _prune(node.child, False, notes)
        return Not(child) if child is not None else None
    if isinstance(node, Or):
        kept = []
        for child in node.children:
            if _only_excludes(child):
                notes.append("An OR branch that only excluded words was ignored.")
                continue
            pruned = _prune(child, False, notes)
            if pruned is not None:
                kept.append(pruned)
        return _make(Or, kept)
    kept = [c for c in (_prune(c, False, notes) for c in node.children) if c is not None]
    if not top and kept and all(isinstance(c, Not) for c in kept):
        notes.append("A group that only excluded words was ignored.")
        return None
    return _make(And, kept)


def parse_query(text: str | None) -> ParsedQuery:
    """Parse what a user typed into a tree; never raises, whatever the input."""
    text = text or ""
    notes: list[str] = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
    text = "".join(ch for ch in text if ch.isprintable() or ch.isspace())
    parser = _Parser(_tokenize(text, notes), notes)
    tree: Node | None = None
    while parser.pos < len(parser.tokens):
        # A stray ``)`` at the top ends parse_or early; keep reading what follows it.
        part = parser.parse_or(0)
        tree = _make(And, [n for n in (tree, part) if n is not None])
        if parser.peek() == _CLOSE:
            parser.pos += 1
            notes.append("A closing parenthesis without an opening one was ignored.")
    tree = _prune(tree, True, notes)
    if parser.dropped:
        common = ", ".join(dict.fromkeys(parser.dropped))
        notes.append(f"Very common words are not searched: {common}.")
    if parser.short:
        words = ", ".join(dict.fromkeys(parser.short))
        notes.append(
            f"A prefix needs at least {MIN_PREFIX} letters; searched as whole words: {words}."
        )
    if tree is None and text.strip():
        notes.append("Nothing searchable was left in the query; try other words.")
    return ParsedQuery(text=text, tree=tree, notes=tuple(dict.fromkeys(notes)))
