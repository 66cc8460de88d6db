"""The comparison's pure parts: alignment, overlap figures, agreement of facts, quote matching."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from articles.compare import (
    ClaimFact,
    CompareError,
    QuoteFact,
    agree,
    align,
    group_claims,
    match_quotes,
    normalise_subject,
    overlap,
    parse_ids,
)
from articles.compare.export import csv_safe
from articles.compare.facts import display_unit
from articles.compare.page import format_quantity
from articles.compare.similarity import content_words, rewrite_score

# --- Requests --------------------------------------------------------------------------------


def test_ids_comma_separated_and_repeated_keep_their_order():
    assert parse_ids(["3,1,2"]) == [3, 1, 2]
    assert parse_ids(["3", "1"]) == [3, 1]
    assert parse_ids(["4, 5", "6"]) == [4, 5, 6]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["1"], "at least two"),
        ([], "at least two"),
        (["1,2,3,4,5,6,7"], "At most 6"),
        (["1,x"], "“x” is not an article number"),
        (["1,-2"], "not an article number"),
        (["1,2,1"], "only once"),
        (["1", "1"], "only once"),
    ],
)
def test_bad_id_lists_get_a_readable_message(values, message):
    with pytest.raises(CompareError, match=message):
        parse_ids(values)


@given(st.lists(st.text(max_size=30), max_size=4))
@example(["¹", "2"])  # a digit to str.isdigit(), not to int()
@example(["٣,٤"])  # Arabic-Indic digits
def test_any_ids_input_gives_ids_or_a_readable_error(values):
    try:
        ids = parse_ids(values)
    except CompareError as error:
        assert str(error)
    else:
        assert 2 <= len(ids) <= 6 and len(set(ids)) == len(ids)


# --- Alignment -------------------------------------------------------------------------------

WIRE = (
    "The bridge over the Tumen River will be one kilometre long, officials said on Thursday.\n"
    "Construction is expected to take eighteen months and to cost two billion roubles.\n"
    "The prime minister called the project a milestone for relations between the neighbours.\n"
    "Local fishermen worry that the works will disturb the salmon migration this autumn."
)
REWRITE = (
    "Officials announced on Thursday that the new Tumen River bridge will be one kilometre long.\n"
    "Analysts expect tourism across the border to grow once the crossing opens.\n"
    "The project, a milestone for relations between the neighbours, was praised by the prime "
    "minister.\n"
    "Engineers expect construction to take eighteen months, at a cost of two billion roubles."
)
COPY = (
    "A regional council met on Friday to discuss school meals and bus timetables.\n"
    "The prime minister called the project a milestone for relations between the neighbours.\n"
    "Councillors also approved a new library opening schedule for the winter season."
)


def _rows_with(alignment, doc, index):
    return [
        row
        for row in alignment.rows
        if any(p.doc == doc and p.index == index for p in row.cells[doc])
    ]


def test_reworded_sentences_share_a_row_and_unique_ones_are_marked_unique():
    alignment = align([WIRE, REWRITE])
    (row,) = _rows_with(alignment, 0, 0)
    assert row.kind == "shared"
    assert [p.index for p in row.cells[1]] == [0]  # the "one kilometre long" sentence
    fishermen = next(p for r in alignment.rows for p in r.cells[0] if p.index == 3)
    tourism = next(p for r in alignment.rows for p in r.cells[1] if p.index == 1)
    assert (fishermen.status, tourism.status) == ("unique", "unique")


def test_every_column_still_reads_in_its_own_order():
    alignment = align([WIRE, REWRITE, COPY])
    for doc in range(3):
        order = [p.index for row in alignment.rows for p in row.cells[doc]]
        assert order == sorted(order)
    # The rewrite moves the construction-time sentence to its end: it cannot share a row
    # without breaking an order, so it stays shared but points at its match.
    moved = next(p for r in alignment.rows for p in r.cells[1] if p.index == 3)
    assert moved.status == "shared"
    assert moved.match == (0, 1)


def test_a_sentence_lifted_word_for_word_is_a_near_copy_of_the_earlier_article():
    alignment = align([WIRE, COPY], published=[1, 2])
    (row,) = _rows_with(alignment, 1, 1)
    assert row.kind == "near-copy"
    copied = row.cells[1][0]
    assert copied.status == "near-copy" and copied.copy_of == (0, 2)
    assert row.cells[0][0].status == "shared"  # the original is not the copy


def test_when_publication_order_is_unknown_both_sides_of_a_copy_are_flagged():
    alignment = align([WIRE, COPY])
    (row,) = _rows_with(alignment, 1, 1)
    assert [cell[0].status for cell in row.cells] == ["near-copy", "near-copy"]


def test_empty_and_stop_word_only_texts_align_without_matches():
    alignment = align(["", "the and of", WIRE])
    assert all(o.share == 0 for o in alignment.overlaps)
    assert [p.index for row in alignment.rows for p in row.cells[2]] == [0, 1, 2, 3]


# --- Overlap ---------------------------------------------------------------------------------


def test_overlap_is_the_share_of_one_text_found_in_the_other():
    assert overlap(WIRE, WIRE) == pytest.approx(1.0)
    shared, *others = [
        len(content_words(line)) for line in (COPY.splitlines()[1], *COPY.splitlines()[::2])
    ]
    assert overlap(COPY, WIRE) == pytest.approx(shared / (shared + sum(others)))
    assert overlap(WIRE, "Completely unrelated words about cooking pasta at home tonight.") == 0


def test_overlap_is_asymmetric_for_a_short_text_inside_a_long_one():
    long_text = (
        WIRE
        + "\n"
        + "\n".join(
            f"Paragraph {n} adds details about the regional economy, rail freight and harbour {n}."
            for n in range(12)
        )
    )
    assert overlap(WIRE, long_text) == pytest.approx(1.0)
    assert overlap(long_text, WIRE) < 0.5


def test_a_rewrite_scores_higher_than_two_texts_sharing_one_sentence():
    assert rewrite_score(WIRE, REWRITE) >= 0.5
    assert rewrite_score(WIRE, COPY) < 0.35


def test_pair_overlaps_flag_rewrites_and_near_copies():
    alignment = align([WIRE, REWRITE, WIRE.replace("Thursday", "Friday")], published=[1, 2, 3])
    relations = {(o.doc, o.other): o.relation for o in alignment.overlaps}
    assert relations[(2, 0)] == "near-copy"
    assert relations[(1, 0)] == "rewrite"


# --- Facts -----------------------------------------------------------------------------------


def claim(article, subject, value, low=None, high=None, *, quantity="length", unit="m", text=""):
    low = value if low is None else low
    high = value if high is None else high
    return ClaimFact(article, quantity, value, low, high, unit, subject, text or str(value))


def test_equal_quantities_written_differently_agree():
    # 1.5 years and 18 months, both stored in months by extraction
    (group,) = group_claims(
        [
            claim(1, "construction time", 18, quantity="duration", unit="month", text="1.5 years"),
            claim(2, "construction time", 18, quantity="duration", unit="month", text="18 months"),
        ]
    )
    assert group.status == "agree" and group.agree is True
    (group,) = group_claims([claim(1, "bridge length", 1000), claim(2, "bridge length", 1000.0)])
    assert group.agree is True


def test_a_hedged_figure_agrees_with_one_inside_its_hedge():
    (group,) = group_claims(
        [
            claim(1, "people per day", 3000, 2700, 3000, quantity="count", unit=""),
            claim(2, "people per day", 2850, quantity="count", unit=""),
        ]
    )
    assert group.agree is True
    (group,) = group_claims(
        [
            claim(1, "people per day", 3000, 2700, 3000, quantity="count", unit=""),
            claim(2, "people per day", 2500, quantity="count", unit=""),
        ]
    )
    assert group.agree is False


def test_different_exact_figures_disagree():
    (group,) = group_claims([claim(1, "bridge length", 1000), claim(2, "bridge length", 850)])
    assert group.status == "disagree"


def test_rounding_within_one_percent_agrees():
    assert agree([(1000, 1000), (995, 995)]) is True
    assert agree([(1000, 1000), (970, 970)]) is False
    assert agree([(16.2, 19.8), (18, 18), (18, 18)]) is True


def test_different_measures_are_not_confused():
    groups = group_claims(
        [
            claim(1, "bridge length", 1000),
            claim(2, "total length of the bridge and its access roads", 4700),
            claim(3, "total length", 4700),
            claim(3, "bridge section length", 300),
            claim(4, "bridge width", 7, quantity="width"),
        ]
    )
    by_subject = {g.subject: sorted(c.article for c in g.claims) for g in groups}
    assert by_subject == {
        "bridge length": [1],
        "total length": [2, 3],
        "bridge section length": [3],
        "bridge width": [4],
    }


def test_subjects_are_normalised_to_lemmas_and_synonyms():
    assert normalise_subject("Individuals daily") == "people per day"
    assert normalise_subject("persons a day") == "people per day"
    assert normalise_subject("North Korean soldiers") == normalise_subject("north korean troops")
    assert normalise_subject("construction period") == "construction time"
    assert normalise_subject("length of the bridge") == "bridge length"
    (group,) = group_claims(
        [
            claim(1, "artillery shells", 5e6, 4e6, 6e6, quantity="count", unit=""),
            claim(2, "shells", 2.5e6, 2.5e6, 3.75e6, quantity="count", unit=""),
        ]
    )
    assert group.subject == "shells" and group.agree is False


def test_groups_show_values_in_one_readable_unit():
    assert display_unit("length", "m", [4700, 4700]) == ("km", 1000.0)
    assert display_unit("length", "m", [1000, 850]) == ("m", 1.0)
    assert display_unit("duration", "month", [18, 18]) == ("months", 1.0)
    assert display_unit("duration", "month", [36, 30]) == ("years", 12.0)
    (group,) = group_claims([claim(1, "total length", 4700), claim(2, "total length", 4700)])
    assert [group.display(c.value) for c in group.claims] == [4.7, 4.7]
    assert format_quantity(4.7, "km") == "4.7 km"
    assert format_quantity(1000, "m") == "1,000 m"


def test_disagreements_come_first_then_agreements_then_single_sources():
    groups = group_claims(
        [
            claim(1, "bridge width", 7, quantity="width"),
            claim(1, "bridge length", 1000),
            claim(2, "bridge length", 850),
            claim(1, "total length", 4700),
            claim(2, "total length", 4700),
        ]
    )
    assert [(g.subject, g.status) for g in groups] == [
        ("bridge length", "disagree"),
        ("total length", "agree"),
        ("bridge width", "single"),
    ]


# --- Quotes ----------------------------------------------------------------------------------

MISHUSTIN = "person:1"
SIGNIFICANCE_000 = (
    "The significance goes far beyond just an engineering task… it symbolizes our common desire "
    "to strengthen friendly, good-neighborly relations and increase inter-regional cooperation"
)
SIGNIFICANCE_004 = (
    "This is truly a landmark stage for Russian-Korean relations. Its significance goes far "
    "beyond just an engineering task"
)
OTHER_MISHUSTIN = (
    "I would like to emphasize that we highly value our friendly, good-neighborly relations with "
    "the Democratic People’s Republic of Korea"
)


def test_the_same_quotation_is_matched_across_articles_despite_small_differences():
    quotes = [
        QuoteFact(1, 10, SIGNIFICANCE_000, MISHUSTIN, "Mikhail Mishustin"),
        QuoteFact(2, 10, "truly a milestone for Russian-Korean relations", MISHUSTIN, "M"),
        QuoteFact(3, 14, SIGNIFICANCE_004, MISHUSTIN, "Mikhail Mishustin"),
        QuoteFact(4, 12, OTHER_MISHUSTIN, MISHUSTIN, "Mikhail Mishustin"),
    ]
    (speaker,) = match_quotes(quotes)
    assert speaker.name == "Mikhail Mishustin"
    assert speaker.articles == [10, 14, 12]
    (match,) = speaker.matches
    assert sorted(q.id for q in match.quotes) == [1, 2, 3]
    assert match.kind == "verbatim"


def test_a_quote_relayed_by_an_agency_matches_the_named_speakers_quote():
    quotes = [
        QuoteFact(1, 10, SIGNIFICANCE_000, MISHUSTIN, "Mikhail Mishustin"),
        QuoteFact(2, 14, SIGNIFICANCE_004, "source:tass", "TASS"),
    ]
    speakers = match_quotes(quotes)
    assert [s.name for s in speakers] == ["Mikhail Mishustin", "TASS"]
    assert [sorted(q.id for q in m.quotes) for m in speakers[0].matches] == [[1, 2]]


def test_similar_words_from_two_different_people_are_not_one_quote():
    quotes = [
        QuoteFact(1, 10, "Today our friendship and relations with Korea are growing stronger", "a"),
        QuoteFact(2, 11, "We value our friendship and relations with Korea, growing stronger", "b"),
    ]
    quotes = [QuoteFact(q.id, q.article, q.text, f"person:{q.speaker}") for q in quotes]
    assert all(not s.matches for s in match_quotes(quotes))


def test_quotes_within_one_article_are_never_matched_to_each_other():
    quotes = [
        QuoteFact(1, 10, SIGNIFICANCE_000, MISHUSTIN, "Mikhail Mishustin"),
        QuoteFact(2, 10, SIGNIFICANCE_000, MISHUSTIN, "Mikhail Mishustin"),
    ]
    assert match_quotes(quotes)[0].matches == []


# --- Export ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("1 km", "1 km"),
        (-850.0, -850.0),
    ],
)
def test_csv_cells_that_look_like_formulas_are_neutralised(value, expected):
    assert csv_safe(value) == expected


def test_similarity_scores_are_scikit_learns_tf_idf_cosines():
    """combine() computes the IDF over the features in use only; the scores must not change."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    from articles.compare.similarity import combine, prepare

    texts = [
        prepare("The bridge is 1 km long. Mishustin opened it on Friday. Traffic starts today."),
        prepare("Mikhail Mishustin opened the 850-metre bridge. Traffic starts on Saturday."),
        prepare(""),
    ]
    _, scores = combine(texts)
    blocks = [
        TfidfTransformer(sublinear_tf=True).fit_transform(
            sparse.vstack([getattr(t, view) for t in texts], format="csr")
        )
        for view in ("words", "chars")
    ]
    matrix = normalize(sparse.hstack(blocks, format="csr"))
    expected = (matrix @ matrix.T).toarray().astype(float)
    assert scores.shape == (5, 5)
    assert np.array_equal(scores, expected)
    assert scores[1, 3] > 0.3  # the two opening sentences say the same thing
