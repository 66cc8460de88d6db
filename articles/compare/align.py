"""Aligning the sentences of several texts into rows, and the overlap of each pair of texts.

Rows are built greedily: every pair of sentences from different texts that says the same thing
(similarity >= ``SAME``) is a candidate, strongest first. A candidate joins the two sentences' rows
unless that would put two sentences of one text on one row, or break the reading order of any
text (checked as a cycle in the graph "row X comes before row Y in some text"). The rows are then
laid out in an order every text agrees with, earliest relative position first, so each column
still reads as its article. A sentence whose match could not join its row (the other article tells
things in another order) is still marked as shared and points at its match.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np

from .similarity import (
    RELATED,
    SAME,
    PreparedText,
    Sentence,
    combine,
    coverage,
    in_order_coverage,
    is_near_copy,
    prepare,
)

SHARED, UNIQUE, NEAR_COPY = "shared", "unique", "near-copy"
# Pair relations. ``PairOverlap.mutual`` is the smaller of the two in-order shares (see
# ``similarity.in_order_coverage``): on the seeds the rewrite pair scores 0.43 and every other pair
# 0.29 or less. A pair is a near-copy when at least a third of one side's sentences were lifted
# almost word for word.
REWRITE = 0.35
COPIED_SHARE = 1 / 3


@dataclass
class Passage:
    """One sentence in the comparison grid."""

    doc: int
    index: int
    text: str
    status: str = UNIQUE  # shared · unique · near-copy
    score: float = 0.0  # similarity of its best match in another text
    match: tuple[int, int] | None = None  # (doc, sentence index) of that best match
    copy_of: tuple[int, int] | None = None  # for a near-copy: the sentence it was lifted from


@dataclass
class Row:
    """One row of the grid: a list of passages per text (empty where a text says nothing).

    An aligned row ("shared" or "near-copy") holds one passage in each of two or more texts that
    say the same thing. Between aligned rows, a "single" row gathers, per text, the run of
    passages that found no partner on a row (each still marked shared if it matches elsewhere).
    """

    cells: list[list[Passage]]
    kind: str = "single"


@dataclass
class PairOverlap:
    """How much of text ``doc`` is found in text ``other``."""

    doc: int
    other: int
    share: float  # 0–1, weighed by content words
    sentences: int  # how many of ``doc``'s sentences are found in ``other``
    mutual: float  # min of both in-order shares: high for rewrites and near-copies
    near_copies: int  # sentences of ``doc`` lifted almost word for word from ``other``
    comparable: int = 0  # sentences of ``doc`` long enough to compare

    @property
    def relation(self) -> str | None:
        """near-copy · rewrite · None: what the pair looks like from its overlap."""
        if self.comparable and self.near_copies / self.comparable >= COPIED_SHARE:
            return NEAR_COPY
        if self.mutual >= REWRITE:
            return "rewrite"
        return None


@dataclass
class Alignment:
    rows: list[Row]
    overlaps: list[PairOverlap] = field(default_factory=list)


def _earlier(order: list[int | None], a: int, b: int) -> bool | None:
    """Whether text ``a`` was published before ``b``; None when unknown or the same."""
    if order[a] is None or order[b] is None or order[a] == order[b]:
        return None
    return order[a] < order[b]


def align(
    texts: list[str] | list[PreparedText], published: list[int | None] | None = None
) -> Alignment:
    """Align the sentences of ``texts`` (column order) and measure each pair's overlap.

    ``texts`` are plain texts, or texts already ``similarity.prepare``d (kept between comparisons).

    ``published`` gives each text's publication rank (any comparable number, None if unknown);
    it decides which of two near-identical sentences is the copy.
    """
    published = published or [None] * len(texts)
    sentences, scores = combine([t if isinstance(t, PreparedText) else prepare(t) for t in texts])
    n = len(sentences)
    docs = np.array([s.doc for s in sentences], dtype=int)
    passages = [Passage(s.doc, s.index, s.text) for s in sentences]

    # Each sentence's best match in any other text decides its mark.
    other = scores.copy()
    if n:
        other[docs[:, None] == docs[None, :]] = -1.0
    copies: set[tuple[int, int]] = set()  # (sentence, text it was copied from)
    for i in range(n):
        if other[i].max() < SAME:
            continue
        j = int(other[i].argmax())
        passage = passages[i]
        passage.score, passage.match = float(other[i, j]), (int(docs[j]), sentences[j].index)
        passage.status = SHARED
        for k in np.flatnonzero(other[i] >= SAME):
            earlier = _earlier(published, int(docs[k]), int(docs[i]))
            if earlier is not False and is_near_copy(sentences[i].normal, sentences[int(k)].normal):
                passage.status = NEAR_COPY
                passage.copy_of = (int(docs[k]), sentences[int(k)].index)
                copies.add((i, int(docs[k])))
                break

    rows = _rows(sentences, other, passages, len(texts))
    overlaps = _overlaps(sentences, scores, len(texts), copies)
    return Alignment(rows, overlaps)


def _rows(sentences: list[Sentence], other: np.ndarray, passages, ndocs: int) -> list[Row]:
    n = len(sentences)
    cluster = list(range(n))  # sentence -> row id (a row id is one of its sentences)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    nxt = [
        i + 1 if i + 1 < n and sentences[i + 1].doc == sentences[i].doc else -1 for i in range(n)
    ]

    def successors(c: int):
        return {cluster[nxt[i]] for i in members[c] if nxt[i] >= 0} - {c}

    def reaches(src: int, dst: int) -> bool:
        seen, stack = {src}, [src]
        while stack:
            for c in successors(stack.pop()):
                if c == dst:
                    return True
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        return False

    upper = np.triu(other, 1)
    pairs = np.argwhere(upper >= SAME)
    order = np.argsort(-upper[pairs[:, 0], pairs[:, 1]], kind="stable") if len(pairs) else []
    for k in order:
        i, j = (int(x) for x in pairs[k])
        a, b = cluster[i], cluster[j]
        if a == b:
            continue
        if {sentences[m].doc for m in members[a]} & {sentences[m].doc for m in members[b]}:
            continue
        if reaches(a, b) or reaches(b, a):
            continue
        for m in members[b]:
            cluster[m] = a
        members[a].extend(members.pop(b))

    # Lay the rows out in an order every text agrees with, earliest relative position first.
    lengths = {}
    for s in sentences:
        lengths[s.doc] = max(lengths.get(s.doc, 0), s.index + 1)
    indegree = {c: 0 for c in members}
    for c in members:
        for d in successors(c):
            indegree[d] += 1

    def key(c: int):
        pos = min(sentences[m].index / lengths[sentences[m].doc] for m in members[c])
        return (pos, min(sentences[m].doc for m in members[c]), c)

    ready = [key(c) for c, d in indegree.items() if d == 0]
    heapq.heapify(ready)
    rows: list[Row] = []
    while ready:
        c = heapq.heappop(ready)[-1]
        if len(members[c]) == 1:
            # Runs of partnerless passages share one row, so the grid stays short.
            if not rows or rows[-1].kind != "single":
                rows.append(Row([[] for _ in range(ndocs)], "single"))
            m = members[c][0]
            rows[-1].cells[sentences[m].doc].append(passages[m])
        else:
            cells: list[list[Passage]] = [[] for _ in range(ndocs)]
            for m in members[c]:
                cells[sentences[m].doc].append(passages[m])
            statuses = {p.status for cell in cells for p in cell}
            rows.append(Row(cells, NEAR_COPY if NEAR_COPY in statuses else SHARED))
        for d in successors(c):
            indegree[d] -= 1
            if indegree[d] == 0:
                heapq.heappush(ready, key(d))
    return rows


def _overlaps(sentences, scores, ndocs: int, copies) -> list[PairOverlap]:
    found, in_order = {}, {}
    for a in range(ndocs):
        for b in range(ndocs):
            if a != b:
                found[a, b] = coverage(sentences, scores, a, b, RELATED)
                in_order[a, b] = in_order_coverage(sentences, scores, a, b)
    out = []
    for (a, b), (share, count) in found.items():
        out.append(
            PairOverlap(
                doc=a,
                other=b,
                share=share,
                sentences=count,
                mutual=min(in_order[a, b], in_order[b, a]),
                near_copies=sum(1 for (i, d) in copies if d == b and sentences[i].doc == a),
                comparable=sum(1 for s in sentences if s.doc == a and s.words),
            )
        )
    return out
