"""The comparison as JSON (the page's ``?format=json`` twin) and its facts table as CSV rows."""

from __future__ import annotations

from typing import Any

from articles.serializers import absolute, article_summary, entity_ref

from .build import Comparison
from .facts import FactGroup

CSV_HEADER = [
    "subject", "quantity", "unit", "status", "article", "title", "outlet", "value", "low", "high",
    "qualifier", "text", "sentence_index", "sentence", "url",
]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A CSV cell spreadsheets will not run as a formula: text starting =, +, -, @, tab or CR
    gets a leading apostrophe. Numbers pass through unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def comparison_data(comparison: Comparison, request=None) -> dict[str, Any]:
    """The whole comparison in the JSON shape of the README."""
    articles = comparison.articles
    ids = [a.pk for a in articles]

    def link(article_id: int, index: int | None) -> str:
        return absolute(request, comparison.sentence_url(article_id, index))

    def ref(pair):
        return None if pair is None else {"article": ids[pair[0]], "sentence_index": pair[1]}

    def passage_data(passage):
        return {
            "article": ids[passage.doc],
            "sentence_index": passage.index,
            "text": passage.text,
            "status": passage.status,
            "score": round(passage.score, 3),
            "match": ref(passage.match),
            "copy_of": ref(passage.copy_of),
            "url": link(ids[passage.doc], passage.index),
        }

    rows = [
        {"kind": row.kind, "cells": [[passage_data(p) for p in cell] for cell in row.cells]}
        for row in comparison.alignment.rows
    ]

    overlap = [
        {
            "article": ids[o.doc],
            "other": ids[o.other],
            "share": round(o.share, 3),
            "sentences": o.sentences,
            "mutual": round(o.mutual, 3),
            "near_copies": o.near_copies,
            "relation": o.relation,
            "published": comparison.published_order(o.doc, o.other),
        }
        for o in comparison.alignment.overlaps
    ]

    facts = [
        {
            "subject": g.subject,
            "quantity": g.quantity,
            "unit": g.unit,
            "agree": g.agree,
            "status": g.status,
            "claims": [
                {
                    "article": c.article,
                    "value": g.display(c.value),
                    "low": g.display(c.low),
                    "high": g.display(c.high),
                    "qualifier": c.qualifier,
                    "text": c.text,
                    "sentence": c.sentence,
                    "sentence_index": c.sentence_index,
                    "url": link(c.article, c.sentence_index),
                }
                for c in g.claims
            ],
        }
        for g in comparison.facts
    ]

    def quote_data(q):
        return {
            "id": q.id,
            "article": q.article,
            "speaker": q.speaker_name or None,
            "text": q.text,
            "sentence_index": q.sentence_index,
            "url": link(q.article, q.sentence_index),
        }

    quotes = []
    for speaker in comparison.quotes:
        group_of = {q.id: n for n, m in enumerate(speaker.matches) for q in m.quotes}
        quotes.append(
            {
                "speaker": speaker.name,
                "speaker_url": absolute(request, speaker.url) if speaker.url else None,
                "articles": speaker.articles,
                "quotes": [{**quote_data(q), "match": group_of.get(q.id)} for q in speaker.quotes],
                "matches": [
                    {
                        "kind": m.kind,
                        "score": round(m.score, 1),
                        "quotes": [quote_data(q) for q in m.quotes],
                        "articles": list(dict.fromkeys(q.article for q in m.quotes)),
                    }
                    for m in speaker.matches
                ],
            }
        )

    entities = {
        kind: [
            {
                **entity_ref(row.entity, request),
                "articles": [ids[n] for n, c in enumerate(row.counts) if c],
                "counts": {str(ids[n]): c for n, c in enumerate(row.counts)},
            }
            for row in rows_
        ]
        for kind, rows_ in comparison.entities.items()
    }

    return {
        "articles": [article_summary(a, request) for a in articles],
        "rows": rows,
        "overlap": overlap,
        "facts": facts,
        "quotes": quotes,
        "entities": entities,
    }


def facts_csv_rows(comparison: Comparison, request=None) -> list[list[Any]]:
    """The facts table as CSV rows (header first), one row per claim, formula-safe."""
    by_id = {a.pk: a for a in comparison.articles}
    out: list[list[Any]] = [CSV_HEADER]
    group: FactGroup
    for group in comparison.facts:
        for c in group.claims:
            article = by_id[c.article]
            row = [
                group.subject, group.quantity, group.unit, group.status, c.article, article.title,
                article.outlet.name if article.outlet else "", group.display(c.value),
                group.display(c.low), group.display(c.high), c.qualifier, c.text,
                c.sentence_index if c.sentence_index is not None else "", c.sentence,
                absolute(request, comparison.sentence_url(c.article, c.sentence_index)),
            ]  # fmt: skip
            out.append([csv_safe(v) for v in row])
    return out
