"""How alike two sentences are, and how much of one text is found in another.

Sentences are compared by the cosine of TF-IDF vectors that join two views of the text: word
unigrams and bigrams without English stop words (what it is about) and character 3–5-grams inside
word boundaries (robust to inflection, hyphenation and transliteration: "Pak Thae-song" / "Pak Thae
Song", "1-kilometer" / "1 kilometer"). Both blocks are L2-normalised before they are joined, so the
score is the mean of the word and the character cosines. The IDF is fitted on the sentences of the
texts being compared, so words every article uses ("Russia", "North Korea") weigh little.

Thresholds, tuned on the seed archive (five reports of one event, two of them rewrites):

* ``SAME`` = 0.30 — two sentences say the same thing, exactly or reworded. Above it, every seed
  pair is the same fact or quotation; between 0.20 and 0.30 about half are merely on the same topic.
* ``RELATED`` = 0.20 — the looser bar the overlap figures use: a sentence whose content is
  found, at least reworded, in the other text.
* ``IN_ORDER`` = 0.15 — the bar for the in-order share (below), which asks a whole run of
  sentences to follow the other text's order, so it can afford to be lower.
* ``NEAR_COPY`` = 85 — rapidfuzz ``ratio`` (0–100) of the normalised sentences: above it, a
  sentence was lifted almost word for word (the closest seed pair that is a rewrite scores 76).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import sklearn
from rapidfuzz import fuzz
from scipy.sparse import hstack
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize
from unidecode import unidecode

from articles.text import split_sentences

SAME = 0.30
RELATED = 0.20
IN_ORDER = 0.15
NEAR_COPY = 85.0
# Sentences with fewer content words than this ("Related Content", "EN|FR|RU") never match.
MIN_WORDS = 3

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
_STOP_WORDS = TfidfVectorizer(stop_words="english").get_stop_words()


# Typographic characters news text is full of, flattened without the (slow) general transliterator.
_TYPOGRAPHY = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...",
     "\u00a0": " ", "\u2009": " ", "\u202f": " ", "•": " "}
)  # fmt: skip


def normalise(text: str) -> str:
    """Lowercase ASCII text with typographic quotes and dashes flattened, spaces collapsed."""
    text = text.translate(_TYPOGRAPHY)
    if not text.isascii():
        text = unidecode(text)
    return " ".join(text.lower().split())


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry content: normalised, without English stop words."""
    return [w for w in _WORD.findall(normalise(text)) if w not in _STOP_WORDS]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of one text, as the comparison sees it."""

    doc: int  # position of its text in the list compared
    index: int  # its number in the text (``articles.text.split_sentences``)
    text: str
    words: int  # content words; 0 for sentences too short to compare
    normal: str = ""  # ``normalise(text)``


def sentences_of(texts: list[str]) -> list[Sentence]:
    """Every sentence of every text, in order, tagged with the position of its text."""
    out = []
    for doc, body in enumerate(texts):
        for span in split_sentences(body):
            normal = normalise(span.text)
            n = sum(1 for w in _WORD.findall(normal) if w not in _STOP_WORDS)
            out.append(Sentence(doc, span.index, span.text, n if n >= MIN_WORDS else 0, normal))
    return out


def _hashed_counts(docs: list[str], **view):
    """Raw n-gram counts of ``docs`` (already normalised) for one view of the text."""
    # Hashed features skip building a vocabulary, which costs more than the hashing on short texts.
    return HashingVectorizer(
        alternate_sign=False,
        norm=None,
        lowercase=False,
        n_features=2**18,
        dtype=np.float32,
        **view,
    ).transform(docs)


def similarity_matrix(sentences: list[Sentence]) -> np.ndarray:
    """The cosine similarity of every pair of sentences (a dense square matrix)."""
    n = len(sentences)
    docs = [s.normal or normalise(s.text) for s in sentences]
    comparable = np.array([s.words > 0 for s in sentences])
    if n == 0 or not comparable.any():
        return np.zeros((n, n))
    # The inputs are ours and always valid: scikit-learn's checks of parameters and values
    # were a tenth of this function on a two-article comparison.
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        words = _hashed_counts(
            docs, ngram_range=(1, 2), stop_words="english", token_pattern=_WORD.pattern
        )
        chars = _hashed_counts(docs, analyzer="char_wb", ngram_range=(4, 4))
        blocks = [TfidfTransformer(sublinear_tf=True).fit_transform(m) for m in (words, chars)]
        matrix = normalize(hstack(blocks, format="csr"))
    scores = (matrix @ matrix.T).toarray().astype(float)
    scores[~comparable, :] = 0.0
    scores[:, ~comparable] = 0.0
    return scores


def is_near_copy(a: str, b: str) -> bool:
    """True when two sentences are almost word for word the same."""
    return fuzz.ratio(normalise(a), normalise(b)) >= NEAR_COPY


def _comparable(sentences: list[Sentence], a: int, b: int) -> tuple[list[int], list[int]]:
    """Positions of the comparable sentences of text ``a`` and of text ``b``."""
    rows = [i for i, s in enumerate(sentences) if s.doc == a and s.words]
    cols = [j for j, s in enumerate(sentences) if s.doc == b and s.words]
    return rows, cols


def coverage(
    sentences: list[Sentence], scores: np.ndarray, a: int, b: int, threshold: float = RELATED
) -> tuple[float, int]:
    """The share of text ``a`` found in text ``b``, and how many of ``a``'s sentences that is.

    The share weighs each sentence of ``a`` by its content words, so a one-line dateline counts
    less than a long paragraph; a sentence is found when its best match in ``b`` reaches
    ``threshold``.
    """
    rows, cols = _comparable(sentences, a, b)
    if not rows or not cols:
        return 0.0, 0
    best = scores[np.ix_(rows, cols)].max(axis=1)
    weights = np.array([sentences[i].words for i in rows], dtype=float)
    found = best >= threshold
    return float((weights * found).sum() / weights.sum()), int(found.sum())


def in_order_coverage(
    sentences: list[Sentence], scores: np.ndarray, a: int, b: int, threshold: float = IN_ORDER
) -> float:
    """The share of text ``a`` that retells text ``b`` in ``b``'s order.

    The heaviest chain of matching sentence pairs (similarity >= ``threshold``) that runs forward
    in both texts — a longest common subsequence of sentences, weighed by ``a``'s content words.
    Rewrites keep their source's order, so they score high both ways; two independent reports of
    one event share facts in different orders, so they score lower than their plain overlap.
    """
    rows, cols = _comparable(sentences, a, b)
    if not rows or not cols:
        return 0.0
    weights = np.array([sentences[i].words for i in rows], dtype=float)
    gains = (scores[np.ix_(rows, cols)] >= threshold) * weights[:, None]
    best = np.zeros(len(cols) + 1)
    for gain in gains:
        step = np.maximum(best[1:], best[:-1] + gain)
        best = np.concatenate(([0.0], np.maximum.accumulate(step)))
    return float(best[-1] / weights.sum())


def rewrite_score(a_text: str, b_text: str) -> float:
    """How much the two texts retell each other in the same order (0–1, symmetric).

    The smaller of the two in-order shares; high for rewrites and near-copies only.
    """
    sentences = sentences_of([a_text, b_text])
    scores = similarity_matrix(sentences)
    return min(
        in_order_coverage(sentences, scores, 0, 1), in_order_coverage(sentences, scores, 1, 0)
    )


def overlap(a_text: str, b_text: str) -> float:
    """The share (0–1) of ``a_text``'s content found in ``b_text``, exactly or reworded.

    Asymmetric: a short wire story found whole inside a long feature scores high one way and low
    the other. ``rewrite_score`` tells rewrites and near-copies apart from mere common coverage.
    """
    sentences = sentences_of([a_text, b_text])
    return coverage(sentences, similarity_matrix(sentences), 0, 1)[0]
