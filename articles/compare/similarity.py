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
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize
from unidecode import unidecode

from articles.text import split_sentences

SAME = 0.30
RELATED = 0.20
IN_ORDER = 0.15
NEAR_COPY = 85.0
# Sentences with fewer content words than this ("Related Content", "EN|FR|RU") never match.
MIN_WORDS = 3

N_FEATURES = 2**18  # hashed n-gram features per view
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


def _sentences(body: str) -> tuple[Sentence, ...]:
    out = []
    for span in split_sentences(body):
        normal = normalise(span.text)
        n = sum(1 for w in _WORD.findall(normal) if w not in _STOP_WORDS)
        out.append(Sentence(0, span.index, span.text, n if n >= MIN_WORDS else 0, normal))
    return tuple(out)


def _hashed_counts(docs: list[str], **view):
    """Raw n-gram counts of ``docs`` (already normalised) for one view of the text."""
    # Hashed features skip building a vocabulary, which costs more than the hashing on short texts.
    return HashingVectorizer(
        alternate_sign=False,
        norm=None,
        lowercase=False,
        n_features=N_FEATURES,
        dtype=np.float32,
        **view,
    ).transform(docs)


@dataclass(frozen=True, slots=True)
class PreparedText:
    """One text made ready to compare with any other: its sentences and their n-gram counts.

    The counts are hashed (no vocabulary), so a text's rows do not depend on the texts it is
    compared with: stacking prepared texts gives exactly the rows of counting them together. Only
    the IDF, fitted on the texts being compared, is left to ``combine``. A prepared text can
    therefore be kept and reused in every comparison of its article (``articles.compare.inputs``).
    """

    sentences: tuple[Sentence, ...]  # tagged doc 0; ``combine`` tags them with their column
    words: sparse.csr_matrix  # word uni- and bigrams without stop words, a row per sentence
    chars: sparse.csr_matrix  # character 4-grams inside word boundaries


def prepare(text: str) -> PreparedText:
    """Split ``text`` into sentences and count their n-grams (see ``PreparedText``)."""
    sentences = _sentences(text)
    if not sentences:  # scikit-learn's hashers reject an empty list
        empty = sparse.csr_matrix((0, N_FEATURES), dtype=np.float32)
        return PreparedText(sentences, empty, empty)
    docs = [s.normal for s in sentences]
    # The inputs are ours and always valid: scikit-learn's checks of parameters and values
    # were a tenth of the similarity matrix on a two-article comparison.
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        words = _hashed_counts(
            docs, ngram_range=(1, 2), stop_words="english", token_pattern=_WORD.pattern
        )
        chars = _hashed_counts(docs, analyzer="char_wb", ngram_range=(4, 4))
    return PreparedText(sentences, words, chars)


def _tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """``TfidfTransformer(sublinear_tf=True).fit_transform(counts)`` over the features in use.

    The same float32 operations on the same values as scikit-learn's, but its IDF is computed
    for all 2**18 hashed features, of which two articles use a few thousand (a third of the time
    of a comparison whose articles were prepared before). The features are renumbered in their
    order, so each row lists them in the same order and the cosines sum in the same order.
    """
    features, column, df = np.unique(counts.indices, return_inverse=True, return_counts=True)
    idf = np.full(len(features), counts.shape[0] + 1, dtype=np.float32)
    idf /= df.astype(np.float32) + np.float32(1.0)
    np.log(idf, out=idf)
    idf += np.float32(1.0)
    data = np.log(counts.data)
    data += np.float32(1.0)
    data *= idf[column]
    shape = (counts.shape[0], len(features))
    return normalize(sparse.csr_matrix((data, column.astype(np.int32), counts.indptr), shape))


def combine(texts: list[PreparedText]) -> tuple[list[Sentence], np.ndarray]:
    """Every sentence of ``texts``, tagged with its text's position, and the cosine similarity of
    every pair of them (a dense square matrix)."""
    sentences = [
        Sentence(doc, s.index, s.text, s.words, s.normal)
        for doc, text in enumerate(texts)
        for s in text.sentences
    ]
    n = len(sentences)
    comparable = np.array([s.words > 0 for s in sentences], dtype=bool)
    if n == 0 or not comparable.any():
        return sentences, np.zeros((n, n))
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        blocks = [
            _tfidf(sparse.vstack([getattr(t, view) for t in texts], format="csr"))
            for view in ("words", "chars")
        ]
        matrix = normalize(sparse.hstack(blocks, format="csr"))
    scores = (matrix @ matrix.T).toarray().astype(float)
    scores[~comparable, :] = 0.0
    scores[:, ~comparable] = 0.0
    return sentences, scores


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
    sentences, scores = combine([prepare(a_text), prepare(b_text)])
    return min(
        in_order_coverage(sentences, scores, 0, 1), in_order_coverage(sentences, scores, 1, 0)
    )


def overlap(a_text: str, b_text: str) -> float:
    """The share (0–1) of ``a_text``'s content found in ``b_text``, exactly or reworded.

    Asymmetric: a short wire story found whole inside a long feature scores high one way and low
    the other. ``rewrite_score`` tells rewrites and near-copies apart from mere common coverage.
    """
    sentences, scores = combine([prepare(a_text), prepare(b_text)])
    return coverage(sentences, scores, 0, 1)[0]
