"""Side-by-side comparison of 2–6 articles: what each says, leaves out, or gets different.

* ``align`` — sentences that say the same thing on one row, shared / unique / near-copy marks, and
  the overlap of every ordered pair of articles (``overlap(a_text, b_text)`` for one pair).
* ``facts`` — claims grouped by what they measure, in one unit, agreeing or disagreeing.
* ``quotes`` — quotes by speaker, the same quotation matched across articles.
* ``build`` — reads the articles and their rows and puts it all together; ``export`` gives the
  JSON and CSV forms.
"""

from .align import Alignment, PairOverlap, Passage, Row, align
from .build import CompareError, Comparison, build_comparison, load_articles, parse_ids
from .facts import ClaimFact, FactGroup, agree, group_claims, normalise_subject
from .quotes import QuoteFact, SpeakerQuotes, match_quotes, same_quote
from .similarity import overlap, rewrite_score

__all__ = [
    "Alignment",
    "ClaimFact",
    "CompareError",
    "Comparison",
    "FactGroup",
    "PairOverlap",
    "Passage",
    "QuoteFact",
    "Row",
    "SpeakerQuotes",
    "agree",
    "align",
    "build_comparison",
    "group_claims",
    "load_articles",
    "match_quotes",
    "normalise_subject",
    "overlap",
    "parse_ids",
    "rewrite_score",
    "same_quote",
]
