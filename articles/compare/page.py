"""What the comparison template shows: the comparison laid out as grids, one column per article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .build import Comparison
from .facts import FactGroup

ENTITY_LABELS = {
    "person": "People",
    "organization": "Organizations",
    "place": "Places",
    "event": "Events",
}


def format_number(value: float) -> str:
    """1000.0 -> "1,000"; 1.5 -> "1.5"; 0.125 -> "0.125"."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def format_quantity(value: float, unit: str) -> str:
    """A value with its display unit: "1,000 m", "18 months", "97%", "2,850"."""
    number = format_number(value)
    if not unit:
        return number
    if unit == "%":
        return f"{number}%"
    if unit in ("months", "years", "days") and value == 1:
        unit = unit[:-1]
    return f"{number} {unit}"


@dataclass
class FactCell:
    value: str
    text: str
    qualifier: str
    range: str
    url: str
    sentence: str


def _fact_rows(comparison: Comparison, groups: list[FactGroup]) -> list[dict[str, Any]]:
    rows = []
    for group in groups:
        cells: list[list[FactCell]] = [[] for _ in comparison.articles]
        for c in group.claims:
            exact = c.low == c.high
            cells[comparison.column(c.article)].append(
                FactCell(
                    value=format_quantity(group.display(c.value), group.unit),
                    text=c.text,
                    qualifier=c.qualifier,
                    range=""
                    if exact
                    else f"{format_number(group.display(c.low))}–"
                    f"{format_quantity(group.display(c.high), group.unit)}",
                    url=comparison.sentence_url(c.article, c.sentence_index),
                    sentence=c.sentence,
                )
            )
        rows.append({"group": group, "cells": cells})
    return rows


def page_context(comparison: Comparison) -> dict[str, Any]:
    """Template context: columns, aligned rows, overlap matrix, facts, quotes, entity matrix."""
    articles = comparison.articles
    n = len(articles)
    ids = [a.pk for a in articles]

    overlaps = {(o.doc, o.other): o for o in comparison.alignment.overlaps}
    standout = max(comparison.alignment.overlaps, key=lambda o: o.mutual, default=None)
    # With two articles the only pair is trivially the closest: outline it only among three or more.
    standout_pair = (
        {standout.doc, standout.other} if standout and standout.mutual > 0 and n > 2 else set()
    )
    matrix = []
    for a in range(n):
        cells = []
        for b in range(n):
            o = overlaps.get((a, b))
            cells.append(
                None
                if o is None
                else {
                    "percent": round(100 * o.share),
                    "shade": min(5, int(10 * o.share)),  # a background step per 10 %
                    "sentences": o.sentences,
                    "relation": o.relation,
                    "in_order": round(100 * o.mutual),
                    "published": comparison.published_order(a, b),
                    "standout": {a, b} == standout_pair,
                    "other": articles[b],
                }
            )
        matrix.append({"article": articles[a], "cells": cells})

    shared_groups = [g for g in comparison.facts if g.status != "single"]
    single_groups = [g for g in comparison.facts if g.status == "single"]

    quote_blocks = []
    # A quote matched under another speaker (an agency relayed it) is shown only in that match.
    matched = {q.id for speaker in comparison.quotes for m in speaker.matches for q in m.quotes}
    for speaker in comparison.quotes:
        lines = []
        for m in speaker.matches:
            cells = [[] for _ in articles]
            for q in m.quotes:
                cells[ids.index(q.article)].append(q)
            lines.append({"kind": m.kind, "score": round(m.score), "cells": cells})
        # Quotes no other article carries share one row, each under its article.
        alone = [q for q in speaker.quotes if q.id not in matched]
        if alone:
            cells = [[] for _ in articles]
            for q in alone:
                cells[ids.index(q.article)].append(q)
            lines.append({"kind": "", "score": None, "cells": cells})
        if lines:
            quote_blocks.append({"speaker": speaker, "lines": lines})

    def quote_url(q):
        return comparison.sentence_url(q.article, q.sentence_index)

    for block in quote_blocks:
        for line in block["lines"]:
            line["cells"] = [
                [{"text": q.text, "url": quote_url(q)} for q in cell] for cell in line["cells"]
            ]

    rows = comparison.alignment.rows

    def passage(p):
        return {
            "passage": p,
            "url": comparison.sentence_url(ids[p.doc], p.index),
            "match_title": articles[p.match[0]].title if p.match else "",
            "match_url": comparison.sentence_url(ids[p.match[0]], p.match[1]) if p.match else "",
        }

    entities = [
        {"kind": kind, "label": ENTITY_LABELS[kind], "rows": comparison.entities.get(kind, [])}
        for kind in ENTITY_LABELS
    ]
    return {
        "articles": articles,
        "column_width": n,
        "rows": [
            {"kind": r.kind, "cells": [[passage(p) for p in cell] for cell in r.cells]}
            for r in rows
        ],
        "passage_counts": {
            status.replace("-", "_"): sum(
                1 for r in rows for cell in r.cells for p in cell if p.status == status
            )
            for status in ("shared", "near-copy", "unique")
        },
        "matrix": matrix,
        "facts": _fact_rows(comparison, shared_groups),
        "single_facts": _fact_rows(comparison, single_groups),
        "quote_blocks": quote_blocks,
        "entities": entities,
    }
