"""The query parser and the two compilers: pure functions, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.search.backend import MARK_END, MARK_START, safe_snippet
from articles.search.postgres import compile_tsquery
from articles.search.query import And, Not, Or, Phrase, Term, parse_query, to_text
from articles.search.sqlite import compile_match


def tree(text):
    return parse_query(text).tree


def test_words_side_by_side_must_all_match():
    assert tree("road bridge") == And((Term("road"), Term("bridge")))


def test_full_language():
    assert tree('"road bridge" Mishustin OR Putin -Kursk tour*') == Or(
        (
            And((Phrase(("road", "bridge")), Term("mishustin"))),
            And((Term("putin"), Not(Term("kursk")), Term("tour", prefix=True))),
        )
    )


def test_parentheses_and_excluded_phrase():
    assert tree('(Mishustin OR Putin) -"road bridge"') == And(
        (Or((Term("mishustin"), Term("putin"))), Not(Phrase(("road", "bridge"))))
    )


def test_stop_words_are_dropped_with_a_note():
    parsed = parse_query("the bridge of Tumen")
    assert parsed.tree == And((Term("bridge"), Term("tumen")))
    assert parsed.notes == ("Very common words are not searched: the, of.",)


def test_phrase_keeps_inner_stop_words_and_drops_outer_ones():
    assert tree('"the bridge on the river"') == Phrase(("bridge", "on", "the", "river"))
    assert tree('"the bridge"') == Term("bridge")


def test_compound_words_become_phrases():
    assert tree("Jong-un") == Phrase(("jong", "un"))
    assert tree("Russia's") == Term("russia")


@pytest.mark.parametrize(
    ("text", "expected", "note"),
    [
        ('"unclosed phrase', Phrase(("unclosed", "phrase")), "A quote was not closed"),
        ("((bridge", Term("bridge"), "A parenthesis was not closed"),
        ("bridge))", Term("bridge"), "A closing parenthesis without an opening one"),
        ("OR bridge", Term("bridge"), "An OR with nothing on one side"),
        ("the of", None, "Nothing searchable was left"),
        ("🙂 ⚡", None, "Nothing searchable was left"),
        ("bridge OR -kursk", Term("bridge"), "An OR branch that only excluded words"),
    ],
)
def test_broken_input_is_repaired_with_a_note(text, expected, note):
    parsed = parse_query(text)
    assert parsed.tree == expected
    assert any(n.startswith(note) for n in parsed.notes), parsed.notes


def test_lone_and_doubled_minus():
    assert tree("- bridge") == Term("bridge")
    assert tree("--bridge") == Not(Term("bridge"))
    assert tree("bridge -(-kursk)") == And((Term("bridge"), Term("kursk")))


def test_exclusion_only_is_kept_for_browsing():
    parsed = parse_query("-putin -kursk")
    assert parsed.tree == And((Not(Term("putin")), Not(Term("kursk"))))
    assert parsed.is_negative_only


def test_limits_on_size_terms_and_depth():
    long = parse_query("x" * 10_000)
    assert long.tree == Term("x" * 64)
    assert any("cut to its first 1000" in n for n in long.notes)
    many = parse_query(" ".join(f"w{i}" for i in range(100)))
    assert len(many.tree.children) == 32
    deep = parse_query("(" * 500 + "bridge" + ")" * 500)
    assert deep.tree is None or deep.tree == Term("bridge")


def test_sql_and_html_are_just_words():
    assert tree("'; DROP TABLE x; --") == And((Term("drop"), Term("table"), Term("x")))
    assert tree("<b>bold</b>") == Phrase(("b", "bold", "b"))


def test_to_text_round_trips():
    text = '("road bridge" OR tumen) -kursk tour*'
    assert to_text(tree(text)) == text
    assert tree(to_text(tree(text))) == tree(text)


def test_fts5_match_quotes_every_word():
    assert compile_match(tree('"road bridge" OR tour* -kursk')) == (
        '("road bridge") OR ((("tour"*)) NOT ("kursk"))'
    )
    assert compile_match(Term('a"b')) == '"a""b"'


def test_tsquery_quotes_every_lexeme():
    assert compile_tsquery(tree('"road bridge" OR tour* -kursk')) == (
        "(('road' <-> 'bridge') | ('tour':* & !('kursk')))"
    )
    assert compile_tsquery(Term("o'brien\\")) == "'o''brien\\\\'"


def test_safe_snippet_escapes_then_marks():
    raw = f"<b>x</b> & {MARK_START}bridge{MARK_END} {MARK_END}{MARK_START}stray"
    assert safe_snippet(raw) == "&lt;b&gt;x&lt;/b&gt; &amp; <mark>bridge</mark> <mark>stray</mark>"


@given(st.text(max_size=300))
def test_parser_never_raises_and_compilers_accept_its_trees(text):
    parsed = parse_query(text)
    if parsed.tree is not None and not parsed.is_negative_only:
        assert compile_match(parsed.tree)
        assert compile_tsquery(parsed.tree)


@given(st.text(max_size=200))
def test_snippets_never_contain_raw_markup(text):
    html = str(safe_snippet(text.replace("\ue000", "").replace("\ue001", "")))
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")


def test_a_prefix_shorter_than_three_letters_is_searched_as_a_word_and_says_so():
    parsed = parse_query("ka* bridg*")
    assert parsed.tree == And((Term("ka"), Term("bridg", prefix=True)))
    assert any("at least 3 letters" in note and "ka" in note for note in parsed.notes)
    assert parse_query("kar*").tree == Term("kar", prefix=True)
