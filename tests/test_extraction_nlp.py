"""The spaCy pipeline the extractors read: with our speed-ups it annotates as stock spaCy does.

``get_nlp()`` swaps the attribute ruler's pattern search for an indexed one and multiplies matrices
with NumPy's BLAS instead of thinc's. Every extractor reads the tags, parse, lemmas and entities,
so on real news text and on the rare forms the ruler's less common patterns exist for, every token
must come out exactly as the stock pipeline has it.
"""

from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

from articles.extraction.nlp import MODEL, get_nlp

SEEDS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "seeds").glob("*.txt"))

# The forms the multi-token, regex and negated patterns of the English attribute ruler are for.
RARE_FORMS = (
    "We ain't going, y'all, and there's nothin' gonna change that. Let's go, c'mon. "
    "They gotta leave now, he said; there were two of them and there is one. "
    "Which ones did you see? That is all. Those were hers.  Both left early.\n\n  She has been seen. "
    "It isn't over: we'd've known, wouldn't we? Y'all got 'em. Ain't nobody there."
)


@pytest.fixture(scope="module")
def stock():
    return spacy.load(MODEL)


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in SEEDS] + [RARE_FORMS])
def test_indexed_attribute_ruler_annotates_every_token_as_spacy_does(stock, text):
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
    ours, theirs = get_nlp()(text), stock(text)
    assert [t.text for t in ours] == [t.text for t in theirs]
    differences = [
        (t.text, t.pos_, t.lemma_, str(t.morph), u.pos_, u.lemma_, str(u.morph))
        for t, u in zip(ours, theirs, strict=True)
        if (t.pos_, t.lemma_, str(t.morph)) != (u.pos_, u.lemma_, str(u.morph))
    ]
    assert differences == []
    assert (ours.to_array(attrs) == theirs.to_array(attrs)).all()


def test_the_indexed_search_really_replaced_the_patterns_it_can_serve():
    match = get_nlp().get_pipe("attribute_ruler").match
    # All of the English ruler's patterns are served by the index; none is left to a Matcher.
    assert len(match.filed) > 100
    assert len(match.rest) == 0
